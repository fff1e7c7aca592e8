package i18n

// CatalogueText is the master data pages: categories, suppliers, customers
// and locations (lists, forms, archive and delete), the CSV import and
// export of items, customers and suppliers, and what the item pages share
// with them (list controls, record actions).
type CatalogueText struct {
	// Page titles per kind ("categories", "suppliers", "customers",
	// "locations", "items").
	Titles map[string]string
	// Leads explains each list page in a sentence.
	Leads map[string]string
	// NewTitles is the heading of each kind's create form.
	NewTitles map[string]string
	// NewButtons is the button leading to that form.
	NewButtons map[string]string
	// EditTitle is "Edit {name}".
	EditTitle string

	// Labels of the form fields and list columns, by the api's field name
	// (addresses as billing_address.town and so on share the plain names
	// address.street...).
	Labels map[string]string
	// Hints beside form fields, by the api's field name.
	Hints map[string]string
	// Groups are the legends of form sections.
	Groups map[string]string
	// LocationKinds names warehouse, zone and bin.
	LocationKinds map[string]string
	// Currencies names CHF and EUR for selects.
	Currencies map[string]string

	// The search and filter form of a list.
	FilterLabel   string
	Search        string
	SearchHint    string
	ShowResults   string
	ArchivedLabel string
	ArchivedOpts  map[string]string // "": active, "true": archived, "all": both
	SortLabel     string
	SortOpts      map[string]string // by the api's sort key
	TopLevel      string
	// UnknownLocation stands for a location the tree does not list (in a
	// path); ThisRecord for a record whose name the request lacked.
	UnknownLocation string
	ThisRecord      string
	AllParents      string
	ParentFilter    string
	ShowContents    string
	NoneChosen      string
	NoRecords       string
	Open            string

	// Record states and actions.
	ArchivedTag    string
	Edit           string
	Create         string
	Save           string
	Archive        string
	Restore        string
	Delete         string
	DeleteConfirm  string // "Delete {name} for good?"
	DeleteNow      string
	ArchiveLead    string
	Created        string // "{name} was created."
	Saved          string
	ArchivedFlash  string
	RestoredFlash  string
	DeletedFlash   string
	InUse          string // delete refused: archive instead
	Changed        string // a stale version: reload
	RecordHeading  string
	CreatedAt      string
	UpdatedAt      string
	ArchivedAt     string
	NoLimit        string
	DaysValue      string // "{n} days"
	LocalNumber    string // a number field that is not a whole number
	LocalDecimal   string // a money field that is not an amount
	LocalRequired  string // a required amount left empty
	BackToList     string
	AddressNone    string
	DeliverySame   string
	ActionsHeading string

	// CSV export and import.
	Export            string
	Import            string
	ImportTitle       string // "Import {kind} from CSV"
	ImportLead        string
	ImportFile        string
	ImportFileHint    string
	ImportCheck       string
	ImportWrite       string
	ImportAgain       string
	ImportNoFile      string
	ImportTooLarge    string
	ImportNotText     string
	ImportProblems    string // "{n} problems; nothing was written."
	ImportLine        string
	ImportColumn      string
	ImportMessage     string
	ImportWholeLine   string
	ImportReady       string // dry run without problems
	ImportSummary     string // "{rows} rows: {created} new, {updated} changed, {unchanged} unchanged."
	ImportDone        string // written
	ImportReupload    string // the file was too large to carry: choose it again
	ImportChosenFile  string
	ImportColumnsHint string
	// ImportRefused heads the api's refusal of a file for the person's
	// role (a 403): its explanation and the columns it names follow.
	ImportRefused string
	// ImportPricesNote tells a role without the price permission what its
	// customer import may change.
	ImportPricesNote string

	// APIFields translates the api's field codes as these forms and the
	// import report meet them, keyed "code/field" or "code" (see
	// Messages.FieldProblem).
	APIFields map[string]string
	// ImportRefusals word the fields of an import refused for the role
	// (403) where they differ from a form's: the line that sets the value,
	// and what to do about the file.
	ImportRefusals map[string]string
}

// Catalogue returns the master data texts of lang.
func Catalogue(lang Lang) *CatalogueText { return pick(lang, &catalogueEN, &catalogueDE) }

var catalogueEN = CatalogueText{
	Titles: map[string]string{"categories": "Categories", "suppliers": "Suppliers", "customers": "Customers",
		"locations": "Locations", "items": "Items"},
	Leads: map[string]string{
		"categories": "Groups of items, for filters and reports.",
		"suppliers":  "Who delivers goods, with their terms.",
		"customers":  "Who buys, with addresses, terms and credit limits.",
		"locations":  "Warehouses, their zones and bins, as a tree.",
		"items":      "Every article with its stock over all locations.",
	},
	NewTitles: map[string]string{"categories": "New category", "suppliers": "New supplier",
		"customers": "New customer", "locations": "New location", "items": "New item"},
	NewButtons: map[string]string{"categories": "New category", "suppliers": "New supplier",
		"customers": "New customer", "locations": "New location", "items": "New item"},
	EditTitle: "Edit {name}",

	Labels: map[string]string{
		"name": "Name", "description": "Description", "contact_person": "Contact person", "email": "Email",
		"phone": "Phone", "payment_terms_days": "Payment terms (days)", "notes": "Notes",
		"street": "Street", "house_number": "House number", "postal_code": "Postal code", "town": "Town",
		"country": "Country", "number": "Customer number", "credit_limit": "Credit limit", "currency": "Currency",
		"code": "Code", "kind": "Kind", "parent_id": "Inside", "path": "Path", "address": "Address",
		"billing_address": "Billing address", "delivery_address": "Delivery address", "status": "Status",
	},
	Hints: map[string]string{
		"credit_limit":     "Empty for no limit.",
		"code":             "Short and without spaces, e.g. WH1-A-03.",
		"parent_id":        "A warehouse is at the top level; a zone is inside a warehouse, a bin inside a zone or warehouse.",
		"delivery_address": "Leave empty when goods go to the billing address.",
		"country":          "Two letters, e.g. CH.",
	},
	Groups: map[string]string{"basics": "Basics", "contact": "Contact", "terms": "Terms",
		"billing_address": "Billing address", "delivery_address": "Delivery address", "place": "Place in the tree"},
	LocationKinds: map[string]string{"warehouse": "Warehouse", "zone": "Zone", "bin": "Bin"},
	Currencies:    map[string]string{"CHF": "CHF – Swiss franc", "EUR": "EUR – Euro"},

	FilterLabel:   "Search and filter",
	Search:        "Search",
	SearchHint:    "Part of a name; small typos are forgiven.",
	ShowResults:   "Show",
	ArchivedLabel: "Records",
	ArchivedOpts:  map[string]string{"": "Active", "true": "Archived", "all": "Active and archived"},
	SortLabel:     "Sort by",
	SortOpts: map[string]string{
		"name": "Name A–Z", "-name": "Name Z–A", "created_at": "Oldest first", "-created_at": "Newest first",
		"number": "Number ascending", "-number": "Number descending", "code": "Code A–Z", "-code": "Code Z–A",
		"sku": "SKU A–Z", "-sku": "SKU Z–A", "relevance": "Best match",
		"": "Best match when searching, else name",
	},
	TopLevel:        "Top level",
	UnknownLocation: "(location not listed)",
	ThisRecord:      "The record",
	AllParents:      "Anywhere",
	ParentFilter:    "Inside",
	ShowContents:    "Contents",
	NoneChosen:      "None",
	NoRecords:       "Nothing found. Change the search or the filters.",
	Open:            "Open",

	ArchivedTag:    "Archived",
	Edit:           "Edit",
	Create:         "Create",
	Save:           "Save",
	Archive:        "Archive",
	Restore:        "Restore",
	Delete:         "Delete",
	DeleteConfirm:  "Delete {name} for good? This cannot be undone.",
	DeleteNow:      "Yes, delete",
	ArchiveLead:    "Archived records stay in history and lists of archived records, but cannot be used for new bookings.",
	Created:        "{name} was created.",
	Saved:          "{name} was saved.",
	ArchivedFlash:  "{name} was archived.",
	RestoredFlash:  "{name} was restored.",
	DeletedFlash:   "{name} was deleted.",
	InUse:          "{name} cannot be deleted because other records refer to it. Archive it instead.",
	Changed:        "Someone else changed this record meanwhile. Nothing was saved; the current version is shown below.",
	RecordHeading:  "Record",
	CreatedAt:      "Created",
	UpdatedAt:      "Last changed",
	ArchivedAt:     "Archived",
	NoLimit:        "no limit",
	DaysValue:      "{n} days",
	LocalNumber:    "Enter a whole number.",
	LocalDecimal:   "Enter an amount such as 12.50.",
	LocalRequired:  "This field is required.",
	BackToList:     "Back to the list",
	AddressNone:    "none",
	DeliverySame:   "same as billing address",
	ActionsHeading: "Archive or delete",

	Export:            "Export CSV",
	Import:            "Import CSV",
	ImportTitle:       "Import {kind} from CSV",
	ImportLead:        "The file is checked first; nothing is written until you confirm a check without problems. Rows that match an existing record change it, the others are created.",
	ImportFile:        "CSV file (UTF-8)",
	ImportFileHint:    "Use the columns of an export, named in English or German. Cells separated by semicolons or commas, UTF-8 (in Excel: “CSV UTF-8”); numbers as 1.90, 1,90 or 1’234.50. At most 700 KB.",
	ImportCheck:       "Check file",
	ImportWrite:       "Import now",
	ImportAgain:       "Check another file",
	ImportNoFile:      "Choose a CSV file.",
	ImportTooLarge:    "The file is too large for the form. Split it into smaller files.",
	ImportNotText:     "The file is empty.",
	ImportProblems:    "{n} problems found. Nothing was written; correct the file and check it again.",
	ImportLine:        "Line",
	ImportColumn:      "Column",
	ImportMessage:     "Problem",
	ImportWholeLine:   "whole line",
	ImportReady:       "The file has no problems. Nothing is written yet.",
	ImportSummary:     "{rows} rows: {created} new, {updated} changed, {unchanged} unchanged.",
	ImportDone:        "Imported. {rows} rows: {created} new, {updated} changed, {unchanged} unchanged.",
	ImportReupload:    "Choose the same file again to import it.",
	ImportChosenFile:  "Checked file",
	ImportColumnsHint: "Line 1 is the header row.",
	ImportRefused:     "Your role may not import this file as it is. Nothing was written.",
	ImportPricesNote:  "Your role may not set credit limits: keep the credit_limit column as exported, or leave it out. All other columns are imported.",

	ImportRefusals: map[string]string{
		"not_permitted/credit_limit": "Line {line} changes a credit limit, which your role may not set. Keep the credit_limit cells as exported, or remove the column.",
	},
	APIFields: map[string]string{
		"not_allowed/currency":            "Choose CHF or EUR.",
		"not_allowed/kind":                "Choose warehouse, zone or bin.",
		"too_small/parent_id":             "Choose one from the list.",
		"too_small/category_id":           "Choose one from the list.",
		"too_small/preferred_supplier_id": "Choose one from the list.",
		"too_small/supplier_id":           "Choose one from the list.",
		"too_small/location_id":           "Choose one from the list.",
		"invalid_utf8":                    "The file is not UTF-8 text: save it as UTF-8 (in Excel: CSV UTF-8).",
		"wrong_type/number":               "Enter a customer number, or leave it empty for a new customer.",
		"wrong_type/id":                   "Enter a supplier id, or leave it empty to match by name.",
		"not_found/category":              "No category is called «{name}».",
		"not_found/preferred_supplier":    "No supplier is called «{name}».",
		"not_found/number":                "No customer has number {number}; leave the number empty to create a new customer.",
		"not_found/id":                    "No supplier has id {number}; leave the id empty to create a supplier.",
		"ambiguous/preferred_supplier":    "{count} suppliers are called «{name}»; rename one so that the name says which.",
		"ambiguous/name":                  "{count} suppliers are called «{name}»; add the id column to say which this row means.",
		"taken/ean_unit":                  "Already the EAN of item {sku}.",
		"taken/ean_package":               "Already the package EAN of item {sku}.",
		"taken/ean_pallet":                "Already an EAN of item {sku}.",
		"duplicate/sku":                   "The same SKU as line {line}.",
		"duplicate/number":                "The same number as line {line}.",
		"duplicate/id":                    "The same id as line {line}.",
		"duplicate/name":                  "The same name as line {line}; give the id of the supplier each row means.",
		"same_record/sku":                 "The same item as line {line}.",
		"same_record/name":                "The same supplier as line {line}.",
		"not_permitted/credit_limit":      "Your role may not set credit limits.",
	},
}

var catalogueDE = CatalogueText{
	Titles: map[string]string{"categories": "Kategorien", "suppliers": "Lieferanten", "customers": "Kunden",
		"locations": "Lagerorte", "items": "Artikel"},
	Leads: map[string]string{
		"categories": "Gruppen von Artikeln, für Filter und Auswertungen.",
		"suppliers":  "Wer Ware liefert, mit Konditionen.",
		"customers":  "Wer kauft, mit Adressen, Zahlungsfrist und Kreditlimite.",
		"locations":  "Lager, ihre Zonen und Fächer, als Baum.",
		"items":      "Alle Artikel mit ihrem Bestand über alle Lagerorte.",
	},
	NewTitles: map[string]string{"categories": "Neue Kategorie", "suppliers": "Neuer Lieferant",
		"customers": "Neuer Kunde", "locations": "Neuer Lagerort", "items": "Neuer Artikel"},
	NewButtons: map[string]string{"categories": "Neue Kategorie", "suppliers": "Neuer Lieferant",
		"customers": "Neuer Kunde", "locations": "Neuer Lagerort", "items": "Neuer Artikel"},
	EditTitle: "{name} bearbeiten",

	Labels: map[string]string{
		"name": "Name", "description": "Beschreibung", "contact_person": "Kontaktperson", "email": "E-Mail",
		"phone": "Telefon", "payment_terms_days": "Zahlungsfrist (Tage)", "notes": "Notizen",
		"street": "Strasse", "house_number": "Hausnummer", "postal_code": "PLZ", "town": "Ort",
		"country": "Land", "number": "Kundennummer", "credit_limit": "Kreditlimite", "currency": "Währung",
		"code": "Code", "kind": "Art", "parent_id": "Liegt in", "path": "Pfad", "address": "Adresse",
		"billing_address": "Rechnungsadresse", "delivery_address": "Lieferadresse", "status": "Status",
	},
	Hints: map[string]string{
		"credit_limit":     "Leer für keine Limite.",
		"code":             "Kurz und ohne Leerzeichen, z. B. WH1-A-03.",
		"parent_id":        "Ein Lager steht zuoberst; eine Zone liegt in einem Lager, ein Fach in einer Zone oder einem Lager.",
		"delivery_address": "Leer lassen, wenn die Ware an die Rechnungsadresse geht.",
		"country":          "Zwei Buchstaben, z. B. CH.",
	},
	Groups: map[string]string{"basics": "Grunddaten", "contact": "Kontakt", "terms": "Konditionen",
		"billing_address": "Rechnungsadresse", "delivery_address": "Lieferadresse", "place": "Platz im Baum"},
	LocationKinds: map[string]string{"warehouse": "Lager", "zone": "Zone", "bin": "Fach"},
	Currencies:    map[string]string{"CHF": "CHF – Schweizer Franken", "EUR": "EUR – Euro"},

	FilterLabel:   "Suchen und filtern",
	Search:        "Suche",
	SearchHint:    "Teil eines Namens; kleine Tippfehler werden verziehen.",
	ShowResults:   "Anzeigen",
	ArchivedLabel: "Datensätze",
	ArchivedOpts:  map[string]string{"": "Aktive", "true": "Archivierte", "all": "Aktive und archivierte"},
	SortLabel:     "Sortieren nach",
	SortOpts: map[string]string{
		"name": "Name A–Z", "-name": "Name Z–A", "created_at": "Älteste zuerst", "-created_at": "Neueste zuerst",
		"number": "Nummer aufsteigend", "-number": "Nummer absteigend", "code": "Code A–Z", "-code": "Code Z–A",
		"sku": "Artikelnummer A–Z", "-sku": "Artikelnummer Z–A", "relevance": "Beste Treffer",
		"": "Beim Suchen beste Treffer, sonst Name",
	},
	TopLevel:        "Zuoberst",
	UnknownLocation: "(Lagerort nicht aufgeführt)",
	ThisRecord:      "Der Eintrag",
	AllParents:      "Überall",
	ParentFilter:    "Liegt in",
	ShowContents:    "Inhalt",
	NoneChosen:      "Keine",
	NoRecords:       "Nichts gefunden. Ändern Sie die Suche oder die Filter.",
	Open:            "Öffnen",

	ArchivedTag:    "Archiviert",
	Edit:           "Bearbeiten",
	Create:         "Erstellen",
	Save:           "Speichern",
	Archive:        "Archivieren",
	Restore:        "Wiederherstellen",
	Delete:         "Löschen",
	DeleteConfirm:  "{name} endgültig löschen? Das lässt sich nicht rückgängig machen.",
	DeleteNow:      "Ja, löschen",
	ArchiveLead:    "Archivierte Datensätze bleiben in der Geschichte und in der Liste der archivierten, können aber nicht mehr für neue Buchungen verwendet werden.",
	Created:        "{name} wurde erstellt.",
	Saved:          "{name} wurde gespeichert.",
	ArchivedFlash:  "{name} wurde archiviert.",
	RestoredFlash:  "{name} wurde wiederhergestellt.",
	DeletedFlash:   "{name} wurde gelöscht.",
	InUse:          "{name} kann nicht gelöscht werden, weil andere Datensätze darauf verweisen. Archivieren Sie es stattdessen.",
	Changed:        "Jemand anders hat diesen Datensatz inzwischen geändert. Nichts wurde gespeichert; unten steht der aktuelle Stand.",
	RecordHeading:  "Datensatz",
	CreatedAt:      "Erstellt",
	UpdatedAt:      "Zuletzt geändert",
	ArchivedAt:     "Archiviert",
	NoLimit:        "keine Limite",
	DaysValue:      "{n} Tage",
	LocalNumber:    "Geben Sie eine ganze Zahl ein.",
	LocalDecimal:   "Geben Sie einen Betrag wie 12.50 ein.",
	LocalRequired:  "Dieses Feld ist erforderlich.",
	BackToList:     "Zurück zur Liste",
	AddressNone:    "keine",
	DeliverySame:   "wie Rechnungsadresse",
	ActionsHeading: "Archivieren oder löschen",

	Export:            "CSV exportieren",
	Import:            "CSV importieren",
	ImportTitle:       "{kind} aus CSV importieren",
	ImportLead:        "Die Datei wird zuerst geprüft; geschrieben wird erst, wenn Sie eine Prüfung ohne Probleme bestätigen. Zeilen, die zu einem bestehenden Datensatz passen, ändern ihn, die übrigen werden neu erstellt.",
	ImportFile:        "CSV-Datei (UTF-8)",
	ImportFileHint:    "Verwenden Sie die Spalten eines Exports, deutsch oder englisch benannt. Zellen durch Semikolon oder Komma getrennt, UTF-8 (in Excel: «CSV UTF-8»); Zahlen als 1.90, 1,90 oder 1’234.50. Höchstens 700 KB.",
	ImportCheck:       "Datei prüfen",
	ImportWrite:       "Jetzt importieren",
	ImportAgain:       "Andere Datei prüfen",
	ImportNoFile:      "Wählen Sie eine CSV-Datei.",
	ImportTooLarge:    "Die Datei ist zu gross für das Formular. Teilen Sie sie in kleinere Dateien auf.",
	ImportNotText:     "Die Datei ist leer.",
	ImportProblems:    "{n} Probleme gefunden. Nichts wurde geschrieben; korrigieren Sie die Datei und prüfen Sie sie erneut.",
	ImportLine:        "Zeile",
	ImportColumn:      "Spalte",
	ImportMessage:     "Problem",
	ImportWholeLine:   "ganze Zeile",
	ImportReady:       "Die Datei hat keine Probleme. Noch ist nichts geschrieben.",
	ImportSummary:     "{rows} Zeilen: {created} neu, {updated} geändert, {unchanged} unverändert.",
	ImportDone:        "Importiert. {rows} Zeilen: {created} neu, {updated} geändert, {unchanged} unverändert.",
	ImportReupload:    "Wählen Sie dieselbe Datei erneut, um sie zu importieren.",
	ImportChosenFile:  "Geprüfte Datei",
	ImportColumnsHint: "Zeile 1 ist die Kopfzeile.",
	ImportRefused:     "Ihre Rolle darf diese Datei so nicht importieren. Es wurde nichts gespeichert.",
	ImportPricesNote:  "Ihre Rolle darf keine Kreditlimiten setzen: Lassen Sie die Spalte «Kreditlimite» wie exportiert, oder lassen Sie sie weg. Alle anderen Spalten werden importiert.",

	ImportRefusals: map[string]string{
		"not_permitted/credit_limit": "Zeile {line} ändert eine Kreditlimite, die Ihre Rolle nicht setzen darf. Lassen Sie die Zellen der Spalte «Kreditlimite» wie exportiert, oder entfernen Sie die Spalte.",
	},
	APIFields: map[string]string{
		"not_allowed/currency":            "Wählen Sie CHF oder EUR.",
		"not_allowed/kind":                "Wählen Sie Lager, Zone oder Fach.",
		"too_small/parent_id":             "Wählen Sie einen Eintrag aus der Liste.",
		"too_small/category_id":           "Wählen Sie einen Eintrag aus der Liste.",
		"too_small/preferred_supplier_id": "Wählen Sie einen Eintrag aus der Liste.",
		"too_small/supplier_id":           "Wählen Sie einen Eintrag aus der Liste.",
		"too_small/location_id":           "Wählen Sie einen Eintrag aus der Liste.",
		"invalid_utf8":                    "Die Datei ist kein UTF-8-Text: speichern Sie sie als UTF-8 (in Excel: CSV UTF-8).",
		"wrong_type/number":               "Geben Sie eine Kundennummer ein oder lassen Sie das Feld für einen neuen Kunden leer.",
		"wrong_type/id":                   "Geben Sie eine Lieferanten-ID ein oder lassen Sie das Feld leer, um nach Namen zuzuordnen.",
		"not_found/category":              "Keine Kategorie heisst «{name}».",
		"not_found/preferred_supplier":    "Kein Lieferant heisst «{name}».",
		"not_found/number":                "Kein Kunde hat die Nummer {number}; lassen Sie die Nummer für einen neuen Kunden leer.",
		"not_found/id":                    "Kein Lieferant hat die ID {number}; lassen Sie die ID leer, um einen Lieferanten anzulegen.",
		"ambiguous/preferred_supplier":    "{count} Lieferanten heissen «{name}»; benennen Sie einen um, damit der Name eindeutig ist.",
		"ambiguous/name":                  "{count} Lieferanten heissen «{name}»; fügen Sie die Spalte id hinzu, um zu sagen, welcher gemeint ist.",
		"taken/ean_unit":                  "Schon die EAN des Artikels {sku}.",
		"taken/ean_package":               "Schon die Gebinde-EAN des Artikels {sku}.",
		"taken/ean_pallet":                "Schon eine EAN des Artikels {sku}.",
		"duplicate/sku":                   "Dieselbe Artikelnummer wie Zeile {line}.",
		"duplicate/number":                "Dieselbe Nummer wie Zeile {line}.",
		"duplicate/id":                    "Dieselbe ID wie Zeile {line}.",
		"duplicate/name":                  "Derselbe Name wie Zeile {line}; geben Sie die ID des gemeinten Lieferanten an.",
		"same_record/sku":                 "Derselbe Artikel wie Zeile {line}.",
		"same_record/name":                "Derselbe Lieferant wie Zeile {line}.",
		"not_permitted/credit_limit":      "Ihre Rolle darf keine Kreditlimiten setzen.",
	},
}
