// Package orders keeps customers' orders and their deliveries: a DRAFT is
// edited, confirm reserves its goods at the order's location, deliver
// issues what was delivered (the rest is released) and books the empties
// handed back, cancel releases. The rules of lines, statuses and
// deliveries are package sales's; this package validates input, decides
// every action on a snapshot that the Store reads and locks in the
// action's transaction (the ledger's shape) and tells the Store what to
// write. It knows neither HTTP nor SQL.
package orders

import (
	"context"
	"time"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/ledger"
	"github.com/depotix/depotix/services/api/internal/money"
	"github.com/depotix/depotix/services/api/internal/page"
	"github.com/depotix/depotix/services/api/internal/sales"
)

// Limits of an order's own fields (its lines' are package sales's).
const (
	MaxNotes = 2000
	// MaxSearch bounds the list's search text.
	MaxSearch = 100
)

// ListSort is the order list's only order: newest first.
const ListSort = "-id"

// Order is an order with its lines and, once delivered, its empties.
type Order struct {
	ID             int64             `json:"id"`
	Number         string            `json:"number"`
	CustomerID     int64             `json:"customer_id"`
	CustomerNumber int64             `json:"customer_number"`
	CustomerName   string            `json:"customer_name"`
	LocationID     int64             `json:"location_id"`
	LocationCode   string            `json:"location_code"`
	Status         sales.Status      `json:"status"`
	Currency       string            `json:"currency"`
	ShipTo         ShipTo            `json:"ship_to"`
	DeliveryDate   *time.Time        `json:"delivery_date"` // a calendar day, at 00:00 UTC
	Notes          string            `json:"notes"`
	Lines          []Line            `json:"lines"`
	Empties        []Empties         `json:"empties"`
	Net            money.Amount      `json:"net"`      // Σ ordered (delivered, once delivered) × price
	Deposits       money.Amount      `json:"deposits"` // Σ the same × deposit
	CreatedBy      *int64            `json:"created_by"`
	ConfirmedAt    *time.Time        `json:"confirmed_at"`
	DeliveredAt    *time.Time        `json:"delivered_at"`
	CancelledAt    *time.Time        `json:"cancelled_at"`
	Version        int               `json:"version"`
	CreatedAt      time.Time         `json:"created_at"`
	UpdatedAt      time.Time         `json:"updated_at"`
	Actions        []sales.Action    `json:"-"` // what its status allows, filled by the Service
	Movements      []ledger.Movement `json:"-"` // booked by the delivery that returned it
}

// ShipTo is the delivery address as the order keeps it: the customer's
// name and delivery address (else billing address) when the order was
// last edited.
type ShipTo struct {
	Name string `json:"name"`
	catalogue.Address
}

// Line is an order line with what the list and documents show of its item
// and, once delivered, the quantity delivered and its issue movement.
type Line struct {
	sales.Line
	ItemSKU     string `json:"item_sku"`
	ItemName    string `json:"item_name"`
	BaseUnit    string `json:"base_unit"`
	PackageUnit string `json:"package_unit"`
	Delivered   *int64 `json:"delivered"` // in Unit; nil until delivered
	MovementID  *int64 `json:"movement_id"`
}

// Empties are containers handed back on the order's delivery.
type Empties struct {
	sales.Empties
	ItemSKU    string `json:"item_sku"`
	ItemName   string `json:"item_name"`
	MovementID int64  `json:"movement_id"`
}

// Input is a DRAFT order as a client enters it.
type Input struct {
	CustomerID   int64             `json:"customer_id"`
	LocationID   int64             `json:"location_id"`
	DeliveryDate *time.Time        `json:"delivery_date"`
	Notes        string            `json:"notes"`
	Lines        []sales.LineInput `json:"lines"`
}

// Filter narrows the order list. Every field is optional.
type Filter struct {
	Statuses   []sales.Status
	CustomerID *int64
	// Q finds orders by number (a prefix such as "LS-2026-00") or by the
	// customer's number or part of the customer's name.
	Q string
}

// Balance is a customer's deposit account in one currency: deposits
// charged on delivered goods, empties credited, and what the customer
// holds in containers (Charged − Credited; negative when more came back).
type Balance struct {
	Currency string       `json:"currency"`
	Charged  money.Amount `json:"charged"`
	Credited money.Amount `json:"credited"`
	Balance  money.Amount `json:"balance"`
}

// CustomerState is what an order needs of its customer.
type CustomerState struct {
	ID       int64
	Number   int64
	Name     string
	Archived bool
	Currency string
	Billing  catalogue.Address
	Delivery *catalogue.Address
}

// LocationState is what an order needs of its location.
type LocationState struct {
	ID       int64
	Code     string
	Archived bool
	Empties  bool // the empties location: no order takes goods from it
}

// Snapshot is what saving a DRAFT is decided on: the order as stored
// (nil for a new one), its customer, location and the items of its lines,
// read in the save's transaction, the order locked.
type Snapshot struct {
	Order    *Order
	Customer *CustomerState // nil when it does not exist
	Location *LocationState // nil when it does not exist
	Items    map[int64]sales.Item
}

// Draft is a saved DRAFT's content, decided.
type Draft struct {
	Input
	ShipTo ShipTo
	Lines  []sales.Line
	// Year is the calendar year (in the organisation's zone) whose
	// sequence numbers a new order.
	Year int
}

// Place is an item at a location: a stock row.
type Place = ledger.Place

// ActionSnapshot is what confirm, cancel and deliver are decided on, read
// and locked in the action's transaction: the order, the ledger's state of
// the items of its lines and empties, and their stock rows at the order's
// location (and the empties location).
type ActionSnapshot struct {
	Order   Order
	Items   map[int64]sales.Item
	Ledger  map[int64]ledger.ItemState
	Levels  map[Place]ledger.Level
	Empties *LocationState // the empties location, for a delivery with empties
}

// Plan is what an action writes: the new status, the changes to the stock
// rows' good and reserved quantities, and for a delivery the quantity
// delivered per line, the movements and the deposit account's entry.
type Plan struct {
	Status    sales.Status
	Good      map[Place]int64   // change of good stock
	Reserved  map[Place]int64   // change of reserved stock
	Delivered []int64           // per line, in its unit
	Issues    []ledger.Movement // per delivered line, in line order
	Returns   []ledger.Movement // per empties entry
	Empties   []sales.Empties
	Charged   money.Amount
	Credited  money.Amount
}

// Store keeps orders.
type Store interface {
	// SaveDraft creates (id 0) or replaces a DRAFT in one transaction:
	// the order is locked (for update; apperr.CodeNotFound when absent,
	// apperr.CodePrecondition when version is not 0 and differs), then its
	// customer, location and the items of in.Lines are read (key share);
	// decide gets them and its error is returned as is. A new order takes
	// the next number of its year (the year's counter row is locked until
	// commit). Lines are replaced; an audit record is appended.
	SaveDraft(ctx context.Context, actor audit.Actor, id int64, version int, in Input, decide func(Snapshot) (Draft, error)) (Order, error)
	// Act runs an action in one transaction: the order is locked for update
	// (not found, precondition as SaveDraft), then the items of its lines
	// and of emptiesItems are locked for share in ascending id order, the
	// locations and customer (key share), the empties location when
	// emptiesItems is not empty (flagged, or created and flagged), then the
	// stock rows of the lines at the order's location and of emptiesItems
	// at the empties location, created empty when missing, in (item,
	// location) order — the ledger's lock order. decide gets them; its
	// error is returned as is; the plan is written with an audit record.
	Act(ctx context.Context, actor audit.Actor, id int64, version int, action sales.Action, emptiesItems []int64, decide func(ActionSnapshot) (Plan, error)) (Order, error)
	// Get returns one order; apperr.CodeNotFound when absent.
	Get(ctx context.Context, id int64) (Order, error)
	// List pages through orders, newest first, without their lines but
	// with Net and Deposits summed from them.
	List(ctx context.Context, f Filter, p page.Request) (page.Page[Order], error)
	// Balances returns a customer's deposit account per currency.
	Balances(ctx context.Context, customerID int64) ([]Balance, error)
	// DeliveryNote reads an order with what its delivery note prints
	// (company profile, logo, the empties' unit names, the language of
	// the person userID) in one snapshot; apperr.CodeNotFound when absent.
	DeliveryNote(ctx context.Context, id, userID int64) (DeliveryNoteSource, error)
}

// Service is the entry point of the api's handlers.
type Service struct {
	store Store
	now   func() time.Time
	zone  *time.Location
}

// NewService returns a service keeping orders in store; now is time.Now
// when nil. Order numbers count calendar years in zone (nil: UTC; the api
// passes the organisation's zone, ledger.DefaultZone).
func NewService(store Store, now func() time.Time, zone *time.Location) *Service {
	if now == nil {
		now = time.Now
	}
	if zone == nil {
		zone = time.UTC
	}
	return &Service{store: store, now: now, zone: zone}
}

// Create saves a new DRAFT. mayOverride says whether the person may set
// prices other than the items' (prices.write).
func (s *Service) Create(ctx context.Context, actor audit.Actor, mayOverride bool, in Input) (Order, error) {
	in.normalize()
	if err := in.validate(); err != nil {
		return Order{}, err
	}
	year := s.now().In(s.zone).Year()
	o, err := s.store.SaveDraft(ctx, actor, 0, 0, in, func(snap Snapshot) (Draft, error) {
		d, err := decideDraft(in, snap, mayOverride)
		d.Year = year
		return d, err
	})
	return complete(o), err
}

// Update replaces a DRAFT's customer, location, notes and lines. version
// is the If-Match (0: no check).
func (s *Service) Update(ctx context.Context, actor audit.Actor, id int64, version int, mayOverride bool, in Input) (Order, error) {
	if id <= 0 {
		return Order{}, notFound()
	}
	in.normalize()
	if err := in.validate(); err != nil {
		return Order{}, err
	}
	o, err := s.store.SaveDraft(ctx, actor, id, version, in, func(snap Snapshot) (Draft, error) {
		return decideDraft(in, snap, mayOverride)
	})
	return complete(o), err
}

// Confirm reserves a DRAFT's goods at its location, or refuses with the
// shortfall of every line that lacks stock.
func (s *Service) Confirm(ctx context.Context, actor audit.Actor, id int64, version int) (Order, error) {
	return s.act(ctx, actor, id, version, sales.Confirm, nil, decideConfirm)
}

// Cancel ends a DRAFT or CONFIRMED order, releasing its reservation.
func (s *Service) Cancel(ctx context.Context, actor audit.Actor, id int64, version int) (Order, error) {
	return s.act(ctx, actor, id, version, sales.Cancel, nil, decideCancel)
}

// Deliver issues what in says was delivered of a CONFIRMED order (all of
// it by default), releases the rest and books the empties handed back;
// all or nothing.
func (s *Service) Deliver(ctx context.Context, actor audit.Actor, id int64, version int, in sales.DeliveryInput) (Order, error) {
	var ids []int64
	for _, e := range in.Empties {
		ids = append(ids, e.ItemID)
	}
	return s.act(ctx, actor, id, version, sales.Deliver, ids, func(snap ActionSnapshot) (Plan, error) {
		return decideDelivery(in, snap)
	})
}

func (s *Service) act(ctx context.Context, actor audit.Actor, id int64, version int, action sales.Action, emptiesItems []int64, decide func(ActionSnapshot) (Plan, error)) (Order, error) {
	if id <= 0 {
		return Order{}, notFound()
	}
	o, err := s.store.Act(ctx, actor, id, version, action, emptiesItems, func(snap ActionSnapshot) (Plan, error) {
		if _, err := sales.Next(snap.Order.Status, action, snap.Order.Number); err != nil {
			return Plan{}, err
		}
		return decide(snap)
	})
	return complete(o), err
}

// Get returns one order.
func (s *Service) Get(ctx context.Context, id int64) (Order, error) {
	if id <= 0 {
		return Order{}, notFound()
	}
	o, err := s.store.Get(ctx, id)
	return complete(o), err
}

// List pages through orders, newest first. p comes from page.NewRequest
// with ListSort.
func (s *Service) List(ctx context.Context, f Filter, p page.Request) (page.Page[Order], error) {
	pr := apperr.Problems{}
	for _, st := range f.Statuses {
		if !validStatus(st) {
			pr.Add("status", apperr.NotAllowed(sales.Statuses()...))
		}
	}
	pr.ID("customer_id", f.CustomerID)
	pr.Line("q", f.Q, 0, MaxSearch)
	if err := pr.Check(); err != nil {
		return page.Page[Order]{}, err
	}
	out, err := s.store.List(ctx, f, p)
	for i := range out.Items {
		out.Items[i] = complete(out.Items[i])
	}
	return out, err
}

// Balances returns a customer's deposit account per currency (none when
// nothing was ever charged or credited).
func (s *Service) Balances(ctx context.Context, customerID int64) ([]Balance, error) {
	return s.store.Balances(ctx, customerID)
}

func validStatus(st sales.Status) bool {
	for _, s := range sales.Statuses() {
		if s == st {
			return true
		}
	}
	return false
}

func notFound() error { return apperr.New(apperr.CodeNotFound, "Order not found.") }

// complete fills what follows from the stored order.
func complete(o Order) Order {
	if o.ID == 0 {
		return o
	}
	o.Actions = sales.Actions(o.Status)
	if o.Lines == nil {
		// A list's order: the store summed its lines.
		o.Lines = []Line{}
	} else {
		o.Net, o.Deposits = 0, 0
		for _, l := range o.Lines {
			q := l.Quantity
			if l.Delivered != nil {
				q = *l.Delivered
			}
			o.Net += l.UnitPrice * money.Amount(q)
			o.Deposits += l.Deposit * money.Amount(q)
		}
	}
	if o.Empties == nil {
		o.Empties = []Empties{}
	}
	return o
}

func (in *Input) normalize() {
	for i := range in.Lines {
		if in.Lines[i].Unit == "" {
			in.Lines[i].Unit = catalogue.UnitBase
		}
	}
	if in.DeliveryDate != nil {
		d := time.Date(in.DeliveryDate.Year(), in.DeliveryDate.Month(), in.DeliveryDate.Day(), 0, 0, 0, 0, time.UTC)
		in.DeliveryDate = &d
	}
}

func (in Input) validate() error {
	p := apperr.Problems{}
	p.ID("customer_id", &in.CustomerID)
	p.ID("location_id", &in.LocationID)
	p.Text("notes", in.Notes, 0, MaxNotes)
	return p.Check()
}
