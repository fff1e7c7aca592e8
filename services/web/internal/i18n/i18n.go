// Package i18n holds every text the web pages show, in English and German,
// and picks the language a browser prefers.
//
// Texts are fields of a struct rather than keys in a map, so a missing or
// misspelt text is a compile error, and a test checks that no language leaves
// a field empty.
package i18n

import (
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

// ErrorText is the heading and explanation of an error page.
type ErrorText struct {
	Title string
	Text  string
}

// Messages is the text of every page in one language.
type Messages struct {
	SiteName      string
	SkipToContent string
	NavLabel      string
	NavHome       string
	Version       string

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
	ServerError      ErrorText
	RequestID        string
	BackHome         string
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

// Error returns the texts of the error page for an HTTP status.
func (m *Messages) Error(status int) ErrorText {
	switch {
	case status == 404:
		return m.NotFound
	case status == 405:
		return m.MethodNotAllowed
	case status == 413:
		return m.TooLarge
	case status >= 400 && status < 500:
		return m.BadRequest
	default:
		return m.ServerError
	}
}

// For returns the messages of lang; an unknown lang gives English. The
// result is shared by every request: read it, never change it.
func For(lang Lang) *Messages {
	if lang == German {
		return &german
	}
	return &english
}

// The English state names of the database are the api's own codes, so what
// an operator reads on the page is what they can search for in the api's
// logs and documentation.
var english = Messages{
	SiteName:      "Depotix",
	SkipToContent: "Skip to content",
	NavLabel:      "Main navigation",
	NavHome:       "Overview",
	Version:       "Version",

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
	ServerError: ErrorText{
		Title: "Something went wrong",
		Text:  "The server could not complete your request. Try again in a moment; if it keeps happening, give your administrator the request id below.",
	},
	RequestID: "Request id",
	BackHome:  "Back to the overview",
}

var german = Messages{
	SiteName:      "Depotix",
	SkipToContent: "Zum Inhalt springen",
	NavLabel:      "Hauptnavigation",
	NavHome:       "Übersicht",
	Version:       "Version",

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
	ServerError: ErrorText{
		Title: "Etwas ist schiefgelaufen",
		Text:  "Der Server konnte Ihre Anfrage nicht ausführen. Versuchen Sie es gleich noch einmal; wenn der Fehler bleibt, nennen Sie Ihrer Administratorin oder Ihrem Administrator die Anfrage-ID unten.",
	},
	RequestID: "Anfrage-ID",
	BackHome:  "Zurück zur Übersicht",
}
