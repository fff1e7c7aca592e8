package views

import (
	"github.com/depotix/depotix/services/web/internal/i18n"
)

// The fields of each audited record: how a changed value is written and
// where its label comes from. A group that adds an audited record (orders,
// invoices, racks) adds its fields here, with the label its form uses;
// TestAuditFieldsHaveLabels fails on a field without a label in either
// language. The fields are those the api's stores write into the trail
// (the records' JSON, services/api/internal/audit.Diff), not the contract's.

// auditKind says how a field's value is written for people.
type auditKind int

const (
	auditText      auditKind = iota // as typed; "" is "(empty)"
	auditCode                       // a code people type (EAN, SKU, customer number): unchanged
	auditInt                        // a count, Swiss grouping
	auditBaseQty                    // a count of the item's base units: "1’200 Flasche"
	auditEntered                    // a movement's entered quantity, in the unit it was entered in
	auditBool                       // yes / no
	auditMoney                      // minor units (Rappen) of the record's currency
	auditMicros                     // millionths of the record's currency
	auditVAT                        // basis points: 810 is 8.1 %
	auditPermille                   // per mille: 48 is 4.8 %
	auditTime                       // a moment, in the person's zone
	auditDate                       // a day, in the person's zone
	auditAddress                    // a postal address object, on one line
	auditEnum                       // a code translated by the field's names
	auditRef                        // a record's id, written as its name and linked
	auditUserAgent                  // a browser's description, as "Firefox on Windows"
	auditHidden                     // never shown: ids, secrets, what another row says already
)

// auditField describes one field of a record.
type auditField struct {
	kind auditKind
	// ref is the kind of record an auditRef field points at.
	ref string
	// names translates an auditEnum field's codes.
	names func(lang i18n.Lang, m *i18n.Messages) map[string]string
	// label is where the field's label comes from; nil takes it from the
	// audit texts' Labels ("<entity>/<field>", then "<field>").
	label func(lang i18n.Lang) string
}

func itemLabel(key string) func(i18n.Lang) string {
	return func(l i18n.Lang) string { return i18n.Items(l).Labels[key] }
}

func catalogueLabel(key string) func(i18n.Lang) string {
	return func(l i18n.Lang) string { return i18n.Catalogue(l).Labels[key] }
}

func itemSupplierLabel(key string) func(i18n.Lang) string {
	return func(l i18n.Lang) string { return i18n.Items(l).SupplierLabels[key] }
}

func movementLabel(pick func(*i18n.MovementsText) string) func(i18n.Lang) string {
	return func(l i18n.Lang) string { return pick(i18n.Movements(l)) }
}

func userLabel(pick func(*i18n.UsersText) string) func(i18n.Lang) string {
	return func(l i18n.Lang) string { return pick(i18n.Users(l)) }
}

var (
	hidden     = auditField{kind: auditHidden}
	archivedAt = auditField{kind: auditTime}
	containers = func(l i18n.Lang, _ *i18n.Messages) map[string]string { return i18n.Items(l).Containers }
	kinds      = func(l i18n.Lang, _ *i18n.Messages) map[string]string { return i18n.Catalogue(l).LocationKinds }
	types      = func(l i18n.Lang, _ *i18n.Messages) map[string]string { return i18n.Movements(l).TypeNames }
	roleNames  = func(_ i18n.Lang, m *i18n.Messages) map[string]string { return m.Roles }
	langNames  = func(_ i18n.Lang, m *i18n.Messages) map[string]string { return m.LanguageNames }
	scopeNames = func(l i18n.Lang, _ *i18n.Messages) map[string]string {
		t := i18n.Profile(l)
		return map[string]string{"read": t.ScopeRead, "write": t.ScopeWrite}
	}
	partyAddress = func(key string) auditField { return auditField{kind: auditAddress, label: catalogueLabel(key)} }
)

// auditFields are the audited records' fields, by entity and the api's
// field name. A field not listed here is text, labelled by the audit texts'
// Labels or else by its name made readable: list every field.
var auditFields = map[string]map[string]auditField{
	"item": {
		"id": hidden, "archived_at": archivedAt,
		"sku": {kind: auditCode, label: itemLabel("sku")}, "name": {label: itemLabel("name")},
		"description": {label: itemLabel("description")}, "brand": {label: itemLabel("brand")},
		"category_id": {kind: auditRef, ref: "category", label: itemLabel("category_id")},
		"ean_unit":    {kind: auditCode, label: itemLabel("ean_unit")}, "ean_package": {kind: auditCode, label: itemLabel("ean_package")},
		"base_unit": {label: itemLabel("base_unit")}, "package_unit": {label: itemLabel("package_unit")},
		"package_size": {kind: auditInt, label: itemLabel("package_size")}, "pallet_size": {kind: auditInt, label: itemLabel("pallet_size")},
		"sales_price_unit":      {kind: auditMoney, label: itemLabel("sales_price_unit")},
		"sales_price_package":   {kind: auditMoney, label: itemLabel("sales_price_package")},
		"currency":              {kind: auditCode, label: itemLabel("currency")},
		"vat_rate_bp":           {kind: auditVAT, label: itemLabel("vat_rate")},
		"deposit_unit":          {kind: auditMoney, label: itemLabel("deposit_unit")},
		"deposit_package":       {kind: auditMoney, label: itemLabel("deposit_package")},
		"returnable":            {kind: auditBool, label: itemLabel("returnable")},
		"beverage_type":         {label: itemLabel("beverage_type")},
		"container":             {kind: auditEnum, names: containers, label: itemLabel("container")},
		"volume_ml":             {kind: auditInt, label: itemLabel("volume_ml")},
		"abv":                   {kind: auditPermille, label: itemLabel("abv")},
		"alcoholic":             {kind: auditBool, label: itemLabel("alcoholic")},
		"country_of_origin":     {kind: auditCode, label: itemLabel("country_of_origin")},
		"min_stock":             {kind: auditBaseQty, label: itemLabel("min_stock")},
		"reorder_qty":           {kind: auditBaseQty, label: itemLabel("reorder_qty")},
		"preferred_supplier_id": {kind: auditRef, ref: "supplier", label: itemLabel("preferred_supplier_id")},
		"avg_unit_cost_micros":  {kind: auditMicros, label: itemLabel("avg_unit_cost")},
	},
	"category": {
		"id": hidden, "archived_at": archivedAt,
		"name": {label: catalogueLabel("name")}, "description": {label: catalogueLabel("description")},
	},
	"supplier": {
		"id": hidden, "archived_at": archivedAt,
		"name": {label: catalogueLabel("name")}, "contact_person": {label: catalogueLabel("contact_person")},
		"email": {kind: auditCode, label: catalogueLabel("email")}, "phone": {kind: auditCode, label: catalogueLabel("phone")},
		"address":            partyAddress("address"),
		"payment_terms_days": {kind: auditInt, label: catalogueLabel("payment_terms_days")},
		"notes":              {label: catalogueLabel("notes")},
	},
	"customer": {
		"id": hidden, "archived_at": archivedAt,
		"number": {kind: auditCode, label: catalogueLabel("number")},
		"name":   {label: catalogueLabel("name")}, "contact_person": {label: catalogueLabel("contact_person")},
		"email": {kind: auditCode, label: catalogueLabel("email")}, "phone": {kind: auditCode, label: catalogueLabel("phone")},
		"billing_address":    partyAddress("billing_address"),
		"delivery_address":   partyAddress("delivery_address"),
		"payment_terms_days": {kind: auditInt, label: catalogueLabel("payment_terms_days")},
		"credit_limit":       {kind: auditMoney, label: catalogueLabel("credit_limit")},
		"currency":           {kind: auditCode, label: catalogueLabel("currency")},
	},
	"location": {
		"id": hidden, "archived_at": archivedAt,
		"parent_id": {kind: auditRef, ref: "location", label: catalogueLabel("parent_id")},
		"code":      {kind: auditCode, label: catalogueLabel("code")}, "name": {label: catalogueLabel("name")},
		"kind": {kind: auditEnum, names: kinds, label: catalogueLabel("kind")},
	},
	"item_supplier": {
		"item_id":        {kind: auditRef, ref: "item"},
		"supplier_id":    {kind: auditRef, ref: "supplier", label: itemSupplierLabel("supplier")},
		"supplier_sku":   {kind: auditCode, label: itemSupplierLabel("supplier_sku")},
		"price":          {kind: auditMoney, label: itemSupplierLabel("price")},
		"lead_time_days": {kind: auditInt, label: itemSupplierLabel("lead_time_days")},
	},
	"movement": {
		// The item's code and the locations' codes repeat what the linked
		// names say; the unit and factor are part of the entered quantity.
		"id": hidden, "item_sku": hidden, "location_code": hidden, "to_location_code": hidden,
		"entered_unit": hidden, "unit_factor": hidden, "created_by": hidden, "token_id": hidden,
		"type":             {kind: auditEnum, names: types, label: movementLabel(func(t *i18n.MovementsText) string { return t.Type })},
		"item_id":          {kind: auditRef, ref: "item", label: movementLabel(func(t *i18n.MovementsText) string { return t.Item })},
		"location_id":      {kind: auditRef, ref: "location", label: movementLabel(func(t *i18n.MovementsText) string { return t.Location })},
		"to_location_id":   {kind: auditRef, ref: "location", label: movementLabel(func(t *i18n.MovementsText) string { return t.ToLocation })},
		"entered_quantity": {kind: auditEntered, label: movementLabel(func(t *i18n.MovementsText) string { return t.Quantity })},
		"quantity_base":    {kind: auditBaseQty},
		"counted":          {kind: auditBaseQty, label: movementLabel(func(t *i18n.MovementsText) string { return t.Counted })},
		"unit_cost_micros": {kind: auditMicros},
		"supplier_id":      {kind: auditRef, ref: "supplier", label: movementLabel(func(t *i18n.MovementsText) string { return t.Supplier })},
		"customer_id":      {kind: auditRef, ref: "customer", label: movementLabel(func(t *i18n.MovementsText) string { return t.Customer })},
		"reason":           {label: movementLabel(func(t *i18n.MovementsText) string { return t.Reason })},
		"note":             {label: movementLabel(func(t *i18n.MovementsText) string { return t.Note })},
		"reverses_id":      {kind: auditRef, ref: "movement"},
		"reversed_type":    {kind: auditEnum, names: types},
		"reversed_by_id":   {kind: auditRef, ref: "movement"},
		"effective_at":     {kind: auditTime, label: movementLabel(func(t *i18n.MovementsText) string { return t.Effective })},
		// The average cost before and after are one row (auditCostRow).
		"avg_cost_before": hidden, "avg_cost_after": hidden,
	},
	"user": {
		"id": hidden, "last_login_at": hidden, "password": hidden, "password_hash": hidden,
		"name":     {label: userLabel(func(t *i18n.UsersText) string { return t.Name })},
		"email":    {kind: auditCode, label: userLabel(func(t *i18n.UsersText) string { return t.Email })},
		"role":     {kind: auditEnum, names: roleNames, label: userLabel(func(t *i18n.UsersText) string { return t.Role })},
		"language": {kind: auditEnum, names: langNames, label: userLabel(func(t *i18n.UsersText) string { return t.Language })},
		"disabled": {kind: auditBool},
	},
	"session": {
		"ip":         {kind: auditCode},
		"user_agent": {kind: auditUserAgent},
	},
	// Invoices and what follows them: amounts as the api writes them
	// (decimal strings), the records they point at by number elsewhere.
	"invoice": {
		"number": {kind: auditCode}, "customer_id": {kind: auditRef, ref: "customer"},
		"order_ids": hidden, "payable": {kind: auditCode}, "currency": {kind: auditCode},
	},
	"credit_note": {
		"number": {kind: auditCode}, "invoice_id": hidden, "payable": {kind: auditCode}, "return_goods": {kind: auditBool},
	},
	"payment": {
		"invoice_id": hidden, "bank_credit_id": hidden, "amount": {kind: auditCode}, "date": {kind: auditCode},
	},
	"bank_import": {
		"credits": {kind: auditInt}, "duplicates": {kind: auditInt}, "repeated": {kind: auditBool},
	},
	"api_token": {
		// The prefix is the start of the secret: a trail shows no part of it.
		"prefix": hidden, "token_hash": hidden,
		"name": {}, "scope": {kind: auditEnum, names: scopeNames}, "expires_at": {kind: auditDate},
	},
}

// auditSecrets are never shown, whatever record they belong to.
var auditSecrets = map[string]bool{"password": true, "password_hash": true, "token_hash": true, "secret": true,
	"token": true, "refresh_token": true, "prefix": true}

// auditFieldOf describes a record's field; an unknown one is text.
func auditFieldOf(entity, field string) auditField {
	if auditSecrets[field] {
		return hidden
	}
	if f, ok := auditFields[entity][field]; ok {
		return f
	}
	return auditField{}
}

// auditLabel is a field's label: the form's where the record has a form,
// else the audit texts' own; a field nobody named is its name made
// readable ("lead_time_days" → "lead time days").
func auditLabel(lang i18n.Lang, t *i18n.AuditText, entity, field string) string {
	if f := auditFieldOf(entity, field); f.label != nil {
		if s := f.label(lang); s != "" {
			return s
		}
	}
	if s, ok := t.Labels[entity+"/"+field]; ok {
		return s
	}
	if s, ok := t.Labels[field]; ok {
		return s
	}
	return readableName(field)
}

func readableName(field string) string {
	out := []rune(field)
	for i, r := range out {
		if r == '_' || r == '.' {
			out[i] = ' '
		}
	}
	if len(out) > 0 && out[0] >= 'a' && out[0] <= 'z' {
		out[0] -= 'a' - 'A'
	}
	return string(out)
}
