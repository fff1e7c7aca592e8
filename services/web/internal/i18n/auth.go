package i18n

// AuthText is the sign-in page and the sign-out message.
type AuthText struct {
	Title    string
	Lead     string
	NextLead string // shown when the visitor was sent here from another page
	Email    string
	Password string
	Submit   string
	Wrong    string
	// Throttled is "try again in {n} s", {n} from the api's Retry-After.
	Throttled    string
	SignedOut    string
	SessionEnded string
	APIFields    map[string]string
}

// Auth returns the sign-in texts of lang.
func Auth(lang Lang) *AuthText { return pick(lang, &authEN, &authDE) }

var authEN = AuthText{
	Title:        "Sign in",
	Lead:         "Sign in with your email address and password.",
	NextLead:     "Please sign in to continue.",
	Email:        "Email",
	Password:     "Password",
	Submit:       "Sign in",
	Wrong:        "Email or password is wrong.",
	Throttled:    "Too many failed attempts. Try again in {n} s.",
	SignedOut:    "You are signed out.",
	SessionEnded: "Your session has ended. Please sign in again.",
	APIFields: map[string]string{
		"required": "Enter this to sign in.",
	},
}

var authDE = AuthText{
	Title:        "Anmelden",
	Lead:         "Melden Sie sich mit Ihrer E-Mail-Adresse und Ihrem Passwort an.",
	NextLead:     "Bitte melden Sie sich an, um fortzufahren.",
	Email:        "E-Mail",
	Password:     "Passwort",
	Submit:       "Anmelden",
	Wrong:        "E-Mail oder Passwort ist falsch.",
	Throttled:    "Zu viele Fehlversuche. Versuchen Sie es in {n} s erneut.",
	SignedOut:    "Sie sind abgemeldet.",
	SessionEnded: "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.",
	APIFields: map[string]string{
		"required": "Für die Anmeldung erforderlich.",
	},
}
