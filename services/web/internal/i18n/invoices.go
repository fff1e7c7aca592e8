package i18n

// InvoicesText is the invoice pages: the list, issuing, an invoice's page
// with its payments and credit notes, a credit note's page, the bank
// import, and the open invoices on a customer's page.
type InvoicesText struct {
	Title, Lead, New, Search, SearchHint, Status string
	States                                       map[string]string
	Filter, ClearFilter, None                    string
	Customer, CustomerFilter, AllCustomers       string
	Number, IssueDate, DueDate, Payable          string
	Outstanding, Overdue, BankImports            string

	NewTitle, NewLead, NewSearch, NewSearchHint, NewNone string
	Order, Delivered, Net, Choose, Issue, IssueFromOrder string
	Issued, NoOrders, ProfileMissing, CompleteProfile    string
	ProfileField                                         map[string]string

	InvoiceTitle, BackToList, OrdersOf, BillTo, Company      string
	PDF, LinesHeading, Item, Quantity, UnitPrice, VAT        string
	Deposit, EmptiesHeading, Credit, Totals                  string
	Deposits, EmptiesCredit, VATOf, Gross, Rounding          string
	Account, Paid, Credited, Overpaid, Reference             string
	PaymentsHeading, NoPayments, Date, Amount, Note          string
	PaymentTitle, PaymentSubmit, PaymentBooked               string
	CreditNotesHeading, NoCreditNotes                        string
	CreditTitle, CreditLead, CreditFull, CreditPartial       string
	CreditQuantity, CreditedBefore, Reason                   string
	ReturnGoods, ReturnLocation, CreditSubmit, CreditNothing string
	CreditIssued                                             string

	CreditNoteTitle, ForInvoice, GoodsReturned, GoodsKept string

	ImportTitle, ImportLead, File, FileHint, Upload, NoFile string
	FileTooLarge, Imported                                  string
	ReportTitle, ReportKind, ReportFile, Repeated           string
	NewCredits, Duplicates, Skipped, Booked, Waiting        string
	Debtor, CreditStatus                                    string
	CreditStatuses, Reasons                                 map[string]string
	UnmatchedHeading, NoUnmatched, AssignTo, AssignHint     string
	Assign, Assigned, NoSuchInvoice                         string

	OpenInvoices, NoOpenInvoices, AllInvoices string
	APIFields                                 map[string]string
}

// Invoices returns the invoice pages' texts.
func Invoices(lang Lang) *InvoicesText { return pick(lang, &invoicesEN, &invoicesDE) }

var invoicesEN = InvoicesText{
	Title: "Invoices", Lead: "Issued invoices, newest first, with what is still open.",
	New: "Issue an invoice", Search: "Search", SearchHint: "Invoice number, customer number or name",
	Status: "Status",
	States: map[string]string{"open": "Open", "partially_paid": "Partially paid", "overdue": "Overdue", "paid": "Paid"},
	Filter: "Filter", ClearFilter: "Clear filter", None: "No invoices match.",
	Customer: "Customer", CustomerFilter: "Only the invoices of {customer}.", AllCustomers: "All customers",
	Number: "Invoice no.", IssueDate: "Date", DueDate: "Due", Payable: "Payable",
	Outstanding: "Outstanding", Overdue: "overdue", BankImports: "Bank import",

	NewTitle: "Issue an invoice", NewLead: "Choose delivered orders of one customer; the invoice bills what was delivered.",
	NewSearch: "Customer or order", NewSearchHint: "Customer name or number, or an order number",
	NewNone: "No delivered orders waiting for an invoice.",
	Order:   "Order", Delivered: "Delivered", Net: "Net", Choose: "Invoice order {number}",
	Issue: "Issue invoice", IssueFromOrder: "Issue invoice",
	Issued: "Invoice {number} issued.", NoOrders: "Choose at least one order.",
	ProfileMissing:  "The company profile lacks what the QR bill needs: {fields}.",
	CompleteProfile: "Complete the company profile",
	ProfileField: map[string]string{"name": "Company name", "street": "Street", "building_number": "Building number",
		"postal_code": "Postal code", "town": "Town", "country": "Country", "iban": "IBAN"},

	InvoiceTitle: "Invoice {number}", BackToList: "All invoices", OrdersOf: "Orders", BillTo: "Bill to",
	Company: "From", PDF: "Download PDF", LinesHeading: "Lines", Item: "Item", Quantity: "Quantity",
	UnitPrice: "Unit price", VAT: "VAT", Deposit: "Deposit", EmptiesHeading: "Empties credited",
	Credit: "Credit", Totals: "Totals", Deposits: "Deposits", EmptiesCredit: "Empties credited",
	VATOf: "VAT {rate} of {base}", Gross: "Total incl. VAT", Rounding: "Rounding",
	Account: "Account", Paid: "Paid", Credited: "Credited", Overpaid: "Overpaid by {amount}",
	Reference:       "Payment reference",
	PaymentsHeading: "Payments", NoPayments: "No payments yet.", Date: "Date", Amount: "Amount", Note: "Note",
	PaymentTitle: "Record a payment", PaymentSubmit: "Record payment", PaymentBooked: "Payment of {amount} recorded on {number}.",
	CreditNotesHeading: "Credit notes", NoCreditNotes: "No credit notes.",
	CreditTitle: "Issue a credit note", CreditLead: "Credit everything still open, or quantities of single lines and empties.",
	CreditFull: "Everything not yet credited", CreditPartial: "Only the quantities below",
	CreditQuantity: "Credit {item}", CreditedBefore: "{n} credited before", Reason: "Reason",
	ReturnGoods: "The goods come back into stock", ReturnLocation: "Returned to",
	CreditSubmit: "Issue credit note", CreditNothing: "Enter a quantity to credit, or credit everything.",
	CreditIssued: "Credit note {number} issued.",

	CreditNoteTitle: "Credit note {number}", ForInvoice: "Invoice", GoodsReturned: "Goods booked back into stock",
	GoodsKept: "No goods returned",

	ImportTitle: "Bank import", ImportLead: "Upload a camt.054 or camt.053 file from your bank: credits with an invoice's reference are booked as payments.",
	File: "camt file", FileHint: "XML file, at most {size}", Upload: "Import", NoFile: "Choose a file.",
	FileTooLarge: "The file is too large: at most {size}.", Imported: "Bank file imported.",
	ReportTitle: "Bank import of {date}", ReportKind: "Kind", ReportFile: "File",
	Repeated:   "This very file was imported before: nothing was booked twice.",
	NewCredits: "New credits", Duplicates: "Already imported", Skipped: "Debits and pending entries",
	Booked: "Booked on {number}", Waiting: "Waiting: {reason}",
	Debtor: "Payer", CreditStatus: "Result",
	CreditStatuses: map[string]string{"matched": "Booked", "unmatched": "Not matched", "assigned": "Assigned by hand"},
	Reasons: map[string]string{"no_reference": "no reference", "unknown_reference": "no invoice has this reference",
		"wrong_currency": "the invoice is in another currency", "reversal": "a returned debit, not a payment", "": "–"},
	UnmatchedHeading: "Credits waiting for an invoice", NoUnmatched: "No credits are waiting.",
	AssignTo: "Invoice no.", AssignHint: "e.g. RE000042", Assign: "Book on invoice",
	Assigned: "Credit of {amount} booked on {number}.", NoSuchInvoice: "No invoice has the number {number}.",

	OpenInvoices: "Open invoices", NoOpenInvoices: "No open invoices.", AllInvoices: "All invoices of this customer",
	APIFields: map[string]string{
		"not_allowed/order_ids": "This order belongs to another customer or currency.",
		"in_future/date":        "The date may not be in the future.",
		"too_small/amount":      "At least 0.01.",
		"required/location_id":  "Choose where the goods come back to.",
	},
}

var invoicesDE = InvoicesText{
	Title: "Rechnungen", Lead: "Gestellte Rechnungen, die neuesten zuerst, mit dem, was noch offen ist.",
	New: "Rechnung stellen", Search: "Suche", SearchHint: "Rechnungsnummer, Kundennummer oder Name",
	Status: "Status",
	States: map[string]string{"open": "Offen", "partially_paid": "Teilweise bezahlt", "overdue": "Überfällig", "paid": "Bezahlt"},
	Filter: "Filtern", ClearFilter: "Filter löschen", None: "Keine Rechnungen gefunden.",
	Customer: "Kunde", CustomerFilter: "Nur die Rechnungen von {customer}.", AllCustomers: "Alle Kunden",
	Number: "Rechnungs-Nr.", IssueDate: "Datum", DueDate: "Fällig", Payable: "Zu zahlen",
	Outstanding: "Offen", Overdue: "überfällig", BankImports: "Bankimport",

	NewTitle: "Rechnung stellen", NewLead: "Wählen Sie gelieferte Aufträge eines Kunden; die Rechnung verrechnet, was geliefert wurde.",
	NewSearch: "Kunde oder Auftrag", NewSearchHint: "Name oder Nummer des Kunden, oder eine Auftragsnummer",
	NewNone: "Keine gelieferten Aufträge warten auf eine Rechnung.",
	Order:   "Auftrag", Delivered: "Geliefert", Net: "Netto", Choose: "Auftrag {number} verrechnen",
	Issue: "Rechnung stellen", IssueFromOrder: "Rechnung stellen",
	Issued: "Rechnung {number} gestellt.", NoOrders: "Wählen Sie mindestens einen Auftrag.",
	ProfileMissing:  "Dem Firmenprofil fehlt, was der QR-Einzahlungsschein braucht: {fields}.",
	CompleteProfile: "Firmenprofil ergänzen",
	ProfileField: map[string]string{"name": "Firmenname", "street": "Strasse", "building_number": "Hausnummer",
		"postal_code": "Postleitzahl", "town": "Ort", "country": "Land", "iban": "IBAN"},

	InvoiceTitle: "Rechnung {number}", BackToList: "Alle Rechnungen", OrdersOf: "Aufträge", BillTo: "Rechnungsadresse",
	Company: "Von", PDF: "PDF herunterladen", LinesHeading: "Positionen", Item: "Artikel", Quantity: "Menge",
	UnitPrice: "Preis", VAT: "MWST", Deposit: "Depot", EmptiesHeading: "Leergut gutgeschrieben",
	Credit: "Gutschrift", Totals: "Total", Deposits: "Depot", EmptiesCredit: "Leergut gutgeschrieben",
	VATOf: "MWST {rate} von {base}", Gross: "Total inkl. MWST", Rounding: "Rundung",
	Account: "Konto", Paid: "Bezahlt", Credited: "Gutgeschrieben", Overpaid: "Überzahlt um {amount}",
	Reference:       "Zahlungsreferenz",
	PaymentsHeading: "Zahlungen", NoPayments: "Noch keine Zahlungen.", Date: "Datum", Amount: "Betrag", Note: "Notiz",
	PaymentTitle: "Zahlung erfassen", PaymentSubmit: "Zahlung erfassen", PaymentBooked: "Zahlung von {amount} auf {number} erfasst.",
	CreditNotesHeading: "Gutschriften", NoCreditNotes: "Keine Gutschriften.",
	CreditTitle: "Gutschrift ausstellen", CreditLead: "Alles noch Offene gutschreiben, oder Mengen einzelner Positionen und des Leerguts.",
	CreditFull: "Alles noch nicht Gutgeschriebene", CreditPartial: "Nur die Mengen unten",
	CreditQuantity: "{item} gutschreiben", CreditedBefore: "{n} bereits gutgeschrieben", Reason: "Grund",
	ReturnGoods: "Die Ware kommt an Lager zurück", ReturnLocation: "Zurück nach",
	CreditSubmit: "Gutschrift ausstellen", CreditNothing: "Geben Sie eine Menge ein, oder schreiben Sie alles gut.",
	CreditIssued: "Gutschrift {number} ausgestellt.",

	CreditNoteTitle: "Gutschrift {number}", ForInvoice: "Rechnung", GoodsReturned: "Ware an Lager zurückgebucht",
	GoodsKept: "Keine Warenrücknahme",

	ImportTitle: "Bankimport", ImportLead: "Laden Sie eine camt.054- oder camt.053-Datei Ihrer Bank hoch: Gutschriften mit der Referenz einer Rechnung werden als Zahlungen verbucht.",
	File: "camt-Datei", FileHint: "XML-Datei, höchstens {size}", Upload: "Importieren", NoFile: "Wählen Sie eine Datei.",
	FileTooLarge: "Die Datei ist zu gross: höchstens {size}.", Imported: "Bankdatei importiert.",
	ReportTitle: "Bankimport vom {date}", ReportKind: "Art", ReportFile: "Datei",
	Repeated:   "Genau diese Datei wurde schon importiert: nichts wurde doppelt verbucht.",
	NewCredits: "Neue Gutschriften", Duplicates: "Bereits importiert", Skipped: "Belastungen und vorgemerkte Buchungen",
	Booked: "Verbucht auf {number}", Waiting: "Wartet: {reason}",
	Debtor: "Zahler", CreditStatus: "Ergebnis",
	CreditStatuses: map[string]string{"matched": "Verbucht", "unmatched": "Nicht zugeordnet", "assigned": "Von Hand zugeordnet"},
	Reasons: map[string]string{"no_reference": "keine Referenz", "unknown_reference": "keine Rechnung hat diese Referenz",
		"wrong_currency": "die Rechnung lautet auf eine andere Währung", "reversal": "eine zurückgebuchte Belastung, keine Zahlung", "": "–"},
	UnmatchedHeading: "Gutschriften ohne Rechnung", NoUnmatched: "Keine Gutschriften warten.",
	AssignTo: "Rechnungs-Nr.", AssignHint: "z. B. RE000042", Assign: "Auf Rechnung verbuchen",
	Assigned: "Gutschrift von {amount} auf {number} verbucht.", NoSuchInvoice: "Keine Rechnung hat die Nummer {number}.",

	OpenInvoices: "Offene Rechnungen", NoOpenInvoices: "Keine offenen Rechnungen.", AllInvoices: "Alle Rechnungen dieses Kunden",
	APIFields: map[string]string{
		"not_allowed/order_ids": "Dieser Auftrag gehört zu einem anderen Kunden oder lautet auf eine andere Währung.",
		"in_future/date":        "Das Datum darf nicht in der Zukunft liegen.",
		"too_small/amount":      "Mindestens 0.01.",
		"required/location_id":  "Wählen Sie, wohin die Ware zurückkommt.",
	},
}
