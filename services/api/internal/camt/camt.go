// Package camt reads the ISO 20022 bank-to-customer messages Swiss banks
// deliver for incoming payments: camt.054 (debit/credit notification) and
// camt.053 (account statement), in the versions of the Swiss Payment
// Standards (.001.04 and .001.08). It is pure: bytes in, transactions out; the
// caller matches references to invoices and books payments.
//
// Every entry is expanded into one Transaction per transaction detail (a batch
// booking holds many). Credits come back in Result.Credits, everything else in
// Result.Skipped with a reason, so an import report can show what was ignored.
package camt

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// MaxSize bounds an uploaded file. A camt.054 of a busy day is a few hundred
// kilobytes; a month's camt.053 with every batch detail stays far below this.
const MaxSize = 20 << 20

// maxDepth bounds element nesting. The deepest path in these schemas is
// about a dozen levels; a hostile file nesting thousands deep is refused
// before it costs memory.
const maxDepth = 64

// Errors a caller can test for with errors.Is. Each is wrapped in an *Error
// that names where in the file the problem sits.
var (
	ErrTooLarge    = errors.New("camt: file too large")
	ErrDTD         = errors.New("camt: DTDs and entity declarations are not accepted")
	ErrUnsupported = errors.New("camt: unsupported message")
	ErrMalformed   = errors.New("camt: malformed file")
)

// Error says what is wrong and where: Path is the element path
// ("Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[2]/Amt"), Line the line
// of the XML syntax error when there is one.
type Error struct {
	Kind error // one of the Err… sentinels
	Path string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Kind.Error())
	if e.Path != "" {
		b.WriteString(" at ")
		b.WriteString(e.Path)
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, " (line %d)", e.Line)
	}
	if e.Msg != "" {
		b.WriteString(": ")
		b.WriteString(e.Msg)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Kind }

// Message kinds.
const (
	Notification = "camt.054"
	Statement    = "camt.053"
)

// supported maps the namespaces accepted to their message kind. Swiss banks
// moved from .04 to .08 with the SPS 2024/2025 releases; older (.02) and the
// intraday report camt.052 are refused rather than half-read.
var supported = map[string]string{
	"urn:iso:std:iso:20022:tech:xsd:camt.054.001.04": Notification,
	"urn:iso:std:iso:20022:tech:xsd:camt.054.001.08": Notification,
	"urn:iso:std:iso:20022:tech:xsd:camt.053.001.04": Statement,
	"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08": Statement,
}

// Reference types of the creditor reference.
const (
	RefQRR  = "QRR"  // Swiss QR reference, 27 digits
	RefSCOR = "SCOR" // ISO 11649 creditor reference, "RF…"
)

// Where a Transaction's BankRef came from, strongest first.
const (
	RefFromTransaction = "tx"    // TxDtls/Refs/AcctSvcrRef
	RefFromEntry       = "entry" // Ntry/AcctSvcrRef plus the detail's position
	RefFromHash        = "hash"  // sha256 over the identifying fields
)

// Skip reasons.
const (
	SkipDebit     = "debit"      // money left the account (a reversal of a credit included)
	SkipNotBooked = "not-booked" // pending or informational entry
)

// Result is one parsed file.
type Result struct {
	Kind      string // Notification or Statement
	Namespace string
	MessageID string // GrpHdr/MsgId
	// SHA256 is the hex digest of the file's bytes: the same file uploaded
	// twice has the same digest.
	SHA256  string
	Credits []Transaction
	Skipped []Transaction
}

// Transaction is one transaction detail of a booked entry (or the entry
// itself when it carries no details).
type Transaction struct {
	Path     string // element path of the TxDtls (or Ntry), for messages
	IBAN     string // the statement's/notification's account
	Amount   int64  // minor units of Currency, always positive
	Currency string
	Credit   bool // CdtDbtInd is CRDT
	// Reversal is RvslInd: the entry cancels an earlier one. A credit with
	// this flag returns an earlier debit; a debit with it returns a credit.
	Reversal    bool
	BookingDate time.Time // date only, UTC midnight
	ValueDate   time.Time // date only, UTC midnight; zero when absent
	Reference   string    // creditor reference, whitespace removed
	RefType     string    // RefQRR, RefSCOR or "" when there is no reference
	Remittance  string    // unstructured remittance lines joined by a space
	DebtorName  string
	EndToEndID  string
	// BankRef identifies the transaction at the bank for de-duplication
	// (see RefSource); stable across re-imports of the same data.
	BankRef    string
	RefSource  string
	SkipReason string // set only on Result.Skipped
}

// Parse reads a whole camt file from r (at most MaxSize bytes).
func Parse(r io.Reader) (*Result, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("camt: read: %w", err)
	}
	if len(data) > MaxSize {
		return nil, &Error{Kind: ErrTooLarge, Msg: fmt.Sprintf("more than %d bytes", MaxSize)}
	}
	return ParseBytes(data)
}

// ParseBytes reads a camt file held in memory.
func ParseBytes(data []byte) (*Result, error) {
	if len(data) > MaxSize {
		return nil, &Error{Kind: ErrTooLarge, Msg: fmt.Sprintf("more than %d bytes", MaxSize)}
	}
	ns, err := scan(data)
	if err != nil {
		return nil, err
	}
	kind, ok := supported[ns]
	if !ok {
		return nil, &Error{Kind: ErrUnsupported, Path: "Document", Msg: fmt.Sprintf("namespace %q; accepted are camt.053 and camt.054 versions .001.04 and .001.08", ns)}
	}
	var doc document
	if err := newDecoder(data).Decode(&doc); err != nil {
		// scan accepted the syntax, so this is a structural mismatch.
		return nil, &Error{Kind: ErrMalformed, Path: "Document", Msg: err.Error()}
	}
	sum := sha256.Sum256(data)
	res := &Result{Kind: kind, Namespace: ns, SHA256: hex.EncodeToString(sum[:])}

	var reports []report
	var base string
	switch kind {
	case Notification:
		if doc.Ntfctn == nil {
			return nil, &Error{Kind: ErrMalformed, Path: "Document", Msg: "BkToCstmrDbtCdtNtfctn missing"}
		}
		reports, base = doc.Ntfctn.Ntfctn, "Document/BkToCstmrDbtCdtNtfctn/Ntfctn"
		res.MessageID = strings.TrimSpace(doc.Ntfctn.MsgID)
	case Statement:
		if doc.Stmt == nil {
			return nil, &Error{Kind: ErrMalformed, Path: "Document", Msg: "BkToCstmrStmt missing"}
		}
		reports, base = doc.Stmt.Stmt, "Document/BkToCstmrStmt/Stmt"
		res.MessageID = strings.TrimSpace(doc.Stmt.MsgID)
	}
	if len(reports) == 0 {
		return nil, &Error{Kind: ErrMalformed, Path: base, Msg: "no account report in the file"}
	}

	keys := map[string]int{} // BankRef → occurrences in this file
	for i, rep := range reports {
		rpath := fmt.Sprintf("%s[%d]", base, i+1)
		iban := normalizeSpace(rep.Acct.ID.IBAN)
		if iban == "" {
			return nil, &Error{Kind: ErrMalformed, Path: rpath + "/Acct/Id/IBAN", Msg: "account IBAN missing"}
		}
		for j, n := range rep.Entries {
			txs, err := expand(n, fmt.Sprintf("%s/Ntry[%d]", rpath, j+1), iban)
			if err != nil {
				return nil, err
			}
			for _, tx := range txs {
				// A key repeats within a file when two payments are identical
				// in every hashed field (two equal payments on one day) or
				// when a bank repeats its reference by mistake. The second
				// gets "#2" rather than being dropped as a duplicate later;
				// a re-import repeats the same suffixes, so de-duplication
				// still works.
				keys[tx.BankRef]++
				if n := keys[tx.BankRef]; n > 1 {
					tx.BankRef = fmt.Sprintf("%s#%d", tx.BankRef, n)
				}
				if tx.SkipReason != "" {
					res.Skipped = append(res.Skipped, tx)
				} else {
					res.Credits = append(res.Credits, tx)
				}
			}
		}
	}
	return res, nil
}

func newDecoder(data []byte) *xml.Decoder {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	// No Entity map: only the five predefined entities and character
	// references resolve; anything else is a syntax error.
	d.CharsetReader = func(label string, _ io.Reader) (io.Reader, error) {
		// Called only for a declared encoding other than UTF-8. The Swiss
		// Payment Standards prescribe UTF-8; guessing at another would
		// garble names and references.
		return nil, fmt.Errorf("encoding %q declared; camt files must be UTF-8", label)
	}
	return d
}

// scan walks the tokens once before decoding: it refuses DTDs (so no entity
// can be declared, let alone expanded a billion times), bounds nesting and
// turns syntax errors into messages that name the open element. It returns
// the root element's namespace.
func scan(data []byte) (string, error) {
	d := newDecoder(data)
	type open struct {
		name     string
		children map[string]int
	}
	stack := []open{{children: map[string]int{}}}
	path := func() string {
		parts := make([]string, 0, len(stack))
		for _, o := range stack[1:] {
			parts = append(parts, o.name)
		}
		return strings.Join(parts, "/")
	}
	var ns string
	roots := 0
	for {
		start := d.InputOffset() // where the next token begins, for line numbers
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			e := &Error{Kind: ErrMalformed, Path: path(), Msg: err.Error()}
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				e.Line, e.Msg = se.Line, se.Msg
			}
			return "", e
		}
		switch t := tok.(type) {
		case xml.Directive:
			return "", &Error{Kind: ErrDTD, Path: path(), Line: line(data, start)}
		case xml.StartElement:
			if len(stack) == 1 {
				roots++
				if roots > 1 {
					return "", &Error{Kind: ErrMalformed, Line: line(data, start), Msg: "more than one root element"}
				}
				if t.Name.Local != "Document" {
					return "", &Error{Kind: ErrUnsupported, Path: t.Name.Local, Msg: "root element must be Document"}
				}
				ns = t.Name.Space
			}
			if len(stack) > maxDepth {
				return "", &Error{Kind: ErrMalformed, Path: path(), Msg: fmt.Sprintf("nested deeper than %d elements", maxDepth)}
			}
			parent := stack[len(stack)-1]
			parent.children[t.Name.Local]++
			name := t.Name.Local
			if n := parent.children[name]; n > 1 || repeating[name] {
				name = fmt.Sprintf("%s[%d]", name, n)
			}
			stack = append(stack, open{name: name, children: map[string]int{}})
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	if roots == 0 {
		return "", &Error{Kind: ErrMalformed, Msg: "no root element"}
	}
	return ns, nil
}

// repeating lists elements that may occur more than once, so a path shows
// "[1]" on the first one too, as the paths of semantic errors do.
var repeating = map[string]bool{"Stmt": true, "Ntfctn": true, "Ntry": true, "NtryDtls": true, "TxDtls": true}

func line(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return bytes.Count(data[:off], []byte("\n")) + 1
}

// normalizeSpace removes every whitespace character: references are printed
// in groups ("21 00000 00003 …") and some banks pass them on that way.
func normalizeSpace(s string) string {
	return strings.Join(strings.Fields(s), "")
}

// collapseSpace trims and folds runs of whitespace to one space, for names
// and free text that banks wrap across lines.
func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
