package catalogue

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/services/api/internal/page"
)

// listStore records what the service asks of a list; every other Store
// method is left unimplemented (calling one panics the test).
type listStore struct {
	Store
	got List
}

func (s *listStore) ListItems(_ context.Context, l List, _ ItemFilter) (page.Page[Item], error) {
	s.got = l
	return page.Page[Item]{}, nil
}

func (s *listStore) ListCustomers(_ context.Context, l List) (page.Page[Customer], error) {
	s.got = l
	return page.Page[Customer]{}, nil
}

func TestListItemsQuery(t *testing.T) {
	nameCursor := page.Cursor("name", "cola", "7")
	for _, tc := range []struct {
		name  string
		q     ListQuery
		f     ItemFilter
		want  List   // when valid
		field string // when not
	}{
		{name: "defaults", q: ListQuery{}, want: List{Archived: ActiveOnly, Sort: Sort{Field: SortName}, Page: page.Request{Limit: 50}}},
		{name: "search sorts by relevance", q: ListQuery{Q: " valser "},
			want: List{Q: "valser", Archived: ActiveOnly, Sort: Sort{Field: SortRelevance}, Page: page.Request{Limit: 50}}},
		{name: "search with an explicit sort", q: ListQuery{Q: "valser", Sort: "-sku", Archived: AnyArchived},
			want: List{Q: "valser", Archived: AnyArchived, Sort: Sort{Field: SortSKU, Desc: true}, Page: page.Request{Limit: 50}}},
		{name: "cursor", q: ListQuery{Cursor: &nameCursor, Limit: ptr(10), Archived: ArchivedOnly},
			want: List{Archived: ArchivedOnly, Sort: Sort{Field: SortName}, Page: page.Request{Limit: 10, After: []string{"cola", "7"}}}},
		{name: "cursor of another sort", q: ListQuery{Cursor: &nameCursor, Sort: "-name"}, field: "cursor"},
		{name: "unknown sort", q: ListQuery{Sort: "price"}, field: "sort"},
		{name: "relevance without search", q: ListQuery{Sort: "relevance"}, field: "sort"},
		{name: "relevance reversed", q: ListQuery{Q: "cola", Sort: "-relevance"}, field: "sort"},
		{name: "archived filter", q: ListQuery{Archived: "maybe"}, field: "archived"},
		{name: "search too long", q: ListQuery{Q: strings.Repeat("q", 101)}, field: "q"},
		{name: "limit", q: ListQuery{Limit: ptr(501)}, field: "limit"},
		{name: "category", f: ItemFilter{CategoryID: ptr[int64](0)}, field: "category_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := &listStore{}
			_, err := NewService(st).ListItems(context.Background(), tc.q, tc.f)
			if tc.field != "" {
				expectOnly(t, err, tc.field)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, st.got); diff != "" {
				t.Error(diff)
			}
		})
	}
}

func TestListCustomersSorts(t *testing.T) {
	st := &listStore{}
	svc := NewService(st)
	if _, err := svc.ListCustomers(context.Background(), ListQuery{Sort: "-number"}); err != nil {
		t.Fatal(err)
	}
	if st.got.Sort != (Sort{Field: SortNumber, Desc: true}) {
		t.Errorf("sort = %+v", st.got.Sort)
	}
	_, err := svc.ListCustomers(context.Background(), ListQuery{Sort: "sku"})
	expectOnly(t, err, "sort")
	_, err = svc.ListLocations(context.Background(), ListQuery{}, LocationFilter{Parent: SetTo[int64](-1)})
	expectOnly(t, err, "parent_id")
}
