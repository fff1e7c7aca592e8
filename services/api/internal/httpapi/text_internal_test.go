package httpapi

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/health"
)

func TestJSONText(t *testing.T) {
	// Bodies without escapes and refused characters take plainJSON's fast
	// way; the others the walk. The cases cover both.
	tests := []struct {
		name     string
		body     string
		want     map[string]string
		trailing bool
	}{
		{name: "clean without escapes", body: "{\"name\":\"Müller 🍺\",\"n\":[1,2.5e3,true,null]}\n"},
		{name: "clean", body: `{"name":"Grüezi 🍺","note":"one\ntwo\tthree\r\n","n":1e999,"ok":true,"x":null,"u":"\u00fc\ud83c\udf7a\ufffd"}`},
		{name: "invalid UTF-8 value", body: "{\"name\":\"a\xffb\"}", want: map[string]string{"name": "must be valid UTF-8 text"}},
		{name: "escaped NUL", body: `{"name":"a\u0000b"}`, want: map[string]string{"name": "must not contain control characters"}},
		{name: "escaped lone surrogate", body: `{"name":"a\ud800b"}`, want: map[string]string{"name": "must be valid UTF-8 text"}},
		{name: "reversed surrogates", body: `{"name":"\udc00\ud800"}`, want: map[string]string{"name": "must be valid UTF-8 text"}},
		{name: "raw C1 control", body: "{\"name\":\"a\u0085b\"}", want: map[string]string{"name": "must not contain control characters"}},
		{name: "noncharacter", body: `{"name":"a\uffffb"}`, want: map[string]string{"name": "must not contain control characters"}},
		{name: "escaped backspace", body: `{"name":"a\bb"}`, want: map[string]string{"name": "must not contain control characters"}},
		{name: "nested paths", body: "{\"supplier_id\":1,\"lines\":[{\"note\":\"ok\"},{\"a\":[1,\"x\"],\"note\":\"x\\u001bz\"}],\"address\":{\"town\":\"Z\xfcrich\"}}",
			want: map[string]string{"lines[1].note": "must not contain control characters", "address.town": "must be valid UTF-8 text"}},
		{name: "array element", body: `{"eans":["1","2\u0000"]}`, want: map[string]string{"eans[1]": "must not contain control characters"}},
		{name: "bad key named by its object", body: "{\"address\":{\"to\xffwn\":\"x\"},\"n\\u0000\":1}",
			want: map[string]string{"address": "must be valid UTF-8 text", "body": "must not contain control characters"}},
		{name: "line break in a key", body: `{"a\nb":1}`, want: map[string]string{"body": "must not contain control characters"}},
		{name: "top-level string", body: `"a\u0000"`, want: map[string]string{"body": "must not contain control characters"}},
		{name: "white space after", body: "{\"a\":1} \r\n\t"},
		{name: "text after", body: `{"a":1} x`, trailing: true},
		{name: "second object", body: `{}{}`, trailing: true},
		{name: "second value after bad text", body: "{\"a\":\"\xff\"}[]", trailing: true},
		{name: "not JSON: the guard's", body: `{"a":`},
		{name: "not JSON after bad text: the guard's", body: "{\"a\":\"\xff\",}"},
		{name: "empty", body: ``},
	}
	for _, tt := range tests {
		fields := apperr.Problems{}
		trailing := jsonText([]byte(tt.body), fields)
		if trailing != tt.trailing {
			t.Errorf("%s: trailing = %v", tt.name, trailing)
		}
		want := tt.want
		if want == nil || tt.trailing {
			want = map[string]string{}
		}
		if diff := cmp.Diff(want, fields.Messages()); diff != "" {
			t.Errorf("%s: fields (-want +got):\n%s", tt.name, diff)
		}
	}
}

// The text check reads the whole body; one of unknown length (chunked)
// that exceeds the limit is still a 413, and one that breaks off a 400,
// never a 500.
func TestTextCheckReadsWithinTheBodyLimit(t *testing.T) {
	e, _ := newTestAPI(t, health.Report{OK: true})
	for _, tt := range []struct {
		name   string
		body   io.Reader
		status int
		code   apperr.Code
	}{
		{"over the limit", strings.NewReader(`{"name":"` + strings.Repeat("x", 2048) + `"}`), 413, apperr.CodePayloadTooLarge},
		{"broken off", io.MultiReader(strings.NewReader(`{"name":`), iotest.ErrReader(io.ErrUnexpectedEOF)), 400, apperr.CodeBadRequest},
	} {
		req := httptest.NewRequest("POST", "/api/v1/categories", tt.body)
		req.ContentLength = -1 // as for a chunked body
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if got := decodeError(t, rec); rec.Code != tt.status || got.Code != tt.code {
			t.Errorf("%s: %d %+v", tt.name, rec.Code, got)
		}
	}
}
