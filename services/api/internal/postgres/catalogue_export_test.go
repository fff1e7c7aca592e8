package postgres

import "github.com/depotix/depotix/services/api/internal/catalogue"

// ItemListSQL exposes the two queries of an item list (the count and the
// page) to the external tests, which EXPLAIN them.
func ItemListSQL(l catalogue.List, f catalogue.ItemFilter) (countSQL string, countArgs []any, pageSQL string, pageArgs []any, err error) {
	q, key := itemListQuery(l, f)
	countSQL, countArgs = q.countSQL("items")
	countArgs = append([]any(nil), countArgs...)
	pageSQL, pageArgs, err = q.pageSQL("items", NewCatalogueStore(nil).items.columns, key, l.Page.After, l.Page.Limit)
	return countSQL, countArgs, pageSQL, pageArgs, err
}
