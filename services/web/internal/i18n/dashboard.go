package i18n

// DashboardText is the start page of a signed-in person.
type DashboardText struct {
	Title             string
	Lead              string
	FiguresHeading    string
	StockValue        string
	OtherCurrencies   string // "plus {list} in other currencies"
	LowStock          string
	MovementsToday    string
	MovementsWeek     string
	AsOf              string // "As of {time}"
	ValueChartHeading string
	ValueChartTitle   string
	ValueChartDesc    string // "Stock value of the {n} categories of the highest value, in {currency}."
	OtherCategories   string
	NoCategory        string
	NoValue           string
	DayChartHeading   string
	DayChartTitle     string
	DayChartDesc      string // "Movements per day from {from} to {to}; {n} in all."
	ShowAsTable       string
	ColCategory       string
	ColValue          string
	ColDay            string
	ColMovements      string
	LowHeading        string
	LowLead           string
	NoLow             string
	ColItem           string
	ColStock          string
	ColMinimum        string
	ColReorder        string
	Receive           string
	ReceiveLabel      string // "Receive {sku}"
	AllLow            string
	RecentHeading     string
	NoRecent          string
	ToJournal         string
	StatusLink        string
	StatusTitle       string
	StatusLead        string
}

// Dashboard returns the start page's texts in lang.
func Dashboard(lang Lang) *DashboardText { return pick(lang, &dashboardEN, &dashboardDE) }

var dashboardEN = DashboardText{
	Title:             "Overview",
	Lead:              "The depot at a glance: what the stock is worth, what runs short, what moved.",
	FiguresHeading:    "Key figures",
	StockValue:        "Stock value",
	OtherCurrencies:   "plus {list} in other currencies",
	LowStock:          "Items below minimum",
	MovementsToday:    "Movements today",
	MovementsWeek:     "Movements this week",
	AsOf:              "As of {time}",
	ValueChartHeading: "Stock value by category",
	ValueChartTitle:   "Stock value by category",
	ValueChartDesc:    "Stock value of the categories of the highest value, in {currency}; the figures are in the table below.",
	OtherCategories:   "Other categories",
	NoCategory:        "No category",
	NoValue:           "No stock has a value yet.",
	DayChartHeading:   "Movements per day",
	DayChartTitle:     "Movements per day over the last 30 days",
	DayChartDesc:      "Movements per day from {from} to {to}; {n} in all. The figures are in the table below.",
	ShowAsTable:       "Show the figures as a table",
	ColCategory:       "Category",
	ColValue:          "Value",
	ColDay:            "Day",
	ColMovements:      "Movements",
	LowHeading:        "Running short",
	LowLead:           "Items at or below their minimum; receive more with one click.",
	NoLow:             "No item is below its minimum.",
	ColItem:           "Item",
	ColStock:          "In stock",
	ColMinimum:        "Minimum",
	ColReorder:        "Usual order",
	Receive:           "Receive",
	ReceiveLabel:      "Receive {sku}",
	AllLow:            "All items below minimum",
	RecentHeading:     "Latest movements",
	NoRecent:          "Nothing has been booked yet.",
	ToJournal:         "Open the journal",
	StatusLink:        "System status",
	StatusTitle:       "System status",
	StatusLead:        "Whether the api and its database are up. This page is public, so it can be checked without signing in.",
}

var dashboardDE = DashboardText{
	Title:             "Übersicht",
	Lead:              "Das Lager auf einen Blick: was der Bestand wert ist, was knapp wird, was sich bewegt hat.",
	FiguresHeading:    "Kennzahlen",
	StockValue:        "Lagerwert",
	OtherCurrencies:   "dazu {list} in anderen Währungen",
	LowStock:          "Artikel unter Mindestbestand",
	MovementsToday:    "Bewegungen heute",
	MovementsWeek:     "Bewegungen diese Woche",
	AsOf:              "Stand {time}",
	ValueChartHeading: "Lagerwert nach Kategorie",
	ValueChartTitle:   "Lagerwert nach Kategorie",
	ValueChartDesc:    "Lagerwert der wertvollsten Kategorien in {currency}; die Zahlen stehen in der Tabelle darunter.",
	OtherCategories:   "Übrige Kategorien",
	NoCategory:        "Ohne Kategorie",
	NoValue:           "Noch hat kein Bestand einen Wert.",
	DayChartHeading:   "Bewegungen pro Tag",
	DayChartTitle:     "Bewegungen pro Tag in den letzten 30 Tagen",
	DayChartDesc:      "Bewegungen pro Tag vom {from} bis {to}; insgesamt {n}. Die Zahlen stehen in der Tabelle darunter.",
	ShowAsTable:       "Zahlen als Tabelle zeigen",
	ColCategory:       "Kategorie",
	ColValue:          "Wert",
	ColDay:            "Tag",
	ColMovements:      "Bewegungen",
	LowHeading:        "Wird knapp",
	LowLead:           "Artikel am oder unter dem Mindestbestand; mit einem Klick nachbestellte Ware einbuchen.",
	NoLow:             "Kein Artikel ist unter dem Mindestbestand.",
	ColItem:           "Artikel",
	ColStock:          "An Lager",
	ColMinimum:        "Mindestbestand",
	ColReorder:        "Übliche Bestellung",
	Receive:           "Eingang buchen",
	ReceiveLabel:      "Eingang für {sku} buchen",
	AllLow:            "Alle Artikel unter Mindestbestand",
	RecentHeading:     "Letzte Bewegungen",
	NoRecent:          "Noch ist nichts gebucht.",
	ToJournal:         "Journal öffnen",
	StatusLink:        "Systemstatus",
	StatusTitle:       "Systemstatus",
	StatusLead:        "Ob die API und ihre Datenbank laufen. Diese Seite ist öffentlich und ohne Anmeldung erreichbar.",
}
