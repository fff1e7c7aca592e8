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

	"github.com/depotix/depotix/services/web/internal/apiclient"
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
		{"count", de.Count(1234, "1’234", false), "1’234 Treffer"},
		{"count en", en.Count(1234, "1’234", false), "1’234 results"},
		{"count one", en.Count(1, "1", false), "1 result"},
		{"count one de", de.Count(1, "1", false), "1 Treffer"},
		{"count none", en.Count(0, "0", false), "0 results"},
		{"count more", en.Count(10000, "10’000", true), "more than 10’000 results"},
		{"count more de", de.Count(10000, "10’000", true), "mehr als 10’000 Treffer"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestFieldProblem(t *testing.T) {
	en, de := For(English), For(German)
	profileDE := Profile(German).APIFields
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"shared", de.FieldProblem(German, Problem{Field: "name", Code: "required"}), "Dieses Feld ist erforderlich."},
		{"parameters", de.FieldProblem(German, Problem{Field: "expires_in_days", Code: "out_of_range",
			Params: map[string]string{"min": "1", "max": "730"}}), "Geben Sie einen Wert von 1 bis 730 ein."},
		{"parameter in words", de.FieldProblem(German, Problem{Field: "limit", Code: "wrong_type",
			Params: map[string]string{"type": "integer"}}), "Geben Sie eine ganze Zahl ein."},
		{"the field's own text first", de.FieldProblem(German, Problem{Field: "language", Code: "not_allowed",
			Params: map[string]string{"allowed": "de, en"}}), "Wählen Sie Deutsch oder Englisch."},
		{"a nested field by its last name", en.FieldProblem(English, Problem{Field: "lines[3].quantity", Code: "out_of_range",
			Params: map[string]string{"min": "1", "max": "1’000’000’000"}}, Movements(English).APIFields),
			"Enter a whole number from 1 to 1’000’000’000."},
		{"group table first", de.FieldProblem(German, Problem{Field: "password", Code: "password_personal"}, profileDE),
			"Das Passwort darf weder Ihren Namen noch Ihre E-Mail enthalten."},
		{"group table wins over shared", en.FieldProblem(English, Problem{Field: "email", Code: "required"}, Auth(English).APIFields),
			"Enter this to sign in."},
		{"unknown code in English is the api's", en.FieldProblem(English, Problem{Code: "brand_new", Message: "is new"}), "is new"},
		{"unknown code in German is never English", de.FieldProblem(German, Problem{Code: "brand_new", Message: "is new"}),
			"Dieser Wert wurde nicht angenommen."},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

// Every field code of the api's contract has a text in every language, so
// a German page never falls back to the api's English; and every key of a
// translation table names a code the contract has (a misspelt one would
// never be used).
func TestEveryFieldCodeHasAText(t *testing.T) {
	codes := map[string]bool{}
	for _, c := range apiclient.FieldCodes() {
		codes[string(c)] = true
	}
	if len(codes) == 0 {
		t.Fatal("no field codes in the contract")
	}
	for _, lang := range []Lang{English, German} {
		for code := range codes {
			if For(lang).APIFields[code] == "" {
				t.Errorf("%s: no text for the field code %s", lang, code)
			}
		}
		for name, table := range map[string]map[string]string{
			"shared": For(lang).APIFields, "auth": Auth(lang).APIFields, "profile": Profile(lang).APIFields,
			"users": Users(lang).APIFields, "audit": Audit(lang).APIFields, "catalogue": Catalogue(lang).APIFields,
			"items": Items(lang).APIFields, "movements": Movements(lang).APIFields,
		} {
			for key := range table {
				code, _, _ := strings.Cut(key, "/")
				if !codes[code] {
					t.Errorf("%s %s: %q is not a field code of the contract", lang, name, key)
				}
			}
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
