package postgres

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/ledger"
	"github.com/depotix/depotix/services/api/internal/money"
	"github.com/depotix/depotix/services/api/internal/orders"
	"github.com/depotix/depotix/services/api/internal/page"
	"github.com/depotix/depotix/services/api/internal/sales"
)

// OrderStore keeps orders; it implements orders.Store.
//
// An action locks, in this order: the order (for update), the items of
// its lines and empties by id (for share), its location, the empties
// location and its customer (key share), then the stock rows in (item,
// location) order — after the order, the ledger's order, so an action and
// movements or receipts of the same items wait for each other but never
// deadlock. One transaction locks one order.
type OrderStore struct {
	pool  *pgxpool.Pool
	items table[catalogue.Item]
}

var _ orders.Store = (*OrderStore)(nil)

// NewOrderStore returns a store working on pool.
func NewOrderStore(pool *pgxpool.Pool) *OrderStore {
	return &OrderStore{pool: pool,
		items: newTable("items", "item", itemColumns, func(i *catalogue.Item) meta { return meta{i.ID, i.Version, i.ArchivedAt} })}
}

const orderNotFound = "Order not found."

// emptiesCode is the code of the empties location the first delivery with
// empties flags (or creates) when no location carries the flag.
const emptiesCode = "LEERGUT"

const orderSelect = `
	SELECT o.id, o.number, o.customer_id, c.number, c.name, o.location_id, l.code, o.status, o.currency,
	       o.ship_name, o.ship_street, o.ship_house_number, o.ship_postal_code, o.ship_town, o.ship_country,
	       o.delivery_date, o.notes, o.created_by, o.confirmed_at, o.delivered_at, o.cancelled_at,
	       o.version, o.created_at, o.updated_at
	  FROM orders o JOIN customers c ON c.id = o.customer_id JOIN locations l ON l.id = o.location_id`

func scanOrder(row pgx.CollectableRow) (orders.Order, error) {
	var o orders.Order
	s := &o.ShipTo
	err := row.Scan(&o.ID, &o.Number, &o.CustomerID, &o.CustomerNumber, &o.CustomerName, &o.LocationID, &o.LocationCode,
		&o.Status, &o.Currency, &s.Name, &s.Street, &s.HouseNumber, &s.PostalCode, &s.Town, &s.Country,
		&o.DeliveryDate, &o.Notes, &o.CreatedBy, &o.ConfirmedAt, &o.DeliveredAt, &o.CancelledAt,
		&o.Version, &o.CreatedAt, &o.UpdatedAt)
	if o.DeliveryDate != nil {
		d := o.DeliveryDate.UTC()
		o.DeliveryDate = &d
	}
	for _, t := range []**time.Time{&o.ConfirmedAt, &o.DeliveredAt, &o.CancelledAt} {
		if *t != nil {
			u := (*t).UTC()
			*t = &u
		}
	}
	o.CreatedAt, o.UpdatedAt = o.CreatedAt.UTC(), o.UpdatedAt.UTC()
	return o, err
}

// order reads one order with its lines and empties; lock is "" or a
// locking clause for the order's row.
func (s *OrderStore) order(ctx context.Context, q querier, id int64, lock string) (orders.Order, error) {
	rows, _ := q.Query(ctx, orderSelect+" WHERE o.id = $1"+lock, id)
	o, err := pgx.CollectExactlyOneRow(rows, scanOrder)
	if err != nil {
		return o, mapError(err, orderNotFound)
	}
	rows, _ = q.Query(ctx, `
		SELECT ol.item_id, ol.unit, ol.quantity, ol.factor, ol.quantity_base, ol.unit_price, ol.price_overridden,
		       ol.vat_rate_bp, ol.deposit, ol.delivered_quantity, ol.movement_id,
		       i.sku, i.name, i.base_unit, coalesce(i.package_unit, '')
		  FROM order_lines ol JOIN items i ON i.id = ol.item_id
		 WHERE ol.order_id = $1 ORDER BY ol.position`, id)
	o.Lines, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (orders.Line, error) {
		var l orders.Line
		err := row.Scan(&l.ItemID, &l.Unit, &l.Quantity, &l.Factor, &l.QuantityBase, &l.UnitPrice, &l.PriceOverridden,
			&l.VATRateBP, &l.Deposit, &l.Delivered, &l.MovementID, &l.ItemSKU, &l.ItemName, &l.BaseUnit, &l.PackageUnit)
		return l, err
	})
	if err != nil {
		return o, fmt.Errorf("read order lines: %w", err)
	}
	rows, _ = q.Query(ctx, `
		SELECT e.item_id, e.unit, e.quantity, e.factor, e.quantity_base, e.deposit, e.vat_rate_bp, e.movement_id, i.sku, i.name
		  FROM order_empties e JOIN items i ON i.id = e.item_id
		 WHERE e.order_id = $1 ORDER BY e.position`, id)
	o.Empties, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (orders.Empties, error) {
		var e orders.Empties
		err := row.Scan(&e.ItemID, &e.Unit, &e.Quantity, &e.Factor, &e.QuantityBase, &e.Deposit, &e.VATRateBP,
			&e.MovementID, &e.ItemSKU, &e.ItemName)
		return e, err
	})
	if err != nil {
		return o, fmt.Errorf("read order empties: %w", err)
	}
	return o, nil
}

func (s *OrderStore) Get(ctx context.Context, id int64) (orders.Order, error) {
	var o orders.Order
	// One snapshot: the order and its lines belong together.
	err := inSnapshot(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		o, err = s.order(ctx, tx, id, "")
		return err
	})
	return o, mapError(err, orderNotFound)
}

// lockOrder reads and locks order id for an update, checking the version
// the client last saw (0: no check).
func (s *OrderStore) lockOrder(ctx context.Context, tx pgx.Tx, id int64, version int) (orders.Order, error) {
	o, err := s.order(ctx, tx, id, " FOR UPDATE OF o")
	if err != nil {
		return o, err
	}
	if version != 0 && version != o.Version {
		return o, apperr.New(apperr.CodePrecondition,
			fmt.Sprintf("Order %s was changed by someone else (version %d, you had %d); reload it and try again.", o.Number, o.Version, version))
	}
	return o, nil
}

// saleItems reads (and locks: lock is a locking clause) the items ids in
// ascending id order.
func (s *OrderStore) saleItems(ctx context.Context, tx pgx.Tx, ids []int64, lock string) (map[int64]catalogue.Item, error) {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	rows, _ := tx.Query(ctx, "SELECT "+s.items.columns+" FROM items WHERE id = ANY($1) ORDER BY id"+lock, ids)
	list, err := pgx.CollectRows(rows, s.items.scan)
	if err != nil {
		return nil, fmt.Errorf("read items: %w", err)
	}
	out := make(map[int64]catalogue.Item, len(list))
	for _, it := range list {
		out[it.ID] = it
	}
	return out, nil
}

func (s *OrderStore) SaveDraft(ctx context.Context, actor audit.Actor, id int64, version int, in orders.Input, decide func(orders.Snapshot) (orders.Draft, error)) (orders.Order, error) {
	var out orders.Order
	err := orderTx(ctx, s.pool, &out, func(tx pgx.Tx) error {
		var snap orders.Snapshot
		if id != 0 {
			cur, err := s.lockOrder(ctx, tx, id, version)
			if err != nil {
				return err
			}
			snap.Order = &cur
		}
		var err error
		if snap.Customer, err = customerState(ctx, tx, in.CustomerID); err != nil {
			return err
		}
		if snap.Location, err = locationState(ctx, tx, in.LocationID); err != nil {
			return err
		}
		ids := make([]int64, 0, len(in.Lines))
		for _, l := range in.Lines {
			ids = append(ids, l.ItemID)
		}
		items, err := s.saleItems(ctx, tx, ids, " FOR KEY SHARE")
		if err != nil {
			return err
		}
		snap.Items = make(map[int64]sales.Item, len(items))
		for id, it := range items {
			snap.Items[id] = sales.ItemOf(it)
		}
		d, err := decide(snap)
		if err != nil {
			return err
		}
		action := audit.ActionUpdate
		if id == 0 {
			action = audit.ActionCreate
			if id, err = insertOrder(ctx, tx, actor, d); err != nil {
				return err
			}
		} else if err := updateDraft(ctx, tx, id, d); err != nil {
			return err
		}
		if err := writeLines(ctx, tx, id, d.Lines); err != nil {
			return err
		}
		if out, err = s.order(ctx, tx, id, ""); err != nil {
			return err
		}
		return auditDiff(ctx, tx, actor, "order", id, action, snap.Order, &out)
	})
	return out, mapError(err, orderNotFound)
}

// insertOrder writes a new order under the next number of its year. The
// year's counter row stays locked until commit, so concurrent creates
// number one after the other and a rolled-back create leaves no gap.
func insertOrder(ctx context.Context, tx pgx.Tx, actor audit.Actor, d orders.Draft) (int64, error) {
	var seq int64
	if err := tx.QueryRow(ctx, `
		INSERT INTO order_numbers AS n (year, last) VALUES ($1, 1)
		ON CONFLICT (year) DO UPDATE SET last = n.last + 1
		RETURNING last`, d.Year).Scan(&seq); err != nil {
		return 0, fmt.Errorf("next order number: %w", err)
	}
	if seq > sales.MaxSequence {
		return 0, apperr.New(apperr.CodeConflict, fmt.Sprintf("The order numbers of %d are used up.", d.Year))
	}
	a := d.ShipTo
	var id int64
	err := tx.QueryRow(ctx, `
		INSERT INTO orders (number, customer_id, location_id, currency, ship_name, ship_street, ship_house_number,
		                    ship_postal_code, ship_town, ship_country, delivery_date, notes, created_by)
		SELECT $1, $2, $3, c.currency, $4, $5, $6, $7, $8, $9, $10, $11, NULLIF($12::bigint, 0)
		  FROM customers c WHERE c.id = $2
		RETURNING id`,
		sales.FormatOrderNumber(d.Year, seq), d.CustomerID, d.LocationID, a.Name, a.Street, a.HouseNumber,
		a.PostalCode, a.Town, a.Country, d.DeliveryDate, d.Notes, actor.UserID).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("insert order: %w", err)
	}
	return id, nil
}

func updateDraft(ctx context.Context, tx pgx.Tx, id int64, d orders.Draft) error {
	a := d.ShipTo
	_, err := tx.Exec(ctx, `
		UPDATE orders o SET customer_id = $2, location_id = $3, currency = c.currency, ship_name = $4, ship_street = $5,
		       ship_house_number = $6, ship_postal_code = $7, ship_town = $8, ship_country = $9, delivery_date = $10,
		       notes = $11, version = o.version + 1
		  FROM customers c WHERE c.id = $2 AND o.id = $1`,
		id, d.CustomerID, d.LocationID, a.Name, a.Street, a.HouseNumber, a.PostalCode, a.Town, a.Country, d.DeliveryDate, d.Notes)
	if err != nil {
		return fmt.Errorf("update order: %w", err)
	}
	if _, err := tx.Exec(ctx, "DELETE FROM order_lines WHERE order_id = $1", id); err != nil {
		return fmt.Errorf("replace order lines: %w", err)
	}
	return nil
}

func writeLines(ctx context.Context, tx pgx.Tx, id int64, lines []sales.Line) error {
	rows := make([][]any, len(lines))
	for i, l := range lines {
		rows[i] = []any{id, i, l.ItemID, string(l.Unit), l.Quantity, l.Factor, l.QuantityBase, int64(l.UnitPrice),
			l.PriceOverridden, l.VATRateBP, int64(l.Deposit)}
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"order_lines"}, []string{"order_id", "position", "item_id", "unit", "quantity",
		"factor", "quantity_base", "unit_price", "price_overridden", "vat_rate_bp", "deposit"}, pgx.CopyFromRows(rows))
	if err != nil {
		return fmt.Errorf("write order lines: %w", err)
	}
	return nil
}

// customerState reads (key share) what an order needs of customer id;
// nil when there is none.
func customerState(ctx context.Context, tx pgx.Tx, id int64) (*orders.CustomerState, error) {
	var c orders.CustomerState
	b := &c.Billing
	var d catalogue.Address
	var hasDelivery bool
	err := tx.QueryRow(ctx, `
		SELECT id, number, name, archived_at IS NOT NULL, currency,
		       billing_street, billing_house_number, billing_postal_code, billing_town, billing_country,
		       delivery_town IS NOT NULL, coalesce(delivery_street, ''), coalesce(delivery_house_number, ''),
		       coalesce(delivery_postal_code, ''), coalesce(delivery_town, ''), coalesce(delivery_country, '')
		  FROM customers WHERE id = $1 FOR KEY SHARE`, id).Scan(&c.ID, &c.Number, &c.Name, &c.Archived, &c.Currency,
		&b.Street, &b.HouseNumber, &b.PostalCode, &b.Town, &b.Country,
		&hasDelivery, &d.Street, &d.HouseNumber, &d.PostalCode, &d.Town, &d.Country)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read customer: %w", err)
	}
	if hasDelivery {
		c.Delivery = &d
	}
	return &c, nil
}

// locationState reads (key share) location id; nil when there is none.
func locationState(ctx context.Context, tx pgx.Tx, id int64) (*orders.LocationState, error) {
	var l orders.LocationState
	err := tx.QueryRow(ctx, "SELECT id, code, archived_at IS NOT NULL, empties FROM locations WHERE id = $1 FOR KEY SHARE", id).
		Scan(&l.ID, &l.Code, &l.Archived, &l.Empties)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read location: %w", err)
	}
	return &l, nil
}

// emptiesLocation returns the empties location, key-share locked. When no
// location carries the flag it flags the one coded LEERGUT, creating it
// (audited) when missing; two deliveries doing so at once meet at the
// unique indexes, and the second finds the first's.
func emptiesLocation(ctx context.Context, tx pgx.Tx, actor audit.Actor) (*orders.LocationState, error) {
	find := func() (*orders.LocationState, error) {
		var l orders.LocationState
		err := tx.QueryRow(ctx, "SELECT id, code, archived_at IS NOT NULL, empties FROM locations WHERE empties FOR KEY SHARE").
			Scan(&l.ID, &l.Code, &l.Archived, &l.Empties)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, nil
		}
		return &l, err
	}
	l, err := find()
	if l != nil || err != nil {
		return l, err
	}
	var created int64
	err = tx.QueryRow(ctx, `
		INSERT INTO locations (code, name, kind, empties) VALUES ($1, 'Leergut / Empties', 'warehouse', true)
		ON CONFLICT DO NOTHING RETURNING id`, emptiesCode).Scan(&created)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		if _, err := tx.Exec(ctx, `
			UPDATE locations SET empties = true, version = version + 1
			 WHERE lower(code) = lower($1) AND NOT EXISTS (SELECT 1 FROM locations WHERE empties)`, emptiesCode); err != nil {
			return nil, fmt.Errorf("flag the empties location: %w", err)
		}
	case err != nil:
		return nil, fmt.Errorf("create the empties location: %w", err)
	default:
		if err := appendAudit(ctx, tx, actor, audit.Record{Entity: "location", EntityID: strconv.FormatInt(created, 10),
			Action: audit.ActionCreate, Changes: map[string]audit.Change{"code": {To: emptiesCode}, "empties": {To: true}}}); err != nil {
			return nil, err
		}
	}
	return find()
}

func (s *OrderStore) Act(ctx context.Context, actor audit.Actor, id int64, version int, action sales.Action, emptiesItems []int64, decide func(orders.ActionSnapshot) (orders.Plan, error)) (orders.Order, error) {
	var out orders.Order
	err := orderTx(ctx, s.pool, &out, func(tx pgx.Tx) error {
		o, err := s.lockOrder(ctx, tx, id, version)
		if err != nil {
			return err
		}
		snap := orders.ActionSnapshot{Order: o, Items: map[int64]sales.Item{}, Ledger: map[int64]ledger.ItemState{},
			Levels: map[orders.Place]ledger.Level{}}
		// Only actions that change stock lock it: a DRAFT's cancel reads
		// nothing more.
		if action == sales.Cancel && o.Status != sales.Confirmed || (action == sales.Confirm || action == sales.Deliver) && !statusFits(o.Status, action) {
			return s.finish(ctx, tx, actor, action, o, decide, snap, &out)
		}
		ids := make([]int64, 0, len(o.Lines)+len(emptiesItems))
		for _, l := range o.Lines {
			ids = append(ids, l.ItemID)
		}
		ids = append(ids, emptiesItems...)
		items, err := s.saleItems(ctx, tx, ids, " FOR SHARE")
		if err != nil {
			return err
		}
		for id, it := range items {
			snap.Items[id] = sales.ItemOf(it)
			pkg := it.PackageSize
			snap.Ledger[id] = ledger.ItemState{ID: it.ID, SKU: it.SKU, Name: it.Name, AvgUnitCostMicros: it.AvgUnitCostMicros,
				Archived:  it.ArchivedAt != nil,
				ItemUnits: ledger.ItemUnits{BaseUnit: it.BaseUnit, PackageUnit: it.PackageUnit, PackageSize: pkg, PalletSize: it.PalletSize}}
		}
		if _, err := tx.Exec(ctx, "SELECT 1 FROM locations WHERE id = $1 FOR KEY SHARE", o.LocationID); err != nil {
			return fmt.Errorf("lock location: %w", err)
		}
		places := make([]orders.Place, 0, len(ids))
		for _, l := range o.Lines {
			places = append(places, orders.Place{ItemID: l.ItemID, LocationID: o.LocationID})
		}
		if len(emptiesItems) > 0 {
			if snap.Empties, err = emptiesLocation(ctx, tx, actor); err != nil {
				return err
			}
			for _, id := range emptiesItems {
				if _, ok := items[id]; ok {
					places = append(places, orders.Place{ItemID: id, LocationID: snap.Empties.ID})
				}
			}
		}
		if _, err := tx.Exec(ctx, "SELECT 1 FROM customers WHERE id = $1 FOR KEY SHARE", o.CustomerID); err != nil {
			return fmt.Errorf("lock customer: %w", err)
		}
		if err := lockPlaces(ctx, tx, places, snap.Levels); err != nil {
			return err
		}
		return s.finish(ctx, tx, actor, action, o, decide, snap, &out)
	})
	return out, mapError(err, orderNotFound)
}

// statusFits reports whether action may start from status (sales.Next).
func statusFits(status sales.Status, action sales.Action) bool {
	_, err := sales.Next(status, action, "")
	return err == nil
}

// lockPlaces creates the missing stock rows of places and locks them all
// in (item, location) order, reading their levels into levels.
func lockPlaces(ctx context.Context, tx pgx.Tx, places []orders.Place, levels map[orders.Place]ledger.Level) error {
	slices.SortFunc(places, func(a, b orders.Place) int {
		if a.ItemID != b.ItemID {
			return int(a.ItemID - b.ItemID)
		}
		return int(a.LocationID - b.LocationID)
	})
	places = slices.Compact(places)
	if len(places) == 0 {
		return nil
	}
	itemIDs, locIDs := make([]int64, len(places)), make([]int64, len(places))
	for i, p := range places {
		itemIDs[i], locIDs[i] = p.ItemID, p.LocationID
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO stock (item_id, location_id)
		SELECT item_id, location_id FROM unnest($1::bigint[], $2::bigint[]) AS p(item_id, location_id)
		 ORDER BY item_id, location_id
		ON CONFLICT DO NOTHING`, itemIDs, locIDs); err != nil {
		return fmt.Errorf("create stock rows: %w", err)
	}
	rows, _ := tx.Query(ctx, `
		SELECT s.item_id, s.location_id, s.good, s.defective, s.reserved
		  FROM stock s JOIN unnest($1::bigint[], $2::bigint[]) AS p(item_id, location_id)
		    ON s.item_id = p.item_id AND s.location_id = p.location_id
		 ORDER BY s.item_id, s.location_id FOR UPDATE OF s`, itemIDs, locIDs)
	var p orders.Place
	var lvl ledger.Level
	if _, err := pgx.ForEachRow(rows, []any{&p.ItemID, &p.LocationID, &lvl.Good, &lvl.Defective, &lvl.Reserved}, func() error {
		levels[p] = lvl
		return nil
	}); err != nil {
		return fmt.Errorf("lock stock: %w", err)
	}
	return nil
}

// finish decides the action and writes its plan.
func (s *OrderStore) finish(ctx context.Context, tx pgx.Tx, actor audit.Actor, action sales.Action, o orders.Order,
	decide func(orders.ActionSnapshot) (orders.Plan, error), snap orders.ActionSnapshot, out *orders.Order) error {
	plan, err := decide(snap)
	if err != nil {
		return err
	}
	places := slices.SortedFunc(maps.Keys(mergeKeys(plan.Good, plan.Reserved)), func(a, b orders.Place) int {
		if a.ItemID != b.ItemID {
			return int(a.ItemID - b.ItemID)
		}
		return int(a.LocationID - b.LocationID)
	})
	for _, p := range places {
		if plan.Good[p] == 0 && plan.Reserved[p] == 0 {
			continue
		}
		tag, err := tx.Exec(ctx, "UPDATE stock SET good = good + $3, reserved = reserved + $4 WHERE item_id = $1 AND location_id = $2",
			p.ItemID, p.LocationID, plan.Good[p], plan.Reserved[p])
		if err != nil {
			return fmt.Errorf("update stock: %w", err)
		}
		if tag.RowsAffected() != 1 {
			return fmt.Errorf("update stock: no row for item %d at location %d", p.ItemID, p.LocationID)
		}
	}
	if action == sales.Deliver {
		if err := s.writeDelivery(ctx, tx, actor, o, plan); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, `
		UPDATE orders SET status = $2, version = version + 1,
		       confirmed_at = CASE WHEN $2 = 'CONFIRMED' THEN now() ELSE confirmed_at END,
		       confirmed_by = CASE WHEN $2 = 'CONFIRMED' THEN NULLIF($3::bigint, 0) ELSE confirmed_by END,
		       delivered_at = CASE WHEN $2 = 'DELIVERED' THEN now() ELSE delivered_at END,
		       delivered_by = CASE WHEN $2 = 'DELIVERED' THEN NULLIF($3::bigint, 0) ELSE delivered_by END,
		       cancelled_at = CASE WHEN $2 = 'CANCELLED' THEN now() ELSE cancelled_at END,
		       cancelled_by = CASE WHEN $2 = 'CANCELLED' THEN NULLIF($3::bigint, 0) ELSE cancelled_by END
		 WHERE id = $1`, o.ID, string(plan.Status), actor.UserID); err != nil {
		return fmt.Errorf("update order status: %w", err)
	}
	after, err := s.order(ctx, tx, o.ID, "")
	if err != nil {
		return err
	}
	*out = after
	return auditDiff(ctx, tx, actor, "order", o.ID, string(action), &o, &after)
}

func mergeKeys(a, b map[orders.Place]int64) map[orders.Place]int64 {
	out := maps.Clone(a)
	if out == nil {
		out = map[orders.Place]int64{}
	}
	for k := range b {
		out[k] += 0
	}
	return out
}

// writeDelivery books a delivery's movements (issues in line order, then
// the empties' returns) with their audit records, and writes what was
// delivered, the empties and the deposit account's entry.
func (s *OrderStore) writeDelivery(ctx context.Context, tx pgx.Tx, actor audit.Actor, o orders.Order, plan orders.Plan) error {
	n := len(plan.Issues) + len(plan.Returns)
	rows, _ := tx.Query(ctx, "SELECT nextval(pg_get_serial_sequence('movements', 'id')) FROM generate_series(1, $1)", n)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("allocate movement ids: %w", err)
	}
	b := &pgx.Batch{}
	for i, m := range append(slices.Clone(plan.Issues), plan.Returns...) {
		m.ID = ids[i]
		if err := queueMovementWithAudit(b, actor, nil, nil, m, false); err != nil {
			return err
		}
	}
	next := 0
	for i, q := range plan.Delivered {
		var movement *int64
		if q > 0 {
			movement = &ids[next]
			next++
		}
		onExec(b.Queue("UPDATE order_lines SET delivered_quantity = $3, movement_id = $4 WHERE order_id = $1 AND position = $2",
			o.ID, i, q, movement), "record delivered quantity", nil)
	}
	for i, e := range plan.Empties {
		onExec(b.Queue(`
			INSERT INTO order_empties (order_id, position, item_id, unit, quantity, factor, quantity_base, deposit, vat_rate_bp, movement_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			o.ID, i, e.ItemID, string(e.Unit), e.Quantity, e.Factor, e.QuantityBase, int64(e.Deposit), e.VATRateBP, ids[len(plan.Issues)+i]),
			"record empties", nil)
	}
	if plan.Charged != 0 || plan.Credited != 0 {
		onExec(b.Queue(`
			INSERT INTO deposit_entries (customer_id, currency, source, order_id, charged, credited)
			VALUES ($1, $2, 'delivery', $3, $4, $5)`, o.CustomerID, o.Currency, o.ID, int64(plan.Charged), int64(plan.Credited)),
			"record deposits", nil)
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return err
	}
	return nil
}

func (s *OrderStore) List(ctx context.Context, f orders.Filter, p page.Request) (page.Page[orders.Order], error) {
	var out page.Page[orders.Order]
	var q ledgerQuery
	if len(f.Statuses) > 0 {
		st := make([]string, len(f.Statuses))
		for i, s := range f.Statuses {
			st[i] = string(s)
		}
		q.filter("o.status = ANY(" + q.arg(st) + "::text[])")
	}
	if f.CustomerID != nil {
		q.filter("o.customer_id = " + q.arg(*f.CustomerID))
	}
	if text := strings.TrimSpace(f.Q); text != "" {
		like := q.arg("%" + escapeLike(strings.ToLower(text)) + "%")
		cond := "(lower(o.number) LIKE " + like + " OR lower(c.name) LIKE " + like
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			cond += " OR c.number = " + q.arg(n)
		}
		q.filter(cond + ")")
	}
	countSQL := "SELECT count(*) FROM (SELECT 1 FROM orders o JOIN customers c ON c.id = o.customer_id" + q.whereSQL() +
		" LIMIT " + strconv.Itoa(page.CountLimit+1) + ") x"
	if err := s.pool.QueryRow(ctx, countSQL, q.args...).Scan(&out.Total); err != nil {
		return out, fmt.Errorf("count orders: %w", err)
	}
	if len(p.After) > 0 {
		after, err := strconv.ParseInt(p.After[0], 10, 64)
		if len(p.After) != 1 || err != nil {
			return out, page.InvalidCursor()
		}
		q.filter("o.id < " + q.arg(after))
	}
	limit := ledgerPageLimit(p)
	// Each order's sums of its lines, as orders.complete makes them of
	// read lines: delivered quantities once delivered.
	sums := `, (SELECT coalesce(sum(ol.unit_price * coalesce(ol.delivered_quantity, ol.quantity)), 0)::bigint
	              FROM order_lines ol WHERE ol.order_id = o.id),
	           (SELECT coalesce(sum(ol.deposit * coalesce(ol.delivered_quantity, ol.quantity)), 0)::bigint
	              FROM order_lines ol WHERE ol.order_id = o.id)`
	sql := strings.Replace(orderSelect, "o.updated_at\n", "o.updated_at"+sums+"\n", 1)
	rows, _ := s.pool.Query(ctx, sql+q.whereSQL()+" ORDER BY o.id DESC LIMIT "+q.arg(limit+1), q.args...)
	got, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (orders.Order, error) {
		var net, deposits int64
		o, err := scanOrder(extraDests{row, []any{&net, &deposits}})
		o.Net, o.Deposits = money.Amount(net), money.Amount(deposits)
		return o, err
	})
	if err != nil {
		return out, fmt.Errorf("list orders: %w", err)
	}
	if len(got) > limit {
		got = got[:limit]
		out.NextCursor = page.Cursor(orders.ListSort, strconv.FormatInt(got[limit-1].ID, 10))
	}
	out.Items = got
	return out, nil
}

func (s *OrderStore) Balances(ctx context.Context, customerID int64) ([]orders.Balance, error) {
	rows, _ := s.pool.Query(ctx, `
		SELECT currency, sum(charged)::bigint, sum(credited)::bigint FROM deposit_entries
		 WHERE customer_id = $1 GROUP BY currency ORDER BY currency`, customerID)
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (orders.Balance, error) {
		var b orders.Balance
		err := row.Scan(&b.Currency, &b.Charged, &b.Credited)
		b.Balance = b.Charged - b.Credited
		return b, err
	})
	if err != nil {
		return nil, fmt.Errorf("read deposit balance: %w", err)
	}
	return out, nil
}

// extraDests is a row whose Scan fills more columns after the ones its
// caller names: a list's sums after the order's own columns.
type extraDests struct {
	pgx.CollectableRow
	extra []any
}

func (r extraDests) Scan(dest ...any) error {
	return r.CollectableRow.Scan(append(dest, r.extra...)...)
}
