package views

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// Names of the hidden fields every form may carry. Handlers read them
// through the same constants.
const (
	// CSRFFieldName carries the CSRF token (CSRFField renders it).
	CSRFFieldName = "_csrf"
	// IdempotencyFieldName carries the key that makes a create form book
	// once however often it is sent (IdempotencyField renders it).
	IdempotencyFieldName = "_idempotency_key"
	// NextFieldName carries the local path to return to after a switch.
	NextFieldName = "next"
)

// Form is the state of one form on a page: the values to show (what the
// person typed, or the record's current values), the messages beside the
// fields (already translated), a message for the whole form, and the
// idempotency key of a create form.
type Form struct {
	Values         map[string]string
	Errors         map[string]string
	Error          string
	IdempotencyKey string
}

// Value returns the value to show in field name.
func (f Form) Value(name string) string { return f.Values[name] }

// Err returns the message beside field name, "" when there is none.
func (f Form) Err(name string) string { return f.Errors[name] }

// HasErrors reports whether the form has any message to show.
func (f Form) HasErrors() bool { return f.Error != "" || len(f.Errors) > 0 }

// FieldSpec describes one labelled input. The input's id is Form + "-" +
// Name (so two forms on one page may both have a "name"), and its
// data-testid is "field-" + that id, with "error-" + id on its message.
type FieldSpec struct {
	Form         string // id prefix: the form's name, e.g. "password"
	Name         string // the form field's name, e.g. "current_password"
	Label        string
	Type         string // text (default), email, password, number, date, search...
	Autocomplete string // e.g. "email", "current-password", "off"
	InputMode    string // e.g. "numeric", "decimal"
	Hint         string // shown under the label and tied to the input
	Required     bool
	ReadOnly     bool
	MaxLength    int
	Options      []Option // for SelectField
	// Target is the id an error summary links to when the problem is not
	// this control's own id's: an item chosen through a search field, a
	// line's item found by its code. "" links to ID().
	Target string
}

// summaryItem is one line of an error summary: a field's label and
// message, linking to the field.
type summaryItem struct {
	ID, Label, Message string
}

// summaryItems lists the problems of f in the order of fields; loose are
// the messages of names none of fields shows (sorted by name, so the page
// reads the same every time).
func summaryItems(f Form, fields []FieldSpec) (items []summaryItem, loose []string) {
	shown := map[string]bool{}
	for _, s := range fields {
		if m := f.Err(s.Name); m != "" && !shown[s.Name] {
			shown[s.Name] = true
			items = append(items, summaryItem{ID: s.summaryTarget(), Label: s.Label, Message: m})
		}
	}
	names := make([]string, 0, len(f.Errors))
	for name, m := range f.Errors {
		if !shown[name] && m != "" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		loose = append(loose, f.Errors[name])
	}
	return items, loose
}

// summaryCount says how many fields need correcting.
func summaryCount(p Page, n int) string {
	if n == 1 {
		return p.Msg.ErrorSummaryOne
	}
	return strings.ReplaceAll(p.Msg.ErrorSummaryMany, "{n}", p.Fmt.Int(int64(n)))
}

// SectionFields is every field of sections, in order: what an
// ErrorSummary lists.
func SectionFields(sections []CatSection) []FieldSpec {
	var out []FieldSpec
	for _, s := range sections {
		out = append(out, s.Fields...)
	}
	return out
}

// HasRequired reports whether any of fields is required (the form then
// shows RequiredNote).
func HasRequired(fields []FieldSpec) bool {
	for _, s := range fields {
		if s.Required {
			return true
		}
	}
	return false
}

// Option is one choice of a select.
type Option struct {
	Value string
	Label string
}

// PartnerOption is a supplier or customer a booking form's partner field
// offers: Text is what people read (and the field then shows), Key what
// the form sends back in the hidden <name>_key ("s12"), never shown.
type PartnerOption struct {
	Key  string
	Text string
}

// ID is the input's id.
func (s FieldSpec) ID() string { return s.Form + "-" + s.Name }

// summaryTarget is the id an error summary links to.
func (s FieldSpec) summaryTarget() string {
	if s.Target != "" {
		return s.Target
	}
	return s.ID()
}

func (s FieldSpec) inputType() string {
	if s.Type == "" {
		return "text"
	}
	return s.Type
}

// describedBy ties the hint and the error to the input for screen readers.
func (s FieldSpec) describedBy(f Form) string {
	var ids []string
	if s.Hint != "" {
		ids = append(ids, s.ID()+"-hint")
	}
	if f.Err(s.Name) != "" {
		ids = append(ids, s.ID()+"-error")
	}
	return strings.Join(ids, " ")
}

// value is what the input shows: never a password, which must not travel
// back to the browser in a page.
func (s FieldSpec) value(f Form) string {
	if s.Type == "password" {
		return ""
	}
	return f.Value(s.Name)
}

// Pager is the navigation of a list page. The api pages with cursors
// (keyset): there is a next page or not, and the first page; every other
// query parameter (search, filters, sort) is kept in both links.
type Pager struct {
	First string // URL of the first page; "" when this is it
	Next  string // URL of the next page; "" when this is the last
	Total int    // matching records as the api counted them
	// More: the api stopped counting (it counts up to 10,000 and then
	// answers 10001).
	More bool
	// Counted: the api sent a total at all.
	Counted bool
}

// moreThan is the total the api answers when there are more than it counts.
const moreThan = 10001

// NewPager makes the pager of a list page at path whose current query is
// query, from the api's next_cursor and total (either may be nil).
func NewPager(path string, query url.Values, nextCursor *string, total *int) Pager {
	var p Pager
	if query.Get("cursor") != "" {
		q := cloneQuery(query)
		q.Del("cursor")
		p.First = withQuery(path, q)
	}
	if nextCursor != nil && *nextCursor != "" {
		q := cloneQuery(query)
		q.Set("cursor", *nextCursor)
		p.Next = withQuery(path, q)
	}
	if total != nil {
		p.Counted = true
		p.Total = *total
		if *total >= moreThan {
			p.Total, p.More = moreThan-1, true
		}
	}
	return p
}

func cloneQuery(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}

func withQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// Widths of inputs whose contract limit is a pattern or a type rather than
// a length (TestFormWidthsFitTheContract compares them with the contract);
// every other maxlength, min and max of a form is the contract's own
// (apiclient.Limit...).
const (
	// GTINWidth is the longest GTIN (GTIN-14) the EAN pattern lets through.
	GTINWidth = 14
	// CountryWidth is an ISO 3166 alpha-2 code's length.
	CountryWidth = 2
	// DecimalWidth leaves room for a money amount or cost as people type
	// it, with grouping marks ("1’234’567.50"), which the web takes out.
	DecimalWidth = 20
	// PercentWidth fits "100.0" and a typed " %".
	PercentWidth = 6
	// IDWidth fits any positive int64.
	IDWidth = 19
	// WholeMaximum bounds whole-number fields the contract leaves open
	// (a minimum stock): the largest integer a JSON number carries exactly.
	WholeMaximum = 1<<53 - 1
)

// Digits is the number of digits of max: the width of a whole-number
// input whose largest value is max.
func Digits(max int) int { return len(strconv.Itoa(max)) }
