package salespdf

// texts are a document's fixed wordings in one language.
type texts struct {
	invoice, creditNote, deliveryNote     string
	date, dueDate, customerNo, orderNo    string
	ordersNo, invoiceNo, deliveryDate     string
	item, description, quantity, unit     string
	unitPrice, vat, amount                string
	ordered, delivered                    string
	deposit, empties, emptiesTakenBack    string
	deliveredWith                         string
	net, deposits, emptiesCredit          string
	vatOf                                 string // "MWST %s von %s %s": rate, currency, base
	gross, rounding, payable, creditTotal string
	reason, goodsReturned, yes, no        string
	paymentTerms                          string // "Zahlbar innert %d Tagen bis %s."
	paymentNow                            string // "Zahlbar bis %s."
	bank, iban                            string
	page                                  string // "Seite %d von %d"
	continued                             string // the head of a continuation page: "%s, Fortsetzung"
	notes                                 string
	place, signature, blockLetters        string
	receivedBy                            string
	creditIntro                           string // "Wir schreiben Ihnen zu Rechnung %s gut:"
}

var german = texts{
	invoice:          "Rechnung",
	creditNote:       "Gutschrift",
	deliveryNote:     "Lieferschein",
	date:             "Datum",
	dueDate:          "Fällig am",
	customerNo:       "Kundennummer",
	orderNo:          "Auftrag",
	ordersNo:         "Lieferscheine",
	invoiceNo:        "Zu Rechnung",
	deliveryDate:     "Lieferdatum",
	item:             "Artikel",
	description:      "Bezeichnung",
	quantity:         "Menge",
	unit:             "Einheit",
	unitPrice:        "Preis",
	vat:              "MWST",
	amount:           "Betrag",
	ordered:          "Bestellt",
	delivered:        "Geliefert",
	deposit:          "Depot",
	empties:          "Leergut zurück",
	emptiesTakenBack: "Leergut zurückgenommen",
	deliveredWith:    "Lieferschein",
	net:              "Warenwert netto",
	deposits:         "Depot",
	emptiesCredit:    "Leergut-Gutschrift",
	vatOf:            "MWST %s von %s %s",
	gross:            "Total inkl. MWST",
	rounding:         "Rundungsdifferenz",
	payable:          "Zu bezahlen",
	creditTotal:      "Gutschrift total",
	reason:           "Grund",
	goodsReturned:    "Ware zurückgenommen",
	yes:              "ja",
	no:               "nein",
	paymentTerms:     "Zahlbar innert %d Tagen, bis %s.",
	paymentNow:       "Zahlbar sofort, bis %s.",
	bank:             "Bank",
	iban:             "IBAN",
	page:             "Seite %d von %d",
	continued:        "%s, Fortsetzung",
	notes:            "Bemerkungen",
	place:            "Ort, Datum",
	signature:        "Unterschrift",
	blockLetters:     "Name in Blockschrift",
	receivedBy:       "Ware erhalten:",
	creditIntro:      "Wir schreiben Ihnen zu Rechnung %s gut:",
}

var english = texts{
	invoice:          "Invoice",
	creditNote:       "Credit note",
	deliveryNote:     "Delivery note",
	date:             "Date",
	dueDate:          "Due date",
	customerNo:       "Customer no.",
	orderNo:          "Order",
	ordersNo:         "Delivery notes",
	invoiceNo:        "For invoice",
	deliveryDate:     "Delivery date",
	item:             "Item",
	description:      "Description",
	quantity:         "Quantity",
	unit:             "Unit",
	unitPrice:        "Price",
	vat:              "VAT",
	amount:           "Amount",
	ordered:          "Ordered",
	delivered:        "Delivered",
	deposit:          "Deposit",
	empties:          "Empties returned",
	emptiesTakenBack: "Empties taken back",
	deliveredWith:    "Delivery note",
	net:              "Net goods",
	deposits:         "Deposits",
	emptiesCredit:    "Empties credit",
	vatOf:            "VAT %s on %s %s",
	gross:            "Total incl. VAT",
	rounding:         "Rounding",
	payable:          "Amount payable",
	creditTotal:      "Total credited",
	reason:           "Reason",
	goodsReturned:    "Goods returned",
	yes:              "yes",
	no:               "no",
	paymentTerms:     "Payable within %d days, by %s.",
	paymentNow:       "Payable immediately, by %s.",
	bank:             "Bank",
	iban:             "IBAN",
	page:             "Page %d of %d",
	continued:        "%s, continued",
	notes:            "Notes",
	place:            "Place, date",
	signature:        "Signature",
	blockLetters:     "Name in block letters",
	receivedBy:       "Goods received:",
	creditIntro:      "We credit you for invoice %s:",
}

// textsOf gives the texts of l; German for anything else, the depot's
// own language.
func textsOf(l Language) texts {
	if l == English {
		return english
	}
	return german
}
