package views

import (
	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/i18n"
)

// CompanyView is the company profile page: the profile form, what a QR
// bill still needs, and the logo with its upload form.
type CompanyView struct {
	Form    Form   // the profile's fields
	Version string // the profile's ETag, sent back as If-Match
	// Missing are the labels of the fields a QR bill still needs, in form
	// order (empty: complete).
	Missing []string
	// LogoURL is where the web serves the current logo ("" without one).
	LogoURL  string
	LogoName string
	LogoForm Form
}

// The form names (id prefixes) of the page's two forms.
const (
	companyForm = "company"
	logoForm    = "logo"
)

// CompanySections are the profile form's sections, in the order of the
// work: who, then tax and bank, then how invoices are made.
func CompanySections(p Page) []CatSection {
	t := i18n.Company(p.Lang)
	f := func(name, label, hint string, maxLen int, required bool) FieldSpec {
		return FieldSpec{Form: companyForm, Name: name, Label: label, Hint: hint, MaxLength: maxLen, Required: required}
	}
	country := f("country", t.Country, t.CountryHint, apiclient.LimitCompanyProfileInputCountryMaxLength, true)
	country.Autocomplete = "country"
	terms := f("payment_terms_days", t.PaymentTerms, t.PaymentTermsHint, 0, true)
	terms.Type, terms.InputMode = "number", "numeric"
	footer := f("invoice_footer", t.Footer, t.FooterHint, apiclient.LimitCompanyProfileInputInvoiceFooterMaxLength, false)
	footer.Type = CatTextarea
	deposits := f("deposits_taxable", t.DepositsTaxable, t.DepositsHint, 0, false)
	deposits.Type = CatCheckbox
	currency := f("currency", t.Currency, "", 0, true)
	currency.Options = []Option{{Value: "CHF", Label: "CHF"}, {Value: "EUR", Label: "EUR"}}
	name := f("name", t.Name, "", apiclient.LimitCompanyProfileInputNameMaxLength, false)
	name.Autocomplete = "organization"
	return []CatSection{
		{Legend: t.SectionCompany, Hint: t.SectionCompanyHint, Fields: []FieldSpec{
			name,
			f("street", t.Street, "", apiclient.LimitCompanyProfileInputStreetMaxLength, false),
			f("building_number", t.BuildingNumber, "", apiclient.LimitCompanyProfileInputBuildingNumberMaxLength, false),
			f("postal_code", t.PostalCode, "", apiclient.LimitCompanyProfileInputPostalCodeMaxLength, false),
			f("town", t.Town, "", apiclient.LimitCompanyProfileInputTownMaxLength, false),
			country,
		}},
		{Legend: t.SectionBank, Fields: []FieldSpec{
			f("vat_number", t.VATNumber, t.VATHint, apiclient.LimitCompanyProfileInputVatNumberMaxLength, false),
			f("iban", t.IBAN, t.IBANHint, apiclient.LimitCompanyProfileInputIbanMaxLength, false),
			f("bank_name", t.BankName, "", apiclient.LimitCompanyProfileInputBankNameMaxLength, false),
		}},
		{Legend: t.SectionInvoices, Fields: []FieldSpec{
			terms,
			footer,
			f("invoice_prefix", t.InvoicePrefix, t.PrefixHint, apiclient.LimitCompanyProfileInputInvoicePrefixMaxLength, true),
			f("credit_note_prefix", t.CreditPrefix, t.PrefixHint, apiclient.LimitCompanyProfileInputCreditNotePrefixMaxLength, true),
			currency,
			deposits,
		}},
	}
}

// CompanyLogoFields is the logo form's one field.
func CompanyLogoFields(p Page) []FieldSpec {
	t := i18n.Company(p.Lang)
	return []FieldSpec{{Form: logoForm, Name: "file", Label: t.LogoFile, Hint: t.LogoHint, Required: true}}
}

// CompanyMissingLabels turns the api's missing field names into the
// form's labels, in form order.
func CompanyMissingLabels(p Page, missing []string) []string {
	want := map[string]bool{}
	for _, m := range missing {
		want[m] = true
	}
	var out []string
	for _, s := range SectionFields(CompanySections(p)) {
		if want[s.Name] {
			out = append(out, s.Label)
		}
	}
	return out
}
