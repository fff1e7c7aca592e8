package apperr

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFieldErrorJSON(t *testing.T) {
	for _, tc := range []struct {
		e    FieldError
		want string
	}{
		{TooLong(200), `{"code":"too_long","message":"must be at most 200 characters","params":{"max":200}}`},
		{Required(), `{"code":"required","message":"is required"}`},
		{NotAllowed("de", "en"), `{"code":"not_allowed","message":"must be de or en","params":{"allowed":"de, en"}}`},
		{OutOfRange(1, 500).Because("must be a whole number between 1 and 500"),
			`{"code":"out_of_range","message":"must be a whole number between 1 and 500","params":{"max":500,"min":1}}`},
		{WrongType("integer"), `{"code":"wrong_type","message":"must be an integer","params":{"type":"integer"}}`},
	} {
		b, err := json.Marshal(tc.e)
		if err != nil || string(b) != tc.want {
			t.Errorf("%+v\n  = %s, %v\nwant %s", tc.e, b, err, tc.want)
		}
	}
}

func TestWithKeepsTheOriginal(t *testing.T) {
	a := TooLong(10)
	b := a.With("unit", "bottle")
	if _, ok := a.Params["unit"]; ok || b.Params["unit"] != "bottle" || b.Params["max"] != int64(10) {
		t.Errorf("a %v, b %v", a.Params, b.Params)
	}
}

// Params hold only integers and strings, so every client can read them.
func TestWithRefusesOtherTypes(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("With accepted a float")
		}
	}()
	Required().With("x", 1.5)
}

func TestProblemsKeepTheFirst(t *testing.T) {
	p := Problems{}
	p.Add("name", Required())
	p.Add("name", TooLong(5))
	p.AddErr("price", errors.New("must be a decimal"))
	p.AddErr("count", fmt.Errorf("wrapped: %w", WrongType("integer")))
	want := Problems{
		"name":  Required(),
		"price": InvalidFormat().Because("must be a decimal"),
		"count": WrongType("integer"),
	}
	if d := cmp.Diff(want, p); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if (Problems{}).Check() != nil {
		t.Error("no problems, but an error")
	}
	e, ok := As(p.Check())
	if !ok || e.Code != CodeValidation || len(e.Fields) != 3 {
		t.Errorf("Check() = %v", e)
	}
}

func TestMerge(t *testing.T) {
	p := Problems{"a": Required()}
	if !p.Merge(Validation("x", Problems{"a": TooLong(1), "b": Archived()})) {
		t.Fatal("a validation error was not merged")
	}
	if p["a"].Code != FieldRequired || p["b"].Code != FieldArchived {
		t.Errorf("merged %v", p)
	}
	if p.Merge(New(CodeConflict, "no")) || p.Merge(errors.New("plain")) {
		t.Error("merged an error that is not a validation error")
	}
}

func TestTextChecks(t *testing.T) {
	for _, tc := range []struct {
		name       string
		check      func(Problems)
		code       FieldCode
		wantParams Params
	}{
		{"required", func(p Problems) { p.Line("f", "", 1, 5) }, FieldRequired, nil},
		{"optional and empty", func(p Problems) { p.Line("f", "", 0, 5) }, "", nil},
		{"too long in characters", func(p Problems) { p.Line("f", "äöüäöü", 0, 5) }, FieldTooLong, Params{"max": int64(5)}},
		{"five umlauts fit", func(p Problems) { p.Line("f", "äöüäö", 0, 5) }, "", nil},
		{"too short", func(p Problems) { p.Line("f", "ab", 3, 5) }, FieldTooShort, Params{"min": int64(3)}},
		{"line break in a line", func(p Problems) { p.Line("f", "a\nb", 0, 5) }, FieldControlChar, nil},
		{"line break in a text", func(p Problems) { p.Text("f", "a\nb", 0, 5) }, "", nil},
		{"NUL in a text", func(p Problems) { p.Text("f", "a\x00b", 0, 5) }, FieldControlChar, nil},
		{"invalid UTF-8", func(p Problems) { p.Text("f", "a\xffb", 0, 5) }, FieldInvalidUTF8, nil},
		{"range", func(p Problems) { p.Range("f", 366, 0, 365) }, FieldOutOfRange, Params{"min": int64(0), "max": int64(365)}},
		{"id", func(p Problems) { v := int64(0); p.ID("f", &v) }, FieldTooSmall, Params{"min": int64(1)}},
		{"no id", func(p Problems) { p.ID("f", nil) }, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := Problems{}
			tc.check(p)
			if got := p["f"]; got.Code != tc.code || !cmp.Equal(got.Params, tc.wantParams) {
				t.Errorf("= %+v, want %s %v", got, tc.code, tc.wantParams)
			}
		})
	}
}

func TestFieldCodesAreUniqueSnakeCase(t *testing.T) {
	seen := map[FieldCode]bool{}
	for _, c := range FieldCodes() {
		if seen[c] {
			t.Errorf("%s twice", c)
		}
		seen[c] = true
		if c == "" || strings.Trim(string(c), "abcdefghijklmnopqrstuvwxyz0123456789_") != "" {
			t.Errorf("%q is not snake_case", c)
		}
	}
}

func TestOneOf(t *testing.T) {
	for in, want := range map[string]string{"": "", "a": "a", "a b": "a or b", "a b c": "a, b or c"} {
		if got := OneOf(strings.Fields(in)); got != want {
			t.Errorf("OneOf(%q) = %q, want %q", in, got, want)
		}
	}
}

// FieldCodes lists every FieldCode constant of this package: the contract's
// list is compared with it (httpapi), so a code missing here would go
// undocumented.
func TestFieldCodesListsEveryConstant(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "fields.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, c := range FieldCodes() {
		listed[string(c)] = true
	}
	n := 0
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			v := s.(*ast.ValueSpec)
			if id, ok := v.Type.(*ast.Ident); !ok || id.Name != "FieldCode" {
				continue
			}
			for _, val := range v.Values {
				lit := val.(*ast.BasicLit)
				n++
				if code, _ := strconv.Unquote(lit.Value); !listed[code] {
					t.Errorf("%s is not in FieldCodes()", code)
				}
			}
		}
	}
	if n != len(FieldCodes()) {
		t.Errorf("%d constants, %d listed", n, len(FieldCodes()))
	}
}
