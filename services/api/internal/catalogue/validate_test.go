package catalogue

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/money"
)

func ptr[T any](v T) *T { return &v }

// fieldsOf returns the per-field messages of a validation error (nil for nil).
func fieldsOf(t *testing.T, err error) apperr.Problems {
	t.Helper()
	if err == nil {
		return nil
	}
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.CodeValidation {
		t.Fatalf("err = %v, want a validation error", err)
	}
	return e.Fields
}

// expectOnly checks that err is a validation error naming exactly field.
func expectOnly(t *testing.T, err error, field string) {
	t.Helper()
	got := fieldsOf(t, err)
	if _, ok := got[field]; !ok || len(got) != 1 {
		t.Errorf("fields = %v, want only %q", got, field)
	}
}

func validItem() ItemFields {
	f := DefaultItemFields()
	f.SKU, f.Name, f.BaseUnit = "VAL-150", "Valser Classic 1.5 l", "bottle"
	f.PackageUnit, f.PackageSize, f.PalletSize = ptr("crate"), ptr[int64](6), ptr[int64](80)
	f.EANUnit, f.EANPackage, f.EANPallet = ptr("7610029000009"), ptr("4006381333931"), ptr("17610000000025")
	f.SalesPriceUnit, f.SalesPricePackage = 150, ptr(money.Amount(840))
	f.DepositUnit, f.DepositPackage = 50, 300
	f.Container, f.VolumeML, f.ABV, f.CountryOfOrigin = ptr(PET), ptr(1500), ptr(0), ptr("CH")
	return f
}

func TestItemValidation(t *testing.T) {
	base := validItem()
	base.normalize()
	if err := base.validate(); err != nil {
		t.Fatalf("the valid item is refused: %v", err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(*ItemFields)
		field string
	}{
		{"sku required", func(f *ItemFields) { f.SKU = "" }, "sku"},
		{"sku without spaces", func(f *ItemFields) { f.SKU = "VAL 150" }, "sku"},
		{"sku length", func(f *ItemFields) { f.SKU = strings.Repeat("A", 65) }, "sku"},
		{"name required", func(f *ItemFields) { f.Name = "" }, "name"},
		{"name length", func(f *ItemFields) { f.Name = strings.Repeat("é", 201) }, "name"},
		{"name one line", func(f *ItemFields) { f.Name = "Valser\nClassic" }, "name"},
		{"description length", func(f *ItemFields) { f.Description = strings.Repeat("x", 4001) }, "description"},
		{"category id", func(f *ItemFields) { f.CategoryID = ptr[int64](0) }, "category_id"},
		{"brand length", func(f *ItemFields) { f.Brand = strings.Repeat("b", 101) }, "brand"},
		{"unit EAN check digit", func(f *ItemFields) { f.EANUnit = ptr("7610029000000") }, "ean_unit"},
		{"unit EAN length", func(f *ItemFields) { f.EANUnit = ptr("761002900000") }, "ean_unit"},
		{"package EAN check digit", func(f *ItemFields) { f.EANPackage = ptr("4006381333932") }, "ean_package"},
		{"package EAN equals unit EAN", func(f *ItemFields) { f.EANPackage = ptr("7610029000009") }, "ean_package"},
		{"package EAN needs a package", func(f *ItemFields) {
			f.PackageUnit, f.PackageSize, f.PalletSize, f.SalesPricePackage, f.DepositPackage, f.EANPallet = nil, nil, nil, nil, 0, nil
		}, "ean_package"},
		{"pallet EAN check digit", func(f *ItemFields) { f.EANPallet = ptr("17610000000026") }, "ean_pallet"},
		{"pallet EAN equals unit EAN", func(f *ItemFields) { f.EANPallet = ptr("7610029000009") }, "ean_pallet"},
		{"pallet EAN equals package EAN", func(f *ItemFields) { f.EANPallet = ptr("4006381333931") }, "ean_pallet"},
		{"pallet EAN needs a pallet size", func(f *ItemFields) { f.PalletSize = nil }, "ean_pallet"},
		{"base unit required", func(f *ItemFields) { f.BaseUnit = " " }, "base_unit"},
		{"package size without unit", func(f *ItemFields) { f.PackageUnit = nil }, "package_unit"},
		{"package unit without size", func(f *ItemFields) {
			f.PackageSize, f.PalletSize, f.EANPackage, f.SalesPricePackage, f.DepositPackage, f.EANPallet = nil, nil, nil, nil, 0, nil
		}, "package_size"},
		{"package of one", func(f *ItemFields) { f.PackageSize = ptr[int64](1) }, "package_size"},
		{"package too large", func(f *ItemFields) { f.PackageSize = ptr[int64](1_000_001) }, "package_size"},
		{"pallet of none", func(f *ItemFields) { f.PalletSize = ptr[int64](0) }, "pallet_size"},
		{"pallet needs a package", func(f *ItemFields) {
			f.PackageUnit, f.PackageSize, f.EANPackage, f.SalesPricePackage, f.DepositPackage = nil, nil, nil, nil, 0
		}, "pallet_size"},
		{"negative unit price", func(f *ItemFields) { f.SalesPriceUnit = -1 }, "sales_price_unit"},
		{"negative package price", func(f *ItemFields) { f.SalesPricePackage = ptr(money.Amount(-1)) }, "sales_price_package"},
		{"package price needs a package", func(f *ItemFields) {
			f.PackageUnit, f.PackageSize, f.PalletSize, f.EANPackage, f.DepositPackage, f.EANPallet = nil, nil, nil, nil, 0, nil
		}, "sales_price_package"},
		{"currency", func(f *ItemFields) { f.Currency = "USD" }, "currency"},
		{"VAT rate", func(f *ItemFields) { f.VATRateBP = 770 }, "vat_rate_bp"},
		{"negative unit deposit", func(f *ItemFields) { f.DepositUnit = -50 }, "deposit_unit"},
		{"negative package deposit", func(f *ItemFields) { f.DepositPackage = -300 }, "deposit_package"},
		{"package deposit needs a package", func(f *ItemFields) {
			f.PackageUnit, f.PackageSize, f.PalletSize, f.EANPackage, f.SalesPricePackage, f.EANPallet = nil, nil, nil, nil, nil, nil
		}, "deposit_package"},
		{"beverage type length", func(f *ItemFields) { f.BeverageType = strings.Repeat("t", 51) }, "beverage_type"},
		{"container", func(f *ItemFields) { f.Container = ptr(Container("barrel")) }, "container"},
		{"volume zero", func(f *ItemFields) { f.VolumeML = ptr(0) }, "volume_ml"},
		{"abv above 100 %", func(f *ItemFields) { f.ABV, f.Alcoholic = ptr(1001), true }, "abv"},
		{"abv negative", func(f *ItemFields) { f.ABV = ptr(-1) }, "abv"},
		{"alcoholic above 0.5 %", func(f *ItemFields) { f.ABV = ptr(6) }, "alcoholic"},
		{"country of origin", func(f *ItemFields) { f.CountryOfOrigin = ptr("XX") }, "country_of_origin"},
		{"country of origin alpha-3", func(f *ItemFields) { f.CountryOfOrigin = ptr("CHE") }, "country_of_origin"},
		{"min stock", func(f *ItemFields) { f.MinStock = -1 }, "min_stock"},
		{"reorder quantity", func(f *ItemFields) { f.ReorderQty = -1 }, "reorder_qty"},
		{"preferred supplier id", func(f *ItemFields) { f.PreferredSupplierID = ptr[int64](-3) }, "preferred_supplier_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := validItem()
			tc.edit(&f)
			f.normalize()
			expectOnly(t, f.validate(), tc.field)
		})
	}

	t.Run("boundaries accepted", func(t *testing.T) {
		f := validItem()
		f.ABV, f.Alcoholic = ptr(5), false // 0.5 % is not yet alcoholic
		f.PackageSize, f.PalletSize = ptr[int64](2), ptr[int64](1)
		f.EANUnit, f.EANPackage = ptr("96385074"), ptr("10614141000415")
		f.VATRateBP = VATNone
		f.Currency = "eur"
		f.normalize()
		if err := f.validate(); err != nil {
			t.Fatal(err)
		}
		if f.Currency != "EUR" {
			t.Errorf("currency not upper-cased: %q", f.Currency)
		}
	})
}

func TestItemNormalize(t *testing.T) {
	f := ItemFields{SKU: " A-1 ", Name: " Cola ", EANUnit: ptr("  "), PackageUnit: ptr(""), CountryOfOrigin: ptr(" de "), Container: ptr(Container(" Glass "))}
	f.normalize()
	want := ItemFields{SKU: "A-1", Name: "Cola", CountryOfOrigin: ptr("DE"), Container: ptr(Glass), Currency: "CHF"}
	if diff := cmp.Diff(want, f); diff != "" {
		t.Error(diff)
	}
}

func validCustomer() CustomerFields {
	f := DefaultCustomerFields()
	f.Name, f.Email, f.Phone = "Restaurant Sonne", "kueche@sonne.ch", "+41 44 123 45 67"
	f.BillingAddress = Address{Street: "Dorfstrasse", HouseNumber: "5a", PostalCode: "8001", Town: "Zürich"}
	f.DeliveryAddress = &Address{Street: "Hinterhof", PostalCode: "8002", Town: "Zürich", Country: "ch"}
	f.CreditLimit = ptr(money.Amount(500000))
	return f
}

func TestCustomerValidation(t *testing.T) {
	ok := validCustomer()
	ok.normalize()
	if err := ok.validate(); err != nil {
		t.Fatalf("the valid customer is refused: %v", err)
	}
	if ok.DeliveryAddress.Country != "CH" {
		t.Errorf("delivery country not normalised: %q", ok.DeliveryAddress.Country)
	}
	for _, tc := range []struct {
		name  string
		edit  func(*CustomerFields)
		field string
	}{
		{"name required", func(f *CustomerFields) { f.Name = "" }, "name"},
		{"name QR-bill length", func(f *CustomerFields) { f.Name = strings.Repeat("n", 71) }, "name"},
		{"contact length", func(f *CustomerFields) { f.ContactPerson = strings.Repeat("c", 201) }, "contact_person"},
		{"email", func(f *CustomerFields) { f.Email = "sonne" }, "email"},
		{"email with a name", func(f *CustomerFields) { f.Email = "Sonne <kueche@sonne.ch>" }, "email"},
		{"email without domain dot", func(f *CustomerFields) { f.Email = "kueche@sonne" }, "email"},
		{"phone characters", func(f *CustomerFields) { f.Phone = "call me" }, "phone"},
		{"phone too short", func(f *CustomerFields) { f.Phone = "+4" }, "phone"},
		{"billing postal code required", func(f *CustomerFields) { f.BillingAddress.PostalCode = "" }, "billing_address.postal_code"},
		{"billing Swiss postal code", func(f *CustomerFields) { f.BillingAddress.PostalCode = "80010" }, "billing_address.postal_code"},
		{"billing town required", func(f *CustomerFields) { f.BillingAddress.Town = "" }, "billing_address.town"},
		{"billing town length", func(f *CustomerFields) { f.BillingAddress.Town = strings.Repeat("t", 36) }, "billing_address.town"},
		{"billing street length", func(f *CustomerFields) { f.BillingAddress.Street = strings.Repeat("s", 71) }, "billing_address.street"},
		{"billing house number length", func(f *CustomerFields) { f.BillingAddress.HouseNumber = strings.Repeat("1", 17) }, "billing_address.house_number"},
		{"billing country", func(f *CustomerFields) { f.BillingAddress.Country = "Schweiz" }, "billing_address.country"},
		{"delivery town required", func(f *CustomerFields) { f.DeliveryAddress.Town = "" }, "delivery_address.town"},
		{"delivery Liechtenstein postal code", func(f *CustomerFields) {
			f.DeliveryAddress.Country, f.DeliveryAddress.PostalCode = "LI", "FL-9490"
		}, "delivery_address.postal_code"},
		{"payment terms", func(f *CustomerFields) { f.PaymentTermsDays = 366 }, "payment_terms_days"},
		{"negative payment terms", func(f *CustomerFields) { f.PaymentTermsDays = -1 }, "payment_terms_days"},
		{"credit limit", func(f *CustomerFields) { f.CreditLimit = ptr(money.Amount(-1)) }, "credit_limit"},
		{"currency", func(f *CustomerFields) { f.Currency = "GBP" }, "currency"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := validCustomer()
			tc.edit(&f)
			f.normalize()
			expectOnly(t, f.validate(), tc.field)
		})
	}

	t.Run("foreign postal codes are free-form", func(t *testing.T) {
		f := validCustomer()
		f.BillingAddress.Country, f.BillingAddress.PostalCode = "DE", "79539"
		f.DeliveryAddress = nil
		f.CreditLimit = nil
		f.normalize()
		if err := f.validate(); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSupplierValidation(t *testing.T) {
	valid := func() SupplierFields {
		f := DefaultSupplierFields()
		f.Name, f.Email = "Mineralquellen AG", "bestellung@quelle.ch"
		return f
	}
	f := valid()
	f.normalize()
	if err := f.validate(); err != nil {
		t.Fatalf("a supplier with only a name and e-mail is refused: %v", err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(*SupplierFields)
		field string
	}{
		{"name required", func(f *SupplierFields) { f.Name = "" }, "name"},
		{"name length", func(f *SupplierFields) { f.Name = strings.Repeat("n", 201) }, "name"},
		{"email", func(f *SupplierFields) { f.Email = "no mail" }, "email"},
		{"phone", func(f *SupplierFields) { f.Phone = "041-abc" }, "phone"},
		{"country", func(f *SupplierFields) { f.Address.Country = "ZZ" }, "address.country"},
		{"Swiss postal code", func(f *SupplierFields) { f.Address.PostalCode = "CH-6000" }, "address.postal_code"},
		{"payment terms", func(f *SupplierFields) { f.PaymentTermsDays = 400 }, "payment_terms_days"},
		{"notes length", func(f *SupplierFields) { f.Notes = strings.Repeat("n", 4001) }, "notes"},
		{"notes control characters", func(f *SupplierFields) { f.Notes = "bell\a" }, "notes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := valid()
			tc.edit(&f)
			f.normalize()
			expectOnly(t, f.validate(), tc.field)
		})
	}
}

func TestCategoryLocationAndLinkValidation(t *testing.T) {
	for _, tc := range []struct {
		name  string
		err   func() error
		field string // empty: valid
	}{
		{"category", func() error {
			return CategoryFields{Name: "Mineralwasser", Description: "Still\nund mit Kohlensäure"}.validate()
		}, ""},
		{"category name required", func() error { return CategoryFields{}.validate() }, "name"},
		{"category name length", func() error { return CategoryFields{Name: strings.Repeat("c", 101)}.validate() }, "name"},
		{"category description length", func() error { return CategoryFields{Name: "c", Description: strings.Repeat("d", 2001)}.validate() }, "description"},
		{"warehouse", func() error { return LocationFields{Code: "WH1", Name: "Hauptlager", Kind: Warehouse}.validate() }, ""},
		{"bin", func() error {
			return LocationFields{ParentID: ptr[int64](1), Code: "WH1-A-03", Name: "Regal A3", Kind: Bin}.validate()
		}, ""},
		{"location code required", func() error { return LocationFields{Name: "x", Kind: Zone}.validate() }, "code"},
		{"location code without spaces", func() error { return LocationFields{Code: "WH 1", Name: "x", Kind: Zone}.validate() }, "code"},
		{"location code length", func() error { return LocationFields{Code: strings.Repeat("C", 33), Name: "x", Kind: Zone}.validate() }, "code"},
		{"location name required", func() error { return LocationFields{Code: "Z", Kind: Zone}.validate() }, "name"},
		{"location kind", func() error { return LocationFields{Code: "Z", Name: "x", Kind: "shelf"}.validate() }, "kind"},
		{"warehouse at the top", func() error {
			return LocationFields{ParentID: ptr[int64](1), Code: "WH2", Name: "x", Kind: Warehouse}.validate()
		}, "parent_id"},
		{"parent id", func() error {
			return LocationFields{ParentID: ptr[int64](0), Code: "Z", Name: "x", Kind: Zone}.validate()
		}, "parent_id"},
		{"link", func() error {
			return ItemSupplierFields{SupplierSKU: "QS 1500", Price: ptr(money.Amount(520)), LeadTimeDays: ptr(2)}.validate()
		}, ""},
		{"link supplier sku length", func() error { return ItemSupplierFields{SupplierSKU: strings.Repeat("s", 65)}.validate() }, "supplier_sku"},
		{"link price", func() error { return ItemSupplierFields{Price: ptr(money.Amount(-1))}.validate() }, "price"},
		{"link lead time", func() error { return ItemSupplierFields{LeadTimeDays: ptr(366)}.validate() }, "lead_time_days"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.err()
			if tc.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			expectOnly(t, err, tc.field)
		})
	}
}

func TestValidCountry(t *testing.T) {
	for c, want := range map[string]bool{"CH": true, "LI": true, "DE": true, "XK": true, "ZW": true, "AD": true,
		"ch": false, "XX": false, "UK": false, "C": false, "CHE": false, "": false, "H ": false} {
		if got := ValidCountry(c); got != want {
			t.Errorf("ValidCountry(%q) = %v", c, got)
		}
	}
}

func TestOptionalJSON(t *testing.T) {
	var p ItemPatch
	if err := json.Unmarshal([]byte(`{"name":"Cola","ean_unit":null,"package_size":24}`), &p); err != nil {
		t.Fatal(err)
	}
	if p.Name == nil || *p.Name != "Cola" {
		t.Errorf("name = %v", p.Name)
	}
	if diff := cmp.Diff(SetNull[string](), p.EANUnit); diff != "" {
		t.Errorf("null: %s", diff)
	}
	if diff := cmp.Diff(SetTo[int64](24), p.PackageSize); diff != "" {
		t.Errorf("value: %s", diff)
	}
	if p.PalletSize.Set || p.CategoryID.Set {
		t.Error("absent fields are set")
	}
	if err := json.Unmarshal([]byte(`{"package_size":"many"}`), &p); err == nil {
		t.Error("a string for a number is accepted")
	}
}

func TestPatchApply(t *testing.T) {
	f := validItem()
	ItemPatch{
		Name:        ptr("Valser Still"),
		EANUnit:     SetNull[string](),
		PalletSize:  SetTo[int64](60),
		MinStock:    ptr[int64](12),
		CategoryID:  Optional[int64]{}, // left alone
		Description: nil,
	}.apply(&f)
	want := validItem()
	want.Name, want.EANUnit, want.PalletSize, want.MinStock = "Valser Still", nil, ptr[int64](60), 12
	if diff := cmp.Diff(want, f); diff != "" {
		t.Error(diff)
	}
	// The record must not share memory with the patch.
	v := int64(80)
	p := ItemPatch{PalletSize: Optional[int64]{Set: true, Value: &v}}
	p.apply(&f)
	v = 1
	if *f.PalletSize != 80 {
		t.Error("applying a patch aliases its values")
	}
}
