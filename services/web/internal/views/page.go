// Package views renders the web service's pages with templ.
//
// Components take plain data (a Page and view models built here) and never
// call the api or read the request, so each can be rendered and checked in a
// test on its own. Every text comes from i18n.Messages.
package views

import (
	"strconv"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/format"
	"github.com/depotix/depotix/services/web/internal/i18n"
	"github.com/depotix/depotix/services/web/internal/roles"
)

// Page is what the layout needs from every page. Handlers fill it with
// handlers' page(c, active); a page adds its own view model beside it.
type Page struct {
	Lang    i18n.Lang
	Msg     *i18n.Messages
	Title   string
	Active  string // ID of the navigation item of this page, "" for none
	Nav     []NavItem
	Version string
	// Asset maps a logical asset name ("app.css") to its content-hashed URL.
	Asset func(name string) string

	Person *Person // nil when nobody is signed in
	Theme  string  // ThemeLight, ThemeDark or ThemeSystem
	// CSRF is the token every form posts as CSRFFieldName (see CSRFField).
	CSRF string
	// Here is this page's path and query: where the language and theme
	// switches come back to.
	Here  string
	Flash *Flash
	Fmt   format.Formatter
	// Wide lets the page use the screen's width (up to 100rem) instead of
	// a reading width (60rem): list pages with tables set it (see
	// WideLayout), forms and single records do not.
	Wide bool
}

// WideLayout is p for a list page: the layout uses the screen's width.
func WideLayout(p Page) Page {
	p.Wide = true
	return p
}

// Can reports whether the signed-in person may do perm, as the api told
// (roles.Set); nobody signed in can do nothing. Pages hide every button and
// link the api would refuse behind it.
func (p Page) Can(perm roles.Permission) bool {
	return p.Person != nil && p.Person.Perms.Can(perm)
}

// Person is the signed-in person as the layout shows them.
type Person struct {
	Name  string
	Email string
	Role  string    // the api's role name, for display
	Perms roles.Set // what the api lets them do
}

// Themes, as stored in the dpx_theme cookie and set on <html data-theme>.
const (
	ThemeLight  = "light"
	ThemeDark   = "dark"
	ThemeSystem = "system"
)

// Flash kinds.
const (
	FlashSuccess = "success"
	FlashInfo    = "info"
	FlashError   = "error"
)

// Flash is a message shown once, on the page a POST redirected to.
type Flash struct {
	Kind string // FlashSuccess, FlashInfo or FlashError
	Text string
	// Reveal carries a secret to show exactly once (a new API token); the
	// page it is meant for renders it, the layout does not.
	Reveal *Reveal `json:",omitempty"`
}

// Reveal is a secret shown once, with the name it belongs to.
type Reveal struct {
	Name   string
	Secret string
}

// NavItem is one entry of the main navigation.
type NavItem struct {
	ID    string
	Href  string
	Label string
}

// Navigation ID of each page; a page passes its own to handlers' page().
const (
	NavHome       = "home"
	NavItems      = "items"
	NavMovements  = "movements"
	NavStock      = "stock"
	NavJournal    = "journal"
	NavOrders     = "orders"
	NavInvoices   = "invoices"
	NavCategories = "categories"
	NavSuppliers  = "suppliers"
	NavCustomers  = "customers"
	NavLocations  = "locations"
	NavUsers      = "users"
	NavCompany    = "company"
	NavAudit      = "audit"
	NavProfile    = "profile"
)

// navEntry is one row of the navigation table: who may see it is the
// permission its page needs to be read — the same the api needs.
type navEntry struct {
	id, href string
	label    func(*i18n.Messages) string
	perm     roles.Permission
}

// navTable is the main navigation in display order. A page group adds its
// handler for the href; the entry is already here.
func navTable() []navEntry {
	return []navEntry{
		{NavHome, "/", func(m *i18n.Messages) string { return m.NavHome }, ""},
		{NavItems, "/items", func(m *i18n.Messages) string { return m.NavItems }, roles.Read},
		{NavMovements, "/movements", func(m *i18n.Messages) string { return m.NavMovements }, roles.Read},
		{NavStock, "/stock", func(m *i18n.Messages) string { return m.NavStock }, roles.Read},
		{NavJournal, "/journal", func(m *i18n.Messages) string { return m.NavJournal }, roles.Read},
		{NavOrders, "/orders", func(m *i18n.Messages) string { return m.NavOrders }, roles.Read},
		{NavInvoices, "/invoices", func(m *i18n.Messages) string { return m.NavInvoices }, roles.Read},
		{NavCategories, "/categories", func(m *i18n.Messages) string { return m.NavCategories }, roles.Read},
		{NavSuppliers, "/suppliers", func(m *i18n.Messages) string { return m.NavSuppliers }, roles.Read},
		{NavCustomers, "/customers", func(m *i18n.Messages) string { return m.NavCustomers }, roles.Read},
		{NavLocations, "/locations", func(m *i18n.Messages) string { return m.NavLocations }, roles.Read},
		{NavUsers, "/users", func(m *i18n.Messages) string { return m.NavUsers }, roles.Users},
		{NavCompany, "/settings/company", func(m *i18n.Messages) string { return m.NavCompany }, roles.Users},
		{NavAudit, "/audit", func(m *i18n.Messages) string { return m.NavAudit }, roles.Audit},
	}
}

// Navigation lists the entries a person with perms may use, in display
// order. The overview is for everyone; the rest needs the entry's
// permission (nobody signed in has none).
func Navigation(m *i18n.Messages, perms roles.Set) []NavItem {
	var out []NavItem
	for _, e := range navTable() {
		if e.perm != "" && !perms.Can(e.perm) {
			continue
		}
		out = append(out, NavItem{ID: e.id, Href: e.href, Label: e.label(m)})
	}
	return out
}

// Row states, used for the badge colour and by tests.
const (
	StatusOK      = "ok"
	StatusBad     = "bad"
	StatusUnknown = "unknown"
)

// StatusRow is one line of the system status panel.
type StatusRow struct {
	TestID string
	Status string // StatusOK, StatusBad or StatusUnknown
	State  string // machine-readable value, e.g. "reachable" or "schema_outdated"
	Text   string // e.g. "database: ready"
	Detail string // e.g. the api's reason, or why the api is unreachable
}

// StatusRows turns the outcome of the api's readiness call into the rows of
// the status panel. When the call failed, the api row says why and the rows
// that depend on the api's answer say "unknown".
func StatusRows(m *i18n.Messages, r apiclient.Readiness, err error) []StatusRow {
	if err != nil {
		kind := string(apiclient.KindOf(err))
		return []StatusRow{
			{TestID: "status-api", Status: StatusBad, State: kind,
				Text: m.StatusAPI + ": " + m.StatusUnreachable, Detail: m.APIErrorKind(kind)},
			{TestID: "status-database", Status: StatusUnknown, State: StatusUnknown,
				Text: m.StatusDatabase + ": " + m.StatusUnknown},
			{TestID: "status-schema", Status: StatusUnknown, State: StatusUnknown,
				Text: m.StatusSchema + ": " + m.StatusUnknown},
		}
	}

	api := StatusRow{TestID: "status-api", Status: StatusOK, State: "reachable",
		Text: m.StatusAPI + ": " + m.StatusReachable}
	if r.Version != "" {
		api.Detail = m.StatusAPIVersion + " " + r.Version
	}

	db := StatusRow{TestID: "status-database", Status: StatusBad, State: string(r.Database)}
	if r.Reason != nil && *r.Reason != "" {
		db.Detail = m.StatusReason + ": " + *r.Reason
	}
	switch {
	case r.Ok && r.Database == apiclient.ReadinessDatabaseReady:
		db.Status = StatusOK
	case r.Database == apiclient.ReadinessDatabaseReady:
		// The api is not ready for a reason other than its database.
		db.State = "not_ready"
	}
	db.Text = m.StatusDatabase + ": " + m.DatabaseState(db.State)

	schema := StatusRow{TestID: "status-schema", Status: StatusOK, State: "current",
		Text:   m.StatusSchema + ": " + strconv.Itoa(r.SchemaVersion),
		Detail: m.StatusExpected + " " + strconv.Itoa(r.ExpectedSchemaVersion)}
	if r.SchemaVersion != r.ExpectedSchemaVersion {
		schema.Status, schema.State = StatusBad, "mismatch"
	}
	return []StatusRow{api, db, schema}
}
