package views

import (
	"slices"
	"strings"
	"time"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/format"
	"github.com/depotix/depotix/services/web/internal/i18n"
)

// InvoiceStates are the payment states the list filters by, in the order
// the filter shows them.
var InvoiceStates = []apiclient.PaymentState{apiclient.PaymentStateOpen, apiclient.PaymentStatePartiallyPaid,
	apiclient.PaymentStateOverdue, apiclient.PaymentStatePaid}

// InvoiceHref is an invoice's page; InvoicePDFHref its stored PDF.
func InvoiceHref(id int64) string    { return "/invoices/" + itoa(id) }
func InvoicePDFHref(id int64) string { return InvoiceHref(id) + ".pdf" }

// CreditNoteHref is a credit note's page; CreditNotePDFHref its PDF.
func CreditNoteHref(id int64) string    { return "/credit-notes/" + itoa(id) }
func CreditNotePDFHref(id int64) string { return CreditNoteHref(id) + ".pdf" }

// InvoiceRow is one invoice of a list, in the person's formats.
type InvoiceRow struct {
	ID                   int64
	Number, Customer     string
	CustomerID           int64
	IssueDate, DueDate   time.Time
	Overdue              bool
	Payable, Outstanding string
	Status               string // the api's payment state, for the tag and tests
}

// NewInvoiceRows turns the api's invoices into rows.
func NewInvoiceRows(f format.Formatter, l []apiclient.InvoiceSummary) []InvoiceRow {
	out := make([]InvoiceRow, 0, len(l))
	for _, in := range l {
		out = append(out, InvoiceRow{ID: in.ID, Number: in.Number, Customer: OrderCustomer(in.CustomerName, in.CustomerNumber),
			CustomerID: in.CustomerID, IssueDate: in.IssueDate.Time, DueDate: in.DueDate.Time, Overdue: in.Overdue,
			Payable: f.Money(in.Payable, string(in.Currency)), Outstanding: f.Money(in.Outstanding, string(in.Currency)),
			Status: string(in.Status)})
	}
	return out
}

// InvoiceStateText names a payment state in the page's language.
func InvoiceStateText(t *i18n.InvoicesText, state string) string {
	if s, ok := t.States[state]; ok {
		return s
	}
	return state
}

// InvoiceListView is the list: its filter, rows and pager.
type InvoiceListView struct {
	Filter Form
	States map[string]bool
	// Customer names the customer the list is limited to ("" for all);
	// CustomerID keeps the limit in the filter form.
	Customer   string
	CustomerID int64
	Rows       []InvoiceRow
	Pager      Pager
	CanWrite   bool
}

// InvoiceNewView is the choice of delivered orders to invoice.
type InvoiceNewView struct {
	Filter     Form
	CustomerID int64
	Orders     []OrderRow
	Checked    map[int64]bool
	// Form carries the idempotency key and a refusal.
	Form Form
	// ProfileLink: the refusal names the company profile.
	ProfileLink bool
}

// InvoiceNewFields are the issue form's problems for the summary: one
// checkbox per order, named as the api names them.
func InvoiceNewFields(p Page, v InvoiceNewView) []FieldSpec {
	t := i18n.Invoices(p.Lang)
	var out []FieldSpec
	for i, o := range v.Orders {
		out = append(out, FieldSpec{Form: "invoice-new", Name: "order_ids[" + itoa(int64(i)) + "]",
			Label: fill(t.Choose, "number", o.Number), Target: "invoice-new-order-" + itoa(o.ID)})
	}
	return out
}

// InvoiceView is an invoice's page with its payment and credit note forms.
type InvoiceView struct {
	I        apiclient.Invoice
	Version  string
	CanWrite bool
	Payment  Form
	Credit   Form
	// Locations the credited goods may return to.
	Locations []Option
	// LineCredited and EmptiesCredited are what earlier credit notes
	// credited, per invoice line and empties index.
	LineCredited, EmptiesCredited map[int]int64
}

// CreditedBefore sums what the invoice's credit notes credited per line
// and per empties index.
func CreditedBefore(in apiclient.Invoice) (lines, empties map[int]int64) {
	lines, empties = map[int]int64{}, map[int]int64{}
	for _, cn := range in.CreditNotes {
		for _, l := range cn.Lines {
			if l.Line != nil {
				lines[*l.Line] += l.Quantity
			}
		}
		for _, e := range cn.Empties {
			if e.Line != nil {
				empties[*e.Line] += e.Quantity
			}
		}
	}
	return lines, empties
}

// PaymentFields are the payment form's fields.
func PaymentFields(p Page) []FieldSpec {
	t := i18n.Invoices(p.Lang)
	return []FieldSpec{
		{Form: "payment", Name: "date", Label: t.Date, Type: "date", Required: true},
		{Form: "payment", Name: "amount", Label: t.Amount, InputMode: "decimal", Required: true, MaxLength: DecimalWidth},
		{Form: "payment", Name: "note", Label: t.Note, MaxLength: apiclient.LimitPaymentInputNoteMaxLength},
	}
}

// CreditFields are the credit note form's problems for the summary: its
// lines' and empties' quantities, the reason and the location.
func CreditFields(p Page, in apiclient.Invoice) []FieldSpec {
	t := i18n.Invoices(p.Lang)
	var out []FieldSpec
	for i, l := range in.Lines {
		out = append(out, FieldSpec{Form: "credit", Name: LineField(i, "quantity"), Label: fill(t.CreditQuantity, "item", l.ItemSku+" "+l.ItemName)})
	}
	for i, e := range in.Empties {
		out = append(out, FieldSpec{Form: "credit", Name: "empties[" + itoa(int64(i)) + "].quantity", Label: fill(t.CreditQuantity, "item", e.ItemSku+" "+e.ItemName)})
	}
	return append(out,
		FieldSpec{Form: "credit", Name: "reason", Label: t.Reason, MaxLength: apiclient.LimitCreditNoteInputReasonMaxLength},
		FieldSpec{Form: "credit", Name: "location_id", Label: t.ReturnLocation})
}

// DocQuantity writes a document line's quantity in its printed unit.
func DocQuantity(f format.Formatter, n int64, unit string) string {
	return i18n.UnitCount(n, f.Int(n), unit)
}

// VATGroupText is one VAT line: "VAT 8.1 % of CHF 100.00".
func VATGroupText(p Page, g apiclient.VatGroup, currency string) string {
	t := i18n.Invoices(p.Lang)
	return strings.NewReplacer("{rate}", p.Fmt.Percent(VATPercent(g.RateBp)), "{base}", p.Fmt.Money(g.Base, currency)).Replace(t.VATOf)
}

// CreditNoteView is a credit note's page.
type CreditNoteView struct {
	N        apiclient.CreditNote
	Currency string
}

// BankImportView is the upload form and the credits waiting for a person.
type BankImportView struct {
	Form      Form
	MaxSize   string
	Unmatched []apiclient.BankCredit
	// Assign is the assignment form that came back refused, for the
	// credit AssignID.
	Assign   Form
	AssignID int64
	Pager    Pager
	CanWrite bool
}

// BankReportView is an import's match report.
type BankReportView struct {
	R apiclient.BankImport
}

// BankCreditResult says what became of a credit.
func BankCreditResult(t *i18n.InvoicesText, c apiclient.BankCredit) string {
	if c.InvoiceNumber != nil && c.Status != apiclient.BankCreditStatusUnmatched {
		return fill(t.Booked, "number", *c.InvoiceNumber)
	}
	return fill(t.Waiting, "reason", t.Reasons[string(c.Reason)])
}

// CompanyProblems lists the company profile's fields a refusal names
// (company.<field>), by label, in a stable order.
func CompanyProblems(t *i18n.InvoicesText, fields []string) string {
	var labels []string
	for _, f := range fields {
		name, ok := strings.CutPrefix(f, "company.")
		if !ok {
			continue
		}
		if l, ok := t.ProfileField[name]; ok {
			labels = append(labels, l)
		} else {
			labels = append(labels, name)
		}
	}
	slices.Sort(labels)
	return strings.Join(labels, ", ")
}

// docAddress writes a document's address on one line.
func docAddress(a apiclient.DocumentAddress) string {
	return joinNonEmpty(", ", a.Name, joinNonEmpty(" ", a.Street, a.BuildingNumber),
		joinNonEmpty(" ", a.Country+"-"+a.PostalCode, a.Town))
}

// docCompany writes the frozen company on one line.
func docCompany(c apiclient.DocumentCompany) string {
	return joinNonEmpty(", ", c.Name, joinNonEmpty(" ", c.Street, c.BuildingNumber),
		joinNonEmpty(" ", c.Country+"-"+c.PostalCode, c.Town), c.VatNumber)
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.Trim(strings.TrimSpace(p), "-"); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// creditedHint adds what earlier credit notes credited to a quantity's
// hint.
func creditedHint(p Page, t *i18n.InvoicesText, n int64, unit string) string {
	if n == 0 {
		return ""
	}
	return " · " + fill(t.CreditedBefore, "n", DocQuantity(p.Fmt, n, unit))
}

// creditReference is a credit's reference, or its remittance text when it
// has none.
func creditReference(c apiclient.BankCredit) string {
	if c.Reference != "" {
		return c.Reference
	}
	return c.Remittance
}
