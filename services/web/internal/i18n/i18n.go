// Package i18n holds every text the web pages show, in English and German,
// and picks the language a browser prefers.
//
// Texts are fields of a struct rather than keys in a map, so a missing or
// misspelt text is a compile error, and a test checks that no language leaves
// a field empty.
//
// Messages (this file) holds what every page shares: the layout, navigation,
// forms, pagination and error pages. Each page group keeps its own texts in
// its own file — a struct type, an English and a German value, and an
// accessor such as Profile(lang) — so people working on different pages never
// edit the same file. See docs/web.md.
package i18n

import (
	"strings"

	"golang.org/x/text/language"
)

// Lang is a supported language, as used in <html lang>.
type Lang string

// Supported languages; the first is the default.
const (
	English Lang = "en"
	German  Lang = "de"
)

// matcher prefers English when nothing in Accept-Language is supported.
var matcher = language.NewMatcher([]language.Tag{language.English, language.German})

// Negotiate picks the language for an Accept-Language header value ("de-CH,
// de;q=0.9, en;q=0.8"). Regional variants match their base language; an
// empty, malformed or unsupported header gives English.
func Negotiate(acceptLanguage string) Lang {
	if acceptLanguage == "" {
		return English
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return English
	}
	_, index, confidence := matcher.Match(tags...)
	if confidence == language.No {
		return English
	}
	if index == 1 {
		return German
	}
	return English
}

// Parse reads a language code as sent by a form or stored in a cookie or a
// profile ("de", "en"); anything else is not a language.
func Parse(s string) (Lang, bool) {
	switch Lang(s) {
	case English, German:
		return Lang(s), true
	}
	return "", false
}

// pick returns the text group of lang: German for German, English for
// everything else. Group accessors (Auth, Profile, ...) are one line of it.
func pick[T any](lang Lang, en, de *T) *T {
	if lang == German {
		return de
	}
	return en
}

// For returns the shared messages of lang; an unknown lang gives English.
// The result is shared by every request: read it, never change it.
func For(lang Lang) *Messages { return pick(lang, &english, &german) }

// ErrorText is the heading and explanation of an error page.
type ErrorText struct {
	Title string
	Text  string
}

// Messages is the text every page shares, in one language.
type Messages struct {
	SiteName      string
	SkipToContent string
	NavLabel      string
	Version       string

	// Main navigation, one label per entry of views.Navigation.
	NavHome       string
	NavItems      string
	NavMovements  string
	NavStock      string
	NavJournal    string
	NavCategories string
	NavSuppliers  string
	NavCustomers  string
	NavLocations  string
	NavUsers      string
	NavCompany    string
	NavOrders     string
	NavInvoices   string
	NavAudit      string

	// The signed-in person's menu, and the switches in the header.
	AccountMenu   string
	SignedInAs    string
	NavProfile    string
	SignOut       string
	SignIn        string
	LanguageLabel string
	// LanguageNames names each language in itself, so a person who cannot
	// read the current one still finds their own.
	LanguageNames map[string]string
	ThemeLabel    string
	ThemeLight    string
	ThemeDark     string
	ThemeSystem   string

	// Roles names the api's roles.
	Roles map[string]string

	// Words the formats use ("today 14:05").
	Today     string
	Yesterday string

	// Forms.
	Save          string
	Cancel        string
	FormHasErrors string
	// ExportComma is the link to an export separated by commas (the main
	// link's file has semicolons, for Excel with Swiss settings).
	ExportComma string
	// RequiredNote explains the mark beside a required field's label.
	RequiredNote string
	// ErrorSummaryOne and ErrorSummaryMany head the list of a failed
	// form's fields ({n}: how many), each a link to its field.
	ErrorSummaryOne  string
	ErrorSummaryMany string
	// FormNotPermitted heads a form the api refused in part for the
	// person's role (the fields it names are marked).
	FormNotPermitted string
	// FieldRejected is shown beside a field when a value was refused for
	// a reason this language has no text for.
	FieldRejected string
	// ShortageReserved is the field text of insufficient_stock when
	// orders hold part of the stock (the api's "reserved"), so the person
	// learns why less is available than is on the shelf.
	ShortageReserved string
	// APIFields translates the api's field codes that any form may meet:
	// a text per code (a test makes sure every code of the contract has
	// one), with the code's parameters as {name} (see FieldProblem).
	APIFields map[string]string
	// ParamWords puts parameter values into words, keyed
	// "parameter/value": "type/integer" is "a whole number".
	ParamWords map[string]string

	// Lists.
	PaginationLabel string
	FirstPage       string
	NextPage        string
	// ResultCount is "{n} results", ResultCountOne the same for exactly
	// one ("1 result"); ResultCountMore "more than {n} results" (the api
	// counts up to 10,000).
	ResultCount     string
	ResultCountOne  string
	ResultCountMore string
	NoResults       string

	HomeTitle         string
	HomeLead          string
	StatusHeading     string
	StatusAPI         string
	StatusReachable   string
	StatusUnreachable string
	StatusDatabase    string
	StatusUnknown     string
	StatusSchema      string
	StatusExpected    string
	StatusAPIVersion  string
	StatusReason      string
	// DatabaseStates names the api's database states; a state missing here
	// is shown as the api sent it.
	DatabaseStates map[string]string
	// APIErrorKinds describes apiclient's failure kinds.
	APIErrorKinds map[string]string

	NotFound         ErrorText
	MethodNotAllowed ErrorText
	TooLarge         ErrorText
	BadRequest       ErrorText
	Forbidden        ErrorText
	FormExpired      ErrorText // a POST without a valid CSRF token, or from another site
	Conflict         ErrorText // 409 and 412: someone else changed the record
	TooManyRequests  ErrorText
	ServerError      ErrorText
	Unavailable      ErrorText // the api is down, too slow or answers nonsense
	RequestID        string
	BackHome         string
	TryAgain         string
}

// DatabaseState returns the shown name of a database state.
func (m *Messages) DatabaseState(state string) string {
	if s, ok := m.DatabaseStates[state]; ok {
		return s
	}
	return state
}

// APIErrorKind returns the description of an api failure kind.
func (m *Messages) APIErrorKind(kind string) string {
	if s, ok := m.APIErrorKinds[kind]; ok {
		return s
	}
	return m.APIErrorKinds["unknown"]
}

// Role returns the shown name of a role.
func (m *Messages) Role(role string) string {
	if s, ok := m.Roles[role]; ok {
		return s
	}
	return role
}

// Error returns the texts of the error page for an HTTP status.
func (m *Messages) Error(status int) ErrorText {
	switch {
	case status == 403:
		return m.Forbidden
	case status == 404:
		return m.NotFound
	case status == 405:
		return m.MethodNotAllowed
	case status == 409 || status == 412:
		return m.Conflict
	case status == 413:
		return m.TooLarge
	case status == 429:
		return m.TooManyRequests
	case status >= 400 && status < 500:
		return m.BadRequest
	case status == 502 || status == 503 || status == 504:
		return m.Unavailable
	default:
		return m.ServerError
	}
}

// Count writes "{n} results" for n results, formatted as the page writes
// numbers ("1’234"), in the singular for one; more says the api stopped
// counting (its total is 10001).
func (m *Messages) Count(n int64, formatted string, more bool) string {
	switch {
	case more:
		return strings.ReplaceAll(m.ResultCountMore, "{n}", formatted)
	case n == 1:
		return strings.ReplaceAll(m.ResultCountOne, "{n}", formatted)
	}
	return strings.ReplaceAll(m.ResultCount, "{n}", formatted)
}

// Problem is what the api said is wrong with one field, as FieldProblem
// translates it.
type Problem struct {
	Field   string // the api's name of the field: "name", "lines[2].quantity", "limit"
	Code    string // the api's field code: "too_long"
	Message string // the api's English message, shown where no text exists
	// Params are the code's parameters, written for people: numbers
	// already in the Swiss format ("1’000"), words as the api sent them.
	Params map[string]string
}

// FieldProblem translates a problem the api reported for a field, by its
// code, never by the English message. The text is looked up as
// "code/field" (field: the last name of p.Field, so "lines[2].quantity"
// is "quantity"), then as "code", in each of groups (a page group's own
// tables, e.g. Profile(lang).APIFields) and then in the shared APIFields.
// {name} in the text becomes the parameter name, put into words where
// ParamWords has the value.
//
// A code nobody translated (one the api added later) is shown as the api
// wrote it on English pages and as FieldRejected on German ones, so a page
// never mixes languages.
func (m *Messages) FieldProblem(lang Lang, p Problem, groups ...map[string]string) string {
	if _, reserved := p.Params["reserved"]; reserved && p.Code == "insufficient_stock" {
		// Orders hold part of it: say so, whatever the field.
		return m.fill(m.ShortageReserved, p.Params)
	}
	text, ok := m.lookup(p, groups)
	if !ok {
		if lang == English && p.Message != "" {
			return p.Message
		}
		return m.FieldRejected
	}
	return m.fill(text, p.Params)
}

func (m *Messages) lookup(p Problem, groups []map[string]string) (string, bool) {
	keys := []string{p.Code}
	if f := fieldName(p.Field); f != "" {
		keys = []string{p.Code + "/" + f, p.Code}
	}
	for _, table := range append(groups, m.APIFields) {
		for _, k := range keys {
			if text, ok := table[k]; ok {
				return text, true
			}
		}
	}
	return "", false
}

// fill replaces each {name} of text with the parameter.
func (m *Messages) fill(text string, params map[string]string) string {
	if len(params) == 0 {
		return text
	}
	text = countUnits(text, params) // "{available} {unit}": "120 bottles", "1 bottle"
	pairs := make([]string, 0, 2*len(params))
	for name, value := range params {
		if w, ok := m.ParamWords[name+"/"+value]; ok {
			value = w
		}
		pairs = append(pairs, "{"+name+"}", value)
	}
	return strings.NewReplacer(pairs...).Replace(text)
}

// fieldName is the last name of a field as the api names it:
// "billing_address.town" is "town", "lines[2].quantity" is "quantity".
func fieldName(field string) string {
	if i := strings.LastIndexByte(field, '.'); i >= 0 {
		field = field[i+1:]
	}
	if i := strings.IndexByte(field, '['); i >= 0 {
		field = field[:i]
	}
	return field
}

// The English state names of the database are the api's own codes, so what
// an operator reads on the page is what they can search for in the api's
// logs and documentation.
var english = Messages{
	SiteName:      "Depotix",
	SkipToContent: "Skip to content",
	NavLabel:      "Main navigation",
	Version:       "Version",

	NavHome:       "Overview",
	NavItems:      "Items",
	NavMovements:  "Movements",
	NavStock:      "Stock",
	NavJournal:    "Journal",
	NavCategories: "Categories",
	NavSuppliers:  "Suppliers",
	NavCustomers:  "Customers",
	NavLocations:  "Locations",
	NavUsers:      "Users",
	NavCompany:    "Company",
	NavOrders:     "Orders",
	NavInvoices:   "Invoices",
	NavAudit:      "Audit trail",

	AccountMenu:   "Account",
	SignedInAs:    "Signed in as",
	NavProfile:    "Profile",
	SignOut:       "Sign out",
	SignIn:        "Sign in",
	LanguageLabel: "Language",
	LanguageNames: map[string]string{"de": "Deutsch", "en": "English"},
	ThemeLabel:    "Theme",
	ThemeLight:    "Light",
	ThemeDark:     "Dark",
	ThemeSystem:   "As the device",

	Roles: map[string]string{
		"admin":   "Administrator",
		"manager": "Manager",
		"clerk":   "Clerk",
		"viewer":  "Viewer",
	},

	Today:     "today",
	Yesterday: "yesterday",

	Save:             "Save",
	Cancel:           "Cancel",
	FormHasErrors:    "Please check the marked fields.",
	RequiredNote:     "Fields marked * are required.",
	ExportComma:      "CSV with commas",
	ErrorSummaryOne:  "1 field needs correcting:",
	ErrorSummaryMany: "{n} fields need correcting:",
	FormNotPermitted: "Your role may not set the marked values: change or clear them, then save again.",
	FieldRejected:    "This value was not accepted.",
	ShortageReserved: "Only {available} {unit} available: {reserved} {unit} reserved for orders.",
	APIFields: map[string]string{
		"required":              "This field is required.",
		"unknown_field":         "This field is not known to the api.",
		"wrong_type":            "Enter {type}.",
		"too_long":              "Use at most {max} characters.",
		"too_short":             "Use at least {min} characters.",
		"too_many_bytes":        "This is too long (at most {max} bytes).",
		"out_of_range":          "Enter a value from {min} to {max}.",
		"too_small":             "Enter {min} or more.",
		"too_large":             "Enter at most {max}.",
		"too_few":               "Enter at least {min}.",
		"too_many":              "Enter at most {max}.",
		"not_allowed":           "Choose one of: {allowed}.",
		"not_allowed/language":  "Choose German or English.",
		"not_allowed/scope":     "Choose read only or read and write.",
		"invalid_format":        "This value is not in the expected format.",
		"invalid_json":          "The form did not arrive as expected; reload the page and try again.",
		"invalid_utf8":          "Use only valid text (UTF-8).",
		"control_character":     "Remove line breaks and other control characters.",
		"contains_spaces":       "Remove the spaces.",
		"invalid_email":         "Enter an email address such as name@example.ch.",
		"invalid_phone":         "Enter a phone number: digits, spaces and + - ( ) / .",
		"invalid_country":       "Enter a two-letter country code such as CH.",
		"invalid_postal_code":   "Enter four digits (Switzerland and Liechtenstein).",
		"invalid_gtin":          "Enter a valid EAN (8, 12, 13 or 14 digits with check digit).",
		"invalid_amount":        "Enter an amount with at most {decimals} decimals, such as 12.50.",
		"invalid_percentage":    "Enter a percentage from {min} to {max} with at most one decimal, such as 4.8.",
		"invalid_cursor":        "This page of the list no longer exists; start again from the first page.",
		"unsupported_file_type": "Choose a {allowed} file.",
		"invalid_character":     "“{character}” (character {position}) cannot be printed on a QR bill; use Latin letters, digits and common signs.",
		"invalid_iban":          "Enter a Swiss or Liechtenstein IBAN or QR-IBAN with a correct check digit, such as CH44 3199 9123 0008 8901 2.",
		"invalid_uid":           "Enter a UID or VAT number with a correct check digit, such as CHE-123.456.789 MWST.",
		"not_found":             "This record does not exist (any more).",
		"archived":              "This record is archived.",
		"taken":                 "This value is already in use.",
		"duplicate":             "The same as line {line}.",
		"same_record":           "The same record as line {line}.",
		"ambiguous":             "{count} records are called «{name}»; make the name say which.",
		"must_differ":           "Choose a different value.",
		"must_be_after":         "Choose an end after the start.",
		"required_with":         "Required together with the related field.",
		"not_applicable":        "Not used by this kind of movement.",
		"needs_package":         "Set units per package first.",
		"must_be_alcoholic":     "Above 0.5 % vol. the item is alcoholic.",
		"relevance_needs_q":     "Best match needs a search text.",
		"warehouse_top_level":   "A warehouse is at the top level: choose none.",
		"self_reference":        "A location cannot be inside itself.",
		"parent_is_bin":         "A bin holds no other locations.",
		"cycle":                 "That location is inside this one.",
		"has_children":          "It holds other locations, so it cannot be a bin.",
		"required_unless_note":  "Choose one, or say in the note where the goods come from or go.",
		"reversal_not_direct":   "Reverse the movement instead.",
		"in_future":             "The date must not be in the future.",
		"too_old":               "The date must not be more than {max_days} days ago.",
		"no_package":            "This item has no package; choose another unit.",
		"no_pallet":             "This item has no pallet size; choose another unit.",
		"overflow":              "This quantity is too large.",
		"insufficient_stock":    "Only {available} {unit} available.",
		"cannot_disable_self":   "You cannot disable yourself.",
		"cannot_demote_self":    "You cannot change your own role.",
		"not_permitted":         "Your role may not set this.",
		"wrong_password":        "The current password is wrong.",
		"password_trivial":      "Too simple: no repeated characters or sequences.",
		"password_common":       "This password is too common; choose another.",
		"password_personal":     "The password must not contain the person's name or email.",
		"unknown_column":        "This is not a column of this file; the columns are: {allowed}.",
		"duplicate_column":      "This column appears twice.",
		"missing_column":        "This column is required: add it.",
		"unnamed_column":        "Column {column} has no name.",
		"empty_file":            "The file is empty; its first line must name the columns.",
		"too_many_rows":         "The file has more than {max} rows; split it into smaller files.",
		"wrong_cell_count":      "This line has {cells} cells but the header has {expected}.",
		"invalid_csv":           "This row is not valid CSV (line {line}, character {column}). Quote cells that contain commas, quotes or line breaks, and double the quotes inside them.",
		"more_problems":         "{count} more problems from this line on are not listed; fix these and try again.",
	},
	ParamWords: map[string]string{
		"type/integer": "a whole number",
		"type/number":  "a number",
		"type/string":  "text",
		"type/boolean": "yes or no (true/false, 1/0, ja/nein)",
		"type/array":   "a list",
		"type/object":  "a group of fields",
	},

	PaginationLabel: "Pages",
	FirstPage:       "First page",
	NextPage:        "Next page",
	ResultCount:     "{n} results",
	ResultCountOne:  "{n} result",
	ResultCountMore: "more than {n} results",
	NoResults:       "Nothing found.",

	HomeTitle:         "Overview",
	HomeLead:          "Sign in to work with the depot; the state of the Depotix services is below.",
	StatusHeading:     "System status",
	StatusAPI:         "api",
	StatusReachable:   "reachable",
	StatusUnreachable: "unreachable",
	StatusDatabase:    "database",
	StatusUnknown:     "unknown",
	StatusSchema:      "schema version",
	StatusExpected:    "expected",
	StatusAPIVersion:  "api version",
	StatusReason:      "reason",
	DatabaseStates: map[string]string{
		"ready":           "ready",
		"not_ready":       "not ready",
		"unreachable":     "unreachable",
		"schema_outdated": "schema_outdated",
		"schema_dirty":    "schema_dirty",
	},
	APIErrorKinds: map[string]string{
		"timeout":  "timeout: the api did not answer in time",
		"refused":  "connection refused: nothing listens at the api address",
		"dns":      "host not found: the api's host name does not resolve",
		"network":  "network error",
		"canceled": "request canceled",
		"status":   "unexpected answer from the api",
		"invalid":  "the api's answer could not be read",
		"unknown":  "unknown error",
	},

	NotFound: ErrorText{
		Title: "Page not found",
		Text:  "There is no page at this address. Check the address, or start again from the overview.",
	},
	MethodNotAllowed: ErrorText{
		Title: "Not allowed here",
		Text:  "This page cannot be used this way. Go back and try again from a link or a form.",
	},
	TooLarge: ErrorText{
		Title: "Too much data",
		Text:  "What you sent is larger than this server accepts. Send less at once.",
	},
	BadRequest: ErrorText{
		Title: "Request not understood",
		Text:  "The server could not understand this request. Go back and try again.",
	},
	Forbidden: ErrorText{
		Title: "Not permitted",
		Text:  "Your role does not allow this. If you need it, ask an administrator.",
	},
	FormExpired: ErrorText{
		Title: "Form expired",
		Text:  "This form is no longer valid, or it was sent from another site. Nothing was changed. Go back, reload the page and try again.",
	},
	Conflict: ErrorText{
		Title: "Changed meanwhile",
		Text:  "Someone else changed this record at the same time. Nothing was saved. Reload it and make your change again.",
	},
	TooManyRequests: ErrorText{
		Title: "Too many attempts",
		Text:  "Wait a moment before you try again.",
	},
	ServerError: ErrorText{
		Title: "Something went wrong",
		Text:  "The server could not complete your request. Try again in a moment; if it keeps happening, give your administrator the request id below.",
	},
	Unavailable: ErrorText{
		Title: "Depotix is not available right now",
		Text:  "The service behind this page does not answer at the moment. Nothing is lost: try again in a minute. If it stays like this, tell your administrator and give them the request id below.",
	},
	RequestID: "Request id",
	BackHome:  "Back to the overview",
	TryAgain:  "Try again",
}

var german = Messages{
	SiteName:      "Depotix",
	SkipToContent: "Zum Inhalt springen",
	NavLabel:      "Hauptnavigation",
	Version:       "Version",

	NavHome:       "Übersicht",
	NavItems:      "Artikel",
	NavMovements:  "Bewegungen",
	NavStock:      "Bestand",
	NavJournal:    "Journal",
	NavCategories: "Kategorien",
	NavSuppliers:  "Lieferanten",
	NavCustomers:  "Kunden",
	NavLocations:  "Lagerorte",
	NavUsers:      "Benutzer",
	NavCompany:    "Firma",
	NavOrders:     "Aufträge",
	NavInvoices:   "Rechnungen",
	NavAudit:      "Änderungsprotokoll",

	AccountMenu:   "Konto",
	SignedInAs:    "Angemeldet als",
	NavProfile:    "Profil",
	SignOut:       "Abmelden",
	SignIn:        "Anmelden",
	LanguageLabel: "Sprache",
	LanguageNames: map[string]string{"de": "Deutsch", "en": "English"},
	ThemeLabel:    "Darstellung",
	ThemeLight:    "Hell",
	ThemeDark:     "Dunkel",
	ThemeSystem:   "Wie das Gerät",

	Roles: map[string]string{
		"admin":   "Administrator/in",
		"manager": "Leiter/in",
		"clerk":   "Sachbearbeiter/in",
		"viewer":  "Nur lesen",
	},

	Today:     "heute",
	Yesterday: "gestern",

	Save:             "Speichern",
	Cancel:           "Abbrechen",
	FormHasErrors:    "Bitte prüfen Sie die markierten Felder.",
	RequiredNote:     "Mit * markierte Felder müssen ausgefüllt werden.",
	ExportComma:      "CSV mit Kommas",
	ErrorSummaryOne:  "1 Feld ist zu korrigieren:",
	ErrorSummaryMany: "{n} Felder sind zu korrigieren:",
	FormNotPermitted: "Die markierten Werte darf Ihre Rolle nicht setzen: ändern oder leeren Sie sie und speichern Sie erneut.",
	FieldRejected:    "Dieser Wert wurde nicht angenommen.",
	ShortageReserved: "Nur {available} {unit} verfügbar: {reserved} {unit} für Aufträge reserviert.",
	APIFields: map[string]string{
		"required":              "Dieses Feld ist erforderlich.",
		"unknown_field":         "Dieses Feld kennt die API nicht.",
		"wrong_type":            "Geben Sie {type} ein.",
		"too_long":              "Verwenden Sie höchstens {max} Zeichen.",
		"too_short":             "Verwenden Sie mindestens {min} Zeichen.",
		"too_many_bytes":        "Das ist zu lang (höchstens {max} Bytes).",
		"out_of_range":          "Geben Sie einen Wert von {min} bis {max} ein.",
		"too_small":             "Geben Sie {min} oder mehr ein.",
		"too_large":             "Geben Sie höchstens {max} ein.",
		"too_few":               "Geben Sie mindestens {min} an.",
		"too_many":              "Geben Sie höchstens {max} an.",
		"not_allowed":           "Wählen Sie eines von: {allowed}.",
		"not_allowed/language":  "Wählen Sie Deutsch oder Englisch.",
		"not_allowed/scope":     "Wählen Sie «nur lesen» oder «lesen und schreiben».",
		"invalid_format":        "Dieser Wert hat nicht das erwartete Format.",
		"invalid_json":          "Das Formular kam nicht wie erwartet an; laden Sie die Seite neu und versuchen Sie es noch einmal.",
		"invalid_utf8":          "Verwenden Sie nur gültigen Text (UTF-8).",
		"control_character":     "Entfernen Sie Zeilenumbrüche und andere Steuerzeichen.",
		"contains_spaces":       "Entfernen Sie die Leerzeichen.",
		"invalid_email":         "Geben Sie eine E-Mail-Adresse wie name@example.ch ein.",
		"invalid_phone":         "Geben Sie eine Telefonnummer ein: Ziffern, Leerzeichen und + - ( ) / .",
		"invalid_country":       "Geben Sie einen Ländercode aus zwei Buchstaben wie CH ein.",
		"invalid_postal_code":   "Geben Sie vier Ziffern ein (Schweiz und Liechtenstein).",
		"invalid_gtin":          "Geben Sie eine gültige EAN ein (8, 12, 13 oder 14 Ziffern mit Prüfziffer).",
		"invalid_amount":        "Geben Sie einen Betrag mit höchstens {decimals} Nachkommastellen ein, z. B. 12.50.",
		"invalid_percentage":    "Geben Sie einen Prozentwert von {min} bis {max} mit höchstens einer Dezimalstelle ein, z. B. 4.8.",
		"invalid_cursor":        "Diese Seite der Liste gibt es nicht mehr; beginnen Sie wieder bei der ersten Seite.",
		"unsupported_file_type": "Wählen Sie eine Datei vom Typ {allowed}.",
		"invalid_character":     "«{character}» (Zeichen {position}) kann auf einer QR-Rechnung nicht gedruckt werden; verwenden Sie lateinische Buchstaben, Ziffern und übliche Zeichen.",
		"invalid_iban":          "Geben Sie eine Schweizer oder Liechtensteiner IBAN oder QR-IBAN mit korrekter Prüfziffer ein, z. B. CH44 3199 9123 0008 8901 2.",
		"invalid_uid":           "Geben Sie eine UID- oder MWST-Nummer mit korrekter Prüfziffer ein, z. B. CHE-123.456.789 MWST.",
		"not_found":             "Dieser Datensatz existiert nicht (mehr).",
		"archived":              "Dieser Datensatz ist archiviert.",
		"taken":                 "Dieser Wert wird schon verwendet.",
		"duplicate":             "Dasselbe wie Zeile {line}.",
		"same_record":           "Derselbe Datensatz wie Zeile {line}.",
		"ambiguous":             "{count} Datensätze heissen «{name}»; der Name muss eindeutig sein.",
		"must_differ":           "Wählen Sie einen anderen Wert.",
		"must_be_after":         "Wählen Sie ein Ende nach dem Anfang.",
		"required_with":         "Zusammen mit dem zugehörigen Feld erforderlich.",
		"not_applicable":        "Bei dieser Bewegungsart nicht verwendet.",
		"needs_package":         "Legen Sie zuerst die Einheiten pro Gebinde fest.",
		"must_be_alcoholic":     "Über 0.5 % vol. ist der Artikel alkoholhaltig.",
		"relevance_needs_q":     "«Beste Treffer» braucht einen Suchtext.",
		"warehouse_top_level":   "Ein Lager steht zuoberst: wählen Sie keines.",
		"self_reference":        "Ein Lagerort kann nicht in sich selbst liegen.",
		"parent_is_bin":         "Ein Fach enthält keine anderen Lagerorte.",
		"cycle":                 "Dieser Lagerort liegt in diesem.",
		"has_children":          "Er enthält andere Lagerorte und kann darum kein Fach sein.",
		"required_unless_note":  "Wählen Sie einen Eintrag oder notieren Sie, woher oder wohin die Ware geht.",
		"reversal_not_direct":   "Stornieren Sie stattdessen die Bewegung.",
		"in_future":             "Das Datum darf nicht in der Zukunft liegen.",
		"too_old":               "Das Datum darf höchstens {max_days} Tage zurückliegen.",
		"no_package":            "Dieser Artikel hat kein Gebinde; wählen Sie eine andere Einheit.",
		"no_pallet":             "Dieser Artikel hat keine Palettengrösse; wählen Sie eine andere Einheit.",
		"overflow":              "Diese Menge ist zu gross.",
		"insufficient_stock":    "Nur {available} {unit} verfügbar.",
		"cannot_disable_self":   "Sich selbst können Sie nicht sperren.",
		"cannot_demote_self":    "Ihre eigene Rolle können Sie nicht ändern.",
		"not_permitted":         "Das darf Ihre Rolle nicht festlegen.",
		"wrong_password":        "Das aktuelle Passwort ist falsch.",
		"password_trivial":      "Zu einfach: keine wiederholten Zeichen oder Folgen.",
		"password_common":       "Dieses Passwort ist zu verbreitet; wählen Sie ein anderes.",
		"password_personal":     "Das Passwort darf weder den Namen noch die E-Mail der Person enthalten.",
		"unknown_column":        "Diese Spalte gibt es in dieser Datei nicht; die Spalten sind: {allowed}.",
		"duplicate_column":      "Diese Spalte kommt zweimal vor.",
		"missing_column":        "Diese Spalte ist nötig: fügen Sie sie hinzu.",
		"unnamed_column":        "Spalte {column} hat keinen Namen.",
		"empty_file":            "Die Datei ist leer; ihre erste Zeile muss die Spalten nennen.",
		"too_many_rows":         "Die Datei hat mehr als {max} Zeilen; teilen Sie sie in kleinere Dateien auf.",
		"wrong_cell_count":      "Diese Zeile hat {cells} Zellen, die Kopfzeile aber {expected}.",
		"invalid_csv":           "Diese Zeile ist kein gültiges CSV (Zeile {line}, Zeichen {column}). Setzen Sie Zellen mit Kommas, Anführungszeichen oder Zeilenumbrüchen in Anführungszeichen und verdoppeln Sie die Anführungszeichen darin.",
		"more_problems":         "{count} weitere Probleme ab dieser Zeile sind nicht aufgeführt; beheben Sie diese und versuchen Sie es erneut.",
	},
	ParamWords: map[string]string{
		"type/integer": "eine ganze Zahl",
		"type/number":  "eine Zahl",
		"type/string":  "einen Text",
		"type/boolean": "ja oder nein (true/false, 1/0, ja/nein)",
		"type/array":   "eine Liste",
		"type/object":  "eine Gruppe von Feldern",
	},

	PaginationLabel: "Seiten",
	FirstPage:       "Erste Seite",
	NextPage:        "Nächste Seite",
	ResultCount:     "{n} Treffer",
	ResultCountOne:  "{n} Treffer", // the same word in the singular
	ResultCountMore: "mehr als {n} Treffer",
	NoResults:       "Nichts gefunden.",

	HomeTitle:         "Übersicht",
	HomeLead:          "Melden Sie sich an, um mit dem Lager zu arbeiten; der Zustand der Depotix-Dienste steht darunter.",
	StatusHeading:     "Systemstatus",
	StatusAPI:         "API",
	StatusReachable:   "erreichbar",
	StatusUnreachable: "nicht erreichbar",
	StatusDatabase:    "Datenbank",
	StatusUnknown:     "unbekannt",
	StatusSchema:      "Schemaversion",
	StatusExpected:    "erwartet",
	StatusAPIVersion:  "API-Version",
	StatusReason:      "Grund",
	DatabaseStates: map[string]string{
		"ready":           "bereit",
		"not_ready":       "nicht bereit",
		"unreachable":     "nicht erreichbar",
		"schema_outdated": "Schema veraltet",
		"schema_dirty":    "Schema-Migration unvollständig",
	},
	APIErrorKinds: map[string]string{
		"timeout":  "Zeitüberschreitung: die API hat nicht rechtzeitig geantwortet",
		"refused":  "Verbindung abgelehnt: unter der API-Adresse hört niemand zu",
		"dns":      "Host nicht gefunden: der Name der API lässt sich nicht auflösen",
		"network":  "Netzwerkfehler",
		"canceled": "Anfrage abgebrochen",
		"status":   "unerwartete Antwort der API",
		"invalid":  "die Antwort der API ist nicht lesbar",
		"unknown":  "unbekannter Fehler",
	},

	NotFound: ErrorText{
		Title: "Seite nicht gefunden",
		Text:  "Unter dieser Adresse gibt es keine Seite. Prüfen Sie die Adresse oder beginnen Sie bei der Übersicht.",
	},
	MethodNotAllowed: ErrorText{
		Title: "Hier nicht erlaubt",
		Text:  "Diese Seite lässt sich so nicht verwenden. Gehen Sie zurück und versuchen Sie es über einen Link oder ein Formular.",
	},
	TooLarge: ErrorText{
		Title: "Zu viele Daten",
		Text:  "Was Sie gesendet haben, ist grösser, als dieser Server annimmt. Senden Sie weniger auf einmal.",
	},
	BadRequest: ErrorText{
		Title: "Anfrage nicht verstanden",
		Text:  "Der Server konnte diese Anfrage nicht verstehen. Gehen Sie zurück und versuchen Sie es erneut.",
	},
	Forbidden: ErrorText{
		Title: "Nicht erlaubt",
		Text:  "Ihre Rolle erlaubt das nicht. Wenn Sie es brauchen, wenden Sie sich an eine Administratorin oder einen Administrator.",
	},
	FormExpired: ErrorText{
		Title: "Formular abgelaufen",
		Text:  "Dieses Formular ist nicht mehr gültig oder wurde von einer anderen Website gesendet. Es wurde nichts geändert. Gehen Sie zurück, laden Sie die Seite neu und versuchen Sie es noch einmal.",
	},
	Conflict: ErrorText{
		Title: "Inzwischen geändert",
		Text:  "Jemand anderes hat diesen Datensatz gleichzeitig geändert. Es wurde nichts gespeichert. Laden Sie ihn neu und nehmen Sie Ihre Änderung noch einmal vor.",
	},
	TooManyRequests: ErrorText{
		Title: "Zu viele Versuche",
		Text:  "Warten Sie einen Moment, bevor Sie es erneut versuchen.",
	},
	ServerError: ErrorText{
		Title: "Etwas ist schiefgelaufen",
		Text:  "Der Server konnte Ihre Anfrage nicht ausführen. Versuchen Sie es gleich noch einmal; wenn der Fehler bleibt, nennen Sie Ihrer Administratorin oder Ihrem Administrator die Anfrage-ID unten.",
	},
	Unavailable: ErrorText{
		Title: "Depotix ist gerade nicht erreichbar",
		Text:  "Der Dienst hinter dieser Seite antwortet im Moment nicht. Es ist nichts verloren: Versuchen Sie es in einer Minute noch einmal. Bleibt es so, melden Sie es Ihrer Administratorin oder Ihrem Administrator mit der Anfrage-ID unten.",
	},
	RequestID: "Anfrage-ID",
	BackHome:  "Zurück zur Übersicht",
	TryAgain:  "Erneut versuchen",
}
