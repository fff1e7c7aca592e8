package views

import (
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/i18n"
)

func sampleMovementItem() *MovementItem {
	return &MovementItem{ID: 1, SKU: "BEER-1", Name: "Lager 33cl", BaseUnit: "bottle", PackageUnit: "crate",
		PackageSize: 24, PalletSize: 40, EANs: []string{"7610000000017"}}
}

func TestMovementFormComponent(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.English, i18n.German} {
		p := signedInPage(lang, NavMovements, "clerk")
		v := MovementFormView{Type: "issue", Item: sampleMovementItem(),
			Locations: []Option{{Value: "1", Label: "A-01"}},
			Choices:   []PartnerOption{{Key: "c9", Text: "Sonne · 1000"}, {Key: "c10", Text: "Sonnenhof · 1001"}},
			Form:      Form{Values: map[string]string{"unit": "package", "customer": "sonne"}, IdempotencyKey: "key-1"}}
		doc := renderDoc(t, MovementForm(p, v))
		t.Run(string(lang), func(t *testing.T) {
			if got := text(doc, "movement-title"); got != i18n.Movements(lang).TypeNames["issue"] {
				t.Errorf("title = %q", got)
			}
			form := doc.Find(byTestID("movement-form"))
			if v, _ := form.Find(`input[name="_idempotency_key"]`).Attr("value"); v != "key-1" {
				t.Errorf("idempotency key = %q", v)
			}
			if v, _ := form.Find(`input[name="item_id"]`).Attr("value"); v != "1" {
				t.Errorf("item id = %q", v)
			}
			var units []string
			form.Find("#movement-unit option").Each(func(_ int, o *goquery.Selection) {
				units = append(units, o.AttrOr("data-factor", "")+":"+o.Text())
			})
			wantPallet := "960:" + i18n.Movements(lang).Pallet + " (= 960 bottles)"
			if len(units) != 3 || units[0] != "1:bottle" || units[1] != "24:crate (= 24 bottles)" || units[2] != wantPallet {
				t.Errorf("units = %q", units)
			}
			if _, sel := form.Find(`#movement-unit option[value="package"]`).Attr("selected"); !sel {
				t.Error("the chosen unit is not selected")
			}
			if _, hidden := doc.Find(byTestID("movement-preview")).Attr("hidden"); !hidden {
				t.Error("the preview must be hidden without script")
			}
			if doc.Find(`script[src="/static/hashed-movements.js"]`).Length() != 1 {
				t.Error("movements.js not loaded")
			}
			// The customer is typed, with suggestions from the server and
			// the candidates of an ambiguous text as radio buttons.
			customer := form.Find(`input#movement-customer[type="text"]`)
			if customer.AttrOr("value", "") != "sonne" || customer.AttrOr("data-partner-lookup", "") != "/movements/partners?kind=customer" ||
				customer.AttrOr("list", "") != "movement-customer-suggestions" || form.Find("datalist#movement-customer-suggestions").Length() != 1 {
				t.Errorf("customer field = %v", customer.Nodes)
			}
			if _, req := customer.Attr("required"); req {
				t.Error("an issue's customer is optional")
			}
			if form.Find("select").FilterFunction(func(_ int, s *goquery.Selection) bool { return s.AttrOr("name", "") == "customer_id" }).Length() != 0 {
				t.Error("the customer is still a list")
			}
			picks := form.Find(`[data-testid="movement-customer-choices"] input[type="radio"][name="customer_pick"]`)
			if picks.Length() != 2 || picks.Eq(1).AttrOr("value", "") != "c10" ||
				strings.TrimSpace(picks.Eq(1).Parent().Text()) != "Sonnenhof · 1001" {
				t.Errorf("choices = %d", picks.Length())
			}
			// None is required: the person may type the customer again.
			if picks.Filter("[required]").Length() != 0 {
				t.Error("a choice is required")
			}
			// A clerk gets no price field.
			if form.Find("#movement-unit_cost").Length() != 0 {
				t.Error("clerk sees a cost field")
			}
			// The item is chosen: the quantity takes the focus, not the search.
			if _, af := doc.Find("#find-q").Attr("autofocus"); af {
				t.Error("search field focused although the item is chosen")
			}
			if _, af := doc.Find("#movement-quantity").Attr("autofocus"); !af {
				t.Error("quantity not focused")
			}
		})
	}

	// Before an item is chosen, only the search is there, focused.
	p := signedInPage(i18n.English, NavMovements, "manager")
	doc := renderDoc(t, MovementForm(p, MovementFormView{Type: "transfer", Query: "xyz", NotFound: true}))
	if doc.Find(byTestID("movement-form")).Length() != 0 || text(doc, "movement-not-found") != "No active item matches «xyz»." {
		t.Error("no item: no booking form, and a message")
	}
	if _, af := doc.Find("#find-q").Attr("autofocus"); !af {
		t.Error("search field not focused")
	}
	// A transfer asks for both locations.
	v := MovementFormView{Type: "transfer", Item: sampleMovementItem(), Form: Form{Values: map[string]string{}}}
	doc = renderDoc(t, MovementForm(p, v))
	if doc.Find("#movement-location_id").Length() != 1 || doc.Find("#movement-to_location_id").Length() != 1 {
		t.Error("a transfer needs from and to")
	}
}

func TestReceiptFormComponent(t *testing.T) {
	v := ReceiptFormView{Lines: 3, Form: Form{Values: map[string]string{LineField(0, "code"): "7610000000017"},
		Errors: map[string]string{LineField(1, "code"): "unknown"}, IdempotencyKey: "k"},
		Found: map[int]string{0: "BEER-1 — Lager"}}
	v.Form.Values["supplier"] = "Brauerei Falken (s5)"
	manager := signedInPage(i18n.English, NavMovements, "manager")
	doc := renderDoc(t, ReceiptForm(manager, v))
	if n := doc.Find(`fieldset.receipt-row`).Length(); n != 3 {
		t.Errorf("lines = %d", n)
	}
	supplier := doc.Find(`input#receipt-supplier[type="text"]`)
	if supplier.AttrOr("value", "") != "Brauerei Falken (s5)" || supplier.AttrOr("data-partner-lookup", "") != "/movements/partners?kind=supplier" {
		t.Errorf("supplier field = %v", supplier.Nodes)
	}
	if _, req := supplier.Attr("required"); !req || doc.Find(`[data-testid="receipt-supplier-choices"]`).Length() != 0 {
		t.Error("a delivery's supplier is required, and no choices without candidates")
	}
	code := doc.Find(`input[name="lines[0].code"]`)
	if next, _ := code.Attr("data-scan-next"); next != "receipt-lines[0].quantity" {
		t.Errorf("scan moves on to %q", next)
	}
	if doc.Find(`[id="receipt-lines[0].quantity"]`).Length() != 1 {
		t.Error("the field a scan moves on to does not exist")
	}
	if text(doc, "receipt-line-item-0") != "BEER-1 — Lager" || text(doc, "error-receipt-lines[1].code") != "unknown" {
		t.Error("each line says what its code found")
	}
	// The default button (first in the form) only checks.
	if first, _ := doc.Find(`[data-testid="receipt-form"] button[type="submit"]`).First().Attr("value"); first != "check" {
		t.Errorf("default button = %q, want check", first)
	}
	if doc.Find(`input[name="lines[2].unit_cost"]`).Length() != 1 {
		t.Error("manager lacks the cost fields")
	}
	clerk := signedInPage(i18n.German, NavMovements, "clerk")
	doc = renderDoc(t, ReceiptForm(clerk, v))
	if doc.Find(`input[name="lines[0].unit_cost"]`).Length() != 0 {
		t.Error("clerk sees cost fields")
	}
	if got := doc.Find("legend").First().Text(); got != "Zeile 1" {
		t.Errorf("legend = %q", got)
	}
}

func TestMovementFormats(t *testing.T) {
	f := testPage(i18n.English, "").Fmt
	tm := i18n.Movements(i18n.English)
	rt := apiclient.MovementTypeReceipt
	tests := []struct {
		m       apiclient.Movement
		qty     string
		entered string
	}{
		// The item's own unit words, as the item names them.
		{apiclient.Movement{Type: "receipt", ItemBaseUnit: "bottle", ItemPackageUnit: "crate", QuantityBase: 1920,
			EnteredQuantity: 2, EnteredUnit: "pallet", UnitFactor: 960}, "+1’920 bottles", "2 pallets"},
		{apiclient.Movement{Type: "receipt", ItemBaseUnit: "Flasche", ItemPackageUnit: "Harass", QuantityBase: 288,
			EnteredQuantity: 12, EnteredUnit: "package", UnitFactor: 24}, "+288 Flaschen", "12 Harasse"},
		{apiclient.Movement{Type: "issue", ItemBaseUnit: "bottle", QuantityBase: 48, EnteredQuantity: 48, EnteredUnit: "base", UnitFactor: 1}, "−48 bottles", "48 bottles"},
		// Without them (an api answer that lacks them): this language's words, one or many.
		{apiclient.Movement{Type: "adjust", QuantityBase: -3, EnteredQuantity: 21, EnteredUnit: "base", UnitFactor: 1}, "−3 units", "21 units"},
		{apiclient.Movement{Type: "reversal", ReversedType: &rt, QuantityBase: 24, EnteredQuantity: 1, EnteredUnit: "package", UnitFactor: 24}, "−24 units", "1 package"},
		{apiclient.Movement{Type: "write_off", QuantityBase: 1, EnteredQuantity: 1, EnteredUnit: "pallet", UnitFactor: 1}, "−1 unit", "1 pallet"},
	}
	for _, tt := range tests {
		if got := MovementQuantity(tm, f, tt.m); got != tt.qty {
			t.Errorf("%s: quantity %q, want %q", tt.m.Type, got, tt.qty)
		}
		if got := MovementEntered(tm, f, tt.m); got != tt.entered {
			t.Errorf("%s: entered %q, want %q", tt.m.Type, got, tt.entered)
		}
	}
	crate := "crate"
	line := apiclient.StockLine{BaseUnit: "bottle", PackageUnit: &crate,
		AvailableBreakdown: apiclient.Breakdown{Pallets: 2, Packages: 0, Units: 5}}
	if got := StockBreakdown(i18n.Movements(i18n.German), f, line); got != "2 Paletten · 5 bottles" {
		t.Errorf("breakdown = %q", got)
	}
	line.AvailableBreakdown = apiclient.Breakdown{}
	if got := StockBreakdown(tm, f, line); got != "0 bottles" {
		t.Errorf("empty breakdown = %q", got)
	}
}

func TestMovementDetailComponent(t *testing.T) {
	m := apiclient.Movement{ID: 12, Type: "issue", ItemSku: "BEER-1", ItemName: "Lager", LocationCode: "A-01",
		QuantityBase: 48, EnteredQuantity: 2, EnteredUnit: "package", UnitFactor: 24,
		EffectiveAt: testNow, CreatedAt: testNow}
	p := signedInPage(i18n.German, NavJournal, "clerk")
	v := MovementView{M: m, Partner: "Sonne", By: "ich", CanReverse: true, Reverse: Form{IdempotencyKey: "k"}}
	doc := renderDoc(t, MovementDetail(p, v))
	if got := text(doc, "movement-type"); got != "Warenausgang" {
		t.Errorf("type = %q", got)
	}
	// The heading says what happened, in words; the number is only a small reference.
	wantTitle := "Warenausgang: 48 Einheiten Lager, " + p.Fmt.Date(testNow)
	if got := text(doc, "movement-heading"); got != wantTitle {
		t.Errorf("heading = %q, want %q", got, wantTitle)
	}
	if got := text(doc, "movement-number"); got != "Bewegung Nr. 12" {
		t.Errorf("reference = %q", got)
	}
	if doc.Find(`details.confirm form[action="/movements/12/reverse"] input[name="_csrf"]`).Length() != 1 {
		t.Error("the reversal form is not behind a confirmation, or lacks CSRF")
	}
	reversed := int64(13)
	m.ReversedByID = &reversed
	v = MovementView{M: m}
	doc = renderDoc(t, MovementDetail(p, v))
	if doc.Find(byTestID("movement-reverse")).Length() != 0 || !strings.Contains(text(doc, "movement-reversed-by"), "13") {
		t.Error("a reversed movement offers no reversal and names its reversal")
	}
}

func TestMovementTitle(t *testing.T) {
	when := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	receipt := apiclient.Movement{ID: 1, Type: "receipt", ItemName: "Mineral 1.5 l", ItemBaseUnit: "Flasche",
		QuantityBase: 48, EffectiveAt: when}
	adjust := apiclient.Movement{ID: 2, Type: "adjust", ItemName: "Lager", ItemBaseUnit: "bottle",
		QuantityBase: -3, EffectiveAt: when}
	tests := []struct {
		lang i18n.Lang
		m    apiclient.Movement
		want string
	}{
		{i18n.English, receipt, "Receipt of 48 Flaschen Mineral 1.5 l, 03.12.2026"},
		{i18n.German, receipt, "Wareneingang: 48 Flaschen Mineral 1.5 l, 03.12.2026"},
		{i18n.German, adjust, "Inventur: −3 bottles Lager, 03.12.2026"},
	}
	for _, tt := range tests {
		got := MovementTitle(i18n.Movements(tt.lang), testPage(tt.lang, "").Fmt, tt.m)
		if got != tt.want {
			t.Errorf("%s %s: %q, want %q", tt.lang, tt.m.Type, got, tt.want)
		}
	}
}

func TestJournalAndStockComponents(t *testing.T) {
	p := signedInPage(i18n.English, NavJournal, "viewer")
	when := time.Date(2025, 6, 2, 7, 0, 0, 0, time.UTC)
	rows := []JournalRow{{M: apiclient.Movement{ID: 5, Type: "receipt", ItemSku: "B", ItemName: "Beer", LocationCode: "A",
		QuantityBase: 24, EnteredUnit: "base", UnitFactor: 1, EffectiveAt: when}, Partner: "Falken", By: "me"},
		{M: apiclient.Movement{ID: 6, Type: "issue", ItemSku: "B", ItemName: "Beer", ItemBaseUnit: "bottle", ItemPackageUnit: "crate",
			LocationCode: "A", QuantityBase: 288, EnteredQuantity: 12, EnteredUnit: "package", UnitFactor: 24, EffectiveAt: when}}}
	v := JournalView{Filter: Form{Values: map[string]string{"type": "receipt"}}, Types: []Option{{Value: "", Label: "All"}, {Value: "receipt", Label: "Receipt"}},
		Rows: rows, ExportURL: "/journal/export?type=receipt"}
	doc := renderDoc(t, Journal(p, v))
	if got := text(doc, "movement-qty-5"); got != "+24 units" {
		t.Errorf("quantity = %q", got)
	}
	if doc.Find(byTestID("movement-qty-5-entered")).Length() != 0 {
		t.Error("a quantity entered in base units repeats itself")
	}
	if got, entered := text(doc, "movement-qty-6"), text(doc, "movement-qty-6-entered"); got != "−288 bottles" || entered != "Entered as 12 crates" {
		t.Errorf("quantity entered in crates = %q / %q, want −288 bottles / Entered as 12 crates", got, entered)
	}
	if href, _ := doc.Find(byTestID("journal-export")).Attr("href"); href != "/journal/export?type=receipt" {
		t.Errorf("export link = %q", href)
	}
	if doc.Find(byTestID("field-journal-mine")).Length() != 1 {
		t.Error("without people to choose, the filter offers only mine")
	}

	crate := "crate"
	sv := StockView{Rows: []StockRow{{Category: "Beer", L: apiclient.StockLine{ItemID: 4, Sku: "B", Name: "Beer", BaseUnit: "bottle",
		PackageUnit: &crate, Available: 30, AvailableBreakdown: apiclient.Breakdown{Packages: 1, Units: 6}, LowStock: true,
		Value: "24.00", Currency: "CHF"}}}}
	doc = renderDoc(t, Stock(p, sv))
	if got := text(doc, "stock-breakdown-4"); got != "1 crate · 6 bottles" {
		t.Errorf("breakdown = %q", got)
	}
	// No minimum is said in words, not as "0 bottles".
	if got := text(doc, "stock-min-4"); got != "none" {
		t.Errorf("minimum without one = %q", got)
	}
	sv.Rows[0].L.MinStock = 48
	if got := text(renderDoc(t, Stock(p, sv)), "stock-min-4"); got != "48 bottles" {
		t.Errorf("minimum = %q", got)
	}
	if doc.Find(byTestID("stock-low-4")).Length() != 1 || doc.Find(byTestID("stock-receive-4")).Length() != 0 {
		t.Error("viewer: low badge yes, receive button no")
	}
	clerk := signedInPage(i18n.English, NavStock, "clerk")
	if renderDoc(t, Stock(clerk, sv)).Find(byTestID("stock-receive-4")).Length() != 1 {
		t.Error("clerk lacks the receive button")
	}
}

// A partner the api names by number only is never shown as "#7".
func TestMovementPartnerWithoutName(t *testing.T) {
	seven := int64(7)
	tests := []struct {
		lang i18n.Lang
		m    apiclient.Movement
		want string
	}{
		{i18n.English, apiclient.Movement{SupplierID: &seven}, "(supplier no longer listed)"},
		{i18n.German, apiclient.Movement{SupplierID: &seven}, "(Lieferant nicht mehr vorhanden)"},
		{i18n.German, apiclient.Movement{CustomerID: &seven}, "(Kunde nicht mehr vorhanden)"},
	}
	for _, tt := range tests {
		if got := MovementPartner(i18n.Movements(tt.lang), tt.m); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.lang, got, tt.want)
		}
	}
}

// Who booked a movement is the name the api gives, never a number: a
// person the api names nobody for is a localized word.
func TestMovementByNeverANumber(t *testing.T) {
	twelve, me := int64(12), int64(3)
	anna, token := "Anna Muster", "Kasse"
	tests := []struct {
		lang i18n.Lang
		m    apiclient.Movement
		want string
	}{
		{i18n.English, apiclient.Movement{CreatedBy: &twelve, BookedByName: &anna}, "Anna Muster"},
		{i18n.English, apiclient.Movement{CreatedBy: &twelve, BookedByName: &anna, BookedWithToken: &token}, "Anna Muster via Kasse"},
		{i18n.English, apiclient.Movement{CreatedBy: &twelve}, "(former user)"},
		{i18n.German, apiclient.Movement{CreatedBy: &twelve}, "(ehemalige Person)"},
		{i18n.English, apiclient.Movement{CreatedBy: &me}, i18n.Movements(i18n.English).Me},
		{i18n.English, apiclient.Movement{}, ""},
	}
	for _, tt := range tests {
		got := MovementBy(i18n.Movements(tt.lang), tt.m, me)
		if got != tt.want || strings.Contains(got, "12") {
			t.Errorf("%s: %q, want %q", tt.lang, got, tt.want)
		}
	}
}
