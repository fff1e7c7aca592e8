package httpapi

import (
	"context"
	"strconv"

	"github.com/oapi-codegen/nullable"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/auth"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/httpapi/oapi"
	"github.com/depotix/depotix/services/api/internal/ledger"
	"github.com/depotix/depotix/services/api/internal/page"
)

func costPtr(micros *int64) *oapi.Cost {
	if micros == nil {
		return nil
	}
	s := ledger.FormatMicros(*micros)
	return &s
}

func toMovement(m ledger.Movement) oapi.Movement {
	out := oapi.Movement{
		Id: m.ID, Type: oapi.MovementType(m.Type), ItemId: m.ItemID, ItemSku: m.ItemSKU, ItemName: m.ItemName,
		ItemBaseUnit: m.ItemBaseUnit, ItemPackageUnit: m.ItemPackageUnit,
		LocationId: m.LocationID, LocationCode: m.LocationCode, ToLocationId: m.ToLocationID, ToLocationCode: m.ToLocationCode,
		QuantityBase: m.QuantityBase, Counted: m.Counted, EnteredQuantity: m.EnteredQuantity,
		EnteredUnit: oapi.QuantityUnit(m.EnteredUnit), UnitFactor: m.UnitFactor, UnitCost: costPtr(m.UnitCostMicros),
		SupplierId: m.SupplierID, CustomerId: m.CustomerID, Reason: m.Reason, Note: m.Note,
		ReversesId: m.ReversesID, ReversedById: m.ReversedByID,
		EffectiveAt: m.EffectiveAt.UTC(), CreatedAt: m.CreatedAt.UTC(),
		AvgCostBefore: ledger.FormatMicros(m.AvgCostBefore), AvgCostAfter: ledger.FormatMicros(m.AvgCostAfter),
	}
	if m.ReversedType != nil {
		t := oapi.MovementType(*m.ReversedType)
		out.ReversedType = &t
	}
	if m.CreatedBy != 0 {
		out.CreatedBy = &m.CreatedBy
	}
	if m.TokenID != 0 {
		out.TokenId = &m.TokenID
	}
	if m.SupplierID != nil {
		out.SupplierName = &m.SupplierName
	}
	if m.CustomerID != nil {
		out.CustomerName = &m.CustomerName
	}
	if m.CreatedBy != 0 {
		out.BookedByName = &m.BookedByName
	}
	if m.TokenID != 0 {
		out.BookedWithToken = &m.BookedWithToken
	}
	return out
}

func toMovementList(pg page.Page[ledger.Movement]) oapi.MovementList {
	out := oapi.MovementList{Items: make([]oapi.Movement, 0, len(pg.Items)), NextCursor: nextCursor(pg)}
	for _, m := range pg.Items {
		out.Items = append(out.Items, toMovement(m))
	}
	return out
}

func idempotencyKey(k *string) string { return deref(k) }

func (s *server) CreateMovement(ctx context.Context, r oapi.CreateMovementRequestObject) (oapi.CreateMovementResponseObject, error) {
	b := r.Body
	in := ledger.Input{Type: ledger.Type(b.Type), ItemID: b.ItemId, LocationID: b.LocationId, ToLocationID: b.ToLocationId,
		Quantity: b.Quantity, SupplierID: b.SupplierId, CustomerID: b.CustomerId, Reason: deref(b.Reason), Note: deref(b.Note),
		EffectiveAt: b.EffectiveAt, RequestKey: idempotencyKey(r.Params.IdempotencyKey)}
	if b.Unit != nil {
		in.Unit = catalogue.Unit(*b.Unit)
	}
	if b.UnitCost != nil {
		micros, err := ledger.ParseMicros(*b.UnitCost)
		if err != nil {
			bad := fieldErrors{}
			bad.add("unit_cost", err)
			return nil, bad.err()
		}
		in.UnitCost = &micros
	}
	m, err := s.ledger.CreateMovement(ctx, principal(ctx).Actor(), in)
	if err != nil {
		return nil, err
	}
	loc := "/api/v1/movements/" + strconv.FormatInt(m.ID, 10)
	return oapi.CreateMovement201JSONResponse{Body: toMovement(m),
		Headers: oapi.CreateMovement201ResponseHeaders{Location: &loc, IdempotentReplayed: replayMark(m.Replayed)}}, nil
}

// replayMark is the Idempotent-Replayed header of an answer: the movement
// operations are once-only in the ledger itself (selfKeyed), so the
// idempotency middleware does not see their replays; the store says when it
// returned an earlier booking, and the answer marks it the way the
// middleware marks the others.
func replayMark(replayed bool) *string {
	if !replayed {
		return nil
	}
	v := "true"
	return &v
}

// CreateReceipt books a delivery: every line a receipt movement, all in one
// transaction. The lines' problems come back as lines[i].field.
func (s *server) CreateReceipt(ctx context.Context, r oapi.CreateReceiptRequestObject) (oapi.CreateReceiptResponseObject, error) {
	b := r.Body
	in := ledger.ReceiptInput{SupplierID: b.SupplierId, Reference: deref(b.Reference), EffectiveAt: b.EffectiveAt,
		Lines: make([]ledger.ReceiptLine, len(b.Lines)), RequestKey: idempotencyKey(r.Params.IdempotencyKey)}
	bad := fieldErrors{}
	for i, l := range b.Lines {
		line := ledger.ReceiptLine{ItemID: l.ItemId, LocationID: l.LocationId, Quantity: l.Quantity}
		if l.Unit != nil {
			line.Unit = catalogue.Unit(*l.Unit)
		}
		if l.UnitCost != nil {
			micros, err := ledger.ParseMicros(*l.UnitCost)
			if err != nil {
				bad.add("lines["+strconv.Itoa(i)+"].unit_cost", err)
			}
			line.UnitCost = &micros
		}
		in.Lines[i] = line
	}
	if e := b.Expense; e != nil {
		if !principal(ctx).Allows(auth.PermExpenses) {
			bad.add("expense", apperr.NotPermitted().Because("may only be booked by who records expenses (managers, admins)"))
		}
		in.Expense = &ledger.ReceiptExpense{Status: string(e.Status), Note: deref(e.Note)}
		if e.PaidOn.IsSpecified() && !e.PaidOn.IsNull() {
			d := e.PaidOn.MustGet().Time
			in.Expense.PaidOn = &d
		}
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	ms, err := s.ledger.CreateReceipt(ctx, principal(ctx).Actor(), in)
	if err != nil {
		return nil, err
	}
	out := oapi.CreateReceipt201JSONResponse{Body: oapi.Receipt{Movements: make([]oapi.Movement, 0, len(ms)),
		ExpenseId: nullable.NewNullNullable[int64]()},
		Headers: oapi.CreateReceipt201ResponseHeaders{IdempotentReplayed: replayMark(len(ms) > 0 && ms[0].Replayed)}}
	for _, m := range ms {
		out.Body.Movements = append(out.Body.Movements, toMovement(m))
	}
	if len(ms) > 0 && s.expenses != nil {
		id, err := s.expenses.BookedBy(ctx, ms[0].ID)
		if err != nil {
			return nil, err
		}
		if id != nil {
			out.Body.ExpenseId = nullable.NewNullableWithValue(*id)
		}
	}
	return out, nil
}

// CreateCount books a stock-take: every line whose count differs from the
// ledger an adjust movement, all in one transaction. The lines' problems
// come back as lines[i].field. Its key is kept twice: by the idempotency
// middleware (not selfKeyed: a count that found no difference books no
// movement to hold it) and by the ledger on the movements, which answers a
// retry the middleware no longer knows (after an outage cut the answer).
func (s *server) CreateCount(ctx context.Context, r oapi.CreateCountRequestObject) (oapi.CreateCountResponseObject, error) {
	b := r.Body
	in := ledger.CountInput{LocationID: b.LocationId, Note: deref(b.Note), EffectiveAt: b.EffectiveAt,
		Lines: make([]ledger.CountLine, len(b.Lines)), RequestKey: idempotencyKey(r.Params.IdempotencyKey)}
	for i, l := range b.Lines {
		in.Lines[i] = ledger.CountLine{ItemID: l.ItemId, Quantity: l.Quantity}
		if l.Unit != nil {
			in.Lines[i].Unit = catalogue.Unit(*l.Unit)
		}
	}
	res, err := s.ledger.CreateCount(ctx, principal(ctx).Actor(), in)
	if err != nil {
		return nil, err
	}
	out := oapi.CreateCount201JSONResponse{
		Body: oapi.Count{LocationId: res.LocationID, Lines: res.Lines,
			Differences: make([]oapi.CountDifference, 0, len(res.Differences))},
		Headers: oapi.CreateCount201ResponseHeaders{IdempotentReplayed: replayMark(res.Replayed)},
	}
	for _, d := range res.Differences {
		out.Body.Differences = append(out.Body.Differences, oapi.CountDifference{
			ItemId: d.ItemID, ItemSku: d.ItemSKU, ItemName: d.ItemName,
			Ledger: d.Ledger, Counted: d.Counted, Difference: d.Difference, MovementId: d.Movement.ID,
		})
	}
	return out, nil
}

func (s *server) GetMovement(ctx context.Context, r oapi.GetMovementRequestObject) (oapi.GetMovementResponseObject, error) {
	m, err := s.ledger.Movement(ctx, r.Id)
	if err != nil {
		return nil, err
	}
	return oapi.GetMovement200JSONResponse(toMovement(m)), nil
}

func (s *server) ReverseMovement(ctx context.Context, r oapi.ReverseMovementRequestObject) (oapi.ReverseMovementResponseObject, error) {
	b := r.Body
	m, err := s.ledger.Reverse(ctx, principal(ctx).Actor(), r.Id, ledger.ReversalInput{
		Reason: deref(b.Reason), Note: deref(b.Note), EffectiveAt: b.EffectiveAt, RequestKey: idempotencyKey(r.Params.IdempotencyKey)})
	if err != nil {
		return nil, err
	}
	loc := "/api/v1/movements/" + strconv.FormatInt(m.ID, 10)
	return oapi.ReverseMovement201JSONResponse{Body: toMovement(m),
		Headers: oapi.ReverseMovement201ResponseHeaders{Location: &loc, IdempotentReplayed: replayMark(m.Replayed)}}, nil
}

func (s *server) ListMovements(ctx context.Context, r oapi.ListMovementsRequestObject) (oapi.ListMovementsResponseObject, error) {
	q := r.Params
	pr, err := page.NewRequest(q.Limit, q.Cursor, ledger.JournalSort)
	if err != nil {
		return nil, err
	}
	f := ledger.Filter{ItemID: q.ItemId, LocationID: q.LocationId, SupplierID: q.SupplierId, CustomerID: q.CustomerId,
		UserID: q.UserId, From: q.From, To: q.To}
	if q.Type != nil {
		f.Type = ledger.Type(*q.Type)
	}
	pg, err := s.ledger.ListMovements(ctx, f, pr)
	if err != nil {
		return nil, err
	}
	return oapi.ListMovements200JSONResponse(toMovementList(pg)), nil
}

func (s *server) ListItemMovements(ctx context.Context, r oapi.ListItemMovementsRequestObject) (oapi.ListItemMovementsResponseObject, error) {
	pr, err := page.NewRequest(r.Params.Limit, r.Params.Cursor, ledger.JournalSort)
	if err != nil {
		return nil, err
	}
	if _, err := s.catalogue.GetItem(ctx, r.Id); err != nil {
		return nil, err
	}
	pg, err := s.ledger.ItemMovements(ctx, r.Id, pr)
	if err != nil {
		return nil, err
	}
	return oapi.ListItemMovements200JSONResponse(toMovementList(pg)), nil
}

func toBreakdown(b ledger.Breakdown) oapi.Breakdown {
	return oapi.Breakdown{Pallets: b.Pallets, Packages: b.Packages, Units: b.Units}
}

func toStockLine(x ledger.StockSummary) oapi.StockLine {
	return oapi.StockLine{
		ItemId: x.ItemID, Sku: x.SKU, Name: x.Name, CategoryId: x.CategoryID, Archived: x.ArchivedAt != nil,
		BaseUnit: x.BaseUnit, PackageUnit: x.PackageUnit, PackageSize: x.PackageSize, PalletSize: x.PalletSize,
		Good: x.Good, Defective: x.Defective, Reserved: x.Reserved, OnHand: x.OnHand, Available: x.Available,
		AvailableBreakdown: toBreakdown(x.AvailableBreakdown), MinStock: x.MinStock, LowStock: x.LowStock,
		AvgUnitCost: ledger.FormatMicros(x.AvgUnitCostMicros), Value: ledger.MicrosToAmount(x.ValueMicros).String(),
		Currency: oapi.Currency(x.Currency),
	}
}

func (s *server) GetItemStock(ctx context.Context, r oapi.GetItemStockRequestObject) (oapi.GetItemStockResponseObject, error) {
	st, err := s.ledger.StockByItem(ctx, r.Id)
	if err != nil {
		return nil, err
	}
	line := toStockLine(st.StockSummary)
	out := oapi.ItemStock{
		ItemId: line.ItemId, Sku: line.Sku, Name: line.Name, CategoryId: line.CategoryId, Archived: line.Archived,
		BaseUnit: line.BaseUnit, PackageUnit: line.PackageUnit, PackageSize: line.PackageSize, PalletSize: line.PalletSize,
		Good: line.Good, Defective: line.Defective, Reserved: line.Reserved, OnHand: line.OnHand, Available: line.Available,
		AvailableBreakdown: line.AvailableBreakdown, MinStock: line.MinStock, LowStock: line.LowStock,
		AvgUnitCost: line.AvgUnitCost, Value: line.Value, Currency: line.Currency,
		Locations: make([]oapi.LocationStock, 0, len(st.Locations)),
	}
	for _, l := range st.Locations {
		out.Locations = append(out.Locations, oapi.LocationStock{LocationId: l.LocationID, LocationCode: l.LocationCode,
			LocationName: l.LocationName, LocationArchived: l.LocationArchived, Good: l.Good, Defective: l.Defective,
			Reserved: l.Reserved, Available: l.Available, GoodBreakdown: toBreakdown(l.GoodBreakdown)})
	}
	return oapi.GetItemStock200JSONResponse(out), nil
}

func (s *server) ListStock(ctx context.Context, r oapi.ListStockRequestObject) (oapi.ListStockResponseObject, error) {
	q := r.Params
	pr, err := page.NewRequest(q.Limit, q.Cursor, ledger.StockSort)
	if err != nil {
		return nil, err
	}
	f := ledger.StockFilter{ItemID: q.ItemId, LocationID: q.LocationId, CategoryID: q.CategoryId, LowStock: deref(q.LowStock),
		Sublocations: deref(q.Sublocations)}
	pg, err := s.ledger.ListStock(ctx, f, pr)
	if err != nil {
		return nil, err
	}
	out := oapi.ListStock200JSONResponse{Items: make([]oapi.StockLine, 0, len(pg.Items)), NextCursor: nextCursor(pg), Total: &pg.Total}
	for _, x := range pg.Items {
		out.Items = append(out.Items, toStockLine(x))
	}
	return out, nil
}
