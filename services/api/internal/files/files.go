// Package files holds the rules of the file store every feature uploads to
// (the company logo now; receipts and brand logos later): which types are
// accepted, judged from the bytes and never from the name or the declared
// type; how large a file may be; how its name is cleaned; and the headers it
// is served with. The bytes themselves are kept by a Store (PostgreSQL), so
// a database backup is complete. The package knows neither HTTP nor SQL.
package files

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/depotix/depotix/services/api/internal/apperr"
)

// Type is an accepted content type.
type Type string

// The accepted types. SVG is not among them: it is a document that may run
// script and load other resources, so it is refused whatever it is called.
const (
	PNG  Type = "image/png"
	JPEG Type = "image/jpeg"
	WebP Type = "image/webp"
	PDF  Type = "application/pdf"
)

// Types lists the accepted types, for messages and the contract.
var Types = []Type{PNG, JPEG, WebP, PDF}

// IsImage reports whether t is a picture (the logo must be one).
func (t Type) IsImage() bool { return t == PNG || t == JPEG || t == WebP }

// Extension is the usual file name extension of t.
func (t Type) Extension() string {
	switch t {
	case PNG:
		return ".png"
	case JPEG:
		return ".jpg"
	case WebP:
		return ".webp"
	case PDF:
		return ".pdf"
	}
	return ""
}

// OwnerKind names what a file belongs to; who may read the file follows
// who may read that record.
type OwnerKind string

// Owner kinds. A new kind needs its row in the migration's CHECK and its
// permission in the api's download handler.
const (
	OwnerCompanyLogo OwnerKind = "company_logo"
	// An issued invoice's or credit note's PDF, stored once and served
	// byte-identical; never changed or deleted (a trigger refuses).
	OwnerInvoice    OwnerKind = "invoice"
	OwnerCreditNote OwnerKind = "credit_note"
	// A copy of the company logo as issued documents printed it, one per
	// content, so a later logo change leaves their letterheads alone.
	OwnerDocumentLogo OwnerKind = "document_logo"
	// A receipt of an expense, served only to roles that may see expenses.
	OwnerExpenseReceipt OwnerKind = "expense_receipt"
)

// DefaultMaxSize is the size limit when the configuration sets none: a logo
// or a scanned receipt fits easily, and the api holds one file in memory
// at a time per upload.
const DefaultMaxSize = 5 << 20

// MaxNameLength bounds a stored file name, in characters.
const MaxNameLength = 200

// UnsupportedType is the refusal of a file of another type.
func UnsupportedType() apperr.FieldError {
	return apperr.FieldError{Code: apperr.FieldUnsupportedType,
		Message: "must be a PNG, JPEG, WebP or PDF file",
		Params:  apperr.Params{"allowed": "PNG, JPEG, WebP, PDF"}}
}

// Sniff tells the type from the first bytes, by the formats' own magic
// numbers (net/http.DetectContentType guesses more widely than we accept:
// it would take a text file for text/plain, and it cannot tell an SVG from
// other XML). Everything else, SVG included, is refused.
func Sniff(b []byte) (Type, bool) {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return PNG, true
	case bytes.HasPrefix(b, []byte("\xff\xd8\xff")):
		return JPEG, true
	case len(b) >= 12 && bytes.Equal(b[0:4], []byte("RIFF")) && bytes.Equal(b[8:12], []byte("WEBP")):
		return WebP, true
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return PDF, true
	}
	return "", false
}

// Upload is a file as it arrives.
type Upload struct {
	Name    string // as the client named it; cleaned by Check
	Content []byte
}

// File is a stored file's description (without its bytes).
type File struct {
	ID        int64
	Owner     OwnerKind
	OwnerID   int64
	Type      Type
	Size      int64
	SHA256    string // hex
	Name      string // cleaned, safe for Content-Disposition
	CreatedBy int64  // 0: the system
	CreatedAt time.Time
}

// ETag is the file's strong entity tag: its content's digest, so it does
// not change unless the bytes do.
func (f File) ETag() string { return `"` + f.SHA256 + `"` }

// New is a checked file ready to store.
type New struct {
	Owner   OwnerKind
	OwnerID int64
	Type    Type
	SHA256  string
	Name    string
	Content []byte
}

// Check judges an upload for the given field: present, at most maxSize
// bytes, of an accepted type (imageOnly: a picture). The problems are
// field errors on field, so the caller answers with the error envelope.
func Check(field string, u Upload, maxSize int64, imageOnly bool) (New, error) {
	p := apperr.Problems{}
	switch {
	case len(u.Content) == 0:
		p.Add(field, apperr.Required().Because("must be a file with content"))
	case int64(len(u.Content)) > maxSize:
		p.Add(field, apperr.TooLarge(maxSize).With("unit", "bytes").Because(fmt.Sprintf("must be at most %d bytes", maxSize)))
	}
	if err := p.Check(); err != nil {
		return New{}, err
	}
	t, ok := Sniff(u.Content)
	if !ok || (imageOnly && !t.IsImage()) {
		e := UnsupportedType()
		if imageOnly {
			e = e.Because("must be a PNG, JPEG or WebP picture").With("allowed", "PNG, JPEG, WebP")
		}
		p.Add(field, e)
		return New{}, p.Check()
	}
	sum := sha256.Sum256(u.Content)
	return New{Type: t, SHA256: hex.EncodeToString(sum[:]), Name: CleanName(u.Name, t), Content: u.Content}, nil
}

// CleanName makes a client's file name safe to keep and to send back: the
// last path element only (a browser may send C:\fakepath\x.png), no
// control or format characters, no quotes or backslashes, at most
// MaxNameLength characters, and the extension of the type actually found
// (a "logo.png" that is a JPEG becomes "logo.jpg"). Nothing left gives
// "file" with the extension.
func CleanName(name string, t Type) string {
	name = strings.ReplaceAll(name, `\`, "/")
	name = path.Base(name)
	if !utf8.ValidString(name) {
		name = strings.ToValidUTF8(name, "")
	}
	name = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), r == '"', r == '/', r == '\\', r == ';':
			return -1
		case unicode.IsSpace(r):
			return ' '
		}
		return r
	}, name)
	name = strings.Trim(strings.TrimSpace(name), ".")
	base := strings.TrimSuffix(name, path.Ext(name))
	if base == "" {
		base = "file"
	}
	ext := t.Extension()
	if r := []rune(base); len(r) > MaxNameLength-len(ext) {
		base = strings.TrimSpace(string(r[:MaxNameLength-len(ext)]))
	}
	return base + ext
}

// ContentDisposition writes the header for serving a file inline under
// its name (RFC 6266): an ASCII fallback in filename for old clients and
// the exact name in filename* (RFC 5987 percent-encoding of UTF-8).
func ContentDisposition(name string) string {
	var ascii strings.Builder
	for _, r := range name {
		if r >= 0x20 && r < 0x7f && r != '"' && r != '\\' && r != '%' {
			ascii.WriteRune(r)
		} else {
			ascii.WriteByte('_')
		}
	}
	var enc strings.Builder
	for _, b := range []byte(name) {
		if isAttrChar(b) {
			enc.WriteByte(b)
		} else {
			fmt.Fprintf(&enc, "%%%02X", b)
		}
	}
	return `inline; filename="` + ascii.String() + `"; filename*=UTF-8''` + enc.String()
}

// isAttrChar is RFC 5987's attr-char: what filename* may carry unescaped.
func isAttrChar(b byte) bool {
	switch {
	case b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z', b >= '0' && b <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", b) >= 0
}

// Headers every served file carries: the browser must take the type we
// found (nosniff), and a file opened on its own may do nothing (a PDF's
// script, an image's tricks): the sandbox CSP makes it an opaque origin
// without script, forms or plugins.
const (
	CSP = "default-src 'none'; sandbox"
)

// Store keeps files. Writes run inside the caller's transaction where they
// replace another record's file (see the company profile), so this
// interface only reads.
type Store interface {
	// GetFile returns the file's description and bytes; a missing file is
	// apperr.CodeNotFound.
	GetFile(ctx context.Context, id int64) (File, []byte, error)
}
