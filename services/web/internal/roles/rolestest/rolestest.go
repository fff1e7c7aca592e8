// Package rolestest gives tests the permissions each role holds, read from
// the api's contract (x-grants of the Permission schema in
// services/api/openapi.yaml, which the api's TestGrantsDocumented ties to
// its roles.go). Fakes of the api answer with them, so the web's tests see
// the matrix the real api serves and no copy of it can drift.
//
// Only tests import this package.
package rolestest

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/depotix/depotix/services/web/internal/roles"
)

// grants reads the document once per test binary: every fake sign-in asks.
var grants = sync.OnceValues(load)

func load() (map[string][]string, error) {
	_, here, _, ok := runtime.Caller(0)
	if !ok {
		return nil, fmt.Errorf("rolestest: cannot find its own folder")
	}
	path := filepath.Join(filepath.Dir(here), "..", "..", "..", "..", "api", "openapi.yaml")
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("rolestest: %w", err)
	}
	var doc struct {
		Components struct {
			Schemas struct {
				Permission struct {
					Grants map[string][]string `yaml:"x-grants"`
				} `yaml:"Permission"`
			} `yaml:"schemas"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("rolestest: %s: %w", path, err)
	}
	g := doc.Components.Schemas.Permission.Grants
	if len(g) == 0 {
		return nil, fmt.Errorf("rolestest: %s has no x-grants on the Permission schema", path)
	}
	return g, nil
}

// Names lists the permissions of role as the api sends them; an unknown
// role (or "") has none. It panics when the contract cannot be read: no
// test can mean anything then.
func Names(role string) []string {
	g, err := grants()
	if err != nil {
		panic(err)
	}
	return append([]string{}, g[role]...)
}

// Of is the Set of role's permissions.
func Of(role string) roles.Set { return roles.Of(Names(role)) }
