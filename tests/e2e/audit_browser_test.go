package e2e

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestAuditTrailInWordsInTheBrowser: a real change of an item's price reads
// as words on the audit page and in the item's history — who changed which
// item, the form's label and the prices in francs — never as field names
// or raw values. The stack starts without ADMIN_LANGUAGE, so the admin has
// no language until their first sign-in, which saves the one the sign-in
// page was switched to (German, while the browser asks for English).
func TestAuditTrailInWordsInTheBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole stack")
	}
	s := StartStack(t, "ADMIN_LANGUAGE=")
	b := NewBrowser(t, s)
	b.Run(t, "switch the sign-in page to German",
		chromedp.Navigate(s.URL("/login")),
		chromedp.WaitVisible(`[data-testid="login-form"]`, chromedp.ByQuery),
		chromedp.Click(`[data-testid="language-de"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`html[lang="de"] [data-testid="login-form"]`, chromedp.ByQuery),
	)
	b.signIn(t, s.AdminEmail, s.AdminPassword)
	b.expectLang(t, "de")

	// The sign-in saved German as the admin's language: the api says so.
	token := apiToken(t, s, s.AdminEmail, s.AdminPassword)
	_, body := s.Get(t, s.URL("/api/v1/me"), "Authorization", "Bearer "+token)
	var me struct {
		Name     string `json:"name"`
		Language string `json:"language"`
	}
	if err := json.Unmarshal([]byte(body), &me); err != nil || me.Language != "de" {
		t.Fatalf("the admin's language after the first sign-in: %v %s", err, body)
	}

	// An item, and a change of its price, through the api.
	resp, body := s.Do(t, "POST", s.URL("/api/v1/items"), strings.NewReader(
		`{"sku":"AUD-1","name":"Lager Bier","base_unit":"Flasche","sales_price_unit":"1.80"}`),
		"Content-Type", "application/json", "Authorization", "Bearer "+token, "Idempotency-Key", "audit-words-1")
	if resp.StatusCode != 201 {
		t.Fatalf("create the item: %d %s", resp.StatusCode, body)
	}
	var item struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal([]byte(body), &item); err != nil || item.ID == 0 {
		t.Fatalf("created item: %v %s", err, body)
	}
	id := strconv.FormatInt(item.ID, 10)
	resp, body = s.Do(t, "PATCH", s.URL("/api/v1/items/"+id), strings.NewReader(`{"sales_price_unit":"1.90"}`),
		"Content-Type", "application/json", "Authorization", "Bearer "+token, "If-Match", resp.Header.Get("ETag"))
	if resp.StatusCode != 200 {
		t.Fatalf("change the price: %d %s", resp.StatusCode, body)
	}

	// The audit page: the change in words, the record linked by name.
	b.visit(t, "/audit?entity=item&entity_id="+id+"&action=update", `[data-testid="audit-entries"]`)
	b.Screenshot(t, "audit-de")
	entry := `[data-testid="audit-entries"] > li:first-child`
	b.expectText(t, entry+` .audit-entry__what`, me.Name+" hat den Artikel AUD-1 Lager Bier geändert")
	b.expectText(t, entry+` [data-testid$="-sales_price_unit"] [data-testid="label"]`, "Verkaufspreis pro Einheit")
	b.expectText(t, entry+` [data-testid$="-sales_price_unit"] [data-testid="from"]`, "CHF 1.80")
	b.expectText(t, entry+` [data-testid$="-sales_price_unit"] [data-testid="to"]`, "CHF 1.90")
	var href string
	b.Run(t, "read the record's link", chromedp.AttributeValue(entry+` [data-testid^="audit-record-"]`, "href", &href, nil, chromedp.ByQuery))
	if href != "/items/"+id {
		t.Errorf("record link = %q, want /items/%s", href, id)
	}
	page := b.text(t, "main")
	for _, raw := range []string{"sales_price_unit", "update", "1.9 ", "#" + id} {
		if strings.Contains(page, raw) {
			t.Errorf("the audit page shows %q:\n%s", raw, page)
		}
	}

	// The item's history says the same.
	b.visit(t, "/items/"+id, `[data-testid="item-audit"]`)
	b.expectContains(t, `[data-testid="item-audit"]`, me.Name+" hat den Artikel AUD-1 Lager Bier geändert")
	b.expectContains(t, `[data-testid="item-audit"] [data-testid$="-sales_price_unit"] [data-testid="to"]`, "CHF 1.90")
}
