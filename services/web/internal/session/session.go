// Package session keeps a signed-in person's state in a cookie the browser
// holds: the api's tokens, who the person is, and a CSRF secret, sealed with
// AES-256-GCM so the browser can neither read nor change it.
//
// The web service keeps no state of its own (several replicas may serve one
// person), so everything a request needs about its visitor is in the cookie.
// The api stays the authority: it checks the access token on every call, and
// a revoked session fails at the next refresh.
package session

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Person is who is signed in, as of the session's last refresh.
type Person struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	Role     string `json:"role"`
	Language string `json:"lang"`
	// Permissions are what the api lets the person do, as it listed them
	// at sign-in or the last refresh (the web keeps no role matrix).
	Permissions []string `json:"perms"`
}

// Session is the content of the session cookie.
type Session struct {
	AccessToken   string    `json:"at"`
	AccessExpiry  time.Time `json:"ae"`
	RefreshToken  string    `json:"rt"`
	RefreshExpiry time.Time `json:"re"`
	// ID is the api's session id; the profile page marks it as "this session".
	ID     string `json:"sid"`
	Person Person `json:"p"`
	// CSRF is the random secret the session's form tokens are made from.
	CSRF []byte `json:"csrf"`
}

// NeedsRefresh reports whether the access token expires within margin of
// now, so it is renewed before a page's api calls could fail with it, or
// the session has no permissions (sealed before the api sent them: the
// refresh brings them, rather than a page that offers nothing).
func (s *Session) NeedsRefresh(now time.Time, margin time.Duration) bool {
	return !now.Add(margin).Before(s.AccessExpiry) || s.Person.Permissions == nil
}

// NewCSRFSecret returns a fresh random secret for CSRF tokens.
func NewCSRFSecret() []byte {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go ≥ 1.24)
	return b
}

// ErrInvalid is any cookie that does not open: altered, sealed under another
// secret or for another purpose, expired, or not a sealed value at all.
var ErrInvalid = errors.New("session: invalid sealed value")

// Codec seals values for cookies and makes CSRF tokens. Its keys are derived
// from the one SESSION_SECRET with HKDF, one per use, so a value sealed for
// one purpose is useless for another.
type Codec struct {
	aead    cipher.AEAD
	csrfKey []byte
	now     func() time.Time
}

// MinSecretBytes is the shortest secret NewCodec accepts.
const MinSecretBytes = 32

// NewCodec derives the keys from secret. now is the clock (time.Now in
// production).
func NewCodec(secret []byte, now func() time.Time) (*Codec, error) {
	if len(secret) < MinSecretBytes {
		return nil, fmt.Errorf("session secret is %d bytes; want at least %d", len(secret), MinSecretBytes)
	}
	sealKey, err := hkdf.Key(sha256.New, secret, nil, "depotix web cookie seal v1", 32)
	if err != nil {
		return nil, fmt.Errorf("derive seal key: %w", err)
	}
	csrfKey, err := hkdf.Key(sha256.New, secret, nil, "depotix web csrf v1", 32)
	if err != nil {
		return nil, fmt.Errorf("derive csrf key: %w", err)
	}
	block, err := aes.NewCipher(sealKey)
	if err != nil {
		return nil, fmt.Errorf("aes: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("gcm: %w", err)
	}
	return &Codec{aead: aead, csrfKey: csrfKey, now: now}, nil
}

// envelope carries the sealed value's own expiry, so a copied cookie stops
// working when it should even if a browser ignores Max-Age.
type envelope struct {
	Expires int64           `json:"exp"`
	Value   json.RawMessage `json:"v"`
}

// Seal encrypts v (as JSON) for purpose, valid until expires. purpose is
// authenticated with it (the cookie's name, typically), so a value sealed
// for one cookie cannot be replayed as another.
func (c *Codec) Seal(purpose string, v any, expires time.Time) (string, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("seal %s: %w", purpose, err)
	}
	plain, err := json.Marshal(envelope{Expires: expires.Unix(), Value: raw})
	if err != nil {
		return "", fmt.Errorf("seal %s: %w", purpose, err)
	}
	nonce := make([]byte, c.aead.NonceSize())
	_, _ = rand.Read(nonce)
	sealed := c.aead.Seal(nonce, nonce, plain, []byte(purpose))
	return base64.RawURLEncoding.EncodeToString(sealed), nil
}

// Open reverses Seal into v. Every failure is ErrInvalid (wrapped).
func (c *Codec) Open(purpose, sealed string, v any) error {
	raw, err := base64.RawURLEncoding.DecodeString(sealed)
	if err != nil || len(raw) < c.aead.NonceSize() {
		return fmt.Errorf("%w: %s: not a sealed value", ErrInvalid, purpose)
	}
	nonce, box := raw[:c.aead.NonceSize()], raw[c.aead.NonceSize():]
	plain, err := c.aead.Open(nil, nonce, box, []byte(purpose))
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrInvalid, purpose, err)
	}
	var env envelope
	if err := json.Unmarshal(plain, &env); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrInvalid, purpose, err)
	}
	if !c.now().Before(time.Unix(env.Expires, 0)) {
		return fmt.Errorf("%w: %s: expired", ErrInvalid, purpose)
	}
	if err := json.Unmarshal(env.Value, v); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrInvalid, purpose, err)
	}
	return nil
}

// CSRFToken is the form token for a CSRF secret: an HMAC of it, so the
// secret itself never appears in a page.
func (c *Codec) CSRFToken(secret []byte) string {
	mac := hmac.New(sha256.New, c.csrfKey)
	mac.Write(secret)
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// CheckCSRF reports whether token was made from secret. An empty secret
// never matches.
func (c *Codec) CheckCSRF(secret []byte, token string) bool {
	if len(secret) == 0 || token == "" {
		return false
	}
	got, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, c.csrfKey)
	mac.Write(secret)
	return hmac.Equal(got, mac.Sum(nil))
}
