package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNegotiate(t *testing.T) {
	tests := []struct {
		header string
		want   Lang
	}{
		{"", English},
		{"de", German},
		{"de-CH", German},
		{"de-CH,de;q=0.9,en;q=0.8", German},
		{"gsw-CH", German}, // Swiss German falls back to German
		{"en-US,en;q=0.9", English},
		{"en;q=0.5,de;q=0.9", German},
		{"fr-CH,de;q=0.7,en;q=0.3", German},
		{"fr-CH", English},
		{"*", English},
		{"de;q=0", English},
		{"not a header;;q=x", English},
	}
	for _, tt := range tests {
		if got := Negotiate(tt.header); got != tt.want {
			t.Errorf("Negotiate(%q) = %q, want %q", tt.header, got, tt.want)
		}
	}
}

// TestNoTextMissing checks the shared messages: every language fills every
// text, and the lookup tables have the same keys in every language.
func TestNoTextMissing(t *testing.T) {
	checkGroup(t, For)
}

// checkGroup checks one text group through its accessor: no language leaves a
// text empty, and every map has the same keys in every language. Each group
// file has a test calling it (TestEveryGroupIsChecked makes sure).
func checkGroup[T any](t *testing.T, accessor func(Lang) *T) {
	t.Helper()
	en, de := reflect.ValueOf(*accessor(English)), reflect.ValueOf(*accessor(German))
	if accessor(English) == accessor(German) {
		t.Errorf("%T: English and German are the same value", accessor(English))
	}
	checkFilled(t, "en", en)
	checkFilled(t, "de", de)
	for i := range en.NumField() {
		if en.Field(i).Kind() != reflect.Map {
			continue
		}
		name := en.Type().Field(i).Name
		if diff := cmp.Diff(mapKeys(en.Field(i)), mapKeys(de.Field(i))); diff != "" {
			t.Errorf("%s keys differ (-en +de):\n%s", name, diff)
		}
	}
}

func mapKeys(m reflect.Value) []string {
	out := make([]string, 0, m.Len())
	for _, k := range m.MapKeys() {
		out = append(out, k.String())
	}
	sort.Strings(out)
	return out
}

// TestEveryGroupIsChecked finds every text group accessor of the package
// (a function taking a Lang and returning a pointer) and every checkGroup
// call in its tests, so a new group cannot go unchecked.
func TestEveryGroupIsChecked(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	accessors, checked := map[string]bool{}, map[string]bool{}
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				if isAccessor(n) && !strings.HasSuffix(name, "_test.go") {
					accessors[n.Name.Name] = true
				}
			case *ast.CallExpr:
				if id, ok := calleeName(n); ok && id == "checkGroup" && len(n.Args) == 2 {
					if arg, ok := n.Args[1].(*ast.Ident); ok {
						checked[arg.Name] = true
					}
				}
			}
			return true
		})
	}
	if len(accessors) < 3 {
		t.Fatalf("found only %d accessors: %v", len(accessors), accessors)
	}
	for name := range accessors {
		if !checked[name] {
			t.Errorf("text group %s has no test calling checkGroup(t, %s)", name, name)
		}
	}
}

func isAccessor(f *ast.FuncDecl) bool {
	if f.Recv != nil || f.Type.Params == nil || len(f.Type.Params.List) != 1 || f.Type.Results == nil || len(f.Type.Results.List) != 1 {
		return false
	}
	param, ok := f.Type.Params.List[0].Type.(*ast.Ident)
	if !ok || param.Name != "Lang" {
		return false
	}
	_, ptr := f.Type.Results.List[0].Type.(*ast.StarExpr)
	return ptr
}

func calleeName(c *ast.CallExpr) (string, bool) {
	switch fn := c.Fun.(type) {
	case *ast.Ident:
		return fn.Name, true
	case *ast.IndexExpr:
		if id, ok := fn.X.(*ast.Ident); ok {
			return id.Name, true
		}
	}
	return "", false
}

func TestAuthTexts(t *testing.T)    { checkGroup(t, Auth) }
func TestProfileTexts(t *testing.T) { checkGroup(t, Profile) }

func checkFilled(t *testing.T, path string, v reflect.Value) {
	t.Helper()
	switch v.Kind() {
	case reflect.String:
		if v.String() == "" {
			t.Errorf("%s is empty", path)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			checkFilled(t, path+"."+v.Type().Field(i).Name, v.Field(i))
		}
	case reflect.Map:
		if v.Len() == 0 {
			t.Errorf("%s is empty", path)
		}
		for _, k := range v.MapKeys() {
			checkFilled(t, path+"["+k.String()+"]", v.MapIndex(k))
		}
	default:
		t.Errorf("%s: unexpected kind %s in Messages", path, v.Kind())
	}
}

func TestLookups(t *testing.T) {
	en, de := For(English), For(German)
	tests := []struct {
		name, got, want string
	}{
		{"known state", en.DatabaseState("ready"), "ready"},
		{"known state de", de.DatabaseState("schema_outdated"), "Schema veraltet"},
		{"unknown state shown as sent", de.DatabaseState("on_fire"), "on_fire"},
		{"unknown error kind", en.APIErrorKind("strange"), "unknown error"},
		{"404", en.Error(404).Title, "Page not found"},
		{"405", de.Error(405).Title, "Hier nicht erlaubt"},
		{"413", en.Error(413).Title, "Too much data"},
		{"other 4xx", en.Error(400).Title, "Request not understood"},
		{"5xx", de.Error(500).Title, "Etwas ist schiefgelaufen"},
		{"unknown lang", For("fr").HomeTitle, "Overview"},
		{"403", de.Error(403).Title, "Nicht erlaubt"},
		{"412", en.Error(412).Title, "Changed meanwhile"},
		{"429", en.Error(429).Title, "Too many attempts"},
		{"503", de.Error(503).Title, "Depotix ist gerade nicht erreichbar"},
		{"504", en.Error(504).Title, "Depotix is not available right now"},
		{"role", de.Role("viewer"), "Nur lesen"},
		{"unknown role", en.Role("boss"), "boss"},
		{"count", de.Count("1’234", false), "1’234 Treffer"},
		{"count more", en.Count("10’000", true), "more than 10’000 results"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestFieldMessage(t *testing.T) {
	en, de := For(English), For(German)
	profileDE := Profile(German).APIFields
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"shared", de.FieldMessage(German, "is required"), "Dieses Feld ist erforderlich."},
		{"numbers go back in order", de.FieldMessage(German, "must be between 1 and 730"), "Geben Sie einen Wert von 1 bis 730 ein."},
		{"group table first", de.FieldMessage(German, "must be at least 10 characters", profileDE), "Verwenden Sie mindestens 10 Zeichen."},
		{"group table wins over shared", en.FieldMessage(English, "is required", Auth(English).APIFields), "Enter this to sign in."},
		{"unknown in English is the api's", en.FieldMessage(English, "is more than the 30 bottle available"), "is more than the 30 bottle available"},
		{"unknown in German is never English", de.FieldMessage(German, "is more than the 30 bottle available"), "Dieser Wert wurde nicht angenommen."},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestParse(t *testing.T) {
	for in, want := range map[string]Lang{"de": German, "en": English} {
		if got, ok := Parse(in); !ok || got != want {
			t.Errorf("Parse(%q) = %q %t", in, got, ok)
		}
	}
	for _, in := range []string{"", "fr", "DE", "de-CH"} {
		if _, ok := Parse(in); ok {
			t.Errorf("Parse(%q) accepted", in)
		}
	}
}
