package handlers

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/oapi-codegen/nullable"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/format"
	"github.com/depotix/depotix/services/web/internal/i18n"
	"github.com/depotix/depotix/services/web/internal/views"
)

// What the catalogue pages (items and master data) share: turning a form
// into the api's request types, reading a list's query, and archive,
// restore and delete.

// formBody reads a posted form's values into the api's generated request
// types (apiclient.ItemInput, apiclient.CustomerUpdate...): each kind's
// handler builds its body field by field, so a field the api renames or
// drops fails to compile. Form fields are named as the api names them
// (dotted for nested objects: billing_address.town), so the api's field
// messages land beside them without renaming.
//
// On create an empty optional value is left out; on change it is sent as
// null, which clears it. A field that is not in the form at all (values
// has no entry: a clerk's customer form has no credit limit) is always
// left out. A number or amount that is not one is noted in local, to be
// shown beside its field without asking the api: it cannot be sent as a
// number.
type formBody struct {
	values map[string]string
	create bool
	t      *i18n.CatalogueText
	local  map[string]string
}

func newFormBody(values map[string]string, create bool, t *i18n.CatalogueText) *formBody {
	return &formBody{values: values, create: create, t: t, local: map[string]string{}}
}

// str is a text field sent as typed ("" included): a required field of a
// create body.
func (b *formBody) str(name string) string { return b.values[name] }

// text is a text field sent as typed; "" empties it. Absent from the
// form, it is left out.
func (b *formBody) text(name string) *string {
	v, ok := b.values[name]
	if !ok {
		return nil
	}
	return &v
}

// omit is a text field the api fills in when absent: "" leaves it out.
func (b *formBody) omit(name string) *string {
	if v := b.values[name]; v != "" {
		return &v
	}
	return nil
}

// check is a checkbox: "1" is true, anything else false.
func (b *formBody) check(name string) *bool {
	if _, ok := b.values[name]; !ok {
		return nil
	}
	v := b.values[name] == "1"
	return &v
}

// amount is a decimal amount ("1’234,50" is 1234.50); "" leaves it out.
func (b *formBody) amount(name string) *string {
	raw := b.values[name]
	if raw == "" {
		return nil
	}
	d, ok := format.NormalizeDecimal(raw)
	if !ok {
		b.local[name] = b.t.LocalDecimal
		return nil
	}
	return &d
}

// clearOf is what an empty optional value sends: nothing on create (or when
// the form has no such field), null on change.
func clearOf[T any](b *formBody, name string) nullable.Nullable[T] {
	if _, inForm := b.values[name]; b.create || !inForm {
		return nullable.Nullable[T]{}
	}
	return nullable.NewNullNullable[T]()
}

// optText is a text field that may be absent: "" is null on change.
func optText[T ~string](b *formBody, name string) nullable.Nullable[T] {
	if v := b.values[name]; v != "" {
		return nullable.NewNullableWithValue(T(v))
	}
	return clearOf[T](b, name)
}

// optAmount is an amount that may be absent: "" is null on change.
func optAmount(b *formBody, name string) nullable.Nullable[string] {
	if b.values[name] == "" {
		return clearOf[string](b, name)
	}
	if d := b.amount(name); d != nil {
		return nullable.NewNullableWithValue(*d)
	}
	return nullable.Nullable[string]{}
}

// whole is a whole number ("1’200" is 1200); "" leaves it out.
func whole[T ~int | ~int64](b *formBody, name string) *T {
	raw := b.values[name]
	if raw == "" {
		return nil
	}
	n, err := strconv.ParseInt(strings.NewReplacer("’", "", "'", "", " ", "").Replace(raw), 10, 64)
	if err != nil || int64(T(n)) != n {
		b.local[name] = b.t.LocalNumber
		return nil
	}
	v := T(n)
	return &v
}

// optWhole is a whole number that may be absent: "" is null on change.
func optWhole[T ~int | ~int64](b *formBody, name string) nullable.Nullable[T] {
	if b.values[name] == "" {
		return clearOf[T](b, name)
	}
	if n := whole[T](b, name); n != nil {
		return nullable.NewNullableWithValue(*n)
	}
	return nullable.Nullable[T]{}
}

// typed is a text field of an enum type (currency, kind), sent as typed.
func typed[T ~string](b *formBody, name string) *T {
	v, ok := b.values[name]
	if !ok {
		return nil
	}
	t := T(v)
	return &t
}

// address is a postal address of the form's fields prefix.street,
// prefix.house_number, prefix.postal_code, prefix.town and prefix.country.
// An address without a country is Swiss (the api fills in CH): "" is not
// a country code, so it is left out.
func (b *formBody) address(prefix string) apiclient.Address {
	return apiclient.Address{Street: b.text(prefix + ".street"), HouseNumber: b.text(prefix + ".house_number"),
		PostalCode: b.text(prefix + ".postal_code"), Town: b.text(prefix + ".town"), Country: b.omit(prefix + ".country")}
}

// onlyCountry reports whether the form's address under prefix has nothing
// but a country (the form's default), which counts as empty.
func (b *formBody) onlyCountry(prefix string) bool {
	for _, f := range []string{".street", ".house_number", ".postal_code", ".town"} {
		if b.values[prefix+f] != "" {
			return false
		}
	}
	return true
}

// failed reports whether a value could not be read; local then holds the
// messages for beside the fields.
func (b *formBody) failed() bool { return len(b.local) > 0 }

// catListQuery is what a list's query string asks for: search text, archived,
// sort (one of sorts, else "") and the page cursor.
type catListQuery struct {
	q, archived, sort, cursor string
}

func catReadListQuery(c echo.Context, sorts []string) catListQuery {
	l := catListQuery{q: strings.TrimSpace(c.QueryParam("q")), cursor: c.QueryParam("cursor")}
	if len(l.q) > 200 {
		l.q = l.q[:200]
	}
	switch a := c.QueryParam("archived"); a {
	case "true", "all":
		l.archived = a
	}
	for _, s := range sorts {
		if c.QueryParam("sort") == s {
			l.sort = s
		}
	}
	return l
}

func catStr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// catQueryID reads an optional id filter from the query string; anything but
// a positive number is no filter.
func catQueryID(c echo.Context, name string) *int64 {
	n, err := strconv.ParseInt(c.QueryParam(name), 10, 64)
	if err != nil || n < 1 {
		return nil
	}
	return &n
}

// catSortOptions are the choices of a list's sort select, labelled.
func catSortOptions(t *i18n.CatalogueText, keys ...string) []views.Option {
	out := make([]views.Option, len(keys))
	for i, k := range keys {
		out[i] = views.Option{Value: k, Label: t.SortOpts[k]}
	}
	return out
}

// catRecordAction archives, restores or deletes a record of a kind after the
// POST of the record page's actions panel. name is the record's name for
// the message (the page carried it); version its ETag.
type catRecordAction struct {
	list    string // the list's path, e.g. /categories
	archive func(ctx context.Context, auth apiclient.RequestEditorFn, id int64, ifMatch string, archived bool) error
	remove  func(ctx context.Context, auth apiclient.RequestEditorFn, id int64, ifMatch string) error
}

// routes adds POST <list>/:id/archive, /restore and /delete.
func (s *server) catActionRoutes(e *echo.Echo, a catRecordAction) {
	e.POST(a.list+"/:id/archive", func(c echo.Context) error { return s.catDoAction(c, a, "archive") }, s.requireSignIn)
	e.POST(a.list+"/:id/restore", func(c echo.Context) error { return s.catDoAction(c, a, "restore") }, s.requireSignIn)
	e.POST(a.list+"/:id/delete", func(c echo.Context) error { return s.catDoAction(c, a, "delete") }, s.requireSignIn)
}

func (s *server) catDoAction(c echo.Context, a catRecordAction, action string) error {
	id, err := pathInt(c, "id")
	if err != nil {
		return err
	}
	who := s.signedIn(c)
	t := i18n.Catalogue(s.lang(c))
	ctx := c.Request().Context()
	version := c.FormValue("version")
	name := strings.TrimSpace(c.FormValue("name"))
	if name == "" || len(name) > 200 {
		name = t.ThisRecord // the form sends the name; a bare request gets a word, not a number
	}
	record := a.list + "/" + strconv.FormatInt(id, 10)
	var done string
	switch action {
	case "archive", "restore":
		err = a.archive(ctx, who.Bearer, id, version, action == "archive")
		done = t.ArchivedFlash
		if action == "restore" {
			done = t.RestoredFlash
		}
	case "delete":
		err = a.remove(ctx, who.Bearer, id, version)
		done = t.DeletedFlash
	}
	switch {
	case err == nil && action == "delete":
		return s.redirectWithFlash(c, a.list, views.Flash{Kind: views.FlashSuccess, Text: catFillName(done, name)})
	case err == nil:
		return s.redirectWithFlash(c, record, views.Flash{Kind: views.FlashSuccess, Text: catFillName(done, name)})
	case isStatus(err, http.StatusConflict) && action == "delete":
		return s.redirectWithFlash(c, record, views.Flash{Kind: views.FlashError, Text: catFillName(t.InUse, name)})
	case isStatus(err, http.StatusPreconditionFailed):
		return s.redirectWithFlash(c, record, views.Flash{Kind: views.FlashError, Text: t.Changed})
	}
	return err
}

func catFillName(text, name string) string { return strings.ReplaceAll(text, "{name}", name) }

// catWithLocal adds the form's own findings (a number that is not one) to the
// api's, or makes them the form's errors when the api was not asked.
func catWithLocal(f *views.Form, local map[string]string, msg *i18n.Messages) {
	if len(local) == 0 {
		return
	}
	if f.Errors == nil {
		f.Errors = map[string]string{}
	}
	for k, v := range local {
		f.Errors[k] = v
	}
	f.Error = msg.FormHasErrors
}
