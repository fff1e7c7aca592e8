package session

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var secret = []byte("0123456789abcdef0123456789abcdef")

func codecAt(t *testing.T, now time.Time) *Codec {
	t.Helper()
	c, err := NewCodec(secret, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSealOpen(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	c := codecAt(t, now)
	in := Session{
		AccessToken: "eyJ.access", AccessExpiry: now.Add(15 * time.Minute).UTC(),
		RefreshToken: "dpr_x", RefreshExpiry: now.Add(720 * time.Hour).UTC(), ID: "c0ffee",
		Person: Person{ID: 7, Name: "Anna Muster", Email: "anna@example.ch", Role: "clerk", Language: "de"},
		CSRF:   NewCSRFSecret(),
	}
	sealed, err := c.Seal("dpx_session", in, in.RefreshExpiry)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, "anna") || strings.Contains(sealed, "dpr_") {
		t.Errorf("sealed value shows its content: %s", sealed)
	}
	var out Session
	if err := c.Open("dpx_session", sealed, &out); err != nil {
		t.Fatalf("Open: %v", err)
	}
	if diff := cmp.Diff(in, out); diff != "" {
		t.Errorf("round trip (-in +out):\n%s", diff)
	}

	// Two seals of one value differ (random nonce).
	again, _ := c.Seal("dpx_session", in, in.RefreshExpiry)
	if again == sealed {
		t.Error("two seals are identical: nonce reused")
	}
}

func TestOpenRefuses(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	c := codecAt(t, now)
	sealed, err := c.Seal("dpx_session", Person{ID: 1}, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(sealed)
	raw[len(raw)-1] ^= 1
	flipped := base64.RawURLEncoding.EncodeToString(raw)

	other, err := NewCodec([]byte("another secret of at least 32 bytes!"), func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		codec   *Codec
		purpose string
		value   string
	}{
		{"altered", c, "dpx_session", flipped},
		{"other purpose", c, "dpx_flash", sealed},
		{"other secret", other, "dpx_session", sealed},
		{"expired", codecAt(t, now.Add(time.Hour)), "dpx_session", sealed},
		{"garbage", c, "dpx_session", "not base64 !"},
		{"short", c, "dpx_session", "AAAA"},
		{"empty", c, "dpx_session", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p Person
			err := tt.codec.Open(tt.purpose, tt.value, &p)
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("Open = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestCSRF(t *testing.T) {
	c := codecAt(t, time.Now())
	s1, s2 := NewCSRFSecret(), NewCSRFSecret()
	tok := c.CSRFToken(s1)
	if !c.CheckCSRF(s1, tok) {
		t.Error("token of its own secret refused")
	}
	if c.CheckCSRF(s2, tok) {
		t.Error("token accepted for another secret")
	}
	if c.CheckCSRF(nil, c.CSRFToken(nil)) {
		t.Error("empty secret accepted")
	}
	for _, bad := range []string{"", "x", tok + "A", strings.ToUpper(tok)} {
		if c.CheckCSRF(s1, bad) {
			t.Errorf("token %q accepted", bad)
		}
	}
	other, _ := NewCodec([]byte("another secret of at least 32 bytes!"), time.Now)
	if other.CheckCSRF(s1, tok) {
		t.Error("token made under another SESSION_SECRET accepted")
	}
}

func TestNewCodecShortSecret(t *testing.T) {
	if _, err := NewCodec([]byte("short"), time.Now); err == nil {
		t.Error("NewCodec accepted a 5-byte secret")
	}
}

func TestNeedsRefresh(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		expiresIn time.Duration
		want      bool
	}{
		{15 * time.Minute, false},
		{61 * time.Second, false},
		{60 * time.Second, true},
		{10 * time.Second, true},
		{-time.Minute, true},
	}
	for _, tt := range tests {
		s := Session{AccessExpiry: now.Add(tt.expiresIn), Person: Person{Permissions: []string{"self"}}}
		if got := s.NeedsRefresh(now, time.Minute); got != tt.want {
			t.Errorf("expires in %s: NeedsRefresh = %t, want %t", tt.expiresIn, got, tt.want)
		}
	}
	// A session sealed before permissions were kept is renewed at once; an
	// empty list (a person the api allows nothing) is not.
	old := Session{AccessExpiry: now.Add(15 * time.Minute)}
	if !old.NeedsRefresh(now, time.Minute) {
		t.Error("a session without permissions is not refreshed")
	}
	old.Person.Permissions = []string{}
	if old.NeedsRefresh(now, time.Minute) {
		t.Error("a session with an empty list of permissions is refreshed on every request")
	}
}
