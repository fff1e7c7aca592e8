package postgres_test

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/page"
	"github.com/depotix/depotix/services/api/internal/postgres"
)

// walk reads a list page by page and returns the ids in order, checking
// that every page reports the same total.
func walk[T any](t *testing.T, limit int, id func(T) int64, list func(cursor *string) (page.Page[T], error)) (ids []int64, total int) {
	t.Helper()
	var cursor *string
	for pages := 0; ; pages++ {
		if pages > 100 {
			t.Fatal("the list does not end")
		}
		p := try(list(cursor)).must(t)
		if pages == 0 {
			total = p.Total
		} else if p.Total != total {
			t.Fatalf("page %d: total %d, first page said %d", pages, p.Total, total)
		}
		if len(p.Items) > limit || (p.NextCursor != "" && len(p.Items) != limit) {
			t.Fatalf("page %d has %d items (limit %d, next cursor %q)", pages, len(p.Items), limit, p.NextCursor)
		}
		for _, it := range p.Items {
			ids = append(ids, id(it))
		}
		if p.NextCursor == "" {
			return ids, total
		}
		cursor = &p.NextCursor
	}
}

func TestCatalogueItemPagingHasNoGapsOrDuplicates(t *testing.T) {
	t.Parallel()
	env := newCatalogue(t)
	ctx := context.Background()
	svc := env.svc
	cat := try(svc.CreateCategory(ctx, clerk, catalogue.CategoryFields{Name: "Getränke"})).must(t)

	const n = 120
	for i := range n {
		// Three items share each name, so the id has to break ties; SKUs
		// run in another order than ids.
		f := itemFields(fmt.Sprintf("S-%03d", (i*37)%n), fmt.Sprintf("Item %02d", i%40))
		if i%2 == 0 {
			f.CategoryID = &cat.ID
		}
		try(svc.CreateItem(ctx, clerk, f)).must(t)
	}
	// Creation times with ties and microsecond differences.
	if _, err := env.pool.Exec(ctx, `UPDATE items SET created_at = timestamptz '2025-03-01 08:00:00+00'
		+ (id % 7) * interval '1 hour' + (id % 3) * interval '1 microsecond'`); err != nil {
		t.Fatal(err)
	}
	all := try(svc.ListItems(ctx, catalogue.ListQuery{Limit: ptr(500), Sort: "created_at"}, catalogue.ItemFilter{})).must(t)
	if all.Total != n || len(all.Items) != n || all.NextCursor != "" {
		t.Fatalf("one big page: total %d, %d items, cursor %q", all.Total, len(all.Items), all.NextCursor)
	}
	items := all.Items

	byKey := func(key func(catalogue.Item) string) func(a, b catalogue.Item) int {
		return func(a, b catalogue.Item) int { return cmp.Or(strings.Compare(key(a), key(b)), cmp.Compare(a.ID, b.ID)) }
	}
	orders := map[string]func(a, b catalogue.Item) int{
		"name": byKey(func(i catalogue.Item) string { return strings.ToLower(i.Name) }),
		"sku":  byKey(func(i catalogue.Item) string { return strings.ToLower(i.SKU) }),
		"created_at": func(a, b catalogue.Item) int {
			return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
		},
	}
	for field, order := range orders {
		for _, desc := range []bool{false, true} {
			sort := catalogue.Sort{Field: field, Desc: desc}.String()
			t.Run(sort, func(t *testing.T) {
				want := slices.Clone(items)
				slices.SortFunc(want, order)
				if desc {
					slices.Reverse(want)
				}
				var wantIDs []int64
				for _, it := range want {
					wantIDs = append(wantIDs, it.ID)
				}
				got, total := walk(t, 50, func(i catalogue.Item) int64 { return i.ID }, func(cursor *string) (page.Page[catalogue.Item], error) {
					return svc.ListItems(ctx, catalogue.ListQuery{Sort: sort, Cursor: cursor}, catalogue.ItemFilter{})
				})
				if total != n {
					t.Errorf("total %d", total)
				}
				if diff := gocmp.Diff(wantIDs, got); diff != "" {
					t.Errorf("ids in order:\n%s", diff)
				}
			})
		}
	}

	t.Run("relevance", func(t *testing.T) {
		for _, q := range []string{"item", "item 1", "s-0"} {
			matches := try(svc.ListItems(ctx, catalogue.ListQuery{Q: q, Limit: ptr(500)}, catalogue.ItemFilter{})).must(t)
			if len(matches.Items) < 20 {
				t.Fatalf("q %q matches only %d items", q, len(matches.Items))
			}
			var want []int64
			for _, it := range matches.Items {
				want = append(want, it.ID)
			}
			got, total := walk(t, 7, func(i catalogue.Item) int64 { return i.ID }, func(cursor *string) (page.Page[catalogue.Item], error) {
				return svc.ListItems(ctx, catalogue.ListQuery{Q: q, Limit: ptr(7), Cursor: cursor}, catalogue.ItemFilter{})
			})
			if total != len(want) {
				t.Errorf("q %q: total %d, want %d", q, total, len(want))
			}
			if diff := gocmp.Diff(want, got); diff != "" {
				t.Errorf("q %q: pages differ from the single page:\n%s", q, diff)
			}
		}
	})

	t.Run("filters", func(t *testing.T) {
		for _, it := range items[:10] {
			try(svc.ArchiveItem(ctx, clerk, it.ID, 0)).must(t)
		}
		for _, tc := range []struct {
			archived catalogue.ArchivedFilter
			filter   catalogue.ItemFilter
			want     int
		}{
			{"", catalogue.ItemFilter{}, n - 10},
			{catalogue.ArchivedOnly, catalogue.ItemFilter{}, 10},
			{catalogue.AnyArchived, catalogue.ItemFilter{}, n},
			{catalogue.AnyArchived, catalogue.ItemFilter{CategoryID: &cat.ID}, n / 2},
		} {
			ids, total := walk(t, 50, func(i catalogue.Item) int64 { return i.ID }, func(cursor *string) (page.Page[catalogue.Item], error) {
				return svc.ListItems(ctx, catalogue.ListQuery{Archived: tc.archived, Cursor: cursor}, tc.filter)
			})
			if total != tc.want || len(ids) != tc.want {
				t.Errorf("archived %q, %+v: total %d, walked %d, want %d", tc.archived, tc.filter, total, len(ids), tc.want)
			}
		}
	})

	t.Run("tampered cursors", func(t *testing.T) {
		for _, tc := range []struct{ sort, q, cursor string }{
			{"name", "", page.Cursor("name", "item 01")},                       // id missing
			{"name", "", page.Cursor("name", "item 01", "x")},                  // id not a number
			{"created_at", "", page.Cursor("created_at", "yesterday", "1")},    // not a time
			{"-created_at", "", page.Cursor("-created_at", "2025-03-01", "1")}, // not RFC 3339
			{"sku", "", page.Cursor("sku", "s-001", "1")},                      // one key too many
			{"relevance", "item", page.Cursor("relevance", "very", "1")},       // not a number
		} {
			_, err := svc.ListItems(ctx, catalogue.ListQuery{Q: tc.q, Sort: tc.sort, Cursor: &tc.cursor}, catalogue.ItemFilter{})
			wantField(t, err, apperr.CodeValidation, "cursor", "")
		}
	})
}

func TestCatalogueSearch(t *testing.T) {
	t.Parallel()
	env := newCatalogue(t)
	ctx := context.Background()
	svc := env.svc
	add := func(sku, name, brand string, ean *string) catalogue.Item {
		f := itemFields(sku, name)
		f.Brand, f.EANUnit = brand, ean
		return try(svc.CreateItem(ctx, clerk, f)).must(t)
	}
	valser := add("VAL-150", "Valser Classic 1.5 l", "Valser", ptr("7610029000009"))
	still := add("VAL-STILL", "Valser Still", "Valser", ptr("7610029000016"))
	add("VAL-SPARK", "Valser Prickelnd", "Valser", ptr("7610029000023"))
	cola := add("COK-050", "Coca-Cola 0.5 l", "Coca-Cola", ptr("5449000000996"))
	rivella := add("RIV-ROT", "Rivella Rot", "Rivella", ptr("7610029000030"))

	search := func(q string) []int64 {
		t.Helper()
		p := try(svc.ListItems(ctx, catalogue.ListQuery{Q: q}, catalogue.ItemFilter{})).must(t)
		var ids []int64
		for _, it := range p.Items {
			ids = append(ids, it.ID)
		}
		if p.Total != len(ids) {
			t.Errorf("q %q: total %d for %d items", q, p.Total, len(ids))
		}
		return ids
	}
	for _, tc := range []struct {
		q         string
		first     int64   // the item that must come first; 0: none expected
		contains  []int64 // items that must be found
		wantEmpty bool
	}{
		{q: "valsr", contains: []int64{valser.ID, still.ID}},
		{q: "Valser", contains: []int64{valser.ID, still.ID}},
		{q: "7610029000009", first: valser.ID},      // exact EAN, among near-identical EANs
		{q: "7610029000030", first: rivella.ID},     // exact EAN
		{q: "val-still", first: still.ID},           // exact SKU, any case
		{q: "cocacola", contains: []int64{cola.ID}}, // no hyphen
		{q: "rivela", first: rivella.ID},
		{q: "ser cl", contains: []int64{valser.ID}}, // inside a word
		{q: "zzzz", wantEmpty: true},
		{q: "riv", first: rivella.ID},                    // a word being typed
		{q: "valser still", first: still.ID},             // every word must match
		{q: "Coca-Cola 0.5", contains: []int64{cola.ID}}, // split as the items' text is
		{q: "-- !", wantEmpty: true},                     // no words at all
		{q: "it's \\ a", wantEmpty: true},                // quotes and backslashes are words, not syntax
	} {
		got := search(tc.q)
		switch {
		case tc.wantEmpty:
			if len(got) != 0 {
				t.Errorf("q %q found %v", tc.q, got)
			}
		case tc.first != 0:
			if len(got) == 0 || got[0] != tc.first {
				t.Errorf("q %q: results %v, want %d first", tc.q, got, tc.first)
			}
		}
		for _, id := range tc.contains {
			if !slices.Contains(got, id) {
				t.Errorf("q %q: results %v lack %d", tc.q, got, id)
			}
		}
	}

	// The vocabulary learns renamed items' words.
	upd := try(svc.UpdateItem(ctx, clerk, cola.ID, cola.Version, catalogue.ItemPatch{Name: ptr("Coca-Cola Zero 0.5 l")})).must(t)
	if got := search("zerro"); !slices.Contains(got, upd.ID) {
		t.Errorf("q zerro after the rename: %v", got)
	}

	// The other lists search too.
	f := customerFields("Gasthof Löwen")
	f.BillingAddress.Town = "Andermatt"
	f.BillingAddress.PostalCode = "6490"
	löwen := try(svc.CreateCustomer(ctx, clerk, f)).must(t)
	try(svc.CreateCustomer(ctx, clerk, customerFields("Bäckerei Frisch"))).must(t)
	for _, q := range []string{"gasthof lowen", "andermat", "1000"} {
		p := try(svc.ListCustomers(ctx, catalogue.ListQuery{Q: q})).must(t)
		if len(p.Items) != 1 || p.Items[0].ID != löwen.ID {
			t.Errorf("customers q %q: %+v", q, p.Items)
		}
	}
	sup := catalogue.DefaultSupplierFields()
	sup.Name, sup.Address.Town = "Mineralquellen AG", "Vals"
	try(svc.CreateSupplier(ctx, clerk, sup)).must(t)
	if p := try(svc.ListSuppliers(ctx, catalogue.ListQuery{Q: "mineralquelen"})).must(t); p.Total != 1 {
		t.Errorf("suppliers found %d", p.Total)
	}
	try(svc.CreateCategory(ctx, clerk, catalogue.CategoryFields{Name: "Mineralwasser"})).must(t)
	if p := try(svc.ListCategories(ctx, catalogue.ListQuery{Q: "mineral"})).must(t); p.Total != 1 {
		t.Errorf("categories found %d", p.Total)
	}
}

// The list queries must be answered from indexes: with 20,000 items and
// fresh statistics, no plan of any list variant reads the items table
// sequentially. Page queries and filtered counts must manage with ANALYZE
// alone. Counting (nearly) the whole table can only avoid the heap with an
// index-only scan, which needs the visibility map that VACUUM keeps (and
// autovacuum runs after bulk inserts), so those counts are checked after it.
func TestCatalogueItemListsUseIndexes(t *testing.T) {
	t.Parallel()
	env := newCatalogue(t)
	ctx := context.Background()
	// A synchronous commit: with the test server's asynchronous ones, VACUUM
	// could not yet mark the new rows' pages all-visible.
	if _, err := env.pool.Exec(ctx, `
		BEGIN;
		SET LOCAL synchronous_commit = on;
		INSERT INTO categories (name) SELECT 'Kategorie ' || g FROM generate_series(1, 20) g;
		INSERT INTO items (sku, name, brand, base_unit, category_id, ean_unit, archived_at, created_at)
		SELECT 'SKU-' || g, b.brand || ' Nr. ' || g, b.brand,
		       'bottle', 1 + g % 20, lpad(g::text, 13, '0'),
		       CASE WHEN g % 10 = 0 THEN now() END,
		       now() - g * interval '1 minute'
		  FROM generate_series(1, 20000) g,
		       -- One item in ten of five brands searched for (2 % each), the
		       -- rest of a hundred others: a brand's word is a selective search.
		       LATERAL (SELECT CASE WHEN g % 10 = 3
		                            THEN (ARRAY['Valser', 'Rivella', 'Feldschlösschen', 'Henniez', 'Appenzeller'])[1 + g / 10 % 5]
		                            ELSE 'Marke' || chr(97 + g % 26) || chr(97 + g / 26 % 26) END AS brand) b;
		COMMIT;
		ANALYZE categories;
		ANALYZE items;`); err != nil {
		t.Fatal(err)
	}
	checked := 0
	// broadCounts false checks every query but the counts of (nearly) the
	// whole table; true checks only those.
	check := func(phase string, broadCounts bool) {
		explain := func(name, sql string, args []any) {
			t.Helper()
			var plan []map[string]any
			if err := env.pool.QueryRow(ctx, "EXPLAIN (FORMAT JSON) "+sql, args...).Scan(&plan); err != nil {
				t.Fatalf("%s: %v\n%s", name, err, sql)
			}
			checked++
			if seqScanOn(plan[0]["Plan"], "items") {
				raw, _ := json.Marshal(plan)
				t.Errorf("%s: %s reads items sequentially", phase, name)
				t.Logf("query: %s\nplan: %s", sql, raw)
			}
		}
		cat := int64(7)
		lastKeys := map[string][]string{
			"name": {"valser nr. 5", "100"}, "sku": {"sku-100"}, "created_at": {"2025-03-01T08:00:00.000001Z", "100"},
			"relevance": {"0.5", "100"},
		}
		for _, sort := range []catalogue.Sort{
			{Field: "name"}, {Field: "name", Desc: true}, {Field: "sku"}, {Field: "sku", Desc: true},
			{Field: "created_at"}, {Field: "created_at", Desc: true}, {Field: "relevance"},
		} {
			for _, archived := range []catalogue.ArchivedFilter{catalogue.ActiveOnly, catalogue.ArchivedOnly, catalogue.AnyArchived} {
				for _, variant := range []struct {
					name   string
					q      string
					filter catalogue.ItemFilter
				}{
					{"", "", catalogue.ItemFilter{}},
					{", category", "", catalogue.ItemFilter{CategoryID: &cat}},
					{", q", "valsr", catalogue.ItemFilter{}},
					{", q=ean", "0000000012345", catalogue.ItemFilter{}},
					{", short q", "va", catalogue.ItemFilter{}},
					{", q, category", "rivela", catalogue.ItemFilter{CategoryID: &cat}},
				} {
					if sort.Field == "relevance" && variant.q == "" {
						continue
					}
					for _, after := range [][]string{nil, lastKeys[sort.Field]} {
						name := fmt.Sprintf("sort %s, archived %s%s, cursor %v", sort, archived, variant.name, after != nil)
						l := catalogue.List{Q: variant.q, Archived: archived, Sort: sort, Page: page.Request{Limit: 50, After: after}}
						countSQL, countArgs, pageSQL, pageArgs, err := postgres.ItemListSQL(ctx, env.pool, l, variant.filter)
						if err != nil {
							t.Fatalf("%s: %v", name, err)
						}
						broad := variant.q == "" && variant.filter == (catalogue.ItemFilter{}) && archived != catalogue.ArchivedOnly
						if !broadCounts {
							explain(name+" (page)", pageSQL, pageArgs)
						}
						if after == nil && broadCounts == broad {
							explain(name+" (count)", countSQL, countArgs)
						}
					}
				}
			}
		}
	}
	check("after ANALYZE", false)
	if _, err := env.pool.Exec(ctx, "VACUUM ANALYZE items"); err != nil {
		t.Fatal(err)
	}
	check("after VACUUM ANALYZE", true)
	t.Logf("%d query plans checked", checked)
}

// seqScanOn reports whether a JSON plan node or any node below it is a
// sequential scan of table.
func seqScanOn(node any, table string) bool {
	m, ok := node.(map[string]any)
	if !ok {
		return false
	}
	if m["Node Type"] == "Seq Scan" && m["Relation Name"] == table {
		return true
	}
	children, _ := m["Plans"].([]any)
	for _, c := range children {
		if seqScanOn(c, table) {
			return true
		}
	}
	return false
}

// The totals of unsearched item lists come from counters that triggers
// keep; after every kind of change they equal a count of the rows.
func TestCatalogueItemCountersFollowEveryChange(t *testing.T) {
	t.Parallel()
	env := newCatalogue(t)
	ctx := context.Background()
	svc := env.svc
	a := try(svc.CreateCategory(ctx, clerk, catalogue.CategoryFields{Name: "Bier"})).must(t)
	b := try(svc.CreateCategory(ctx, clerk, catalogue.CategoryFields{Name: "Wein"})).must(t)
	verify := func(step string) {
		t.Helper()
		var wrong int
		err := env.pool.QueryRow(ctx, `
			SELECT count(*) FROM (
				SELECT coalesce(category_id, 0) c, archived_at IS NOT NULL a, count(*) n FROM items GROUP BY 1, 2
			) real FULL JOIN (SELECT * FROM item_counts WHERE items > 0) kept ON kept.category_id = real.c AND kept.archived = real.a
			 WHERE real.n IS DISTINCT FROM kept.items`).Scan(&wrong)
		if err != nil {
			t.Fatal(err)
		}
		if wrong != 0 {
			t.Fatalf("%s: %d counters differ from the rows", step, wrong)
		}
		for _, tc := range []struct {
			archived catalogue.ArchivedFilter
			filter   catalogue.ItemFilter
		}{{catalogue.ActiveOnly, catalogue.ItemFilter{}}, {catalogue.ArchivedOnly, catalogue.ItemFilter{}},
			{catalogue.AnyArchived, catalogue.ItemFilter{}}, {catalogue.ActiveOnly, catalogue.ItemFilter{CategoryID: &a.ID}},
			{catalogue.AnyArchived, catalogue.ItemFilter{CategoryID: &b.ID}}} {
			p := try(svc.ListItems(ctx, catalogue.ListQuery{Archived: tc.archived, Limit: ptr(500)}, tc.filter)).must(t)
			if p.Total != len(p.Items) {
				t.Errorf("%s: archived %s, filter %+v: total %d for %d items", step, tc.archived, tc.filter, p.Total, len(p.Items))
			}
		}
	}
	verify("empty")
	var ids []int64
	for i := range 6 {
		f := itemFields(fmt.Sprintf("CNT-%d", i), fmt.Sprintf("Zähler %d", i))
		switch i % 3 {
		case 0:
			f.CategoryID = &a.ID
		case 1:
			f.CategoryID = &b.ID
		}
		ids = append(ids, try(svc.CreateItem(ctx, clerk, f)).must(t).ID)
	}
	verify("created")
	try(svc.ArchiveItem(ctx, clerk, ids[0], 0)).must(t)
	try(svc.ArchiveItem(ctx, clerk, ids[1], 0)).must(t)
	verify("archived")
	try(svc.RestoreItem(ctx, clerk, ids[0], 0)).must(t)
	verify("restored")
	try(svc.UpdateItem(ctx, clerk, ids[2], 0, catalogue.ItemPatch{CategoryID: catalogue.SetTo(b.ID)})).must(t)
	try(svc.UpdateItem(ctx, clerk, ids[3], 0, catalogue.ItemPatch{CategoryID: catalogue.SetNull[int64]()})).must(t)
	try(svc.UpdateItem(ctx, clerk, ids[4], 0, catalogue.ItemPatch{Name: ptr("Zähler vier")})).must(t)
	verify("moved and renamed")
	if err := svc.DeleteItem(ctx, clerk, ids[5], 0); err != nil {
		t.Fatal(err)
	}
	verify("deleted")
	if _, err := env.pool.Exec(ctx, "DELETE FROM items WHERE sku LIKE 'CNT-%'"); err != nil {
		t.Fatal(err)
	}
	verify("deleted at once")
}
