package catalogue

import (
	"slices"
	"strings"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/page"
)

// ArchivedFilter selects records by whether they are archived.
type ArchivedFilter string

// Archived filters; the wire values of the `archived` query parameter.
const (
	ActiveOnly   ArchivedFilter = "false"
	ArchivedOnly ArchivedFilter = "true"
	AnyArchived  ArchivedFilter = "all"
)

// Sort fields of the lists.
const (
	SortName      = "name"
	SortSKU       = "sku"
	SortCreatedAt = "created_at"
	SortNumber    = "number"
	SortCode      = "code"
	// SortRelevance orders a search by how well records match q (exact SKU
	// or EAN first, then by trigram word similarity); items only.
	SortRelevance = "relevance"
)

// Sort is a list order: a field, ascending unless Desc.
type Sort struct {
	Field string
	Desc  bool
}

// String gives the wire form: "name", "-created_at".
func (s Sort) String() string {
	if s.Desc {
		return "-" + s.Field
	}
	return s.Field
}

// ListQuery is what a client asks of a list, before validation.
type ListQuery struct {
	Q        string         // search text; empty for none
	Archived ArchivedFilter // empty means ActiveOnly
	Sort     string         // e.g. "name", "-created_at"; empty for the list's default
	Limit    *int           // nil for page.DefaultLimit
	Cursor   *string        // from the previous page's NextCursor
	IDs      []int64        // only these records; empty for all
}

// MaxListIDs bounds ListQuery.IDs (the contract's `ids`): a page of the
// audit trail names far fewer records of one kind.
const MaxListIDs = 100

// List is a validated ListQuery, as stores receive it. Page.After holds the
// keys the store put in the previous page's cursor.
type List struct {
	Q        string
	Archived ArchivedFilter
	Sort     Sort
	Page     page.Request
	IDs      []int64 // only these records; empty for all
}

// ItemFilter narrows the item list.
type ItemFilter struct {
	CategoryID *int64
	// LocationID keeps items holding stock at that location.
	LocationID *int64
	// LowStock keeps items whose good stock is at or below their minimum.
	LowStock bool
}

// LocationFilter narrows the location list. Parent unset lists the whole
// tree; set to null, only the top level; set to an id, that location's
// children.
type LocationFilter struct {
	Parent Optional[int64]
}

// list validates q: defaultSort applies when q.Sort is empty, and only the
// allowed fields may be sorted by, either way round.
func (q ListQuery) list(defaultSort string, allowed ...string) (List, error) {
	p := apperr.Problems{}
	l := List{Q: strings.TrimSpace(q.Q), Archived: q.Archived, IDs: q.IDs}
	p.Line("q", l.Q, 0, MaxQueryLength)
	if len(l.IDs) > MaxListIDs {
		p.Add("ids", apperr.TooMany(MaxListIDs))
	} else if slices.ContainsFunc(l.IDs, func(id int64) bool { return id < 1 }) {
		p.Add("ids", apperr.PositiveID())
	}
	switch l.Archived {
	case "":
		l.Archived = ActiveOnly
	case ActiveOnly, ArchivedOnly, AnyArchived:
	default:
		p.Add("archived", apperr.NotAllowed(ActiveOnly, ArchivedOnly, AnyArchived))
	}
	raw := strings.TrimSpace(q.Sort)
	if raw == "" {
		raw = defaultSort
	}
	l.Sort = Sort{Field: strings.TrimPrefix(raw, "-"), Desc: strings.HasPrefix(raw, "-")}
	if !slices.Contains(allowed, l.Sort.Field) {
		p.Add("sort", apperr.NotAllowed(sortChoices(allowed)...))
	}
	if err := p.Check(); err != nil {
		return List{}, err
	}
	// The cursor names its sort, so a cursor cannot be replayed in another order.
	req, err := page.NewRequest(q.Limit, q.Cursor, l.Sort.String())
	if err != nil {
		return List{}, err
	}
	l.Page = req
	return l, nil
}

func sortChoices(allowed []string) []string {
	var out []string
	for _, a := range allowed {
		if a == SortRelevance {
			out = append(out, a)
			continue
		}
		out = append(out, a, "-"+a)
	}
	return out
}

// notFound reports whether err is the store's "no such record".
func notFound(err error) bool {
	e, ok := apperr.As(err)
	return ok && e.Code == apperr.CodeNotFound
}
