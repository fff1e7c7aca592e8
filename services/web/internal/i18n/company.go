package i18n

// CompanyText is the company profile page (Settings, Company; admin).
type CompanyText struct {
	Title string
	Lead  string
	// Missing heads the list of what a QR bill still needs.
	Missing     string
	MissingHint string
	Complete    string

	SectionCompany     string
	SectionCompanyHint string
	Name               string
	Street             string
	BuildingNumber     string
	PostalCode         string
	Town               string
	Country            string
	CountryHint        string

	SectionBank string
	VATNumber   string
	VATHint     string
	IBAN        string
	IBANHint    string
	BankName    string

	SectionInvoices  string
	PaymentTerms     string
	PaymentTermsHint string
	TermsWhole       string
	Footer           string
	FooterHint       string
	InvoicePrefix    string
	CreditPrefix     string
	PrefixHint       string
	Currency         string
	DepositsTaxable  string
	DepositsHint     string
	Save             string
	Saved            string

	Logo         string
	LogoHint     string
	LogoNone     string
	LogoAlt      string
	LogoFile     string
	LogoUpload   string
	LogoUploaded string
	LogoNoFile   string
	// LogoTooLarge says how large a file may be: {size}.
	LogoTooLarge string
	LogoRemove   string
	LogoRemoved  string

	// APIFields translates the api's field codes for these forms.
	APIFields map[string]string
}

// Company returns the company profile texts in lang.
func Company(lang Lang) *CompanyText { return pick(lang, &companyEN, &companyDE) }

var companyEN = CompanyText{
	Title:       "Company profile",
	Lead:        "Who sells, where customers pay and how invoices look. Every invoice and delivery note prints this.",
	Missing:     "Invoices with a QR bill cannot be issued until these are filled in:",
	MissingHint: "The QR bill needs the company's name, postal code, town, country and account.",
	Complete:    "Complete: invoices can carry a QR bill.",

	SectionCompany:     "Company and address",
	SectionCompanyHint: "Printed as the creditor on the QR bill: Latin letters, digits and common signs only.",
	Name:               "Company name",
	Street:             "Street",
	BuildingNumber:     "Building number",
	PostalCode:         "Postal code",
	Town:               "Town",
	Country:            "Country",
	CountryHint:        "Two letters, such as CH.",

	SectionBank: "Tax number and bank",
	VATNumber:   "UID / VAT number",
	VATHint:     "Such as CHE-123.456.789 MWST. Leave empty if the company has none.",
	IBAN:        "IBAN or QR-IBAN",
	IBANHint:    "A Swiss or Liechtenstein account, with or without spaces. With a QR-IBAN, invoices carry a QR reference.",
	BankName:    "Bank",

	SectionInvoices:  "Invoices",
	PaymentTerms:     "Payment terms (days)",
	PaymentTermsHint: "Days from the invoice date to the due date, 0 to 365.",
	TermsWhole:       "Enter a whole number of days, such as 30.",
	Footer:           "Invoice footer",
	FooterHint:       "Printed at the foot of every invoice; may have several lines.",
	InvoicePrefix:    "Invoice number prefix",
	CreditPrefix:     "Credit note number prefix",
	PrefixHint:       "One to six letters A to Z.",
	Currency:         "Currency",
	DepositsTaxable:  "Deposits carry VAT",
	DepositsHint:     "Off: deposit lines are charged without VAT (the usual case).",
	Save:             "Save profile",
	Saved:            "The company profile was saved.",

	Logo:         "Logo",
	LogoHint:     "A PNG, JPEG or WebP picture; it replaces the current logo.",
	LogoNone:     "No logo yet.",
	LogoAlt:      "Company logo",
	LogoFile:     "Picture file",
	LogoUpload:   "Upload logo",
	LogoUploaded: "The logo was replaced.",
	LogoNoFile:   "Choose a picture file.",
	LogoTooLarge: "This file is too large: a logo may have at most {size}.",
	LogoRemove:   "Remove logo",
	LogoRemoved:  "The logo was removed; documents are printed without one.",

	APIFields: map[string]string{
		"required/file":                     "Choose a picture file.",
		"too_large/file":                    "This file is too large: at most {max} bytes.",
		"invalid_format/invoice_prefix":     "Use one to six letters A to Z.",
		"invalid_format/credit_note_prefix": "Use one to six letters A to Z.",
		"must_differ/credit_note_prefix":    "Use another prefix than for invoices.",
		"not_allowed/currency":              "Choose CHF or EUR.",
	},
}

var companyDE = CompanyText{
	Title:       "Firmenprofil",
	Lead:        "Wer verkauft, wohin Kunden zahlen und wie Rechnungen aussehen. Jede Rechnung und jeder Lieferschein druckt diese Angaben.",
	Missing:     "Rechnungen mit QR-Einzahlungsschein können erst ausgestellt werden, wenn diese Angaben ausgefüllt sind:",
	MissingHint: "Der QR-Einzahlungsschein braucht Firmenname, Postleitzahl, Ort, Land und Konto.",
	Complete:    "Vollständig: Rechnungen können einen QR-Einzahlungsschein tragen.",

	SectionCompany:     "Firma und Adresse",
	SectionCompanyHint: "Wird als Zahlungsempfänger auf den QR-Einzahlungsschein gedruckt: nur lateinische Buchstaben, Ziffern und übliche Zeichen.",
	Name:               "Firmenname",
	Street:             "Strasse",
	BuildingNumber:     "Hausnummer",
	PostalCode:         "Postleitzahl",
	Town:               "Ort",
	Country:            "Land",
	CountryHint:        "Zwei Buchstaben, z. B. CH.",

	SectionBank: "Steuernummer und Bank",
	VATNumber:   "UID- / MWST-Nummer",
	VATHint:     "Z. B. CHE-123.456.789 MWST. Leer lassen, wenn die Firma keine hat.",
	IBAN:        "IBAN oder QR-IBAN",
	IBANHint:    "Ein Schweizer oder Liechtensteiner Konto, mit oder ohne Leerzeichen. Mit einer QR-IBAN tragen Rechnungen eine QR-Referenz.",
	BankName:    "Bank",

	SectionInvoices:  "Rechnungen",
	PaymentTerms:     "Zahlungsfrist (Tage)",
	PaymentTermsHint: "Tage vom Rechnungsdatum bis zur Fälligkeit, 0 bis 365.",
	TermsWhole:       "Geben Sie eine ganze Zahl von Tagen ein, z. B. 30.",
	Footer:           "Fusszeile der Rechnung",
	FooterHint:       "Steht am Fuss jeder Rechnung; darf mehrere Zeilen haben.",
	InvoicePrefix:    "Präfix der Rechnungsnummer",
	CreditPrefix:     "Präfix der Gutschriftsnummer",
	PrefixHint:       "Ein bis sechs Buchstaben A bis Z.",
	Currency:         "Währung",
	DepositsTaxable:  "Depot ist MWST-pflichtig",
	DepositsHint:     "Aus: Depotzeilen werden ohne MWST verrechnet (der übliche Fall).",
	Save:             "Profil speichern",
	Saved:            "Das Firmenprofil wurde gespeichert.",

	Logo:         "Logo",
	LogoHint:     "Ein Bild als PNG, JPEG oder WebP; es ersetzt das bisherige Logo.",
	LogoNone:     "Noch kein Logo.",
	LogoAlt:      "Firmenlogo",
	LogoFile:     "Bilddatei",
	LogoUpload:   "Logo hochladen",
	LogoUploaded: "Das Logo wurde ersetzt.",
	LogoNoFile:   "Wählen Sie eine Bilddatei.",
	LogoTooLarge: "Diese Datei ist zu gross: Ein Logo darf höchstens {size} haben.",
	LogoRemove:   "Logo entfernen",
	LogoRemoved:  "Das Logo wurde entfernt; Dokumente werden ohne Logo gedruckt.",

	APIFields: map[string]string{
		"required/file":                     "Wählen Sie eine Bilddatei.",
		"too_large/file":                    "Diese Datei ist zu gross: höchstens {max} Bytes.",
		"invalid_format/invoice_prefix":     "Verwenden Sie ein bis sechs Buchstaben A bis Z.",
		"invalid_format/credit_note_prefix": "Verwenden Sie ein bis sechs Buchstaben A bis Z.",
		"must_differ/credit_note_prefix":    "Verwenden Sie ein anderes Präfix als für Rechnungen.",
		"not_allowed/currency":              "Wählen Sie CHF oder EUR.",
	},
}
