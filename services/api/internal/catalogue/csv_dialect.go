package catalogue

// The dialects of a CSV file. An export is written for a spreadsheet: a
// byte-order mark so that Excel reads UTF-8, semicolons between cells
// (what Excel with Swiss or German settings splits into columns; comma on
// request), and a header row in the person's language. An import reads
// every dialect an export writes, and what people save from a spreadsheet:
// a mark or none, semicolons or commas (told apart by the header line),
// English column names or German labels, and numbers with a decimal comma
// or grouping marks ("1,90", "1’234.50").

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
	"strings"
)

// Separators of a file's cells.
const (
	SeparatorSemicolon = ';'
	SeparatorComma     = ','
)

// CSVDialect is how an export writes its file. The zero value is the
// default: semicolons, English column names.
type CSVDialect struct {
	// Separator is SeparatorSemicolon or SeparatorComma; 0 means semicolon.
	Separator rune
	// German writes the header row with German labels instead of the
	// column names.
	German bool
}

func (d CSVDialect) separator() rune {
	if d.Separator == 0 {
		return SeparatorSemicolon
	}
	return d.Separator
}

// Header is the header row of columns (by their names) in d's language:
// the name itself in English, labels the German table has in German (a
// column it lacks keeps its name).
func (d CSVDialect) Header(names []string, german map[string]string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = n
		if l, ok := german[n]; ok && d.German {
			out[i] = l
		}
	}
	return out
}

// NewCSVWriter returns the writer of a file in dialect d, with CRLF line
// ends (RFC 4180). The byte-order mark is put in its buffer, not written to
// w: nothing reaches w before the first rows fill the buffer or the writer
// is flushed, so an export that fails at once still gets an error answer.
func NewCSVWriter(w io.Writer, d CSVDialect) *csv.Writer {
	bw := bufio.NewWriterSize(w, 4096)
	_, _ = bw.Write(utf8BOM) // a bufio.Writer with room never fails here
	// csv.NewWriter keeps bw as its buffer (it is large enough), so the
	// mark goes out with the first rows.
	cw := csv.NewWriter(bw)
	cw.Comma = d.separator()
	cw.UseCRLF = true
	return cw
}

// headerLineLimit bounds how far the importer looks for the end of the
// header line to tell the separator.
const headerLineLimit = 64 << 10

// detectSeparator reads the file's first line (without consuming it) and
// returns ';' when it has more semicolons than commas outside quotes,
// ',' otherwise (the RFC 4180 default, and a one-column file).
func detectSeparator(br *bufio.Reader) rune {
	b, _ := br.Peek(headerLineLimit) // fewer bytes at the end of the file: what there is
	if i := bytes.IndexAny(b, "\r\n"); i >= 0 {
		b = b[:i]
	}
	semicolons, commas, quoted := 0, 0, false
	for _, c := range b {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == ';':
			semicolons++
		case c == ',':
			commas++
		}
	}
	if semicolons > commas {
		return SeparatorSemicolon
	}
	return SeparatorComma
}

// decimalText turns a number as people and spreadsheets write it into the
// plain decimal the parsers read: grouping marks (’ ' and spaces) are
// dropped, and a single comma without a point is the decimal point
// ("1’234,50" → "1234.50"), as the web's forms read numbers.
func decimalText(v string) string {
	s := groupingMarks.Replace(strings.TrimSpace(v))
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	return s
}

// wholeText is decimalText for whole numbers: grouping marks only.
func wholeText(v string) string { return groupingMarks.Replace(strings.TrimSpace(v)) }

var groupingMarks = strings.NewReplacer("’", "", "'", "", " ", "", "\u00a0", "", "\u202f", "")

// germanColumnLabels are the German header labels of the catalogue's
// files, by column name. Within one file's columns no two labels (nor a
// label and another column's name) are the same (TestGermanLabelsAreUnique).
var germanColumnLabels = map[string]string{
	// items
	"sku": "Artikelnummer", "name": "Name", "description": "Beschreibung", "category": "Kategorie",
	"brand": "Marke", "ean_unit": "EAN Einheit", "ean_package": "EAN Gebinde", "ean_pallet": "EAN Palette",
	"base_unit": "Grundeinheit", "package_unit": "Gebindeeinheit", "package_size": "Einheiten pro Gebinde",
	"pallet_size": "Gebinde pro Palette", "sales_price_unit": "Verkaufspreis pro Einheit",
	"sales_price_package": "Verkaufspreis pro Gebinde", "currency": "Währung", "vat_rate": "MWST-Satz",
	"deposit_unit": "Depot pro Einheit", "deposit_package": "Depot pro Gebinde", "returnable": "Mehrweg",
	"beverage_type": "Getränkeart", "container": "Behälter", "volume_ml": "Inhalt (ml)",
	"abv": "Alkohol (% vol)", "alcoholic": "Alkoholhaltig", "country_of_origin": "Herkunftsland",
	"min_stock": "Mindestbestand", "reorder_qty": "Bestellmenge", "preferred_supplier": "Bevorzugter Lieferant",
	// customers and suppliers
	"number": "Kundennummer", "id": "Lieferantennummer", "contact_person": "Kontaktperson", "email": "E-Mail",
	"phone": "Telefon", "payment_terms_days": "Zahlungsfrist (Tage)", "credit_limit": "Kreditlimite",
	"notes":  "Notizen",
	"street": "Strasse", "house_number": "Hausnummer", "postal_code": "PLZ", "town": "Ort", "country": "Land",
	"billing_street": "Rechnung Strasse", "billing_house_number": "Rechnung Hausnummer",
	"billing_postal_code": "Rechnung PLZ", "billing_town": "Rechnung Ort", "billing_country": "Rechnung Land",
	"delivery_street": "Lieferung Strasse", "delivery_house_number": "Lieferung Hausnummer",
	"delivery_postal_code": "Lieferung PLZ", "delivery_town": "Lieferung Ort", "delivery_country": "Lieferung Land",
}
