package httpapi

import (
	"time"

	"github.com/oapi-codegen/nullable"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/money"
)

// fieldErrors collects conversion problems of one request body, so a client
// learns about every bad field at once. The parsers report apperr field
// errors, so the codes reach the client as they are.
type fieldErrors apperr.Problems

func (f fieldErrors) err() error { return apperr.Problems(f).Check() }

// add records err (a parser's) as field's problem.
func (f fieldErrors) add(field string, err error) { apperr.Problems(f).AddErr(field, err) }

func (f fieldErrors) money(field string, s string) money.Amount {
	a, err := money.Parse(s)
	if err != nil {
		f.add(field, err)
	}
	return a
}

func (f fieldErrors) moneyPtr(field string, s *string) *money.Amount {
	if s == nil {
		return nil
	}
	a := f.money(field, *s)
	return &a
}

// vatBP turns "8.1" into 810 basis points.
func (f fieldErrors) vatBP(field string, s string) int {
	bp, err := catalogue.ParseVATPercent(s)
	if err != nil {
		f.add(field, err)
	}
	return bp
}

// abvPerMille turns "4.8" (percent) into 48.
func (f fieldErrors) abvPerMille(field, s string) int {
	v, err := catalogue.ParseABVPercent(s)
	if err != nil {
		f.add(field, err)
	}
	return v
}

func moneyPtrString(a *money.Amount) *string {
	if a == nil {
		return nil
	}
	s := a.String()
	return &s
}

// optional converts a nullable wire field into the catalogue's patch field.
func optional[T any](n nullable.Nullable[T]) catalogue.Optional[T] {
	if !n.IsSpecified() {
		return catalogue.Optional[T]{}
	}
	if n.IsNull() {
		return catalogue.SetNull[T]()
	}
	return catalogue.SetTo(n.MustGet())
}

// optionalAs converts a nullable wire field of one type into a patch field of
// another (money strings, enums).
func optionalAs[W, D any](n nullable.Nullable[W], conv func(W) D) catalogue.Optional[D] {
	if !n.IsSpecified() {
		return catalogue.Optional[D]{}
	}
	if n.IsNull() {
		return catalogue.SetNull[D]()
	}
	return catalogue.SetTo(conv(n.MustGet()))
}

// valueOf returns a nullable's value, or nil when absent or null.
func valueOf[T any](n nullable.Nullable[T]) *T {
	if !n.IsSpecified() || n.IsNull() {
		return nil
	}
	v := n.MustGet()
	return &v
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
