package postgres

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/ledger"
)

// The statements of a movement are queued on pgx batches with callbacks that
// fill the snapshot as the results arrive, in the order queued. The first
// callback that fails stops the others; BatchResults.Close returns its error.

// nextMovement is what the database assigns a movement, taken before it is
// written so that the audit record can go out with the row: the id and the
// transaction's time, which is the row's created_at.
type nextMovement struct {
	id int64
	at time.Time
	by booker // who books it (queueBooker)
}

// onExec makes qq report a failure as "what: err" and hand its command tag
// to check, when not nil.
func onExec(qq *pgx.QueuedQuery, what string, check func(pgconn.CommandTag) error) {
	qq.Fn = func(br pgx.BatchResults) error {
		tag, err := br.Exec()
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if check != nil {
			return check(tag)
		}
		return nil
	}
}

// queueReplay sets *found to the movement already booked under the
// request's key, if any; another request under the same key fails the
// batch. Two requests under one key that both find none meet at the
// movement's unique index (LedgerStore.CreateMovement).
func queueReplay(b *pgx.Batch, actor audit.Actor, req ledger.Request, found *int64) {
	queueKeyLookup(b, actor, req.Key, req.Fingerprint, "movement", found)
}

// queueKeyLookup sets *found to the id of the movement the person booked
// under key (of a receipt: its first line's), if any. One booked for
// another request (another fingerprint) fails the batch, telling the
// client to use a new key for a new what.
func queueKeyLookup(b *pgx.Batch, actor audit.Actor, key string, fingerprint []byte, what string, found *int64) {
	b.Queue("SELECT id, request_hash FROM movements WHERE coalesce(created_by, 0) = $1 AND request_key = $2",
		actor.UserID, key).QueryRow(func(row pgx.Row) error {
		var id int64
		var hash []byte
		err := row.Scan(&id, &hash)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("look up request key: %w", err)
		}
		if !bytes.Equal(hash, fingerprint) {
			return apperr.New(apperr.CodeIdempotency,
				fmt.Sprintf("This Idempotency-Key was already used for another request (movement %d); use a new key for a new %s.", id, what))
		}
		*found = id
		return nil
	})
}

// queueOriginal reads the movement a reversal undoes into *out, left nil
// when there is none. It is read without a lock: a movement never changes,
// only whether it was reversed, which queueSnapshot reads again under lock.
func queueOriginal(b *pgx.Batch, id int64, out **ledger.Movement) {
	b.Queue(movementSelect+" WHERE m.id = $1", id).Query(func(rows pgx.Rows) error {
		ms, err := pgx.CollectRows(rows, scanMovement)
		if err != nil {
			return fmt.Errorf("read movement: %w", err)
		}
		if len(ms) == 1 {
			*out = &ms[0]
		}
		return nil
	})
}

// queueSnapshot reads and locks what the movement will be decided on into
// snap, in the lock order, and allocates the movement's id and who books
// it into next. A movement at several locations creates their missing
// stock rows before it locks any; one at a single location whose row is
// missing creates it afterwards (missingStockRow). For a reversal, req
// names the original's item and locations.
func queueSnapshot(b *pgx.Batch, actor audit.Actor, req ledger.Request, snap *ledger.Snapshot, next *nextMovement) {
	lock := " FOR SHARE"
	if req.ChangesCost {
		lock = " FOR UPDATE"
	}
	b.Queue(itemStateSelect+lock, req.ItemID).QueryRow(func(row pgx.Row) error {
		it, err := scanItemState(row)
		snap.Item = it
		return err
	})
	if req.ReversesID != 0 {
		// Two reversals of one movement queue here; the second then sees
		// the first's reversal.
		onExec(b.Queue("SELECT 1 FROM movements WHERE id = $1 FOR UPDATE", req.ReversesID), "lock movement", nil)
		b.Queue(movementSelect+" WHERE m.id = $1", req.ReversesID).Query(func(rows pgx.Rows) error {
			o, err := pgx.CollectExactlyOneRow(rows, scanMovement)
			if err != nil {
				return mapError(err, movementNotFound)
			}
			snap.Original = &o
			return nil
		})
	}
	if req.ChangesCost {
		b.Queue("SELECT coalesce(sum(good + defective), 0)::bigint FROM stock WHERE item_id = $1", req.ItemID).
			QueryRow(func(row pgx.Row) error {
				var onHand int64
				if err := row.Scan(&onHand); err != nil {
					return fmt.Errorf("read stock on hand: %w", err)
				}
				if snap.Item != nil {
					snap.Item.OnHand = onHand
				}
				return nil
			})
	}
	locs := slices.Clone(req.LocationIDs)
	slices.Sort(locs)
	locs = slices.Compact(locs)
	snap.Locations = make(map[int64]ledger.LocationState, len(locs))
	queueLocationsAndNext(b, locs, snap.Locations, actor, next)
	queueParty(b, "suppliers", req.SupplierID, &snap.Supplier)
	queueParty(b, "customers", req.CustomerID, &snap.Customer)
	snap.Levels = map[int64]ledger.Level{}
	if len(locs) > 1 {
		queueStockRows(b, req.ItemID, locs)
	}
	queueLockStock(b, req.ItemID, locs, snap)
}

// missingStockRow returns the batch that creates and locks the stock row of
// a movement at a single location that has none yet; nil when there is
// nothing to create. Its own round trip, but only the first movement of an
// item at a location takes it, and a single row cannot be locked out of
// order.
func missingStockRow(snap *ledger.Snapshot) *pgx.Batch {
	if snap.Item == nil || len(snap.Locations) != 1 || len(snap.Levels) != 0 {
		return nil
	}
	locs := slices.Collect(maps.Keys(snap.Locations))
	b := &pgx.Batch{}
	queueStockRows(b, snap.Item.ID, locs)
	queueLockStock(b, snap.Item.ID, locs, snap)
	return b
}

// queueStockRows creates the missing stock rows of item at locs (sorted),
// for an item and locations that exist, which the snapshot has locked; in
// location order.
func queueStockRows(b *pgx.Batch, item int64, locs []int64) {
	onExec(b.Queue(`
		INSERT INTO stock (item_id, location_id)
		SELECT i.id, l.id FROM items i JOIN locations l ON l.id = ANY($2) WHERE i.id = $1
		 ORDER BY l.id
		ON CONFLICT DO NOTHING`, item, locs), "create stock rows", nil)
}

// queueLockStock locks and reads the stock rows of item at locs into
// snap.Levels, for the locations snap has read. The rows are locked as the
// sorted result is read, in location order; a row another movement
// changed meanwhile is read as committed.
func queueLockStock(b *pgx.Batch, item int64, locs []int64, snap *ledger.Snapshot) {
	b.Queue(`
		SELECT location_id, good, defective, reserved FROM stock
		 WHERE item_id = $1 AND location_id = ANY($2)
		 ORDER BY location_id FOR UPDATE`, item, locs).Query(func(rows pgx.Rows) error {
		var loc int64
		var lvl ledger.Level
		_, err := pgx.ForEachRow(rows, []any{&loc, &lvl.Good, &lvl.Defective, &lvl.Reserved}, func() error {
			if _, ok := snap.Locations[loc]; ok && snap.Item != nil {
				snap.Levels[loc] = lvl
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("lock stock: %w", err)
		}
		return nil
	})
}

// itemStateSelect reads what the ledger needs of item $1; the caller adds
// the lock.
const itemStateSelect = `
	SELECT id, sku, name, base_unit, package_unit, package_size, pallet_size, avg_unit_cost_micros, archived_at IS NOT NULL
	  FROM items WHERE id = $1`

// scanItemState scans itemStateSelect's row; nil when the item does not
// exist.
func scanItemState(row pgx.Row) (*ledger.ItemState, error) {
	var it ledger.ItemState
	err := row.Scan(&it.ID, &it.SKU, &it.Name, &it.BaseUnit, &it.PackageUnit, &it.PackageSize, &it.PalletSize,
		&it.AvgUnitCostMicros, &it.Archived)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("lock item: %w", err)
	}
	return &it, nil
}

// queueLocations reads and key-share-locks the locations ids (ascending)
// into out; the rows are locked as the sorted result is read, in id order.
// FOR KEY SHARE is the lock the movement's foreign keys take anyway, so
// the insert later adds none; it still holds off archiving, which locks
// the row FOR UPDATE first (table.setArchived). A stronger share lock cost
// every booking a second lock on the busiest rows of the database.
func queueLocations(b *pgx.Batch, ids []int64, out map[int64]ledger.LocationState) {
	queueLocationsWith(b, "", nil, nil, ids, out)
}

// queueLocationsAndNext is queueLocations for a movement that also takes
// its id and reads who books it into next: one statement instead of two.
// The sub-selects are not correlated, so they run once; and after the
// item's lock is held (the statement before), so the ids of the movements
// that change an item's average follow the order in which they lock it,
// the order in which their average costs chain.
func queueLocationsAndNext(b *pgx.Batch, ids []int64, out map[int64]ledger.LocationState, actor audit.Actor, next *nextMovement) {
	queueLocationsWith(b, ", (SELECT nextval(pg_get_serial_sequence('movements', 'id'))), now(), "+bookerColumns(2),
		[]any{actor.UserID, actor.TokenID}, []any{&next.id, &next.at, &next.by.name, &next.by.token}, ids, out)
}

// queueLocationsWith is queueLocations with the columns extra after each
// location's, which take their arguments args from $2 and are read into
// dests.
func queueLocationsWith(b *pgx.Batch, extra string, args, dests []any, ids []int64, out map[int64]ledger.LocationState) {
	b.Queue("SELECT id, code, archived_at IS NOT NULL"+extra+" FROM locations WHERE id = ANY($1) ORDER BY id FOR KEY SHARE",
		append([]any{ids}, args...)...).
		Query(func(rows pgx.Rows) error {
			var l ledger.LocationState
			_, err := pgx.ForEachRow(rows, append([]any{&l.ID, &l.Code, &l.Archived}, dests...), func() error {
				out[l.ID] = l
				return nil
			})
			if err != nil {
				return fmt.Errorf("lock location: %w", err)
			}
			return nil
		})
}

// queueParty reads a supplier or customer (table is a constant) into *out
// and holds off its archiving until the movement commits (FOR KEY SHARE,
// as for locations).
func queueParty(b *pgx.Batch, table string, id *int64, out **ledger.PartyState) {
	if id == nil {
		return
	}
	b.Queue("SELECT archived_at IS NOT NULL, name FROM "+table+" WHERE id = $1 FOR KEY SHARE", *id).QueryRow(func(row pgx.Row) error {
		p := ledger.PartyState{ID: *id}
		err := row.Scan(&p.Archived, &p.Name)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
		case err != nil:
			return fmt.Errorf("lock %s: %w", table, err)
		default:
			p.Exists = true
		}
		*out = &p
		return nil
	})
}

// storedMovement returns the booked movement m as reading it back after the
// write would (see movementSelect and scanMovement): the database assigns
// the id and the times, the names come from the rows the snapshot locked
// (a reversal's partner from its original) and from next's booker, and
// nothing has reversed the movement yet.
func storedMovement(m ledger.Movement, next nextMovement, actor audit.Actor, snap ledger.Snapshot) (ledger.Movement, error) {
	m.ID = next.id
	m.CreatedAt = next.at.UTC()
	if m.EffectiveAt.IsZero() {
		m.EffectiveAt = m.CreatedAt
	} else {
		// What timestamptz keeps of it.
		m.EffectiveAt = m.EffectiveAt.Truncate(time.Microsecond).UTC()
	}
	m.CreatedBy, m.TokenID = actor.UserID, actor.TokenID
	m.BookedByName, m.BookedWithToken = next.by.name, next.by.token
	m.SupplierName, m.CustomerName = partyName(m.SupplierID, snap.Supplier), partyName(m.CustomerID, snap.Customer)
	if o := snap.Original; o != nil && m.ReversesID != nil && o.ID == *m.ReversesID {
		m.SupplierName, m.CustomerName = o.SupplierName, o.CustomerName
	}
	if snap.Item == nil || snap.Item.ID != m.ItemID {
		return m, fmt.Errorf("booked movement: item %d was not read", m.ItemID)
	}
	m.ItemSKU, m.ItemName = snap.Item.SKU, snap.Item.Name
	m.ItemBaseUnit, m.ItemPackageUnit = snap.Item.BaseUnit, ""
	if snap.Item.PackageUnit != nil {
		m.ItemPackageUnit = *snap.Item.PackageUnit
	}
	loc, ok := snap.Locations[m.LocationID]
	if !ok {
		return m, fmt.Errorf("booked movement: location %d was not read", m.LocationID)
	}
	m.LocationCode = loc.Code
	m.ToLocationCode = nil
	if m.ToLocationID != nil {
		to, ok := snap.Locations[*m.ToLocationID]
		if !ok {
			return m, fmt.Errorf("booked movement: location %d was not read", *m.ToLocationID)
		}
		m.ToLocationCode = &to.Code
	}
	m.ReversedType, m.ReversedByID = nil, nil
	if m.ReversesID != nil {
		if snap.Original == nil || snap.Original.ID != *m.ReversesID {
			return m, fmt.Errorf("booked movement: movement %d was not read", *m.ReversesID)
		}
		t := snap.Original.Type
		m.ReversedType = &t
	}
	return m, nil
}

// partyName is the name of the partner id names, read as party; "" when
// the movement has none.
func partyName(id *int64, party *ledger.PartyState) string {
	if id == nil || party == nil || party.ID != *id {
		return ""
	}
	return party.Name
}

// queueBooking writes the movement m (as storedMovement made it), the
// levels that changed, in location order, the item's new average and the
// audit record.
func queueBooking(b *pgx.Batch, actor audit.Actor, req ledger.Request, m ledger.Movement, booking ledger.Booking, snap ledger.Snapshot) error {
	var key any
	if req.Key != "" {
		key = req.Key
	}
	if err := queueMovementWithAudit(b, actor, key, req.Fingerprint, m, !booking.Movement.EffectiveAt.IsZero()); err != nil {
		return err
	}

	locs := make([]int64, 0, len(booking.Levels))
	for loc := range booking.Levels {
		locs = append(locs, loc)
	}
	slices.Sort(locs)
	for _, loc := range locs {
		lvl := booking.Levels[loc]
		if lvl == snap.Levels[loc] {
			continue
		}
		onExec(b.Queue("UPDATE stock SET good = $3, defective = $4 WHERE item_id = $1 AND location_id = $2",
			m.ItemID, loc, lvl.Good, lvl.Defective), "update stock", func(tag pgconn.CommandTag) error {
			if tag.RowsAffected() != 1 {
				return fmt.Errorf("update stock: no row for item %d at location %d", m.ItemID, loc)
			}
			return nil
		})
	}
	if m.AvgCostAfter != snap.Item.AvgUnitCostMicros {
		// version is the ETag of what clients edit; the average is the
		// ledger's, so it changes without bumping it.
		onExec(b.Queue("UPDATE items SET avg_unit_cost_micros = $2 WHERE id = $1", m.ItemID, m.AvgCostAfter),
			"update average cost", nil)
	}
	return nil
}

// queueMovementInsert writes the movement m (as storedMovement made it)
// under the request key key (nil for none). Without an effective time
// asked for, the row takes the transaction's time, the same as created_at.
func queueMovementInsert(b *pgx.Batch, actor audit.Actor, key any, fingerprint []byte, m ledger.Movement, effectiveAsked bool) {
	onExec(b.Queue(insertMovementSQL, movementArgs(actor, key, fingerprint, m, effectiveAsked)...), "insert movement", nil)
}

// queueMovementWithAudit writes the movement m and its audit record in one
// statement: a single movement's booking is made of few statements, and
// each costs the database about as much as a small row.
func queueMovementWithAudit(b *pgx.Batch, actor audit.Actor, key any, fingerprint []byte, m ledger.Movement, effectiveAsked bool) error {
	rec, err := movementAuditRecord(m)
	if err != nil {
		return err
	}
	args := append(movementArgs(actor, key, fingerprint, m, effectiveAsked), auditArgs(actor, rec)...)
	onExec(b.Queue("WITH m AS ("+insertMovementSQL+" RETURNING id) "+auditInsertSQL(24)+" FROM m", args...),
		"insert movement and its audit record", nil)
	return nil
}

// insertMovementSQL writes a movement; movementArgs are its arguments. The
// id was taken from the identity's sequence with the snapshot. Without an
// effective time asked for, the row takes the transaction's time, the same
// as created_at.
const insertMovementSQL = `
	INSERT INTO movements (id, type, item_id, location_id, to_location_id, quantity_base, counted,
	                       entered_quantity, entered_unit, unit_factor, unit_cost_micros, supplier_id, customer_id,
	                       reason, note, reverses_id, effective_at, created_by, token_id, request_key, request_hash,
	                       avg_cost_before, avg_cost_after)
	OVERRIDING SYSTEM VALUE
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
	        coalesce($17::timestamptz, now()), NULLIF($18::bigint, 0), NULLIF($19::bigint, 0), $20, $21, $22, $23)`

func movementArgs(actor audit.Actor, key any, fingerprint []byte, m ledger.Movement, effectiveAsked bool) []any {
	var effective any
	if effectiveAsked {
		effective = m.EffectiveAt
	}
	return []any{m.ID, m.Type, m.ItemID, m.LocationID, m.ToLocationID, m.QuantityBase, m.Counted,
		m.EnteredQuantity, m.EnteredUnit, m.UnitFactor, m.UnitCostMicros, m.SupplierID, m.CustomerID,
		m.Reason, m.Note, m.ReversesID, effective, actor.UserID, actor.TokenID, key, fingerprint,
		m.AvgCostBefore, m.AvgCostAfter}
}

// queueMovementAudit appends the "movement" "create" audit record of m.
func queueMovementAudit(b *pgx.Batch, actor audit.Actor, m ledger.Movement) error {
	rec, err := movementAuditRecord(m)
	if err != nil {
		return err
	}
	onExec(b.Queue(insertAuditSQL, auditArgs(actor, rec)...), "append audit record", nil)
	return nil
}

func movementAuditRecord(m ledger.Movement) (audit.Record, error) {
	changes, err := m.AuditChanges()
	if err != nil {
		return audit.Record{}, err
	}
	return audit.Record{Entity: "movement", EntityID: strconv.FormatInt(m.ID, 10), Action: audit.ActionCreate, Changes: changes}, nil
}
