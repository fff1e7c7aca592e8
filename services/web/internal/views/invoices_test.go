package views

import (
	"strings"
	"testing"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/i18n"
)

// The audit trail says what was done with invoices, credit notes,
// payments and bank files in words, naming invoices by their number and
// never by a field name or id.
func TestInvoiceAuditInWords(t *testing.T) {
	at := testNow
	es := []apiclient.AuditEntry{
		{ID: 5, At: at, UserID: ptr(int64(3)), UserName: ptr("Anna Muster"), Entity: "invoice", EntityID: "1", Action: "create",
			RequestID: "r1", Changes: map[string]apiclient.AuditChange{"number": change(nil, "RE000001"),
				"customer_id": change(nil, float64(9)), "order_ids": change(nil, []any{float64(4)}),
				"payable": change(nil, "107.05"), "currency": change(nil, "CHF")}},
		{ID: 6, At: at, UserID: ptr(int64(3)), UserName: ptr("Anna Muster"), Entity: "credit_note", EntityID: "2", Action: "create",
			RequestID: "r2", Changes: map[string]apiclient.AuditChange{"number": change(nil, "GS000001"),
				"invoice_id": change(nil, float64(1)), "payable": change(nil, "-38.75"), "return_goods": change(nil, true)}},
		{ID: 7, At: at, UserID: ptr(int64(3)), UserName: ptr("Anna Muster"), Entity: "payment", EntityID: "8", Action: "create",
			RequestID: "r3", Changes: map[string]apiclient.AuditChange{"invoice_id": change(nil, float64(1)),
				"amount": change(nil, "1234.5"), "date": change(nil, "2026-12-05")}},
		{ID: 8, At: at, UserID: ptr(int64(3)), UserName: ptr("Anna Muster"), Entity: "bank_import", EntityID: "3", Action: "import",
			RequestID: "r4", Changes: map[string]apiclient.AuditChange{"credits": change(nil, float64(2)),
				"duplicates": change(nil, float64(0)), "repeated": change(nil, false)}},
	}
	refs := AuditRefs{}
	refs.Set("customer", 9, AuditRef{Name: "Restaurant Sonne"})
	for _, tt := range []struct {
		lang i18n.Lang
		what map[string]string
		inv  []string
	}{
		{i18n.English, map[string]string{
			"5": "Anna Muster issued invoice RE000001",
			"6": "Anna Muster issued credit note GS000001",
			"7": "Anna Muster recorded a payment of 1’234.50",
			"8": "Anna Muster imported bank file 3",
		}, []string{"Currency: CHF", "Customer: Restaurant Sonne", "Invoice no.: RE000001", "Payable: 107.05"}},
		{i18n.German, map[string]string{
			"5": "Anna Muster hat die Rechnung RE000001 gestellt",
			"6": "Anna Muster hat die Gutschrift GS000001 ausgestellt",
			"7": "Anna Muster hat eine Zahlung von 1’234.50 erfasst",
			"8": "Anna Muster hat die Bankdatei 3 importiert",
		}, []string{"Kunde: Restaurant Sonne", "Rechnungs-Nr.: RE000001", "Währung: CHF", "Zu zahlen: 107.05"}},
	} {
		p := signedInPage(tt.lang, NavAudit, "manager")
		doc := renderDoc(t, AuditTrail(p, AuditView{Rows: NewAuditRows(p, es, refs)}))
		for id, want := range tt.what {
			if got := text(doc, "audit-what-"+id); got != want {
				t.Errorf("%s: entry %s reads %q, want %q", tt.lang, id, got, want)
			}
		}
		if got := sortedCopy(changesOf(doc, "5")); strings.Join(got, "|") != strings.Join(tt.inv, "|") {
			t.Errorf("%s: invoice changes %q, want %q", tt.lang, got, tt.inv)
		}
		if href := doc.Find(`[data-testid="audit-what-5"] a[href="/invoices/1"]`).Length(); href == 0 {
			t.Errorf("%s: the invoice is not linked", tt.lang)
		}
		if href := doc.Find(`[data-testid="audit-what-8"] a[href="/bank-imports/3"]`).Length(); href == 0 {
			t.Errorf("%s: the bank file is not linked", tt.lang)
		}
		shown := doc.Find(`[data-testid="audit-entries"]`).Text()
		for _, bad := range []string{"_id", "order_ids", "bank_import", "credit_note"} {
			if strings.Contains(shown, bad) {
				t.Errorf("%s: the entries show %q", tt.lang, bad)
			}
		}
	}
}

func sampleInvoice() apiclient.Invoice {
	return apiclient.Invoice{ID: 1, Number: "RE000001", Currency: "CHF", CustomerName: "Restaurant Sonne", CustomerNumber: 1000,
		Status: apiclient.PaymentStateOpen, Payable: "107.05", Outstanding: "107.05", Paid: "0.00", Credited: "0.00", Overpaid: "0.00",
		Lines: []apiclient.DocumentLine{{ItemSku: "BEER-1", ItemName: "Lager", Quantity: 3, UnitName: "crate", UnitPrice: "26.40", Net: "79.20"},
			{ItemSku: "WATER-1", ItemName: "Mineral", Quantity: 6, UnitName: "bottle", UnitPrice: "1.90", Net: "11.40"}},
		Empties: []apiclient.DocumentEmpties{{ItemSku: "BEER-1", ItemName: "Lager", Quantity: 1, UnitName: "crate", Credit: "10.20"}},
		Totals:  apiclient.DocumentTotals{Payable: "107.05", Rounding: "0.00"}}
}

// The payment and credit note forms' summaries link every field the
// api may refuse to its control (the credit note's lines and empties by
// the invoice's index).
func TestInvoiceFormSummaries(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.English, i18n.German} {
		p := signedInPage(lang, NavInvoices, "manager")
		in := sampleInvoice()
		base := InvoiceView{I: in, CanWrite: true, Locations: []Option{{Value: "", Label: "–"}, {Value: "1", Label: "A-01"}},
			Payment: Form{Values: map[string]string{}}, Credit: Form{Values: map[string]string{}}}
		v := base
		fields := PaymentFields(p)
		v.Payment = withProblems(v.Payment, fields)
		checkSummary(t, renderDoc(t, InvoiceDetail(p, v)), "payment-error", fields)
		v = base
		fields = CreditFields(p, in)
		if len(fields) != 5 || fields[2].Name != "empties[0].quantity" {
			t.Fatalf("credit fields %+v", fields)
		}
		v.Credit = withProblems(v.Credit, fields)
		checkSummary(t, renderDoc(t, InvoiceDetail(p, v)), "credit-error", fields)
	}
}
