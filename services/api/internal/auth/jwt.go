package auth

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const issuer = "depotix"

// accessClaims are the claims of an access token. The role is deliberately
// not in the token: it is read from the database on every request, so a role
// change or a disabled account takes effect at once.
type accessClaims struct {
	SessionID string `json:"sid"`
	jwt.RegisteredClaims
}

// Signer issues and verifies access tokens (HS256).
type Signer struct {
	secret []byte
	ttl    time.Duration
	now    Clock
}

// NewSigner signs with secret; tokens live for ttl.
func NewSigner(secret []byte, ttl time.Duration, now Clock) *Signer {
	return &Signer{secret: secret, ttl: ttl, now: now}
}

// Sign returns an access token for the user's session.
func (s *Signer) Sign(userID int64, sessionID string) (string, error) {
	now := s.now()
	claims := accessClaims{
		SessionID: sessionID,
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    issuer,
			Subject:   strconv.FormatInt(userID, 10),
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now.Add(-5 * time.Second)),
			ExpiresAt: jwt.NewNumericDate(now.Add(s.ttl)),
		},
	}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(s.secret)
	if err != nil {
		return "", fmt.Errorf("sign access token: %w", err)
	}
	return tok, nil
}

// Verify checks signature, algorithm, issuer and lifetime and returns the
// user and session the token names.
func (s *Signer) Verify(token string) (userID int64, sessionID string, err error) {
	var claims accessClaims
	_, err = jwt.ParseWithClaims(token, &claims, func(*jwt.Token) (any, error) { return s.secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(issuer),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(s.now),
	)
	if err != nil {
		return 0, "", fmt.Errorf("access token: %w", err)
	}
	userID, err = strconv.ParseInt(claims.Subject, 10, 64)
	if err != nil || userID <= 0 || claims.SessionID == "" {
		return 0, "", errors.New("access token: malformed subject or session")
	}
	return userID, claims.SessionID, nil
}

// TTL is how long access tokens live.
func (s *Signer) TTL() time.Duration { return s.ttl }
