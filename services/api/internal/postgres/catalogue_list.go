package postgres

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/page"
)

// listQuery builds a keyset-paged list: filters first, then the page.
type listQuery struct {
	where []string
	args  []any
	// from replaces the table's name as the rows to list (a subquery).
	from string
	// total, when set, counts the matches exactly and cheaply, instead of
	// counting them row by row up to page.CountLimit+1.
	total *countQuery
	// totalInPage counts the matches in the page query itself, for lists
	// whose page query reads every match anyway (a search sorts them all).
	totalInPage bool
}

// countQuery is a statement that returns the number of matches.
type countQuery struct {
	sql  string
	args []any
}

// arg adds a query argument and returns its placeholder.
func (q *listQuery) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

func (q *listQuery) filter(cond string) { q.where = append(q.where, cond) }

func (q *listQuery) archived(f catalogue.ArchivedFilter) {
	switch f {
	case catalogue.ActiveOnly:
		q.filter("archived_at IS NULL")
	case catalogue.ArchivedOnly:
		q.filter("archived_at IS NOT NULL")
	}
}

// search adds a typo-tolerant match of text against doc, an expression with
// a trigram index: a word of doc similar to the text (pg_trgm's <%), or doc
// containing it. Containment needs three characters before the index can
// help, so shorter text relies on similarity alone. It returns the
// placeholder of the text for further use in the same condition.
func (q *listQuery) search(doc, text string, or ...func(qp string) string) string {
	qp := q.arg(text)
	conds := []string{"lower(" + qp + ") <% " + doc}
	if utf8.RuneCountInString(text) >= 3 {
		conds = append(conds, doc+" LIKE '%' || lower("+q.arg(likeEscape(text))+") || '%'")
	}
	for _, o := range or {
		conds = append(conds, o(qp))
	}
	q.filter("(" + strings.Join(conds, " OR ") + ")")
	return qp
}

// likeEscape makes s match itself literally in a LIKE pattern.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func (q *listQuery) whereSQL() string {
	if len(q.where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(q.where, " AND ")
}

// sortKey is the order of a list. The cursor holds the key of a page's last
// row as text (and its id, unless the key alone is unique).
type sortKey struct {
	expr   string                    // the key, as the index has it
	text   string                    // the key as text for the cursor
	parse  func(string) (any, error) // cursor text back to a query argument
	unique bool                      // no two rows share a key: no id needed
	desc   bool
}

func textKey(expr string, unique, desc bool) sortKey {
	return sortKey{expr: expr, text: expr, parse: func(s string) (any, error) { return s, nil }, unique: unique, desc: desc}
}

func intKey(expr string, unique, desc bool) sortKey {
	return sortKey{expr: expr, text: expr + "::text", unique: unique, desc: desc,
		parse: func(s string) (any, error) { return strconv.ParseInt(s, 10, 64) }}
}

// timeKey keys on a timestamptz; the text is RFC 3339 in UTC with
// microseconds, PostgreSQL's precision, so it compares exactly.
func timeKey(expr string, desc bool) sortKey {
	return sortKey{
		expr: expr, desc: desc,
		text: "to_char(" + expr + ` AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
		parse: func(s string) (any, error) {
			return time.Parse(time.RFC3339Nano, s)
		},
	}
}

// realKey keys on a real; its text form round-trips exactly (PostgreSQL
// prints the shortest exact representation).
func realKey(expr string, desc bool) sortKey {
	return sortKey{expr: expr, text: "(" + expr + ")::text", desc: desc,
		parse: func(s string) (any, error) {
			f, err := strconv.ParseFloat(s, 32)
			return float32(f), err
		}}
}

func badCursor() error {
	return page.InvalidCursor()
}

// pageSQL returns the query of one page after the keys in after (none for
// the first page), fetching one row more than limit to learn whether another
// page follows.
func (q *listQuery) pageSQL(from, columns string, key sortKey, after []string, limit int) (string, []any, error) {
	where := q.where
	if len(after) > 0 {
		want := 2
		if key.unique {
			want = 1
		}
		if len(after) != want {
			return "", nil, badCursor()
		}
		k, err := key.parse(after[0])
		if err != nil {
			return "", nil, badCursor()
		}
		op := " > "
		if key.desc {
			op = " < "
		}
		if key.unique {
			where = append(where[:len(where):len(where)], key.expr+op+q.arg(k))
		} else {
			id, err := strconv.ParseInt(after[1], 10, 64)
			if err != nil {
				return "", nil, badCursor()
			}
			where = append(where[:len(where):len(where)], "("+key.expr+", id)"+op+"("+q.arg(k)+", "+q.arg(id)+")")
		}
	}
	dir := ""
	if key.desc {
		dir = " DESC"
	}
	order := key.expr + dir
	if !key.unique {
		order += ", id" + dir
	}
	if q.totalInPage {
		// The window counts the filters' matches before the cursor skips
		// the earlier pages.
		from = "(SELECT *, count(*) OVER () AS list_total FROM " + from + q.whereSQL() + ") " + tableAlias(from)
		where = where[len(q.where):]
		columns += ", list_total"
	}
	sql := "SELECT " + columns + ", " + key.text + " AS cursor_key FROM " + from
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	sql += " ORDER BY " + order + " LIMIT " + q.arg(limit+1)
	return sql, q.args, nil
}

// tableAlias is the name the rows of from go by: the table's name, or the
// alias of a subquery ("(SELECT ...) items").
func tableAlias(from string) string {
	return from[strings.LastIndexByte(from, ' ')+1:]
}

// source is what the list reads: the subquery of q.from, or table.
func (q *listQuery) source(table string) string {
	if q.from != "" {
		return q.from
	}
	return table
}

// totalSQL is the statement of the list's total: the kept count when q
// has one, else counting the filters' matches.
func (q *listQuery) totalSQL(from string) (string, []any) {
	if q.total != nil {
		return q.total.sql, q.total.args
	}
	return q.countSQL(from)
}

// countSQL counts the rows the filters match, up to page.CountLimit+1.
func (q *listQuery) countSQL(from string) (string, []any) {
	return "SELECT count(*) FROM (SELECT 1 FROM " + from + q.whereSQL() + " LIMIT " + strconv.Itoa(page.CountLimit+1) + ") c", q.args
}

// list runs the count and the page query of q over t.
func list[T any](ctx context.Context, s *CatalogueStore, t table[T], q listQuery, key sortKey, l catalogue.List) (page.Page[T], error) {
	if len(l.IDs) > 0 {
		// A few records by primary key; a kept count would count them all.
		q.filter("id = ANY(" + q.arg(l.IDs) + ")")
		q.total = nil
	}
	from := q.source(t.name)
	var out page.Page[T]
	if !q.totalInPage {
		countSQL, countArgs := q.totalSQL(from)
		if err := s.pool.QueryRow(ctx, countSQL, countArgs...).Scan(&out.Total); err != nil {
			return out, err
		}
	}
	filterArgs := len(q.args)
	sql, args, err := q.pageSQL(from, t.columns, key, l.Page.After, l.Page.Limit)
	if err != nil {
		return out, err
	}
	type keyed struct {
		v   T
		key string
	}
	var total int
	rows, _ := s.pool.Query(ctx, sql, args...)
	got, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (keyed, error) {
		var k keyed
		dests := t.dests(&k.v)
		if q.totalInPage {
			dests = append(dests, &total)
		}
		err := row.Scan(append(dests, &k.key)...)
		return k, err
	})
	if err != nil {
		return out, err
	}
	if q.totalInPage {
		out.Total = min(total, page.CountLimit+1)
		if len(got) == 0 && len(l.Page.After) > 0 {
			// Past the last page the window saw nothing to count.
			countSQL, countArgs := q.countSQL(from)
			if err := s.pool.QueryRow(ctx, countSQL, countArgs[:filterArgs]...).Scan(&out.Total); err != nil {
				return out, err
			}
		}
	}
	if len(got) > l.Page.Limit {
		got = got[:l.Page.Limit]
		last := got[len(got)-1]
		keys := []string{last.key}
		if !key.unique {
			keys = append(keys, strconv.FormatInt(t.meta(&last.v).id, 10))
		}
		out.NextCursor = page.Cursor(l.Sort.String(), keys...)
	}
	out.Items = make([]T, len(got))
	for i, k := range got {
		out.Items[i] = k.v
	}
	return out, nil
}
