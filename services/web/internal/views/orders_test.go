package views

import (
	"strings"
	"testing"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/i18n"
)

func sampleOrder() apiclient.Order {
	crate := "crate"
	delivered := int64(1)
	return apiclient.Order{ID: 7, Number: "LS-2026-0007", Status: apiclient.OrderStatusDELIVERED, Currency: "CHF",
		CustomerID: 9, CustomerName: "Restaurant Sonne", CustomerNumber: 1000, LocationID: 1, LocationCode: "A-01",
		Net: "26.40", Deposits: "10.20", CreatedAt: testNow, DeliveredAt: &testNow,
		ShipTo: apiclient.ShipTo{Name: "Restaurant Sonne", Street: "Seestrasse", HouseNumber: "1", PostalCode: "8000", Town: "Zürich", Country: "CH"},
		Lines: []apiclient.OrderLine{
			{ItemID: 1, ItemSku: "BEER-1", ItemName: "Lager 33cl", BaseUnit: "bottle", PackageUnit: &crate, Unit: "package",
				Quantity: 2, Delivered: &delivered, Factor: 24, QuantityBase: 48, UnitPrice: "26.40", Net: "26.40", Deposit: "10.20", VatRateBp: 810},
			{ItemID: 2, ItemSku: "WATER-1", ItemName: "Mineral", BaseUnit: "bottle", Unit: "base",
				Quantity: 6, Factor: 1, QuantityBase: 6, UnitPrice: "1.20", Net: "0.00", Deposit: "0.00", VatRateBp: 260, PriceOverridden: true},
		},
		Empties: []apiclient.OrderEmpties{{ItemID: 1, ItemSku: "BEER-1", ItemName: "Lager 33cl", Unit: "package", Quantity: 3,
			Factor: 24, QuantityBase: 72, Deposit: "10.20", Credit: "30.60"}},
	}
}

// An order's page: quantities in the item's words, prices and totals in
// Swiss format, the empties' credit, where it goes, and no actions for
// roles that may not act or statuses that allow none.
func TestOrderDetailComponent(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.English, i18n.German} {
		p := signedInPage(lang, NavOrders, "clerk")
		doc := renderDoc(t, OrderDetail(p, OrderView{O: sampleOrder(), CanWrite: true, EmptiesCredit: "30.60"}))
		want := map[string]string{"order-net": "CHF 26.40", "order-empties-credit": "CHF 30.60",
			"order-ship-to": "Restaurant Sonne, Seestrasse 1, 8000 Zürich"}
		for id, w := range want {
			if got := text(doc, id); got != w {
				t.Errorf("%s %s = %q, want %q", lang, id, got, w)
			}
		}
		line := doc.Find(byTestID("order-line-0"))
		if got := line.Find(byTestID("line-ordered")).Text(); got != "2 crates" {
			t.Errorf("%s ordered %q", lang, got)
		}
		if got := line.Find(byTestID("line-delivered")).Text(); got != "1 crate" {
			t.Errorf("%s delivered %q", lang, got)
		}
		if got := doc.Find(byTestID("order-line-1")).Text(); !strings.Contains(got, "2.6 %") || !strings.Contains(got, i18n.Orders(lang).Overridden) {
			t.Errorf("%s line 2 %q", lang, got)
		}
		if doc.Find(byTestID("order-actions")).Children().Length() != 0 {
			t.Errorf("%s a delivered order offers actions", lang)
		}
		if got := text(doc, "order-status"); got != i18n.Orders(lang).Statuses["DELIVERED"] {
			t.Errorf("%s status %q", lang, got)
		}
	}
}

func TestOrderAmounts(t *testing.T) {
	for in, want := range map[string]int64{"24.9": 2490, "0.05": 5, "-3.00": -300, "12": 1200} {
		if got, ok := Cents(in); !ok || got != want || (got >= 0 && CentsText(got) != strings.TrimSuffix(CentsText(want), "")) {
			t.Errorf("Cents(%q) = %d %v", in, got, ok)
		}
	}
	for _, bad := range []string{"", "1.234", "a", "1,20"} {
		if _, ok := Cents(bad); ok {
			t.Errorf("Cents(%q) read", bad)
		}
	}
	if CentsText(-5) != "-0.05" || CentsText(2640) != "26.40" {
		t.Errorf("CentsText %q %q", CentsText(-5), CentsText(2640))
	}
	pkg, pallet, pp := int64(24), int64(40), "26.40"
	it := apiclient.Item{SalesPriceUnit: "1.20", PackageSize: &pkg, PalletSize: &pallet, DepositUnit: "0.30", DepositPackage: "0.00"}
	if ItemUnitPrice(it, "package") != "28.80" || ItemUnitDeposit(it, "package") != 720 {
		t.Errorf("package without its own price or deposit: %s %d", ItemUnitPrice(it, "package"), ItemUnitDeposit(it, "package"))
	}
	it.SalesPricePackage, it.DepositPackage = &pp, "10.20"
	if ItemUnitPrice(it, "package") != "26.40" || ItemUnitPrice(it, "pallet") != "1056.00" || ItemUnitDeposit(it, "pallet") != 40800 {
		t.Errorf("own package price: %s %s %d", ItemUnitPrice(it, "package"), ItemUnitPrice(it, "pallet"), ItemUnitDeposit(it, "pallet"))
	}
	if VATPercent(810) != "8.1" || VATPercent(260) != "2.6" || VATPercent(0) != "0" || VATPercent(775) != "7.75" {
		t.Error("VATPercent")
	}
	b := BreakdownOf(1000, *sampleMovementItem())
	if b.Pallets != 1 || b.Packages != 1 || b.Units != 16 {
		t.Errorf("breakdown %+v", b)
	}
}

// A clerk changing a DRAFT a manager priced is told those prices stay; a
// manager (who sees and sets the prices) and a clerk on a draft without
// them are not.
func TestOrderFormKeptPricesNote(t *testing.T) {
	priced, plain := sampleOrder(), sampleOrder()
	plain.Lines[1].PriceOverridden = false
	for _, lang := range []i18n.Lang{i18n.English, i18n.German} {
		for _, tc := range []struct {
			role  string
			order apiclient.Order
			want  bool
		}{{"clerk", priced, true}, {"manager", priced, false}, {"clerk", plain, false}} {
			p := signedInPage(lang, NavOrders, tc.role)
			v := OrderFormView{Order: &tc.order, Lines: 1, Prices: tc.role == "manager", Form: Form{Values: map[string]string{}}}
			doc := renderDoc(t, OrderForm(p, v))
			got := text(doc, "order-kept-prices")
			if (got != "") != tc.want || (tc.want && got != i18n.Orders(lang).KeptPrices) {
				t.Errorf("%s %s, overridden %v: note %q", lang, tc.role, tc.order.Lines[1].PriceOverridden, got)
			}
		}
	}
}
