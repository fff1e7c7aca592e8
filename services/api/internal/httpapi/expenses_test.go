package httpapi_test

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/depotix/depotix/services/api/internal/auth"
)

type expenseOut struct {
	ID        int64  `json:"id"`
	Date      string `json:"date"`
	Supplier  string `json:"supplier_name"`
	Category  string `json:"category_name"`
	Figure    int    `json:"vat_figure"`
	Currency  string `json:"currency"`
	Amount    string `json:"amount"`
	Rate      string `json:"rate"`
	AmountCHF string `json:"amount_chf"`
	VATCHF    string `json:"vat_chf"`
	VAT       []struct {
		Rate   string `json:"rate"`
		VAT    string `json:"vat"`
		VATCHF string `json:"vat_chf"`
	} `json:"vat"`
	Status   string `json:"status"`
	PaidOn   *string
	Version  int `json:"version"`
	Receipts []struct {
		ID   int64  `json:"id"`
		URL  string `json:"url"`
		Name string `json:"name"`
		Type string `json:"content_type"`
	} `json:"receipts"`
}

func TestExpensesOverHTTP(t *testing.T) {
	en := newEnv(t)
	mgr, admin, clerk := en.tokens[auth.RoleManager], en.tokens[auth.RoleAdmin], en.tokens[auth.RoleClerk]
	today := en.clock.now().UTC()
	day := func(d int) string { return today.AddDate(0, 0, d).Format(time.DateOnly) }

	sup, _ := en.create(mgr, "/api/v1/suppliers", map[string]any{"name": "Brauerei Paulaner GmbH"})
	var cats struct {
		Items []struct {
			ID   int64   `json:"id"`
			Key  *string `json:"key"`
			Name string  `json:"name"`
		} `json:"items"`
	}
	r := en.do(req{method: "GET", path: "/api/v1/expense-categories", token: mgr})
	r.decode(t, &cats)
	var purchase int64
	for _, c := range cats.Items {
		if c.Key != nil && *c.Key == "purchase" {
			purchase = c.ID
		}
	}
	if r.Status != 200 || len(cats.Items) != 7 || purchase == 0 {
		t.Fatalf("categories: %d %s", r.Status, r.Body)
	}
	// Only an admin edits the list.
	if r := en.do(req{method: "POST", path: "/api/v1/expense-categories", token: mgr, body: map[string]any{"name": "Fahrzeuge", "vat_figure": 405}}); r.Status != 403 {
		t.Errorf("a manager added a category: %d", r.Status)
	}
	vehicles, _ := en.create(admin, "/api/v1/expense-categories", map[string]any{"name": "Fahrzeuge", "vat_figure": 405})

	// A EUR expense with German VAT, converted at the day's rate.
	body := map[string]any{"date": day(-3), "supplier_id": sup.ID, "category_id": purchase, "currency": "EUR",
		"amount": "119.00", "rate": "0.9412", "vat": []map[string]any{{"rate": "19", "vat": "19.00"}},
		"note": "Fass Oktoberfestbier", "status": "open"}
	r = en.do(req{method: "POST", path: "/api/v1/expenses", token: mgr, body: body, header: map[string]string{"Idempotency-Key": "exp-1"}})
	var e expenseOut
	r.decode(t, &e)
	if r.Status != 201 || r.Header.Get("ETag") != `"1"` || e.AmountCHF != "112.00" || e.Rate != "0.941200" || e.VATCHF != "17.88" ||
		len(e.VAT) != 1 || e.VAT[0].Rate != "19" || e.VAT[0].VATCHF != "17.88" || e.Supplier != "Brauerei Paulaner GmbH" || e.Figure != 400 {
		t.Fatalf("created: %d %s", r.Status, r.Body)
	}
	if r := en.do(req{method: "POST", path: "/api/v1/expenses", token: mgr, body: body, header: map[string]string{"Idempotency-Key": "exp-1"}}); r.Status != 201 ||
		en.count("SELECT count(*) FROM expenses") != 1 {
		t.Errorf("a repeated key recorded again: %d", r.Status)
	}
	if r := en.do(req{method: "POST", path: "/api/v1/expenses", token: clerk, body: body}); r.Status != 403 {
		t.Errorf("a clerk recorded an expense: %d", r.Status)
	}

	// Bad input: every field named, nothing written.
	bad := map[string]any{"date": day(1), "supplier_id": sup.ID, "category_id": vehicles.ID, "currency": "CHF",
		"amount": "10.00", "vat": []map[string]any{{"rate": "8.1", "vat": "10.00"}, {"rate": "8.10", "vat": "1.00"}}, "status": "paid"}
	r = en.do(req{method: "POST", path: "/api/v1/expenses", token: mgr, body: bad})
	if got := en.codes(r); r.Status != 422 || got["date"] == "" || got["vat"] == "" || got["vat[1].rate"] == "" || got["paid_on"] == "" {
		t.Errorf("bad expense: %d %v", r.Status, got)
	}
	bad = map[string]any{"date": day(0), "supplier_id": sup.ID, "category_id": purchase, "currency": "USD", "amount": "10.00", "status": "open"}
	if r := en.do(req{method: "POST", path: "/api/v1/expenses", token: mgr, body: bad}); r.Status != 400 && r.Status != 422 || !strings.Contains(string(r.Body), "currency") {
		t.Errorf("unknown currency: %d %s", r.Status, r.Body)
	}
	if n := en.count("SELECT count(*) FROM expenses"); n != 1 {
		t.Errorf("refused expenses left %d rows", n)
	}

	// Receipts: a PDF attached, served to managers, hidden from clerks;
	// HTML calling itself a PDF and an oversized file are refused.
	path := "/api/v1/expenses/" + strconv.FormatInt(e.ID, 10)
	pdf := []byte("%PDF-1.7\n% Rechnung 4711\n")
	up, ct := upload(t, "file", "Rechnung 4711.pdf", "application/pdf", pdf)
	r = en.do(req{method: "POST", path: path + "/receipts", token: mgr, body: up, header: map[string]string{"Content-Type": ct, "If-Match": `"1"`}})
	r.decode(t, &e)
	if r.Status != 201 || len(e.Receipts) != 1 || e.Receipts[0].Type != "application/pdf" || e.Version != 2 {
		t.Fatalf("receipt: %d %s", r.Status, r.Body)
	}
	file := e.Receipts[0].URL
	if r := en.do(req{method: "GET", path: file, token: mgr}); r.Status != 200 || !bytes.Equal(r.Body, pdf) {
		t.Errorf("manager downloads the receipt: %d", r.Status)
	}
	for _, who := range []auth.Role{auth.RoleClerk, auth.RoleViewer} {
		if r := en.do(req{method: "GET", path: file, token: en.tokens[who]}); r.Status != 404 {
			t.Errorf("%s downloads a receipt: %d", who, r.Status)
		}
	}
	html, ct := upload(t, "file", "rechnung.pdf", "application/pdf", []byte("<!DOCTYPE html><script>alert(1)</script>"))
	r = en.do(req{method: "POST", path: path + "/receipts", token: mgr, body: html, header: map[string]string{"Content-Type": ct}})
	if r.Status != 422 || en.codes(r)["file"] != "unsupported_file_type" {
		t.Errorf("HTML receipt: %d %s", r.Status, r.Body)
	}
	huge, ct := upload(t, "file", "scan.pdf", "application/pdf", append([]byte("%PDF-1.7\n"), make([]byte, testFileMax)...))
	r = en.do(req{method: "POST", path: path + "/receipts", token: mgr, body: huge, header: map[string]string{"Content-Type": ct}})
	if r.Status != 413 || en.codes(r)["file"] != "too_large" {
		t.Errorf("oversized receipt: %d %s", r.Status, r.Body)
	}
	if n := en.count("SELECT count(*) FROM files WHERE owner_kind = 'expense_receipt'"); n != 1 {
		t.Errorf("%d receipts stored", n)
	}

	// Paid: a new version; a stale If-Match is refused.
	body["status"], body["paid_on"] = "paid", day(-1)
	r = en.do(req{method: "PUT", path: path, token: mgr, body: body, header: map[string]string{"If-Match": `"2"`}})
	r.decode(t, &e)
	if r.Status != 200 || e.Status != "paid" || e.Version != 3 {
		t.Errorf("paid: %d %s", r.Status, r.Body)
	}
	if r := en.do(req{method: "PUT", path: path, token: mgr, body: body, header: map[string]string{"If-Match": `"2"`}}); r.Status != 412 {
		t.Errorf("stale If-Match: %d", r.Status)
	}

	// The list by filters.
	var list struct {
		Items []expenseOut `json:"items"`
		Total int          `json:"total"`
	}
	r = en.do(req{method: "GET", path: "/api/v1/expenses?status=paid&has_receipt=true&from=" + day(-7) + "&q=paulaner", token: mgr})
	r.decode(t, &list)
	if r.Status != 200 || list.Total != 1 || list.Items[0].ID != e.ID {
		t.Errorf("filtered list: %d %s", r.Status, r.Body)
	}
	if r := en.do(req{method: "GET", path: "/api/v1/expenses", token: clerk}); r.Status != 403 {
		t.Errorf("a clerk lists expenses: %d", r.Status)
	}
	// The export: the list's filters, German labels, a note that would be
	// a formula escaped.
	body["note"] = "=HYPERLINK(\"x\")"
	r = en.do(req{method: "PUT", path: path, token: mgr, body: body, header: map[string]string{"If-Match": `"3"`}})
	r.decode(t, &e)
	r = en.do(req{method: "GET", path: "/api/v1/expenses/export?lang=de&status=paid", token: mgr})
	lines := strings.Split(strings.TrimPrefix(string(r.Body), "\ufeff"), "\r\n")
	want := strconv.FormatInt(e.ID, 10) + ";" + day(-3) + ";Brauerei Paulaner GmbH;Wareneinkauf;400;EUR;119.00;0.941200;112.00;17.88;94.12;19%: 19.00;bezahlt;" +
		day(-1) + ";1;\"'=HYPERLINK(\"\"x\"\")\";false"
	if r.Status != 200 || len(lines) != 3 || !strings.HasPrefix(lines[0], "Nr.;Datum;Lieferant") || lines[1] != want {
		t.Errorf("export: %d\n%q\nwant line %q", r.Status, r.Body, want)
	}
	if r := en.do(req{method: "GET", path: "/api/v1/expenses/export?status=open", token: mgr}); r.Status != 200 ||
		strings.Count(string(r.Body), "\r\n") != 1 {
		t.Errorf("export of no open expenses: %d %q", r.Status, r.Body)
	}

	// Deleted with its receipt.
	if r := en.do(req{method: "DELETE", path: path, token: mgr, header: map[string]string{"If-Match": `"4"`}}); r.Status != 204 {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	if r := en.do(req{method: "GET", path: file, token: mgr}); r.Status != 404 {
		t.Errorf("the deleted expense's receipt: %d", r.Status)
	}
}

func TestReceiptBooksItsExpenseOverHTTP(t *testing.T) {
	en := newEnv(t)
	mgr, clerk := en.tokens[auth.RoleManager], en.tokens[auth.RoleClerk]
	sup, _ := en.create(mgr, "/api/v1/suppliers", map[string]any{"name": "Mosterei Möhl AG"})
	loc, _ := en.create(mgr, "/api/v1/locations", map[string]any{"code": "WH1", "name": "Hauptlager", "kind": "warehouse"})
	var item int64
	if err := en.pool.QueryRow(context.Background(), `INSERT INTO items (sku, name, base_unit, vat_rate_bp)
		VALUES ('SAFT', 'Apfelsaft', 'Flasche', 260) RETURNING id`).Scan(&item); err != nil {
		t.Fatal(err)
	}
	receipt := map[string]any{"supplier_id": sup.ID, "reference": "LS-9",
		"lines":   []map[string]any{{"item_id": item, "location_id": loc.ID, "quantity": 100, "unit_cost": "0.85"}},
		"expense": map[string]any{"status": "open", "note": "Rechnung folgt"}}

	r := en.do(req{method: "POST", path: "/api/v1/movements/receipts", token: clerk, body: receipt})
	if r.Status != 422 || en.codes(r)["expense"] != "not_permitted" || en.count("SELECT count(*) FROM movements") != 0 {
		t.Errorf("a clerk's receipt with its expense: %d %s", r.Status, r.Body)
	}
	r = en.do(req{method: "POST", path: "/api/v1/movements/receipts", token: mgr, body: receipt})
	var out struct {
		Movements []struct {
			ID int64 `json:"id"`
		} `json:"movements"`
		ExpenseID *int64 `json:"expense_id"`
	}
	r.decode(t, &out)
	if r.Status != 201 || out.ExpenseID == nil || len(out.Movements) != 1 {
		t.Fatalf("a manager's receipt with its expense: %d %s", r.Status, r.Body)
	}
	var e struct {
		Amount   string `json:"amount"`
		VATCHF   string `json:"vat_chf"`
		Movement *int64 `json:"receipt_movement_id"`
	}
	r = en.do(req{method: "GET", path: "/api/v1/expenses/" + strconv.FormatInt(*out.ExpenseID, 10), token: mgr})
	r.decode(t, &e)
	// 85.00 and 2.6 % of it, 2.21
	if e.Amount != "87.21" || e.VATCHF != "2.21" || e.Movement == nil || *e.Movement != out.Movements[0].ID {
		t.Errorf("the receipt's expense: %s", r.Body)
	}
	// Without the option a receipt books no expense.
	delete(receipt, "expense")
	r = en.do(req{method: "POST", path: "/api/v1/movements/receipts", token: clerk, body: receipt})
	r.decode(t, &out)
	if r.Status != 201 || out.ExpenseID != nil || en.count("SELECT count(*) FROM expenses") != 1 {
		t.Errorf("a receipt without its expense: %d %s", r.Status, r.Body)
	}
}
