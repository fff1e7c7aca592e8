package qrbill

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The guideline's published examples (IG QR-bill, appendix): a QR-IBAN
// with a QR reference, and an IBAN with a creditor reference. The tests
// below recompute their check digits rather than trusting them.
const (
	exampleQRIBAN = "CH4431999123000889012"
	exampleQRR    = "210000000003139471430009017"
	exampleIBAN   = "CH5800791123000889012"
	exampleSCOR   = "RF18539007547034"
)

func TestIBAN(t *testing.T) {
	tests := []struct {
		iban   string
		reason string // "" when valid
		qr     bool
	}{
		{exampleQRIBAN, "", true},
		{exampleIBAN, "", false},
		{"CH9300762011623852957", "", false}, // a widely published Swiss IBAN
		{"LI21088100002324013AA", "", false}, // Liechtenstein, letters in the account
		{"CH4431999123000889013", "checksum", true},
		{"CH4331999123000889012", "checksum", true},
		{"CH443199912300088901", "length", false},
		{"CH44319991230008890123", "length", false},
		{"DE4431999123000889012", "country", false},
		{"ch4431999123000889012", "country", false},
		{"CH44 3199912300088901", "characters", false},
		{"CH44319A9123000889012", "characters", false},
		{"CH44319991230008890a2", "characters", false},
		{"", "length", false},
	}
	for _, tt := range tests {
		if got := checkIBAN(tt.iban); got != tt.reason {
			t.Errorf("checkIBAN(%q) = %q, want %q", tt.iban, got, tt.reason)
		}
		if got := IsQRIBAN(tt.iban); got != (tt.qr && tt.reason == "") {
			t.Errorf("IsQRIBAN(%q) = %v", tt.iban, got)
		}
	}
}

// QR-IBAN detection is by the institution id 30000–31999, at its edges.
func TestQRIBANRange(t *testing.T) {
	for iid, want := range map[string]bool{"29999": false, "30000": true, "31999": true, "32000": false} {
		iban := withIBANCheck("CH00" + iid + "123000889012")
		if !ValidIBAN(iban) {
			t.Fatalf("built IBAN %s invalid", iban)
		}
		if got := IsQRIBAN(iban); got != want {
			t.Errorf("IsQRIBAN(%s) = %v, want %v", iban, got, want)
		}
	}
}

// withIBANCheck replaces the IBAN's check digits "00" with correct ones.
func withIBANCheck(iban string) string {
	rem, _ := mod97(iban[4:] + iban[:2] + "00")
	d := 98 - rem
	return iban[:2] + string(rune('0'+d/10)) + string(rune('0'+d%10)) + iban[4:]
}

func TestQRR(t *testing.T) {
	if got := mod10Check(exampleQRR[:26]); got != exampleQRR[26] {
		t.Fatalf("check digit of the guideline's QRR = %c, want %c", got, exampleQRR[26])
	}
	tests := []struct{ ref, reason string }{
		{exampleQRR, ""},
		{"000000000000000000000000011", ""}, // 1 → check digit 1
		{"210000000003139471430009016", "checksum"},
		{"210000000003139471430009071", "checksum"}, // two digits swapped
		{"21000000000313947143000901", "length"},
		{"2100000000031394714300090170", "length"},
		{"21000000000313947143000901A", "characters"},
		{"RF18539007547034", "length"},
		{"000000000000000000000000000", "zero"},
	}
	for _, tt := range tests {
		if got := checkQRR(tt.ref); got != tt.reason {
			t.Errorf("checkQRR(%q) = %q, want %q", tt.ref, got, tt.reason)
		}
	}
	if got := FormatQRR(exampleQRR); got != "21 00000 00003 13947 14300 09017" {
		t.Errorf("FormatQRR = %q", got)
	}
}

func TestBuildQRR(t *testing.T) {
	tests := []struct {
		customer, invoice uint64
		want              string
	}{
		{42, 20260001, "000000004200000000202600013"},
		{9_999_999_999, 9_999_999_999_999_999, "999999999999999999999999990"},
		{0, 1, "000000000000000000000000011"},
	}
	for _, tt := range tests {
		got, err := BuildQRR(tt.customer, tt.invoice)
		if err != nil {
			t.Fatalf("BuildQRR(%d, %d): %v", tt.customer, tt.invoice, err)
		}
		if got[:26] != tt.want[:26] {
			t.Errorf("BuildQRR(%d, %d) = %s, want body %s", tt.customer, tt.invoice, got, tt.want[:26])
		}
		if !ValidQRR(got) {
			t.Errorf("BuildQRR(%d, %d) = %s is not a valid QRR", tt.customer, tt.invoice, got)
		}
		c, i, ok := SplitQRR(got)
		if !ok || c != tt.customer || i != tt.invoice {
			t.Errorf("SplitQRR(%s) = %d, %d, %v", got, c, i, ok)
		}
	}
	for _, bad := range [][2]uint64{{10_000_000_000, 1}, {1, 10_000_000_000_000_000}, {0, 0}} {
		if ref, err := BuildQRR(bad[0], bad[1]); err == nil {
			t.Errorf("BuildQRR(%d, %d) = %s, want an error", bad[0], bad[1], ref)
		}
	}
}

func TestSCOR(t *testing.T) {
	built, err := BuildSCOR("539007547034")
	if err != nil || built != exampleSCOR {
		t.Fatalf("BuildSCOR of the guideline's example = %q, %v; want %s", built, err, exampleSCOR)
	}
	// ISO 11649's own example.
	if built, err := BuildSCOR("539007547034"); err != nil || built != "RF18539007547034" {
		t.Errorf("BuildSCOR = %q, %v", built, err)
	}
	if built, err := BuildSCOR("re20260042"); err != nil || !ValidSCOR(built) || !strings.HasSuffix(built, "RE20260042") {
		t.Errorf("BuildSCOR(lower case) = %q, %v", built, err)
	}
	for _, bad := range []string{"", "A-1", "1234567890123456789012", "Ä"} {
		if ref, err := BuildSCOR(bad); err == nil {
			t.Errorf("BuildSCOR(%q) = %s, want an error", bad, ref)
		}
	}
	tests := []struct{ ref, reason string }{
		{exampleSCOR, ""},
		{"RF471234567890123456789012A", "length"}, // 27 > 25
		{"RF57G", ""},                             // the shortest: one character,
		{"RF18539007547035", "checksum"},
		{"RF81539007547034", "checksum"},
		{"RF1", "length"},
		{"rf18539007547034", "characters"},
		{"XX18539007547034", "characters"},
		{"RF1853900754703-", "characters"},
	}
	for _, tt := range tests {
		if got := checkSCOR(tt.ref); got != tt.reason {
			t.Errorf("checkSCOR(%q) = %q, want %q", tt.ref, got, tt.reason)
		}
	}
	if got := FormatSCOR(exampleSCOR); got != "RF18 5390 0754 7034" {
		t.Errorf("FormatSCOR = %q", got)
	}
	if got := FormatIBAN(exampleQRIBAN); got != "CH44 3199 9123 0008 8901 2" {
		t.Errorf("FormatIBAN = %q", got)
	}
	if got := Compact(" ch44 3199 9123 0008 8901 2 "); got != exampleQRIBAN {
		t.Errorf("Compact = %q", got)
	}
}

func TestFormatAmount(t *testing.T) {
	for minor, want := range map[int64]string{
		0: "0.00", 5: "0.05", 100: "1.00", 194975: "1 949.75", 100000: "1 000.00",
		99_999_999_999: "999 999 999.99", 12345678: "123 456.78", -123456: "-1 234.56",
	} {
		if got := FormatAmount(minor); got != want {
			t.Errorf("FormatAmount(%d) = %q, want %q", minor, got, want)
		}
	}
}

func TestCharacterSet(t *testing.T) {
	in := []rune{' ', '~', 'a', 'Z', '\u00A0', 'ä', 'é', 'ÿ', 'Ā', 'Š', 'ž', 'ſ', 'Ș', 'ț', '€'}
	out := []rune{'\n', '\r', '\t', 0x1F, 0x7F, 0x9F, 0x180, 'ǅ', 0x217, 0x21C, 'Ω', '😀', 0x20AB, 0x20AD, '„'}
	for _, r := range in {
		if !InCharacterSet(r) {
			t.Errorf("%U refused, want accepted", r)
		}
	}
	for _, r := range out {
		if InCharacterSet(r) {
			t.Errorf("%U accepted, want refused", r)
		}
	}
}

// validBill is a bill every rule accepts: the guideline's QR-IBAN example.
func validBill() Bill {
	return Bill{
		Account: exampleQRIBAN,
		Creditor: Address{
			Name: "Robert Schneider AG", Street: "Rue du Lac", BuildingNumber: "1268",
			PostalCode: "2501", Town: "Biel", Country: "CH",
		},
		Amount: 194975, HasAmount: true, Currency: CHF,
		Debtor: &Address{
			Name: "Pia-Maria Rutschmann-Schnyder", Street: "Grosse Marktgasse", BuildingNumber: "28",
			PostalCode: "9400", Town: "Rorschach", Country: "CH",
		},
		ReferenceType:   QRR,
		Reference:       exampleQRR,
		Message:         "Auftrag vom 15.06.2020",
		BillInformation: "//S1/10/10201409/11/200701/20/140.000-53/30/102673831/31/200615/32/7.7/33/7.7:0/40/0:30",
	}
}

// The guideline's example 1 payload, as the standard prints it.
const examplePayload = "SPC\n0200\n1\nCH4431999123000889012\nS\nRobert Schneider AG\nRue du Lac\n1268\n2501\nBiel\nCH\n\n\n\n\n\n\n\n1949.75\nCHF\nS\nPia-Maria Rutschmann-Schnyder\nGrosse Marktgasse\n28\n9400\nRorschach\nCH\nQRR\n210000000003139471430009017\nAuftrag vom 15.06.2020\nEPD\n//S1/10/10201409/11/200701/20/140.000-53/30/102673831/31/200615/32/7.7/33/7.7:0/40/0:30"

func TestPayload(t *testing.T) {
	got, err := validBill().Payload()
	if err != nil {
		t.Fatal(err)
	}
	if got != examplePayload {
		t.Errorf("payload differs:\n%s", cmp.Diff(strings.Split(examplePayload, "\n"), strings.Split(got, "\n")))
	}
	parsed, err := Parse(strings.ReplaceAll(examplePayload, "\n", "\r\n"))
	if err != nil {
		t.Fatalf("Parse with CR LF: %v", err)
	}
	if d := cmp.Diff(validBill(), parsed); d != "" {
		t.Errorf("Parse: %s", d)
	}
}

func TestPayloadShapes(t *testing.T) {
	b := validBill()
	b.Account, b.ReferenceType, b.Reference = exampleIBAN, SCOR, exampleSCOR
	b.HasAmount, b.Amount, b.Debtor, b.Message, b.BillInformation = false, 0, nil, "", ""
	got, err := b.Payload()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(got, "\n")
	if len(lines) != 31 || lines[30] != "EPD" || strings.HasSuffix(got, "\n") {
		t.Fatalf("a bill without bill information ends at EPD with no separator: %q", got)
	}
	if lines[18] != "" || lines[19] != "CHF" || strings.Join(lines[20:27], "") != "" {
		t.Errorf("no amount and no debtor must leave their lines empty: %q", lines[18:27])
	}
	b.AlternativeSchemes = []string{"eBill/B/peter@sample.ch"}
	got, err = b.Payload()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(got, "\nEPD\n\neBill/B/peter@sample.ch") {
		t.Errorf("an alternative scheme follows an empty bill information line: %q", got)
	}
	back, err := Parse(got)
	if err != nil || cmp.Diff(b, back) != "" {
		t.Errorf("round trip: %v %s", err, cmp.Diff(b, back))
	}
}

func TestValidate(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	tests := []struct {
		name   string
		edit   func(*Bill)
		field  string
		code   Code
		params map[string]string
	}{
		{"creditor name too long", func(b *Bill) { b.Creditor.Name = long(71) }, "creditor.name", CodeTooLong, map[string]string{"max": "70"}},
		{"street too long", func(b *Bill) { b.Creditor.Street = long(71) }, "creditor.street", CodeTooLong, nil},
		{"building number too long", func(b *Bill) { b.Creditor.BuildingNumber = long(17) }, "creditor.building_number", CodeTooLong, map[string]string{"max": "16"}},
		{"postal code too long", func(b *Bill) { b.Creditor.PostalCode = long(17) }, "creditor.postal_code", CodeTooLong, nil},
		{"town too long", func(b *Bill) { b.Creditor.Town = long(36) }, "creditor.town", CodeTooLong, map[string]string{"max": "35"}},
		{"town counts characters, not bytes", func(b *Bill) { b.Creditor.Town = strings.Repeat("ü", 35) }, "", "", nil},
		{"name missing", func(b *Bill) { b.Creditor.Name = "" }, "creditor.name", CodeRequired, nil},
		{"postal code missing", func(b *Bill) { b.Creditor.PostalCode = "" }, "creditor.postal_code", CodeRequired, nil},
		{"town missing", func(b *Bill) { b.Creditor.Town = "" }, "creditor.town", CodeRequired, nil},
		{"country missing", func(b *Bill) { b.Creditor.Country = "" }, "creditor.country", CodeRequired, nil},
		{"country unknown", func(b *Bill) { b.Creditor.Country = "XY" }, "creditor.country", CodeInvalidCountry, nil},
		{"country lower case", func(b *Bill) { b.Creditor.Country = "ch" }, "creditor.country", CodeInvalidCountry, nil},
		{"country alpha-3", func(b *Bill) { b.Creditor.Country = "CHE" }, "creditor.country", CodeInvalidCountry, nil},
		{"country private use", func(b *Bill) { b.Creditor.Country = "ZZ" }, "creditor.country", CodeInvalidCountry, nil},
		{"street and number optional", func(b *Bill) { b.Creditor.Street, b.Creditor.BuildingNumber = "", "" }, "", "", nil},
		{"line break in a name", func(b *Bill) { b.Creditor.Name = "Robert\nSchneider" }, "creditor.name", CodeInvalidCharacter, map[string]string{"character": "\n", "position": "7"}},
		{"emoji in the debtor's town", func(b *Bill) { b.Debtor.Town = "Biel 😀" }, "debtor.town", CodeInvalidCharacter, map[string]string{"character": "😀", "position": "6"}},
		{"Greek in the message", func(b *Bill) { b.Message = "Ωmega" }, "message", CodeInvalidCharacter, nil},
		{"Romanian and euro accepted", func(b *Bill) { b.Debtor.Name = "Ștefan Țăranu €" }, "", "", nil},
		{"debtor name missing", func(b *Bill) { b.Debtor.Name = "" }, "debtor.name", CodeRequired, nil},
		{"no debtor", func(b *Bill) { b.Debtor = nil }, "", "", nil},
		{"account missing", func(b *Bill) { b.Account = "" }, "account", CodeRequired, nil},
		{"account checksum", func(b *Bill) { b.Account = "CH4431999123000889013" }, "account", CodeInvalidIBAN, map[string]string{"reason": "checksum"}},
		{"account foreign", func(b *Bill) { b.Account = "DE89370400440532013000" }, "account", CodeInvalidIBAN, map[string]string{"reason": "length"}},
		{"account with spaces", func(b *Bill) { b.Account = FormatIBAN(exampleQRIBAN) }, "account", CodeInvalidIBAN, nil},
		{"QR-IBAN with SCOR", func(b *Bill) { b.ReferenceType, b.Reference = SCOR, exampleSCOR }, "reference_type", CodeQRIBANNeedsQRR, nil},
		{"QR-IBAN with NON", func(b *Bill) { b.ReferenceType, b.Reference = NON, "" }, "reference_type", CodeQRIBANNeedsQRR, nil},
		{"IBAN with QRR", func(b *Bill) { b.Account = exampleIBAN }, "reference_type", CodeQRRNeedsQRIBAN, nil},
		{"IBAN with SCOR", func(b *Bill) { b.Account, b.ReferenceType, b.Reference = exampleIBAN, SCOR, exampleSCOR }, "", "", nil},
		{"IBAN with NON", func(b *Bill) { b.Account, b.ReferenceType, b.Reference = exampleIBAN, NON, "" }, "", "", nil},
		{"NON with a reference", func(b *Bill) { b.Account, b.ReferenceType = exampleIBAN, NON }, "reference", CodeMustBeEmpty, nil},
		{"QRR check digit", func(b *Bill) { b.Reference = "210000000003139471430009016" }, "reference", CodeInvalidReference, map[string]string{"reason": "checksum"}},
		{"QRR formatted", func(b *Bill) { b.Reference = FormatQRR(exampleQRR) }, "reference", CodeInvalidReference, map[string]string{"reason": "length"}},
		{"QRR missing", func(b *Bill) { b.Reference = "" }, "reference", CodeRequired, nil},
		{"SCOR check digits", func(b *Bill) { b.Account, b.ReferenceType, b.Reference = exampleIBAN, SCOR, "RF19539007547034" }, "reference", CodeInvalidReference, map[string]string{"reason": "checksum"}},
		{"SCOR missing", func(b *Bill) { b.Account, b.ReferenceType, b.Reference = exampleIBAN, SCOR, "" }, "reference", CodeRequired, nil},
		{"reference type unknown", func(b *Bill) { b.ReferenceType = "ESR" }, "reference_type", CodeNotAllowed, map[string]string{"allowed": "QRR,SCOR,NON"}},
		{"reference type missing", func(b *Bill) { b.ReferenceType = "" }, "reference_type", CodeRequired, nil},
		{"amount zero", func(b *Bill) { b.Amount = 0 }, "amount", CodeAmountRange, map[string]string{"min": "0.01", "max": "999999999.99"}},
		{"amount negative", func(b *Bill) { b.Amount = -5 }, "amount", CodeAmountRange, nil},
		{"amount too large", func(b *Bill) { b.Amount = MaxAmount + 1 }, "amount", CodeAmountRange, nil},
		{"amount smallest", func(b *Bill) { b.Amount = 1 }, "", "", nil},
		{"amount largest", func(b *Bill) { b.Amount = MaxAmount }, "", "", nil},
		{"amount left open", func(b *Bill) { b.HasAmount, b.Amount = false, 0 }, "", "", nil},
		{"currency USD", func(b *Bill) { b.Currency = "USD" }, "currency", CodeNotAllowed, map[string]string{"allowed": "CHF,EUR"}},
		{"currency missing", func(b *Bill) { b.Currency = "" }, "currency", CodeRequired, nil},
		{"currency EUR", func(b *Bill) { b.Currency = EUR }, "", "", nil},
		{"message too long", func(b *Bill) { b.Message, b.BillInformation = long(141), "" }, "message", CodeTooLong, map[string]string{"max": "140"}},
		{"message and bill information too long together", func(b *Bill) { b.Message = long(140 - len(b.BillInformation) + 1) }, "bill_information", CodeCombinedTooLong, map[string]string{"max": "140", "other": "message"}},
		{"message and bill information exactly 140", func(b *Bill) { b.Message = long(140 - len(b.BillInformation)) }, "", "", nil},
		{"three alternative schemes", func(b *Bill) { b.AlternativeSchemes = []string{"a", "b", "c"} }, "alternative_schemes", CodeTooMany, nil},
		{"empty alternative scheme", func(b *Bill) { b.AlternativeSchemes = []string{""} }, "alternative_schemes.0", CodeRequired, nil},
		{"alternative scheme too long", func(b *Bill) { b.AlternativeSchemes = []string{"a", long(101)} }, "alternative_schemes.1", CodeTooLong, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := validBill()
			tt.edit(&b)
			err := b.Validate()
			if tt.code == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			var qe *Error
			if !errors.As(err, &qe) {
				t.Fatalf("want *Error, got %v", err)
			}
			if len(qe.Problems) != 1 {
				t.Errorf("want one problem, got %v", qe)
			}
			p := qe.Problems[0]
			if p.Field != tt.field || p.Code != tt.code {
				t.Fatalf("got %v, want %s %s", qe, tt.field, tt.code)
			}
			for k, v := range tt.params {
				if p.Params[k] != v {
					t.Errorf("param %s = %q, want %q", k, p.Params[k], v)
				}
			}
			if _, err := b.Payload(); err == nil {
				t.Error("Payload of an invalid bill succeeded")
			}
		})
	}
}

// Validate reports every problem at once, not the first one.
func TestValidateAllProblems(t *testing.T) {
	b := Bill{Debtor: &Address{Name: strings.Repeat("n", 71)}, Amount: -1, HasAmount: true}
	err := b.Validate()
	var qe *Error
	if !errors.As(err, &qe) {
		t.Fatalf("want *Error, got %v", err)
	}
	for _, want := range []struct {
		field string
		code  Code
	}{
		{"account", CodeRequired}, {"creditor.name", CodeRequired}, {"creditor.postal_code", CodeRequired},
		{"creditor.town", CodeRequired}, {"creditor.country", CodeRequired}, {"amount", CodeAmountRange},
		{"currency", CodeRequired}, {"debtor.name", CodeTooLong}, {"debtor.town", CodeRequired},
		{"debtor.country", CodeRequired}, {"reference_type", CodeRequired},
	} {
		if !qe.Has(want.field, want.code) {
			t.Errorf("missing %s %s in %v", want.field, want.code, qe)
		}
	}
	if !strings.Contains(err.Error(), "debtor.name: too_long (max=70)") {
		t.Errorf("Error() = %s", err)
	}
}

func TestParseRefuses(t *testing.T) {
	lines := func() []string { return strings.Split(examplePayload, "\n") }
	tests := []struct {
		name  string
		edit  func([]string) []string
		field string
		code  Code
	}{
		{"too few lines", func(l []string) []string { return l[:30] }, "", CodeInvalidPayload},
		{"too many lines", func(l []string) []string { return append(l, "a", "b", "c") }, "", CodeInvalidPayload},
		{"wrong type", func(l []string) []string { l[0] = "SPX"; return l }, "", CodeInvalidPayload},
		{"version 0100", func(l []string) []string { l[1] = "0100"; return l }, "", CodeInvalidPayload},
		{"coding 2", func(l []string) []string { l[2] = "2"; return l }, "", CodeInvalidPayload},
		{"no trailer", func(l []string) []string { l[30] = "END"; return l }, "", CodeInvalidPayload},
		{"combined address", func(l []string) []string { l[4] = "K"; return l }, "creditor", CodeAddressType},
		{"ultimate creditor", func(l []string) []string { l[12] = "Someone"; return l }, "ultimate_creditor", CodeUltimateCreditor},
		{"amount with comma", func(l []string) []string { l[18] = "1949,75"; return l }, "amount", CodeInvalidAmount},
		{"amount with three decimals", func(l []string) []string { l[18] = "1949.750"; return l }, "amount", CodeInvalidAmount},
		{"amount negative", func(l []string) []string { l[18] = "-1.00"; return l }, "amount", CodeInvalidAmount},
		{"amount zero", func(l []string) []string { l[18] = "0.00"; return l }, "amount", CodeAmountRange},
		{"creditor empty", func(l []string) []string {
			for i := 4; i < 11; i++ {
				l[i] = ""
			}
			return l
		}, "creditor.name", CodeRequired},
		{"rule violation", func(l []string) []string { l[3] = exampleIBAN; return l }, "reference_type", CodeQRRNeedsQRIBAN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.Join(tt.edit(lines()), "\n"))
			var qe *Error
			if !errors.As(err, &qe) || !qe.Has(tt.field, tt.code) {
				t.Fatalf("got %v, want %q %s", err, tt.field, tt.code)
			}
		})
	}
	for _, ok := range []struct{ in, want string }{{"1949", "1949.00"}, {"1949.7", "1949.70"}, {"0.01", "0.01"}} {
		l := lines()
		l[18] = ok.in
		b, err := Parse(strings.Join(l, "\n"))
		if err != nil || payloadAmount(b.Amount) != ok.want {
			t.Errorf("Parse amount %q = %d, %v", ok.in, b.Amount, err)
		}
	}
}

// FuzzRoundTrip: every bill Validate accepts comes back equal from
// Parse(Payload(b)); every bill it refuses has no payload.
func FuzzRoundTrip(f *testing.F) {
	f.Add("Robert Schneider AG", "Rue du Lac", "1268", "2501", "Biel", "CH", "Pia-Maria", "CH", int64(194975), true, uint8(0), "Auftrag", "//S1/10/1", "")
	f.Add("Ștefan €", "", "", "9490", "Vaduz", "LI", "", "", int64(1), false, uint8(1), "", "", "eBill/B/x")
	f.Add("A\nB", "x", "y", "1", "T", "DE", "D", "FR", int64(-3), true, uint8(2), "m", "", "")
	f.Fuzz(func(t *testing.T, name, street, number, postal, town, country, debtorName, debtorCountry string,
		amount int64, hasAmount bool, refKind uint8, message, billInfo, alt string) {
		b := Bill{
			Creditor: Address{Name: name, Street: street, BuildingNumber: number, PostalCode: postal, Town: town, Country: country},
			Amount:   amount, HasAmount: hasAmount, Currency: CHF,
			Message: message, BillInformation: billInfo,
		}
		if !hasAmount {
			b.Amount = 0
		}
		if debtorName != "" {
			b.Debtor = &Address{Name: debtorName, PostalCode: postal, Town: town, Country: debtorCountry}
		}
		switch refKind % 3 {
		case 0:
			b.Account, b.ReferenceType, b.Reference = exampleQRIBAN, QRR, exampleQRR
		case 1:
			b.Account, b.ReferenceType, b.Reference = exampleIBAN, SCOR, exampleSCOR
			b.Currency = EUR
		default:
			b.Account, b.ReferenceType = exampleIBAN, NON
		}
		if alt != "" {
			b.AlternativeSchemes = []string{alt}
		}
		payload, err := b.Payload()
		if b.Validate() != nil {
			if err == nil {
				t.Fatal("Payload of an invalid bill succeeded")
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse(payload)
		if err != nil {
			t.Fatalf("Parse(Payload(b)): %v\n%q", err, payload)
		}
		if d := cmp.Diff(b, back); d != "" {
			t.Fatalf("round trip differs: %s", d)
		}
	})
}

// The whole payload must fit a version-25 code: 997 bytes, where € takes
// three and ž two, although every field is within its limit.
func TestPayloadBytes(t *testing.T) {
	euros := func(n int) string { return strings.Repeat("€", n) }
	b := validBill()
	b.BillInformation = ""
	b.Creditor.Name, b.Creditor.Street = euros(70), euros(70)
	b.Debtor.Name = euros(70)
	// Find a debtor street that leaves room for 1 to 140 ASCII characters
	// of message below the limit, then fill the limit exactly.
	var base int
	for k := 70; k >= 0; k-- {
		b.Debtor.Street, b.Message = euros(k), ""
		base = len(b.payload())
		if room := MaxPayloadBytes - base; room >= 1 && room <= MaxMessage {
			break
		}
	}
	b.Message = strings.Repeat("x", MaxPayloadBytes-base)
	payload, err := b.Payload()
	if err != nil || len(payload) != MaxPayloadBytes {
		t.Fatalf("a payload of exactly %d bytes: %d bytes, %v", MaxPayloadBytes, len(payload), err)
	}
	if back, err := Parse(payload); err != nil || cmp.Diff(b, back) != "" {
		t.Errorf("round trip at the limit: %v %s", err, cmp.Diff(b, back))
	}
	b.Message += "x"
	err = b.Validate()
	var qe *Error
	if !errors.As(err, &qe) || len(qe.Problems) != 1 || !qe.Has("payload", CodePayloadTooLong) {
		t.Fatalf("one byte over: got %v", err)
	}
	if p := qe.Problems[0].Params; p["max"] != "997" || p["length"] != "998" {
		t.Errorf("params = %v", p)
	}
}
