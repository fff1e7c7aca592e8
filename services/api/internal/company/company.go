// Package company holds the company profile: the one record that says who
// sells (name, structured address, UID/VAT number), where to pay (IBAN or
// QR-IBAN, bank), and how documents are made (payment terms, footer, number
// prefixes, currency, whether deposits carry VAT). Invoices print it and
// the QR bill takes its creditor and account from it, so the rules here are
// the QR bill's own (package qrbill): what is saved will print. A profile
// may be saved while still incomplete; MissingForQRBill says what an
// invoice would still lack. The package knows neither HTTP nor SQL.
package company

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/files"
	"github.com/depotix/depotix/services/api/internal/qrbill"
	"github.com/depotix/depotix/services/api/internal/sales"
	"github.com/depotix/depotix/services/api/internal/swissuid"
)

// Limits of the fields the QR bill does not already bound.
const (
	MaxBankName      = 70
	MaxInvoiceFooter = 500
	MaxPaymentTerms  = 365
)

// Defaults of a new installation (the migration's column defaults).
const (
	DefaultInvoicePrefix    = "RE"
	DefaultCreditNotePrefix = "GS"
	DefaultCurrency         = "CHF"
	DefaultPaymentTerms     = 30
)

// Currencies a profile may bill in: the QR bill's.
var Currencies = []string{string(qrbill.CHF), string(qrbill.EUR)}

// Fields are the profile's writable fields, named as the api names them.
type Fields struct {
	Name             string `json:"name"`
	Street           string `json:"street"`
	BuildingNumber   string `json:"building_number"`
	PostalCode       string `json:"postal_code"`
	Town             string `json:"town"`
	Country          string `json:"country"`
	VATNumber        string `json:"vat_number"` // canonical: "CHE-123.456.789 MWST"
	IBAN             string `json:"iban"`       // electronic form, no spaces
	BankName         string `json:"bank_name"`
	PaymentTermsDays int    `json:"payment_terms_days"`
	InvoiceFooter    string `json:"invoice_footer"`
	InvoicePrefix    string `json:"invoice_prefix"`
	CreditNotePrefix string `json:"credit_note_prefix"`
	Currency         string `json:"currency"`
	DepositsTaxable  bool   `json:"deposits_taxable"`
}

// Profile is the stored profile.
type Profile struct {
	Fields
	Logo      *files.File `json:"logo"` // nil: none
	Version   int         `json:"version"`
	UpdatedAt time.Time   `json:"updated_at"`
}

// Creditor is the profile's address as the QR bill's creditor.
func (f Fields) Creditor() qrbill.Address {
	return qrbill.Address{Name: f.Name, Street: f.Street, BuildingNumber: f.BuildingNumber,
		PostalCode: f.PostalCode, Town: f.Town, Country: f.Country}
}

// IsQRIBAN reports whether the account is a QR-IBAN (invoices then carry
// a QRR reference, else SCOR).
func (f Fields) IsQRIBAN() bool { return qrbill.IsQRIBAN(f.IBAN) }

// Normalize trims every text and brings the coded ones to their stored
// form: the IBAN without spaces in upper case, the UID/VAT number in its
// official spelling (when it parses; else it stays for Validate to refuse),
// country, currency and prefixes in upper case.
func (f *Fields) Normalize() {
	for _, s := range []*string{&f.Name, &f.Street, &f.BuildingNumber, &f.PostalCode, &f.Town,
		&f.Country, &f.VATNumber, &f.IBAN, &f.BankName, &f.InvoiceFooter, &f.InvoicePrefix,
		&f.CreditNotePrefix, &f.Currency} {
		*s = strings.TrimSpace(*s)
	}
	f.Country = strings.ToUpper(f.Country)
	f.Currency = strings.ToUpper(f.Currency)
	f.InvoicePrefix = strings.ToUpper(f.InvoicePrefix)
	f.CreditNotePrefix = strings.ToUpper(f.CreditNotePrefix)
	f.IBAN = qrbill.Compact(f.IBAN)
	if u, err := swissuid.Parse(strings.ToUpper(f.VATNumber)); err == nil {
		f.VATNumber = u.String()
	}
	// The footer may have several lines; keep the person's line breaks as
	// LF only, so the PDF and the form see the same text.
	f.InvoiceFooter = strings.ReplaceAll(f.InvoiceFooter, "\r\n", "\n")
}

// Validate checks the fields as Normalize left them and returns every
// problem at once (apperr validation error). Empty name, postal code,
// town or IBAN are accepted (MissingForQRBill reports them); whatever is
// filled in must be valid.
func (f Fields) Validate() error {
	p := apperr.Problems{}
	if err := qrbill.ValidateAddress("", f.Creditor()); err != nil {
		for _, pr := range err.(*qrbill.Error).Problems {
			if pr.Code == qrbill.CodeRequired && pr.Field != "country" {
				continue // incomplete is allowed; MissingForQRBill tells
			}
			p.Add(pr.Field, fieldError(pr))
		}
	}
	if f.VATNumber != "" {
		if _, err := swissuid.Parse(f.VATNumber); err != nil {
			reason := "format"
			if errors.Is(err, swissuid.ErrChecksum) {
				reason = "checksum"
			}
			p.Add("vat_number", apperr.FieldError{Code: apperr.FieldInvalidUID,
				Message: "must be a UID or VAT number such as CHE-123.456.789 MWST with a correct check digit",
				Params:  apperr.Params{"reason": reason}})
		}
	}
	if f.IBAN != "" {
		if reason := qrbill.IBANProblem(f.IBAN); reason != "" {
			p.Add("iban", invalidIBAN(reason))
		}
	}
	p.Line("bank_name", f.BankName, 0, MaxBankName)
	p.Text("invoice_footer", f.InvoiceFooter, 0, MaxInvoiceFooter)
	p.Range("payment_terms_days", int64(f.PaymentTermsDays), 0, MaxPaymentTerms)
	for _, pf := range []struct{ field, value string }{
		{"invoice_prefix", f.InvoicePrefix}, {"credit_note_prefix", f.CreditNotePrefix},
	} {
		if !sales.ValidPrefix(pf.value) {
			p.Add(pf.field, apperr.InvalidFormat().Because(fmt.Sprintf("must be 1 to %d letters A to Z", sales.MaxPrefixLength)))
		}
	}
	if f.InvoicePrefix != "" && f.InvoicePrefix == f.CreditNotePrefix {
		p.Add("credit_note_prefix", apperr.MustDiffer("invoice_prefix"))
	}
	if f.Currency != string(qrbill.CHF) && f.Currency != string(qrbill.EUR) {
		p.Add("currency", apperr.NotAllowed(Currencies...))
	}
	return p.Check()
}

// invalidIBAN is the refusal of an account that is no CH/LI IBAN.
func invalidIBAN(reason string) apperr.FieldError {
	return apperr.FieldError{Code: apperr.FieldInvalidIBAN,
		Message: "must be a Swiss or Liechtenstein IBAN or QR-IBAN with a correct check (" + reason + ")",
		Params:  apperr.Params{"reason": reason}}
}

// QRBillFieldError is a QR bill problem as the api's field error: the
// invoice issue names a customer address the QR bill refuses with it.
func QRBillFieldError(pr qrbill.Problem) apperr.FieldError { return fieldError(pr) }

// fieldError turns a QR bill problem into the api's field error.
func fieldError(pr qrbill.Problem) apperr.FieldError {
	switch pr.Code {
	case qrbill.CodeRequired:
		return apperr.Required()
	case qrbill.CodeTooLong:
		var max int
		fmt.Sscan(pr.Params["max"], &max)
		return apperr.TooLong(max)
	case qrbill.CodeInvalidCharacter:
		var pos int64
		fmt.Sscan(pr.Params["position"], &pos)
		return apperr.FieldError{Code: apperr.FieldInvalidCharacter,
			Message: fmt.Sprintf("must not contain %q (character %d): a QR bill prints only Latin letters, digits and common signs", pr.Params["character"], pos),
			Params:  apperr.Params{"character": pr.Params["character"], "position": pos}}
	case qrbill.CodeInvalidCountry:
		return apperr.FieldError{Code: apperr.FieldCountry, Message: "must be a country code such as CH"}
	}
	return apperr.InvalidFormat()
}

// MissingForQRBill lists the fields, in form order, that an invoice with
// a QR bill still needs: the creditor's name, postal code, town and
// country and the account. Empty means the profile is complete for a QR
// bill. Whatever is filled in was validated when saved.
func (f Fields) MissingForQRBill() []string {
	var missing []string
	for _, m := range []struct{ field, value string }{
		{"name", f.Name}, {"postal_code", f.PostalCode}, {"town", f.Town}, {"country", f.Country}, {"iban", f.IBAN},
	} {
		if m.value == "" {
			missing = append(missing, m.field)
		}
	}
	return missing
}

// IncompleteError is the refusal to issue an invoice while the profile
// lacks what the QR bill needs: a conflict (the request is fine, the
// profile is not) naming each missing field as company.<field>, so a
// client can link to the profile page. nil when nothing is missing.
func (f Fields) IncompleteError() error {
	missing := f.MissingForQRBill()
	if len(missing) == 0 {
		return nil
	}
	e := apperr.New(apperr.CodeConflict, "The company profile lacks what the QR bill needs ("+
		strings.Join(missing, ", ")+"); an admin completes it under Settings, Company.")
	e.Fields = apperr.Problems{}
	for _, m := range missing {
		e.Fields.Add("company."+m, apperr.Required())
	}
	return e
}

// Store keeps the one profile. Writes run in one transaction with their
// audit record and check the version the caller expects (0: any);
// a stale one is apperr.CodePrecondition.
type Store interface {
	GetProfile(ctx context.Context) (Profile, error)
	// UpdateProfile calls change on the stored fields under lock and saves
	// them when change returns nil.
	UpdateProfile(ctx context.Context, actor audit.Actor, expectedVersion int, change func(*Fields) error) (Profile, error)
	// ReplaceLogo stores f as the logo and deletes the previous logo's file,
	// in one transaction.
	ReplaceLogo(ctx context.Context, actor audit.Actor, expectedVersion int, f files.New) (Profile, error)
	// RemoveLogo unsets the logo and deletes its file, in one transaction;
	// without a logo it changes nothing.
	RemoveLogo(ctx context.Context, actor audit.Actor, expectedVersion int) (Profile, error)
}

// Service is the profile's entry point for the handlers.
type Service struct {
	store   Store
	maxSize int64
}

// NewService returns a service over store; logos may have up to maxSize
// bytes (files.DefaultMaxSize when 0).
func NewService(store Store, maxSize int64) *Service {
	if maxSize <= 0 {
		maxSize = files.DefaultMaxSize
	}
	return &Service{store: store, maxSize: maxSize}
}

// MaxFileSize is the largest logo accepted, in bytes.
func (s *Service) MaxFileSize() int64 { return s.maxSize }

// Get returns the profile.
func (s *Service) Get(ctx context.Context) (Profile, error) { return s.store.GetProfile(ctx) }

// Update replaces the writable fields with in (a PUT: every field given).
func (s *Service) Update(ctx context.Context, actor audit.Actor, expectedVersion int, in Fields) (Profile, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return Profile{}, err
	}
	return s.store.UpdateProfile(ctx, actor, expectedVersion, func(f *Fields) error {
		*f = in
		return nil
	})
}

// ReplaceLogo checks an uploaded picture (field "file") and makes it the
// logo, removing the old one.
func (s *Service) ReplaceLogo(ctx context.Context, actor audit.Actor, expectedVersion int, u files.Upload) (Profile, error) {
	f, err := files.Check("file", u, s.maxSize, true)
	if err != nil {
		return Profile{}, err
	}
	f.Owner, f.OwnerID = files.OwnerCompanyLogo, 1
	return s.store.ReplaceLogo(ctx, actor, expectedVersion, f)
}

// RemoveLogo removes the logo: documents print without one from now on.
func (s *Service) RemoveLogo(ctx context.Context, actor audit.Actor, expectedVersion int) (Profile, error) {
	return s.store.RemoveLogo(ctx, actor, expectedVersion)
}
