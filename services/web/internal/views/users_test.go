package views

import (
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/depotix/depotix/services/web/internal/i18n"
)

func TestUserList(t *testing.T) {
	seen := testNow.Add(-time.Hour)
	v := UserListView{
		Filter: Form{Values: map[string]string{"q": "ann", "role": "clerk", "state": "disabled"}},
		Rows: []UserRow{
			{ID: 7, Name: "Anna Muster", Email: "anna@example.ch", Role: "admin", LastSignIn: &seen},
			{ID: 9, Name: "Beat Keller", Email: "beat@example.ch", Role: "viewer", Disabled: true},
		},
		Pager: NewPager("/users", map[string][]string{"q": {"ann"}}, ptr("c2"), ptr(2)),
		MeID:  7,
	}
	for _, tt := range []struct {
		lang                        i18n.Lang
		role7, state9, seen7, count string
	}{
		{i18n.English, "Administrator", "Disabled", "today 10:30", "2 results"},
		{i18n.German, "Administrator/in", "Gesperrt", "heute 10:30", "2 Treffer"},
	} {
		doc := renderDoc(t, UserList(signedInPage(tt.lang, NavUsers, "admin"), v))
		if got := text(doc, "user-role-7"); got != tt.role7 {
			t.Errorf("%s: role = %q, want %q", tt.lang, got, tt.role7)
		}
		if got := text(doc, "user-state-9"); got != tt.state9 {
			t.Errorf("%s: state = %q, want %q", tt.lang, got, tt.state9)
		}
		if got := doc.Find(`[data-testid="user-7"] td`).Eq(4).Text(); got != tt.seen7 {
			t.Errorf("%s: last sign-in = %q, want %q", tt.lang, got, tt.seen7)
		}
		if href, _ := doc.Find(`[data-testid="user-link-9"]`).Attr("href"); href != "/users/9" {
			t.Errorf("link = %q", href)
		}
		if got := text(doc, "pager-count"); got != tt.count {
			t.Errorf("%s: count = %q, want %q", tt.lang, got, tt.count)
		}
		// The filter shows what was asked for.
		if got, _ := doc.Find("#users-q").Attr("value"); got != "ann" {
			t.Errorf("search value = %q", got)
		}
		if got, _ := doc.Find("#users-role option[selected]").Attr("value"); got != "clerk" {
			t.Errorf("role selected = %q", got)
		}
		if got, _ := doc.Find("#users-state option[selected]").Attr("value"); got != "disabled" {
			t.Errorf("state selected = %q", got)
		}
		if m, _ := doc.Find(`[data-testid="users-filter"]`).Attr("method"); m != "get" {
			t.Errorf("filter method = %q, want get (bookmarkable)", m)
		}
		if doc.Find(`[data-testid="user-7"] .tag`).Length() != 1 || doc.Find(`[data-testid="user-9"] .tag--bad`).Length() != 1 {
			t.Error("you / disabled tags missing")
		}
	}

	doc := renderDoc(t, UserList(signedInPage(i18n.German, NavUsers, "admin"), UserListView{}))
	if got := text(doc, "users-empty"); got != "Niemand passt." {
		t.Errorf("empty = %q", got)
	}
}

func TestUserNew(t *testing.T) {
	f := Form{Values: map[string]string{"name": "Beat", "email": "beat@", "role": "manager", "language": "de"},
		Errors: map[string]string{"email": "Enter an email address, such as name@example.ch."}, Error: "Please check the marked fields.",
		IdempotencyKey: "11111111-2222-3333-4444-555555555555"}
	doc := renderDoc(t, UserNew(signedInPage(i18n.English, NavUsers, "admin"), UserNewView{Form: f}))
	if got := text(doc, "error-user-email"); got != f.Errors["email"] {
		t.Errorf("email error = %q", got)
	}
	if got, _ := doc.Find("#user-email").Attr("value"); got != "beat@" {
		t.Errorf("email value = %q, want what was typed", got)
	}
	if got, _ := doc.Find("#user-role option[selected]").Attr("value"); got != "manager" {
		t.Errorf("role = %q", got)
	}
	if got, _ := doc.Find(`[data-testid="user-form"] input[name="_idempotency_key"]`).Attr("value"); got != f.IdempotencyKey {
		t.Errorf("idempotency key = %q", got)
	}
	if got := doc.Find(`#user-role option`).Length(); got != 4 {
		t.Errorf("%d roles offered, want 4", got)
	}
	if ac, _ := doc.Find("#user-password").Attr("autocomplete"); ac != "new-password" {
		t.Errorf("password autocomplete = %q", ac)
	}
	if got := text(doc, "user-error"); got != f.Error {
		t.Errorf("form error = %q", got)
	}
}

func TestUserDetail(t *testing.T) {
	v := UserView{ID: 9, Name: "Beat Keller", Email: "beat@example.ch", Role: "clerk", Language: "de", Created: testNow,
		Version: `"4"`, Details: Form{Values: map[string]string{"name": "Beat Keller", "role": "clerk", "language": "de"}}}
	doc := renderDoc(t, UserDetail(signedInPage(i18n.German, NavUsers, "admin"), v))
	if got := text(doc, "user-role"); got != "Sachbearbeiter/in" {
		t.Errorf("role = %q", got)
	}
	if got, _ := doc.Find("#user-edit-role option[selected]").Attr("value"); got != "clerk" {
		t.Errorf("role selected = %q", got)
	}
	if got, _ := doc.Find(`[data-testid="user-details-form"] input[name="version"]`).Attr("value"); got != `"4"` {
		t.Errorf("version = %q", got)
	}
	if !usersPresent(doc, "user-disable") || !usersPresent(doc, "user-disable-confirm") || usersPresent(doc, "user-enable") {
		t.Error("an active person should offer disable (with confirmation), not enable")
	}
	if got := text(doc, "user-state"); got != "Aktiv" {
		t.Errorf("state = %q", got)
	}
	if href, _ := doc.Find(`[data-testid="user-history"]`).Attr("href"); href != "/audit?entity=user&entity_id=9" {
		t.Errorf("history link = %q", href)
	}
	if href, _ := doc.Find(`[data-testid="user-actions"]`).Attr("href"); href != "/audit?user_id=9" {
		t.Errorf("actions link = %q", href)
	}

	v.Disabled = true
	doc = renderDoc(t, UserDetail(signedInPage(i18n.English, NavUsers, "admin"), v))
	if usersPresent(doc, "user-disable") || !usersPresent(doc, "user-enable") {
		t.Error("a disabled person should offer enable only")
	}

	// Their own page: no role to change, no way to disable themselves.
	v.Disabled, v.Self = false, true
	doc = renderDoc(t, UserDetail(signedInPage(i18n.English, NavUsers, "admin"), v))
	if doc.Find("#user-edit-role").Length() != 0 || usersPresent(doc, "user-disable") || usersPresent(doc, "user-enable") {
		t.Error("an admin is offered to change their own role or state")
	}
	if !usersPresent(doc, "user-own-role") || !usersPresent(doc, "user-own-state") {
		t.Error("the notes on one's own role and state are missing")
	}

	// Passwords never come back.
	v.Password = Form{Values: map[string]string{"password": "secret-typed"}, Errors: map[string]string{"password": "Too simple."}}
	doc = renderDoc(t, UserDetail(signedInPage(i18n.English, NavUsers, "admin"), v))
	if got, _ := doc.Find("#user-password-password").Attr("value"); got != "" {
		t.Errorf("password value = %q", got)
	}
	if got := text(doc, "error-user-password-password"); got != "Too simple." {
		t.Errorf("password error = %q", got)
	}
}

// present reports whether doc has an element with the test id.
func usersPresent(doc *goquery.Document, id string) bool {
	return doc.Find(`[data-testid="`+id+`"]`).Length() > 0
}

// A person without a language (created without one; their first sign-in
// sets the browser's) is offered "none yet"; one with a language is not,
// since the api cannot take it away.
func TestUserLanguageNoneYet(t *testing.T) {
	v := UserView{ID: 9, Name: "Beat Keller", Email: "beat@example.ch", Role: "clerk", Created: testNow,
		Version: `"4"`, Details: Form{Values: map[string]string{"name": "Beat Keller", "role": "clerk", "language": ""}}}
	doc := renderDoc(t, UserDetail(signedInPage(i18n.German, NavUsers, "admin"), v))
	if got := doc.Find(`#user-edit-language option[value=""]`).Text(); got != "Wie ihr Browser, bei der ersten Anmeldung" {
		t.Errorf("none yet = %q", got)
	}
	v.Language, v.Details.Values["language"] = "en", "en"
	doc = renderDoc(t, UserDetail(signedInPage(i18n.German, NavUsers, "admin"), v))
	if n := doc.Find(`#user-edit-language option[value=""]`).Length(); n != 0 {
		t.Errorf("a person with a language is offered none: %d", n)
	}
	if got, _ := doc.Find("#user-edit-language option[selected]").Attr("value"); got != "en" {
		t.Errorf("language selected = %q", got)
	}
}
