package sales

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/depotix/depotix/services/api/internal/apperr"
)

// Order numbers are LS-YYYY-NNNN: the calendar year and a sequence that
// starts at 1 each year, at least four digits (LS-2026-0042, LS-2026-12345).
const orderPrefix = "LS"

// Default prefixes of the gapless document sequences.
const (
	DefaultInvoicePrefix    = "RE"
	DefaultCreditNotePrefix = "GS"
	// MaxPrefixLength bounds a configured prefix: the number must fit the
	// QR bill's message and a reference.
	MaxPrefixLength = 6
	// MaxSequence bounds a sequence number (documents and orders of a year).
	MaxSequence = 99_999_999
)

// FormatOrderNumber writes the order number of year's seq-th order.
func FormatOrderNumber(year int, seq int64) string {
	return fmt.Sprintf("%s-%04d-%04d", orderPrefix, year, seq)
}

// ParseOrderNumber reads what FormatOrderNumber writes and nothing else
// (no missing or extra leading zeros, no lower case).
func ParseOrderNumber(s string) (year int, seq int64, err error) {
	rest, ok := strings.CutPrefix(s, orderPrefix+"-")
	y, n, ok2 := strings.Cut(rest, "-")
	if !ok || !ok2 || len(y) != 4 {
		return 0, 0, orderNumberError()
	}
	yv, ok := number(y, 1000, 9999)
	if !ok {
		return 0, 0, orderNumberError()
	}
	seq, ok = sequence(n, 4)
	if !ok {
		return 0, 0, orderNumberError()
	}
	return int(yv), seq, nil
}

func orderNumberError() error {
	return apperr.InvalidFormat().Because("must be an order number such as LS-2026-0042")
}

// ValidPrefix reports whether p may prefix invoice or credit note numbers:
// 1 to MaxPrefixLength upper-case letters A–Z.
func ValidPrefix(p string) bool {
	if p == "" || len(p) > MaxPrefixLength {
		return false
	}
	for _, r := range p {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// FormatDocumentNumber writes an invoice's or credit note's number: the
// prefix and the sequence number with at least six digits (RE000042).
func FormatDocumentNumber(prefix string, seq int64) string {
	return fmt.Sprintf("%s%06d", prefix, seq)
}

// ParseDocumentNumber splits what FormatDocumentNumber writes into prefix
// and sequence number.
func ParseDocumentNumber(s string) (prefix string, seq int64, err error) {
	i := strings.IndexAny(s, "0123456789")
	if i < 0 || !ValidPrefix(s[:i]) {
		return "", 0, documentNumberError()
	}
	seq, ok := sequence(s[i:], 6)
	if !ok {
		return "", 0, documentNumberError()
	}
	return s[:i], seq, nil
}

func documentNumberError() error {
	return apperr.InvalidFormat().Because("must be a document number such as RE000042")
}

// sequence reads a sequence number written with at least width digits,
// zero-padded to width and no further: the canonical form only, so that
// one number has one spelling.
func sequence(s string, width int) (int64, bool) {
	v, ok := number(s, 1, MaxSequence)
	if !ok || fmt.Sprintf("%0*d", width, v) != s {
		return 0, false
	}
	return v, true
}

func number(s string, min, max int64) (int64, bool) {
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < min || v > max {
		return 0, false
	}
	return v, true
}
