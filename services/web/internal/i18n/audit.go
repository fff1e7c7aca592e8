package i18n

// AuditText is the audit trail page (admin, manager).
type AuditText struct {
	Title string
	Lead  string

	// The filter.
	Entity      string
	AnyEntity   string
	EntityID    string
	Person      string
	AnyPerson   string
	PersonHint  string
	Action      string
	AnyAction   string
	From        string
	To          string
	RequestID   string
	Filter      string
	ClearFilter string
	// BadDate is beside a date the page cannot read.
	BadDate string
	// BadPerson is beside a person number that is not one.
	BadPerson string

	// The entries.
	When      string
	Who       string
	What      string
	Changes   string
	Field     string
	Before    string
	After     string
	NoChanges string
	NoEntries string
	System    string
	// ViaToken names the API token an entry came through: "via API token
	// «{name}»"; ViaSomeToken when its name is not known (deleted).
	ViaToken     string
	ViaSomeToken string
	FormerUser   string // who, when the api names nobody: a person no longer known
	// RecordNumber names a record whose name the page could not learn:
	// "no. {n}", after the record's kind ("item no. 7").
	RecordNumber string
	// Gone marks a record that no longer exists: "(deleted)".
	Gone string
	// MovementName names a booking: "{type} {quantity} {item}".
	MovementName string
	SameRequest  string
	RequestTitle string // tooltip of the request link: "Request {id}"
	RecordTrail  string // link: every entry of this record
	OpenRecord   string // link: the record's own page
	Empty        string // a value that was not set
	Yes          string
	No           string

	// Records name a kind of record inside a sentence, with its article
	// where the language needs one: "den Artikel". Sentences say what was
	// done, by "<entity>/<action>" or else by action, with {record} where
	// the record goes: "hat {record} angelegt". Both follow the person's
	// name: "Anna Muster hat den Artikel Lager Bier angelegt".
	Records   map[string]string
	Sentences map[string]string
	// Labels name the changed fields no form has (archived, a movement's
	// base quantity, a session's address), by "<entity>/<field>" or by
	// field; fields a form has take the form's label (see views/audit_fields.go).
	Labels map[string]string

	// Entities and Actions name the api's kinds of records and actions;
	// one the page does not know is shown as the api wrote it.
	Entities map[string]string
	Actions  map[string]string

	APIFields map[string]string
}

// Audit returns the audit trail texts of lang.
func Audit(lang Lang) *AuditText { return pick(lang, &auditEN, &auditDE) }

// EntityName is the shown name of an entity kind.
func (t *AuditText) EntityName(entity string) string {
	if s, ok := t.Entities[entity]; ok {
		return s
	}
	return entity
}

// Sentence is what an entry says was done to its record, {record}
// marking where the record goes ("" when the sentence names none).
func (t *AuditText) Sentence(entity, action string) string {
	if s, ok := t.Sentences[entity+"/"+action]; ok {
		return s
	}
	if s, ok := t.Sentences[action]; ok {
		return s
	}
	return t.Sentences["other"]
}

// Record names a kind of record inside a sentence.
func (t *AuditText) Record(entity string) string {
	if s, ok := t.Records[entity]; ok {
		return s
	}
	return t.Records["other"]
}

// ActionName is the shown name of an action.
func (t *AuditText) ActionName(action string) string {
	if s, ok := t.Actions[action]; ok {
		return s
	}
	return action
}

var auditEN = AuditText{
	Title: "Audit trail",
	Lead:  "Every change to the data: who made it, when, and each changed field before and after. Entries cannot be changed or deleted.",

	Entity:      "Record kind",
	AnyEntity:   "Every kind",
	EntityID:    "Record number",
	Person:      "Person",
	AnyPerson:   "Everyone",
	PersonHint:  "The person's number",
	Action:      "Action",
	AnyAction:   "Every action",
	From:        "From",
	To:          "To (inclusive)",
	RequestID:   "Request id",
	Filter:      "Show",
	ClearFilter: "Show everything",
	BadDate:     "Enter a date such as 31.12.2025.",
	BadPerson:   "Enter a person's number.",

	When:         "When",
	Who:          "Who",
	What:         "What",
	Changes:      "Changes",
	Field:        "Field",
	Before:       "Before",
	After:        "After",
	NoChanges:    "No field changed.",
	NoEntries:    "No entries match.",
	System:       "Depotix",
	ViaToken:     "via API token «{name}»",
	ViaSomeToken: "via an API token",
	FormerUser:   "(former user)",
	RecordNumber: "no. {n}",
	Gone:         "(deleted)",
	MovementName: "{type} {quantity} {item}",
	SameRequest:  "Everything done with this click",
	RequestTitle: "Request {id}",
	RecordTrail:  "Every change of this record",
	OpenRecord:   "Open",
	Empty:        "(empty)",
	Yes:          "yes",
	No:           "no",

	Records: map[string]string{
		"item": "item", "category": "category", "supplier": "supplier", "customer": "customer",
		"location": "location", "item_supplier": "the supplier link", "movement": "movement",
		"user": "person", "session": "session", "api_token": "API token", "company_profile": "the company profile", "other": "record",
		"invoice": "invoice", "credit_note": "credit note", "payment": "a payment of", "bank_import": "bank file",
	},
	Sentences: map[string]string{
		"create": "created {record}", "update": "changed {record}", "delete": "deleted {record}",
		"archive": "archived {record}", "restore": "restored {record}", "import": "imported {record}",
		"revoke": "revoked {record}", "login": "signed in", "logout": "signed out", "other": "changed {record}",
		"movement/create":      "booked {record}",
		"item_supplier/create": "added {record}",
		"item_supplier/delete": "removed {record}",
		"session/revoke":       "ended a session",
		"session/login":        "signed in",
		"session/logout":       "signed out",
		"invoice/create":       "issued {record}",
		"credit_note/create":   "issued {record}",
		"payment/create":       "recorded {record}",
		"bank_import/import":   "imported {record}",
	},
	Labels: map[string]string{
		"archived_at":                        "Archived",
		"invoice/number":                     "Invoice no.",
		"invoice/customer_id":                "Customer",
		"invoice/payable":                    "Payable",
		"invoice/currency":                   "Currency",
		"credit_note/number":                 "Credit note no.",
		"credit_note/payable":                "Credited",
		"credit_note/return_goods":           "Goods returned",
		"payment/amount":                     "Amount",
		"payment/date":                       "Date",
		"bank_import/credits":                "New credits",
		"bank_import/duplicates":             "Already imported",
		"bank_import/repeated":               "The same file again",
		"movement/quantity_base":             "In base units",
		"movement/unit_cost_micros":          "Cost per base unit",
		"movement/reverses_id":               "Reverses",
		"movement/reversed_type":             "Kind reversed",
		"movement/reversed_by_id":            "Reversed by",
		"user/disabled":                      "Disabled",
		"session/ip":                         "Address",
		"session/user_agent":                 "Device",
		"api_token/name":                     "Name",
		"api_token/scope":                    "Access",
		"api_token/expires_at":               "Expires",
		"item_supplier/item_id":              "Item",
		"company_profile/name":               "Company name",
		"company_profile/street":             "Street",
		"company_profile/building_number":    "Building number",
		"company_profile/postal_code":        "Postal code",
		"company_profile/town":               "Town",
		"company_profile/country":            "Country",
		"company_profile/vat_number":         "UID / VAT number",
		"company_profile/iban":               "IBAN",
		"company_profile/bank_name":          "Bank",
		"company_profile/payment_terms_days": "Payment terms (days)",
		"company_profile/invoice_footer":     "Invoice footer",
		"company_profile/invoice_prefix":     "Invoice number prefix",
		"company_profile/credit_note_prefix": "Credit note number prefix",
		"company_profile/currency":           "Currency",
		"company_profile/deposits_taxable":   "Deposits carry VAT",
		"company_profile/logo_file_id":       "Logo",
	},

	Entities: map[string]string{
		"user":            "Person",
		"session":         "Session",
		"api_token":       "API token",
		"company_profile": "Company profile",
		"invoice":         "Invoice",
		"credit_note":     "Credit note",
		"payment":         "Payment",
		"bank_import":     "Bank import",
		"category":        "Category",
		"supplier":        "Supplier",
		"customer":        "Customer",
		"location":        "Location",
		"item":            "Item",
		"item_supplier":   "Item supplier",
		"movement":        "Movement",
	},
	Actions: map[string]string{
		"create":  "created",
		"update":  "changed",
		"delete":  "deleted",
		"archive": "archived",
		"restore": "restored",
		"revoke":  "revoked",
		"login":   "signed in",
		"logout":  "signed out",
		"import":  "imported",
	},

	APIFields: map[string]string{
		"must_be_after/to": "Choose a day on or after the first day.",
	},
}

var auditDE = AuditText{
	Title: "Protokoll",
	Lead:  "Jede Änderung an den Daten: wer sie wann gemacht hat, und jedes geänderte Feld vorher und nachher. Einträge lassen sich weder ändern noch löschen.",

	Entity:      "Art des Datensatzes",
	AnyEntity:   "Alle Arten",
	EntityID:    "Nummer des Datensatzes",
	Person:      "Person",
	AnyPerson:   "Alle",
	PersonHint:  "Die Nummer der Person",
	Action:      "Aktion",
	AnyAction:   "Alle Aktionen",
	From:        "Von",
	To:          "Bis (einschliesslich)",
	RequestID:   "Anfrage-ID",
	Filter:      "Anzeigen",
	ClearFilter: "Alles anzeigen",
	BadDate:     "Geben Sie ein Datum wie 31.12.2025 ein.",
	BadPerson:   "Geben Sie die Nummer einer Person ein.",

	When:         "Wann",
	Who:          "Wer",
	What:         "Was",
	Changes:      "Änderungen",
	Field:        "Feld",
	Before:       "Vorher",
	After:        "Nachher",
	NoChanges:    "Kein Feld geändert.",
	NoEntries:    "Keine Einträge passen.",
	System:       "Depotix",
	ViaToken:     "über das API-Token «{name}»",
	ViaSomeToken: "über ein API-Token",
	FormerUser:   "(ehemalige Person)",
	RecordNumber: "Nr. {n}",
	Gone:         "(gelöscht)",
	MovementName: "{type} {quantity} {item}",
	SameRequest:  "Alles aus demselben Klick",
	RequestTitle: "Anfrage {id}",
	RecordTrail:  "Alle Änderungen dieses Datensatzes",
	OpenRecord:   "Öffnen",
	Empty:        "(leer)",
	Yes:          "ja",
	No:           "nein",

	Records: map[string]string{
		"item": "den Artikel", "category": "die Kategorie", "supplier": "den Lieferanten", "customer": "den Kunden",
		"location": "den Lagerort", "item_supplier": "die Bezugsquelle", "movement": "die Bewegung",
		"user": "die Person", "session": "die Sitzung", "api_token": "das API-Token", "company_profile": "das Firmenprofil", "other": "den Datensatz",
		"invoice": "die Rechnung", "credit_note": "die Gutschrift", "payment": "eine Zahlung von", "bank_import": "die Bankdatei",
	},
	Sentences: map[string]string{
		"create": "hat {record} angelegt", "update": "hat {record} geändert", "delete": "hat {record} gelöscht",
		"archive": "hat {record} archiviert", "restore": "hat {record} wiederhergestellt", "import": "hat {record} importiert",
		"revoke": "hat {record} widerrufen", "login": "hat sich angemeldet", "logout": "hat sich abgemeldet", "other": "hat {record} geändert",
		"movement/create":      "hat {record} gebucht",
		"item_supplier/create": "hat {record} hinzugefügt",
		"item_supplier/delete": "hat {record} entfernt",
		"session/revoke":       "hat eine Sitzung beendet",
		"session/login":        "hat sich angemeldet",
		"session/logout":       "hat sich abgemeldet",
		"invoice/create":       "hat {record} gestellt",
		"credit_note/create":   "hat {record} ausgestellt",
		"payment/create":       "hat {record} erfasst",
		"bank_import/import":   "hat {record} importiert",
	},
	Labels: map[string]string{
		"archived_at":                        "Archiviert",
		"invoice/number":                     "Rechnungs-Nr.",
		"invoice/customer_id":                "Kunde",
		"invoice/payable":                    "Zu zahlen",
		"invoice/currency":                   "Währung",
		"credit_note/number":                 "Gutschrift-Nr.",
		"credit_note/payable":                "Gutgeschrieben",
		"credit_note/return_goods":           "Ware zurück",
		"payment/amount":                     "Betrag",
		"payment/date":                       "Datum",
		"bank_import/credits":                "Neue Gutschriften",
		"bank_import/duplicates":             "Bereits importiert",
		"bank_import/repeated":               "Dieselbe Datei nochmals",
		"movement/quantity_base":             "In Basiseinheiten",
		"movement/unit_cost_micros":          "Kosten pro Basiseinheit",
		"movement/reverses_id":               "Macht rückgängig",
		"movement/reversed_type":             "Rückgängig gemachte Art",
		"movement/reversed_by_id":            "Rückgängig gemacht durch",
		"user/disabled":                      "Gesperrt",
		"session/ip":                         "Adresse",
		"session/user_agent":                 "Gerät",
		"api_token/name":                     "Name",
		"api_token/scope":                    "Zugriff",
		"api_token/expires_at":               "Läuft ab",
		"item_supplier/item_id":              "Artikel",
		"company_profile/name":               "Firmenname",
		"company_profile/street":             "Strasse",
		"company_profile/building_number":    "Hausnummer",
		"company_profile/postal_code":        "Postleitzahl",
		"company_profile/town":               "Ort",
		"company_profile/country":            "Land",
		"company_profile/vat_number":         "UID- / MWST-Nummer",
		"company_profile/iban":               "IBAN",
		"company_profile/bank_name":          "Bank",
		"company_profile/payment_terms_days": "Zahlungsfrist (Tage)",
		"company_profile/invoice_footer":     "Fusszeile der Rechnung",
		"company_profile/invoice_prefix":     "Präfix der Rechnungsnummer",
		"company_profile/credit_note_prefix": "Präfix der Gutschriftsnummer",
		"company_profile/currency":           "Währung",
		"company_profile/deposits_taxable":   "Depot ist MWST-pflichtig",
		"company_profile/logo_file_id":       "Logo",
	},

	Entities: map[string]string{
		"user":            "Person",
		"session":         "Sitzung",
		"api_token":       "API-Token",
		"company_profile": "Firmenprofil",
		"invoice":         "Rechnung",
		"credit_note":     "Gutschrift",
		"payment":         "Zahlung",
		"bank_import":     "Bankimport",
		"category":        "Kategorie",
		"supplier":        "Lieferant",
		"customer":        "Kunde",
		"location":        "Lagerort",
		"item":            "Artikel",
		"item_supplier":   "Artikel-Lieferant",
		"movement":        "Bewegung",
	},
	Actions: map[string]string{
		"create":  "erstellt",
		"update":  "geändert",
		"delete":  "gelöscht",
		"archive": "archiviert",
		"restore": "wiederhergestellt",
		"revoke":  "widerrufen",
		"login":   "angemeldet",
		"logout":  "abgemeldet",
		"import":  "importiert",
	},

	APIFields: map[string]string{
		"must_be_after/to": "Wählen Sie einen Tag am oder nach dem ersten Tag.",
	},
}
