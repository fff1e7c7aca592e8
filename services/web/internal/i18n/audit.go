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
	When         string
	Who          string
	What         string
	Changes      string
	Field        string
	Before       string
	After        string
	NoChanges    string
	NoEntries    string
	System       string
	ViaToken     string // "via API token {n}"
	PersonNumber string // "person {n}", when the name is not known
	SameRequest  string
	RecordTrail  string // link: every entry of this record
	OpenRecord   string // link: the record's own page
	Empty        string // a value that was not set
	Yes          string
	No           string

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
	System:       "System",
	ViaToken:     "via API token {n}",
	PersonNumber: "person {n}",
	SameRequest:  "Entries of this request",
	RecordTrail:  "Every entry of this record",
	OpenRecord:   "Open",
	Empty:        "(empty)",
	Yes:          "yes",
	No:           "no",

	Entities: map[string]string{
		"user":          "Person",
		"session":       "Session",
		"api_token":     "API token",
		"category":      "Category",
		"supplier":      "Supplier",
		"customer":      "Customer",
		"location":      "Location",
		"item":          "Item",
		"item_supplier": "Item supplier",
		"movement":      "Movement",
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
	System:       "System",
	ViaToken:     "über API-Token {n}",
	PersonNumber: "Person {n}",
	SameRequest:  "Einträge dieser Anfrage",
	RecordTrail:  "Alle Einträge dieses Datensatzes",
	OpenRecord:   "Öffnen",
	Empty:        "(leer)",
	Yes:          "ja",
	No:           "nein",

	Entities: map[string]string{
		"user":          "Person",
		"session":       "Sitzung",
		"api_token":     "API-Token",
		"category":      "Kategorie",
		"supplier":      "Lieferant",
		"customer":      "Kunde",
		"location":      "Lagerort",
		"item":          "Artikel",
		"item_supplier": "Artikel-Lieferant",
		"movement":      "Bewegung",
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
