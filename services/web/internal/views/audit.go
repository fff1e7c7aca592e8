package views

import (
	"net/url"

	"github.com/a-h/templ"
	"strconv"

	"github.com/depotix/depotix/services/web/internal/i18n"
	"github.com/depotix/depotix/services/web/internal/roles"
)

// AuditView is the audit trail: its filter (a GET form whose values are
// the query), a page of entries and the pager.
type AuditView struct {
	// Filter holds entity, entity_id, user_id, action, from, to and
	// request_id as typed; Errors name those the page could not read.
	Filter Form
	// People are the choices of the person filter when the viewer may list
	// people (admins); nil gives a number field instead.
	People []Option
	Rows   []AuditEntryRow
	Pager  Pager
}

// auditRecordPages are the pages of the record kinds that have one, and
// the permission reading it needs.
var auditRecordPages = map[string]struct {
	path string
	perm roles.Permission
}{
	"item":        {"/items/", roles.Read},
	"category":    {"/categories/", roles.Read},
	"supplier":    {"/suppliers/", roles.Read},
	"customer":    {"/customers/", roles.Read},
	"location":    {"/locations/", roles.Read},
	"movement":    {"/movements/", roles.Read},
	"invoice":     {"/invoices/", roles.Read},
	"credit_note": {"/credit-notes/", roles.Read},
	"bank_import": {"/bank-imports/", roles.Read},
	"user":        {"/users/", roles.Users},
}

// auditRecordHref is the page of a record, "" when its kind has none, the
// viewer may not read it, or the id is not a record number.
func auditRecordHref(p Page, entity, id string) string {
	page, ok := auditRecordPages[entity]
	if !ok || !p.Can(page.perm) {
		return ""
	}
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		return ""
	}
	return page.path + id
}

// auditLink is the audit trail filtered by one parameter set.
func auditLink(params ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(params); i += 2 {
		q.Set(params[i], params[i+1])
	}
	return "/audit?" + q.Encode()
}

// AuditEntities are the record kinds the filter offers, in its order.
func AuditEntities() []string {
	return []string{"item", "category", "supplier", "customer", "location", "item_supplier", "movement", "user", "session", "api_token", "company_profile",
		"invoice", "credit_note", "payment", "bank_import"}
}

// AuditActions are the actions the filter offers, in its order.
func AuditActions() []string {
	return []string{"create", "update", "archive", "restore", "delete", "import", "revoke", "login", "logout"}
}

func auditEntityOptions(t *i18n.AuditText) []Option {
	out := []Option{{Value: "", Label: t.AnyEntity}}
	for _, e := range AuditEntities() {
		out = append(out, Option{Value: e, Label: t.EntityName(e)})
	}
	return out
}

func auditActionOptions(t *i18n.AuditText) []Option {
	out := []Option{{Value: "", Label: t.AnyAction}}
	for _, a := range AuditActions() {
		out = append(out, Option{Value: a, Label: t.ActionName(a)})
	}
	return out
}

func auditPeopleOptions(t *i18n.AuditText, people []Option) []Option {
	return append([]Option{{Value: "", Label: t.AnyPerson}}, people...)
}

// auditValueAttrs are a value's tooltip and test id, where it has them.
func auditValueAttrs(v AuditValue, testID string) templ.Attributes {
	a := templ.Attributes{}
	if v.Title != "" {
		a["title"] = v.Title
	}
	if testID != "" {
		a["data-testid"] = testID
	}
	return a
}
