package views

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/depotix/depotix/services/web/internal/i18n"
)

// A failed item form starts with a summary naming each field with a
// problem, in the form's order and the page's language, each a link to its
// field; it is an alert the page focuses.
func TestErrorSummaryLinksEachField(t *testing.T) {
	tests := []struct {
		lang              i18n.Lang
		count, sku, price string
		requiredNote      string
		loose             string
	}{
		{i18n.English, "3 fields need correcting:", "SKU: Required.", "Sales price per unit: Not a number.",
			"Fields marked * are required.", "Unit mismatch."},
		{i18n.German, "3 Felder sind zu korrigieren:", "Artikelnummer: Pflicht.", "Verkaufspreis pro Einheit: Keine Zahl.",
			"Mit * markierte Felder müssen ausgefüllt werden.", "Einheit passt nicht."},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			p := signedInPage(tt.lang, NavItems, "manager")
			sku, price := strings.SplitN(tt.sku, ": ", 2), strings.SplitN(tt.price, ": ", 2)
			f := Form{Values: map[string]string{}, Error: p.Msg.FormHasErrors, Errors: map[string]string{
				// listed in the form's order, not the map's: price after sku
				"sales_price_unit": price[1], "sku": sku[1], "lines[1].unit": tt.loose,
			}}
			doc := renderDoc(t, ItemForm(p, ItemFormView{Create: true, Title: "x", Action: "/items", BackHref: "/items", Form: f}))
			box := doc.Find(byTestID("item-error-summary"))
			if box.Length() != 1 {
				t.Fatalf("no error summary")
			}
			if box.AttrOr("role", "") != "alert" || box.AttrOr("tabindex", "") != "-1" {
				t.Errorf("summary role %q tabindex %q, want alert and -1", box.AttrOr("role", ""), box.AttrOr("tabindex", ""))
			}
			if _, ok := box.Attr("autofocus"); !ok {
				t.Errorf("summary is not focused on load")
			}
			if text(doc, "item-error") != p.Msg.FormHasErrors || text(doc, "item-error-count") != tt.count {
				t.Errorf("title %q count %q", text(doc, "item-error"), text(doc, "item-error-count"))
			}
			var links []string
			box.Find("a").Each(func(_ int, a *goquery.Selection) {
				links = append(links, a.AttrOr("href", "")+" "+strings.Join(strings.Fields(a.Text()), " "))
			})
			want := []string{"#item-sku " + tt.sku, "#item-sales_price_unit " + tt.price}
			if strings.Join(links, "|") != strings.Join(want, "|") {
				t.Errorf("links %q, want %q", links, want)
			}
			for _, l := range want {
				id := strings.Fields(l)[0][1:]
				if doc.Find("#"+id).Length() != 1 {
					t.Errorf("link target %s is not on the page", id)
				}
			}
			// A problem no field shows is still listed, as text.
			if !strings.Contains(box.Find("li").Last().Text(), tt.loose) || box.Find("li").Last().Find("a").Length() != 0 {
				t.Errorf("loose problem = %q", box.Find("li").Last().Text())
			}
			if text(doc, "required-note") != "* "+tt.requiredNote {
				t.Errorf("required note = %q", text(doc, "required-note"))
			}
		})
	}
}

// A form without problems has no summary; a form whose only problem is the
// whole form's shows its message without a list.
func TestErrorSummaryOnlyWhenNeeded(t *testing.T) {
	p := signedInPage(i18n.English, NavItems, "manager")
	doc := renderDoc(t, ItemForm(p, ItemFormView{Create: true, Title: "x", Action: "/items", BackHref: "/items"}))
	if doc.Find(".error-summary").Length() != 0 {
		t.Errorf("a fresh form shows an error summary")
	}
	f := Form{Error: p.Msg.Conflict.Text}
	doc = renderDoc(t, ItemForm(p, ItemFormView{Title: "x", Action: "/items/1", BackHref: "/items/1", Form: f}))
	if text(doc, "item-error") != p.Msg.Conflict.Text || doc.Find(".error-summary li").Length() != 0 {
		t.Errorf("conflict summary = %q", text(doc, "item-error-summary"))
	}
	if got := text(doc, "item-error-count"); got != "" {
		t.Errorf("count without field problems: %q", got)
	}
}

// Required fields carry the required attribute and a visible mark hidden
// from screen readers (they hear "required" from the control); optional
// fields have neither.
func TestRequiredFieldsAreMarked(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.English, i18n.German} {
		p := signedInPage(lang, NavItems, "manager")
		doc := renderDoc(t, ItemForm(p, ItemFormView{Create: true, Title: "x", Action: "/items", BackHref: "/items"}))
		for _, id := range []string{"item-sku", "item-name", "item-base_unit", "item-sales_price_unit"} {
			if _, ok := doc.Find("#" + id).Attr("required"); !ok {
				t.Errorf("%s: %s is not required", lang, id)
			}
			mark := doc.Find(`label[for="` + id + `"] .field__required`)
			if mark.Text() != "*" || mark.AttrOr("aria-hidden", "") != "true" {
				t.Errorf("%s: %s has no visible mark", lang, id)
			}
		}
		for _, id := range []string{"item-brand", "item-ean_unit", "item-deposit_unit", "item-min_stock", "item-vat_rate"} {
			_, req := doc.Find("#" + id).Attr("required")
			if req || doc.Find(`label[for="`+id+`"] .field__required`).Length() != 0 {
				t.Errorf("%s: optional %s is marked required", lang, id)
			}
		}
		if want := doc.Find("[required]").Length(); doc.Find(".field__required[data-testid]").Length() != want {
			t.Errorf("%s: %d required controls, %d marks", lang, want, doc.Find(".field__required[data-testid]").Length())
		}
	}
}

// The person forms list their fields from one slice, so the summary links
// the same ids the fields have.
func TestUserFormSummary(t *testing.T) {
	p := signedInPage(i18n.German, NavUsers, "admin")
	f := Form{Values: map[string]string{}, Error: p.Msg.FormHasErrors,
		Errors: map[string]string{"email": "Ungültig.", "repeat_password": "Stimmt nicht überein."}}
	doc := renderDoc(t, UserNew(p, UserNewView{Form: f}))
	var hrefs []string
	doc.Find(byTestID("user-error-summary") + " a").Each(func(_ int, a *goquery.Selection) {
		hrefs = append(hrefs, a.AttrOr("href", ""))
		if doc.Find(a.AttrOr("href", "")).Length() != 1 {
			t.Errorf("no field %s", a.AttrOr("href", ""))
		}
	})
	if strings.Join(hrefs, " ") != "#user-email #user-repeat_password" {
		t.Errorf("links %q", hrefs)
	}
	if !strings.HasPrefix(text(doc, "summary-user-email"), "E-Mail") {
		t.Errorf("German label missing: %q", text(doc, "summary-user-email"))
	}
}

// An export offers the semicolon file and the same with commas, keeping
// the list's filter, in the page's language.
func TestExportLinks(t *testing.T) {
	for _, tt := range []struct {
		lang  i18n.Lang
		comma string
	}{{i18n.English, "CSV with commas"}, {i18n.German, "CSV mit Kommas"}} {
		p := signedInPage(tt.lang, NavItems, "viewer")
		doc := renderDoc(t, ExportLinks(p, "/items/export?q=lager", "Export", "export-link"))
		if attr(doc, byTestID("export-link"), "href") != "/items/export?q=lager" ||
			attr(doc, byTestID("export-link-comma"), "href") != "/items/export?q=lager&separator=comma" ||
			text(doc, "export-link-comma") != tt.comma {
			t.Errorf("%s: links %q %q %q", tt.lang, attr(doc, byTestID("export-link"), "href"),
				attr(doc, byTestID("export-link-comma"), "href"), text(doc, "export-link-comma"))
		}
	}
	if got := WithSeparatorComma("/journal/export"); got != "/journal/export?separator=comma" {
		t.Errorf("without a query: %q", got)
	}
}
