package views

import (
	"strconv"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/i18n"
)

// The fields of the forms whose controls are not all plain Field or
// SelectField calls (a quantity with its unit, a partner, a line per row):
// what their ErrorSummary lists, in the form's order, with the labels and
// ids the controls have (TestErrorSummaryLinksReachTheirFields renders
// each form with a problem on every field and follows every link).

// movementFields are the book form's fields for its summary. The item is
// chosen by the search above the form, so its problem links there.
func movementFields(t *i18n.MovementsText, v MovementFormView) []FieldSpec {
	out := []FieldSpec{{Form: "movement", Name: "item_id", Label: t.Item, Target: "find-q"}}
	if v.Type == "transfer" {
		out = append(out,
			FieldSpec{Form: "movement", Name: "location_id", Label: t.FromLocation},
			FieldSpec{Form: "movement", Name: "to_location_id", Label: t.ToLocation})
	} else {
		out = append(out, FieldSpec{Form: "movement", Name: "location_id", Label: t.Location})
	}
	out = append(out,
		FieldSpec{Form: "movement", Name: "quantity", Label: t.Quantity},
		FieldSpec{Form: "movement", Name: "unit", Label: t.Unit})
	switch v.Type {
	case "issue", "return":
		out = append(out, FieldSpec{Form: "movement", Name: "customer", Label: t.Customer})
	case "defect", "write_off", "adjust":
		out = append(out, FieldSpec{Form: "movement", Name: "reason", Label: t.Reason})
	}
	return append(out,
		FieldSpec{Form: "movement", Name: "note", Label: t.Note},
		FieldSpec{Form: "movement", Name: "effective", Label: t.Effective})
}

// reverseFields is the reversal's one field.
func reverseFields(t *i18n.MovementsText) []FieldSpec {
	return []FieldSpec{{Form: "reverse", Name: "reason", Label: t.ReverseReason,
		MaxLength: apiclient.LimitReversalInputReasonMaxLength, Autocomplete: "off"}}
}

// receiptFields are the receipt's head fields and then every line's,
// each line's named with its number ("Line 2 · Quantity") so two lines'
// problems read apart.
func receiptFields(t *i18n.MovementsText, v ReceiptFormView, prices bool) []FieldSpec {
	out := []FieldSpec{
		{Form: "receipt", Name: "supplier", Label: t.Supplier},
		{Form: "receipt", Name: "reference", Label: t.Reference},
		{Form: "receipt", Name: "location_id", Label: t.Location},
		{Form: "receipt", Name: "effective", Label: t.Effective},
	}
	cols := []struct{ name, label string }{{"code", t.LineItem}, {"quantity", t.Quantity}, {"unit", t.Unit}}
	if prices {
		cols = append(cols, struct{ name, label string }{"unit_cost", t.UnitCost})
	}
	for i := range v.Lines {
		line := fill(t.Line, "n", strconv.Itoa(i+1))
		for _, c := range cols {
			out = append(out, FieldSpec{Form: "receipt", Name: LineField(i, c.name), Label: line + " · " + c.label})
		}
		// A line's item is found by its code: its problem links there.
		out = append(out, FieldSpec{Form: "receipt", Name: LineField(i, "item_id"), Label: line + " · " + t.LineItem,
			Target: FieldSpec{Form: "receipt", Name: LineField(i, "code")}.ID()})
	}
	return out
}

// countFields are the count sheet's fields: the code to add, each row's
// count and unit (named by the row's item, as their hidden labels), the
// note.
func countFields(t *i18n.CountsText, v CountSheetView) []FieldSpec {
	out := []FieldSpec{{Form: "count", Name: "add_code", Label: t.AddCode}}
	for i, r := range v.Rows {
		item := r.Item.SKU + " " + r.Item.Name
		out = append(out,
			FieldSpec{Form: "count", Name: LineField(i, "quantity"), Label: countFill(t.CountLabel, "{item}", item)},
			FieldSpec{Form: "count", Name: LineField(i, "unit"), Label: countFill(t.UnitLabel, "{item}", item)})
	}
	return append(out, FieldSpec{Form: "count", Name: "note", Label: t.Note, MaxLength: apiclient.LimitCountInputNoteMaxLength})
}

// journalFields are the journal filter's fields; the "only mine" box
// stands where a person may not choose whom.
func journalFields(t *i18n.MovementsText, v JournalView) []FieldSpec {
	out := []FieldSpec{
		{Form: "journal", Name: "type", Label: t.FilterType},
		{Form: "journal", Name: "item", Label: t.ItemFilter},
		{Form: "journal", Name: "location_id", Label: t.Location},
		{Form: "journal", Name: "partner", Label: t.FilterPartner},
	}
	if v.Users != nil {
		out = append(out, FieldSpec{Form: "journal", Name: "user_id", Label: t.FilterUser})
	} else {
		out = append(out, FieldSpec{Form: "journal", Name: "mine", Label: t.OnlyMine})
	}
	return append(out,
		FieldSpec{Form: "journal", Name: "from", Label: t.From},
		FieldSpec{Form: "journal", Name: "to", Label: t.To})
}

// stockFields are the stock filter's fields.
func stockFields(t *i18n.MovementsText, ct *i18n.CountsText) []FieldSpec {
	return []FieldSpec{
		{Form: "stock", Name: "category_id", Label: t.Category},
		{Form: "stock", Name: "location_id", Label: t.Location},
		{Form: "stock", Name: "low", Label: t.LowOnly},
		{Form: "stock", Name: "below", Label: ct.WithBelow},
	}
}

// auditFilterFields are the audit filter's fields, rendered from this slice: a
// choice of people for those who may list them, a number otherwise.
func auditFilterFields(t *i18n.AuditText, v AuditView) []FieldSpec {
	person := FieldSpec{Form: "audit", Name: "user_id", Label: t.Person, Hint: t.PersonHint, InputMode: "numeric", MaxLength: IDWidth, Autocomplete: "off"}
	if v.People != nil {
		person = FieldSpec{Form: "audit", Name: "user_id", Label: t.Person, Options: auditPeopleOptions(t, v.People)}
	}
	return []FieldSpec{
		{Form: "audit", Name: "entity", Label: t.Entity, Options: auditEntityOptions(t)},
		{Form: "audit", Name: "entity_id", Label: t.EntityID, MaxLength: apiclient.LimitListAuditEntityIDMaxLength, Autocomplete: "off"},
		person,
		{Form: "audit", Name: "action", Label: t.Action, Options: auditActionOptions(t)},
		{Form: "audit", Name: "from", Label: t.From, Type: "date"},
		{Form: "audit", Name: "to", Label: t.To, Type: "date"},
		{Form: "audit", Name: "request_id", Label: t.RequestID, MaxLength: apiclient.LimitListAuditRequestIDMaxLength, Autocomplete: "off"},
	}
}

// loginFields are the sign-in form's fields.
func loginFields(t *i18n.AuthText) []FieldSpec {
	return []FieldSpec{
		{Form: "login", Name: "email", Label: t.Email, Type: "email",
			Autocomplete: "username", Required: true, MaxLength: apiclient.LimitLoginRequestEmailMaxLength},
		{Form: "login", Name: "password", Label: t.Password, Type: "password",
			Autocomplete: "current-password", Required: true, MaxLength: apiclient.LimitLoginRequestPasswordMaxLength},
	}
}

// profileDetailsFields are the profile's name and language.
func profileDetailsFields(p Page, t *i18n.ProfileText) []FieldSpec {
	return []FieldSpec{
		{Form: "details", Name: "name", Label: t.Name, Autocomplete: "name", Required: true, MaxLength: apiclient.LimitMeUpdateNameMaxLength},
		{Form: "details", Name: "language", Label: t.Language, Options: []Option{
			{Value: "de", Label: p.Msg.LanguageNames["de"]}, {Value: "en", Label: p.Msg.LanguageNames["en"]}}},
	}
}

// profilePasswordFields are the password change's three fields.
func profilePasswordFields(t *i18n.ProfileText) []FieldSpec {
	return []FieldSpec{
		{Form: "password", Name: "current_password", Label: t.CurrentPassword,
			Type: "password", Autocomplete: "current-password", Required: true, MaxLength: apiclient.LimitPasswordChangeCurrentPasswordMaxLength},
		{Form: "password", Name: "new_password", Label: t.NewPassword,
			Type: "password", Autocomplete: "new-password", Required: true, MaxLength: apiclient.LimitPasswordChangeNewPasswordMaxLength, Hint: t.PasswordHint},
		{Form: "password", Name: "repeat_password", Label: t.RepeatPassword,
			Type: "password", Autocomplete: "new-password", Required: true, MaxLength: apiclient.LimitPasswordChangeNewPasswordMaxLength},
	}
}

// profileTokenFields are a new token's name, scope and validity.
func profileTokenFields(t *i18n.ProfileText) []FieldSpec {
	return []FieldSpec{
		{Form: "token", Name: "name", Label: t.TokenName, Required: true, MaxLength: apiclient.LimitAPITokenCreateNameMaxLength, Autocomplete: "off"},
		{Form: "token", Name: "scope", Label: t.TokenScope, Options: []Option{
			{Value: "read", Label: t.ScopeRead}, {Value: "write", Label: t.ScopeWrite}}},
		{Form: "token", Name: "expires_in_days", Label: t.TokenValidity, Options: validityOptions(t)},
	}
}
