package catalogue

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/services/api/internal/apperr"
)

func TestBreakdown(t *testing.T) {
	type parts struct{ Pallets, Packages, Units int64 }
	for _, tc := range []struct {
		name                     string
		qty, packageSize, pallet int64
		want                     parts
	}{
		{"crates and pallets", 2000, 24, 40, parts{2, 3, 8}},
		{"exactly one pallet", 960, 24, 40, parts{1, 0, 0}},
		{"less than a package", 23, 24, 40, parts{0, 0, 23}},
		{"zero", 0, 24, 40, parts{0, 0, 0}},
		{"no pallet size", 2000, 24, 0, parts{0, 83, 8}},
		{"no package", 2000, 0, 40, parts{0, 0, 2000}},
		{"package of one is no package", 7, 1, 40, parts{0, 0, 7}},
		{"negative", -29, 24, 0, parts{0, -1, -5}},
		{"negative with pallets", -2000, 24, 40, parts{-2, -3, -8}},
		{"pallet larger than int64", math.MaxInt64, 1_000_000, math.MaxInt64, parts{0, math.MaxInt64 / 1_000_000, math.MaxInt64 % 1_000_000}},
		{"most negative", math.MinInt64, 2, 0, parts{0, math.MinInt64 / 2, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got parts
			got.Pallets, got.Packages, got.Units = Breakdown(tc.qty, tc.packageSize, tc.pallet)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Error(diff)
			}
			if total := got.Pallets*max(tc.packageSize, 1)*max(tc.pallet, 1) + got.Packages*max(tc.packageSize, 1) + got.Units; tc.pallet < 1e6 && total != tc.qty {
				t.Errorf("parts add up to %d, not %d", total, tc.qty)
			}
		})
	}
}

func TestToBaseUnits(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		qty                  int64
		unit                 Unit
		packageSize, pallet  int64
		wantBase, wantFactor int64
		wantField            string // set when an error is expected
	}{
		{"base", 7, UnitBase, 24, 40, 7, 1, ""},
		{"package", 3, UnitPackage, 24, 40, 72, 24, ""},
		{"pallet", 2, UnitPallet, 24, 40, 1920, 960, ""},
		{"base without package", 5, UnitBase, 0, 0, 5, 1, ""},
		{"zero", 0, UnitPallet, 24, 40, 0, 960, ""},
		{"package without package", 1, UnitPackage, 0, 0, 0, 0, "unit"},
		{"pallet without pallet size", 1, UnitPallet, 24, 0, 0, 0, "unit"},
		{"pallet without package", 1, UnitPallet, 0, 40, 0, 0, "unit"},
		{"unknown unit", 1, Unit("crate"), 24, 40, 0, 0, "unit"},
		{"pallet factor overflows", 1, UnitPallet, math.MaxInt64 / 2, 3, 0, 0, "unit"},
		{"quantity overflows", math.MaxInt64/24 + 1, UnitPackage, 24, 0, 0, 0, "quantity"},
		{"negative quantity overflows", math.MinInt64/24 - 1, UnitPackage, 24, 0, 0, 0, "quantity"},
		{"largest quantity", math.MaxInt64 / 24, UnitPackage, 24, 0, math.MaxInt64 / 24 * 24, 24, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base, factor, err := ToBaseUnits(tc.qty, tc.unit, tc.packageSize, tc.pallet)
			if tc.wantField != "" {
				e, ok := apperr.As(err)
				if !ok || e.Code != apperr.CodeValidation || e.Fields[tc.wantField].Code == "" {
					t.Fatalf("err = %v, want a validation error on %s", err, tc.wantField)
				}
				return
			}
			if err != nil || base != tc.wantBase || factor != tc.wantFactor {
				t.Fatalf("= %d, %d, %v; want %d, %d", base, factor, err, tc.wantBase, tc.wantFactor)
			}
		})
	}
}

func TestItemSizes(t *testing.T) {
	crate, pallet := int64(24), int64(40)
	p, q := ItemFields{PackageSize: &crate, PalletSize: &pallet}.Sizes()
	if p != 24 || q != 40 {
		t.Errorf("Sizes = %d, %d", p, q)
	}
	if p, q := (ItemFields{}).Sizes(); p != 0 || q != 0 {
		t.Errorf("Sizes of a loose item = %d, %d", p, q)
	}
}
