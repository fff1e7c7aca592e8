package qrslip

// Language of the slip's printed texts.
type Language string

// Languages of the slip. The style guide also has French, Italian and
// Romansh; Depotix speaks German and English.
const (
	German  Language = "de"
	English Language = "en"
)

// texts are the style guide's fixed wordings of one language.
type texts struct {
	receipt, paymentPart      string
	account, reference        string
	additionalInfo            string
	payableBy, payableByBlank string
	currency, amount          string
	acceptancePoint, separate string
}

var german = texts{
	receipt:         "Empfangsschein",
	paymentPart:     "Zahlteil",
	account:         "Konto / Zahlbar an",
	reference:       "Referenz",
	additionalInfo:  "Zusätzliche Informationen",
	payableBy:       "Zahlbar durch",
	payableByBlank:  "Zahlbar durch (Name/Adresse)",
	currency:        "Währung",
	amount:          "Betrag",
	acceptancePoint: "Annahmestelle",
	separate:        "Vor der Einzahlung abzutrennen",
}

var english = texts{
	receipt:         "Receipt",
	paymentPart:     "Payment part",
	account:         "Account / Payable to",
	reference:       "Reference",
	additionalInfo:  "Additional information",
	payableBy:       "Payable by",
	payableByBlank:  "Payable by (name/address)",
	currency:        "Currency",
	amount:          "Amount",
	acceptancePoint: "Acceptance point",
	separate:        "Separate before paying in",
}

// textsOf returns the wordings of l; German unless English is asked for.
func textsOf(l Language) texts {
	if l == English {
		return english
	}
	return german
}
