package httpapi_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/depotix/depotix/services/api/internal/auth"
	"github.com/depotix/depotix/services/api/internal/pdftest"
)

// The delivery note of a delivered order: every role that reads orders
// downloads it as an attachment named after the order, with its lines,
// empties, the company and the reader's language; If-None-Match gives a
// 304; a missing order is 404 and a DRAFT 409, in the envelope.
func TestDeliveryNoteOverHTTP(t *testing.T) {
	en := newEnv(t)
	item, loc, sup := depot(t, en)
	admin, clerk, mgr, viewer := en.tokens[auth.RoleAdmin], en.tokens[auth.RoleClerk], en.tokens[auth.RoleManager], en.tokens[auth.RoleViewer]
	if r := en.do(req{method: "PUT", path: "/api/v1/company", token: admin, body: validProfile(),
		header: map[string]string{"If-Match": `"1"`}}); r.Status != 200 {
		t.Fatalf("profile: %d %s", r.Status, r.Body)
	}
	setLogo := func(png []byte) {
		t.Helper()
		body, ct := upload(t, "file", "logo.png", "image/png", png)
		if r := en.do(req{method: "POST", path: "/api/v1/company/logo", token: admin, body: body,
			header: map[string]string{"Content-Type": ct}}); r.Status != 200 {
			t.Fatalf("logo: %d %s", r.Status, r.Body)
		}
	}
	// onePixelPNG passes the upload's type check by its magic numbers but
	// its checksum is wrong: it cannot be printed.
	setLogo(onePixelPNG)
	en.do(req{method: "PATCH", path: fmt.Sprintf("/api/v1/items/%d", item.ID), token: mgr,
		body: map[string]any{"deposit_unit": "0.30", "returnable": true}, header: map[string]string{"If-Match": `"1"`}})
	cust, _ := en.create(clerk, "/api/v1/customers", map[string]any{"name": "Restaurant Krone",
		"billing_address": map[string]any{"street": "Hauptgasse", "house_number": "1", "postal_code": "3000", "town": "Bern"}})
	if _, r := en.book(clerk, map[string]any{"type": "receipt", "item_id": item.ID, "location_id": loc.ID,
		"quantity": 2, "unit": "package", "supplier_id": sup.ID}, nil); r.Status != 201 {
		t.Fatalf("receipt: %d %s", r.Status, r.Body)
	}
	r := en.do(req{method: "POST", path: "/api/v1/orders", token: clerk, body: map[string]any{"customer_id": cust.ID,
		"location_id": loc.ID, "notes": "Hintereingang benutzen", "lines": []map[string]any{
			{"item_id": item.ID, "quantity": 1, "unit": "package"}, {"item_id": item.ID, "quantity": 12}}}})
	var o orderOut
	r.decode(t, &o)
	if r.Status != 201 {
		t.Fatalf("order: %d %s", r.Status, r.Body)
	}
	path := fmt.Sprintf("/api/v1/orders/%d", o.ID)

	// A DRAFT may still change: no delivery note yet.
	r = en.do(req{method: "GET", path: path + "/delivery-note", token: viewer})
	var e errorOut
	r.decode(t, &e)
	if r.Status != 409 || e.Error.Code != "conflict" || !strings.Contains(e.Error.Message, o.Number+" is DRAFT") {
		t.Errorf("a draft's note: %d %s", r.Status, r.Body)
	}
	if r := en.do(req{method: "POST", path: path + "/confirm", token: clerk}); r.Status != 200 {
		t.Fatalf("confirm: %d %s", r.Status, r.Body)
	}
	r = en.do(req{method: "GET", path: path + "/delivery-note", token: viewer})
	r.decode(t, &e)
	if r.Status != 409 || !strings.Contains(e.Error.Message, "logo cannot be printed") {
		t.Errorf("a broken logo: %d %s", r.Status, r.Body)
	}
	setLogo(logoPNG(t))

	// Confirmed: a picking list, nothing delivered yet.
	picking := en.do(req{method: "GET", path: path + "/delivery-note", token: clerk})
	if picking.Status != 200 {
		t.Fatalf("picking list: %d %s", picking.Status, picking.Body)
	}
	r = en.do(req{method: "POST", path: path + "/deliver", token: clerk,
		body: map[string]any{"delivered": []int{1, 6}, "empties": []map[string]any{{"item_id": item.ID, "unit": "package", "quantity": 2}}}})
	if r.Status != 200 {
		t.Fatalf("deliver: %d %s", r.Status, r.Body)
	}

	var note response
	for _, role := range auth.Roles {
		note = en.do(req{method: "GET", path: path + "/delivery-note", token: en.tokens[role]})
		if note.Status != 200 {
			t.Fatalf("%s: %d %s", role, note.Status, note.Body)
		}
		want := map[string]string{
			"Content-Type":           "application/pdf",
			"Content-Disposition":    `attachment; filename="` + o.Number + `.pdf"`,
			"X-Content-Type-Options": "nosniff",
			"Cache-Control":          "private, no-cache",
		}
		for k, v := range want {
			if got := note.Header.Get(k); got != v {
				t.Errorf("%s: %s = %q, want %q", role, k, got, v)
			}
		}
	}
	if !regexp.MustCompile(`^LS-\d{4}-0001$`).MatchString(o.Number) || !strings.HasPrefix(string(note.Body), "%PDF-") {
		t.Fatalf("order %s, body %.20q", o.Number, note.Body)
	}
	if string(note.Body) == string(picking.Body) {
		t.Error("the delivery changed nothing on the note")
	}
	tag := note.Header.Get("ETag")
	if nm := en.do(req{method: "GET", path: path + "/delivery-note", token: viewer, header: map[string]string{"If-None-Match": tag}}); nm.Status != 304 || len(nm.Body) != 0 || nm.Header.Get("ETag") != tag {
		t.Errorf("If-None-Match: %d %q", nm.Status, nm.Body)
	}
	if again := en.do(req{method: "GET", path: path + "/delivery-note", token: viewer}); string(again.Body) != string(note.Body) {
		t.Error("the same order gives other bytes")
	}

	r = en.do(req{method: "GET", path: "/api/v1/orders/999999/delivery-note", token: viewer})
	r.decode(t, &e)
	if r.Status != 404 || e.Error.Code != "not_found" {
		t.Errorf("missing order: %d %s", r.Status, r.Body)
	}
	if r := en.do(req{method: "GET", path: path + "/delivery-note"}); r.Status != 401 {
		t.Errorf("anonymous: %d", r.Status)
	}

	// The viewer switches to English; the note follows.
	if r := en.do(req{method: "PATCH", path: "/api/v1/me", token: viewer, body: map[string]string{"language": "en"}}); r.Status != 200 {
		t.Fatalf("language: %d %s", r.Status, r.Body)
	}
	english := en.do(req{method: "GET", path: path + "/delivery-note", token: viewer})

	t.Run("text", func(t *testing.T) {
		pdftotext := pdftest.RequireTool(t, "pdftotext", "poppler-utils")
		read := func(pdf []byte) string {
			p := filepath.Join(t.TempDir(), "note.pdf")
			if err := os.WriteFile(p, pdf, 0o644); err != nil {
				t.Fatal(err)
			}
			return pdftest.Run(t, pdftotext, "-layout", p, "-")
		}
		text := read(note.Body)
		for _, want := range []string{"Lieferschein " + o.Number, "Getränke Müller GmbH", "Restaurant Krone", "Hauptgasse 1",
			"3000 Bern", "FS-33", "Feldschlösschen Original 33 cl", "Hintereingang benutzen", "Leergut zurückgenommen",
			"Unterschrift", "Seite 1 von 1"} {
			if !strings.Contains(text, want) {
				t.Errorf("the note lacks %q:\n%s", want, text)
			}
		}
		// Ordered and delivered in the unit ordered; the empties' crates.
		for _, re := range []string{`crate\s+1\s+1\n`, `bottle\s+12\s+6\n`, `crate\s+2\n`} {
			if !regexp.MustCompile(re).MatchString(text) {
				t.Errorf("no row matching %s in:\n%s", re, text)
			}
		}
		if p := read(picking.Body); !regexp.MustCompile(`bottle\s+12\n`).MatchString(p) {
			t.Errorf("the picking list shows a delivered quantity:\n%s", p)
		}
		if en := read(english.Body); !strings.Contains(en, "Delivery note "+o.Number) || !strings.Contains(en, "Signature") {
			t.Errorf("the English note:\n%s", en)
		}
	})
}

// logoPNG is a small valid PNG.
func logoPNG(t *testing.T) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 30, 10))
	for x := range 30 {
		img.SetNRGBA(x, 5, color.NRGBA{R: 200, A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
