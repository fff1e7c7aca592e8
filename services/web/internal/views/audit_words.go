package views

import (
	"encoding/json"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/i18n"
)

// An audit entry as words: "Anna Muster changed item Lager Bier", its
// changed fields with the form's labels and values in the person's
// formats, and the records it names linked by name. The api stores field
// names and raw values; the page never shows them.

// AuditRef is what a page learnt about a record an entry names.
type AuditRef struct {
	Name string
	// Currency is an item's or customer's, for its money fields.
	Currency string
	// BaseUnit and PackageUnit are an item's, for its quantities.
	BaseUnit, PackageUnit string
	// Gone: the api says the record no longer exists.
	Gone bool
}

// AuditRefs are the records a page looked up for its entries, by kind
// ("item", "category", "supplier", "customer", "location", "user") and id.
type AuditRefs map[string]map[int64]AuditRef

// Set records what the page learnt about one record.
func (r AuditRefs) Set(kind string, id int64, ref AuditRef) {
	if r[kind] == nil {
		r[kind] = map[int64]AuditRef{}
	}
	r[kind][id] = ref
}

func (r AuditRefs) get(kind string, id int64) (AuditRef, bool) {
	ref, ok := r[kind][id]
	return ref, ok
}

// AuditWanted lists the records entries name, by kind, without repeats and
// in order, so that a handler can look up their names (all at once). The
// people are not listed: the api names who made each entry, and only an
// admin may look people up (see AuditRefs.Set).
func AuditWanted(es []apiclient.AuditEntry) map[string][]int64 {
	seen := map[string]map[int64]bool{}
	out := map[string][]int64{}
	add := func(kind string, id int64) {
		if id <= 0 || !auditLookedUp[kind] {
			return
		}
		if seen[kind] == nil {
			seen[kind] = map[int64]bool{}
		}
		if !seen[kind][id] {
			seen[kind][id] = true
			out[kind] = append(out[kind], id)
		}
	}
	for _, e := range es {
		for kind, id := range auditRecordIDs(e) {
			add(kind, id)
		}
		for field, c := range e.Changes {
			f := auditFieldOf(e.Entity, field)
			if f.kind != auditRef {
				continue
			}
			for _, v := range []any{c.From, c.To} {
				if id, ok := auditInt64(v); ok {
					add(f.ref, id)
				}
			}
		}
	}
	for _, ids := range out {
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	}
	return out
}

// auditLookedUp are the kinds of record a page may look up by id.
var auditLookedUp = map[string]bool{"item": true, "category": true, "supplier": true, "customer": true, "location": true, "user": true}

// auditRecordIDs are the records an entry is about: its own, and for a
// supplier link the item and the supplier.
func auditRecordIDs(e apiclient.AuditEntry) map[string]int64 {
	if e.Entity == "item_supplier" {
		item, supplier, _ := strings.Cut(e.EntityID, ":")
		i, _ := strconv.ParseInt(item, 10, 64)
		s, _ := strconv.ParseInt(supplier, 10, 64)
		return map[string]int64{"item": i, "supplier": s}
	}
	id, err := strconv.ParseInt(e.EntityID, 10, 64)
	if err != nil {
		return nil
	}
	out := map[string]int64{e.Entity: id}
	if e.Entity == "movement" {
		// A movement's quantities and cost are in its item's units and currency.
		if c, ok := e.Changes["item_id"]; ok {
			if item, ok := auditInt64(c.To); ok {
				out["item"] = item
			}
		}
	}
	return out
}

// AuditValue is a value as shown: text, and a link where it names a record.
type AuditValue struct {
	Text  string
	Href  string
	Title string // more detail, as a tooltip
}

// AuditChangeRow is one changed field: its label, before and after (nil
// where the record had no value: before a create, after a delete).
type AuditChangeRow struct {
	Field    string // the api's name, for test ids only
	Label    string
	From, To *AuditValue
}

// AuditEntryRow is one audit entry in words.
type AuditEntryRow struct {
	ID int64
	At time.Time
	// Who made it (linked to what they did), and Via the API token they
	// used ("" without one).
	Who AuditValue
	Via string
	// What was done: Before, then Record (linked to its page; empty when
	// the sentence names no record), then After.
	Before string
	Record AuditValue
	After  string
	// TrailHref lists every entry of the record; OpenHref is its page
	// where it has one the person may read.
	TrailHref string
	OpenHref  string
	// RequestHref lists what the same request did; RequestID is its title.
	RequestHref string
	RequestID   string
	Changes     []AuditChangeRow
}

// NewAuditRows turns entries into words for p's person, with the names in
// refs; a record refs does not name is written from the entry itself (its
// name when the entry holds it) or as its kind and number.
func NewAuditRows(p Page, es []apiclient.AuditEntry, refs AuditRefs) []AuditEntryRow {
	t := i18n.Audit(p.Lang)
	out := make([]AuditEntryRow, 0, len(es))
	for _, e := range es {
		w := auditWriter{p: p, t: t, refs: refs, e: e}
		out = append(out, w.row())
	}
	return out
}

type auditWriter struct {
	p    Page
	t    *i18n.AuditText
	refs AuditRefs
	e    apiclient.AuditEntry
}

func (w auditWriter) row() AuditEntryRow {
	e, t := w.e, w.t
	r := AuditEntryRow{ID: e.ID, At: e.At, RequestID: e.RequestID,
		RequestHref: auditLink("request_id", e.RequestID),
		TrailHref:   auditLink("entity", e.Entity, "entity_id", e.EntityID)}
	r.Who = w.who()
	if e.TokenID != nil {
		r.Via = t.ViaSomeToken
		if e.TokenName != nil && *e.TokenName != "" {
			r.Via = fill(t.ViaToken, "name", *e.TokenName)
		}
	}
	sentence := t.Sentence(e.Entity, e.Action)
	before, after, names := strings.Cut(sentence, "{record}")
	r.Before, r.After = before, after
	if names {
		r.Record = w.record()
		r.Before += t.Record(e.Entity) + " "
	}
	r.OpenHref = auditRecordHref(w.p, e.Entity, e.EntityID)
	if e.Action == "delete" {
		// A deleted record has no page left to open.
		r.OpenHref, r.Record.Href = "", ""
	}
	r.Changes = w.changes()
	return r
}

// who names the person: the api's name for them (always given: people are
// disabled, never deleted), else (an admin's page) the people list's, else
// a word for a person no longer known, never their number; the system has
// its own name.
func (w auditWriter) who() AuditValue {
	e := w.e
	if e.UserID == nil {
		return AuditValue{Text: w.t.System}
	}
	v := AuditValue{Href: auditLink("user_id", itoa(*e.UserID))}
	switch ref, ok := w.refs.get("user", *e.UserID); {
	case e.UserName != nil && *e.UserName != "":
		v.Text = *e.UserName
	case ok && ref.Name != "":
		v.Text = ref.Name
	default:
		v.Text = w.t.FormerUser
	}
	return v
}

// record names the entry's record, linked to its page.
func (w auditWriter) record() AuditValue {
	e := w.e
	switch e.Entity {
	case "item_supplier":
		ids := auditRecordIDs(e)
		supplier := w.refValue("supplier", ids["supplier"], nil)
		item := w.refValue("item", ids["item"], nil)
		return AuditValue{Text: supplier.Text + " – " + item.Text, Href: item.Href}
	case "movement":
		id, _ := strconv.ParseInt(e.EntityID, 10, 64)
		return AuditValue{Text: w.movementName(id), Href: auditRecordHref(w.p, e.Entity, e.EntityID)}
	case "session":
		return AuditValue{}
	case "invoice", "credit_note":
		// Named by the number people know, never by the record's id.
		if n, ok := e.Changes["number"].To.(string); ok && n != "" {
			return AuditValue{Text: n, Href: auditRecordHref(w.p, e.Entity, e.EntityID)}
		}
	case "payment":
		if a, ok := e.Changes["amount"].To.(string); ok && a != "" {
			return AuditValue{Text: w.p.Fmt.Amount(a)}
		}
	case "bank_import":
		// A bank file has no name of its own: its number is its name, as
		// the bank-import page shows it ("bank file 3", not "no. 3").
		return AuditValue{Text: e.EntityID, Href: auditRecordHref(w.p, e.Entity, e.EntityID)}
	}
	id, err := strconv.ParseInt(e.EntityID, 10, 64)
	if err != nil {
		return AuditValue{Text: w.t.Record("other")}
	}
	return w.refValue(e.Entity, id, e.Changes)
}

// movementName writes a booking from its entry: "Receipt 12 crate Lager
// Bier"; without the entry's values, "no. 42".
func (w auditWriter) movementName(id int64) string {
	ch := w.e.Changes
	typ, _ := ch["type"].To.(string)
	if typ == "" {
		return fill(w.t.RecordNumber, "n", itoa(id))
	}
	item, _ := auditInt64(ch["item_id"].To)
	ref, _ := w.refs.get("item", item)
	name := w.refValue("item", item, nil).Text
	qty := ""
	if n, ok := auditInt64(ch["entered_quantity"].To); ok {
		unit, _ := ch["entered_unit"].To.(string)
		qty = w.p.Fmt.Quantity(n, auditUnitName(w.p.Lang, ref, unit))
	}
	return strings.Join(strings.Fields(strings.NewReplacer("{type}", auditEnumName(i18n.Movements(w.p.Lang).TypeNames, typ),
		"{quantity}", qty, "{item}", name).Replace(w.t.MovementName)), " ")
}

// refValue names a record of kind by id, linked to its page: the name the
// page looked up, else the one the entry holds (a created or deleted
// record's), else its kind and number.
func (w auditWriter) refValue(kind string, id int64, changes map[string]apiclient.AuditChange) AuditValue {
	v := AuditValue{Href: auditRecordHref(w.p, kind, itoa(id))}
	if kind == "movement" {
		v.Text = i18n.Audit(w.p.Lang).EntityName("movement") + " " + fill(w.t.RecordNumber, "n", itoa(id))
		return v
	}
	ref, ok := w.refs.get(kind, id)
	switch {
	case ok && ref.Name != "":
		v.Text = ref.Name
	case changes != nil && auditName(kind, changes) != "":
		v.Text = auditName(kind, changes)
	default:
		v.Text = fill(w.t.RecordNumber, "n", itoa(id))
	}
	if ok && ref.Gone {
		v.Text += " " + w.t.Gone
		v.Href = ""
	}
	return v
}

// auditName is the name a record's entry holds (before a delete, after a
// create or a rename).
func auditName(kind string, changes map[string]apiclient.AuditChange) string {
	c, ok := changes["name"]
	if !ok {
		return ""
	}
	for _, v := range []any{c.To, c.From} {
		if s, ok := v.(string); ok && s != "" {
			if kind == "item" {
				if sku, ok := changes["sku"].To.(string); ok && sku != "" {
					return sku + " " + s
				}
			}
			return s
		}
	}
	return ""
}

// changes lists the entry's fields, labelled and written for people, in
// the order of their labels; fields never shown are left out.
func (w auditWriter) changes() []AuditChangeRow {
	e := w.e
	out := make([]AuditChangeRow, 0, len(e.Changes))
	for field, c := range e.Changes {
		f := auditFieldOf(e.Entity, field)
		if f.kind == auditHidden {
			continue
		}
		row := AuditChangeRow{Field: field, Label: auditLabel(w.p.Lang, w.t, e.Entity, field)}
		if c.From != nil {
			v := w.value(f, c.From)
			row.From = &v
		}
		if c.To != nil {
			v := w.value(f, c.To)
			row.To = &v
		}
		if row.From == nil && row.To == nil {
			// A field that went from nothing to nothing says nothing.
			continue
		}
		out = append(out, row)
	}
	if row, ok := w.costRow(); ok {
		out = append(out, row)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Label < out[j].Label })
	return out
}

// costRow is a movement's change of its item's average cost as one row,
// "Average cost per unit: CHF 0.80 → CHF 0.85"; none when it did not
// change.
func (w auditWriter) costRow() (AuditChangeRow, bool) {
	if w.e.Entity != "movement" {
		return AuditChangeRow{}, false
	}
	before, ok1 := auditInt64(w.e.Changes["avg_cost_before"].To)
	after, ok2 := auditInt64(w.e.Changes["avg_cost_after"].To)
	if !ok1 || !ok2 || before == after {
		return AuditChangeRow{}, false
	}
	f := auditField{kind: auditMicros}
	from, to := w.value(f, float64(before)), w.value(f, float64(after))
	return AuditChangeRow{Field: "avg_cost", Label: i18n.Items(w.p.Lang).Labels["avg_unit_cost"], From: &from, To: &to}, true
}

// value writes one value of field f.
func (w auditWriter) value(f auditField, v any) AuditValue {
	p, t := w.p, w.t
	text := func(s string) AuditValue { return AuditValue{Text: s} }
	if s, ok := v.(string); ok && s == "" {
		return text(t.Empty)
	}
	switch f.kind {
	case auditBool:
		if b, ok := v.(bool); ok {
			if b {
				return text(t.Yes)
			}
			return text(t.No)
		}
	case auditInt:
		if n, ok := auditInt64(v); ok {
			return text(p.Fmt.Int(n))
		}
	case auditBaseQty:
		if n, ok := auditInt64(v); ok {
			return text(p.Fmt.Quantity(n, w.item().BaseUnit))
		}
	case auditEntered:
		if n, ok := auditInt64(v); ok {
			unit, _ := w.e.Changes["entered_unit"].To.(string)
			return text(p.Fmt.Quantity(n, auditUnitName(p.Lang, w.item(), unit)))
		}
	case auditMoney:
		// The api keeps amounts in minor units (Rappen) and writes them
		// so into the trail; a decimal string is taken as it is.
		if n, ok := auditInt64(v); ok {
			return text(p.Fmt.Money(scaled(n, 2), w.currency()))
		}
		if s, ok := v.(string); ok {
			return text(p.Fmt.Money(s, w.currency()))
		}
	case auditMicros:
		if n, ok := auditInt64(v); ok {
			return text(microsMoney(p, n, w.currency()))
		}
	case auditVAT:
		if n, ok := auditInt64(v); ok {
			return text(p.Fmt.Percent(scaled(n, 2)))
		}
	case auditPermille:
		if n, ok := auditInt64(v); ok {
			return text(p.Fmt.Percent(scaled(n, 1)))
		}
	case auditTime, auditDate:
		if s, ok := v.(string); ok {
			if at, err := time.Parse(time.RFC3339Nano, s); err == nil {
				if f.kind == auditDate {
					return text(p.Fmt.Date(at))
				}
				return text(p.Fmt.DateTime(at))
			}
		}
	case auditAddress:
		if m, ok := v.(map[string]any); ok {
			return text(auditAddressLine(m))
		}
	case auditEnum:
		if s, ok := v.(string); ok && f.names != nil {
			return text(auditEnumName(f.names(p.Lang, p.Msg), s))
		}
	case auditRef:
		if id, ok := auditInt64(v); ok {
			return w.refValue(f.ref, id, nil)
		}
	case auditUserAgent:
		if s, ok := v.(string); ok {
			return AuditValue{Text: DeviceName(p.Lang, s), Title: s}
		}
	}
	return text(auditPlain(t, v))
}

// item is what the page learnt about the entry's item (its own for an
// item, a movement's or a supplier link's item).
func (w auditWriter) item() AuditRef {
	ids := auditRecordIDs(w.e)
	ref, _ := w.refs.get("item", ids["item"])
	return ref
}

// currency is the currency of the entry's money: the record's own when the
// entry changed it, else its item's or customer's.
func (w auditWriter) currency() string {
	if c, ok := w.e.Changes["currency"]; ok {
		if s, ok := c.To.(string); ok && s != "" {
			return s
		}
		if s, ok := c.From.(string); ok && s != "" {
			return s
		}
	}
	if ref := w.item(); ref.Currency != "" {
		return ref.Currency
	}
	ids := auditRecordIDs(w.e)
	ref, _ := w.refs.get("customer", ids["customer"])
	return ref.Currency
}

// auditUnitName names a movement's unit ("base", "package", "pallet") by
// the item's own words where the page knows them.
func auditUnitName(lang i18n.Lang, item AuditRef, unit string) string {
	mt := i18n.Movements(lang)
	switch unit {
	case "base", "":
		if item.BaseUnit != "" {
			return item.BaseUnit
		}
	case "package":
		if item.PackageUnit != "" {
			return item.PackageUnit
		}
	case "pallet":
		return mt.Pallet
	}
	return auditEnumName(mt.UnitNames, unit)
}

func auditEnumName(names map[string]string, code string) string {
	if s, ok := names[code]; ok && s != "" {
		return s
	}
	return code
}

// auditAddressLine writes an address on one line: "Bahnhofstrasse 1,
// 8001 Zürich, CH".
func auditAddressLine(m map[string]any) string {
	str := func(k string) string { s, _ := m[k].(string); return s }
	parts := []string{}
	for _, part := range []string{
		strings.TrimSpace(str("street") + " " + str("house_number")),
		strings.TrimSpace(str("postal_code") + " " + str("town")),
		str("country"),
	} {
		if part != "" {
			parts = append(parts, part)
		}
	}
	return strings.Join(parts, ", ")
}

// auditPlain writes a value the table does not describe: text as it is,
// numbers without exponents, yes/no, anything else compact.
func auditPlain(t *i18n.AuditText, v any) string {
	switch v := v.(type) {
	case string:
		return v
	case bool:
		if v {
			return t.Yes
		}
		return t.No
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case json.Number:
		return v.String()
	case map[string]any:
		if _, ok := v["town"]; ok {
			return auditAddressLine(v)
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return t.Empty
	}
	return string(b)
}

// auditInt64 reads a whole number as JSON gives it.
func auditInt64(v any) (int64, bool) {
	switch v := v.(type) {
	case float64:
		if v != math.Trunc(v) || math.Abs(v) > 1<<53 {
			return 0, false
		}
		return int64(v), true
	case json.Number:
		n, err := v.Int64()
		return n, err == nil
	}
	return 0, false
}

// scaled writes n / 10^places as a decimal string without trailing zeros:
// scaled(810, 2) is "8.1".
func scaled(n int64, places int) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n, 10)
	for len(s) <= places {
		s = "0" + s
	}
	whole, frac := s[:len(s)-places], strings.TrimRight(s[len(s)-places:], "0")
	if frac != "" {
		whole += "." + frac
	}
	if neg {
		whole = "-" + whole
	}
	return whole
}

// microsMoney writes millionths of a currency as money, with two decimals
// or as many as it needs: 800000 is "CHF 0.80", 833333 "CHF 0.833333".
func microsMoney(p Page, micros int64, currency string) string {
	s := scaled(micros, 6)
	whole, frac, _ := strings.Cut(s, ".")
	var out string
	if len(frac) <= 2 {
		frac += strings.Repeat("0", 2-len(frac))
		out = p.Fmt.Amount(whole + "." + frac)
	} else {
		out = p.Fmt.Decimal(s)
	}
	if currency == "" {
		return out
	}
	return currency + " " + out
}
