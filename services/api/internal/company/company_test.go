package company_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/company"
)

func valid() company.Fields {
	return company.Fields{Name: "Getränke Müller GmbH", Street: "Industriestrasse", BuildingNumber: "7a",
		PostalCode: "8400", Town: "Winterthur", Country: "CH", VATNumber: "CHE-116.281.710 MWST",
		IBAN: "CH44 3199 9123 0008 8901 2", BankName: "Zürcher Kantonalbank", PaymentTermsDays: 30,
		InvoicePrefix: "RE", CreditNotePrefix: "GS", Currency: "CHF"}
}

func TestNormalize(t *testing.T) {
	f := valid()
	f.IBAN, f.VATNumber, f.Country, f.InvoicePrefix = " ch44 3199 9123 0008 8901 2 ", "che116281710mwst", "ch", "re"
	f.Normalize()
	if f.IBAN != "CH4431999123000889012" || f.VATNumber != "CHE-116.281.710 MWST" || f.Country != "CH" || f.InvoicePrefix != "RE" {
		t.Errorf("Normalize = %+v", f)
	}
	if err := f.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	if !f.IsQRIBAN() {
		t.Error("CH44 3199 9… is a QR-IBAN")
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*company.Fields)
		field  string
		code   apperr.FieldCode
	}{
		{"iban checksum", func(f *company.Fields) { f.IBAN = "CH4431999123000889013" }, "iban", apperr.FieldInvalidIBAN},
		{"iban foreign", func(f *company.Fields) { f.IBAN = "DE89370400440532013000" }, "iban", apperr.FieldInvalidIBAN},
		{"uid check digit", func(f *company.Fields) { f.VATNumber = "CHE-116.281.711 MWST" }, "vat_number", apperr.FieldInvalidUID},
		{"uid format", func(f *company.Fields) { f.VATNumber = "123" }, "vat_number", apperr.FieldInvalidUID},
		{"name outside the set", func(f *company.Fields) { f.Name = "Müller 😀" }, "name", apperr.FieldInvalidCharacter},
		{"town too long", func(f *company.Fields) { f.Town = strings.Repeat("a", 36) }, "town", apperr.FieldTooLong},
		{"street too long", func(f *company.Fields) {
			f.Street = "Industriestrasse Industriestrasse Industriestrasse Industriestrasse Ind"
		}, "street", apperr.FieldTooLong},
		{"country", func(f *company.Fields) { f.Country = "XX" }, "country", apperr.FieldCountry},
		{"country empty", func(f *company.Fields) { f.Country = "" }, "country", apperr.FieldRequired},
		{"prefix digits", func(f *company.Fields) { f.InvoicePrefix = "R1" }, "invoice_prefix", apperr.FieldFormat},
		{"prefix empty", func(f *company.Fields) { f.CreditNotePrefix = "" }, "credit_note_prefix", apperr.FieldFormat},
		{"prefixes equal", func(f *company.Fields) { f.CreditNotePrefix = "RE" }, "credit_note_prefix", apperr.FieldMustDiffer},
		{"currency", func(f *company.Fields) { f.Currency = "USD" }, "currency", apperr.FieldNotAllowed},
		{"terms", func(f *company.Fields) { f.PaymentTermsDays = 366 }, "payment_terms_days", apperr.FieldOutOfRange},
		{"bank name line break", func(f *company.Fields) { f.BankName = "ZKB\nZürich" }, "bank_name", apperr.FieldControlChar},
	} {
		f := valid()
		f.Normalize()
		tc.change(&f)
		e, ok := apperr.As(f.Validate())
		if !ok || e.Fields[tc.field].Code != tc.code {
			t.Errorf("%s: got %v, want %s on %s", tc.name, f.Validate(), tc.code, tc.field)
		}
	}
}

func TestIncompleteIsSavedButReported(t *testing.T) {
	f := company.Fields{Country: "CH", InvoicePrefix: "RE", CreditNotePrefix: "GS", Currency: "CHF"}
	if err := f.Validate(); err != nil {
		t.Fatalf("an empty profile may be saved: %v", err)
	}
	if got := f.MissingForQRBill(); !slices.Equal(got, []string{"name", "postal_code", "town", "iban"}) {
		t.Errorf("MissingForQRBill = %v", got)
	}
	e, ok := apperr.As(f.IncompleteError())
	if !ok || e.Code != apperr.CodeConflict || e.Fields["company.iban"].Code != apperr.FieldRequired {
		t.Errorf("IncompleteError = %v", f.IncompleteError())
	}
	full := valid()
	full.Normalize()
	if got := full.MissingForQRBill(); len(got) != 0 || full.IncompleteError() != nil {
		t.Errorf("complete profile reports %v", got)
	}
}
