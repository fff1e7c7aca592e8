package i18n

// ItemsText is the item pages: the list with its filters, an item's page
// (stock, movements, suppliers, audit trail) and the item form. Controls the
// item pages share with the other master data are in CatalogueText.
type ItemsText struct {
	Title string
	// Labels of form fields and facts, by the api's field name.
	Labels map[string]string
	// Hints beside form fields, by the api's field name.
	Hints map[string]string
	// Groups are the legends of the form's sections.
	Groups map[string]string
	// VATRates names the api's VAT rates ("8.1", "2.6", "3.8", "0").
	VATRates map[string]string
	// Containers names the api's container kinds.
	Containers map[string]string
	// MovementTypes names the api's movement types.
	MovementTypes map[string]string

	SearchHint    string
	AllCategories string
	AllLocations  string
	Category      string
	Location      string
	LowStockOnly  string
	NoCategory    string
	// A category or supplier the lists do not name (archived, gone): shown
	// instead of its number.
	UnknownCategory string
	UnknownSupplier string

	ColSKU      string
	ColName     string
	ColCategory string
	ColOnHand   string
	ColPrice    string
	BelowMin    string
	Yes         string
	No          string
	None        string
	// NoMinimum is shown for a minimum stock of 0 (the item is never low),
	// NoReorder for a reorder quantity of 0.
	NoMinimum string
	NoReorder string

	StockHeading   string
	StockOnHand    string
	StockGood      string
	StockDefective string
	StockAvailable string
	StockValue     string
	StockBreakdown string
	StockLocation  string
	NoStock        string
	// Pallet names a pallet in a breakdown ("1 pallet · 37 crate · 0
	// bottle"); packages and units are named by the item's own units, like
	// every quantity. Package is the word when an item names no package unit.
	Pallet           string
	Package          string
	MovementsHeading string
	MovementWhen     string
	MovementType     string
	MovementLocation string
	MovementQuantity string
	MovementNote     string
	NoMovements      string
	Reversed         string
	SuppliersHeading string
	SupplierName     string
	SupplierSKU      string
	SupplierPrice    string
	SupplierLeadTime string
	NoSuppliers      string
	// Changing an item's suppliers (roles that keep the catalogue).
	// SupplierLabels and SupplierHints are by the form's field name.
	SupplierLabels        map[string]string
	SupplierHints         map[string]string
	SupplierActions       string
	SupplierEdit          string // "Edit" with the supplier's name for screen readers: {name}
	SupplierRemove        string
	SupplierRemoveLabel   string // {name}
	SupplierRemoveConfirm string // {name}
	SupplierRemoveNow     string
	SupplierAddHeading    string
	SupplierAdd           string
	SupplierEditTitle     string // {name}, {item}
	SupplierAddTitle      string // {item}
	SupplierCandidates    string // {q}
	SupplierUnknown       string // {q}
	SupplierRequired      string
	SupplierSaved         string // {name}
	SupplierRemoved       string // {name}
	SupplierGone          string
	SupplierSuggestions   string
	AuditHeading          string
	AuditAll              string
	NoAudit               string
	DetailsHeading        string

	// APIFields translates the api's field codes of the item form (see
	// Messages.FieldProblem).
	APIFields map[string]string
}

// Items returns the item texts of lang.
func Items(lang Lang) *ItemsText { return pick(lang, &itemsEN, &itemsDE) }

var itemsEN = ItemsText{
	Title: "Items",
	Labels: map[string]string{
		"sku": "SKU", "name": "Name", "category_id": "Category", "brand": "Brand", "description": "Description",
		"ean_unit": "EAN of one unit", "ean_package": "EAN of the package", "ean_pallet": "EAN of the pallet", "base_unit": "Base unit",
		"package_unit": "Package unit", "package_size": "Units per package", "pallet_size": "Packages per pallet",
		"min_stock": "Minimum stock", "reorder_qty": "Reorder quantity", "sales_price_unit": "Sales price per unit",
		"sales_price_package": "Sales price per package", "vat_rate": "VAT", "currency": "Currency",
		"deposit_unit": "Deposit per unit", "deposit_package": "Deposit per package", "avg_unit_cost": "Average cost per unit",
		"beverage_type": "Beverage type", "container": "Container", "volume_ml": "Volume (ml)",
		"abv": "Alcohol (% vol.)", "alcoholic": "Alcoholic", "returnable": "Returnable",
		"country_of_origin": "Country of origin", "archived": "Status", "preferred_supplier_id": "Preferred supplier",
		"preferred_supplier": "Preferred supplier",
	},
	Hints: map[string]string{
		"sku":                 "Your article number, without spaces.",
		"preferred_supplier":  "Type a name or #number; suggestions appear as you type. Leave empty for none.",
		"base_unit":           "What stock is counted in: bottle, can, piece …",
		"package_unit":        "e.g. crate; together with units per package.",
		"sales_price_package": "Only when it differs from units × unit price.",
		"min_stock":           "In base units; at or below it the item counts as low stock. 0: no minimum, never low.",
		"reorder_qty":         "In base units.",
		"abv":                 "e.g. 4.8",
		"country_of_origin":   "Two letters, e.g. CH.",
	},
	Groups: map[string]string{"basics": "Identity and codes", "units": "Units and packaging",
		"prices": "Prices, VAT and deposit", "beverage": "Beverage data",
		"prices_vat": "Prices and VAT", "deposit": "Deposit", "reordering": "Reordering"},
	VATRates: map[string]string{"8.1": "8.1 % (standard)", "2.6": "2.6 % (reduced)",
		"3.8": "3.8 % (accommodation)", "0": "none"},
	Containers: map[string]string{"": "none", "glass": "Glass", "pet": "PET", "can": "Can", "keg": "Keg",
		"carton": "Carton", "other": "Other"},
	MovementTypes: map[string]string{"receipt": "Receipt", "issue": "Issue", "return": "Return",
		"defect": "Defect", "write_off": "Write-off", "adjust": "Adjustment", "transfer": "Transfer",
		"reversal": "Reversal"},

	SearchHint:      "SKU, name, brand or EAN; small typos are forgiven.",
	AllCategories:   "All categories",
	AllLocations:    "All locations",
	Category:        "Category",
	Location:        "Location",
	LowStockOnly:    "Only items at or below their minimum",
	NoCategory:      "none",
	UnknownCategory: "(category not listed)",
	UnknownSupplier: "(supplier no longer listed)",

	ColSKU:      "SKU",
	ColName:     "Name",
	ColCategory: "Category",
	ColOnHand:   "On hand",
	ColPrice:    "Sales price",
	BelowMin:    "below minimum",
	Yes:         "yes",
	No:          "no",
	None:        "–",
	NoMinimum:   "no minimum",
	NoReorder:   "not set",

	StockHeading:     "Stock",
	StockOnHand:      "On hand",
	StockGood:        "Good",
	StockDefective:   "Defective",
	StockAvailable:   "Available",
	StockValue:       "Value",
	StockBreakdown:   "As packed",
	StockLocation:    "Location",
	NoStock:          "No stock at any location.",
	Pallet:           "pallet",
	Package:          "package",
	MovementsHeading: "Movements",
	MovementWhen:     "When",
	MovementType:     "Type",
	MovementLocation: "Location",
	MovementQuantity: "Quantity",
	MovementNote:     "Note",
	NoMovements:      "No movements yet.",
	Reversed:         "reversed",
	SuppliersHeading: "Suppliers",
	SupplierName:     "Supplier",
	SupplierSKU:      "Their SKU",
	SupplierPrice:    "Price",
	SupplierLeadTime: "Lead time",
	NoSuppliers:      "No supplier recorded.",
	SupplierLabels: map[string]string{"supplier": "Supplier", "supplier_sku": "Their SKU",
		"price": "Purchase price", "lead_time_days": "Lead time (days)"},
	SupplierHints: map[string]string{
		"supplier":       "Type a name or #number; suggestions appear as you type.",
		"price":          "Per package when the item has one, else per unit; empty when unknown.",
		"lead_time_days": "Days from order to delivery, 0 to 365; empty when unknown.",
	},
	SupplierActions:       "Actions",
	SupplierEdit:          "Edit",
	SupplierRemove:        "Remove",
	SupplierRemoveLabel:   "Remove {name}",
	SupplierRemoveConfirm: "Remove {name} as a supplier of this item? Past deliveries stay as they are.",
	SupplierRemoveNow:     "Remove now",
	SupplierAddHeading:    "Add a supplier",
	SupplierAdd:           "Add supplier",
	SupplierEditTitle:     "{name} as a supplier of {item}",
	SupplierAddTitle:      "Add a supplier to {item}",
	SupplierCandidates:    "Several suppliers match “{q}”. Choose one:",
	SupplierUnknown:       "No active supplier matches “{q}”.",
	SupplierRequired:      "Enter a supplier’s name or #number.",
	SupplierSaved:         "{name} is recorded as a supplier of this item.",
	SupplierRemoved:       "{name} is no longer a supplier of this item.",
	SupplierGone:          "This supplier is no longer linked to the item.",
	SupplierSuggestions:   "Suggestions",
	AuditHeading:          "Audit trail",
	AuditAll:              "Whole audit trail of this item",
	NoAudit:               "No entries.",
	DetailsHeading:        "Details",

	APIFields: map[string]string{
		"must_differ/ean_package":    "Use another EAN than the unit's.",
		"must_differ/ean_pallet":     "Use another EAN than the unit's and the package's.",
		"no_pallet/ean_pallet":       "Set packages per pallet first: this code names a pallet.",
		"required_with/package_size": "Required with a package unit.",
		"required_with/package_unit": "Required with units per package.",
		"needs_package/pallet_size":  "Set units per package first: a pallet counts packages.",
		"not_allowed/vat_rate":       "Choose one of the VAT rates.",
		"not_allowed/vat_rate_bp":    "Choose one of the VAT rates.",
		"not_allowed/container":      "Choose a container from the list.",
		"taken/supplier_id":          "This supplier is already linked to the item.",
	},
}

var itemsDE = ItemsText{
	Title: "Artikel",
	Labels: map[string]string{
		"sku": "Artikelnummer", "name": "Name", "category_id": "Kategorie", "brand": "Marke", "description": "Beschreibung",
		"ean_unit": "EAN einer Einheit", "ean_package": "EAN des Gebindes", "ean_pallet": "EAN der Palette", "base_unit": "Grundeinheit",
		"package_unit": "Gebinde", "package_size": "Einheiten pro Gebinde", "pallet_size": "Gebinde pro Palette",
		"min_stock": "Mindestbestand", "reorder_qty": "Bestellmenge", "sales_price_unit": "Verkaufspreis pro Einheit",
		"sales_price_package": "Verkaufspreis pro Gebinde", "vat_rate": "MWST", "currency": "Währung",
		"deposit_unit": "Depot pro Einheit", "deposit_package": "Depot pro Gebinde", "avg_unit_cost": "Durchschnittskosten pro Einheit",
		"beverage_type": "Getränkeart", "container": "Behälter", "volume_ml": "Inhalt (ml)",
		"abv": "Alkohol (% vol.)", "alcoholic": "Alkoholhaltig", "returnable": "Mehrweg",
		"country_of_origin": "Herkunftsland", "archived": "Status", "preferred_supplier_id": "Bevorzugter Lieferant",
		"preferred_supplier": "Bevorzugter Lieferant",
	},
	Hints: map[string]string{
		"sku":                 "Ihre Artikelnummer, ohne Leerzeichen.",
		"preferred_supplier":  "Name oder #Nummer eingeben; beim Tippen erscheinen Vorschläge. Leer lassen für keinen.",
		"base_unit":           "Worin der Bestand gezählt wird: Flasche, Dose, Stück …",
		"package_unit":        "z. B. Harass; zusammen mit Einheiten pro Gebinde.",
		"sales_price_package": "Nur wenn er von Einheiten × Einheitspreis abweicht.",
		"min_stock":           "In Grundeinheiten; wird er erreicht oder unterschritten, gilt der Bestand als knapp. 0: kein Mindestbestand, nie knapp.",
		"reorder_qty":         "In Grundeinheiten.",
		"abv":                 "z. B. 4.8",
		"country_of_origin":   "Zwei Buchstaben, z. B. CH.",
	},
	Groups: map[string]string{"basics": "Bezeichnung und Codes", "units": "Einheiten und Gebinde",
		"prices": "Preise, MWST und Depot", "beverage": "Getränkedaten",
		"prices_vat": "Preise und MWST", "deposit": "Depot", "reordering": "Nachbestellung"},
	VATRates: map[string]string{"8.1": "8.1 % (Normalsatz)", "2.6": "2.6 % (reduziert)",
		"3.8": "3.8 % (Beherbergung)", "0": "keine"},
	Containers: map[string]string{"": "keiner", "glass": "Glas", "pet": "PET", "can": "Dose", "keg": "Fass",
		"carton": "Karton", "other": "Anderer"},
	MovementTypes: map[string]string{"receipt": "Wareneingang", "issue": "Ausgang", "return": "Rücknahme",
		"defect": "Defekt", "write_off": "Abschreibung", "adjust": "Inventurkorrektur", "transfer": "Umlagerung",
		"reversal": "Storno"},

	SearchHint:      "Artikelnummer, Name, Marke oder EAN; kleine Tippfehler werden verziehen.",
	AllCategories:   "Alle Kategorien",
	AllLocations:    "Alle Lagerorte",
	Category:        "Kategorie",
	Location:        "Lagerort",
	LowStockOnly:    "Nur Artikel auf oder unter dem Mindestbestand",
	NoCategory:      "keine",
	UnknownCategory: "(Kategorie nicht aufgeführt)",
	UnknownSupplier: "(Lieferant nicht mehr vorhanden)",

	ColSKU:      "Artikelnr.",
	ColName:     "Name",
	ColCategory: "Kategorie",
	ColOnHand:   "An Lager",
	ColPrice:    "Verkaufspreis",
	BelowMin:    "unter Minimum",
	Yes:         "ja",
	No:          "nein",
	None:        "–",
	NoMinimum:   "kein Mindestbestand",
	NoReorder:   "nicht festgelegt",

	StockHeading:     "Bestand",
	StockOnHand:      "An Lager",
	StockGood:        "Einwandfrei",
	StockDefective:   "Defekt",
	StockAvailable:   "Verfügbar",
	StockValue:       "Wert",
	StockBreakdown:   "Nach Gebinde",
	StockLocation:    "Lagerort",
	NoStock:          "An keinem Lagerort Bestand.",
	Pallet:           "Palette",
	Package:          "Gebinde",
	MovementsHeading: "Bewegungen",
	MovementWhen:     "Wann",
	MovementType:     "Art",
	MovementLocation: "Lagerort",
	MovementQuantity: "Menge",
	MovementNote:     "Notiz",
	NoMovements:      "Noch keine Bewegungen.",
	Reversed:         "storniert",
	SuppliersHeading: "Lieferanten",
	SupplierName:     "Lieferant",
	SupplierSKU:      "Deren Artikelnr.",
	SupplierPrice:    "Preis",
	SupplierLeadTime: "Lieferfrist",
	NoSuppliers:      "Kein Lieferant erfasst.",
	SupplierLabels: map[string]string{"supplier": "Lieferant", "supplier_sku": "Deren Artikelnr.",
		"price": "Einkaufspreis", "lead_time_days": "Lieferfrist (Tage)"},
	SupplierHints: map[string]string{
		"supplier":       "Name oder #Nummer eingeben; beim Tippen erscheinen Vorschläge.",
		"price":          "Pro Gebinde, wenn der Artikel eines hat, sonst pro Einheit; leer, wenn unbekannt.",
		"lead_time_days": "Tage von der Bestellung bis zur Lieferung, 0 bis 365; leer, wenn unbekannt.",
	},
	SupplierActions:       "Aktionen",
	SupplierEdit:          "Bearbeiten",
	SupplierRemove:        "Entfernen",
	SupplierRemoveLabel:   "{name} entfernen",
	SupplierRemoveConfirm: "{name} als Lieferant dieses Artikels entfernen? Frühere Lieferungen bleiben, wie sie sind.",
	SupplierRemoveNow:     "Jetzt entfernen",
	SupplierAddHeading:    "Lieferant hinzufügen",
	SupplierAdd:           "Lieferant hinzufügen",
	SupplierEditTitle:     "{name} als Lieferant von {item}",
	SupplierAddTitle:      "Lieferant zu {item} hinzufügen",
	SupplierCandidates:    "Mehrere Lieferanten passen zu «{q}». Wählen Sie einen:",
	SupplierUnknown:       "Kein aktiver Lieferant passt zu «{q}».",
	SupplierRequired:      "Geben Sie den Namen oder die #Nummer eines Lieferanten ein.",
	SupplierSaved:         "{name} ist als Lieferant dieses Artikels erfasst.",
	SupplierRemoved:       "{name} ist nicht mehr Lieferant dieses Artikels.",
	SupplierGone:          "Dieser Lieferant ist nicht mehr mit dem Artikel verknüpft.",
	SupplierSuggestions:   "Vorschläge",
	AuditHeading:          "Änderungsprotokoll",
	AuditAll:              "Ganzes Änderungsprotokoll dieses Artikels",
	NoAudit:               "Keine Einträge.",
	DetailsHeading:        "Angaben",

	APIFields: map[string]string{
		"must_differ/ean_package":    "Verwenden Sie eine andere EAN als die der Einheit.",
		"must_differ/ean_pallet":     "Verwenden Sie eine andere EAN als die der Einheit und des Gebindes.",
		"no_pallet/ean_pallet":       "Legen Sie zuerst die Gebinde pro Palette fest: dieser Code bezeichnet eine Palette.",
		"required_with/package_size": "Nötig, wenn ein Gebinde angegeben ist.",
		"required_with/package_unit": "Nötig, wenn Einheiten pro Gebinde angegeben sind.",
		"needs_package/pallet_size":  "Legen Sie zuerst die Einheiten pro Gebinde fest: eine Palette zählt Gebinde.",
		"not_allowed/vat_rate":       "Wählen Sie einen der MWST-Sätze.",
		"not_allowed/vat_rate_bp":    "Wählen Sie einen der MWST-Sätze.",
		"not_allowed/container":      "Wählen Sie einen Behälter aus der Liste.",
		"taken/supplier_id":          "Dieser Lieferant ist schon mit dem Artikel verknüpft.",
	},
}
