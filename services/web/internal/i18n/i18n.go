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
	"regexp"
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
	// FieldRejected is shown beside a field when the api refused its value
	// with a message this language has no translation for.
	FieldRejected string
	// APIFields translates the api's field messages that any form may
	// meet; numbers in a message are written {n} (see FieldMessage).
	APIFields map[string]string

	// Lists.
	PaginationLabel string
	FirstPage       string
	NextPage        string
	// ResultCount is "{n} results"; ResultCountMore "more than {n} results"
	// (the api counts up to 10,000).
	ResultCount     string
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

// Count writes "{n} results" with n already formatted; more says the api
// stopped counting (its total is 10001).
func (m *Messages) Count(n string, more bool) string {
	if more {
		return strings.ReplaceAll(m.ResultCountMore, "{n}", n)
	}
	return strings.ReplaceAll(m.ResultCount, "{n}", n)
}

// numbers finds the numbers in an api message, which FieldMessage replaces
// by {n} to look the message up.
var numbers = regexp.MustCompile(`[0-9]+`)

// FieldMessage translates a message the api gave for a form field. The
// message's numbers become {n} for the lookup ("must be between {n} and
// {n}") and are put back in the same order. groups are the page group's own
// tables (e.g. Profile(lang).APIFields), searched before the shared one.
//
// A message nobody translated is shown as the api wrote it on English pages
// (the api writes English) and as FieldRejected on German ones, so a page
// never mixes languages.
func (m *Messages) FieldMessage(lang Lang, apiMessage string, groups ...map[string]string) string {
	var nums []string
	template := numbers.ReplaceAllStringFunc(apiMessage, func(n string) string {
		nums = append(nums, n)
		return "{n}"
	})
	for _, table := range append(groups, m.APIFields) {
		text, ok := table[template]
		if !ok {
			continue
		}
		for _, n := range nums {
			text = strings.Replace(text, "{n}", n, 1)
		}
		return text
	}
	if lang == English {
		return apiMessage
	}
	return m.FieldRejected
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

	Save:          "Save",
	Cancel:        "Cancel",
	FormHasErrors: "Please check the marked fields.",
	FieldRejected: "This value was not accepted.",
	APIFields: map[string]string{
		"is required":                         "This field is required.",
		"must not be empty":                   "This field is required.",
		"must be {n} to {n} characters":       "Use {n} to {n} characters.",
		"must be between {n} and {n}":         "Enter a value from {n} to {n}.",
		"must be de or en":                    "Choose German or English.",
		"must be read or write":               "Choose read only or read and write.",
		"does not exist":                      "This record does not exist (any more).",
		"is archived":                         "This record is archived.",
		"must not contain control characters": "Remove line breaks and other control characters.",
		"must be at most {n} characters":      "Use at most {n} characters.",
	},

	PaginationLabel: "Pages",
	FirstPage:       "First page",
	NextPage:        "Next page",
	ResultCount:     "{n} results",
	ResultCountMore: "more than {n} results",
	NoResults:       "Nothing found.",

	HomeTitle:         "Overview",
	HomeLead:          "The current state of the Depotix services.",
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

	Save:          "Speichern",
	Cancel:        "Abbrechen",
	FormHasErrors: "Bitte prüfen Sie die markierten Felder.",
	FieldRejected: "Dieser Wert wurde nicht angenommen.",
	APIFields: map[string]string{
		"is required":                         "Dieses Feld ist erforderlich.",
		"must not be empty":                   "Dieses Feld ist erforderlich.",
		"must be {n} to {n} characters":       "Verwenden Sie {n} bis {n} Zeichen.",
		"must be between {n} and {n}":         "Geben Sie einen Wert von {n} bis {n} ein.",
		"must be de or en":                    "Wählen Sie Deutsch oder Englisch.",
		"must be read or write":               "Wählen Sie «nur lesen» oder «lesen und schreiben».",
		"does not exist":                      "Dieser Datensatz existiert nicht (mehr).",
		"is archived":                         "Dieser Datensatz ist archiviert.",
		"must not contain control characters": "Entfernen Sie Zeilenumbrüche und andere Steuerzeichen.",
		"must be at most {n} characters":      "Verwenden Sie höchstens {n} Zeichen.",
	},

	PaginationLabel: "Seiten",
	FirstPage:       "Erste Seite",
	NextPage:        "Nächste Seite",
	ResultCount:     "{n} Treffer",
	ResultCountMore: "mehr als {n} Treffer",
	NoResults:       "Nichts gefunden.",

	HomeTitle:         "Übersicht",
	HomeLead:          "Der aktuelle Zustand der Depotix-Dienste.",
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
