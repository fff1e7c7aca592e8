package postgres_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/ledger"
	"github.com/depotix/depotix/services/api/internal/postgres"
)

// wireCount counts network round trips: every time the client writes after
// it has received something, it has waited for the server once. It also
// traces what pgx sends (statements and batches), to show where they go.
type wireCount struct {
	mu        sync.Mutex
	received  bool // the last data seen went from the server to the client
	trips     int
	sends     []string
	recording bool
}

func (w *wireCount) reset() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.received, w.trips, w.sends, w.recording = true, 0, nil, true
}

func (w *wireCount) result() (int, []string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.trips, w.sends
}

func (w *wireCount) wrote() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.received {
		w.trips++
		w.received = false
	}
}

func (w *wireCount) read() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.received = true
}

func (w *wireCount) send(s string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.recording {
		w.sends = append(w.sends, s)
	}
}

func (w *wireCount) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	w.send(strings.Join(strings.Fields(data.SQL), " "))
	return ctx
}

func (w *wireCount) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (w *wireCount) TraceBatchStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceBatchStartData) context.Context {
	w.send(fmt.Sprintf("batch of %d statements", data.Batch.Len()))
	return ctx
}

func (w *wireCount) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}

func (w *wireCount) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

type countedConn struct {
	net.Conn
	w *wireCount
}

func (c countedConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	if n > 0 {
		c.w.wrote()
	}
	return n, err
}

func (c countedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.w.read()
	}
	return n, err
}

// countedLedger is a ledger on a one-connection pool of its own whose
// round trips are counted.
func countedLedger(t *testing.T, url string) (*ledger.Service, *wireCount) {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	w := &wireCount{}
	cfg.MaxConns = 1
	cfg.ConnConfig.Tracer = w
	dial := cfg.ConnConfig.DialFunc
	cfg.ConnConfig.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return countedConn{Conn: c, w: w}, nil
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return ledger.NewService(postgres.NewLedgerStore(pool), ledger.Config{}), w
}

// A movement takes one batch that begins, reads and locks and one that
// writes and commits; a reversal one more batch to learn what it reverses,
// the first movement of an item at a location one more to create its
// stock row. pgx
// prepares each statement once per connection, so the counted bookings run
// on a connection that booked the same kind of movement before.
func TestLedgerMovementRoundTrips(t *testing.T) {
	env := newLedger(t)
	ctx := context.Background()
	beer, wine := env.item(t, "LAGER", 24, 40), env.item(t, "WINE", 6, 0)
	wh1, wh2 := env.location(t, "WH1"), env.location(t, "WH2")
	sup, cus := env.supplier(t, "Brauerei"), env.customer(t, "Krone")
	clerk := audit.Actor{UserID: env.user(t, "clerk@example.ch"), RequestID: "req-trips"}
	svc, w := countedLedger(t, env.pool.Config().ConnString())

	var n int
	key := func() string { n++; return "key-" + strconv.Itoa(n) }
	priced := func(item int64) ledger.Input {
		return ledger.Input{Type: ledger.Receipt, ItemID: item, LocationID: wh1, Quantity: 2, Unit: catalogue.UnitPackage,
			SupplierID: &sup, UnitCost: i64(31_200_000), RequestKey: key()}
	}
	for _, tc := range []struct {
		name string
		max  int
		book func() (ledger.Movement, error)
	}{
		{"priced receipt with a key", 2, func() (ledger.Movement, error) { return svc.CreateMovement(ctx, clerk, priced(beer)) }},
		{"priced receipt into a new stock row", 3, func() (ledger.Movement, error) {
			in := priced(wine)
			in.LocationID = env.location(t, "NEW-"+in.RequestKey) // on the other pool: not counted
			return svc.CreateMovement(ctx, clerk, in)
		}},
		{"issue", 2, func() (ledger.Movement, error) {
			return svc.CreateMovement(ctx, clerk, ledger.Input{Type: ledger.Issue, ItemID: beer, LocationID: wh1, Quantity: 1, CustomerID: &cus})
		}},
		{"transfer", 2, func() (ledger.Movement, error) {
			return svc.CreateMovement(ctx, clerk, ledger.Input{Type: ledger.Transfer, ItemID: beer, LocationID: wh1, ToLocationID: &wh2, Quantity: 1})
		}},
		{"reversal", 3, func() (ledger.Movement, error) {
			m, err := env.svc.CreateMovement(ctx, clerk, priced(beer))
			if err != nil {
				return m, err
			}
			w.reset()
			return svc.Reverse(ctx, clerk, m.ID, ledger.ReversalInput{Reason: "falsch", RequestKey: key()})
		}},
	} {
		// The first booking prepares the statements on the connection.
		if _, err := tc.book(); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		w.reset()
		if _, err := tc.book(); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		trips, sends := w.result()
		t.Logf("%s: %d round trips: %s", tc.name, trips, strings.Join(sends, "; "))
		if trips > tc.max || len(sends) > tc.max {
			t.Errorf("%s took %d round trips (%d sends), want at most %d", tc.name, trips, len(sends), tc.max)
		}
	}

	// A retry gets the first movement back and writes nothing.
	in := priced(beer)
	first, err := svc.CreateMovement(ctx, clerk, in)
	if err != nil {
		t.Fatal(err)
	}
	count, stock := env.movementCount(t), env.stockTable(t)
	w.reset()
	again, err := svc.CreateMovement(ctx, clerk, in)
	if err != nil {
		t.Fatal(err)
	}
	trips, sends := w.result()
	t.Logf("replay: %d round trips: %s", trips, strings.Join(sends, "; "))
	if first.Replayed || !again.Replayed {
		t.Errorf("replayed: first %v, retry %v", first.Replayed, again.Replayed)
	}
	again.Replayed = false
	if diff := cmp.Diff(first, again); diff != "" {
		t.Errorf("the retry got another movement (-first +retry):\n%s", diff)
	}
	if env.movementCount(t) != count || !cmp.Equal(stock, env.stockTable(t)) {
		t.Error("the retry wrote")
	}
	env.checkConsistent(t)
}

// The movement CreateMovement returns (and writes into the audit trail) is
// built from what the transaction read instead of read back; it must be
// exactly what reading the movement afterwards gives, for every type.
func TestLedgerReturnsTheMovementAsStored(t *testing.T) {
	env := newLedger(t)
	ctx := context.Background()
	beer := env.item(t, "LAGER", 24, 40)
	wh1, wh2 := env.location(t, "WH1"), env.location(t, "WH2")
	sup, cus := env.supplier(t, "Brauerei"), env.customer(t, "Krone")
	user := env.user(t, "clerk@example.ch")
	token := env.insertID(t, `INSERT INTO api_tokens (user_id, name, token_hash, prefix, scope, expires_at)
		VALUES ($1, 'scanner', sha256('x'), 'dpx_', 'write', now() + interval '1 day') RETURNING id`, user)
	clerk := audit.Actor{UserID: user, TokenID: token, RequestID: "req-stored"}
	system := audit.Actor{RequestID: "req-system"}
	when := time.Now().Add(-36 * time.Hour).Truncate(time.Microsecond)

	check := func(t *testing.T, m ledger.Movement) {
		t.Helper()
		got, err := env.store.Movement(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(got, m); diff != "" {
			t.Fatalf("returned movement differs from the stored one (-stored +returned):\n%s", diff)
		}
		// cmp compares times with Equal; the audit trail and the API
		// write them out, zone included.
		a, _ := json.Marshal(got)
		b, _ := json.Marshal(m)
		if !bytes.Equal(a, b) {
			t.Fatalf("JSON differs:\nstored   %s\nreturned %s", a, b)
		}
		want, err := got.AuditChanges()
		if err != nil {
			t.Fatal(err)
		}
		var same bool
		if err := env.pool.QueryRow(ctx, `SELECT changes = $2::jsonb FROM audit_log WHERE entity = 'movement' AND entity_id = $1 AND action = 'create'`,
			strconv.FormatInt(m.ID, 10), want).Scan(&same); err != nil {
			t.Fatalf("audit record: %v", err)
		}
		if !same {
			t.Fatalf("the audit record is not the diff of the stored movement %+v", got)
		}
	}

	var booked []ledger.Movement
	for _, tc := range []struct {
		name  string
		actor audit.Actor
		in    ledger.Input
	}{
		{"priced receipt", clerk, ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh1, Quantity: 3, Unit: catalogue.UnitPackage,
			SupplierID: &sup, UnitCost: i64(29_900_000), Note: "Lieferschein 17", RequestKey: "k-1"}},
		{"unpriced receipt", system, ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh2, Quantity: 1, Unit: catalogue.UnitPallet,
			SupplierID: &sup, EffectiveAt: &when}},
		{"issue", clerk, ledger.Input{Type: ledger.Issue, ItemID: beer, LocationID: wh1, Quantity: 5, CustomerID: &cus}},
		{"return", clerk, ledger.Input{Type: ledger.Return, ItemID: beer, LocationID: wh1, Quantity: 2, CustomerID: &cus, Note: "Leergut"}},
		{"defect", system, ledger.Input{Type: ledger.Defect, ItemID: beer, LocationID: wh1, Quantity: 4, Reason: "Bruch"}},
		{"write_off", clerk, ledger.Input{Type: ledger.WriteOff, ItemID: beer, LocationID: wh1, Quantity: 3, Reason: "entsorgt"}},
		{"adjust", clerk, ledger.Input{Type: ledger.Adjust, ItemID: beer, LocationID: wh2, Quantity: 950, RequestKey: "k-2"}},
		{"adjust to the same count", clerk, ledger.Input{Type: ledger.Adjust, ItemID: beer, LocationID: wh2, Quantity: 950}},
		{"transfer down", clerk, ledger.Input{Type: ledger.Transfer, ItemID: beer, LocationID: wh2, ToLocationID: &wh1, Quantity: 1, Unit: catalogue.UnitPackage}},
		{"transfer up", system, ledger.Input{Type: ledger.Transfer, ItemID: beer, LocationID: wh1, ToLocationID: &wh2, Quantity: 7}},
		{"second priced receipt", clerk, ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh1, Quantity: 10,
			SupplierID: &sup, UnitCost: i64(1_500_000)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := env.svc.CreateMovement(ctx, tc.actor, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			check(t, m)
			booked = append(booked, m)
		})
	}
	// Newest first, so that each finds the stock it needs.
	for _, m := range slices.Backward(booked) {
		t.Run("reversal of "+string(m.Type)+" "+strconv.FormatInt(m.ID, 10), func(t *testing.T) {
			r, err := env.svc.Reverse(ctx, clerk, m.ID, ledger.ReversalInput{Reason: "falsch", RequestKey: fmt.Sprint("r-", m.ID)})
			if err != nil {
				t.Fatal(err)
			}
			check(t, r)
		})
	}

	// The store keeps what PostgreSQL keeps of a time, microseconds, even
	// when a caller did not cut it off.
	t.Run("nanoseconds", func(t *testing.T) {
		at := time.Now().Add(-time.Hour).In(time.FixedZone("CET", 3600))
		at = at.Add(time.Duration(999 - at.Nanosecond()%1000))
		m, err := env.store.CreateMovement(ctx, clerk, ledger.Request{ItemID: beer, LocationIDs: []int64{wh1}},
			func(snap ledger.Snapshot) (ledger.Booking, error) {
				lvl := snap.Levels[wh1]
				lvl.Good++
				return ledger.Booking{
					Movement: ledger.Movement{Type: ledger.Receipt, ItemID: beer, LocationID: wh1, QuantityBase: 1, EnteredQuantity: 1,
						EnteredUnit: catalogue.UnitBase, UnitFactor: 1, Note: "x", EffectiveAt: at,
						AvgCostBefore: snap.Item.AvgUnitCostMicros, AvgCostAfter: snap.Item.AvgUnitCostMicros},
					Levels: map[int64]ledger.Level{wh1: lvl},
				}, nil
			})
		if err != nil {
			t.Fatal(err)
		}
		check(t, m)
	})
	env.checkConsistent(t)
}

// Errors of the statements in the writing batch still become the ledger's
// domain errors, and nothing of the movement is left behind.
func TestLedgerWriteBatchErrorsMapAsBefore(t *testing.T) {
	env := newLedger(t)
	ctx := context.Background()
	beer, wh := env.item(t, "LAGER", 0, 0), env.location(t, "WH1")
	m := env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh, Quantity: 5, Note: "x"})
	before, count := env.stockTable(t), env.movementCount(t)
	unchanged := func(t *testing.T) {
		t.Helper()
		if diff := cmp.Diff(before, env.stockTable(t)); diff != "" || env.movementCount(t) != count {
			t.Errorf("a refused movement changed the ledger (-before +after):\n%s", diff)
		}
	}

	// A decision that takes more than there is: the CHECK constraint refuses it.
	_, err := env.store.CreateMovement(ctx, stockClerk, ledger.Request{ItemID: beer, LocationIDs: []int64{wh}, Key: "k", Fingerprint: []byte("f")},
		func(snap ledger.Snapshot) (ledger.Booking, error) {
			return ledger.Booking{
				Movement: ledger.Movement{Type: ledger.Issue, ItemID: beer, LocationID: wh, QuantityBase: 6, EnteredQuantity: 6,
					EnteredUnit: catalogue.UnitBase, UnitFactor: 1, Note: "x"},
				Levels: map[int64]ledger.Level{wh: {Good: snap.Levels[wh].Good - 6}},
			}, nil
		})
	if e := wantLedgerCode(t, err, apperr.CodeInsufficient); e.Message != "Not enough stock." {
		t.Errorf("message = %q", e.Message)
	}
	unchanged(t)

	// A second reversal the decision let through: the unique index refuses it.
	env.reverse(t, m.ID)
	before, count = env.stockTable(t), env.movementCount(t)
	_, err = env.store.CreateMovement(ctx, stockClerk, ledger.Request{ReversesID: m.ID},
		func(snap ledger.Snapshot) (ledger.Booking, error) {
			r := *snap.Original
			r.ID, r.Type, r.ReversesID, r.ReversedByID = 0, ledger.Reversal, &snap.Original.ID, nil
			r.EffectiveAt = time.Time{}
			return ledger.Booking{Movement: r, Levels: snap.Levels}, nil
		})
	if e := wantLedgerCode(t, err, apperr.CodeConflict); e.Message != "This movement was already reversed." {
		t.Errorf("message = %q", e.Message)
	}
	unchanged(t)
	env.checkConsistent(t)
}
