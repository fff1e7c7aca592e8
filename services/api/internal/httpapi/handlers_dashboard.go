package httpapi

import (
	"context"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/depotix/depotix/services/api/internal/httpapi/oapi"
	"github.com/depotix/depotix/services/api/internal/ledger"
)

// GetDashboard answers the start page's figures.
func (s *server) GetDashboard(ctx context.Context, _ oapi.GetDashboardRequestObject) (oapi.GetDashboardResponseObject, error) {
	d, err := s.ledger.Dashboard(ctx)
	if err != nil {
		return nil, err
	}
	out := oapi.GetDashboard200JSONResponse{
		AsOf: d.AsOf, TimeZone: d.Zone.String(), Currency: oapi.Currency(ledger.DashboardCurrency),
		StockValue: d.StockValue.String(), OtherCategoriesValue: d.OtherCategories.String(),
		StockValueByCategory: make([]oapi.CategoryValue, 0, len(d.ByCategory)),
		OtherCurrencies:      make([]oapi.CurrencyValue, 0, len(d.OtherCurrencies)),
		LowStockCount:        d.LowStockCount,
		LowStockItems:        make([]oapi.LowStockItem, 0, len(d.LowStock)),
		MovementsToday:       d.MovementsToday, MovementsThisWeek: d.MovementsThisWeek,
		RecentMovements: make([]oapi.Movement, 0, len(d.Recent)),
		MovementsPerDay: make([]oapi.DayCount, 0, len(d.PerDay)),
	}
	for _, c := range d.ByCategory {
		v := oapi.CategoryValue{Value: c.Value.String()}
		if c.CategoryID != 0 {
			v.CategoryId, v.Name = &c.CategoryID, &c.Name
		}
		out.StockValueByCategory = append(out.StockValueByCategory, v)
	}
	for _, c := range d.OtherCurrencies {
		out.OtherCurrencies = append(out.OtherCurrencies, oapi.CurrencyValue{Currency: oapi.Currency(c.Currency), Value: c.Value.String()})
	}
	for _, it := range d.LowStock {
		out.LowStockItems = append(out.LowStockItems, oapi.LowStockItem{ItemId: it.ItemID, Sku: it.SKU, Name: it.Name,
			BaseUnit: it.BaseUnit, Good: it.Good, MinStock: it.MinStock, ReorderQty: it.ReorderQty,
			PreferredSupplierId: it.PreferredSupplierID})
	}
	for _, m := range d.Recent {
		out.RecentMovements = append(out.RecentMovements, toMovement(m))
	}
	for _, day := range d.PerDay {
		out.MovementsPerDay = append(out.MovementsPerDay, oapi.DayCount{Date: openapi_types.Date{Time: day.Date}, Movements: day.Movements})
	}
	return out, nil
}
