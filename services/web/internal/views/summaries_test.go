package views

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/i18n"
)

// withProblems is f with a message on every field of fields, each naming
// its field so a test can tell them apart.
func withProblems(f Form, fields []FieldSpec) Form {
	f.Errors = map[string]string{}
	for _, s := range fields {
		f.Errors[s.Name] = "problem with " + s.Name
	}
	f.Error = "the form has problems"
	return f
}

// checkSummary renders a form sent back with a problem on each of fields
// and checks its summary: an alert box that takes the focus, one link per
// field in the form's order, each to a control on the page (input, select
// or textarea with that id) whose label the link names; nothing listed
// without a link.
func checkSummary(t *testing.T, doc *goquery.Document, testID string, fields []FieldSpec) {
	t.Helper()
	box := doc.Find(byTestID(testID + "-summary"))
	if box.Length() != 1 {
		t.Fatalf("%s: %d summaries, want 1", testID, box.Length())
	}
	if box.AttrOr("role", "") != "alert" || box.AttrOr("tabindex", "") != "-1" || box.AttrOr("autofocus", "x") == "x" {
		t.Errorf("%s: summary is not a focused alert", testID)
	}
	if doc.Find("[autofocus]").First().AttrOr("data-testid", "") != testID+"-summary" {
		t.Errorf("%s: the first autofocus is %q, not the summary", testID, doc.Find("[autofocus]").First().AttrOr("id", ""))
	}
	if got := text(doc, testID); got != "the form has problems" {
		t.Errorf("%s: title %q", testID, got)
	}
	links := box.Find("a")
	if links.Length() != len(fields) || box.Find("li").Length() != len(fields) {
		t.Fatalf("%s: %d links in %d items, want %d", testID, links.Length(), box.Find("li").Length(), len(fields))
	}
	links.Each(func(i int, a *goquery.Selection) {
		s := fields[i]
		id := strings.TrimPrefix(a.AttrOr("href", ""), "#")
		if id != s.summaryTarget() {
			t.Errorf("%s: link %d goes to %q, want %q", testID, i, id, s.summaryTarget())
			return
		}
		target := doc.Find(`[id="` + id + `"]`)
		if target.Length() != 1 || !target.Is("input, select, textarea") {
			t.Errorf("%s: link to #%s finds %d elements, not one control", testID, id, target.Length())
			return
		}
		if !strings.Contains(a.Text(), "problem with "+s.Name) {
			t.Errorf("%s: link %d reads %q, without its field's message", testID, i, a.Text())
		}
		if s.Target == "" {
			label := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(doc.Find(`label[for="`+id+`"]`).First().Text()), "*"))
			if label == "" || !strings.Contains(a.Find(".error-summary__label").Text(), label) {
				t.Errorf("%s: link %d names %q, the field's label is %q", testID, i, a.Find(".error-summary__label").Text(), label)
			}
		}
	})
}

// Every form that can be refused heads itself with the error summary, its
// links reaching the real controls.
func TestErrorSummaryLinksReachTheirFields(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.English, i18n.German} {
		mt := i18n.Movements(lang)
		clerk := signedInPage(lang, NavMovements, "clerk")
		admin := signedInPage(lang, NavMovements, "admin")
		locations := []Option{{Value: "1", Label: "A-01"}, {Value: "2", Label: "B-01"}}
		for _, typ := range MovementTypes {
			if typ == "receipt" {
				continue
			}
			t.Run(string(lang)+"/movement-"+typ, func(t *testing.T) {
				v := MovementFormView{Type: typ, Item: sampleMovementItem(), Locations: locations, Form: Form{Values: map[string]string{}}}
				fields := movementFields(mt, v)
				v.Form = withProblems(v.Form, fields)
				checkSummary(t, renderDoc(t, MovementForm(clerk, v)), "movement-error", fields)
			})
		}
		t.Run(string(lang)+"/reverse", func(t *testing.T) {
			m := apiclient.Movement{ID: 12, Type: "issue", ItemSku: "BEER-1", ItemName: "Lager", QuantityBase: 1,
				EnteredQuantity: 1, EnteredUnit: "base", UnitFactor: 1, EffectiveAt: testNow, CreatedAt: testNow}
			fields := reverseFields(mt)
			v := MovementView{M: m, CanReverse: true, Reverse: withProblems(Form{IdempotencyKey: "k"}, fields)}
			checkSummary(t, renderDoc(t, MovementDetail(clerk, v)), "reverse-error", fields)
		})
		for _, p := range []Page{clerk, admin} {
			t.Run(string(lang)+"/receipt-"+p.Person.Role, func(t *testing.T) {
				v := ReceiptFormView{Lines: 2, Locations: locations, Form: Form{Values: map[string]string{}}}
				fields := receiptFields(mt, v, p.Person.Role == "admin")
				v.Form = withProblems(v.Form, fields)
				doc := renderDoc(t, ReceiptForm(p, v))
				checkSummary(t, doc, "receipt-error", fields)
				// Line 2's quantity reads as line 2's, not only "Quantity".
				want := fill(mt.Line, "n", "2") + " · " + mt.Quantity
				if got := doc.Find(`[data-testid="summary-receipt-lines[1].quantity"] .error-summary__label`).Text(); got != want {
					t.Errorf("line 2's quantity is named %q, want %q", got, want)
				}
				if (p.Person.Role == "clerk") != (doc.Find(`[id="receipt-lines[0].unit_cost"]`).Length() == 0) {
					t.Errorf("the cost field shows for the wrong role")
				}
			})
		}
		ct := i18n.Counts(lang)
		t.Run(string(lang)+"/count", func(t *testing.T) {
			it := *sampleMovementItem()
			other := MovementItem{ID: 2, SKU: "WATER-1", Name: "Wasser", BaseUnit: "bottle"}
			v := CountSheetView{LocationID: 1, LocationLabel: "A-01", Rows: []CountRow{{Item: it}, {Item: other}}, Form: Form{Values: map[string]string{}}}
			fields := countFields(ct, v)
			v.Form = withProblems(v.Form, fields)
			checkSummary(t, renderDoc(t, CountSheet(signedInPage(lang, NavStock, "clerk"), v)), "count-error", fields)
		})
		t.Run(string(lang)+"/count-choose", func(t *testing.T) {
			fields := []FieldSpec{{Form: "count", Name: "location", Label: ct.Location}}
			v := CountSheetView{Locations: locations, Form: withProblems(Form{}, fields)}
			checkSummary(t, renderDoc(t, CountSheet(signedInPage(lang, NavStock, "clerk"), v)), "count-choose-error", fields)
		})
		for _, users := range [][]Option{nil, {{Value: "", Label: "Anyone"}, {Value: "3", Label: "Anna"}}} {
			t.Run(string(lang)+"/journal", func(t *testing.T) {
				v := JournalView{Types: []Option{{Value: "", Label: "All"}}, Locations: locations, Users: users}
				fields := journalFields(mt, v)
				v.Filter = withProblems(Form{}, fields)
				checkSummary(t, renderDoc(t, Journal(signedInPage(lang, NavJournal, "clerk"), v)), "journal-filter-error", fields)
			})
		}
		t.Run(string(lang)+"/stock", func(t *testing.T) {
			fields := stockFields(mt, ct)
			v := StockView{Locations: locations, Filter: withProblems(Form{}, fields)}
			checkSummary(t, renderDoc(t, Stock(signedInPage(lang, NavStock, "clerk"), v)), "stock-filter-error", fields)
		})
		for _, role := range []string{"clerk", "admin"} {
			t.Run(string(lang)+"/order-"+role, func(t *testing.T) {
				p := signedInPage(lang, NavOrders, role)
				v := OrderFormView{Lines: 2, Spare: 1, Locations: locations, Prices: role == "admin", Form: Form{Values: map[string]string{}}}
				fields := OrderFormFields(p, v)
				v.Form = withProblems(v.Form, fields)
				checkSummary(t, renderDoc(t, OrderForm(p, v)), "order-error", fields)
			})
		}
		t.Run(string(lang)+"/deliver", func(t *testing.T) {
			p := signedInPage(lang, NavOrders, "clerk")
			o := sampleOrder()
			v := DeliverView{O: o, Empties: OrderFormView{Lines: 2, Spare: 1, Form: Form{Values: map[string]string{}}}}
			fields := DeliverFields(p, v)
			v.Empties.Form = withProblems(v.Empties.Form, fields)
			checkSummary(t, renderDoc(t, OrderDeliver(p, v)), "deliver-error", fields)
		})
		at := i18n.Audit(lang)
		for _, people := range [][]Option{nil, {{Value: "3", Label: "Anna"}}} {
			t.Run(string(lang)+"/audit", func(t *testing.T) {
				v := AuditView{People: people}
				fields := auditFilterFields(at, v)
				v.Filter = withProblems(Form{}, fields)
				checkSummary(t, renderDoc(t, AuditTrail(signedInPage(lang, "", "admin"), v)), "audit-filter-error", fields)
			})
		}
		t.Run(string(lang)+"/login", func(t *testing.T) {
			fields := loginFields(i18n.Auth(lang))
			v := LoginView{Form: withProblems(Form{}, fields)}
			checkSummary(t, renderDoc(t, Login(testPage(lang, ""), v)), "login-error", fields)
		})
		pt := i18n.Profile(lang)
		p := signedInPage(lang, NavProfile, "clerk")
		for _, form := range []struct {
			testID string
			fields []FieldSpec
			set    func(*ProfileView, Form)
		}{
			{"details-error", profileDetailsFields(p, pt), func(v *ProfileView, f Form) { v.Details = f }},
			{"password-error", profilePasswordFields(pt), func(v *ProfileView, f Form) { v.Password = f }},
			{"token-error", profileTokenFields(pt), func(v *ProfileView, f Form) { v.NewToken = f }},
		} {
			t.Run(string(lang)+"/"+form.testID, func(t *testing.T) {
				v := sampleProfile()
				form.set(&v, withProblems(Form{Values: map[string]string{}}, form.fields))
				doc := renderDoc(t, Profile(p, v))
				checkSummary(t, doc, form.testID, form.fields)
				if doc.Find(".error-summary").Length() != 1 {
					t.Errorf("the profile's other forms show a summary too")
				}
			})
		}
	}
}

// A summary's link to a control elsewhere (the movement's item search, a
// receipt line's code) goes there, not to a missing id.
func TestSummaryTarget(t *testing.T) {
	f := Form{Errors: map[string]string{"item_id": "gone"}}
	items, loose := summaryItems(f, []FieldSpec{{Form: "movement", Name: "item_id", Label: "Item", Target: "find-q"}})
	if len(items) != 1 || items[0].ID != "find-q" || len(loose) != 0 {
		t.Errorf("items %+v loose %v", items, loose)
	}
}
