package camt

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// hashRef is any sha256 key: the tests check the source and stability of
// hash keys separately, not their value.
const hashRef = "<hash>"

func TestParseFixtures(t *testing.T) {
	const qrIBAN = "CH4431999123000889012"
	ntf := "Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]"
	stmt := "Document/BkToCstmrStmt/Stmt[1]"
	tests := []struct {
		file     string
		kind, ns string
		msgID    string
		credits  []Transaction
		skipped  []Transaction
	}{
		{
			file: "camt054_04_single_qrr.xml", kind: Notification,
			ns: "urn:iso:std:iso:20022:tech:xsd:camt.054.001.04", msgID: "DPX-TEST-054-0001",
			credits: []Transaction{{
				Path: ntf + "/Ntry[1]/NtryDtls[1]/TxDtls[1]", IBAN: qrIBAN,
				Amount: 125050, Currency: "CHF", Credit: true,
				BookingDate: day("2026-12-04"), ValueDate: day("2026-12-05"),
				Reference: "000000000000000001202600014", RefType: RefQRR,
				Remittance: "Rechnung RE-2026-0001", DebtorName: "Gasthof Löwen AG",
				EndToEndID: "E2E-LOEWEN-17", BankRef: "TX-0001-A", RefSource: RefFromTransaction,
			}},
		},
		{
			file: "camt054_08_batch.xml", kind: Notification,
			ns: "urn:iso:std:iso:20022:tech:xsd:camt.054.001.08", msgID: "DPX-TEST-054-0002",
			credits: []Transaction{
				{
					Path: ntf + "/Ntry[1]/NtryDtls[1]/TxDtls[1]", IBAN: qrIBAN,
					Amount: 100000, Currency: "CHF", Credit: true,
					BookingDate: day("2026-12-07"), ValueDate: day("2026-12-07"),
					Reference: "000000000000000001202600022", RefType: RefQRR,
					DebtorName: "Bäckerei Müller GmbH", BankRef: "TX-0002-A", RefSource: RefFromTransaction,
				},
				{
					Path: ntf + "/Ntry[1]/NtryDtls[1]/TxDtls[2]", IBAN: qrIBAN,
					Amount: 200075, Currency: "CHF", Credit: true,
					BookingDate: day("2026-12-07"), ValueDate: day("2026-12-07"),
					Reference: "RF022026000042", RefType: RefSCOR,
					Remittance: "Teilzahlung Lieferung November",
					DebtorName: "Café Żółw SA", BankRef: "TX-0002-B", RefSource: RefFromTransaction,
				},
				{
					// No own reference and no type: the entry's reference with
					// the position, the type recognised from the form.
					Path: ntf + "/Ntry[1]/NtryDtls[1]/TxDtls[3]", IBAN: qrIBAN,
					Amount: 35050, Currency: "CHF", Credit: true,
					BookingDate: day("2026-12-07"), ValueDate: day("2026-12-07"),
					Reference: "000000000000000001202600038", RefType: RefQRR,
					EndToEndID: "E2E-3", BankRef: "ENTRY-0002/3", RefSource: RefFromEntry,
				},
			},
		},
		{
			file: "camt054_08_eur.xml", kind: Notification,
			ns: "urn:iso:std:iso:20022:tech:xsd:camt.054.001.08", msgID: "DPX-TEST-054-0003",
			credits: []Transaction{{
				Path: ntf + "/Ntry[1]/NtryDtls[1]/TxDtls[1]", IBAN: "CH5604835012345678009",
				Amount: 98020, Currency: "EUR", Credit: true,
				// The calendar date as the bank wrote it, not shifted to UTC.
				BookingDate: day("2026-12-06"), ValueDate: day("2026-12-07"),
				Reference: "RF79INV2026117", RefType: RefSCOR,
				DebtorName: "Weinhandel Rhein GmbH", BankRef: "ENTRY-EUR-1", RefSource: RefFromEntry,
			}},
		},
		{
			file: "camt054_08_reversal_debit.xml", kind: Notification,
			ns: "urn:iso:std:iso:20022:tech:xsd:camt.054.001.08", msgID: "DPX-TEST-054-0004",
			credits: []Transaction{{
				// A credit reversing an earlier debit: reported, flagged.
				Path: ntf + "/Ntry[3]", IBAN: qrIBAN, Amount: 7500, Currency: "CHF",
				Credit: true, Reversal: true,
				BookingDate: day("2026-12-08"), ValueDate: day("2026-12-08"),
				BankRef: hashRef, RefSource: RefFromHash,
			}},
			skipped: []Transaction{
				{
					Path: ntf + "/Ntry[1]/NtryDtls[1]/TxDtls[1]", IBAN: qrIBAN, Amount: 100000, Currency: "CHF",
					Reversal: true, BookingDate: day("2026-12-08"), ValueDate: day("2026-12-08"),
					Reference: "000000000000000001202600022", RefType: RefQRR,
					BankRef: hashRef, RefSource: RefFromHash, SkipReason: SkipDebit,
				},
				{
					Path: ntf + "/Ntry[2]", IBAN: qrIBAN, Amount: 7500, Currency: "CHF",
					BookingDate: day("2026-12-08"), ValueDate: day("2026-12-08"),
					BankRef: hashRef, RefSource: RefFromHash, SkipReason: SkipDebit,
				},
				{
					Path: ntf + "/Ntry[4]", IBAN: qrIBAN, Amount: 50000, Currency: "CHF", Credit: true,
					ValueDate: day("2026-12-09"),
					BankRef:   hashRef, RefSource: RefFromHash, SkipReason: SkipNotBooked,
				},
			},
		},
		{
			file: "camt053_08_statement.xml", kind: Statement,
			ns: "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08", msgID: "DPX-TEST-053-0001",
			credits: []Transaction{
				{
					Path: stmt + "/Ntry[1]/NtryDtls[1]/TxDtls[1]", IBAN: "CH9300762011623852957",
					Amount: 42000, Currency: "CHF", Credit: true,
					BookingDate: day("2026-12-01"), ValueDate: day("2026-12-01"),
					Reference: "000000000000000004202600079", RefType: RefQRR,
					DebtorName: "Hotel Bellevue", EndToEndID: "E2E-STMT-1",
					BankRef: "STMT-ENTRY-1", RefSource: RefFromEntry,
				},
				{
					Path: stmt + "/Ntry[2]", IBAN: "CH9300762011623852957", Amount: 1995, Currency: "CHF", Credit: true,
					BookingDate: day("2026-12-02"), ValueDate: day("2026-12-02"),
					BankRef: hashRef, RefSource: RefFromHash,
				},
				{
					// The same payment twice: the second key is numbered.
					Path: stmt + "/Ntry[3]", IBAN: "CH9300762011623852957", Amount: 1995, Currency: "CHF", Credit: true,
					BookingDate: day("2026-12-02"), ValueDate: day("2026-12-02"),
					BankRef: hashRef + "#2", RefSource: RefFromHash,
				},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			data := fixture(t, tc.file)
			res, err := ParseBytes(data)
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(data)
			if res.SHA256 != hex.EncodeToString(sum[:]) {
				t.Errorf("SHA256 = %s", res.SHA256)
			}
			if res.Kind != tc.kind || res.Namespace != tc.ns || res.MessageID != tc.msgID {
				t.Errorf("kind, namespace, message id = %q %q %q", res.Kind, res.Namespace, res.MessageID)
			}
			if d := cmp.Diff(tc.credits, maskHashes(t, res.Credits)); d != "" {
				t.Errorf("credits (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.skipped, maskHashes(t, res.Skipped)); d != "" {
				t.Errorf("skipped (-want +got):\n%s", d)
			}
		})
	}
}

// maskHashes replaces hash keys by hashRef after checking their form.
func maskHashes(t *testing.T, txs []Transaction) []Transaction {
	t.Helper()
	out := append([]Transaction(nil), txs...)
	for i, tx := range out {
		if tx.RefSource == RefFromHash {
			key, suffix, _ := strings.Cut(tx.BankRef, "#")
			if !strings.HasPrefix(key, "sha256:") || len(key) != len("sha256:")+64 {
				t.Errorf("%s: hash key %q", tx.Path, tx.BankRef)
			}
			out[i].BankRef = hashRef
			if suffix != "" {
				out[i].BankRef += "#" + suffix
			}
		}
	}
	return out
}

// Importing the same data again must give the same keys, and every key in a
// file must be distinct (two equal payments stay two).
func TestBankRefsStableAndDistinct(t *testing.T) {
	for _, name := range []string{"camt054_04_single_qrr.xml", "camt054_08_batch.xml", "camt054_08_eur.xml", "camt054_08_reversal_debit.xml", "camt053_08_statement.xml"} {
		data := fixture(t, name)
		first, err := ParseBytes(data)
		if err != nil {
			t.Fatal(err)
		}
		// Reformatted (other bytes, other file hash), same content.
		again, err := ParseBytes(bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n")))
		if err != nil {
			t.Fatal(err)
		}
		if first.SHA256 == again.SHA256 {
			t.Errorf("%s: different bytes, same file hash", name)
		}
		keys := func(r *Result) []string {
			var k []string
			for _, tx := range append(append([]Transaction(nil), r.Credits...), r.Skipped...) {
				k = append(k, tx.BankRef)
			}
			return k
		}
		if d := cmp.Diff(keys(first), keys(again)); d != "" {
			t.Errorf("%s: keys changed on re-import:\n%s", name, d)
		}
		seen := map[string]bool{}
		for _, k := range keys(first) {
			if seen[k] {
				t.Errorf("%s: key %q twice", name, k)
			}
			seen[k] = true
		}
	}
}

// A bank reference repeated within a file (a bank's error) must not make two
// bookings look like one.
func TestRepeatedBankRef(t *testing.T) {
	data := strings.Replace(string(fixture(t, "camt054_08_batch.xml")), "TX-0002-B", "TX-0002-A", 1)
	res, err := ParseBytes([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tx := range res.Credits {
		got = append(got, tx.BankRef)
	}
	if d := cmp.Diff([]string{"TX-0002-A", "TX-0002-A#2", "ENTRY-0002/3"}, got); d != "" {
		t.Errorf("keys (-want +got):\n%s", d)
	}
}

// The .04 schema reads the same as .08 where the two differ in shape (Sts as
// text, Dbtr/Nm without Pty).
func TestStatementVersion04(t *testing.T) {
	data := string(fixture(t, "camt053_08_statement.xml"))
	data = strings.ReplaceAll(data, "camt.053.001.08", "camt.053.001.04")
	data = strings.ReplaceAll(data, "<Sts><Cd>BOOK</Cd></Sts>", "<Sts>BOOK</Sts>")
	data = strings.ReplaceAll(data, "<Dbtr><Pty><Nm>Hotel Bellevue</Nm></Pty></Dbtr>", "<Dbtr><Nm>Hotel Bellevue</Nm></Dbtr>")
	res, err := ParseBytes([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	v08, err := ParseBytes(fixture(t, "camt053_08_statement.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Namespace != "urn:iso:std:iso:20022:tech:xsd:camt.053.001.04" {
		t.Errorf("namespace %q", res.Namespace)
	}
	if d := cmp.Diff(v08.Credits, res.Credits); d != "" {
		t.Errorf(".04 reads differently from .08 (-08 +04):\n%s", d)
	}
}

func TestParseErrors(t *testing.T) {
	single := string(fixture(t, "camt054_04_single_qrr.xml"))
	batch := string(fixture(t, "camt054_08_batch.xml"))
	ntry := "Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]"
	tests := []struct {
		name string
		data string
		kind error
		path string // the error's Path, exactly
		msg  string // part of the message
	}{
		{"unknown namespace 054.02", strings.Replace(single, "camt.054.001.04", "camt.054.001.02", 1), ErrUnsupported, "Document", "camt.054.001.02"},
		{"camt.052 report", strings.Replace(single, "camt.054.001.04", "camt.052.001.08", 1), ErrUnsupported, "Document", "camt.052.001.08"},
		{"no namespace", strings.Replace(single, ` xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.04"`, "", 1), ErrUnsupported, "Document", `namespace ""`},
		{"other root", `<?xml version="1.0"?><Invoice xmlns="urn:x"/>`, ErrUnsupported, "Invoice", "Document"},
		{"namespace and body disagree", strings.Replace(strings.Replace(single, "camt.054.001.04", "camt.053.001.04", 1), "BkToCstmrDbtCdtNtfctn>", "BkToCstmrDbtCdtNtfctnX>", 2), ErrMalformed, "Document", "BkToCstmrStmt missing"},
		{"unclosed element", strings.Replace(single, "</Amt>", "", 1), ErrMalformed, ntry + "/Amt", "closed by </Ntry>"},
		{"truncated", single[:len(single)/2], ErrMalformed, ntry + "/BkTxCd/Domn", "unexpected EOF"},
		{"empty", "", ErrMalformed, "", "no root element"},
		{"not xml", "%PDF-1.7 hello", ErrMalformed, "", ""},
		{"undefined entity", strings.Replace(single, "Rechnung", "&lol;", 1), ErrMalformed, ntry + "/NtryDtls[1]/TxDtls[1]/RmtInf/Ustrd", "entity"},
		{"latin-1 declared", strings.Replace(single, `encoding="UTF-8"`, `encoding="ISO-8859-1"`, 1), ErrMalformed, "", "must be UTF-8"},
		{"two roots", single + "<Document/>", ErrMalformed, "", "more than one root"},
		{"bad amount", strings.Replace(single, ">1250.50</Amt>\n        <CdtDbtInd>", ">12,50</Amt>\n        <CdtDbtInd>", 1), ErrMalformed, ntry + "/Amt", "not a decimal"},
		{"too many decimals", strings.Replace(batch, ">2000.75<", ">2000.755<", 1), ErrMalformed, ntry + "/NtryDtls[1]/TxDtls[2]/Amt", "CHF has 2 decimals"},
		{"negative amount", strings.Replace(batch, ">1000<", ">-1000<", 1), ErrMalformed, ntry + "/NtryDtls[1]/TxDtls[1]/Amt", "not a decimal"},
		{"zero amount", strings.Replace(batch, ">1000<", ">0.00<", 1), ErrMalformed, ntry + "/NtryDtls[1]/TxDtls[1]/Amt", "positive"},
		{"19 digits", strings.Replace(batch, ">1000<", ">1234567890123456789<", 1), ErrMalformed, ntry + "/NtryDtls[1]/TxDtls[1]/Amt", "18 digits"},
		{"unknown currency", strings.Replace(batch, `Ccy="CHF">1000<`, `Ccy="XYZ">1000<`, 1), ErrMalformed, ntry + "/NtryDtls[1]/TxDtls[1]/Amt/@Ccy", "ISO 4217"},
		{"bad indicator", strings.Replace(single, "<CdtDbtInd>CRDT</CdtDbtInd>", "<CdtDbtInd>CREDIT</CdtDbtInd>", 1), ErrMalformed, ntry + "/CdtDbtInd", "CRDT"},
		{"detail against entry", strings.Replace(batch, "<CdtDbtInd>CRDT</CdtDbtInd>\n            <RltdPties>", "<CdtDbtInd>DBIT</CdtDbtInd>\n            <RltdPties>", 1), ErrMalformed, ntry + "/NtryDtls[1]/TxDtls[1]/CdtDbtInd", "differs"},
		{"bad reversal", strings.Replace(single, "<RvslInd>false", "<RvslInd>maybe", 1), ErrMalformed, ntry + "/RvslInd", "boolean"},
		{"bad date", strings.Replace(single, "<Dt>2026-12-04</Dt>", "<Dt>04.12.2026</Dt>", 1), ErrMalformed, ntry + "/BookgDt/Dt", "not a date"},
		{"booked without date", strings.Replace(single, "<BookgDt><Dt>2026-12-04</Dt></BookgDt>", "", 1), ErrMalformed, ntry + "/BookgDt", "date missing"},
		{"no status", strings.Replace(single, "<Sts>BOOK</Sts>", "", 1), ErrMalformed, ntry + "/Sts", "status"},
		{"no IBAN", strings.Replace(single, "<IBAN>CH4431999123000889012</IBAN>", "<Othr><Id>123</Id></Othr>", 1), ErrMalformed, "Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Acct/Id/IBAN", "IBAN"},
		{"batch detail without amount", strings.Replace(batch, `<Amt Ccy="CHF">350.50</Amt>`, "", 1), ErrMalformed, ntry + "/NtryDtls[1]/TxDtls[3]", "without an amount"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := ParseBytes([]byte(tc.data))
			if err == nil {
				t.Fatalf("no error; result %+v", res)
			}
			if !errors.Is(err, tc.kind) {
				t.Fatalf("error %v is not %v", err, tc.kind)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *Error", err)
			}
			if e.Path != tc.path {
				t.Errorf("path %q, want %q (%v)", e.Path, tc.path, err)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("message %q lacks %q", err.Error(), tc.msg)
			}
		})
	}
}

func TestSyntaxErrorHasLine(t *testing.T) {
	single := string(fixture(t, "camt054_04_single_qrr.xml"))
	_, err := ParseBytes([]byte(strings.Replace(single, "<Sts>BOOK</Sts>", "<Sts>BOOK</Stx>", 1)))
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v", err)
	}
	want := strings.Count(single[:strings.Index(single, "<Sts>")], "\n") + 1
	if e.Line != want || e.Path != "Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/Sts" {
		t.Errorf("line %d path %q, want line %d", e.Line, e.Path, want)
	}
}

// Files from Windows tools often start with a byte order mark; it does not
// change the content, only the file hash.
func TestByteOrderMark(t *testing.T) {
	data := fixture(t, "camt054_04_single_qrr.xml")
	plain, err := ParseBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	bom, err := ParseBytes(append([]byte("\xef\xbb\xbf"), data...))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(plain.Credits, bom.Credits); d != "" || plain.SHA256 == bom.SHA256 {
		t.Errorf("BOM changed the credits or kept the hash:\n%s", d)
	}
}

// A billion-laughs file is refused at its DTD, before anything is expanded;
// so is any DOCTYPE, even a harmless one.
func TestRefusesDTD(t *testing.T) {
	laughs := `<?xml version="1.0"?>
<!DOCTYPE Document [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">&lol9;</Document>`
	external := `<?xml version="1.0"?>
<!DOCTYPE Document SYSTEM "file:///etc/passwd">
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"/>`
	for name, data := range map[string]string{"billion laughs": laughs, "external": external} {
		_, err := ParseBytes([]byte(data))
		var e *Error
		if !errors.Is(err, ErrDTD) || !errors.As(err, &e) || e.Line != 2 {
			t.Errorf("%s: error %v, want ErrDTD on line 2", name, err)
		}
	}
}

func TestLimits(t *testing.T) {
	deep := strings.Repeat("<a>", maxDepth+5) + strings.Repeat("</a>", maxDepth+5)
	deep = `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">` + deep + `</Document>`
	if _, err := ParseBytes([]byte(deep)); !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "nested deeper") {
		t.Errorf("deep nesting: %v", err)
	}
	// Parse stops reading one byte past the limit.
	big := bytes.Repeat([]byte(" "), MaxSize+1)
	if _, err := Parse(bytes.NewReader(big)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("oversize: %v", err)
	}
	// Exactly at the limit is read (and fails only for having no root).
	if _, err := Parse(bytes.NewReader(big[:MaxSize])); !errors.Is(err, ErrMalformed) {
		t.Errorf("at the limit: %v", err)
	}
}

func TestCreditorRefTypes(t *testing.T) {
	tests := []struct {
		ref, cd, prtry   string
		wantRef, wantTyp string
	}{
		{"21 00000 00003 13947 14300 09017", "", "QRR", "210000000003139471430009017", RefQRR},
		{"210000000003139471430009017", "", "", "210000000003139471430009017", RefQRR},
		{"rf18 5390 0754 7034", "SCOR", "", "RF18539007547034", RefSCOR},
		{"RF18539007547034", "", "", "RF18539007547034", RefSCOR},
		// Claims QRR but is not 27 digits: kept as text, no type.
		{"12345", "", "QRR", "12345", ""},
		// A SCOR-looking text under QRR is not a QR reference.
		{"RF18539007547034", "", "QRR", "RF18539007547034", ""},
		{"INV-77", "", "ISR", "INV-77", ""},
	}
	for _, tc := range tests {
		ref, typ := creditorRef(tc.ref, tc.cd, tc.prtry)
		if ref != tc.wantRef || typ != tc.wantTyp {
			t.Errorf("creditorRef(%q, %q, %q) = %q, %q; want %q, %q", tc.ref, tc.cd, tc.prtry, ref, typ, tc.wantRef, tc.wantTyp)
		}
	}
}

func TestParseAmountDecimals(t *testing.T) {
	tests := []struct {
		value, ccy string
		want       int64
		ok         bool
	}{
		{"12.5", "CHF", 1250, true},
		{"12.50000", "EUR", 1250, true},
		{"0.01", "CHF", 1, true},
		{"1500", "JPY", 1500, true},   // no decimals
		{"1500.0", "JPY", 1500, true}, // a zero decimal loses nothing
		{"1500.5", "JPY", 0, false},   // JPY has none
		{"1.234", "KWD", 1234, true},  // three decimals
		{"999999999999999999", "JPY", 999999999999999999, true},
		{"1e3", "CHF", 0, false},
		{".5", "CHF", 0, false},
		{"5.", "CHF", 0, false},
		{" 7.00 ", "CHF", 700, true},
		{"7", "chf", 0, false},
	}
	for _, tc := range tests {
		got, _, err := parseAmount(amount{Value: tc.value, Ccy: tc.ccy}, "Amt")
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseAmount(%q %s) = %d, %v; want %d ok=%v", tc.value, tc.ccy, got, err, tc.want, tc.ok)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"camt054_04_single_qrr.xml", "camt054_08_batch.xml", "camt054_08_eur.xml", "camt054_08_reversal_debit.xml", "camt053_08_statement.xml"} {
		f.Add(fixture(f, name))
	}
	f.Add([]byte(`<!DOCTYPE x [<!ENTITY a "b">]><Document/>`))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := ParseBytes(data)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v is not *Error", err, err)
			}
			return
		}
		for _, tx := range append(append([]Transaction(nil), res.Credits...), res.Skipped...) {
			if tx.Amount <= 0 || tx.Currency == "" || tx.BankRef == "" || tx.IBAN == "" {
				t.Fatalf("incomplete transaction %+v", tx)
			}
			switch tx.SkipReason {
			case "":
				if !tx.Credit || tx.BookingDate.IsZero() {
					t.Fatalf("reported credit is no booked credit: %+v", tx)
				}
			case SkipDebit:
				if tx.Credit {
					t.Fatalf("credit skipped as debit: %+v", tx)
				}
			case SkipNotBooked:
			default:
				t.Fatalf("unknown skip reason %+v", tx)
			}
		}
	})
}
