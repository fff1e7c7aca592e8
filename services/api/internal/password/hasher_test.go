package password

import (
	"context"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
)

// fastParams keep tests quick; DefaultParams are exercised where the real
// cost matters (round trip, benchmarks).
var fastParams = Params{Memory: 64, Time: 1, Threads: 1, SaltLength: 16, KeyLength: 32}

func newTestHasher(t testing.TB, p Params, maxConcurrent int) *Hasher {
	t.Helper()
	h, err := NewHasher(p, maxConcurrent)
	if err != nil {
		t.Fatalf("NewHasher: %v", err)
	}
	return h
}

func TestDefaultParamsAreOWASP(t *testing.T) {
	want := Params{Memory: 19456, Time: 2, Threads: 1, SaltLength: 16, KeyLength: 32}
	if diff := cmp.Diff(want, DefaultParams()); diff != "" {
		t.Errorf("DefaultParams (-want +got):\n%s", diff)
	}
}

func TestHashVerifyRoundTrip(t *testing.T) {
	h := newTestHasher(t, DefaultParams(), 2)
	phc := regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	tests := []struct {
		name, plain string
	}{
		{"ascii", "correct horse battery staple"},
		{"unicode", "Grüezi mitenand, Zürich! 🏔"},
		{"empty", ""},
		{"long", strings.Repeat("x", 300)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			encoded, err := h.Hash(ctx, tt.plain)
			if err != nil {
				t.Fatalf("Hash: %v", err)
			}
			if !phc.MatchString(encoded) {
				t.Errorf("Hash = %q, not a PHC argon2id string with the default params", encoded)
			}
			ok, rehash, err := h.Verify(ctx, tt.plain, encoded)
			if err != nil || !ok || rehash {
				t.Errorf("Verify(right password) = %v, %v, %v; want true, false, nil", ok, rehash, err)
			}
			ok, rehash, err = h.Verify(ctx, tt.plain+"!", encoded)
			if err != nil || ok || rehash {
				t.Errorf("Verify(wrong password) = %v, %v, %v; want false, false, nil", ok, rehash, err)
			}
			again, err := h.Hash(ctx, tt.plain)
			if err != nil {
				t.Fatalf("Hash again: %v", err)
			}
			if again == encoded {
				t.Errorf("two hashes of the same password are equal: salt not random")
			}
		})
	}
}

func TestHashNormalisesUnicode(t *testing.T) {
	h := newTestHasher(t, fastParams, 1)
	ctx := context.Background()
	composed := "caf\u00e9 au lait!"    // é as one code point (NFC)
	decomposed := "cafe\u0301 au lait!" // e + combining acute (NFD)
	encoded, err := h.Hash(ctx, decomposed)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _, err := h.Verify(ctx, composed, encoded); err != nil || !ok {
		t.Errorf("Verify(NFC form of an NFD password) = %v, %v; want true, nil", ok, err)
	}
}

// TestVerifyKnownVectors checks hashes made by other implementations.
func TestVerifyKnownVectors(t *testing.T) {
	h := newTestHasher(t, fastParams, 2)
	tests := []struct {
		name, plain, encoded string
	}{
		// The Argon2 reference implementation's README example.
		{"argon2i reference", "password", "$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG"},
		// Openwall crypt_blowfish test vectors.
		{"bcrypt 2a openwall 1", "U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"},
		{"bcrypt 2a openwall 2", "U*U*", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK"},
		// Django's own test vectors (tests/auth_tests/test_hashers.py of the
		// Django release that used these iteration counts).
		{"django pbkdf2_sha256 1.5", "lètmein", "pbkdf2_sha256$10000$seasalt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY="},
		{"django pbkdf2_sha256 2.0", "lètmein", "pbkdf2_sha256$100000$seasalt$BNZ6eyaNc8qFTJPjrAq99hSYb73EgAdytAtdBg2Sdcc="},
		// passlib's django_pbkdf2_sha1 known hash.
		{"django pbkdf2_sha1", "not a password", "pbkdf2_sha1$10000$wz5B6WkasRoF$atJmJ1o+XfJxKq1+Nu1f1i57Z5I="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			ok, rehash, err := h.Verify(ctx, tt.plain, tt.encoded)
			if err != nil || !ok || !rehash {
				t.Errorf("Verify(right password) = %v, %v, %v; want true, true, nil", ok, rehash, err)
			}
			ok, _, err = h.Verify(ctx, tt.plain+"x", tt.encoded)
			if err != nil || ok {
				t.Errorf("Verify(wrong password) = %v, %v; want false, nil", ok, err)
			}
		})
	}
}

// TestVerifyLegacyGenerated covers the formats Django writes, with hashes
// computed here by the standard algorithms.
func TestVerifyLegacyGenerated(t *testing.T) {
	const plain = "Ünïcödé passwörd 42"
	bc, err := bcrypt.GenerateFromPassword([]byte(plain), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	bcHash := string(bc) // Go writes $2a$
	sum := sha256.Sum256([]byte(plain))
	bcSHA, err := bcrypt.GenerateFromPassword([]byte(hex.EncodeToString(sum[:])), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	key, err := pbkdf2.Key(sha256.New, plain, []byte("Zk3sQ0x9aBcD"), 1000, 32)
	if err != nil {
		t.Fatal(err)
	}
	djangoPBKDF2 := "pbkdf2_sha256$1000$Zk3sQ0x9aBcD$" + base64.StdEncoding.EncodeToString(key)
	argonSalt := []byte("randomsalt123456")
	argonKey := argon2.IDKey([]byte(plain), argonSalt, 1, 64, 2, 16)
	djangoArgon2 := fmt.Sprintf("argon2$argon2id$v=19$m=64,t=1,p=2$%s$%s",
		base64.RawStdEncoding.EncodeToString(argonSalt), base64.RawStdEncoding.EncodeToString(argonKey))

	h := newTestHasher(t, fastParams, 2)
	tests := []struct {
		name, encoded string
	}{
		{"bcrypt 2a", bcHash},
		{"bcrypt 2b", "$2b$" + bcHash[4:]},
		{"bcrypt 2y", "$2y$" + bcHash[4:]},
		{"django bcrypt", "bcrypt$" + bcHash},
		{"django bcrypt_sha256", "bcrypt_sha256$" + string(bcSHA)},
		{"django pbkdf2_sha256", djangoPBKDF2},
		{"django argon2", djangoArgon2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			ok, rehash, err := h.Verify(ctx, plain, tt.encoded)
			if err != nil || !ok || !rehash {
				t.Errorf("Verify(right password) = %v, %v, %v; want true, true, nil", ok, rehash, err)
			}
			ok, rehash, err = h.Verify(ctx, "wrong password", tt.encoded)
			if err != nil || ok || rehash {
				t.Errorf("Verify(wrong password) = %v, %v, %v; want false, false, nil", ok, rehash, err)
			}
		})
	}
}

func TestVerifyTampered(t *testing.T) {
	h := newTestHasher(t, fastParams, 1)
	ctx := context.Background()
	const plain = "tamper proof 123"
	encoded, err := h.Hash(ctx, plain)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(encoded, "$") // "", argon2id, v=19, params, salt, key
	flip := func(s string) string {
		b, err := base64.RawStdEncoding.DecodeString(s)
		if err != nil {
			t.Fatal(err)
		}
		b[len(b)/2] ^= 0x01
		return base64.RawStdEncoding.EncodeToString(b)
	}
	with := func(i int, v string) string {
		p := append([]string(nil), parts...)
		p[i] = v
		return strings.Join(p, "$")
	}
	tests := []struct {
		name, encoded string
	}{
		{"key bit flipped", with(5, flip(parts[5]))},
		{"salt bit flipped", with(4, flip(parts[4]))},
		{"time changed", with(3, "m=64,t=2,p=1")},
		{"memory changed", with(3, "m=72,t=1,p=1")},
		{"key truncated", with(5, base64.RawStdEncoding.EncodeToString(mustDecode(t, parts[5])[:16]))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, _, err := h.Verify(ctx, plain, tt.encoded)
			if err != nil || ok {
				t.Errorf("Verify(%q) = %v, %v; want false, nil", tt.encoded, ok, err)
			}
		})
	}
}

func mustDecode(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestVerifyMalformed(t *testing.T) {
	const salt, key = "c29tZXNhbHQxMjM0NTY3OA", "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE"
	validBcrypt := "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"
	tests := []struct {
		name    string
		encoded string
		want    error
	}{
		{"empty", "", ErrMalformedHash},
		{"plain text", "hunter2", ErrUnsupportedHash},
		{"md5 django", "md5$salt$5f4dcc3b5aa765d61d8327deb882cf99", ErrUnsupportedHash},
		{"argon2 only prefix", "$argon2id$", ErrMalformedHash},
		{"argon2 missing key", "$argon2id$v=19$m=64,t=1,p=1$" + salt, ErrMalformedHash},
		{"argon2 extra field", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key + "$x", ErrMalformedHash},
		{"argon2d", "$argon2d$v=19$m=64,t=1,p=1$" + salt + "$" + key, ErrUnsupportedHash},
		{"argon2 version 16", "$argon2id$v=16$m=64,t=1,p=1$" + salt + "$" + key, ErrUnsupportedHash},
		{"argon2 no version", "$argon2id$m=64,t=1,p=1$" + salt + "$" + key, ErrMalformedHash},
		{"argon2 params order", "$argon2id$v=19$t=1,m=64,p=1$" + salt + "$" + key, ErrMalformedHash},
		{"argon2 params missing", "$argon2id$v=19$m=64,t=1$" + salt + "$" + key, ErrMalformedHash},
		{"argon2 keyid param", "$argon2id$v=19$m=64,t=1,p=1,keyid=x$" + salt + "$" + key, ErrMalformedHash},
		{"argon2 t=0", "$argon2id$v=19$m=64,t=0,p=1$" + salt + "$" + key, ErrMalformedHash},
		{"argon2 p=0", "$argon2id$v=19$m=64,t=1,p=0$" + salt + "$" + key, ErrMalformedHash},
		{"argon2 p overflows", "$argon2id$v=19$m=64,t=1,p=257$" + salt + "$" + key, ErrMalformedHash},
		{"argon2 m negative", "$argon2id$v=19$m=-64,t=1,p=1$" + salt + "$" + key, ErrMalformedHash},
		{"argon2 m too small for p", "$argon2id$v=19$m=16,t=1,p=4$" + salt + "$" + key, ErrMalformedHash},
		{"argon2 m 4 GiB", "$argon2id$v=19$m=4194304,t=1,p=1$" + salt + "$" + key, ErrMalformedHash},
		{"argon2 t huge", "$argon2id$v=19$m=64,t=100000,p=1$" + salt + "$" + key, ErrMalformedHash},
		{"argon2 salt not base64", "$argon2id$v=19$m=64,t=1,p=1$!!!!$" + key, ErrMalformedHash},
		{"argon2 padded base64", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "==$" + key, ErrMalformedHash},
		{"argon2 salt too short", "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$" + key, ErrMalformedHash},
		{"argon2 key empty", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$", ErrMalformedHash},
		{"argon2 key too short", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$AAAA", ErrMalformedHash},
		{"django argon2 broken", "argon2$argon2id$v=19$m=64", ErrMalformedHash},
		{"bcrypt short", validBcrypt[:59], ErrMalformedHash},
		{"bcrypt long", validBcrypt + "x", ErrMalformedHash},
		{"bcrypt 2x", "$2x$" + validBcrypt[4:], ErrUnsupportedHash},
		{"bcrypt cost 31", "$2a$31$" + validBcrypt[7:], ErrMalformedHash},
		{"bcrypt cost 03", "$2a$03$" + validBcrypt[7:], ErrMalformedHash},
		{"bcrypt cost letters", "$2a$aa$" + validBcrypt[7:], ErrMalformedHash},
		{"bcrypt bad alphabet", validBcrypt[:59] + "!", ErrMalformedHash},
		{"bcrypt no separator", "$2a$05x" + validBcrypt[7:], ErrMalformedHash},
		{"django bcrypt broken", "bcrypt_sha256$$2b$12$short", ErrMalformedHash},
		{"pbkdf2 fields", "pbkdf2_sha256$10000$salt", ErrMalformedHash},
		{"pbkdf2 iterations zero", "pbkdf2_sha256$0$salt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY=", ErrMalformedHash},
		{"pbkdf2 iterations huge", "pbkdf2_sha256$999999999$salt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY=", ErrMalformedHash},
		{"pbkdf2 iterations text", "pbkdf2_sha256$many$salt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY=", ErrMalformedHash},
		{"pbkdf2 empty salt", "pbkdf2_sha256$10000$$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY=", ErrMalformedHash},
		{"pbkdf2 bad base64", "pbkdf2_sha256$10000$salt$***", ErrMalformedHash},
		{"pbkdf2 key too short", "pbkdf2_sha256$10000$salt$AAAA", ErrMalformedHash},
		{"pbkdf2 sha512", "pbkdf2_sha512$10000$salt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY=", ErrUnsupportedHash},
	}
	h := newTestHasher(t, fastParams, 1)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash, err := h.Verify(context.Background(), "password", tt.encoded)
			if !errors.Is(err, tt.want) || ok || rehash {
				t.Errorf("Verify(%q) = %v, %v, %v; want false, false, %v", tt.encoded, ok, rehash, err, tt.want)
			}
		})
	}
}

func TestVerifyUnusable(t *testing.T) {
	h := newTestHasher(t, fastParams, 1)
	var calls atomic.Int32
	h.idKey = countingKey(&calls, argon2.IDKey)
	ok, rehash, err := h.Verify(context.Background(), "", "!Xk2xJ0ZQ3bS5nPq1rT7uV9wY4zA6cE8gI0kM2oQ4")
	if err != nil || ok || rehash {
		t.Errorf("Verify(unusable) = %v, %v, %v; want false, false, nil", ok, rehash, err)
	}
	if calls.Load() != 1 {
		t.Errorf("unusable password ran %d argon2id derivations, want 1 (the dummy)", calls.Load())
	}
}

func TestNeedsRehashWhenParamsDiffer(t *testing.T) {
	current := fastParams
	tests := []struct {
		name   string
		change func(*Params)
		want   bool
	}{
		{"same", func(*Params) {}, false},
		{"memory", func(p *Params) { p.Memory = 128 }, true},
		{"time", func(p *Params) { p.Time = 2 }, true},
		{"threads", func(p *Params) { p.Threads = 2 }, true},
		{"salt length", func(p *Params) { p.SaltLength = 32 }, true},
		{"key length", func(p *Params) { p.KeyLength = 16 }, true},
	}
	checker := newTestHasher(t, current, 1)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := current
			tt.change(&old)
			ctx := context.Background()
			encoded, err := newTestHasher(t, old, 1).Hash(ctx, "parameter change")
			if err != nil {
				t.Fatal(err)
			}
			ok, rehash, err := checker.Verify(ctx, "parameter change", encoded)
			if err != nil || !ok || rehash != tt.want {
				t.Errorf("Verify = %v, %v, %v; want true, %v, nil", ok, rehash, err, tt.want)
			}
		})
	}
}

func TestNewHasherRejectsBadConfig(t *testing.T) {
	tests := []struct {
		name          string
		change        func(*Params)
		maxConcurrent int
	}{
		{"zero concurrency", func(*Params) {}, 0},
		{"negative concurrency", func(*Params) {}, -1},
		{"zero time", func(p *Params) { p.Time = 0 }, 1},
		{"zero threads", func(p *Params) { p.Threads = 0 }, 1},
		{"memory below 8 per thread", func(p *Params) { p.Threads = 16; p.Memory = 64 }, 1},
		{"memory above limit", func(p *Params) { p.Memory = 1 << 20 }, 1},
		{"short salt", func(p *Params) { p.SaltLength = 4 }, 1},
		{"short key", func(p *Params) { p.KeyLength = 8 }, 1},
		{"long key", func(p *Params) { p.KeyLength = 128 }, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := fastParams
			tt.change(&p)
			if _, err := NewHasher(p, tt.maxConcurrent); err == nil {
				t.Errorf("NewHasher(%+v, %d) succeeded, want an error", p, tt.maxConcurrent)
			}
		})
	}
}

func countingKey(calls *atomic.Int32, next keyFunc) keyFunc {
	return func(password, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte {
		calls.Add(1)
		return next(password, salt, time, memory, threads, keyLen)
	}
}

// gate is a key function that blocks until released, recording how many
// derivations are inside it at once.
type gate struct {
	inside, maxInside atomic.Int32
	entered           chan struct{}
	release           chan struct{}
}

func newGate() *gate {
	return &gate{entered: make(chan struct{}, 100), release: make(chan struct{})}
}

func (g *gate) key(password, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte {
	n := g.inside.Add(1)
	for {
		m := g.maxInside.Load()
		if n <= m || g.maxInside.CompareAndSwap(m, n) {
			break
		}
	}
	g.entered <- struct{}{}
	<-g.release
	g.inside.Add(-1)
	return argon2.IDKey(password, salt, time, memory, threads, keyLen)
}

func TestConcurrencyLimit(t *testing.T) {
	const limit, callers = 3, 10
	h := newTestHasher(t, fastParams, limit)
	g := newGate()
	h.idKey = g.key

	var wg sync.WaitGroup
	errs := make(chan error, callers)
	for i := range callers {
		wg.Go(func() {
			if _, err := h.Hash(context.Background(), fmt.Sprintf("password %d", i)); err != nil {
				errs <- err
			}
		})
	}
	// Wait until the limit is reached, then give the others every chance to
	// push in: none may, as long as the first ones are held inside.
	for range limit {
		<-g.entered
	}
	time.Sleep(50 * time.Millisecond)
	if got := g.inside.Load(); got != limit {
		t.Errorf("derivations running while %d callers wait: %d, want %d", callers, got, limit)
	}
	close(g.release)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("Hash: %v", err)
	}
	if got := g.maxInside.Load(); got > limit {
		t.Errorf("at most %d derivations ran at once, want at most %d", got, limit)
	}
}

func TestContextCancelledWhileWaiting(t *testing.T) {
	h := newTestHasher(t, fastParams, 1)
	g := newGate()
	h.idKey = g.key
	encoded, err := newTestHasher(t, fastParams, 1).Hash(context.Background(), "held")
	if err != nil {
		t.Fatal(err)
	}

	holder := make(chan error, 1)
	go func() {
		_, err := h.Hash(context.Background(), "holds the only slot")
		holder <- err
	}()
	<-g.entered

	tests := []struct {
		name string
		call func(ctx context.Context) error
	}{
		{"Hash", func(ctx context.Context) error { _, err := h.Hash(ctx, "waiting"); return err }},
		{"Verify", func(ctx context.Context) error { _, _, err := h.Verify(ctx, "held", encoded); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- tt.call(ctx) }()
			select {
			case err := <-done:
				t.Fatalf("returned before cancel with %v; want it to wait for the slot", err)
			case <-time.After(20 * time.Millisecond):
			}
			cancel()
			select {
			case err := <-done:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("after cancel: %v, want context.Canceled", err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("still running 5 s after cancel: it took a slot that was not free")
			}
		})
	}

	close(g.release)
	if err := <-holder; err != nil {
		t.Errorf("holder Hash: %v", err)
	}
	if got := g.maxInside.Load(); got != 1 {
		t.Errorf("derivations at once = %d, want 1", got)
	}
}

func TestCancelledContextStartsNoWork(t *testing.T) {
	h := newTestHasher(t, fastParams, 4)
	var calls atomic.Int32
	h.idKey = countingKey(&calls, argon2.IDKey)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	// Slots are free: the cancelled context alone must stop the work, every
	// time (select would pick a ready slot half the time).
	for range 20 {
		if _, err := h.Hash(ctx, "x"); !errors.Is(err, context.Canceled) {
			t.Fatalf("Hash(cancelled ctx) error = %v, want context.Canceled", err)
		}
	}
	if calls.Load() != 0 {
		t.Errorf("%d derivations ran for a cancelled context, want 0", calls.Load())
	}
}

// TestVerifyDummyDoesRealWork checks VerifyDummy with a counting key
// function instead of a clock: timing assertions flake on a shared machine,
// and the same derivation with the same parameters is what makes the cost
// equal. BenchmarkVerifyDummy reports the times.
func TestVerifyDummyDoesRealWork(t *testing.T) {
	p := Params{Memory: 256, Time: 3, Threads: 2, SaltLength: 24, KeyLength: 40}
	h := newTestHasher(t, p, 1)
	type call struct {
		Time, Memory    uint32
		Threads         uint8
		SaltLen, KeyLen uint32
	}
	var got []call
	h.idKey = func(password, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte {
		got = append(got, call{time, memory, threads, uint32(len(salt)), keyLen})
		return argon2.IDKey(password, salt, time, memory, threads, keyLen)
	}
	ctx := context.Background()
	encoded, err := h.Hash(ctx, "a real password")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := h.Verify(ctx, "a real password", encoded); err != nil {
		t.Fatal(err)
	}
	verifyCall := got[len(got)-1]
	got = nil
	h.VerifyDummy(ctx)
	if diff := cmp.Diff([]call{verifyCall}, got); diff != "" {
		t.Errorf("VerifyDummy derivations differ from a real Verify (-real +dummy):\n%s", diff)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQxMjM0NTY3OA$MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE",
		"argon2$argon2id$v=19$m=102400,t=2,p=8$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
		"$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
		"bcrypt_sha256$$2b$12$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
		"pbkdf2_sha256$10000$seasalt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY=",
		"!unusable", "", "$", "$$$$$", "$2", "argon2$",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, encoded string) {
		s, err := parse(encoded)
		if err != nil {
			return
		}
		// Whatever parses must be safe to hand to the derivations.
		switch s.scheme {
		case schemeArgon2id, schemeArgon2i:
			if !s.unusable {
				if err := s.params.validate(); err != nil {
					t.Errorf("parse(%q) accepted invalid params: %v", encoded, err)
				}
			}
		case schemeBcrypt:
			if _, err := bcrypt.Cost(s.bcryptHash); err != nil {
				t.Errorf("parse(%q) accepted a hash bcrypt rejects: %v", encoded, err)
			}
		}
	})
}

func BenchmarkHash(b *testing.B) {
	h := newTestHasher(b, DefaultParams(), 1)
	ctx := context.Background()
	for b.Loop() {
		if _, err := h.Hash(ctx, "correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	h := newTestHasher(b, DefaultParams(), 1)
	ctx := context.Background()
	encoded, err := h.Hash(ctx, "correct horse battery staple")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if ok, _, err := h.Verify(ctx, "correct horse battery staple", encoded); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}

func BenchmarkVerifyDummy(b *testing.B) {
	h := newTestHasher(b, DefaultParams(), 1)
	ctx := context.Background()
	for b.Loop() {
		h.VerifyDummy(ctx)
	}
}

// BenchmarkVerifyParallel shows throughput of a login burst with the
// concurrency limit at the core count of the target machine (2).
func BenchmarkVerifyParallel(b *testing.B) {
	h := newTestHasher(b, DefaultParams(), 2)
	ctx := context.Background()
	encoded, err := h.Hash(ctx, "correct horse battery staple")
	if err != nil {
		b.Fatal(err)
	}
	b.SetParallelism(4) // more callers than slots, as in a burst
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if ok, _, err := h.Verify(ctx, "correct horse battery staple", encoded); err != nil || !ok {
				b.Error(ok, err)
				return
			}
		}
	})
}

func BenchmarkVerifyDjangoPBKDF2(b *testing.B) {
	h := newTestHasher(b, DefaultParams(), 1)
	ctx := context.Background()
	// Django 5.1's iteration count, the kind of hash an import brings.
	const encoded = "pbkdf2_sha256$870000$seasalt$wJSpLMQRQz0Dhj/pFpbyjMj71B2gUYp6HJS5AU+32Ac="
	for b.Loop() {
		if ok, _, err := h.Verify(ctx, "lètmein", encoded); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}
