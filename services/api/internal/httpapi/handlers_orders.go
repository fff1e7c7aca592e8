package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/depotix/depotix/services/api/internal/auth"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/httpapi/oapi"
	"github.com/depotix/depotix/services/api/internal/idempotency"
	"github.com/depotix/depotix/services/api/internal/orders"
	"github.com/depotix/depotix/services/api/internal/page"
	"github.com/depotix/depotix/services/api/internal/sales"
)

func toOrderSummary(o orders.Order) oapi.OrderSummary {
	out := oapi.OrderSummary{Id: o.ID, Number: o.Number, CustomerId: o.CustomerID, CustomerNumber: o.CustomerNumber,
		CustomerName: o.CustomerName, LocationId: o.LocationID, LocationCode: o.LocationCode, Status: oapi.OrderStatus(o.Status),
		Currency: oapi.Currency(o.Currency), Notes: o.Notes, Net: o.Net.String(), Deposits: o.Deposits.String(),
		ShipTo: oapi.ShipTo{Name: o.ShipTo.Name, Street: o.ShipTo.Street, HouseNumber: o.ShipTo.HouseNumber,
			PostalCode: o.ShipTo.PostalCode, Town: o.ShipTo.Town, Country: o.ShipTo.Country},
		Actions: make([]oapi.OrderAction, 0, len(o.Actions)), CreatedBy: o.CreatedBy,
		ConfirmedAt: o.ConfirmedAt, DeliveredAt: o.DeliveredAt, CancelledAt: o.CancelledAt,
		Version: o.Version, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt}
	for _, a := range o.Actions {
		out.Actions = append(out.Actions, oapi.OrderAction(a))
	}
	if o.DeliveryDate != nil {
		out.DeliveryDate = &openapi_types.Date{Time: *o.DeliveryDate}
	}
	return out
}

func toOrder(o orders.Order) oapi.Order {
	s := toOrderSummary(o)
	out := oapi.Order{Id: s.Id, Number: s.Number, CustomerId: s.CustomerId, CustomerNumber: s.CustomerNumber,
		CustomerName: s.CustomerName, LocationId: s.LocationId, LocationCode: s.LocationCode, Status: s.Status,
		Currency: s.Currency, Notes: s.Notes, Net: s.Net, Deposits: s.Deposits, ShipTo: s.ShipTo, Actions: s.Actions,
		CreatedBy: s.CreatedBy, ConfirmedAt: s.ConfirmedAt, DeliveredAt: s.DeliveredAt, CancelledAt: s.CancelledAt,
		DeliveryDate: s.DeliveryDate, Version: s.Version, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt,
		Lines: make([]oapi.OrderLine, 0, len(o.Lines)), Empties: make([]oapi.OrderEmpties, 0, len(o.Empties))}
	for _, l := range o.Lines {
		line := oapi.OrderLine{ItemId: l.ItemID, ItemSku: l.ItemSKU, ItemName: l.ItemName, BaseUnit: l.BaseUnit,
			Unit: oapi.QuantityUnit(l.Unit), Quantity: l.Quantity, Factor: l.Factor, QuantityBase: l.QuantityBase,
			UnitPrice: l.UnitPrice.String(), PriceOverridden: l.PriceOverridden, VatRateBp: l.VATRateBP,
			Deposit: l.Deposit.String(), Net: l.Net().String(), Delivered: l.Delivered, MovementId: l.MovementID}
		if l.PackageUnit != "" {
			line.PackageUnit = &l.PackageUnit
		}
		out.Lines = append(out.Lines, line)
	}
	for _, e := range o.Empties {
		out.Empties = append(out.Empties, oapi.OrderEmpties{ItemId: e.ItemID, ItemSku: e.ItemSKU, ItemName: e.ItemName,
			Unit: oapi.QuantityUnit(e.Unit), Quantity: e.Quantity, Factor: e.Factor, QuantityBase: e.QuantityBase,
			Deposit: e.Deposit.String(), Credit: e.Credit().String(), MovementId: e.MovementID})
	}
	return out
}

// orderInput converts a create or update body; bad prices come back as
// lines[i].unit_price.
func orderInput(b oapi.OrderInput) (orders.Input, error) {
	in := orders.Input{CustomerID: b.CustomerId, LocationID: b.LocationId, Notes: deref(b.Notes),
		Lines: make([]sales.LineInput, len(b.Lines))}
	if b.DeliveryDate != nil {
		d := b.DeliveryDate.Time
		in.DeliveryDate = &d
	}
	bad := fieldErrors{}
	for i, l := range b.Lines {
		line := sales.LineInput{ItemID: l.ItemId, Quantity: l.Quantity}
		if l.Unit != nil {
			line.Unit = catalogue.Unit(*l.Unit)
		}
		if l.UnitPrice != nil {
			p := bad.money("lines["+strconv.Itoa(i)+"].unit_price", *l.UnitPrice)
			line.UnitPrice = &p
		}
		in.Lines[i] = line
	}
	return in, bad.err()
}

// mayOverridePrices: a price other than the item's is the business of
// those who may change prices (managers, admins).
func mayOverridePrices(ctx context.Context) bool { return principal(ctx).Allows(auth.PermPrices) }

func (s *server) ListOrders(ctx context.Context, r oapi.ListOrdersRequestObject) (oapi.ListOrdersResponseObject, error) {
	p := r.Params
	req, err := page.NewRequest(p.Limit, p.Cursor, orders.ListSort)
	if err != nil {
		return nil, err
	}
	f := orders.Filter{CustomerID: p.CustomerId, Q: deref(p.Q)}
	for _, st := range deref(p.Status) {
		f.Statuses = append(f.Statuses, sales.Status(st))
	}
	pg, err := s.orders.List(ctx, f, req)
	if err != nil {
		return nil, err
	}
	out := oapi.ListOrders200JSONResponse{Items: make([]oapi.OrderSummary, 0, len(pg.Items)), NextCursor: nextCursor(pg), Total: pg.Total}
	for _, o := range pg.Items {
		out.Items = append(out.Items, toOrderSummary(o))
	}
	return out, nil
}

func (s *server) CreateOrder(ctx context.Context, r oapi.CreateOrderRequestObject) (oapi.CreateOrderResponseObject, error) {
	in, err := orderInput(*r.Body)
	if err != nil {
		return nil, err
	}
	answer := func(o orders.Order) oapi.CreateOrder201JSONResponse {
		return oapi.CreateOrder201JSONResponse{Body: toOrder(o),
			Headers: oapi.CreateOrder201ResponseHeaders{ETag: etag(o.Version), Location: location("orders", o.ID)}}
	}
	keepOrderAnswer(ctx, answer, oapi.CreateOrder201JSONResponse.VisitCreateOrderResponse)
	o, err := s.orders.Create(ctx, principal(ctx).Actor(), mayOverridePrices(ctx), in)
	if err != nil {
		return nil, err
	}
	return answer(o), nil
}

func (s *server) GetOrder(ctx context.Context, r oapi.GetOrderRequestObject) (oapi.GetOrderResponseObject, error) {
	o, err := s.orders.Get(ctx, r.Id)
	if err != nil {
		return nil, err
	}
	return oapi.GetOrder200JSONResponse{Body: toOrder(o), Headers: oapi.GetOrder200ResponseHeaders{ETag: etag(o.Version)}}, nil
}

func (s *server) UpdateOrder(ctx context.Context, r oapi.UpdateOrderRequestObject) (oapi.UpdateOrderResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	in, err := orderInput(*r.Body)
	if err != nil {
		return nil, err
	}
	answer := func(o orders.Order) oapi.UpdateOrder200JSONResponse {
		return oapi.UpdateOrder200JSONResponse{Body: toOrder(o), Headers: oapi.UpdateOrder200ResponseHeaders{ETag: etag(o.Version)}}
	}
	keepOrderAnswer(ctx, answer, oapi.UpdateOrder200JSONResponse.VisitUpdateOrderResponse)
	o, err := s.orders.Update(ctx, principal(ctx).Actor(), r.Id, v, mayOverridePrices(ctx), in)
	if err != nil {
		return nil, err
	}
	return answer(o), nil
}

func (s *server) ConfirmOrder(ctx context.Context, r oapi.ConfirmOrderRequestObject) (oapi.ConfirmOrderResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	answer := func(o orders.Order) oapi.ConfirmOrder200JSONResponse {
		return oapi.ConfirmOrder200JSONResponse{Body: toOrder(o), Headers: oapi.ConfirmOrder200ResponseHeaders{ETag: etag(o.Version)}}
	}
	keepOrderAnswer(ctx, answer, oapi.ConfirmOrder200JSONResponse.VisitConfirmOrderResponse)
	o, err := s.orders.Confirm(ctx, principal(ctx).Actor(), r.Id, v)
	if err != nil {
		return nil, err
	}
	return answer(o), nil
}

func (s *server) CancelOrder(ctx context.Context, r oapi.CancelOrderRequestObject) (oapi.CancelOrderResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	answer := func(o orders.Order) oapi.CancelOrder200JSONResponse {
		return oapi.CancelOrder200JSONResponse{Body: toOrder(o), Headers: oapi.CancelOrder200ResponseHeaders{ETag: etag(o.Version)}}
	}
	keepOrderAnswer(ctx, answer, oapi.CancelOrder200JSONResponse.VisitCancelOrderResponse)
	o, err := s.orders.Cancel(ctx, principal(ctx).Actor(), r.Id, v)
	if err != nil {
		return nil, err
	}
	return answer(o), nil
}

func (s *server) DeliverOrder(ctx context.Context, r oapi.DeliverOrderRequestObject) (oapi.DeliverOrderResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	b := r.Body
	in := sales.DeliveryInput{}
	if b.Delivered != nil {
		in.Delivered = *b.Delivered
	}
	for _, e := range deref(b.Empties) {
		x := sales.EmptiesInput{ItemID: e.ItemId, Quantity: e.Quantity}
		if e.Unit != nil {
			x.Unit = catalogue.Unit(*e.Unit)
		}
		in.Empties = append(in.Empties, x)
	}
	answer := func(o orders.Order) oapi.DeliverOrder200JSONResponse {
		return oapi.DeliverOrder200JSONResponse{Body: toOrder(o), Headers: oapi.DeliverOrder200ResponseHeaders{ETag: etag(o.Version)}}
	}
	keepOrderAnswer(ctx, answer, oapi.DeliverOrder200JSONResponse.VisitDeliverOrderResponse)
	o, err := s.orders.Deliver(ctx, principal(ctx).Actor(), r.Id, v, in)
	if err != nil {
		return nil, err
	}
	return answer(o), nil
}

// keepOrderAnswer says, for a request with an Idempotency-Key (the
// middleware's idempotency.Keyed), how the order store keeps the write's
// answer for its repeats: this handler's own answer, written by its
// generated visit, so a repeat gets the same bytes.
func keepOrderAnswer[R any](ctx context.Context, answer func(orders.Order) R, visit func(R, http.ResponseWriter) error) {
	k := idempotency.KeyedFrom(ctx)
	if k == nil {
		return
	}
	k.Answer = func(result any) (idempotency.Response, error) {
		o, ok := result.(orders.Order)
		if !ok {
			return idempotency.Response{}, fmt.Errorf("an order write returned %T", result)
		}
		return keptAnswer(func(w http.ResponseWriter) error { return visit(answer(o), w) })
	}
}

// depositBalances is the customer's deposit account as the contract
// writes it.
func depositBalances(bs []orders.Balance) *[]oapi.DepositBalance {
	out := make([]oapi.DepositBalance, 0, len(bs))
	for _, b := range bs {
		out = append(out, oapi.DepositBalance{Currency: oapi.Currency(b.Currency), Charged: b.Charged.String(),
			Credited: b.Credited.String(), Balance: b.Balance.String()})
	}
	return &out
}
