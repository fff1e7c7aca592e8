package sales

import (
	"testing"

	"github.com/depotix/depotix/services/api/internal/apperr"
)

func TestOrderNumbers(t *testing.T) {
	for _, tc := range []struct {
		year int
		seq  int64
		want string
	}{
		{2026, 1, "LS-2026-0001"},
		{2026, 42, "LS-2026-0042"},
		{2027, 9999, "LS-2027-9999"},
		{2027, 10000, "LS-2027-10000"},
		{2030, 12345678, "LS-2030-12345678"},
	} {
		got := FormatOrderNumber(tc.year, tc.seq)
		if got != tc.want {
			t.Errorf("FormatOrderNumber(%d, %d) = %s; want %s", tc.year, tc.seq, got, tc.want)
		}
		y, s, err := ParseOrderNumber(got)
		if err != nil || y != tc.year || s != tc.seq {
			t.Errorf("ParseOrderNumber(%s) = %d, %d, %v", got, y, s, err)
		}
	}
	for _, bad := range []string{"", "LS-2026-", "LS-2026-001", "LS-2026-00001", "ls-2026-0001", "LS-26-0001",
		"LS-2026-0000", "LS-0999-0001", "LS-2026-00a1", "LS 2026 0001", "RE-2026-0001", "LS-2026-0001-", "LS-2026--001",
		"LS-2026-+001", "LS-2026-100000000", "LS-２０２６-0001"} {
		if _, _, err := ParseOrderNumber(bad); err == nil {
			t.Errorf("ParseOrderNumber(%q) accepted", bad)
		} else if fe := apperr.AsField(err); fe.Code != apperr.FieldFormat {
			t.Errorf("ParseOrderNumber(%q): %v", bad, err)
		}
	}
}

func TestDocumentNumbers(t *testing.T) {
	for _, tc := range []struct {
		prefix string
		seq    int64
		want   string
	}{
		{DefaultInvoicePrefix, 1, "RE000001"},
		{DefaultCreditNotePrefix, 42, "GS000042"},
		{"INV", 999999, "INV999999"},
		{"R", 1234567, "R1234567"},
		{"ABCDEF", 7, "ABCDEF000007"},
	} {
		got := FormatDocumentNumber(tc.prefix, tc.seq)
		if got != tc.want {
			t.Errorf("FormatDocumentNumber(%s, %d) = %s; want %s", tc.prefix, tc.seq, got, tc.want)
		}
		p, s, err := ParseDocumentNumber(got)
		if err != nil || p != tc.prefix || s != tc.seq {
			t.Errorf("ParseDocumentNumber(%s) = %s, %d, %v", got, p, s, err)
		}
	}
	for _, bad := range []string{"", "RE", "000001", "RE00001", "RE0000001", "re000001", "RE-000001", "RE000000",
		"ABCDEFG000001", "RE00000a", "RE 000001", "RÉ000001", "RE000001X"} {
		if _, _, err := ParseDocumentNumber(bad); err == nil {
			t.Errorf("ParseDocumentNumber(%q) accepted", bad)
		}
	}
	for p, want := range map[string]bool{"RE": true, "GS": true, "ABCDEF": true, "": false, "ABCDEFG": false,
		"re": false, "R1": false, "R-": false, "Ä": false} {
		if ValidPrefix(p) != want {
			t.Errorf("ValidPrefix(%q) = %v", p, !want)
		}
	}
}
