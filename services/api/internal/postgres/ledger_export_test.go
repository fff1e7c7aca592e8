package postgres

import (
	"github.com/depotix/depotix/services/api/internal/ledger"
	"github.com/depotix/depotix/services/api/internal/page"
)

// LedgerJournalSQL and LedgerStockListSQL expose the list queries to the
// external tests, which EXPLAIN them.
func LedgerJournalSQL(f ledger.Filter, p page.Request) (countSQL string, countArgs []any, pageSQL string, pageArgs []any, err error) {
	return journalSQL(f, p)
}

func LedgerStockListSQL(f ledger.StockFilter, p page.Request) (countSQL string, countArgs []any, pageSQL string, pageArgs []any, err error) {
	var tree []int64
	if f.LocationID != nil {
		tree = []int64{*f.LocationID} // a location without locations below
	}
	return stockListSQL(f, p, tree)
}
