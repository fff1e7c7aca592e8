package i18n

import "strings"

// MovementsText is the stock ledger's pages: the movement forms, one
// movement with its reversal, the journal and the stock list.
type MovementsText struct {
	Title        string
	Lead         string
	BookHeading  string
	ReadOnlyNote string
	// TypeNames names each movement type (the api's codes as keys).
	TypeNames map[string]string
	// TypeLeads says in one sentence what each form books.
	TypeLeads     map[string]string
	RecentHeading string
	ToJournal     string

	// The item search at the top of every form.
	ItemHeading  string
	FindItem     string
	FindItemHint string
	Find         string
	ChangeItem   string
	NoItemFound  string // "No active item matches «{q}»."
	ChooseItem   string
	ChosenItem   string
	ItemEANs     string
	ItemRequired string
	ChooseOption string
	Location     string
	FromLocation string
	ToLocation   string
	Quantity     string
	CountedHint  string
	Counted      string
	Unit         string
	UnitOption   string // "{unit} (= {base})", {base} being "24 bottles"
	Pallet       string
	// UnitNames are the api's unit codes in words, where the item's own
	// names are not at hand.
	UnitNames map[string]string
	// UnitPlurals are UnitNames for more than one ("2 pallets").
	UnitPlurals  map[string]string
	Preview      string // "= {n} {unit}", filled in by the script
	UnitCost     string
	UnitCostHint string
	Supplier     string
	Customer     string
	// The partner of a booking is typed and resolved by the server.
	SupplierHint  string
	CustomerHint  string
	SupplierNo    string // "No active supplier matches «{q}»."
	SupplierMany  string // "Several suppliers match «{q}»: choose one."
	CustomerNo    string
	CustomerMany  string
	Reason        string
	Note          string
	NoteHint      string
	Effective     string
	EffectiveHint string
	Book          string
	// Booked is the flash after a booking: "Booked: {type} of {n} {unit}."
	Booked       string
	Insufficient string
	// Shortage explains a refusal for want of stock from the api's
	// parameters: "Not enough stock: {requested} requested, {available}
	// available." ShortageDefective is the same for defective stock.
	// EnteredAs is the quantity as entered in packages or pallets, with the
	// base units it makes: "{n} {unit} ({base})".
	Shortage string
	// ShortageReserved follows Shortage when orders hold part of the
	// stock there (the api's "reserved"): why less is available.
	ShortageReserved  string
	ShortageDefective string
	EnteredAs         string

	// A delivery with several lines.
	Reference     string
	ReferenceHint string
	LinesHeading  string
	Line          string // "Line {n}"
	LineItem      string
	LineItemHint  string
	CheckLines    string
	CheckHint     string
	// ReceiptBooked: "Delivery booked: {n} lines."; ReceiptBookedOne
	// for a single line.
	ReceiptBooked    string
	ReceiptBookedOne string
	// LineKeys says how Enter moves through the lines.
	LineKeys string
	// UnitByCode is a line's unit before its item is known: the unit the
	// scanned code names (base for a SKU).
	UnitByCode string
	LineStock  string // "In stock: {stock}"
	// CodeUnit says that a scanned package's or pallet's code chose the
	// unit: "Code of the {unit} scanned: the quantity counts {units}."
	CodeUnit string
	// The stock of the form's item by location.
	StockHeading string
	StockChosen  string // "At the chosen location: {stock}"
	StockNowhere string
	LineUnknown  string

	// One movement.
	// MovementTitle names a movement by what happened: "{type} of
	// {quantity} {item}, {date}"; MovementNumber is its small reference.
	MovementTitle  string
	MovementNumber string // "No. {id}"
	Type           string
	Item           string
	Entered        string
	When           string
	BookedAt       string
	BookedBy       string
	Partner        string
	AvgCost        string
	Reverses       string // "This reverses movement {id}."
	ReversedBy     string // "Reversed by movement {id}."
	Reverse        string
	ReverseAsk     string
	ReverseReason  string
	ReverseNow     string
	Reversed       string // "{type} reversed: {quantity} {item}." (the original's type)
	BookAnother    string // "Book another: {type}"

	// The journal.
	JournalTitle  string
	JournalLead   string
	Filter        string
	ResetFilter   string
	FilterType    string
	AllTypes      string
	AnyLocation   string
	FilterPartner string
	PartnerHint   string
	PartnerNo     string // "No supplier or customer matches «{q}»."
	PartnerMany   string // "Several match «{q}»: choose one."
	FilterUser    string
	AnyUser       string
	OnlyMine      string
	From          string
	To            string
	ItemFilter    string
	ItemFilterNo  string // "No item matches «{q}»."
	ExportCSV     string
	NoMovements   string
	ColWhen       string
	ColType       string
	ColItem       string
	ColLocation   string
	ColQuantity   string
	ColPartner    string
	ColBy         string
	ColNote       string
	Me            string
	FormerUser    string // who booked, when the api names nobody: a person no longer known
	ByToken       string // "{name} via {token}": booked with an API token
	SupplierTag   string
	CustomerTag   string
	Details       string

	// The stock list.
	StockTitle    string
	StockLead     string
	Category      string
	AnyCategory   string
	LowOnly       string
	ColSKU        string
	ColName       string
	ColCategory   string
	ColAvailable  string
	ColBreakdown  string
	ColOnHand     string
	ColDefective  string
	ColMin        string
	ColValue      string
	LowBadge      string
	NoStock       string
	Receive       string
	Uncategorised string
	// Words for a partner or category the api named by number only (gone
	// meanwhile): a page shows these, never "#7".
	UnknownSupplier string
	UnknownCustomer string
	UnknownCategory string
	// NoMinimum stands in the minimum column for an item without one.
	NoMinimum string

	// APIFields translates the ledger's field codes for these forms (see
	// Messages.FieldProblem).
	APIFields map[string]string
}

// Movements returns the ledger pages' texts in lang.
func Movements(lang Lang) *MovementsText { return pick(lang, &movementsEN, &movementsDE) }

var movementsEN = MovementsText{
	Title:        "Movements",
	Lead:         "Book what comes in, goes out, breaks or is counted. Every booking is kept; a mistake is undone by a reversal.",
	BookHeading:  "Book a movement",
	ReadOnlyNote: "Your role may read stock and the journal but not book movements.",
	TypeNames: map[string]string{
		"receipt": "Receipt", "issue": "Issue", "return": "Return", "defect": "Defect",
		"write_off": "Write-off", "adjust": "Stock-take", "transfer": "Transfer", "reversal": "Reversal",
	},
	TypeLeads: map[string]string{
		"receipt":   "A delivery from a supplier: one or more lines, booked together or not at all.",
		"issue":     "Goods leaving the depot, to a customer or as noted.",
		"return":    "Goods or empties a customer brings back.",
		"defect":    "Good stock found broken: it moves to defective stock.",
		"write_off": "Defective stock thrown away.",
		"adjust":    "Enter what you counted; the difference is booked.",
		"transfer":  "Goods moved from one location to another.",
		"reversal":  "Undoes another movement exactly.",
	},
	RecentHeading: "Latest movements",
	ToJournal:     "Open the journal",

	ItemHeading:       "Item",
	FindItem:          "EAN, SKU or name",
	FindItemHint:      "Scan the barcode or type, then press Enter.",
	Find:              "Find",
	ChangeItem:        "Choose another item",
	NoItemFound:       "No active item matches «{q}».",
	ChooseItem:        "Several items match. Choose one:",
	ChosenItem:        "Booking for",
	ItemEANs:          "EAN",
	ItemRequired:      "Find the item first.",
	ChooseOption:      "— choose —",
	Location:          "Location",
	FromLocation:      "From location",
	ToLocation:        "To location",
	Quantity:          "Quantity",
	CountedHint:       "What you counted at this location (0 when it is empty).",
	Counted:           "Counted",
	Unit:              "Unit",
	UnitOption:        "{unit} (= {base})",
	Pallet:            "pallet",
	UnitNames:         map[string]string{"base": "unit", "package": "package", "pallet": "pallet"},
	UnitPlurals:       map[string]string{"base": "units", "package": "packages", "pallet": "pallets"},
	Preview:           "= {n} {unit}",
	UnitCost:          "Cost per unit entered",
	UnitCostHint:      "Optional, e.g. 12.40; updates the average cost.",
	Supplier:          "Supplier",
	Customer:          "Customer",
	SupplierHint:      "Name or part of it; suggestions appear as you type.",
	CustomerHint:      "Name or customer number; suggestions appear as you type.",
	SupplierNo:        "No active supplier matches «{q}».",
	SupplierMany:      "Several suppliers match «{q}»: choose one.",
	CustomerNo:        "No active customer matches «{q}».",
	CustomerMany:      "Several customers match «{q}»: choose one.",
	Reason:            "Reason",
	Note:              "Note",
	NoteHint:          "Optional; where no partner is chosen, say where the goods come from or go.",
	Effective:         "Date",
	EffectiveHint:     "Leave empty for now; an earlier day books at noon of that day.",
	Book:              "Book",
	Booked:            "Booked: {type} of {n} {unit}.",
	Insufficient:      "There is not enough stock for this.",
	Shortage:          "Not enough stock: {requested} requested, {available} available.",
	ShortageReserved:  " {reserved} reserved for orders.",
	ShortageDefective: "Not enough defective stock: {requested} requested, {available} available.",
	EnteredAs:         "{n} {unit} ({base})",

	Reference:        "Delivery note",
	ReferenceHint:    "The supplier's delivery note number; kept as each line's note.",
	LinesHeading:     "Lines",
	Line:             "Line {n}",
	LineItem:         "Item (EAN or SKU)",
	LineItemHint:     "Scan or type the code exactly.",
	CheckLines:       "Check lines",
	CheckHint:        "Shows which item each code finds and adds empty lines when all are used. Nothing is booked yet.",
	ReceiptBooked:    "Delivery booked: {n} lines.",
	ReceiptBookedOne: "Delivery booked: 1 line.",
	LineKeys:         "Enter after a code goes to its quantity, after a quantity to the next line; Enter on an empty line goes to «Book».",
	UnitByCode:       "as scanned",
	LineStock:        "In stock: {stock}",
	CodeUnit:         "Code of the {unit} scanned: the quantity counts {units}.",
	StockHeading:     "Available stock",
	StockChosen:      "At the chosen location: {stock}",
	StockNowhere:     "Not in stock at any location.",
	LineUnknown:      "No active item has this EAN or SKU.",

	MovementTitle:  "{type} of {quantity} {item}, {date}",
	MovementNumber: "Movement no. {id}",
	Type:           "Type",
	Item:           "Item",
	Entered:        "Entered as",
	When:           "Date",
	BookedAt:       "Booked",
	BookedBy:       "Booked by",
	Partner:        "Partner",
	AvgCost:        "Average cost before → after",
	Reverses:       "This reverses movement {id}.",
	ReversedBy:     "Reversed by movement {id}.",
	Reverse:        "Reverse…",
	ReverseAsk:     "Book the exact opposite of this movement? A reversal cannot itself be reversed.",
	ReverseReason:  "Why",
	ReverseNow:     "Reverse now",
	Reversed:       "{type} reversed: {quantity} {item}.",
	BookAnother:    "Book another: {type}",

	JournalTitle:  "Journal",
	JournalLead:   "Every movement, newest first.",
	Filter:        "Filter",
	ResetFilter:   "Reset",
	FilterType:    "Type",
	AllTypes:      "All types",
	AnyLocation:   "All locations",
	FilterPartner: "Supplier or customer",
	PartnerHint:   "Name or customer number",
	PartnerNo:     "No supplier or customer matches «{q}».",
	PartnerMany:   "Several suppliers or customers match «{q}»: choose one.",
	FilterUser:    "Booked by",
	AnyUser:       "Anyone",
	OnlyMine:      "Only my bookings",
	From:          "From",
	To:            "To",
	ItemFilter:    "Item (EAN or SKU)",
	ItemFilterNo:  "No item matches «{q}».",
	ExportCSV:     "Download as CSV",
	NoMovements:   "No movements match.",
	ColWhen:       "Date",
	ColType:       "Type",
	ColItem:       "Item",
	ColLocation:   "Location",
	ColQuantity:   "Quantity",
	ColPartner:    "Partner",
	ColBy:         "By",
	ColNote:       "Note",
	Me:            "me",
	FormerUser:    "(former user)",
	ByToken:       "{name} via {token}",
	SupplierTag:   "Supplier",
	CustomerTag:   "Customer",
	Details:       "Details",

	StockTitle:      "Stock",
	StockLead:       "What is in stock per item, in base units and broken down into pallets and packages.",
	Category:        "Category",
	AnyCategory:     "All categories",
	LowOnly:         "Only below minimum",
	ColSKU:          "SKU",
	ColName:         "Name",
	ColCategory:     "Category",
	ColAvailable:    "Available",
	ColBreakdown:    "Broken down",
	ColOnHand:       "On hand",
	ColDefective:    "Defective",
	ColMin:          "Minimum",
	ColValue:        "Value",
	LowBadge:        "below minimum",
	NoStock:         "No stock lines match.",
	Receive:         "Receive",
	Uncategorised:   "No category",
	UnknownSupplier: "(supplier no longer listed)",
	UnknownCustomer: "(customer no longer listed)",
	UnknownCategory: "(category not listed)",
	NoMinimum:       "none",

	APIFields: map[string]string{
		"out_of_range/quantity":            "Enter a whole number from {min} to {max}.",
		"too_large/quantity":               "At most {max} {unit} in one movement.",
		"too_small/item_id":                "Choose one.",
		"too_small/location_id":            "Choose one.",
		"too_small/to_location_id":         "Choose one.",
		"too_small/supplier_id":            "Choose one.",
		"too_small/customer_id":            "Choose one.",
		"not_allowed/unit":                 "Choose a unit.",
		"not_allowed/type":                 "Choose a movement type.",
		"required/to_location_id":          "Choose where the goods go.",
		"must_differ/to_location_id":       "Choose a location other than the source.",
		"required_unless_note/supplier_id": "Choose the supplier, or say in the note where the goods come from.",
		"required_unless_note/customer_id": "Choose the customer, or say in the note where the goods go.",
		"required/customer_id":             "Choose who returns the goods.",
		"required/supplier_id":             "Choose who delivered the goods.",
		"required/reason":                  "Give a reason.",
		"out_of_range/unit_cost":           "Enter a cost from {min} to {max}.",
		"invalid_amount/unit_cost":         "Enter a cost like 12.40 (up to {decimals} decimals).",
		"invalid_format/unit_cost":         "Enter a cost like 12.40.",
		"too_few/lines":                    "Fill in at least one line.",
		"too_many/lines":                   "At most {max} lines; split the delivery.",
		"must_be_after/to":                 "Choose an end after the start.",
		"not_found":                        "Not found (removed meanwhile?); choose again.",
		"archived":                         "This one is archived; choose another.",
	},
}

var movementsDE = MovementsText{
	Title:        "Bewegungen",
	Lead:         "Buchen Sie, was eingeht, ausgeht, kaputtgeht oder gezählt wird. Jede Buchung bleibt erhalten; ein Fehler wird storniert.",
	BookHeading:  "Bewegung buchen",
	ReadOnlyNote: "Ihre Rolle darf Bestand und Journal lesen, aber keine Bewegungen buchen.",
	TypeNames: map[string]string{
		"receipt": "Wareneingang", "issue": "Warenausgang", "return": "Rücknahme", "defect": "Defekt",
		"write_off": "Abschreibung", "adjust": "Inventur", "transfer": "Umlagerung", "reversal": "Storno",
	},
	TypeLeads: map[string]string{
		"receipt":   "Eine Lieferung eines Lieferanten: eine oder mehrere Zeilen, ganz oder gar nicht gebucht.",
		"issue":     "Ware verlässt das Lager, an einen Kunden oder wie notiert.",
		"return":    "Ware oder Leergut, das ein Kunde zurückbringt.",
		"defect":    "Guter Bestand ist beschädigt: er wird zu defektem Bestand.",
		"write_off": "Defekter Bestand wird entsorgt.",
		"adjust":    "Geben Sie ein, was Sie gezählt haben; die Differenz wird gebucht.",
		"transfer":  "Ware wird von einem Lagerort an einen anderen gebracht.",
		"reversal":  "Macht eine andere Bewegung genau rückgängig.",
	},
	RecentHeading: "Letzte Bewegungen",
	ToJournal:     "Journal öffnen",

	ItemHeading:       "Artikel",
	FindItem:          "EAN, Artikelnummer oder Name",
	FindItemHint:      "Strichcode scannen oder tippen, dann Enter drücken.",
	Find:              "Suchen",
	ChangeItem:        "Anderen Artikel wählen",
	NoItemFound:       "Kein aktiver Artikel passt zu «{q}».",
	ChooseItem:        "Mehrere Artikel passen. Wählen Sie einen:",
	ChosenItem:        "Buchung für",
	ItemEANs:          "EAN",
	ItemRequired:      "Suchen Sie zuerst den Artikel.",
	ChooseOption:      "— bitte wählen —",
	Location:          "Lagerort",
	FromLocation:      "Von Lagerort",
	ToLocation:        "Nach Lagerort",
	Quantity:          "Menge",
	CountedHint:       "Was Sie an diesem Lagerort gezählt haben (0, wenn er leer ist).",
	Counted:           "Gezählt",
	Unit:              "Einheit",
	UnitOption:        "{unit} (= {base})",
	Pallet:            "Palette",
	UnitNames:         map[string]string{"base": "Einheit", "package": "Gebinde", "pallet": "Palette"},
	UnitPlurals:       map[string]string{"base": "Einheiten", "package": "Gebinde", "pallet": "Paletten"},
	Preview:           "= {n} {unit}",
	UnitCost:          "Kosten je erfasster Einheit",
	UnitCostHint:      "Freiwillig, z. B. 12.40; ändert den Durchschnittspreis.",
	Supplier:          "Lieferant",
	Customer:          "Kunde",
	SupplierHint:      "Name oder ein Teil davon; Vorschläge erscheinen beim Tippen.",
	CustomerHint:      "Name oder Kundennummer; Vorschläge erscheinen beim Tippen.",
	SupplierNo:        "Kein aktiver Lieferant passt zu «{q}».",
	SupplierMany:      "Mehrere Lieferanten passen zu «{q}»: bitte einen wählen.",
	CustomerNo:        "Kein aktiver Kunde passt zu «{q}».",
	CustomerMany:      "Mehrere Kunden passen zu «{q}»: bitte einen wählen.",
	Reason:            "Grund",
	Note:              "Notiz",
	NoteHint:          "Freiwillig; ohne Partner sagen Sie hier, woher die Ware kommt oder wohin sie geht.",
	Effective:         "Datum",
	EffectiveHint:     "Leer lassen für jetzt; ein früherer Tag wird um 12 Uhr gebucht.",
	Book:              "Buchen",
	Booked:            "Gebucht: {type} von {n} {unit}.",
	Insufficient:      "Dafür ist nicht genug Bestand da.",
	Shortage:          "Nicht genug Bestand: {requested} angefordert, {available} verfügbar.",
	ShortageReserved:  " {reserved} für Aufträge reserviert.",
	ShortageDefective: "Nicht genug defekter Bestand: {requested} angefordert, {available} verfügbar.",
	EnteredAs:         "{n} {unit} ({base})",

	Reference:        "Lieferschein",
	ReferenceHint:    "Die Lieferscheinnummer des Lieferanten; wird als Notiz jeder Zeile gespeichert.",
	LinesHeading:     "Zeilen",
	Line:             "Zeile {n}",
	LineItem:         "Artikel (EAN oder Artikelnummer)",
	LineItemHint:     "Code scannen oder genau eintippen.",
	CheckLines:       "Zeilen prüfen",
	CheckHint:        "Zeigt, welchen Artikel jeder Code findet, und fügt leere Zeilen an, wenn alle belegt sind. Noch wird nichts gebucht.",
	ReceiptBooked:    "Lieferung gebucht: {n} Zeilen.",
	ReceiptBookedOne: "Lieferung gebucht: 1 Zeile.",
	LineKeys:         "Enter nach einem Code springt zu dessen Menge, nach einer Menge zur nächsten Zeile; Enter in einer leeren Zeile springt zu «Buchen».",
	UnitByCode:       "wie gescannt",
	LineStock:        "An Lager: {stock}",
	CodeUnit:         "Code für {unit} gescannt: die Menge zählt {units}.",
	StockHeading:     "Verfügbarer Bestand",
	StockChosen:      "Am gewählten Lagerort: {stock}",
	StockNowhere:     "An keinem Lagerort an Lager.",
	LineUnknown:      "Kein aktiver Artikel hat diese EAN oder Artikelnummer.",

	MovementTitle:  "{type}: {quantity} {item}, {date}",
	MovementNumber: "Bewegung Nr. {id}",
	Type:           "Art",
	Item:           "Artikel",
	Entered:        "Erfasst als",
	When:           "Datum",
	BookedAt:       "Gebucht",
	BookedBy:       "Gebucht von",
	Partner:        "Partner",
	AvgCost:        "Durchschnittskosten vorher → nachher",
	Reverses:       "Dies storniert Bewegung {id}.",
	ReversedBy:     "Storniert durch Bewegung {id}.",
	Reverse:        "Stornieren…",
	ReverseAsk:     "Das genaue Gegenteil dieser Bewegung buchen? Ein Storno kann selbst nicht storniert werden.",
	ReverseReason:  "Warum",
	ReverseNow:     "Jetzt stornieren",
	Reversed:       "{type} storniert: {quantity} {item}.",
	BookAnother:    "Weitere Buchung: {type}",

	JournalTitle:  "Journal",
	JournalLead:   "Alle Bewegungen, die neuesten zuerst.",
	Filter:        "Filtern",
	ResetFilter:   "Zurücksetzen",
	FilterType:    "Art",
	AllTypes:      "Alle Arten",
	AnyLocation:   "Alle Lagerorte",
	FilterPartner: "Lieferant oder Kunde",
	PartnerHint:   "Name oder Kundennummer",
	PartnerNo:     "Kein Lieferant und kein Kunde passt zu «{q}».",
	PartnerMany:   "Mehrere Lieferanten oder Kunden passen zu «{q}»: bitte eines wählen.",
	FilterUser:    "Gebucht von",
	AnyUser:       "Alle",
	OnlyMine:      "Nur meine Buchungen",
	From:          "Von",
	To:            "Bis",
	ItemFilter:    "Artikel (EAN oder Artikelnummer)",
	ItemFilterNo:  "Kein Artikel passt zu «{q}».",
	ExportCSV:     "Als CSV herunterladen",
	NoMovements:   "Keine Bewegungen gefunden.",
	ColWhen:       "Datum",
	ColType:       "Art",
	ColItem:       "Artikel",
	ColLocation:   "Lagerort",
	ColQuantity:   "Menge",
	ColPartner:    "Partner",
	ColBy:         "Von",
	ColNote:       "Notiz",
	Me:            "ich",
	FormerUser:    "(ehemalige Person)",
	ByToken:       "{name} über {token}",
	SupplierTag:   "Lieferant",
	CustomerTag:   "Kunde",
	Details:       "Details",

	StockTitle:      "Bestand",
	StockLead:       "Was pro Artikel an Lager ist, in Grundeinheiten und aufgeteilt in Paletten und Gebinde.",
	Category:        "Kategorie",
	AnyCategory:     "Alle Kategorien",
	LowOnly:         "Nur unter Mindestbestand",
	ColSKU:          "Artikelnr.",
	ColName:         "Name",
	ColCategory:     "Kategorie",
	ColAvailable:    "Verfügbar",
	ColBreakdown:    "Aufgeteilt",
	ColOnHand:       "An Lager",
	ColDefective:    "Defekt",
	ColMin:          "Mindestbestand",
	ColValue:        "Wert",
	LowBadge:        "unter Mindestbestand",
	NoStock:         "Keine Bestandszeilen gefunden.",
	Receive:         "Eingang buchen",
	Uncategorised:   "Ohne Kategorie",
	UnknownSupplier: "(Lieferant nicht mehr vorhanden)",
	UnknownCustomer: "(Kunde nicht mehr vorhanden)",
	UnknownCategory: "(Kategorie nicht aufgeführt)",
	NoMinimum:       "keiner",

	APIFields: map[string]string{
		"out_of_range/quantity":            "Geben Sie eine ganze Zahl von {min} bis {max} ein.",
		"too_large/quantity":               "Höchstens {max} {unit} in einer Bewegung.",
		"too_small/item_id":                "Bitte wählen.",
		"too_small/location_id":            "Bitte wählen.",
		"too_small/to_location_id":         "Bitte wählen.",
		"too_small/supplier_id":            "Bitte wählen.",
		"too_small/customer_id":            "Bitte wählen.",
		"not_allowed/unit":                 "Wählen Sie eine Einheit.",
		"not_allowed/type":                 "Wählen Sie eine Bewegungsart.",
		"required/to_location_id":          "Wählen Sie, wohin die Ware geht.",
		"must_differ/to_location_id":       "Wählen Sie einen anderen Lagerort als den Ausgangsort.",
		"required_unless_note/supplier_id": "Wählen Sie den Lieferanten oder notieren Sie, woher die Ware kommt.",
		"required_unless_note/customer_id": "Wählen Sie den Kunden oder notieren Sie, wohin die Ware geht.",
		"required/customer_id":             "Wählen Sie, wer die Ware zurückbringt.",
		"required/supplier_id":             "Wählen Sie, wer die Ware geliefert hat.",
		"required/reason":                  "Geben Sie einen Grund an.",
		"out_of_range/unit_cost":           "Geben Sie Kosten von {min} bis {max} ein.",
		"invalid_amount/unit_cost":         "Geben Sie Kosten wie 12.40 ein (bis {decimals} Nachkommastellen).",
		"invalid_format/unit_cost":         "Geben Sie Kosten wie 12.40 ein.",
		"too_few/lines":                    "Füllen Sie mindestens eine Zeile aus.",
		"too_many/lines":                   "Höchstens {max} Zeilen; teilen Sie die Lieferung auf.",
		"must_be_after/to":                 "Wählen Sie ein Ende nach dem Anfang.",
		"not_found":                        "Nicht gefunden (inzwischen entfernt?); bitte neu wählen.",
		"archived":                         "Dieser Eintrag ist archiviert; bitte einen anderen wählen.",
	},
}

// ShortageText explains an insufficient_stock problem of the api in words:
// what was asked (in the unit it was entered in, with the base units it
// makes) and what is there, in the item's base unit. The item's own unit
// names are shown as they are; packages and pallets without a name of their
// own are counted in this language, one or many.
func (t *MovementsText) ShortageText(p Problem) string {
	base := func(n string) string {
		unit := p.Params["unit"]
		if n != "1" {
			unit = UnitPlural(unit) // "48 Flaschen"
		}
		return strings.TrimSpace(n + " " + unit)
	}
	requested := base(p.Params["requested"])
	if n, ok := p.Params["entered"]; ok {
		unit := p.Params["entered_unit_name"]
		if unit != "" && n != "1" {
			unit = UnitPlural(unit)
		}
		if unit == "" {
			code := p.Params["entered_unit"]
			unit = t.UnitPlurals[code]
			if n == "1" {
				unit = t.UnitNames[code]
			}
		}
		requested = strings.NewReplacer("{n}", n, "{unit}", unit, "{base}", requested).Replace(t.EnteredAs)
	}
	text := t.Shortage
	if p.Params["kind"] == "defective" {
		text = t.ShortageDefective
	}
	if reserved, ok := p.Params["reserved"]; ok {
		text += t.ShortageReserved
		return strings.NewReplacer("{requested}", requested, "{available}", base(p.Params["available"]),
			"{reserved}", base(reserved)).Replace(text)
	}
	return strings.NewReplacer("{requested}", requested, "{available}", base(p.Params["available"])).Replace(text)
}
