package password

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"sync"
)

// commonPasswordsGz is the password list of the npm package
// @zxcvbn-ts/language-common 4.1.3 (src/passwords.json, MIT licence),
// 49,233 lowercase entries, most common first, one per line, gzip'd.
// SOURCE.md beside this file says how it was made.
//
//go:embed common-passwords.txt.gz
var commonPasswordsGz []byte

// commonPasswords is loaded on first use: most processes (migrations,
// healthchecks) never check a password and need not pay for the set.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set, err := loadList(commonPasswordsGz)
	if err != nil {
		// The list is compiled into the binary; failing to read it is a
		// build defect, which the package tests catch.
		panic(fmt.Sprintf("password: embedded common password list: %v", err))
	}
	return set
})

func loadList(gz []byte) (map[string]struct{}, error) {
	r, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	defer r.Close()
	set := make(map[string]struct{}, 50_000)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if line := sc.Text(); line != "" {
			set[line] = struct{}{}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return set, nil
}

// isCommon reports whether lower (already lowercased) is on the list.
func isCommon(lower string) bool {
	_, ok := commonPasswords()[lower]
	return ok
}
