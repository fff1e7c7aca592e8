package i18n

// OrdersText is the orders' pages: the list, the order form, an order's
// page with its actions, the delivery screen, and the sales part of a
// customer's page.
type OrdersText struct {
	Title        string
	Lead         string
	New          string
	Search       string
	SearchHint   string
	Status       string
	Statuses     map[string]string
	Filter       string
	ClearFilter  string
	None         string
	Number       string
	Customer     string
	DeliveryDate string
	NoDate       string
	Net          string
	Created      string

	BackToList   string
	BackToOrder  string
	NewTitle     string
	EditTitle    string
	FormLead     string
	CustomerHint string
	Location     string
	LocationHint string
	Notes        string
	LinesHeading string
	AddCode      string
	AddHint      string
	AddLine      string
	Candidates   string
	NoItem       string
	UnitPrice    string
	RemoveLine   string
	Available    string
	DefaultPrice string
	VATOf        string
	DepositOf    string
	Save         string
	NoLines      string
	Saved        string
	// KeptPrices tells someone who may not set prices, on a DRAFT a
	// manager priced, that the api keeps those prices through the edit.
	KeptPrices string

	OrderTitle     string
	ShipTo         string
	DeliveryNote   string
	Ordered        string
	Delivered      string
	VAT            string
	Deposit        string
	Overridden     string
	EmptiesHeading string
	Credit         string
	Totals         string
	Deposits       string
	EmptiesCredit  string
	TotalsNote     string
	History        string
	ConfirmedAt    string
	DeliveredAt    string
	CancelledAt    string
	Edit           string
	Confirm        string
	Deliver        string
	Cancel         string
	CancelQuestion string
	CancelYes      string
	Confirmed      string
	Cancelled      string
	// WrongStatus explains an action the order's status no longer allows
	// (someone else acted meanwhile).
	WrongStatus string
	// LineOf names a line of an order: "Line 2 (BEER-1)".
	LineOf string
	// Shortage is a line's shortfall: what is missing in the line's unit,
	// what is available in the item's base unit.
	Shortage string
	// NotEnough heads a refusal for want of stock.
	NotEnough string

	DeliverTitle  string
	DeliverLead   string
	ShortHint     string
	DeliveredOf   string
	EmptiesHint   string
	DeliverNow    string
	DeliveredDone string
	ShortDone     string

	DepositBalance string
	NoDeposits     string
	Currency       string
	Charged        string
	Credited       string
	Balance        string
	DepositNote    string
	RecentOrders   string
	AllOrders      string

	// APIFields are the orders' own texts of the api's field problems.
	APIFields map[string]string
}

// Orders returns the orders' texts in lang.
func Orders(lang Lang) *OrdersText { return pick(lang, &ordersEN, &ordersDE) }

var ordersEN = OrdersText{
	Title:        "Orders",
	Lead:         "Customers' orders: confirm reserves the goods, deliver issues them.",
	New:          "New order",
	Search:       "Search",
	SearchHint:   "Order number, customer number or part of the customer's name.",
	Status:       "Status",
	Statuses:     map[string]string{"DRAFT": "Draft", "CONFIRMED": "Confirmed", "DELIVERED": "Delivered", "INVOICED": "Invoiced", "PAID": "Paid", "CANCELLED": "Cancelled"},
	Filter:       "Show",
	ClearFilter:  "Clear",
	None:         "No orders.",
	Number:       "Order no.",
	Customer:     "Customer",
	DeliveryDate: "Delivery date",
	NoDate:       "none",
	Net:          "Net",
	Created:      "Created",

	BackToList:   "Back to the orders",
	BackToOrder:  "Back to order {number}",
	NewTitle:     "New order",
	EditTitle:    "Change order {number}",
	FormLead:     "A draft reserves nothing; confirming it reserves the goods at the chosen location.",
	CustomerHint: "Name or customer number.",
	Location:     "Location",
	LocationHint: "Where the goods are reserved and issued from.",
	Notes:        "Notes",
	LinesHeading: "Lines",
	AddCode:      "Add an item",
	AddHint:      "Scan a code or type a SKU or words, then Enter.",
	AddLine:      "Add line",
	Candidates:   "Several items match; choose one:",
	NoItem:       "No item matches “{q}”.",
	UnitPrice:    "Unit price",
	RemoveLine:   "Remove",
	Available:    "Available here: {stock}",
	DefaultPrice: "Price: {price}",
	KeptPrices:   "Prices a manager set stay on their lines when you change this order.",
	VATOf:        "VAT {vat}",
	DepositOf:    "Deposit: {deposit}",
	Save:         "Save order",
	NoLines:      "Add at least one line.",
	Saved:        "Order {number} saved.",

	OrderTitle:     "Order {number}",
	ShipTo:         "Deliver to",
	DeliveryNote:   "Delivery note (PDF)",
	Ordered:        "Ordered",
	Delivered:      "Delivered",
	VAT:            "VAT",
	Deposit:        "Deposit",
	Overridden:     "price set by hand",
	EmptiesHeading: "Empties handed back",
	Credit:         "Credit",
	Totals:         "Totals",
	Deposits:       "Deposits",
	EmptiesCredit:  "Empties credited",
	TotalsNote:     "Net of VAT; the invoice adds VAT and rounding.",
	History:        "History",
	ConfirmedAt:    "Confirmed",
	DeliveredAt:    "Delivered",
	CancelledAt:    "Cancelled",
	Edit:           "Change",
	Confirm:        "Confirm and reserve",
	Deliver:        "Deliver…",
	Cancel:         "Cancel order…",
	CancelQuestion: "Cancel order {number}? Its reservation is released; this cannot be undone.",
	CancelYes:      "Cancel the order",
	Confirmed:      "Order {number} confirmed: its goods are reserved.",
	Cancelled:      "Order {number} cancelled.",
	WrongStatus:    "Order {number} is now “{status}”; that is no longer possible.",
	LineOf:         "Line {n} ({sku})",
	Shortage:       "{missing} missing: only {available} available.",
	NotEnough:      "Not enough stock at the order's location: nothing was reserved or booked.",

	DeliverTitle:  "Deliver order {number}",
	DeliverLead:   "To {customer}, from {location}. Everything is booked at once, or nothing.",
	ShortHint:     "Less than ordered is a short delivery: the rest is released and not billed.",
	DeliveredOf:   "Delivered of {sku}",
	EmptiesHint:   "Crates, bottles and kegs the customer hands back are credited at their deposit.",
	DeliverNow:    "Deliver",
	DeliveredDone: "Order {number} delivered.",
	ShortDone:     "Order {number} delivered short; the rest is released.",

	DepositBalance: "Deposit account",
	NoDeposits:     "No deposits charged or credited yet.",
	Currency:       "Currency",
	Charged:        "Charged",
	Credited:       "Credited",
	Balance:        "Balance",
	DepositNote:    "Deposits of delivered goods less empties taken back, net of VAT: what the customer holds in containers.",
	RecentOrders:   "Recent orders",
	AllOrders:      "All orders of this customer",

	APIFields: map[string]string{
		"required/customer_id":     "Choose the customer.",
		"required/location_id":     "Choose where the goods come from.",
		"not_allowed/location_id":  "Goods are not sold from the empties location; choose another.",
		"too_few/lines":            "Add at least one line.",
		"not_permitted/unit_price": "Only managers may set another price.",
		"out_of_range/quantity":    "Enter {min} to {max}.",
		"not_allowed/item_id":      "This item takes no empties back (not returnable).",
	},
}

var ordersDE = OrdersText{
	Title:        "Aufträge",
	Lead:         "Aufträge der Kunden: Bestätigen reserviert die Ware, Liefern bucht den Ausgang.",
	New:          "Neuer Auftrag",
	Search:       "Suche",
	SearchHint:   "Auftragsnummer, Kundennummer oder Teil des Kundennamens.",
	Status:       "Status",
	Statuses:     map[string]string{"DRAFT": "Entwurf", "CONFIRMED": "Bestätigt", "DELIVERED": "Geliefert", "INVOICED": "Verrechnet", "PAID": "Bezahlt", "CANCELLED": "Storniert"},
	Filter:       "Anzeigen",
	ClearFilter:  "Zurücksetzen",
	None:         "Keine Aufträge.",
	Number:       "Auftrags-Nr.",
	Customer:     "Kunde",
	DeliveryDate: "Lieferdatum",
	NoDate:       "keines",
	Net:          "Netto",
	Created:      "Erfasst",

	BackToList:   "Zurück zu den Aufträgen",
	BackToOrder:  "Zurück zu Auftrag {number}",
	NewTitle:     "Neuer Auftrag",
	EditTitle:    "Auftrag {number} ändern",
	FormLead:     "Ein Entwurf reserviert nichts; erst die Bestätigung reserviert die Ware am gewählten Lagerort.",
	CustomerHint: "Name oder Kundennummer.",
	Location:     "Lagerort",
	LocationHint: "Wo die Ware reserviert und ausgebucht wird.",
	Notes:        "Notizen",
	LinesHeading: "Positionen",
	AddCode:      "Artikel hinzufügen",
	AddHint:      "Code scannen oder Artikelnummer bzw. Stichwörter tippen, dann Enter.",
	AddLine:      "Position hinzufügen",
	Candidates:   "Mehrere Artikel passen; bitte einen wählen:",
	NoItem:       "Kein Artikel passt zu «{q}».",
	UnitPrice:    "Stückpreis",
	RemoveLine:   "Entfernen",
	Available:    "Hier verfügbar: {stock}",
	DefaultPrice: "Preis: {price}",
	KeptPrices:   "Preise, die ein Leiter oder eine Leiterin gesetzt hat, bleiben auf ihren Positionen, wenn Sie diesen Auftrag ändern.",
	VATOf:        "MWST {vat}",
	DepositOf:    "Depot: {deposit}",
	Save:         "Auftrag speichern",
	NoLines:      "Erfassen Sie mindestens eine Position.",
	Saved:        "Auftrag {number} gespeichert.",

	OrderTitle:     "Auftrag {number}",
	ShipTo:         "Lieferadresse",
	DeliveryNote:   "Lieferschein (PDF)",
	Ordered:        "Bestellt",
	Delivered:      "Geliefert",
	VAT:            "MWST",
	Deposit:        "Depot",
	Overridden:     "Preis von Hand gesetzt",
	EmptiesHeading: "Zurückgegebenes Leergut",
	Credit:         "Gutschrift",
	Totals:         "Summen",
	Deposits:       "Depots",
	EmptiesCredit:  "Leergut gutgeschrieben",
	TotalsNote:     "Ohne MWST; die Rechnung rechnet MWST und Rundung dazu.",
	History:        "Verlauf",
	ConfirmedAt:    "Bestätigt",
	DeliveredAt:    "Geliefert",
	CancelledAt:    "Storniert",
	Edit:           "Ändern",
	Confirm:        "Bestätigen und reservieren",
	Deliver:        "Liefern…",
	Cancel:         "Auftrag stornieren…",
	CancelQuestion: "Auftrag {number} stornieren? Die Reservierung wird freigegeben; das lässt sich nicht rückgängig machen.",
	CancelYes:      "Auftrag stornieren",
	Confirmed:      "Auftrag {number} bestätigt: die Ware ist reserviert.",
	Cancelled:      "Auftrag {number} storniert.",
	WrongStatus:    "Auftrag {number} ist jetzt «{status}»; das ist nicht mehr möglich.",
	LineOf:         "Position {n} ({sku})",
	Shortage:       "Es fehlen {missing}: nur {available} verfügbar.",
	NotEnough:      "Nicht genug Bestand am Lagerort des Auftrags: nichts wurde reserviert oder gebucht.",

	DeliverTitle:  "Auftrag {number} liefern",
	DeliverLead:   "An {customer}, ab {location}. Alles wird auf einmal gebucht oder nichts.",
	ShortHint:     "Weniger als bestellt ist eine Teillieferung: der Rest wird freigegeben und nicht verrechnet.",
	DeliveredOf:   "Geliefert von {sku}",
	EmptiesHint:   "Harasse, Flaschen und Fässer, die der Kunde zurückgibt, werden zum Depot gutgeschrieben.",
	DeliverNow:    "Liefern",
	DeliveredDone: "Auftrag {number} geliefert.",
	ShortDone:     "Auftrag {number} teilweise geliefert; der Rest ist freigegeben.",

	DepositBalance: "Depotkonto",
	NoDeposits:     "Noch keine Depots belastet oder gutgeschrieben.",
	Currency:       "Währung",
	Charged:        "Belastet",
	Credited:       "Gutgeschrieben",
	Balance:        "Saldo",
	DepositNote:    "Depots gelieferter Ware abzüglich zurückgenommenem Leergut, ohne MWST: was der Kunde an Gebinden hält.",
	RecentOrders:   "Letzte Aufträge",
	AllOrders:      "Alle Aufträge dieses Kunden",

	APIFields: map[string]string{
		"required/customer_id":     "Wählen Sie den Kunden.",
		"required/location_id":     "Wählen Sie, woher die Ware kommt.",
		"not_allowed/location_id":  "Ab dem Leergut-Lagerort wird nichts verkauft; wählen Sie einen anderen.",
		"too_few/lines":            "Erfassen Sie mindestens eine Position.",
		"not_permitted/unit_price": "Nur die Geschäftsleitung darf einen anderen Preis setzen.",
		"out_of_range/quantity":    "Geben Sie {min} bis {max} ein.",
		"not_allowed/item_id":      "Dieser Artikel ist kein Leergut (nicht rücknehmbar).",
	},
}
