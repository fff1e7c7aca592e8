// Package views renders the web service's pages with templ.
//
// Components take plain data (a Page and view models built here) and never
// call the api or read the request, so each can be rendered and checked in a
// test on its own. Every text comes from i18n.Messages.
package views

import (
	"strconv"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/i18n"
)

// Page is what the layout needs from every page.
type Page struct {
	Lang    i18n.Lang
	Msg     *i18n.Messages
	Title   string
	Active  string // ID of the navigation item of this page, "" for none
	Nav     []NavItem
	Version string
	// Asset maps a logical asset name ("app.css") to its content-hashed URL.
	Asset func(name string) string
}

// NavItem is one entry of the main navigation.
type NavItem struct {
	ID    string
	Href  string
	Label string
}

// Navigation ID of each page.
const (
	NavHome = "home"
)

// Navigation lists the pages of the main navigation in display order; a new
// page adds its entry here.
func Navigation(m *i18n.Messages) []NavItem {
	return []NavItem{
		{ID: NavHome, Href: "/", Label: m.NavHome},
	}
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
