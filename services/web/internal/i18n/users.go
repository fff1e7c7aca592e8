package i18n

// UsersText is the people pages (admin): the list, a new person, and one
// person with their details, role, state and password.
type UsersText struct {
	Title     string
	Lead      string
	NewPerson string

	// The list and its filter.
	Search      string
	SearchHint  string
	Role        string
	AnyRole     string
	State       string
	AnyState    string
	Active      string
	Disabled    string
	Filter      string
	ClearFilter string
	NoPeople    string
	Name        string
	Email       string
	Language    string
	// LanguageFromBrowser is the language choice "none yet": the person's
	// first sign-in sets their browser's.
	LanguageFromBrowser string
	LastSignIn          string
	NeverSignedIn       string
	Since               string
	You                 string

	// A new person.
	NewTitle        string
	NewLead         string
	InitialPassword string
	RepeatPassword  string
	PasswordHint    string
	Create          string
	// CreatedFlash is shown after creating: "{name} can now sign in…".
	CreatedFlash    string
	PasswordsDiffer string

	// One person.
	DetailsHeading string
	SaveDetails    string
	DetailsSaved   string
	OwnRoleNote    string

	StateHeading string
	DisableLead  string
	Disable      string
	// DisableConfirm asks before disabling: "Disable {name}? …".
	DisableConfirm string
	DisableNow     string
	DisabledFlash  string
	EnableLead     string
	Enable         string
	EnabledFlash   string
	OwnStateNote   string

	PasswordHeading string
	PasswordLead    string
	NewPassword     string
	SetPassword     string
	PasswordSet     string

	HistoryLink string // the audit trail of this person's record
	ActionsLink string // what this person did
	BackToList  string

	// APIFields translates the api's field codes for these forms, among
	// them the password policy's (see Messages.FieldProblem).
	APIFields map[string]string
}

// Users returns the people pages' texts of lang.
func Users(lang Lang) *UsersText { return pick(lang, &usersEN, &usersDE) }

var usersEN = UsersText{
	Title:     "Users",
	Lead:      "The people who may sign in, and what their role allows them.",
	NewPerson: "Add a person",

	Search:              "Search",
	SearchHint:          "Name or email",
	Role:                "Role",
	AnyRole:             "Every role",
	State:               "State",
	AnyState:            "Active and disabled",
	Active:              "Active",
	Disabled:            "Disabled",
	Filter:              "Show",
	ClearFilter:         "Show everyone",
	NoPeople:            "Nobody matches.",
	Name:                "Name",
	Email:               "Email",
	Language:            "Language",
	LanguageFromBrowser: "As their browser, at the first sign-in",
	LastSignIn:          "Last sign-in",
	NeverSignedIn:       "never",
	Since:               "Added",
	You:                 "you",

	NewTitle:        "Add a person",
	NewLead:         "The person signs in with this email and the initial password; tell them the password in person and ask them to change it in their profile.",
	InitialPassword: "Initial password",
	RepeatPassword:  "Repeat the password",
	PasswordHint:    "At least 10 characters; not a common password, and not the person's name or email.",
	Create:          "Add person",
	CreatedFlash:    "{name} is added and can sign in now.",
	PasswordsDiffer: "The two passwords differ.",

	DetailsHeading: "Details and role",
	SaveDetails:    "Save",
	DetailsSaved:   "The changes are saved. A new role applies at once.",
	OwnRoleNote:    "You cannot change your own role: another administrator can.",

	StateHeading:   "Access",
	DisableLead:    "A disabled person cannot sign in, and their sessions and API tokens stop working at once. Their records stay.",
	Disable:        "Disable…",
	DisableConfirm: "Disable {name}? They are signed out everywhere at once.",
	DisableNow:     "Disable now",
	DisabledFlash:  "{name} is disabled and signed out everywhere.",
	EnableLead:     "This person is disabled and cannot sign in.",
	Enable:         "Enable again",
	EnabledFlash:   "{name} can sign in again.",
	OwnStateNote:   "You cannot disable yourself.",

	PasswordHeading: "Password",
	PasswordLead:    "Set a new password when the person has forgotten theirs. Their sessions end.",
	NewPassword:     "New password",
	SetPassword:     "Set password",
	PasswordSet:     "The new password is set; {name} is signed out everywhere.",

	HistoryLink: "Changes to this person",
	ActionsLink: "What this person did",
	BackToList:  "All users",

	APIFields: map[string]string{
		"invalid_email":           "Enter an email address, such as name@example.ch.",
		"taken/email":             "Someone already has this email address.",
		"not_allowed/role":        "Choose a role.",
		"too_short/password":      "Use at least {min} characters.",
		"too_long/password":       "This password is too long.",
		"too_many_bytes/password": "This password is too long.",
	},
}

var usersDE = UsersText{
	Title:     "Benutzer",
	Lead:      "Die Personen, die sich anmelden dürfen, und was ihre Rolle ihnen erlaubt.",
	NewPerson: "Person hinzufügen",

	Search:              "Suche",
	SearchHint:          "Name oder E-Mail",
	Role:                "Rolle",
	AnyRole:             "Alle Rollen",
	State:               "Zustand",
	AnyState:            "Aktive und gesperrte",
	Active:              "Aktiv",
	Disabled:            "Gesperrt",
	Filter:              "Anzeigen",
	ClearFilter:         "Alle anzeigen",
	NoPeople:            "Niemand passt.",
	Name:                "Name",
	Email:               "E-Mail",
	Language:            "Sprache",
	LanguageFromBrowser: "Wie ihr Browser, bei der ersten Anmeldung",
	LastSignIn:          "Letzte Anmeldung",
	NeverSignedIn:       "nie",
	Since:               "Hinzugefügt",
	You:                 "Sie",

	NewTitle:        "Person hinzufügen",
	NewLead:         "Die Person meldet sich mit dieser E-Mail und dem ersten Passwort an; sagen Sie ihr das Passwort persönlich und bitten Sie sie, es im Profil zu ändern.",
	InitialPassword: "Erstes Passwort",
	RepeatPassword:  "Passwort wiederholen",
	PasswordHint:    "Mindestens 10 Zeichen; kein verbreitetes Passwort und nicht der Name oder die E-Mail der Person.",
	Create:          "Person hinzufügen",
	CreatedFlash:    "{name} ist hinzugefügt und kann sich jetzt anmelden.",
	PasswordsDiffer: "Die beiden Passwörter stimmen nicht überein.",

	DetailsHeading: "Angaben und Rolle",
	SaveDetails:    "Speichern",
	DetailsSaved:   "Die Änderungen sind gespeichert. Eine neue Rolle gilt sofort.",
	OwnRoleNote:    "Ihre eigene Rolle können Sie nicht ändern: Das kann eine andere Administratorin oder ein anderer Administrator.",

	StateHeading:   "Zugang",
	DisableLead:    "Eine gesperrte Person kann sich nicht anmelden, und ihre Sitzungen und API-Tokens funktionieren sofort nicht mehr. Ihre Daten bleiben.",
	Disable:        "Sperren…",
	DisableConfirm: "{name} sperren? Die Person wird sofort überall abgemeldet.",
	DisableNow:     "Jetzt sperren",
	DisabledFlash:  "{name} ist gesperrt und überall abgemeldet.",
	EnableLead:     "Diese Person ist gesperrt und kann sich nicht anmelden.",
	Enable:         "Wieder freigeben",
	EnabledFlash:   "{name} kann sich wieder anmelden.",
	OwnStateNote:   "Sich selbst können Sie nicht sperren.",

	PasswordHeading: "Passwort",
	PasswordLead:    "Setzen Sie ein neues Passwort, wenn die Person ihres vergessen hat. Ihre Sitzungen enden.",
	NewPassword:     "Neues Passwort",
	SetPassword:     "Passwort setzen",
	PasswordSet:     "Das neue Passwort ist gesetzt; {name} ist überall abgemeldet.",

	HistoryLink: "Änderungen an dieser Person",
	ActionsLink: "Was diese Person getan hat",
	BackToList:  "Alle Benutzer",

	APIFields: map[string]string{
		"invalid_email":           "Geben Sie eine E-Mail-Adresse ein, etwa name@example.ch.",
		"taken/email":             "Jemand hat diese E-Mail-Adresse schon.",
		"not_allowed/role":        "Wählen Sie eine Rolle.",
		"too_short/password":      "Verwenden Sie mindestens {min} Zeichen.",
		"too_long/password":       "Dieses Passwort ist zu lang.",
		"too_many_bytes/password": "Dieses Passwort ist zu lang.",
	},
}
