package httpapi

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/oapi-codegen/nullable"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/money"
)

// fieldErrors collects conversion problems of one request body, so a client
// learns about every bad field at once.
type fieldErrors map[string]string

func (f fieldErrors) err() error {
	if len(f) == 0 {
		return nil
	}
	return apperr.Validation("Check the marked fields.", f)
}

func (f fieldErrors) money(field string, s string) money.Amount {
	a, err := money.Parse(s)
	if err != nil {
		f[field] = err.Error()
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
	bp, ok := map[string]int{"8.1": 810, "2.6": 260, "3.8": 380, "0": 0}[s]
	if !ok {
		f[field] = "must be 8.1, 2.6, 3.8 or 0"
	}
	return bp
}

func vatString(bp int) string {
	switch bp {
	case 0:
		return "0"
	default:
		return strconv.FormatFloat(float64(bp)/100, 'f', 1, 64)
	}
}

// abvPerMille turns "4.8" (percent) into 48.
func (f fieldErrors) abvPerMille(field, s string) int {
	whole, frac, _ := strings.Cut(s, ".")
	w, err1 := strconv.Atoi(whole)
	d := 0
	var err2 error
	if frac != "" {
		d, err2 = strconv.Atoi(frac)
	}
	if err1 != nil || err2 != nil || len(frac) > 1 {
		f[field] = "must be a percentage with at most one decimal, e.g. 4.8"
	}
	return w*10 + d
}

func abvString(perMille int) string { return fmt.Sprintf("%d.%d", perMille/10, perMille%10) }

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

func orEmpty(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
