// Package ledger keeps the stock ledger: stock changes only through
// movements (receipts, issues, returns, defects, write-offs, stock-takes,
// transfers), a movement is never edited or deleted, and a mistake is undone
// by a reversal that points at the movement it cancels.
//
// The Service validates input and decides every movement: whether the item,
// locations and partner may be used, how the quantity converts to base
// units, whether stock suffices, what the stock-take's difference is and how
// the item's moving-average cost changes. It decides on a Snapshot that the
// Store reads and locks inside the movement's transaction, and the Store
// writes the decision (movement, new levels, new average, audit record) in
// that same transaction, so that nothing can change between the check and
// the write. The package knows neither HTTP nor SQL.
package ledger

import (
	"context"
	"time"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/page"
)

// Sort orders of the lists, for page.NewRequest.
const (
	JournalSort = "-effective_at,-id" // newest effective time first, then newest booking
	StockSort   = "name"              // by item name
)

// JournalCountLimit caps the Total of a journal page: the journal grows
// without end and counting all of it on every page would read all of it. A
// Total of JournalCountLimit+1 means "more than JournalCountLimit".
const JournalCountLimit = page.CountLimit

// Store keeps the ledger.
type Store interface {
	// CreateMovement books one movement in one transaction:
	//
	//  1. When req.Key is set, requests with the same key and actor are
	//     serialised; if a movement was already booked under the key, it is
	//     returned when req.Fingerprint matches and apperr.CodeIdempotency
	//     is returned when not. Nothing is written either way.
	//  2. For a reversal (req.ReversesID), the original is read (not found:
	//     apperr.CodeNotFound) and its item and locations replace req's.
	//  3. The item is locked (for update when req.ChangesCost or the
	//     original's ChangesAverage, so that no other movement of the item
	//     runs while its average changes; shared otherwise), then the
	//     original (reversals), the locations in ascending id order and the
	//     partner (shared), then the item's stock rows at the locations that
	//     exist, created empty when missing, in ascending location order.
	//  4. decide is called with what was read; its error is returned as is.
	//  5. The movement, the new levels and the new average are written and a
	//     "movement" "create" audit record is appended.
	CreateMovement(ctx context.Context, actor audit.Actor, req Request, decide func(Snapshot) (Booking, error)) (Movement, error)
	// Movement returns one movement; apperr.CodeNotFound when absent.
	Movement(ctx context.Context, id int64) (Movement, error)
	// ListMovements pages through the journal, newest (highest id) first,
	// with a Total counted up to JournalCountLimit+1.
	ListMovements(ctx context.Context, f Filter, p page.Request) (page.Page[Movement], error)
	// StockByItem returns an item's stock per location; apperr.CodeNotFound
	// when the item does not exist. Derived figures are left to the Service.
	StockByItem(ctx context.Context, itemID int64) (ItemStock, error)
	// ListStock pages through items with their stock, by item name.
	// Derived figures are left to the Service, except that the LowStock
	// filter is applied by the store.
	ListStock(ctx context.Context, f StockFilter, p page.Request) (page.Page[StockSummary], error)
	// StockValue returns an item's quantity on hand and average cost;
	// apperr.CodeNotFound when the item does not exist.
	StockValue(ctx context.Context, itemID int64) (Value, error)
	// ItemTotals returns the stock totals of the items among ids that exist.
	ItemTotals(ctx context.Context, ids []int64) (map[int64]Totals, error)
	// CreateReceipt books a receipt's lines in one transaction:
	//
	//  1. When req.Key is set, requests with the same key and actor are
	//     serialised (with single movements under the key too); if the
	//     receipt's first line was booked under the key (see LineKey), its
	//     movements are returned when req.Fingerprint matches and
	//     apperr.CodeIdempotency is returned when not (also when a single
	//     movement holds the key). Nothing is written either way.
	//  2. The items are locked in ascending id order (for update those in
	//     req.PricedItems, whose quantity on hand is read; shared
	//     otherwise), then the locations in ascending order and the
	//     supplier (shared), then the stock rows of req.Places that exist,
	//     created empty when missing, in (item, location) order: the order
	//     CreateMovement locks in, so receipts and movements sharing items
	//     wait for each other but never deadlock.
	//  3. decide is called with what was read; its error is returned as is.
	//     It returns one booking per line, in order, each deciding on the
	//     levels and average the ones before it left.
	//  4. The movements are written in line order (each under
	//     LineKey(req.Key, i)), then each place's final level, each item's
	//     final average and a "movement" "create" audit record per movement.
	CreateReceipt(ctx context.Context, actor audit.Actor, req ReceiptRequest, decide func(ReceiptSnapshot) ([]Booking, error)) ([]Movement, error)
	// CreateCount books a stock-take's differences in one transaction, as
	// CreateReceipt books a receipt's lines, with these differences: there
	// is no partner and no average changes (the items are locked for
	// share); decide returns a booking only for the lines whose count
	// differs, at most req.Lines, and the i-th booking is written under
	// LineKey(req.Key, i); a replay returns the movements booked under the
	// key (its first booking holds the key itself). When decide returns no
	// booking, nothing is written and no key is kept.
	CreateCount(ctx context.Context, actor audit.Actor, req CountRequest, decide func(ReceiptSnapshot) ([]Booking, error)) ([]Movement, error)
	// EachMovement calls fn for every movement f selects, newest (highest
	// id) first, reading them as fn goes so that no list is held in memory.
	EachMovement(ctx context.Context, f Filter, fn func(JournalRow) error) error
	// Figures reads the dashboard's figures from one snapshot: movements
	// counted per hour from since on, the first lowStock items at or below
	// their minimum by name and the recent movements booked last.
	Figures(ctx context.Context, since time.Time, lowStock, recent int) (Figures, error)
}

// Request tells a Store what to read and lock for a movement.
type Request struct {
	ItemID      int64
	LocationIDs []int64 // ascending
	SupplierID  *int64
	CustomerID  *int64
	// ChangesCost says the item's moving average will change: the item is
	// locked for update and its quantity on hand is read.
	ChangesCost bool
	// ReversesID names the movement a reversal undoes; its item and
	// locations are used instead of the fields above.
	ReversesID  int64
	Key         string
	Fingerprint []byte
}

// Snapshot is what a movement is decided on, read under lock in the
// movement's transaction.
type Snapshot struct {
	Item *ItemState // nil when the item does not exist
	// Locations holds the requested locations that exist.
	Locations map[int64]LocationState
	// Levels holds the item's stock at each location in Locations.
	Levels map[int64]Level
	// Supplier and Customer are set when the request names one.
	Supplier *PartyState
	Customer *PartyState
	// Original is the movement a reversal undoes, with ReversedByID read
	// under lock.
	Original *Movement
}

// ItemState is what the ledger needs to know of an item.
type ItemState struct {
	ID   int64
	SKU  string
	Name string
	ItemUnits
	AvgUnitCostMicros int64
	Archived          bool
	// OnHand is good + defective over all locations; read only when the
	// request changes the average cost.
	OnHand int64
}

// LocationState is what the ledger needs to know of a location.
type LocationState struct {
	ID       int64
	Code     string
	Archived bool
}

// PartyState is what the ledger needs to know of a supplier or customer.
type PartyState struct {
	ID       int64
	Exists   bool
	Archived bool
	Name     string // for the booked movement's supplier_name or customer_name
}

// Booking is a decided movement: the row to append (the store assigns ID,
// CreatedAt, CreatedBy and TokenID, and EffectiveAt when zero) and the new
// stock levels of the locations it touches. The item's new average is
// Movement.AvgCostAfter.
type Booking struct {
	Movement Movement
	Levels   map[int64]Level
}

// Filter narrows the journal. Every field is optional.
type Filter struct {
	Type       Type
	ItemID     *int64
	LocationID *int64 // as source or as transfer target
	SupplierID *int64
	CustomerID *int64
	UserID     *int64     // who booked
	From       *time.Time // effective_at >= From
	To         *time.Time // effective_at < To
}

// StockFilter narrows the stock list. With LocationID, each item's figures
// are those at that location and only items that have been there are listed.
type StockFilter struct {
	ItemID     *int64
	LocationID *int64
	CategoryID *int64
	LowStock   bool // only items whose available stock is at or below their minimum
	// Sublocations adds the locations below LocationID (its zones and
	// bins, all levels) to it: a location's contents.
	Sublocations bool
}

// Config tunes a Service; zero values take the defaults.
type Config struct {
	MaxBackdate time.Duration    // DefaultMaxBackdate when 0
	Now         func() time.Time // time.Now when nil
	// Zone is the organisation's time zone, which the dashboard cuts days
	// in; DefaultZone when nil. Its offsets must be whole hours.
	Zone *time.Location
}

// Service is the ledger's entry point for the api's handlers.
type Service struct {
	store       Store
	maxBackdate time.Duration
	now         func() time.Time
	zone        *time.Location
	// zoneErr tells why DefaultZone could not be loaded (no zone data on
	// the machine and none in the binary); only the dashboard needs it.
	zoneErr error
}

// NewService returns a service keeping the ledger in store.
func NewService(store Store, cfg Config) *Service {
	s := &Service{store: store, maxBackdate: cfg.MaxBackdate, now: cfg.Now, zone: cfg.Zone}
	if s.maxBackdate <= 0 {
		s.maxBackdate = DefaultMaxBackdate
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.zone == nil {
		s.zone, s.zoneErr = time.LoadLocation(DefaultZone)
	}
	return s
}

// CreateMovement validates and books a movement. A repeated RequestKey
// with the same input returns the movement booked first; with other input
// it fails with apperr.CodeIdempotency.
func (s *Service) CreateMovement(ctx context.Context, actor audit.Actor, in Input) (Movement, error) {
	in.normalize()
	if err := in.validate(s.now(), s.maxBackdate); err != nil {
		return Movement{}, err
	}
	req := Request{
		ItemID:      in.ItemID,
		LocationIDs: locationOrder(in.LocationID, in.ToLocationID),
		SupplierID:  in.SupplierID,
		CustomerID:  in.CustomerID,
		ChangesCost: in.Type == Receipt && in.UnitCost != nil,
		Key:         in.RequestKey,
	}
	if in.RequestKey != "" {
		req.Fingerprint = fingerprint("movement", in)
	}
	return s.store.CreateMovement(ctx, actor, req, func(snap Snapshot) (Booking, error) {
		return decideMovement(in, snap)
	})
}

// Reverse books the exact opposite of movement id. It fails with
// apperr.CodeConflict when the movement is a reversal or was already
// reversed, and with apperr.CodeInsufficient when undoing it would take
// more stock than there is. Archived items and locations may be reversed.
func (s *Service) Reverse(ctx context.Context, actor audit.Actor, id int64, in ReversalInput) (Movement, error) {
	in.normalize()
	if err := in.validate(id, s.now(), s.maxBackdate); err != nil {
		return Movement{}, err
	}
	req := Request{ReversesID: id, Key: in.RequestKey}
	if in.RequestKey != "" {
		req.Fingerprint = fingerprint("reversal", struct {
			ID int64 `json:"id"`
			ReversalInput
		}{id, in})
	}
	return s.store.CreateMovement(ctx, actor, req, func(snap Snapshot) (Booking, error) {
		return decideReversal(in, snap)
	})
}

// Movement returns one movement.
func (s *Service) Movement(ctx context.Context, id int64) (Movement, error) {
	if id <= 0 {
		return Movement{}, apperr.New(apperr.CodeNotFound, "Movement not found.")
	}
	return s.store.Movement(ctx, id)
}

// ListMovements pages through the journal, newest first. p comes from
// page.NewRequest with JournalSort.
func (s *Service) ListMovements(ctx context.Context, f Filter, p page.Request) (page.Page[Movement], error) {
	if err := f.validate(); err != nil {
		return page.Page[Movement]{}, err
	}
	return s.store.ListMovements(ctx, f, p)
}

// ItemMovements pages through one item's movements, newest first; an
// unknown item is apperr.CodeNotFound.
func (s *Service) ItemMovements(ctx context.Context, itemID int64, p page.Request) (page.Page[Movement], error) {
	if _, err := s.StockValue(ctx, itemID); err != nil {
		return page.Page[Movement]{}, err
	}
	return s.store.ListMovements(ctx, Filter{ItemID: &itemID}, p)
}

// StockByItem returns an item's stock per location with totals, breakdown
// and value.
func (s *Service) StockByItem(ctx context.Context, itemID int64) (ItemStock, error) {
	if itemID <= 0 {
		return ItemStock{}, apperr.New(apperr.CodeNotFound, "Item not found.")
	}
	st, err := s.store.StockByItem(ctx, itemID)
	if err != nil {
		return ItemStock{}, err
	}
	return st, st.complete()
}

// ListStock pages through items with their stock, by item name. p comes
// from page.NewRequest with StockSort.
func (s *Service) ListStock(ctx context.Context, f StockFilter, p page.Request) (page.Page[StockSummary], error) {
	if err := f.validate(); err != nil {
		return page.Page[StockSummary]{}, err
	}
	out, err := s.store.ListStock(ctx, f, p)
	if err != nil {
		return out, err
	}
	for i := range out.Items {
		if err := out.Items[i].complete(); err != nil {
			return out, err
		}
	}
	return out, nil
}

// StockValue returns the value of an item's stock at its moving-average
// cost.
// ItemTotals returns the stock totals of the given items (for a page of an
// item list); items that do not exist are absent from the map.
func (s *Service) ItemTotals(ctx context.Context, ids []int64) (map[int64]Totals, error) {
	if len(ids) == 0 {
		return map[int64]Totals{}, nil
	}
	return s.store.ItemTotals(ctx, ids)
}

func (s *Service) StockValue(ctx context.Context, itemID int64) (Value, error) {
	if itemID <= 0 {
		return Value{}, apperr.New(apperr.CodeNotFound, "Item not found.")
	}
	v, err := s.store.StockValue(ctx, itemID)
	if err != nil {
		return Value{}, err
	}
	return v, v.complete()
}

func (f Filter) validate() error {
	p := apperr.Problems{}
	if f.Type != "" && !f.Type.Valid() {
		p.Add("type", apperr.NotAllowed(Receipt, Issue, Return, Defect, WriteOff, Adjust, Transfer, Reversal))
	}
	p.ID("item_id", f.ItemID)
	p.ID("location_id", f.LocationID)
	p.ID("supplier_id", f.SupplierID)
	p.ID("customer_id", f.CustomerID)
	p.ID("user_id", f.UserID)
	if f.From != nil && f.To != nil && !f.From.Before(*f.To) {
		p.Add("to", apperr.MustBeAfter("from"))
	}
	return p.Check()
}

func (f StockFilter) validate() error {
	p := apperr.Problems{}
	p.ID("item_id", f.ItemID)
	p.ID("location_id", f.LocationID)
	p.ID("category_id", f.CategoryID)
	return p.Check()
}
