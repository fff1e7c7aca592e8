package password

import (
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/text/unicode/norm"
)

// Stored-hash formats Verify understands. The Django ones are how Django's
// hashers write their results: "<algorithm>$<data>", with "!" marking an
// account that has no usable password.
const (
	djangoUnusablePrefix = "!"
	djangoArgon2Prefix   = "argon2$"        // then a PHC argon2 string
	djangoBcryptSHA256   = "bcrypt_sha256$" // then bcrypt over hex(sha256(password))
	djangoBcrypt         = "bcrypt$"        // then bcrypt over the password
	djangoPBKDF2SHA256   = "pbkdf2_sha256"
	djangoPBKDF2SHA1     = "pbkdf2_sha1"
)

// Cost limits for legacy hashes. Django's defaults are far below them (bcrypt
// cost 12, PBKDF2 1.2 million iterations in Django 6); they exist so a
// corrupted row cannot pin a core for minutes.
const (
	maxBcryptCost       = 14
	maxPBKDF2Iterations = 10_000_000
	bcryptHashLength    = 60
)

type scheme int

const (
	schemeArgon2id scheme = iota
	schemeArgon2i
	schemeBcrypt
	schemePBKDF2
)

// stored is a parsed hash string.
type stored struct {
	scheme   scheme
	unusable bool
	// fromDjango marks hashes Django wrote: Django hashed the password bytes
	// as received, without our NFC normalisation.
	fromDjango bool

	params Params // argon2: the cost parameters read from the string
	salt   []byte // argon2, PBKDF2
	key    []byte // argon2, PBKDF2: the expected derived key

	bcryptHash   []byte // bcrypt: the "$2b$..." string
	bcryptSHA256 bool   // bcrypt: Django's SHA-256 pre-hash

	iterations int              // PBKDF2
	newHash    func() hash.Hash // PBKDF2
}

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformedHash, fmt.Sprintf(format, args...))
}

func parse(encoded string) (stored, error) {
	switch {
	case encoded == "":
		return stored{}, malformed("empty")
	case strings.HasPrefix(encoded, djangoUnusablePrefix):
		return stored{unusable: true}, nil
	case strings.HasPrefix(encoded, "$argon2"):
		return parseArgon2(encoded)
	case strings.HasPrefix(encoded, djangoArgon2Prefix):
		s, err := parseArgon2(strings.TrimPrefix(encoded, "argon2"))
		s.fromDjango = true
		return s, err
	case strings.HasPrefix(encoded, "$2"):
		return parseBcrypt(encoded, false)
	case strings.HasPrefix(encoded, djangoBcryptSHA256):
		s, err := parseBcrypt(strings.TrimPrefix(encoded, djangoBcryptSHA256), true)
		s.fromDjango = true
		return s, err
	case strings.HasPrefix(encoded, djangoBcrypt):
		s, err := parseBcrypt(strings.TrimPrefix(encoded, djangoBcrypt), false)
		s.fromDjango = true
		return s, err
	case strings.HasPrefix(encoded, djangoPBKDF2SHA256+"$"), strings.HasPrefix(encoded, djangoPBKDF2SHA1+"$"):
		return parsePBKDF2(encoded)
	}
	return stored{}, fmt.Errorf("%w: unknown format", ErrUnsupportedHash)
}

// parseArgon2 reads "$argon2id$v=19$m=M,t=T,p=P$<salt>$<key>" (PHC string
// format; salt and key in unpadded standard base64).
func parseArgon2(encoded string) (stored, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" {
		return stored{}, malformed("argon2: want 5 $-separated fields")
	}
	var s stored
	switch parts[1] {
	case "argon2id":
		s.scheme = schemeArgon2id
	case "argon2i":
		s.scheme = schemeArgon2i
	default:
		return stored{}, fmt.Errorf("%w: variant %q", ErrUnsupportedHash, parts[1])
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return stored{}, fmt.Errorf("%w: argon2 version %q", ErrUnsupportedHash, parts[2])
	}
	p, err := parseArgon2Params(parts[3])
	if err != nil {
		return stored{}, err
	}
	enc := base64.RawStdEncoding.Strict()
	if s.salt, err = enc.DecodeString(parts[4]); err != nil {
		return stored{}, malformed("argon2 salt: %v", err)
	}
	if s.key, err = enc.DecodeString(parts[5]); err != nil {
		return stored{}, malformed("argon2 key: %v", err)
	}
	p.SaltLength, p.KeyLength = uint32(len(s.salt)), uint32(len(s.key))
	if err := p.validate(); err != nil {
		return stored{}, malformed("argon2: %v", err)
	}
	s.params = p
	return s, nil
}

func parseArgon2Params(field string) (Params, error) {
	kv := strings.Split(field, ",")
	if len(kv) != 3 {
		return Params{}, malformed("argon2 params: want m,t,p")
	}
	var vals [3]uint64
	for i, name := range []string{"m", "t", "p"} {
		v, ok := strings.CutPrefix(kv[i], name+"=")
		if !ok {
			return Params{}, malformed("argon2 params: want %s= at position %d", name, i+1)
		}
		bits := 32
		if name == "p" {
			bits = 8
		}
		n, err := strconv.ParseUint(v, 10, bits)
		if err != nil {
			return Params{}, malformed("argon2 params: %s: %v", name, err)
		}
		vals[i] = n
	}
	return Params{Memory: uint32(vals[0]), Time: uint32(vals[1]), Threads: uint8(vals[2])}, nil
}

// parseBcrypt reads "$2a$", "$2b$" or "$2y$" strings: Go's bcrypt computes
// all three the same way (the variants only differ in historic C bugs).
func parseBcrypt(encoded string, sha256Prehash bool) (stored, error) {
	if len(encoded) != bcryptHashLength {
		return stored{}, malformed("bcrypt: want %d characters, got %d", bcryptHashLength, len(encoded))
	}
	if encoded[0] != '$' || encoded[1] != '2' || !strings.ContainsRune("aby", rune(encoded[2])) || encoded[3] != '$' {
		return stored{}, fmt.Errorf("%w: bcrypt variant %q", ErrUnsupportedHash, encoded[:min(4, len(encoded))])
	}
	if encoded[6] != '$' || !isBcryptBase64(encoded[7:]) {
		return stored{}, malformed("bcrypt: bad layout")
	}
	cost, err := strconv.Atoi(encoded[4:6])
	if err != nil || cost < bcrypt.MinCost || cost > maxBcryptCost {
		return stored{}, malformed("bcrypt: cost %q outside %d..%d", encoded[4:6], bcrypt.MinCost, maxBcryptCost)
	}
	return stored{scheme: schemeBcrypt, bcryptHash: []byte(encoded), bcryptSHA256: sha256Prehash}, nil
}

func isBcryptBase64(s string) bool {
	for _, c := range []byte(s) {
		ok := c == '.' || c == '/' || ('A' <= c && c <= 'Z') || ('a' <= c && c <= 'z') || ('0' <= c && c <= '9')
		if !ok {
			return false
		}
	}
	return true
}

// parsePBKDF2 reads Django's "pbkdf2_sha256$<iterations>$<salt>$<base64 key>".
// Django uses the salt string's bytes as the salt and padded standard base64
// for the key.
func parsePBKDF2(encoded string) (stored, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 4 {
		return stored{}, malformed("pbkdf2: want 4 $-separated fields")
	}
	s := stored{scheme: schemePBKDF2, fromDjango: true, newHash: sha256.New}
	if parts[0] == djangoPBKDF2SHA1 {
		s.newHash = sha1.New
	}
	iter, err := strconv.Atoi(parts[1])
	if err != nil || iter < 1 || iter > maxPBKDF2Iterations {
		return stored{}, malformed("pbkdf2: iterations %q outside 1..%d", parts[1], maxPBKDF2Iterations)
	}
	s.iterations = iter
	if parts[2] == "" {
		return stored{}, malformed("pbkdf2: empty salt")
	}
	s.salt = []byte(parts[2])
	if s.key, err = base64.StdEncoding.Strict().DecodeString(parts[3]); err != nil {
		return stored{}, malformed("pbkdf2 key: %v", err)
	}
	if len(s.key) < minKeyLength || len(s.key) > maxKeyLength {
		return stored{}, malformed("pbkdf2: key length %d outside %d..%d", len(s.key), minKeyLength, maxKeyLength)
	}
	return s, nil
}

// matches recomputes the hash of plain with the stored parameters and compares
// in constant time.
func (s stored) matches(h *Hasher, plain string) (bool, error) {
	switch s.scheme {
	case schemeArgon2id, schemeArgon2i:
		pw := []byte(plain)
		if !s.fromDjango {
			pw = []byte(norm.NFC.String(plain))
		}
		p := s.params
		derive := argon2.Key
		if s.scheme == schemeArgon2id {
			derive = h.idKey
		}
		got := derive(pw, s.salt, p.Time, p.Memory, p.Threads, p.KeyLength)
		return subtle.ConstantTimeCompare(got, s.key) == 1, nil
	case schemeBcrypt:
		pw := []byte(plain)
		if s.bcryptSHA256 {
			sum := sha256.Sum256(pw)
			pw = []byte(hex.EncodeToString(sum[:]))
		}
		// CompareHashAndPassword compares in constant time.
		err := bcrypt.CompareHashAndPassword(s.bcryptHash, pw)
		switch {
		case err == nil:
			return true, nil
		case errors.Is(err, bcrypt.ErrMismatchedHashAndPassword):
			return false, nil
		default:
			return false, malformed("bcrypt: %v", err)
		}
	case schemePBKDF2:
		got, err := pbkdf2.Key(s.newHash, plain, s.salt, s.iterations, len(s.key))
		if err != nil {
			return false, malformed("pbkdf2: %v", err)
		}
		return subtle.ConstantTimeCompare(got, s.key) == 1, nil
	}
	return false, fmt.Errorf("%w: scheme %d", ErrUnsupportedHash, s.scheme)
}

// needsRehash reports whether a verified password should be hashed again:
// anything but our own format with the current parameters.
func (s stored) needsRehash(current Params) bool {
	return s.scheme != schemeArgon2id || s.fromDjango || s.params != current
}
