package i18n

// ProfileText is the profile page: details, password, sessions, API tokens.
type ProfileText struct {
	Title string
	Lead  string

	DetailsHeading string
	Name           string
	Email          string
	Role           string
	Language       string
	SaveDetails    string
	DetailsSaved   string

	PasswordHeading string
	PasswordLead    string
	CurrentPassword string
	NewPassword     string
	RepeatPassword  string
	PasswordHint    string
	ChangePassword  string
	PasswordsDiffer string
	PasswordChanged string

	SessionsHeading string
	SessionsLead    string
	SessionDevice   string
	SessionAddress  string
	SessionCreated  string
	SessionLastUsed string
	SessionExpires  string
	ThisSession     string
	UnknownDevice   string
	// DeviceName names a session's device from its browser and system:
	// "{browser} on {system}"; UnknownBrowser stands for a browser the
	// page cannot tell.
	DeviceName     string
	UnknownBrowser string
	// DeviceRaw is the tooltip with the browser's own description: "{ua}".
	DeviceRaw       string
	RevokeSession   string
	RevokeOthers    string
	NoOtherSessions string
	SessionRevoked  string
	// OthersRevoked is "{n} other sessions were signed out."
	OthersRevoked string

	TokensHeading string
	TokensLead    string
	TokenName     string
	TokenScope    string
	TokenPrefix   string
	TokenExpires  string
	TokenLastUsed string
	TokenCreated  string
	NeverUsed     string
	NoTokens      string
	ScopeRead     string
	ScopeWrite    string
	TokenValidity string
	// Days is "{n} days", for the validity choices.
	Days            string
	CreateToken     string
	NewTokenHeading string
	// NewTokenLead names the token: "Your new token «{name}»…".
	NewTokenLead  string
	NewTokenLabel string
	Copy          string
	Copied        string
	RevokeToken   string
	// RevokeTokenConfirm asks before revoking: "Revoke «{name}»?…".
	RevokeTokenConfirm string
	RevokeTokenNow     string
	TokenRevoked       string

	// APIFields translates the api's field codes for these forms, among
	// them the password policy's (see Messages.FieldProblem).
	APIFields map[string]string
}

// Profile returns the profile texts of lang.
func Profile(lang Lang) *ProfileText { return pick(lang, &profileEN, &profileDE) }

var profileEN = ProfileText{
	Title: "Profile",
	Lead:  "Your details, your password, where you are signed in, and your API tokens.",

	DetailsHeading: "Your details",
	Name:           "Name",
	Email:          "Email",
	Role:           "Role",
	Language:       "Language",
	SaveDetails:    "Save details",
	DetailsSaved:   "Your details are saved.",

	PasswordHeading: "Password",
	PasswordLead:    "Changing the password signs you out everywhere else.",
	CurrentPassword: "Current password",
	NewPassword:     "New password",
	RepeatPassword:  "Repeat the new password",
	PasswordHint:    "At least 10 characters; not a common password, and not your name or email.",
	ChangePassword:  "Change password",
	PasswordsDiffer: "The two new passwords differ.",
	PasswordChanged: "Your password is changed. Your other sessions are signed out.",

	SessionsHeading: "Sessions",
	SessionsLead:    "Where you are signed in. Sign out a device you do not recognise.",
	SessionDevice:   "Device",
	SessionAddress:  "Address",
	SessionCreated:  "Signed in",
	SessionLastUsed: "Last active",
	SessionExpires:  "Ends",
	ThisSession:     "this session",
	UnknownDevice:   "unknown device",
	DeviceName:      "{browser} on {system}",
	UnknownBrowser:  "A program",
	DeviceRaw:       "The browser describes itself as: {ua}",
	RevokeSession:   "Sign out",
	RevokeOthers:    "Sign out everywhere else",
	NoOtherSessions: "You are not signed in anywhere else.",
	SessionRevoked:  "The session is signed out.",
	OthersRevoked:   "{n} other sessions are signed out.",

	TokensHeading:      "API tokens",
	TokensLead:         "Personal tokens let other programs use the API in your name. Give each one a name and the least access it needs.",
	TokenName:          "Name",
	TokenScope:         "Access",
	TokenPrefix:        "Begins with",
	TokenExpires:       "Expires",
	TokenLastUsed:      "Last used",
	TokenCreated:       "Created",
	NeverUsed:          "never",
	NoTokens:           "You have no API tokens.",
	ScopeRead:          "Read only",
	ScopeWrite:         "Read and write",
	TokenValidity:      "Valid for",
	Days:               "{n} days",
	CreateToken:        "Create token",
	NewTokenHeading:    "Your new token",
	NewTokenLead:       "Copy the token «{name}» now and keep it safe: it is shown only this once.",
	NewTokenLabel:      "Token",
	Copy:               "Copy",
	Copied:             "Copied",
	RevokeToken:        "Revoke…",
	RevokeTokenConfirm: "Revoke «{name}»? Programs that use it stop working at once.",
	RevokeTokenNow:     "Revoke now",
	TokenRevoked:       "The token is revoked.",

	APIFields: map[string]string{
		"too_short/new_password":      "Use at least {min} characters.",
		"too_long/new_password":       "This password is too long.",
		"too_many_bytes/new_password": "This password is too long.",
		"too_short/password":          "Use at least {min} characters.",
		"too_many_bytes/password":     "This password is too long.",
		"password_personal":           "The password must not contain your name or email.",
	},
}

var profileDE = ProfileText{
	Title: "Profil",
	Lead:  "Ihre Angaben, Ihr Passwort, wo Sie angemeldet sind, und Ihre API-Tokens.",

	DetailsHeading: "Ihre Angaben",
	Name:           "Name",
	Email:          "E-Mail",
	Role:           "Rolle",
	Language:       "Sprache",
	SaveDetails:    "Angaben speichern",
	DetailsSaved:   "Ihre Angaben sind gespeichert.",

	PasswordHeading: "Passwort",
	PasswordLead:    "Wenn Sie das Passwort ändern, werden Sie überall sonst abgemeldet.",
	CurrentPassword: "Aktuelles Passwort",
	NewPassword:     "Neues Passwort",
	RepeatPassword:  "Neues Passwort wiederholen",
	PasswordHint:    "Mindestens 10 Zeichen; kein verbreitetes Passwort und nicht Ihr Name oder Ihre E-Mail.",
	ChangePassword:  "Passwort ändern",
	PasswordsDiffer: "Die beiden neuen Passwörter stimmen nicht überein.",
	PasswordChanged: "Ihr Passwort ist geändert. Ihre anderen Sitzungen sind abgemeldet.",

	SessionsHeading: "Sitzungen",
	SessionsLead:    "Wo Sie angemeldet sind. Melden Sie Geräte ab, die Sie nicht kennen.",
	SessionDevice:   "Gerät",
	SessionAddress:  "Adresse",
	SessionCreated:  "Angemeldet",
	SessionLastUsed: "Zuletzt aktiv",
	SessionExpires:  "Endet",
	ThisSession:     "diese Sitzung",
	UnknownDevice:   "unbekanntes Gerät",
	DeviceName:      "{browser} auf {system}",
	UnknownBrowser:  "Ein Programm",
	DeviceRaw:       "Der Browser beschreibt sich als: {ua}",
	RevokeSession:   "Abmelden",
	RevokeOthers:    "Überall sonst abmelden",
	NoOtherSessions: "Sie sind nirgends sonst angemeldet.",
	SessionRevoked:  "Die Sitzung ist abgemeldet.",
	OthersRevoked:   "{n} andere Sitzungen sind abgemeldet.",

	TokensHeading:      "API-Tokens",
	TokensLead:         "Mit persönlichen Tokens nutzen andere Programme die API in Ihrem Namen. Geben Sie jedem einen Namen und nur den Zugriff, den es braucht.",
	TokenName:          "Name",
	TokenScope:         "Zugriff",
	TokenPrefix:        "Beginnt mit",
	TokenExpires:       "Läuft ab",
	TokenLastUsed:      "Zuletzt verwendet",
	TokenCreated:       "Erstellt",
	NeverUsed:          "nie",
	NoTokens:           "Sie haben keine API-Tokens.",
	ScopeRead:          "Nur lesen",
	ScopeWrite:         "Lesen und schreiben",
	TokenValidity:      "Gültig für",
	Days:               "{n} Tage",
	CreateToken:        "Token erstellen",
	NewTokenHeading:    "Ihr neues Token",
	NewTokenLead:       "Kopieren Sie das Token «{name}» jetzt und bewahren Sie es sicher auf: Es wird nur dieses eine Mal angezeigt.",
	NewTokenLabel:      "Token",
	Copy:               "Kopieren",
	Copied:             "Kopiert",
	RevokeToken:        "Widerrufen…",
	RevokeTokenConfirm: "«{name}» widerrufen? Programme, die es verwenden, funktionieren sofort nicht mehr.",
	RevokeTokenNow:     "Jetzt widerrufen",
	TokenRevoked:       "Das Token ist widerrufen.",

	APIFields: map[string]string{
		"too_short/new_password":      "Verwenden Sie mindestens {min} Zeichen.",
		"too_long/new_password":       "Dieses Passwort ist zu lang.",
		"too_many_bytes/new_password": "Dieses Passwort ist zu lang.",
		"too_short/password":          "Verwenden Sie mindestens {min} Zeichen.",
		"too_many_bytes/password":     "Dieses Passwort ist zu lang.",
		"password_personal":           "Das Passwort darf weder Ihren Namen noch Ihre E-Mail enthalten.",
	},
}
