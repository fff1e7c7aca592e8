package camt

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/currency"
)

// The structs below name elements by local name only, so one set serves
// both schema versions; where .08 moved a value (Sts/Cd, Dbtr/Pty/Nm) both
// places are read. Every leaf is a string and is checked by hand, so a bad
// value is reported with its path instead of as a decoder error.

type document struct {
	Ntfctn *message `xml:"BkToCstmrDbtCdtNtfctn"`
	Stmt   *message `xml:"BkToCstmrStmt"`
}

type message struct {
	MsgID  string   `xml:"GrpHdr>MsgId"`
	Ntfctn []report `xml:"Ntfctn"`
	Stmt   []report `xml:"Stmt"`
}

type report struct {
	Acct struct {
		ID struct {
			IBAN string `xml:"IBAN"`
		} `xml:"Id"`
	} `xml:"Acct"`
	Entries []entry `xml:"Ntry"`
}

type amount struct {
	Value string `xml:",chardata"`
	Ccy   string `xml:"Ccy,attr"`
}

type dateChoice struct {
	Dt   string `xml:"Dt"`
	DtTm string `xml:"DtTm"`
}

type entry struct {
	NtryRef     string     `xml:"NtryRef"`
	Amt         amount     `xml:"Amt"`
	CdtDbtInd   string     `xml:"CdtDbtInd"`
	RvslInd     string     `xml:"RvslInd"`
	Sts         status     `xml:"Sts"`
	BookgDt     dateChoice `xml:"BookgDt"`
	ValDt       dateChoice `xml:"ValDt"`
	AcctSvcrRef string     `xml:"AcctSvcrRef"`
	Details     []struct {
		Tx []txDetails `xml:"TxDtls"`
	} `xml:"NtryDtls"`
}

// status is a plain code in .04 (<Sts>BOOK</Sts>) and a choice in .08
// (<Sts><Cd>BOOK</Cd></Sts>).
type status struct {
	Text string `xml:",chardata"`
	Cd   string `xml:"Cd"`
}

type txDetails struct {
	Refs struct {
		AcctSvcrRef string `xml:"AcctSvcrRef"`
		EndToEndID  string `xml:"EndToEndId"`
	} `xml:"Refs"`
	Amt       *amount `xml:"Amt"`
	CdtDbtInd string  `xml:"CdtDbtInd"`
	AmtDtls   struct {
		TxAmt *amount `xml:"TxAmt>Amt"`
	} `xml:"AmtDtls"`
	RltdPties struct {
		// .04: Dbtr/Nm; .08: Dbtr/Pty/Nm.
		Dbtr struct {
			Nm  string `xml:"Nm"`
			Pty struct {
				Nm string `xml:"Nm"`
			} `xml:"Pty"`
		} `xml:"Dbtr"`
	} `xml:"RltdPties"`
	RmtInf struct {
		Ustrd []string `xml:"Ustrd"`
		Strd  []struct {
			CdtrRefInf struct {
				Tp struct {
					Cd    string `xml:"CdOrPrtry>Cd"`
					Prtry string `xml:"CdOrPrtry>Prtry"`
				} `xml:"Tp"`
				Ref string `xml:"Ref"`
			} `xml:"CdtrRefInf"`
		} `xml:"Strd"`
	} `xml:"RmtInf"`
}

// expand turns one entry into its transactions.
func expand(n entry, path, iban string) ([]Transaction, error) {
	credit, err := creditDebit(n.CdtDbtInd, path+"/CdtDbtInd")
	if err != nil {
		return nil, err
	}
	reversal, err := boolean(n.RvslInd, path+"/RvslInd")
	if err != nil {
		return nil, err
	}
	sts := strings.TrimSpace(n.Sts.Cd)
	if sts == "" {
		sts = strings.TrimSpace(n.Sts.Text)
	}
	if sts == "" {
		return nil, &Error{Kind: ErrMalformed, Path: path + "/Sts", Msg: "entry status missing"}
	}
	entryAmt, entryCcy, err := parseAmount(n.Amt, path+"/Amt")
	if err != nil {
		return nil, err
	}
	base := Transaction{
		Path:     path,
		IBAN:     iban,
		Amount:   entryAmt,
		Currency: entryCcy,
		Credit:   credit,
		Reversal: reversal,
	}
	skip := ""
	switch {
	case sts != "BOOK":
		// Pending (PDNG) or informational (INFO) entries are not money on
		// the account yet; the booked entry follows in a later file.
		skip = SkipNotBooked
	case !credit:
		skip = SkipDebit
	}
	if skip == "" || n.BookgDt != (dateChoice{}) {
		if base.BookingDate, err = parseDate(n.BookgDt, path+"/BookgDt"); err != nil {
			return nil, err
		}
	}
	if n.ValDt != (dateChoice{}) {
		if base.ValueDate, err = parseDate(n.ValDt, path+"/ValDt"); err != nil {
			return nil, err
		}
	}

	type located struct {
		tx   txDetails
		path string
	}
	var details []located
	for i, d := range n.Details {
		for k, tx := range d.Tx {
			details = append(details, located{tx, fmt.Sprintf("%s/NtryDtls[%d]/TxDtls[%d]", path, i+1, k+1)})
		}
	}
	entryRef := strings.TrimSpace(n.AcctSvcrRef)

	if len(details) == 0 {
		tx := base
		tx.SkipReason = skip
		setBankRef(&tx, "", entryRef, 0, 1, strings.TrimSpace(n.NtryRef))
		return []Transaction{tx}, nil
	}
	out := make([]Transaction, 0, len(details))
	for i, d := range details {
		tx := base
		tx.Path = d.path
		tx.SkipReason = skip
		switch {
		case d.tx.Amt != nil:
			if tx.Amount, tx.Currency, err = parseAmount(*d.tx.Amt, d.path+"/Amt"); err != nil {
				return nil, err
			}
		case d.tx.AmtDtls.TxAmt != nil:
			if tx.Amount, tx.Currency, err = parseAmount(*d.tx.AmtDtls.TxAmt, d.path+"/AmtDtls/TxAmt/Amt"); err != nil {
				return nil, err
			}
		case len(details) > 1:
			// A batch without per-transaction amounts cannot be split;
			// booking the entry's total on one reference would be wrong.
			return nil, &Error{Kind: ErrMalformed, Path: d.path, Msg: "batch transaction without an amount"}
		}
		if ind := strings.TrimSpace(d.tx.CdtDbtInd); ind != "" {
			c, err := creditDebit(ind, d.path+"/CdtDbtInd")
			if err != nil {
				return nil, err
			}
			if c != credit {
				return nil, &Error{Kind: ErrMalformed, Path: d.path + "/CdtDbtInd", Msg: "differs from the entry's CdtDbtInd"}
			}
		}
		tx.EndToEndID = strings.TrimSpace(d.tx.Refs.EndToEndID)
		if tx.EndToEndID == "NOTPROVIDED" {
			tx.EndToEndID = ""
		}
		tx.DebtorName = collapseSpace(d.tx.RltdPties.Dbtr.Pty.Nm)
		if tx.DebtorName == "" {
			tx.DebtorName = collapseSpace(d.tx.RltdPties.Dbtr.Nm)
		}
		var lines []string
		for _, u := range d.tx.RmtInf.Ustrd {
			if s := collapseSpace(u); s != "" {
				lines = append(lines, s)
			}
		}
		tx.Remittance = strings.Join(lines, " ")
		for _, s := range d.tx.RmtInf.Strd {
			ref := s.CdtrRefInf
			if strings.TrimSpace(ref.Ref) == "" {
				continue
			}
			tx.Reference, tx.RefType = creditorRef(ref.Ref, ref.Tp.Cd, ref.Tp.Prtry)
			break
		}
		setBankRef(&tx, strings.TrimSpace(d.tx.Refs.AcctSvcrRef), entryRef, i+1, len(details), strings.TrimSpace(n.NtryRef))
		out = append(out, tx)
	}
	return out, nil
}

// setBankRef picks the de-duplication key. The bank's own reference of the
// transaction is unique per account and repeats when the same booking shows
// up again (a second upload, or the camt.053 after the camt.054). Without it,
// the entry's reference plus the detail's position within the entry. Without
// either, a sha256 over the fields that identify a payment; it repeats
// exactly when the same data is imported again. (Parse numbers repeated keys
// within a file, so two identical payments stay two.)
func setBankRef(tx *Transaction, txRef, entryRef string, pos, count int, ntryRef string) {
	switch {
	case txRef != "":
		tx.BankRef, tx.RefSource = txRef, RefFromTransaction
	case entryRef != "" && count <= 1:
		tx.BankRef, tx.RefSource = entryRef, RefFromEntry
	case entryRef != "":
		tx.BankRef, tx.RefSource = fmt.Sprintf("%s/%d", entryRef, pos), RefFromEntry
	default:
		fields := strings.Join([]string{
			tx.IBAN, tx.BookingDate.Format(time.DateOnly), tx.ValueDate.Format(time.DateOnly),
			fmt.Sprint(tx.Amount), tx.Currency, fmt.Sprint(tx.Credit), fmt.Sprint(tx.Reversal),
			tx.RefType, tx.Reference, tx.EndToEndID, tx.DebtorName, tx.Remittance, ntryRef,
			fmt.Sprint(pos),
		}, "\x1f")
		sum := sha256.Sum256([]byte(fields))
		tx.BankRef, tx.RefSource = "sha256:"+hex.EncodeToString(sum[:]), RefFromHash
	}
}

func creditDebit(s, path string) (bool, error) {
	switch strings.TrimSpace(s) {
	case "CRDT":
		return true, nil
	case "DBIT":
		return false, nil
	}
	return false, &Error{Kind: ErrMalformed, Path: path, Msg: fmt.Sprintf("%q is neither CRDT nor DBIT", s)}
}

func boolean(s, path string) (bool, error) {
	switch strings.TrimSpace(s) {
	case "", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	}
	return false, &Error{Kind: ErrMalformed, Path: path, Msg: fmt.Sprintf("%q is not a boolean", s)}
}

// parseAmount reads an ISO 20022 amount ("1234.5", at most 18 digits) into
// minor units of its currency. Digits beyond the currency's decimals are
// accepted only when they are zeros: nothing is rounded away.
func parseAmount(a amount, path string) (int64, string, error) {
	ccy := strings.TrimSpace(a.Ccy)
	unit, err := currency.ParseISO(ccy)
	if err != nil || unit.String() != ccy {
		return 0, "", &Error{Kind: ErrMalformed, Path: path + "/@Ccy", Msg: fmt.Sprintf("%q is not an ISO 4217 currency", ccy)}
	}
	scale, _ := currency.Standard.Rounding(unit)
	bad := func(why string) error {
		return &Error{Kind: ErrMalformed, Path: path, Msg: fmt.Sprintf("amount %q: %s", a.Value, why)}
	}
	s := strings.TrimSpace(a.Value)
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || (dot && frac == "") || !digits(whole) || !digits(frac) {
		return 0, "", bad("not a decimal number")
	}
	if len(whole)+len(frac) > 18 {
		return 0, "", bad("more than 18 digits")
	}
	if len(frac) > scale {
		if strings.Trim(frac[scale:], "0") != "" {
			return 0, "", bad(fmt.Sprintf("%s has %d decimals", ccy, scale))
		}
		frac = frac[:scale]
	}
	frac += strings.Repeat("0", scale-len(frac))
	// At most 18 digits in total fit int64 (max ≈ 9.2·10^18) without overflow.
	var v int64
	for _, r := range whole + frac {
		v = v*10 + int64(r-'0')
	}
	if v <= 0 {
		return 0, "", bad("must be positive")
	}
	return v, ccy, nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// parseDate takes Dt ("2026-12-07") or DtTm (with or without offset) and
// keeps the calendar date as the bank wrote it.
func parseDate(d dateChoice, path string) (time.Time, error) {
	if s := strings.TrimSpace(d.Dt); s != "" {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return time.Time{}, &Error{Kind: ErrMalformed, Path: path + "/Dt", Msg: fmt.Sprintf("%q is not a date", s)}
		}
		return t, nil
	}
	if s := strings.TrimSpace(d.DtTm); s != "" {
		// Only the calendar date matters; its first ten characters are
		// the date in the bank's own offset.
		if len(s) < 19 {
			return time.Time{}, &Error{Kind: ErrMalformed, Path: path + "/DtTm", Msg: fmt.Sprintf("%q is not a date-time", s)}
		}
		if _, err := time.Parse("2006-01-02T15:04:05", s[:19]); err != nil {
			return time.Time{}, &Error{Kind: ErrMalformed, Path: path + "/DtTm", Msg: fmt.Sprintf("%q is not a date-time", s)}
		}
		t, _ := time.Parse(time.DateOnly, s[:10])
		return t, nil
	}
	return time.Time{}, &Error{Kind: ErrMalformed, Path: path, Msg: "date missing"}
}

// creditorRef normalises a creditor reference and settles its type. Swiss
// banks mark a QR reference with Prtry QRR and an ISO 11649 reference with Cd
// SCOR; when the type is missing it is recognised from the form. A reference
// that does not have the form its type claims (or of another scheme) is kept
// as text without a type: one odd payment must not make the whole file
// unreadable, and a person assigns it by hand. Check digits are left to the
// matcher, which compares against references it issued itself.
func creditorRef(ref, cd, prtry string) (string, string) {
	ref = strings.ToUpper(normalizeSpace(ref))
	typ := strings.TrimSpace(prtry)
	if c := strings.TrimSpace(cd); c != "" {
		typ = c
	}
	isQRR := len(ref) == 27 && digits(ref)
	isSCOR := len(ref) >= 5 && len(ref) <= 25 && strings.HasPrefix(ref, "RF") && digits(ref[2:4])
	switch {
	case (typ == RefQRR || typ == "") && isQRR:
		return ref, RefQRR
	case (typ == RefSCOR || typ == "") && isSCOR:
		return ref, RefSCOR
	}
	return ref, ""
}
