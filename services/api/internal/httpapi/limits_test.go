package httpapi

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/depotix/depotix/platform/middleware"
	"github.com/depotix/depotix/services/api/internal/auth"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/company"
	"github.com/depotix/depotix/services/api/internal/contract"
	"github.com/depotix/depotix/services/api/internal/expenses"
	"github.com/depotix/depotix/services/api/internal/httpapi/oapi"
	"github.com/depotix/depotix/services/api/internal/invoices"
	"github.com/depotix/depotix/services/api/internal/ledger"
	"github.com/depotix/depotix/services/api/internal/money"
	"github.com/depotix/depotix/services/api/internal/orders"
	"github.com/depotix/depotix/services/api/internal/page"
	"github.com/depotix/depotix/services/api/internal/password"
	"github.com/depotix/depotix/services/api/internal/qrbill"
	"github.com/depotix/depotix/services/api/internal/sales"
)

// contractLimits returns the limits of what a client sends, as the served
// document states them, keyed "Where.field.keyword" (contract.Limit.Key).
func contractLimits(t *testing.T) map[string]string {
	t.Helper()
	spec, err := oapi.GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, l := range contract.Limits(spec) {
		out[l.Key()] = l.Value
	}
	if len(out) < 50 {
		t.Fatalf("only %d limits read from the document", len(out))
	}
	return out
}

// TestContractLimitsMatchTheDomain ties every limit of the contract to
// the domain constant it copies (the domain is the one source; the database
// copy is compared in postgres, TestColumnLimitsMatchTheDomain, and the web
// takes the contract's). A limit the contract adds or drops without an
// entry here fails, and so does an entry whose value differs.
func TestContractLimitsMatchTheDomain(t *testing.T) {
	want := map[string]string{}
	tie := func(v int64, keys ...string) {
		for _, k := range keys {
			if _, dup := want[k]; dup {
				t.Fatalf("%s listed twice", k)
			}
			want[k] = strconv.FormatInt(v, 10)
		}
	}
	both := func(a, b string, fields ...string) []string {
		var keys []string
		for _, f := range fields {
			keys = append(keys, a+"."+f, b+"."+f)
		}
		return keys
	}
	// Catalogue.
	tie(catalogue.MaxQueryLength, "param:Query.maxLength")
	tie(catalogue.MaxListIDs, "param:Ids.maxItems")
	if auth.MaxListIDs != catalogue.MaxListIDs {
		t.Errorf("people take %d ids, the catalogue %d: the contract has one limit", auth.MaxListIDs, catalogue.MaxListIDs)
	}
	tie(1, "param:Ids.minItems", "param:Ids.[].minimum") // apperr.PositiveID
	tie(catalogue.MaxCategoryName, both("CategoryInput", "CategoryUpdate", "name.maxLength")...)
	tie(catalogue.MaxCategoryDescription, both("CategoryInput", "CategoryUpdate", "description.maxLength")...)
	tie(catalogue.MaxSupplierName, both("SupplierInput", "SupplierUpdate", "name.maxLength")...)
	tie(catalogue.MaxCustomerName, both("CustomerInput", "CustomerUpdate", "name.maxLength")...)
	tie(catalogue.MaxContactPerson, append(both("SupplierInput", "SupplierUpdate", "contact_person.maxLength"),
		both("CustomerInput", "CustomerUpdate", "contact_person.maxLength")...)...)
	tie(catalogue.MaxEmail, append(both("SupplierInput", "SupplierUpdate", "email.maxLength"),
		both("CustomerInput", "CustomerUpdate", "email.maxLength")...)...)
	tie(catalogue.MaxPhone, append(both("SupplierInput", "SupplierUpdate", "phone.maxLength"),
		both("CustomerInput", "CustomerUpdate", "phone.maxLength")...)...)
	tie(catalogue.MaxSupplierNotes, both("SupplierInput", "SupplierUpdate", "notes.maxLength")...)
	tie(0, append(both("SupplierInput", "SupplierUpdate", "payment_terms_days.minimum"),
		both("CustomerInput", "CustomerUpdate", "payment_terms_days.minimum")...)...)
	tie(catalogue.MaxPaymentTerms, append(both("SupplierInput", "SupplierUpdate", "payment_terms_days.maximum"),
		both("CustomerInput", "CustomerUpdate", "payment_terms_days.maximum")...)...)
	tie(catalogue.MaxStreet, "Address.street.maxLength")
	tie(catalogue.MaxHouseNumber, "Address.house_number.maxLength")
	tie(catalogue.MaxPostalCode, "Address.postal_code.maxLength")
	tie(catalogue.MaxTown, "Address.town.maxLength")
	tie(catalogue.MaxLocationCode, both("LocationInput", "LocationUpdate", "code.maxLength")...)
	tie(catalogue.MaxLocationName, both("LocationInput", "LocationUpdate", "name.maxLength")...)
	tie(catalogue.MaxSKU, both("ItemInput", "ItemUpdate", "sku.maxLength")...)
	tie(catalogue.MaxItemName, both("ItemInput", "ItemUpdate", "name.maxLength")...)
	tie(catalogue.MaxItemDescription, both("ItemInput", "ItemUpdate", "description.maxLength")...)
	tie(catalogue.MaxBrand, both("ItemInput", "ItemUpdate", "brand.maxLength")...)
	tie(catalogue.MaxUnitName, both("ItemInput", "ItemUpdate", "base_unit.maxLength", "package_unit.maxLength")...)
	tie(catalogue.MinPackageSize, both("ItemInput", "ItemUpdate", "package_size.minimum")...)
	tie(catalogue.MaxPackageSize, both("ItemInput", "ItemUpdate", "package_size.maximum")...)
	tie(catalogue.MinPalletSize, both("ItemInput", "ItemUpdate", "pallet_size.minimum")...)
	tie(catalogue.MaxPalletSize, both("ItemInput", "ItemUpdate", "pallet_size.maximum")...)
	tie(catalogue.MaxBeverageType, both("ItemInput", "ItemUpdate", "beverage_type.maxLength")...)
	tie(catalogue.MinVolumeML, both("ItemInput", "ItemUpdate", "volume_ml.minimum")...)
	tie(catalogue.MaxVolumeML, both("ItemInput", "ItemUpdate", "volume_ml.maximum")...)
	tie(0, both("ItemInput", "ItemUpdate", "min_stock.minimum", "reorder_qty.minimum")...) // apperr.TooSmall(0)
	tie(catalogue.MaxSupplierSKU, "ItemSupplierInput.supplier_sku.maxLength")
	tie(0, "ItemSupplierInput.lead_time_days.minimum")
	tie(catalogue.MaxLeadTimeDays, "ItemSupplierInput.lead_time_days.maximum")
	// The stock ledger.
	tie(0, "MovementInput.quantity.minimum") // an adjust counts 0; other types need 1 (the ledger says)
	tie(1, "ReceiptLine.quantity.minimum")
	tie(0, "CountLine.quantity.minimum") // an adjust counts 0
	tie(ledger.MaxEnteredQuantity, "MovementInput.quantity.maximum", "ReceiptLine.quantity.maximum", "CountLine.quantity.maximum")
	tie(ledger.MaxReasonLength, both("MovementInput", "ReversalInput", "reason.maxLength")...)
	tie(ledger.MaxNoteLength, both("MovementInput", "ReversalInput", "note.maxLength")...)
	tie(ledger.MaxNoteLength, "CountInput.note.maxLength")
	tie(1, "CountInput.lines.minItems")
	tie(ledger.MaxCountLines, "CountInput.lines.maxItems")
	tie(ledger.MaxReferenceLength, "ReceiptInput.reference.maxLength")
	tie(1, "ReceiptInput.lines.minItems")
	tie(ledger.MaxReceiptLines, "ReceiptInput.lines.maxItems")
	tie(ledger.MaxKeyLength, "param:IdempotencyKey.maxLength")
	tie(ledger.MaxReceiptKeyLength, "param:ReceiptIdempotencyKey.maxLength")
	tie(1, "param:IdempotencyKey.minLength", "param:ReceiptIdempotencyKey.minLength")
	// People and access.
	tie(auth.MaxEmailLength, "UserCreate.email.maxLength", "LoginRequest.email.maxLength")
	tie(1, "UserCreate.name.minLength", "UserUpdate.name.minLength", "MeUpdate.name.minLength", "APITokenCreate.name.minLength")
	tie(auth.MaxNameLength, "UserCreate.name.maxLength", "UserUpdate.name.maxLength", "MeUpdate.name.maxLength")
	tie(password.MinLength, "UserCreate.password.minLength", "UserUpdate.password.minLength", "PasswordChange.new_password.minLength")
	tie(password.MaxBytes, "UserCreate.password.maxLength", "UserUpdate.password.maxLength", "PasswordChange.new_password.maxLength")
	tie(auth.MaxTokenNameLength, "APITokenCreate.name.maxLength")
	tie(1, "APITokenCreate.expires_in_days.minimum")
	tie(auth.MaxTokenDays, "APITokenCreate.expires_in_days.maximum")
	tie(middleware.MaxRequestIDLength, "op:ListAudit.request_id.maxLength")
	tie(sales.MaxOrderLines, "OrderInput.lines.maxItems", "DeliveryInput.delivered.maxItems")
	tie(sales.MaxEmpties, "DeliveryInput.empties.maxItems")
	tie(orders.MaxNotes, "OrderInput.notes.maxLength")
	tie(orders.MaxSearch, "op:ListOrders.q.maxLength")
	tie(int64(len(sales.Statuses())), "op:ListOrders.status.maxItems")
	tie(sales.MaxInvoiceOrders, "InvoiceInput.order_ids.maxItems")
	tie(sales.MaxOrderLines, "CreditNoteInput.lines.maxItems")
	tie(sales.MaxEmpties, "CreditNoteInput.empties.maxItems")
	tie(invoices.MaxReason, "CreditNoteInput.reason.maxLength")
	tie(invoices.MaxNote, "PaymentInput.note.maxLength")
	tie(invoices.MaxSearch, "op:ListInvoices.q.maxLength")
	tie(int64(len(invoices.States())), "op:ListInvoices.status.maxItems")
	// Expenses.
	tie(expenses.MaxNote, "ExpenseInput.note.maxLength", "ReceiptInput.expense.note.maxLength")
	tie(expenses.MaxVATLines, "ExpenseInput.vat.maxItems")
	tie(expenses.MaxSearch, "op:ListExpenses.q.maxLength", "op:ExportExpenses.q.maxLength")
	tie(1, both("ExpenseCategoryInput", "ExpenseCategoryUpdate", "name.minLength")...)
	tie(expenses.MaxCategory, both("ExpenseCategoryInput", "ExpenseCategoryUpdate", "name.maxLength")...)
	// Lists.
	tie(1, "param:Limit.minimum")
	tie(page.MaxLimit, "param:Limit.maximum")
	tie(page.DefaultLimit, "param:Limit.default")
	// The company profile: the address as the QR bill bounds it.
	tie(qrbill.MaxName, "CompanyProfileInput.name.maxLength")
	tie(qrbill.MaxStreet, "CompanyProfileInput.street.maxLength")
	tie(qrbill.MaxBuildingNumber, "CompanyProfileInput.building_number.maxLength")
	tie(qrbill.MaxPostalCode, "CompanyProfileInput.postal_code.maxLength")
	tie(qrbill.MaxTown, "CompanyProfileInput.town.maxLength")
	tie(company.MaxBankName, "CompanyProfileInput.bank_name.maxLength")
	tie(company.MaxInvoiceFooter, "CompanyProfileInput.invoice_footer.maxLength")
	tie(0, "CompanyProfileInput.payment_terms_days.minimum")
	tie(company.MaxPaymentTerms, "CompanyProfileInput.payment_terms_days.maximum")
	tie(sales.MaxPrefixLength, "CompanyProfileInput.invoice_prefix.maxLength", "CompanyProfileInput.credit_note_prefix.maxLength")

	// Limits only the contract has: what they bound has no rule in the
	// domain, so there is nothing to copy (the web reads them from the
	// contract too).
	contractOnly := map[string]string{
		"param:Cursor.maxLength":                     "the api's cursors are far shorter; a longer one is not one",
		"LoginRequest.password.maxLength":            "sign-in hashes what it gets; passwords imported from elsewhere may be longer than the policy's",
		"PasswordChange.current_password.maxLength":  "as the sign-in's password",
		"RefreshRequest.refresh_token.maxLength":     "the api's refresh tokens are 43 characters",
		"op:ListAudit.entity.maxLength":              "a filter: a longer value matches nothing",
		"op:ListAudit.entity_id.maxLength":           "a filter: a longer value matches nothing",
		"op:ListAudit.action.maxLength":              "a filter: a longer value matches nothing",
		"param:ParentID.minimum":                     "0 asks for the top level; ids are positive",
		"CompanyProfileInput.country.maxLength":      "two letters; the country rule (qrbill) refuses anything else",
		"CompanyProfileInput.vat_number.maxLength":   "room for a spelling swissuid.Parse normalises; it refuses anything not a UID",
		"CompanyProfileInput.iban.maxLength":         "an IBAN typed in groups with spaces; qrbill refuses anything not 21 characters once compact",
		"op:GetFile.If-None-Match.maxLength":         "a header of ETags: a longer one names no file's",
		"param:IfNoneMatch.maxLength":                "as GetFile's If-None-Match, for the documents' PDFs",
		"PaymentInput.amount.maxLength":              "a decimal string; money.Parse refuses more than 13 digits before the point",
		"op:GetDeliveryNote.If-None-Match.maxLength": "a header of ETags: a longer one names no note's",
	}
	// Patterns and ids are checked by rules below.
	patterns := map[string]bool{}

	got := contractLimits(t)
	for key, value := range got {
		switch {
		case strings.HasSuffix(key, ".pattern"):
			patterns[key] = true
			continue
		case isIDMinimum(key):
			if value != "1" {
				t.Errorf("%s = %s: ids are positive (apperr.PositiveID)", key, value)
			}
			continue
		}
		if _, ok := contractOnly[key]; ok {
			continue
		}
		w, ok := want[key]
		if !ok {
			t.Errorf("%s = %s in the contract: tie it to the domain's constant here (or list it as the contract's own)", key, value)
			continue
		}
		if w != value {
			t.Errorf("%s = %s in the contract, %s in the domain", key, value, w)
		}
	}
	for key, w := range want {
		if _, ok := got[key]; !ok {
			t.Errorf("%s (%s in the domain) is not in the contract", key, w)
		}
	}
	for key := range contractOnly {
		if _, ok := got[key]; !ok {
			t.Errorf("%s is listed as the contract's own limit but the contract has none", key)
		}
	}
	checkPatterns(t, got, patterns)
}

// isIDMinimum reports the minimum of an id: a property or parameter named
// id or ending in _id, and the path's {id}.
func isIDMinimum(key string) bool {
	field, ok := strings.CutSuffix(key, ".minimum")
	if !ok {
		return false
	}
	if field == "param:IDPath" || field == "param:CategoryID" {
		return true
	}
	name := field[strings.LastIndexAny(field, ".:")+1:]
	return name == "id" || strings.HasSuffix(name, "_id")
}

// checkPatterns ties each pattern to the domain: what the domain accepts or
// writes must match it, and what it refuses must not.
func checkPatterns(t *testing.T, got map[string]string, patterns map[string]bool) {
	t.Helper()
	checked := map[string]bool{}
	match := func(key string, ok func(*regexp.Regexp)) {
		checked[key] = true
		p, present := got[key]
		if !present {
			t.Errorf("%s is not in the contract", key)
			return
		}
		ok(regexp.MustCompile(p))
	}
	match("Money.pattern", func(re *regexp.Regexp) {
		if want := fmt.Sprintf(`^\d{1,%d}(\.\d{1,2})?$`, money.MaxWholeDigits); re.String() != want {
			t.Errorf("Money.pattern %s, want %s (money.MaxWholeDigits)", re, want)
		}
	})
	match("Cost.pattern", func(re *regexp.Regexp) {
		if want := fmt.Sprintf(`^\d{1,%d}(\.\d{1,%d})?$`, ledger.MaxCostWholeDigits, ledger.CostDecimals); re.String() != want {
			t.Errorf("Cost.pattern %s, want %s (ledger.MaxCostWholeDigits, CostDecimals)", re, want)
		}
	})
	match("CountryCode.pattern", func(re *regexp.Regexp) {
		for a := 'A'; a <= 'Z'; a++ {
			for b := 'A'; b <= 'Z'; b++ {
				if c := string([]rune{a, b}); catalogue.ValidCountry(c) && !re.MatchString(c) {
					t.Errorf("CountryCode.pattern refuses %s, a country of the domain", c)
				}
			}
		}
	})
	for _, key := range []string{"ItemInput.ean_unit.pattern", "ItemInput.ean_package.pattern", "ItemUpdate.ean_unit.pattern", "ItemUpdate.ean_package.pattern", "ItemInput.ean_pallet.pattern", "ItemUpdate.ean_pallet.pattern"} {
		match(key, func(re *regexp.Regexp) {
			// The pattern checks the length, the domain also the check
			// digit: of digit strings with a right check digit, the
			// pattern must let through exactly those the domain accepts.
			for n := 2; n <= 20; n++ {
				body := strings.Repeat("4", n-1)
				for d := '0'; d <= '9'; d++ {
					s := body + string(d)
					if catalogue.ValidGTIN(s) && !re.MatchString(s) {
						t.Errorf("%s refuses %s, a GTIN of the domain", key, s)
					}
				}
				if re.MatchString(body+"0") && !anyCheckDigit(body) {
					t.Errorf("%s accepts %d digits, which no GTIN has", key, n)
				}
			}
		})
	}
	for _, key := range []string{"ItemInput.abv.pattern", "ItemUpdate.abv.pattern"} {
		match(key, func(re *regexp.Regexp) {
			// Everything the api writes, a client must be able to send back.
			for perMille := 0; perMille <= catalogue.MaxABV; perMille++ {
				if s := catalogue.ABVPercent(perMille); !re.MatchString(s) {
					t.Errorf("%s refuses %s, which the api writes", key, s)
				}
			}
		})
	}
	match("ExchangeRate.pattern", func(re *regexp.Regexp) {
		// What the api writes reads back, and the pattern lets through
		// exactly the texts ParseRate takes.
		for _, r := range []int64{1, 941_200, expenses.RateScale, 99_999_999} {
			if s := expenses.FormatRate(r); !re.MatchString(s) {
				t.Errorf("ExchangeRate.pattern refuses %s, which the api writes", s)
			}
		}
		for _, s := range []string{"1", "0.9412", "12.345678", "100", "1.0000001", "1,05", ".5", "-1"} {
			_, err := expenses.ParseRate(s)
			if ok := err == nil || s == "0"; ok != re.MatchString(s) {
				t.Errorf("ExchangeRate.pattern matches %q: %v; ParseRate: %v", s, re.MatchString(s), err)
			}
		}
	})
	match("ExpenseVATPercent.pattern", func(re *regexp.Regexp) {
		for bp := 1; bp <= 10_000; bp++ {
			if s := catalogue.VATPercent(bp); !re.MatchString(s) {
				t.Errorf("ExpenseVATPercent.pattern refuses %s, which the api writes", s)
				break
			}
		}
	})
	for key := range patterns {
		if !checked[key] {
			t.Errorf("%s = %s: tie the pattern to the domain here", key, got[key])
		}
	}
}

// anyCheckDigit reports whether the domain accepts some GTIN of body's
// length plus one.
func anyCheckDigit(body string) bool {
	for d := '0'; d <= '9'; d++ {
		if catalogue.ValidGTIN(body + string(d)) {
			return true
		}
	}
	return false
}
