package i18n

// CountsText is the count sheet of a location (a stock-take of many items
// at once) and its confirmation.
type CountsText struct {
	Title          string // "Count sheet"
	TitleAt        string // "Count sheet {location}"
	Lead           string
	ChooseLocation string
	Location       string
	Open           string
	PrintHint      string
	ColItem        string
	ColName        string
	ColLedger      string
	ColCount       string
	ColUnit        string
	CountLabel     string // "Count of {item}" (the count field's accessible name)
	UnitLabel      string // "Unit of {item}"
	NotCounted     string // hint: an empty field is not counted
	Empty          string // the location holds nothing yet
	Truncated      string // "Only the first {n} items are listed ..."
	AddHeading     string
	AddCode        string
	AddHint        string
	Add            string
	AddNotFound    string // "No item has the code {code}."
	AddAmbiguous   string // "{n} items match {code}; type the SKU or scan the EAN."
	AddOnSheet     string // "{sku} is already on the sheet."
	Note           string
	Book           string
	NothingCounted string
	NotWhole       string
	DoneTitle      string // "Stock-take of {location} booked"
	DoneLead       string // "{n} items counted; {d} differences booked as adjustments."
	NoDifferences  string // "Every count matched the ledger: nothing was booked."
	ColCounted     string
	ColDifference  string
	ColMovement    string
	ViewMovement   string
	Again          string
	ToStock        string
	ContentsOf     string // "Contents of {location} and below"
	SubLocations   string
	WithBelow      string // stock filter checkbox
	CountSheet     string // the link to a location's sheet
	APIFields      map[string]string
}

// Counts returns the count sheet's texts in lang.
func Counts(lang Lang) *CountsText { return pick(lang, &countsEN, &countsDE) }

var countsEN = CountsText{
	Title:          "Count sheet",
	TitleAt:        "Count sheet {location}",
	Lead:           "What the ledger says is stored here, item by item. Write what you count into the empty fields (or on the printout first); fields left empty are not counted. One submit books every difference as an adjustment, all or nothing.",
	ChooseLocation: "Choose the location to count.",
	Location:       "Location",
	Open:           "Open the count sheet",
	PrintHint:      "Print this page (your browser's Print command) to count on paper: the printout is a plain table with empty boxes to write in.",
	ColItem:        "Item",
	ColName:        "Name",
	ColLedger:      "Ledger says",
	ColCount:       "Counted",
	ColUnit:        "Unit",
	CountLabel:     "Count of {item}",
	UnitLabel:      "Unit of {item}",
	NotCounted:     "An empty field means not counted: nothing is booked for that item.",
	Empty:          "Nothing is stored here according to the ledger. Add what you find by its code.",
	Truncated:      "Only the first {n} items are listed; count the others on a second sheet.",
	AddHeading:     "An item that is not on the sheet",
	AddCode:        "Item code (SKU or EAN)",
	AddHint:        "Scan or type the code and add it as a line; the counts typed so far are kept.",
	Add:            "Add to the sheet",
	AddNotFound:    "No item has the code {code}.",
	AddAmbiguous:   "{n} items match {code}; type the SKU or scan the EAN.",
	AddOnSheet:     "{sku} is already on the sheet.",
	Note:           "Note (kept by every adjustment)",
	Book:           "Book the differences",
	NothingCounted: "Nothing was counted: fill in at least one field.",
	NotWhole:       "Enter a whole number, 0 or more.",
	DoneTitle:      "Stock-take of {location} booked",
	DoneLead:       "{n} items counted; {d} differences booked as adjustments.",
	NoDifferences:  "Every count matched the ledger: nothing was booked.",
	ColCounted:     "Counted",
	ColDifference:  "Difference",
	ColMovement:    "Movement",
	ViewMovement:   "Show the adjustment",
	Again:          "Count again",
	ToStock:        "Stock at this location",
	ContentsOf:     "Contents of {location} and below",
	SubLocations:   "Sub-locations",
	WithBelow:      "Include sub-locations",
	CountSheet:     "Count sheet",
	APIFields: map[string]string{
		"duplicate/item_id": "This item is on the sheet twice; count it on one line.",
	},
}

var countsDE = CountsText{
	Title:          "Zählliste",
	TitleAt:        "Zählliste {location}",
	Lead:           "Was laut Buchhaltung hier lagert, Artikel für Artikel. Tragen Sie das Gezählte in die leeren Felder ein (oder zuerst auf dem Ausdruck); leere Felder gelten als nicht gezählt. Ein Absenden bucht alle Differenzen als Korrekturen, ganz oder gar nicht.",
	ChooseLocation: "Wählen Sie den Lagerort, der gezählt wird.",
	Location:       "Lagerort",
	Open:           "Zählliste öffnen",
	PrintHint:      "Drucken Sie diese Seite (Befehl «Drucken» des Browsers), um auf Papier zu zählen: der Ausdruck ist eine schlichte Tabelle mit leeren Kästchen zum Eintragen.",
	ColItem:        "Artikel",
	ColName:        "Bezeichnung",
	ColLedger:      "Laut Buchhaltung",
	ColCount:       "Gezählt",
	ColUnit:        "Einheit",
	CountLabel:     "Zählung von {item}",
	UnitLabel:      "Einheit von {item}",
	NotCounted:     "Ein leeres Feld heisst nicht gezählt: für diesen Artikel wird nichts gebucht.",
	Empty:          "Laut Buchhaltung lagert hier nichts. Fügen Sie Gefundenes über seinen Code hinzu.",
	Truncated:      "Nur die ersten {n} Artikel sind aufgeführt; zählen Sie die übrigen auf einer zweiten Liste.",
	AddHeading:     "Ein Artikel, der nicht auf der Liste steht",
	AddCode:        "Artikelcode (SKU oder EAN)",
	AddHint:        "Code scannen oder eintippen und als Zeile hinzufügen; die bisher eingetragenen Zählungen bleiben erhalten.",
	Add:            "Zur Liste hinzufügen",
	AddNotFound:    "Kein Artikel hat den Code {code}.",
	AddAmbiguous:   "{n} Artikel passen zu {code}; tippen Sie die SKU oder scannen Sie die EAN.",
	AddOnSheet:     "{sku} steht schon auf der Liste.",
	Note:           "Notiz (für jede Korrektur)",
	Book:           "Differenzen buchen",
	NothingCounted: "Nichts wurde gezählt: füllen Sie mindestens ein Feld aus.",
	NotWhole:       "Geben Sie eine ganze Zahl ein, 0 oder mehr.",
	DoneTitle:      "Inventur von {location} gebucht",
	DoneLead:       "{n} Artikel gezählt; {d} Differenzen als Korrekturen gebucht.",
	NoDifferences:  "Jede Zählung stimmte mit der Buchhaltung überein: nichts wurde gebucht.",
	ColCounted:     "Gezählt",
	ColDifference:  "Differenz",
	ColMovement:    "Bewegung",
	ViewMovement:   "Korrektur ansehen",
	Again:          "Nochmals zählen",
	ToStock:        "Bestand an diesem Lagerort",
	ContentsOf:     "Inhalt von {location} und darunter",
	SubLocations:   "Untergeordnete Lagerorte",
	WithBelow:      "Untergeordnete Lagerorte einschliessen",
	CountSheet:     "Zählliste",
	APIFields: map[string]string{
		"duplicate/item_id": "Dieser Artikel steht zweimal auf der Liste; zählen Sie ihn auf einer Zeile.",
	},
}
