package postgres_test

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/depotix/depotix/services/api/internal/auth"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/company"
	"github.com/depotix/depotix/services/api/internal/expenses"
	"github.com/depotix/depotix/services/api/internal/files"
	"github.com/depotix/depotix/services/api/internal/invoices"
	"github.com/depotix/depotix/services/api/internal/ledger"
	"github.com/depotix/depotix/services/api/internal/orders"
	"github.com/depotix/depotix/services/api/internal/postgres/pgtest"
	"github.com/depotix/depotix/services/api/internal/sales"
)

// columnBound is a CHECK constraint's bound of a column: of its length
// (length(x) <= n) or of its value (x <= n).
type columnBound struct {
	column string // table.column
	length bool
	op     string // >= or <=
}

func (b columnBound) String() string {
	what := b.column
	if b.length {
		what = "length(" + b.column + ")"
	}
	return what + " " + b.op
}

var (
	lengthBound = regexp.MustCompile(`length\((\w+)\) (>=|<=) (\d+)`)
	valueBound  = regexp.MustCompile(`\((\w+) (>=|<=) (\d+)\)`)
)

// columnBounds reads the bounds of every CHECK constraint of the migrated
// schema, as PostgreSQL prints them (BETWEEN becomes >= AND <=).
func columnBounds(t *testing.T) map[columnBound][]int64 {
	t.Helper()
	rows, err := pgtest.Pool(t).Query(context.Background(), `
		SELECT conrelid::regclass::text, pg_get_constraintdef(oid)
		  FROM pg_constraint
		 WHERE contype = 'c' AND connamespace = 'public'::regnamespace AND conrelid <> 0`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[columnBound][]int64{}
	for rows.Next() {
		var table, def string
		if err := rows.Scan(&table, &def); err != nil {
			t.Fatal(err)
		}
		for _, re := range []*regexp.Regexp{lengthBound, valueBound} {
			for _, m := range re.FindAllStringSubmatch(def, -1) {
				n, err := strconv.ParseInt(m[3], 10, 64)
				if err != nil {
					t.Fatal(err)
				}
				b := columnBound{table + "." + m[1], re == lengthBound, m[2]}
				if !slices.Contains(out[b], n) {
					out[b] = append(out[b], n)
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestColumnLimitsMatchTheDomain ties the limits the migrations write into
// CHECK constraints to the domain's constants (the one source; the contract
// copy is compared in httpapi, TestContractLimitsMatchTheDomain). A bound
// added or changed in a migration without an entry here fails. Lower bounds
// of 0 and 1 on values (nothing negative, versions from 1) are invariants,
// not limits, and are not listed.
func TestColumnLimitsMatchTheDomain(t *testing.T) {
	want := map[columnBound][]int64{}
	add := func(b columnBound, n int64) { want[b] = append(want[b], n) }
	length := func(maxLen int64, columns ...string) {
		for _, c := range columns {
			add(columnBound{c, true, "<="}, maxLen)
		}
	}
	required := func(columns ...string) { // the domain requires them: length >= 1
		for _, c := range columns {
			add(columnBound{c, true, ">="}, 1)
		}
	}
	between := func(min, max int64, columns ...string) {
		for _, c := range columns {
			if min > 1 {
				add(columnBound{c, false, ">="}, min)
			}
			add(columnBound{c, false, "<="}, max)
		}
	}

	length(catalogue.MaxCategoryName, "categories.name")
	length(catalogue.MaxCategoryDescription, "categories.description")
	length(catalogue.MaxSupplierName, "suppliers.name")
	length(catalogue.MaxCustomerName, "customers.name")
	length(catalogue.MaxContactPerson, "suppliers.contact_person", "customers.contact_person")
	length(catalogue.MaxEmail, "suppliers.email", "customers.email")
	length(catalogue.MaxPhone, "suppliers.phone", "customers.phone")
	length(catalogue.MaxSupplierNotes, "suppliers.notes")
	length(catalogue.MaxStreet, "suppliers.street", "customers.billing_street", "customers.delivery_street")
	length(catalogue.MaxHouseNumber, "suppliers.house_number", "customers.billing_house_number", "customers.delivery_house_number")
	length(catalogue.MaxPostalCode, "suppliers.postal_code", "customers.billing_postal_code", "customers.delivery_postal_code")
	length(catalogue.MaxTown, "suppliers.town", "customers.billing_town", "customers.delivery_town")
	between(0, catalogue.MaxPaymentTerms, "suppliers.payment_terms_days", "customers.payment_terms_days")
	length(catalogue.MaxLocationCode, "locations.code")
	length(catalogue.MaxLocationName, "locations.name")
	length(catalogue.MaxSKU, "items.sku")
	length(catalogue.MaxItemName, "items.name")
	length(catalogue.MaxItemDescription, "items.description")
	length(catalogue.MaxBrand, "items.brand")
	length(catalogue.MaxUnitName, "items.base_unit", "items.package_unit")
	between(catalogue.MinPackageSize, catalogue.MaxPackageSize, "items.package_size")
	between(catalogue.MinPalletSize, catalogue.MaxPalletSize, "items.pallet_size")
	length(catalogue.MaxBeverageType, "items.beverage_type")
	between(catalogue.MinVolumeML, catalogue.MaxVolumeML, "items.volume_ml")
	between(0, catalogue.MaxABV, "items.abv")
	add(columnBound{"items.abv", false, "<="}, catalogue.AlcoholicAbove) // abv <= 5 OR alcoholic
	length(catalogue.MaxSupplierSKU, "item_suppliers.supplier_sku")
	between(0, catalogue.MaxLeadTimeDays, "item_suppliers.lead_time_days")
	required("categories.name", "suppliers.name", "customers.name", "customers.billing_postal_code", "customers.billing_town",
		"customers.delivery_postal_code", "customers.delivery_town", "locations.code", "locations.name",
		"items.sku", "items.name", "items.base_unit", "items.package_unit")

	between(0, company.MaxPaymentTerms, "organisation.payment_terms_days")
	length(files.MaxNameLength, "files.name")
	required("files.name")

	length(ledger.MaxReasonLength, "movements.reason")
	length(ledger.MaxNoteLength, "movements.note")
	length(ledger.MaxKeyLength, "movements.request_key", "idempotency_keys.key")
	required("movements.request_key", "idempotency_keys.key")

	length(catalogue.MaxCustomerName, "orders.ship_name")
	length(catalogue.MaxStreet, "orders.ship_street")
	length(catalogue.MaxHouseNumber, "orders.ship_house_number")
	length(catalogue.MaxPostalCode, "orders.ship_postal_code")
	length(catalogue.MaxTown, "orders.ship_town")
	length(orders.MaxNotes, "orders.notes")
	between(0, sales.MaxSequence, "order_numbers.last")
	required("orders.ship_name", "orders.ship_postal_code", "orders.ship_town")

	between(0, sales.MaxSequence, "document_numbers.last", "invoices.seq", "credit_notes.seq")
	between(0, company.MaxPaymentTerms, "invoices.payment_terms")
	length(invoices.MaxKeyLength, "invoices.request_key", "credit_notes.request_key", "payments.request_key")
	required("invoices.request_key", "credit_notes.request_key", "payments.request_key")
	length(invoices.MaxReason, "credit_notes.reason")
	length(invoices.MaxNote, "payments.note")
	length(expenses.MaxNote, "expenses.note")
	length(expenses.MaxCategory, "expense_categories.name")
	required("expense_categories.name")
	add(columnBound{"expense_vat.rate_bp", false, "<="}, expenses.MaxVATRateBP)
	length(files.MaxNameLength, "bank_imports.file_name")

	length(auth.MaxEmailLength, "users.email")
	length(auth.MaxNameLength, "users.name")
	length(auth.MaxTokenNameLength, "api_tokens.name")
	length(auth.MaxUserAgentLength, "sessions.user_agent")
	required("users.name", "api_tokens.name")

	// Bounds only the database has, with why.
	dbOnly := map[columnBound]string{
		{"users.email", true, ">="}:              "a@b: the shortest address; the domain checks the address as a whole",
		{"organisation.name", true, "<="}:        "not written by the api yet",
		{"customers.number", false, ">="}:        "customer numbers start at 1000 (the sequence's start)",
		{"login_throttle.failures", false, ">="}: "an invariant",
		{"credit_notes.payable", false, "<="}:    "an invariant: a credit note's totals are the negation of what it credits",
	}

	got := columnBounds(t)
	for b, ns := range got {
		if _, ok := dbOnly[b]; ok {
			continue
		}
		for _, n := range ns {
			if !b.length && b.op == ">=" && n <= 1 {
				continue // an invariant: nothing negative, versions from 1
			}
			switch w, ok := want[b]; {
			case !ok:
				t.Errorf("CHECK %s %d: tie it to the domain's constant here", b, n)
			case !slices.Contains(w, n):
				t.Errorf("CHECK %s %d in the database, %v in the domain", b, n, w)
			}
		}
	}
	for b, ws := range want {
		for _, w := range ws {
			if !slices.Contains(got[b], w) {
				t.Errorf("no CHECK %s %d in the database (the domain has it)", b, w)
			}
		}
	}
	for b := range dbOnly {
		if _, ok := got[b]; !ok {
			t.Errorf("%s is listed as the database's own bound but there is none", b)
		}
	}
	if len(got) < len(want) {
		t.Errorf("%d bounds read from the database, %d expected: is the parser still right?", len(got), len(want))
	}
}
