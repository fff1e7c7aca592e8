package i18n

import (
	"reflect"
	"sort"
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

// TestNoTextMissing checks that every language fills every text, and that
// the lookup tables have the same keys in every language.
func TestNoTextMissing(t *testing.T) {
	for _, lang := range []Lang{English, German} {
		m := For(lang)
		checkFilled(t, string(lang), reflect.ValueOf(*m))
	}
	en, de := For(English), For(German)
	if diff := cmp.Diff(keys(en.DatabaseStates), keys(de.DatabaseStates)); diff != "" {
		t.Errorf("DatabaseStates keys differ (-en +de):\n%s", diff)
	}
	if diff := cmp.Diff(keys(en.APIErrorKinds), keys(de.APIErrorKinds)); diff != "" {
		t.Errorf("APIErrorKinds keys differ (-en +de):\n%s", diff)
	}
}

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

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
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
		{"5xx", de.Error(502).Title, "Etwas ist schiefgelaufen"},
		{"unknown lang", For("fr").HomeTitle, "Overview"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}
