package postgres

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/depotix/depotix/services/api/internal/catalogue"
)

// ItemListSQL exposes the two queries of an item list (the count and the
// page) to the external tests, which EXPLAIN them.
func ItemListSQL(ctx context.Context, pool *pgxpool.Pool, l catalogue.List, f catalogue.ItemFilter) (countSQL string, countArgs []any, pageSQL string, pageArgs []any, err error) {
	s := NewCatalogueStore(pool)
	terms, err := s.itemTerms(ctx, l.Q)
	if err != nil {
		return "", nil, "", nil, err
	}
	q, key := itemListQuery(l, f, terms)
	from := q.source("items")
	countSQL, countArgs = q.totalSQL(from)
	countArgs = append([]any(nil), countArgs...)
	pageSQL, pageArgs, err = q.pageSQL(from, s.items.columns, key, l.Page.After, l.Page.Limit)
	return countSQL, countArgs, pageSQL, pageArgs, err
}
