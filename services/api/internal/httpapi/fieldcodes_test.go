package httpapi

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/httpapi/oapi"
)

// The field codes the api can answer are the contract's FieldCode enum
// (which the integration tests validate every answer against) and the list
// in docs/api.md: one list in apperr, two copies tied to it here.
func TestFieldCodesMatchTheContractAndTheGuide(t *testing.T) {
	spec, err := oapi.GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	var documented []string
	for _, v := range spec.Components.Schemas["FieldCode"].Value.Enum {
		documented = append(documented, v.(string))
	}
	var codes []string
	for _, c := range apperr.FieldCodes() {
		codes = append(codes, string(c))
	}
	slices.Sort(documented)
	slices.Sort(codes)
	if d := cmp.Diff(codes, documented); d != "" {
		t.Errorf("openapi.yaml FieldCode enum (-apperr +contract):\n%s", d)
	}

	guide, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "docs", "api.md"))
	if err != nil {
		t.Fatal(err)
	}
	description := spec.Components.Schemas["FieldCode"].Value.Description
	for _, c := range codes {
		if !strings.Contains(string(guide), "`"+c+"`") {
			t.Errorf("docs/api.md does not list the field code %s", c)
		}
		if !strings.Contains(description, "`"+c+"`") {
			t.Errorf("the FieldCode description of openapi.yaml does not list %s", c)
		}
	}
}
