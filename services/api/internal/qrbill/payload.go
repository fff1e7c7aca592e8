package qrbill

import (
	"strconv"
	"strings"
)

// Fixed header and trailer values of the payload.
const (
	qrType      = "SPC"
	version     = "0200" // stays 0200 under v2.3
	codingUTF8  = "1"
	addressS    = "S"
	trailer     = "EPD"
	addrFields  = 7
	minLines    = 31 // up to and including the trailer
	maxLines    = minLines + 1 + MaxAlternativeSchemes
	lineAmount  = 18 // index of the amount line
	lineTrailer = 30
)

func addressLines(a *Address) []string {
	if a == nil {
		return make([]string, addrFields)
	}
	return []string{addressS, a.Name, a.Street, a.BuildingNumber, a.PostalCode, a.Town, a.Country}
}

// Payload returns the text encoded in the QR code: the guideline's fields
// joined by LF, without a separator after the last one. It validates the
// bill first; a bill that Validate refuses has no payload.
func (b Bill) Payload() (string, error) {
	if err := b.Validate(); err != nil {
		return "", err
	}
	return b.payload(), nil
}

// payload joins the fields without validating them.
func (b Bill) payload() string {
	lines := make([]string, 0, maxLines)
	lines = append(lines, qrType, version, codingUTF8, b.Account)
	lines = append(lines, addressLines(&b.Creditor)...)
	lines = append(lines, addressLines(nil)...) // ultimate creditor: reserved, empty
	amount := ""
	if b.HasAmount {
		amount = payloadAmount(b.Amount)
	}
	lines = append(lines, amount, string(b.Currency))
	lines = append(lines, addressLines(b.Debtor)...)
	lines = append(lines, string(b.ReferenceType), b.Reference, b.Message, trailer)
	if b.BillInformation != "" || len(b.AlternativeSchemes) > 0 {
		// Alternative schemes follow the bill information's line, which
		// then stays even when empty.
		lines = append(lines, b.BillInformation)
	}
	lines = append(lines, b.AlternativeSchemes...)
	return strings.Join(lines, "\n")
}

// Parse reads a QR-bill payload (LF or CR LF separated) into a Bill and
// validates it. Structural problems (header, line count, address type,
// amount format) and rule violations both come back as an *Error.
func Parse(payload string) (Bill, error) {
	var ps problems
	lines := strings.Split(payload, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	if len(lines) < minLines || len(lines) > maxLines {
		ps.add("", CodeInvalidPayload, "reason", "line_count")
		return Bill{}, ps.err()
	}
	if lines[0] != qrType || lines[1] != version || lines[2] != codingUTF8 {
		ps.add("", CodeInvalidPayload, "reason", "header")
		return Bill{}, ps.err()
	}
	if lines[lineTrailer] != trailer {
		ps.add("", CodeInvalidPayload, "reason", "trailer")
		return Bill{}, ps.err()
	}

	b := Bill{Account: lines[3]}
	creditor, set := readAddress(&ps, "creditor", lines[4:11])
	if set {
		b.Creditor = creditor
	} else {
		ps.add("creditor.name", CodeRequired)
	}
	for _, l := range lines[11:18] {
		if l != "" {
			ps.add("ultimate_creditor", CodeUltimateCreditor)
			break
		}
	}
	if s := lines[lineAmount]; s != "" {
		minor, ok := parseAmount(s)
		if !ok {
			ps.add("amount", CodeInvalidAmount)
		}
		b.Amount, b.HasAmount = minor, true
	}
	b.Currency = Currency(lines[19])
	if debtor, set := readAddress(&ps, "debtor", lines[20:27]); set {
		b.Debtor = &debtor
	}
	b.ReferenceType = ReferenceType(lines[27])
	b.Reference = lines[28]
	b.Message = lines[29]
	if len(lines) > minLines {
		b.BillInformation = lines[31]
	}
	if len(lines) > minLines+1 {
		b.AlternativeSchemes = append([]string(nil), lines[32:]...)
	}
	if len(ps.list) > 0 {
		return b, ps.err()
	}
	return b, b.Validate()
}

// readAddress reads the seven address lines; set is false when all are
// empty (no address).
func readAddress(ps *problems, prefix string, l []string) (a Address, set bool) {
	empty := true
	for _, s := range l {
		if s != "" {
			empty = false
		}
	}
	if empty {
		return Address{}, false
	}
	if l[0] != addressS {
		ps.add(prefix, CodeAddressType)
	}
	return Address{Name: l[1], Street: l[2], BuildingNumber: l[3], PostalCode: l[4], Town: l[5], Country: l[6]}, true
}

// parseAmount reads "1949.75", "1949.7" or "1949" into minor units;
// anything else (signs, separators, more decimals, too many digits) is
// refused.
func parseAmount(s string) (int64, bool) {
	whole, frac, dot := strings.Cut(s, ".")
	if !isDigits(whole) || len(whole) > 9 || len(frac) > 2 || (dot && frac == "") || (frac != "" && !isDigits(frac)) {
		return 0, false
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	return w*100 + f, true
}
