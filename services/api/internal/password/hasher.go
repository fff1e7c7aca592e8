// Package password hashes and verifies passwords and decides whether a new
// password is acceptable.
//
// New hashes are argon2id in the PHC string format. Verification also accepts
// the formats of the old Django system (PBKDF2, bcrypt, argon2) so imported
// users can sign in; such hashes report needsRehash so the caller can replace
// them with an argon2id hash of the password it has just verified.
package password

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// Errors Verify wraps, so callers can tell a damaged or foreign hash (a data
// problem worth logging) from a wrong password (ok == false, err == nil).
var (
	ErrMalformedHash   = errors.New("password: malformed hash")
	ErrUnsupportedHash = errors.New("password: unsupported hash")
)

// Params are the argon2id cost parameters of new hashes.
type Params struct {
	Memory     uint32 // KiB
	Time       uint32 // passes over the memory
	Threads    uint8  // lanes
	SaltLength uint32 // bytes
	KeyLength  uint32 // bytes
}

// DefaultParams returns OWASP's recommended argon2id configuration
// (m=19 MiB, t=2, p=1). A single lane keeps one login on one core, so a
// 2-core server can work on two logins at once without them fighting.
func DefaultParams() Params {
	return Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLength: 16, KeyLength: 32}
}

// Limits on parameters, for our own Params and for parameters read from a
// stored hash alike: a damaged or hostile hash string must not be able to
// allocate gigabytes or occupy a core for minutes.
const (
	maxMemoryKiB  = 256 * 1024
	maxTime       = 64
	maxThreads    = 16
	minSaltLength = 8
	maxSaltLength = 64
	minKeyLength  = 16
	maxKeyLength  = 64
)

func (p Params) validate() error {
	switch {
	case p.Time < 1 || p.Time > maxTime:
		return fmt.Errorf("time %d outside 1..%d", p.Time, maxTime)
	case p.Threads < 1 || p.Threads > maxThreads:
		return fmt.Errorf("threads %d outside 1..%d", p.Threads, maxThreads)
	case p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemoryKiB:
		return fmt.Errorf("memory %d KiB outside %d..%d", p.Memory, 8*uint32(p.Threads), maxMemoryKiB)
	case p.SaltLength < minSaltLength || p.SaltLength > maxSaltLength:
		return fmt.Errorf("salt length %d outside %d..%d", p.SaltLength, minSaltLength, maxSaltLength)
	case p.KeyLength < minKeyLength || p.KeyLength > maxKeyLength:
		return fmt.Errorf("key length %d outside %d..%d", p.KeyLength, minKeyLength, maxKeyLength)
	}
	return nil
}

// keyFunc is the argon2id key derivation; a field so tests can observe how
// many derivations run and how many run at once.
type keyFunc func(password, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte

// Hasher hashes and verifies passwords with fixed parameters. It bounds how
// many derivations run at once, because each argon2 derivation holds
// Params.Memory of RAM: a burst of logins would otherwise multiply it.
// A Hasher is safe for concurrent use.
type Hasher struct {
	params Params
	sem    chan struct{}
	dummy  string // an argon2id hash no password matches, for VerifyDummy
	idKey  keyFunc
}

// NewHasher returns a Hasher producing hashes with params and running at most
// maxConcurrent derivations at once; further callers wait their turn.
// On a server, maxConcurrent around the number of cores keeps memory at
// maxConcurrent × params.Memory while using all the CPU there is.
func NewHasher(params Params, maxConcurrent int) (*Hasher, error) {
	if err := params.validate(); err != nil {
		return nil, fmt.Errorf("password: invalid params: %w", err)
	}
	if maxConcurrent < 1 {
		return nil, fmt.Errorf("password: maxConcurrent must be at least 1, got %d", maxConcurrent)
	}
	h := &Hasher{params: params, sem: make(chan struct{}, maxConcurrent), idKey: argon2.IDKey}
	// Random salt and key: the dummy hash has the real parameters, so
	// checking against it costs what a real verify costs, and nothing can
	// match it.
	salt := make([]byte, params.SaltLength)
	key := make([]byte, params.KeyLength)
	if _, err := rand.Read(salt); err != nil {
		return nil, fmt.Errorf("password: dummy salt: %w", err)
	}
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("password: dummy key: %w", err)
	}
	h.dummy = encodeArgon2id(params, salt, key)
	return h, nil
}

// Params returns the parameters new hashes are made with.
func (h *Hasher) Params() Params { return h.params }

// Hash returns the argon2id PHC string of plain, after Unicode NFC
// normalisation (so the same password typed on systems that compose accents
// differently still matches). It waits for a free slot; ctx ends the wait.
func (h *Hasher) Hash(ctx context.Context, plain string) (string, error) {
	salt := make([]byte, h.params.SaltLength)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password: salt: %w", err)
	}
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	p := h.params
	key := h.idKey([]byte(norm.NFC.String(plain)), salt, p.Time, p.Memory, p.Threads, p.KeyLength)
	return encodeArgon2id(p, salt, key), nil
}

// Verify reports whether plain matches encoded, in constant time. needsRehash
// is true when the match was against a hash in another format or with other
// parameters than the Hasher's, so the caller should store a fresh Hash.
// A malformed or unsupported encoded string is an error (wrapping
// ErrMalformedHash or ErrUnsupportedHash), never a panic.
// Django's unusable-password marker ("!" prefix) matches nothing.
func (h *Hasher) Verify(ctx context.Context, plain, encoded string) (ok, needsRehash bool, err error) {
	s, err := parse(encoded)
	if err != nil {
		return false, false, err
	}
	if s.unusable {
		// Spend the same time as for a real account, so such accounts are
		// not told apart by timing either.
		h.VerifyDummy(ctx)
		return false, false, nil
	}
	if err := h.acquire(ctx); err != nil {
		return false, false, err
	}
	defer h.release()
	match, err := s.matches(h, plain)
	if err != nil || !match {
		return false, false, err
	}
	return true, s.needsRehash(h.params), nil
}

// VerifyDummy spends the time and memory of a Verify against a hash made with
// the Hasher's parameters. Call it when a login names no known account, so
// response times do not reveal which email addresses have accounts.
func (h *Hasher) VerifyDummy(ctx context.Context) {
	// The result is always false; only the cost matters. An error can only be
	// ctx ending, which the caller sees on its own ctx.
	_, _, _ = h.Verify(ctx, "dummy password for timing", h.dummy)
}

func (h *Hasher) acquire(ctx context.Context) error {
	// Checked first because select picks at random among ready cases: a
	// cancelled login must not start a derivation just because a slot is free.
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("password: waiting for a hashing slot: %w", err)
	}
	select {
	case h.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("password: waiting for a hashing slot: %w", ctx.Err())
	}
}

func (h *Hasher) release() { <-h.sem }

func encodeArgon2id(p Params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt),
		base64.RawStdEncoding.EncodeToString(key))
}
