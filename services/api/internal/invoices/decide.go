package invoices

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/company"
	"github.com/depotix/depotix/services/api/internal/ledger"
	"github.com/depotix/depotix/services/api/internal/money"
	"github.com/depotix/depotix/services/api/internal/orders"
	"github.com/depotix/depotix/services/api/internal/qrbill"
	"github.com/depotix/depotix/services/api/internal/sales"
	"github.com/depotix/depotix/services/api/internal/salespdf"
)

// unitName is how a document prints a line's unit (salespdf's rule, in
// the documents' language).
func unitName(u catalogue.Unit, base, pkg string) string {
	return salespdf.UnitName(salespdf.German, u, base, pkg)
}

// companyOf freezes the profile as a document shows it.
func companyOf(p company.Profile, logo *LogoState) Company {
	c := Company{Address: addressOf(p.Creditor()), VATNumber: p.VATNumber, IBAN: p.IBAN, BankName: p.BankName,
		Footer: p.InvoiceFooter, PaymentTermsDays: p.PaymentTermsDays, DepositsTaxable: p.DepositsTaxable}
	if logo != nil {
		id := logo.FileID
		c.LogoFileID, c.LogoType = &id, logo.Type
	}
	return c
}

// billTo is the customer's billing address with the customer's name: the
// QR bill's debtor.
func billTo(c *orders.CustomerState) Address {
	b := c.Billing
	return Address{Name: c.Name, Street: b.Street, BuildingNumber: b.HouseNumber, PostalCode: b.PostalCode,
		Town: b.Town, Country: b.Country}
}

// billProblems maps the QR bill's problems to the fields a client can
// fix: the creditor and account are the company profile's, the debtor the
// customer's, the amount the invoice's orders'. A problem elsewhere (the
// reference, built here) is a fault of ours, not of the request.
func billProblems(err error) error {
	var qe *qrbill.Error
	if !errors.As(err, &qe) {
		return err
	}
	p := apperr.Problems{}
	for _, pr := range qe.Problems {
		switch {
		case strings.HasPrefix(pr.Field, "creditor."):
			p.Add("company."+strings.TrimPrefix(pr.Field, "creditor."), company.QRBillFieldError(pr))
		case strings.HasPrefix(pr.Field, "debtor."):
			p.Add("customer."+strings.TrimPrefix(pr.Field, "debtor."), company.QRBillFieldError(pr))
		case pr.Field == "customer" || strings.HasPrefix(pr.Field, "customer."):
			p.Add(pr.Field, company.QRBillFieldError(pr))
		case pr.Field == "amount":
			p.Add("order_ids", apperr.OutOfRange(qrbill.MinAmount, qrbill.MaxAmount).
				Because("add up to an amount payable a QR bill cannot carry: it must be between 0.01 and 999'999'999.99"))
		default:
			return fmt.Errorf("invoices: the QR bill we built is invalid: %w", err)
		}
	}
	return p.Err("The QR bill refuses this invoice's data; correct the marked fields.")
}

// decideIssue makes the invoice of the orders the store read.
func decideIssue(snap IssueSnapshot, ids []int64, date, created time.Time, render func(salespdf.Invoice) (FinishInvoice, error)) (IssuePlan, error) {
	p := apperr.Problems{}
	if len(ids) == 0 {
		p.Add("order_ids", apperr.TooFew(1))
	}
	for i, o := range snap.Orders {
		if o == nil {
			p.Add(fmt.Sprintf("order_ids[%d]", i), apperr.FieldError{Code: apperr.FieldNotFound, Message: "is no order"})
		}
	}
	if err := p.Check(); err != nil {
		return IssuePlan{}, err
	}
	delivered := make([]sales.DeliveredOrder, len(snap.Orders))
	for i, o := range snap.Orders {
		d := sales.DeliveredOrder{ID: o.ID, Number: o.Number, CustomerID: o.CustomerID, Currency: o.Currency, Status: o.Status}
		for _, l := range o.Lines {
			var q int64
			if l.Delivered != nil {
				q = *l.Delivered
			}
			d.Delivery.Lines = append(d.Delivery.Lines, sales.DeliveredLine{Line: l.Line, Delivered: q, DeliveredBase: q * l.Factor})
		}
		for _, e := range o.Empties {
			d.Delivery.Empties = append(d.Delivery.Empties, e.Empties)
		}
		delivered[i] = d
	}
	prof := snap.Profile
	draft, err := sales.DecideInvoice(delivered, sales.Settings{DepositsTaxable: prof.DepositsTaxable})
	if err != nil {
		return IssuePlan{}, err
	}
	if err := prof.IncompleteError(); err != nil {
		return IssuePlan{}, err
	}
	if snap.Customer == nil {
		return IssuePlan{}, fmt.Errorf("invoices: customer %d of the orders was not read", draft.CustomerID)
	}
	to := billTo(snap.Customer)
	if err := qrbill.ValidateAddress("customer", to.QR()); err != nil {
		return IssuePlan{}, billProblems(err)
	}
	byID := map[int64]*orders.Order{}
	for _, o := range snap.Orders {
		byID[o.ID] = o
	}
	inv := Invoice{CustomerID: draft.CustomerID, CustomerNumber: snap.Customer.Number, CustomerName: snap.Customer.Name,
		Currency: draft.Currency, IssueDate: date, DueDate: sales.DueDate(date, prof.PaymentTermsDays),
		PaymentTermsDays: prof.PaymentTermsDays, BillTo: to, Company: companyOf(prof, snap.Logo),
		OrderIDs: draft.OrderIDs, Totals: draft.Totals, Lines: []Line{}, Empties: []EmptiesLine{}}
	for _, id := range draft.OrderIDs {
		inv.OrderNumbers = append(inv.OrderNumbers, byID[id].Number)
	}
	for _, l := range draft.Lines {
		o := byID[l.OrderID]
		ol := o.Lines[l.OrderLine]
		inv.Lines = append(inv.Lines, Line{OrderID: l.OrderID, OrderNumber: o.Number, OrderLine: l.OrderLine,
			ItemID: l.ItemID, ItemSKU: ol.ItemSKU, ItemName: ol.ItemName, Unit: l.Unit,
			UnitName: unitName(l.Unit, ol.BaseUnit, ol.PackageUnit), Quantity: l.Quantity, Factor: l.Factor,
			UnitPrice: l.UnitPrice, PriceOverridden: l.PriceOverridden, VATRateBP: l.VATRateBP, Deposit: l.Deposit})
	}
	// Empties keep their order's sequence: DecideInvoice lists them order
	// by order, each order's in its own order.
	next := map[int64]int{}
	for _, e := range draft.Empties {
		o := byID[e.OrderID]
		oe := o.Empties[next[e.OrderID]]
		next[e.OrderID]++
		inv.Empties = append(inv.Empties, EmptiesLine{OrderID: e.OrderID, OrderNumber: o.Number, ItemID: e.ItemID,
			ItemSKU: oe.ItemSKU, ItemName: oe.ItemName, Unit: e.Unit,
			UnitName: unitName(e.Unit, snap.Units[e.ItemID].Base, snap.Units[e.ItemID].Package),
			Quantity: e.Quantity, Factor: e.Factor, QuantityBase: e.QuantityBase, Deposit: e.Deposit, VATRateBP: e.VATRateBP})
	}
	if pay := int64(inv.Totals.Payable); pay < qrbill.MinAmount || pay > qrbill.MaxAmount {
		return IssuePlan{}, billProblems(&qrbill.Error{Problems: []qrbill.Problem{{Field: "amount", Code: qrbill.CodeAmountRange}}})
	}
	// The PDF is laid out now, before the store draws the number: the
	// layout does not depend on it, and the counter's row stays locked
	// from the number to the commit, so only the finish (number, QR
	// bill, output) runs while the other issues wait.
	finish, err := render(InvoiceDocument(inv, snap.Logo, created))
	if err != nil {
		return IssuePlan{}, fmt.Errorf("render invoice: %w", err)
	}
	return IssuePlan{Number: func(seq int64) (Frozen[Invoice], error) {
		inv := inv
		inv.Seq = seq
		inv.Number = sales.FormatDocumentNumber(prof.InvoicePrefix, seq)
		var err error
		if prof.IsQRIBAN() {
			inv.ReferenceType = qrbill.QRR
			inv.Reference, err = qrbill.BuildQRR(uint64(inv.CustomerNumber), uint64(seq))
		} else {
			inv.ReferenceType = qrbill.SCOR
			inv.Reference, err = qrbill.BuildSCOR(inv.Number)
		}
		if err != nil {
			return Frozen[Invoice]{}, fmt.Errorf("reference of %s: %w", inv.Number, err)
		}
		debtor := inv.BillTo.QR()
		inv.Bill = qrbill.Bill{Account: prof.IBAN, Creditor: inv.Company.QR(), Amount: int64(inv.Totals.Payable),
			HasAmount: true, Currency: qrbill.Currency(inv.Currency), Debtor: &debtor,
			ReferenceType: inv.ReferenceType, Reference: inv.Reference, Message: "Rechnung " + inv.Number}
		if err := inv.Bill.Validate(); err != nil {
			return Frozen[Invoice]{}, billProblems(err)
		}
		pdf, err := finish(inv.Number, inv.Bill)
		if err != nil {
			return Frozen[Invoice]{}, fmt.Errorf("render invoice %s: %w", inv.Number, err)
		}
		inv.CreatedAt = created
		return Frozen[Invoice]{Doc: inv, PDF: pdf}, nil
	}}, nil
}

// letterhead is the frozen company as salespdf prints it.
func letterhead(c Company, logo *LogoState) salespdf.Letterhead {
	h := salespdf.Letterhead{Company: c.QR(), VATNumber: c.VATNumber, IBAN: c.IBAN, BankName: c.BankName, Footer: c.Footer}
	if logo != nil && c.LogoFileID != nil {
		h.Logo, h.LogoType = logo.Content, string(logo.Type)
	}
	return h
}

func pdfLines(ls []Line) []salespdf.Line {
	out := make([]salespdf.Line, len(ls))
	for i, l := range ls {
		out[i] = salespdf.Line{OrderNumber: l.OrderNumber, ItemSKU: l.ItemSKU, ItemName: l.ItemName, Unit: l.UnitName,
			Quantity: l.Quantity, UnitPrice: l.UnitPrice, Net: l.Net(), VATRateBP: l.VATRateBP, Deposit: l.Deposit,
			DepositNet: l.Deposit * money.Amount(l.Quantity)}
	}
	return out
}

func pdfEmpties(es []EmptiesLine) []salespdf.EmptiesLine {
	out := make([]salespdf.EmptiesLine, len(es))
	for i, e := range es {
		out[i] = salespdf.EmptiesLine{OrderNumber: e.OrderNumber, ItemSKU: e.ItemSKU, ItemName: e.ItemName, Unit: e.UnitName,
			Quantity: e.Quantity, Deposit: e.Deposit, Credit: e.Credit()}
	}
	return out
}

// InvoiceDocument maps a frozen invoice to what the renderer prints.
func InvoiceDocument(inv Invoice, logo *LogoState, created time.Time) salespdf.Invoice {
	return salespdf.Invoice{Letterhead: letterhead(inv.Company, logo), Language: salespdf.German, Number: inv.Number,
		Date: inv.IssueDate, DueDate: inv.DueDate, CustomerNo: inv.CustomerNumber, BillTo: inv.BillTo.QR(),
		OrderNumbers: inv.OrderNumbers, Lines: pdfLines(inv.Lines), Empties: pdfEmpties(inv.Empties),
		Totals: inv.Totals, Bill: inv.Bill, Created: created}
}

// CreditNoteDocument maps a frozen credit note to what the renderer prints.
func CreditNoteDocument(cn CreditNote, customerNumber int64, logo *LogoState, created time.Time) salespdf.CreditNote {
	return salespdf.CreditNote{Letterhead: letterhead(cn.Company, logo), Language: salespdf.German, Number: cn.Number,
		Date: cn.IssueDate, InvoiceNumber: cn.InvoiceNumber, CustomerNo: customerNumber, BillTo: cn.BillTo.QR(),
		Reason: cn.Reason, GoodsReturned: cn.ReturnGoods, Lines: pdfLines(cn.Lines), Empties: pdfEmpties(cn.Empties),
		Totals: cn.Totals, Created: created}
}

// credited sums, per line and per empties of the invoice, what its credit
// notes credited.
func credited(inv Invoice) (lines, empties []int64) {
	lines, empties = make([]int64, len(inv.Lines)), make([]int64, len(inv.Empties))
	for _, cn := range inv.CreditNotes {
		for _, l := range cn.Lines {
			if l.InvoiceLine >= 0 && l.InvoiceLine < len(lines) {
				lines[l.InvoiceLine] += l.Quantity
			}
		}
		for _, e := range cn.Empties {
			if e.InvoiceLine >= 0 && e.InvoiceLine < len(empties) {
				empties[e.InvoiceLine] += e.Quantity
			}
		}
	}
	return lines, empties
}

// decideCredit makes a credit note of the invoice the store read.
func decideCredit(snap CreditSnapshot, in CreditInput, date, created, today time.Time, render func(salespdf.CreditNote) (FinishCreditNote, error)) (CreditPlan, error) {
	inv := snap.Invoice
	if date.Before(inv.IssueDate) {
		return CreditPlan{}, apperr.FieldProblem("Check the date.", "date", apperr.FieldError{Code: apperr.FieldMustBeAfter,
			Message: "must not be before the invoice's date " + inv.IssueDate.Format("2006-01-02"), Params: apperr.Params{"other": "invoice.issue_date"}})
	}
	issued := sales.IssuedInvoice{Number: inv.Number, Currency: inv.Currency}
	for _, l := range inv.Lines {
		issued.Lines = append(issued.Lines, l.sales())
	}
	for _, e := range inv.Empties {
		issued.Empties = append(issued.Empties, e.sales())
	}
	issued.CreditedLines, issued.CreditedEmpties = credited(inv)
	// The invoice's own setting: a credit note mirrors its computation.
	cnd, err := sales.DecideCreditNote(issued, in.CreditInput, sales.Settings{DepositsTaxable: inv.Company.DepositsTaxable})
	if err != nil {
		return CreditPlan{}, err
	}
	cn := CreditNote{InvoiceID: inv.ID, InvoiceNumber: inv.Number, CustomerID: inv.CustomerID, IssueDate: date,
		Reason: in.Reason, ReturnGoods: in.ReturnGoods, BillTo: inv.BillTo, Company: companyOf(snap.Profile, snap.Logo),
		Totals: cnd.Totals, Lines: []Line{}, Empties: []EmptiesLine{}}
	// Which invoice line each credited line is: DecideCreditNote keeps the
	// input's order, so the entries map one to one (Full lists every line
	// with something left, in order).
	lineIdx, emptyIdx := creditIndexes(in.CreditInput, issued)
	for i, l := range cnd.Lines {
		src := inv.Lines[lineIdx[i]]
		src.Quantity = l.Quantity
		src.InvoiceLine = lineIdx[i]
		cn.Lines = append(cn.Lines, src)
	}
	for i, e := range cnd.Empties {
		src := inv.Empties[emptyIdx[i]]
		src.Quantity, src.QuantityBase = e.Quantity, e.QuantityBase
		src.InvoiceLine = emptyIdx[i]
		cn.Empties = append(cn.Empties, src)
	}
	plan := CreditPlan{Good: map[ledger.Place]int64{}, Charged: cnd.Totals.Deposits, Credited: cnd.Totals.EmptiesCredit}
	if plan.Settled, err = SettledAfter(inv, cnd.Totals.Payable, 0, today); err != nil {
		return CreditPlan{}, err
	}
	if in.ReturnGoods {
		loc := snap.Location
		switch {
		case loc == nil:
			return CreditPlan{}, apperr.FieldProblem("Check the location.", "location_id", apperr.FieldError{Code: apperr.FieldNotFound, Message: "is no location"})
		case loc.Archived:
			return CreditPlan{}, apperr.FieldProblem("Check the location.", "location_id", apperr.FieldError{Code: apperr.FieldArchived, Message: "is archived"})
		}
		cn.LocationID = &loc.ID
		customer := inv.CustomerID
		for _, l := range cn.Lines {
			it := snap.Items[l.ItemID]
			base := l.Quantity * l.Factor
			plan.Good[ledger.Place{ItemID: l.ItemID, LocationID: loc.ID}] += base
			plan.Returns = append(plan.Returns, ledger.Movement{Type: ledger.Return, ItemID: l.ItemID, LocationID: loc.ID,
				QuantityBase: base, EnteredQuantity: l.Quantity, EnteredUnit: l.Unit, UnitFactor: l.Factor,
				CustomerID: &customer, Note: "Credit note of invoice " + inv.Number + " (line " + strconv.Itoa(l.InvoiceLine+1) + ")",
				AvgCostBefore: it.AvgUnitCostMicros, AvgCostAfter: it.AvgUnitCostMicros})
		}
	}
	// Laid out before the number is drawn, as an invoice is.
	finish, err := render(CreditNoteDocument(cn, inv.CustomerNumber, snap.Logo, created))
	if err != nil {
		return CreditPlan{}, fmt.Errorf("render credit note: %w", err)
	}
	prof := snap.Profile
	plan.Number = func(seq int64) (Frozen[CreditNote], error) {
		cn := cn
		cn.Seq = seq
		cn.Number = sales.FormatDocumentNumber(prof.CreditNotePrefix, seq)
		for i := range plan.Returns {
			plan.Returns[i].Note = "Credit note " + cn.Number + " of invoice " + inv.Number
		}
		pdf, err := finish(cn.Number)
		if err != nil {
			return Frozen[CreditNote]{}, fmt.Errorf("render credit note %s: %w", cn.Number, err)
		}
		cn.CreatedAt = created
		return Frozen[CreditNote]{Doc: cn, PDF: pdf}, nil
	}
	return plan, nil
}

// creditIndexes returns, for the entries DecideCreditNote accepted, the
// invoice's line and empties indexes they credit.
func creditIndexes(in sales.CreditInput, inv sales.IssuedInvoice) (lines, empties []int) {
	if !in.Full {
		for _, e := range in.Lines {
			lines = append(lines, e.Line)
		}
		for _, e := range in.Empties {
			empties = append(empties, e.Line)
		}
		return lines, empties
	}
	for i, l := range inv.Lines {
		var done int64
		if i < len(inv.CreditedLines) {
			done = inv.CreditedLines[i]
		}
		if l.Quantity-done > 0 {
			lines = append(lines, i)
		}
	}
	for i, e := range inv.Empties {
		var done int64
		if i < len(inv.CreditedEmpties) {
			done = inv.CreditedEmpties[i]
		}
		if e.Quantity-done > 0 {
			empties = append(empties, i)
		}
	}
	return lines, empties
}

// SettledAfter reports whether an invoice is paid once credit (a credit
// note's payable, negative) and pay are added to its account.
func SettledAfter(inv Invoice, credit, pay money.Amount, today time.Time) (bool, error) {
	st, err := sales.StatusOf(inv.Totals.Payable, []money.Amount{-inv.Credited, credit}, []money.Amount{inv.Paid, pay},
		inv.IssueDate, inv.PaymentTermsDays, today)
	return st.State == sales.FullyPaid, err
}
