package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/ledger"
	"github.com/depotix/depotix/services/api/internal/orders"
	"github.com/depotix/depotix/services/api/internal/page"
	"github.com/depotix/depotix/services/api/internal/postgres"
	"github.com/depotix/depotix/services/api/internal/sales"
)

type orderEnv struct {
	ledgerEnv
	orders *orders.Service
	year   int
}

func newOrders(t testing.TB) orderEnv {
	t.Helper()
	env := newLedger(t)
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	return orderEnv{ledgerEnv: env, year: 2026,
		orders: orders.NewService(postgres.NewOrderStore(env.pool), func() time.Time { return now }, time.UTC)}
}

// saleItem creates an item sold at 1.50 a bottle with a deposit of 0.30,
// 24 to a crate, returnable.
func (e orderEnv) saleItem(t testing.TB, sku string) int64 {
	t.Helper()
	return e.insertID(t, `INSERT INTO items (sku, name, base_unit, package_unit, package_size, sales_price_unit, deposit_unit, returnable)
		VALUES ($1, $1 || ' name', 'bottle', 'crate', 24, 150, 30, true) RETURNING id`, sku)
}

func (e orderEnv) create(t testing.TB, customer, location int64, lines ...sales.LineInput) orders.Order {
	t.Helper()
	o, err := e.orders.Create(context.Background(), stockClerk, false, orders.Input{CustomerID: customer, LocationID: location, Lines: lines})
	if err != nil {
		t.Fatalf("create order: %v", err)
	}
	return o
}

// reservedMatchesOrders checks the invariant of reservations: every stock
// row's reserved is the sum of the lines of CONFIRMED orders there, and
// item_stock sums them per item.
func (e orderEnv) reservedMatchesOrders(t testing.TB) {
	t.Helper()
	var bad int
	if err := e.pool.QueryRow(context.Background(), `
		SELECT count(*) FROM stock s FULL JOIN (
			SELECT ol.item_id, o.location_id, sum(ol.quantity_base) AS q FROM order_lines ol JOIN orders o ON o.id = ol.order_id
			 WHERE o.status = 'CONFIRMED' GROUP BY 1, 2) r ON r.item_id = s.item_id AND r.location_id = s.location_id
		 WHERE coalesce(s.reserved, 0) <> coalesce(r.q, 0)`).Scan(&bad); err != nil {
		t.Fatal(err)
	}
	if bad != 0 {
		t.Errorf("%d stock rows hold another reservation than their confirmed orders' lines", bad)
	}
	if err := e.pool.QueryRow(context.Background(), `
		SELECT count(*) FROM item_stock p LEFT JOIN (SELECT item_id, sum(reserved) r FROM stock GROUP BY 1) s ON s.item_id = p.item_id
		 WHERE p.reserved <> coalesce(s.r, 0)`).Scan(&bad); err != nil {
		t.Fatal(err)
	}
	if bad != 0 {
		t.Errorf("%d items' item_stock.reserved differ from their stock rows'", bad)
	}
}

func (e orderEnv) level(t testing.TB, item, location int64) ledger.Level {
	t.Helper()
	var l ledger.Level
	if err := e.pool.QueryRow(context.Background(), "SELECT good, defective, reserved FROM stock WHERE item_id = $1 AND location_id = $2",
		item, location).Scan(&l.Good, &l.Defective, &l.Reserved); err != nil {
		t.Fatal(err)
	}
	return l
}

func (e orderEnv) count(t testing.TB, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// Concurrent creates get distinct numbers with no gap, in the year of the
// service's clock; a create refused for bad input takes no number.
func TestOrderNumbersConcurrent(t *testing.T) {
	env := newOrders(t)
	cust, wh, beer := env.customer(t, "Bar Rössli"), env.location(t, "WH"), env.saleItem(t, "LAGER")
	ctx := context.Background()
	if _, err := env.orders.Create(ctx, stockClerk, false, orders.Input{CustomerID: cust, LocationID: wh,
		Lines: []sales.LineInput{{ItemID: beer + 1000, Quantity: 1}}}); err == nil {
		t.Fatal("an order of an unknown item was saved")
	}
	const n = 32
	numbers := make([]string, n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			o, err := env.orders.Create(ctx, stockClerk, false, orders.Input{CustomerID: cust, LocationID: wh,
				Lines: []sales.LineInput{{ItemID: beer, Quantity: 1}}})
			if err != nil {
				errs <- err
				return
			}
			numbers[i] = o.Number
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	slices.Sort(numbers)
	for i, got := range numbers {
		if want := fmt.Sprintf("LS-2026-%04d", i+1); got != want {
			t.Fatalf("numbers[%d] = %s, want %s (all: %v)", i, got, want, numbers)
		}
	}
}

// Many clerks confirm orders competing for the same stock at once: exactly
// as many win as the stock covers, the others are refused naming the line
// and what is missing, and nothing is reserved twice.
func TestOrderConfirmsCompeteForStock(t *testing.T) {
	env := newOrders(t)
	cust, wh, beer := env.customer(t, "Bar Rössli"), env.location(t, "WH"), env.saleItem(t, "LAGER")
	env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh, Quantity: 100, Unit: catalogue.UnitBase, Note: "opening stock"})
	const n = 40
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = env.create(t, cust, wh, sales.LineInput{ItemID: beer, Quantity: 7}).ID
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	won, refused := 0, 0
	for _, id := range ids {
		wg.Go(func() {
			_, err := env.orders.Confirm(context.Background(), stockClerk, id, 0)
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				won++
				return
			}
			e, ok := apperr.As(err)
			if !ok || e.Code != apperr.CodeInsufficient || e.Fields["lines[0].quantity"].Code != apperr.FieldInsufficient {
				t.Errorf("confirm %d: %v", id, err)
				return
			}
			refused++
		})
	}
	wg.Wait()
	if won != 14 || refused != n-14 {
		t.Errorf("%d confirmed and %d refused, want 14 (98 of 100 bottles) and %d", won, refused, n-14)
	}
	if l := env.level(t, beer, wh); l.Good != 100 || l.Reserved != 98 {
		t.Errorf("level = %+v, want 100 good, 98 reserved", l)
	}
	if got := env.count(t, "SELECT count(*) FROM orders WHERE status = 'CONFIRMED'"); got != 14 {
		t.Errorf("%d orders confirmed, want 14", got)
	}
	env.reservedMatchesOrders(t)

	// The refusal names the line, in the line's unit.
	o := env.create(t, cust, wh, sales.LineInput{ItemID: beer, Quantity: 1}, sales.LineInput{ItemID: beer, Quantity: 1, Unit: catalogue.UnitPackage})
	_, err := env.orders.Confirm(context.Background(), stockClerk, o.ID, 0)
	e := wantLedgerCode(t, err, apperr.CodeInsufficient)
	f := e.Fields["lines[1].quantity"]
	if f.Params["missing"] != int64(23) || f.Params["missing_entered"] != int64(1) || f.Params["available"] != int64(1) {
		t.Errorf("lines[1].quantity = %+v, want 23 bottles (1 crate) missing of 1 available", f)
	}
	if _, bad := e.Fields["lines[0].quantity"]; bad {
		t.Errorf("line 0 is covered but refused: %v", e.Fields)
	}
	if want := "line 2 (LAGER): 23 bottle missing"; !strings.Contains(e.Message, want) {
		t.Errorf("message %q does not say %q", e.Message, want)
	}
}

// Reserved goods stay for their order: an ad-hoc issue or transfer may
// take only the available part, and the refusal says what is reserved;
// the stock list shows reserved and available; cancel releases.
func TestOrderReservationHoldsAndCancelReleases(t *testing.T) {
	env := newOrders(t)
	ctx := context.Background()
	cust, wh, wh2, beer := env.customer(t, "Bar Rössli"), env.location(t, "WH"), env.location(t, "WH2"), env.saleItem(t, "LAGER")
	env.exec(t, "UPDATE items SET min_stock = 10 WHERE id = $1", beer)
	env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh, Quantity: 30, Unit: catalogue.UnitBase, Note: "opening stock"})
	o := env.create(t, cust, wh, sales.LineInput{ItemID: beer, Quantity: 1, Unit: catalogue.UnitPackage})
	if _, err := env.orders.Confirm(ctx, stockClerk, o.ID, o.Version); err != nil {
		t.Fatal(err)
	}
	for _, in := range []ledger.Input{
		{Type: ledger.Issue, ItemID: beer, LocationID: wh, Quantity: 7, Unit: catalogue.UnitBase, Note: "walk-in"},
		{Type: ledger.Transfer, ItemID: beer, LocationID: wh, ToLocationID: &wh2, Quantity: 7, Unit: catalogue.UnitBase},
	} {
		_, err := env.svc.CreateMovement(ctx, stockClerk, in)
		e := wantLedgerCode(t, err, apperr.CodeInsufficient)
		if f := e.Fields["quantity"]; f.Params["reserved"] != int64(24) || f.Params["available"] != int64(6) {
			t.Errorf("%s refused with %+v, want 6 available and 24 reserved", in.Type, f)
		}
		if !strings.Contains(e.Message, "reserved by orders") {
			t.Errorf("%s refusal %q does not say the goods are reserved", in.Type, e.Message)
		}
	}
	env.book(t, ledger.Input{Type: ledger.Issue, ItemID: beer, LocationID: wh, Quantity: 6, Unit: catalogue.UnitBase, Note: "walk-in"})
	st, err := env.svc.StockByItem(ctx, beer)
	if err != nil {
		t.Fatal(err)
	}
	if st.Good != 24 || st.Reserved != 24 || st.Available != 0 || !st.LowStock || st.Locations[0].Reserved != 24 || st.Locations[0].Available != 0 {
		t.Errorf("stock = %+v, want 24 good, all reserved, low", st)
	}
	low, err := env.svc.ListStock(ctx, ledger.StockFilter{LowStock: true}, page.Request{Limit: 50})
	if err != nil || len(low.Items) != 1 || low.Items[0].Reserved != 24 {
		t.Errorf("low-stock list = %+v, %v; want the item with 24 reserved", low.Items, err)
	}

	fig, err := env.store.Figures(ctx, time.Now().Add(-time.Hour), 10, 0)
	if err != nil || fig.LowStockCount != 1 || len(fig.LowStock) != 1 || fig.LowStock[0].Good != 0 {
		t.Errorf("dashboard low stock = %d %+v, %v; want the item with nothing available", fig.LowStockCount, fig.LowStock, err)
	}

	if _, err := env.orders.Cancel(ctx, stockClerk, o.ID, 0); err != nil {
		t.Fatal(err)
	}
	if l := env.level(t, beer, wh); l.Reserved != 0 || l.Good != 24 {
		t.Errorf("after cancel level = %+v, want 24 good, none reserved", l)
	}
	env.reservedMatchesOrders(t)
	_, err = env.orders.Cancel(ctx, stockClerk, o.ID, 0)
	e := wantLedgerCode(t, err, apperr.CodeConflict)
	if want := "Order " + o.Number + " is CANCELLED"; !strings.Contains(e.Message, want) {
		t.Errorf("second cancel: %q, want it to say %q", e.Message, want)
	}
	env.book(t, ledger.Input{Type: ledger.Issue, ItemID: beer, LocationID: wh, Quantity: 24, Unit: catalogue.UnitBase, Note: "walk-in"})
}

// A delivery is all or nothing: a shortfall on one line (a stock-take
// counted less than was reserved) books nothing and names the line; the
// clerk delivers less instead, the rest is released, the empties go to the
// empties location and the deposit account adds up.
func TestOrderDeliverAllOrNothing(t *testing.T) {
	env := newOrders(t)
	ctx := context.Background()
	cust, wh := env.customer(t, "Bar Rössli"), env.location(t, "WH")
	beer, cola := env.saleItem(t, "LAGER"), env.saleItem(t, "COLA")
	env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh, Quantity: 48, Unit: catalogue.UnitBase, Note: "opening stock"})
	env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: cola, LocationID: wh, Quantity: 48, Unit: catalogue.UnitBase, Note: "opening stock"})
	o := env.create(t, cust, wh, sales.LineInput{ItemID: beer, Quantity: 2, Unit: catalogue.UnitPackage},
		sales.LineInput{ItemID: cola, Quantity: 2, Unit: catalogue.UnitPackage})
	if _, err := env.orders.Confirm(ctx, stockClerk, o.ID, 0); err != nil {
		t.Fatal(err)
	}
	// The count finds only 30 colas: reality, whatever was reserved.
	env.book(t, ledger.Input{Type: ledger.Adjust, ItemID: cola, LocationID: wh, Quantity: 30, Unit: catalogue.UnitBase})
	movements := env.count(t, "SELECT count(*) FROM movements")

	_, err := env.orders.Deliver(ctx, stockClerk, o.ID, 0, sales.DeliveryInput{})
	e := wantLedgerCode(t, err, apperr.CodeInsufficient)
	f := e.Fields["lines[1].quantity"]
	if f.Params["missing"] != int64(18) || len(e.Fields) != 1 {
		t.Errorf("fields = %+v, want lines[1] missing 18 bottles only", e.Fields)
	}
	if !strings.Contains(e.Message, "line 2 (COLA): 18 bottle missing") {
		t.Errorf("message = %q", e.Message)
	}
	if got := env.count(t, "SELECT count(*) FROM movements"); got != movements {
		t.Errorf("a refused delivery booked %d movements", got-movements)
	}
	if l := env.level(t, beer, wh); l.Good != 48 || l.Reserved != 48 {
		t.Errorf("beer after the refusal = %+v, want untouched", l)
	}
	got, err := env.orders.Get(ctx, o.ID)
	if err != nil || got.Status != sales.Confirmed {
		t.Fatalf("order after the refusal: %v %v", got.Status, err)
	}

	// Deliver 2 crates of beer and 1 of cola; 5 empty crates come back.
	d, err := env.orders.Deliver(ctx, stockClerk, o.ID, got.Version, sales.DeliveryInput{Delivered: []int64{2, 1},
		Empties: []sales.EmptiesInput{{ItemID: beer, Unit: catalogue.UnitPackage, Quantity: 5}}})
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != sales.Delivered || *d.Lines[0].Delivered != 2 || *d.Lines[1].Delivered != 1 || d.Lines[1].MovementID == nil ||
		len(d.Empties) != 1 || d.DeliveredAt == nil {
		t.Errorf("delivered order = %+v", d)
	}
	if l := env.level(t, beer, wh); l.Good != 0 || l.Reserved != 0 {
		t.Errorf("beer = %+v, want all issued", l)
	}
	if l := env.level(t, cola, wh); l.Good != 6 || l.Reserved != 0 {
		t.Errorf("cola = %+v, want 6 left and the rest released", l)
	}
	var emptiesLoc int64
	var code string
	if err := env.pool.QueryRow(ctx, "SELECT id, code FROM locations WHERE empties").Scan(&emptiesLoc, &code); err != nil || code != "LEERGUT" {
		t.Fatalf("empties location: %s %v", code, err)
	}
	if l := env.level(t, beer, emptiesLoc); l.Good != 120 {
		t.Errorf("empties = %+v, want 5 crates (120 bottles)", l)
	}
	if n := env.count(t, "SELECT count(*) FROM movements WHERE customer_id = $1 AND note LIKE $2", cust, "Order "+o.Number+"%"); n != 3 {
		t.Errorf("%d movements of the delivery, want 2 issues and 1 return", n)
	}
	env.reservedMatchesOrders(t)

	bal, err := env.orders.Balances(ctx, cust)
	// Charged 3 crates × 24 × 0.30 = 21.60; credited 5 crates × 7.20 = 36.00.
	if err != nil || len(bal) != 1 || bal[0].Charged != 2160 || bal[0].Credited != 3600 || bal[0].Balance != -1440 {
		t.Errorf("balance = %+v, %v", bal, err)
	}
	_, err = env.orders.Deliver(ctx, stockClerk, o.ID, 0, sales.DeliveryInput{})
	wantLedgerCode(t, err, apperr.CodeConflict)
	_, err = env.orders.Confirm(ctx, stockClerk, o.ID, 1)
	wantLedgerCode(t, err, apperr.CodePrecondition)
}

// Confirms and ad-hoc issues compete for the same 100 bottles: whichever
// wins, nothing is promised or issued twice — the confirmed orders'
// reservations plus the issues never pass the stock, and the stock never
// holds less than it reserved.
func TestOrderConfirmsAndIssuesCompete(t *testing.T) {
	env := newOrders(t)
	ctx := context.Background()
	cust, wh, beer := env.customer(t, "Bar Rössli"), env.location(t, "WH"), env.saleItem(t, "LAGER")
	env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh, Quantity: 100, Unit: catalogue.UnitBase, Note: "opening stock"})
	const n = 20
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = env.create(t, cust, wh, sales.LineInput{ItemID: beer, Quantity: 7}).ID
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	confirmed, issued := 0, 0
	fail := func(what string, err error) {
		if e, ok := apperr.As(err); !ok || e.Code != apperr.CodeInsufficient {
			t.Errorf("%s: %v", what, err)
		}
	}
	for i := range n {
		wg.Go(func() {
			_, err := env.orders.Confirm(ctx, stockClerk, ids[i], 0)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				fail("confirm", err)
				return
			}
			confirmed++
		})
		wg.Go(func() {
			_, err := env.svc.CreateMovement(ctx, stockClerk, ledger.Input{Type: ledger.Issue, ItemID: beer, LocationID: wh,
				Quantity: 7, Unit: catalogue.UnitBase, Note: "walk-in"})
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				fail("issue", err)
				return
			}
			issued++
		})
	}
	wg.Wait()
	l := env.level(t, beer, wh)
	if confirmed+issued != 14 || l.Good != int64(100-7*issued) || l.Reserved != int64(7*confirmed) || l.Good < l.Reserved {
		t.Errorf("%d confirmed, %d issued, level %+v: want 14 winners of 7 bottles each within 100", confirmed, issued, l)
	}
	env.reservedMatchesOrders(t)
}

// The numbers start again at 0001 with each calendar year.
func TestOrderNumbersRestartEachYear(t *testing.T) {
	env := newOrders(t)
	cust, wh, beer := env.customer(t, "Bar Rössli"), env.location(t, "WH"), env.saleItem(t, "LAGER")
	env.create(t, cust, wh, sales.LineInput{ItemID: beer, Quantity: 1})
	env.create(t, cust, wh, sales.LineInput{ItemID: beer, Quantity: 1})
	newYear := orders.NewService(postgres.NewOrderStore(env.pool), func() time.Time {
		return time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC) // 2027 already in Zurich
	}, zurich(t))
	o, err := newYear.Create(context.Background(), stockClerk, false, orders.Input{CustomerID: cust, LocationID: wh,
		Lines: []sales.LineInput{{ItemID: beer, Quantity: 1}}})
	if err != nil || o.Number != "LS-2027-0001" {
		t.Errorf("first order of 2027: %q, %v", o.Number, err)
	}
	if o := env.create(t, cust, wh, sales.LineInput{ItemID: beer, Quantity: 1}); o.Number != "LS-2026-0003" {
		t.Errorf("third order of 2026: %q", o.Number)
	}
}
