package handlers

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/format"
	"github.com/depotix/depotix/services/web/internal/i18n"
	"github.com/depotix/depotix/services/web/internal/views"
)

// What the catalogue pages (items and master data) share: turning a form
// into the api's JSON, reading a list's query, and archive, restore and
// delete.

// catFieldKind says how a form value becomes a JSON value.
type catFieldKind int

const (
	ckText       catFieldKind = iota // a string, sent as typed ("" clears it)
	ckOptText                        // a string that may be absent: "" is null
	ckOmit                           // a string the api fills in when absent: "" leaves it out
	ckInt                            // a whole number; "" leaves it out
	ckOptInt                         // a whole number that may be absent: "" is null
	ckDecimal                        // an amount; "" leaves it out
	ckOptDecimal                     // an amount that may be absent: "" is null
	ckBool                           // a checkbox: "1" is true, anything else false
)

// catField is one field of a form as the api names it. A dotted name
// (billing_address.town) is a field of a nested object.
type catField struct {
	name string
	kind catFieldKind
}

func catFieldNames(spec []catField) []string {
	out := make([]string, len(spec))
	for i, f := range spec {
		out[i] = f.name
	}
	return out
}

// catalogueFields turns a form's values into the api's JSON body. On
// create, empty optional values are left out; on change they are sent as
// null, which clears them. A number that is not one is reported beside its
// field (local) without asking the api: it cannot be sent as a number.
func catalogueFields(values map[string]string, spec []catField, create bool, t *i18n.CatalogueText) (apiclient.Fields, map[string]string) {
	out := apiclient.Fields{}
	local := map[string]string{}
	for _, f := range spec {
		raw := values[f.name]
		var v any
		set := true
		switch f.kind {
		case ckText:
			v = raw
		case ckOptText:
			if raw == "" {
				v, set = nil, !create
			} else {
				v = raw
			}
		case ckOmit:
			v, set = raw, raw != ""
		case ckInt, ckOptInt:
			if raw == "" {
				v, set = nil, f.kind == ckOptInt && !create
				break
			}
			n, err := strconv.ParseInt(strings.NewReplacer("’", "", "'", "", " ", "").Replace(raw), 10, 64)
			if err != nil {
				local[f.name] = t.LocalNumber
				continue
			}
			v = n
		case ckDecimal, ckOptDecimal:
			if raw == "" {
				v, set = nil, f.kind == ckOptDecimal && !create
				break
			}
			d, ok := format.NormalizeDecimal(raw)
			if !ok {
				local[f.name] = t.LocalDecimal
				continue
			}
			v = d
		case ckBool:
			v = raw == "1"
		}
		if !set {
			continue
		}
		catPut(out, f.name, v)
	}
	return out, local
}

// put sets a possibly dotted name in a JSON object.
func catPut(obj apiclient.Fields, name string, v any) {
	head, rest, nested := strings.Cut(name, ".")
	if !nested {
		obj[name] = v
		return
	}
	inner, ok := obj[head].(apiclient.Fields)
	if !ok {
		inner = apiclient.Fields{}
		obj[head] = inner
	}
	catPut(inner, rest, v)
}

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
		name = "#" + strconv.FormatInt(id, 10)
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
