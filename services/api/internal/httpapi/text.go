package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/textcheck"
)

// checkText refuses a request whose text is not valid UTF-8 or holds
// control characters (package textcheck), before anything decodes it:
// path, query and header values (no controls at all) and every key and
// string of a JSON body (tab, line feed and carriage return allowed, for
// notes of several lines; fields of one line refuse them in the domain).
// Each refused text is a field of one 422, named as the api names fields:
// a parameter by its name, a header by its name, a body field by its path
// (lines[3].note). A JSON body with anything after its value ({"a":1} x,
// {}{}) is a 400. CSV bodies are checked cell by cell by the importer,
// which names line and column.
//
// The body has to be looked at as sent: encoding/json turns invalid UTF-8
// and lone surrogates into U+FFFD without a word, which would store
// something the client never wrote. Reading the body here also means that
// everything after (the guard, the handlers) reads it from memory; the
// body limit bounds it.
func checkText(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		fields := apperr.Problems{}
		pathText(c, fields)
		queryText(req.URL.RawQuery, fields)
		headerText(req.Header, fields)
		if req.Body != nil && req.Body != http.NoBody {
			body, err := io.ReadAll(req.Body)
			if err != nil {
				var httpErr *echo.HTTPError
				if errors.As(err, &httpErr) {
					return err // over the body limit: 413
				}
				return &apperr.Error{Code: apperr.CodeBadRequest, Message: "The request body could not be read.", Err: err}
			}
			req.Body = io.NopCloser(bytes.NewReader(body))
			if isJSON(req.Header.Get(echo.HeaderContentType)) {
				if trailing := jsonText(body, fields); trailing {
					return trailingDataError()
				}
			}
		}
		if len(fields) > 0 {
			return apperr.Validation("Check the marked fields.", fields)
		}
		return next(c)
	}
}

// textProblem records the field error of a refused text. Every field error
// of the text checks is made here, so that they change together.
func textProblem(fields apperr.Problems, field string, p textcheck.Problem) {
	if e, bad := p.FieldError(); bad {
		fields.Add(field, e)
	}
}

// trailingDataError refuses a JSON body with more after its value.
func trailingDataError() error {
	return &apperr.Error{Code: apperr.CodeBadRequest, Message: "The request body is not valid JSON of the expected shape.",
		Fields: apperr.Problems{"body": apperr.InvalidJSON("must be one JSON value with nothing after it")}}
}

// pathText checks the request path, naming the route parameter that holds
// a problem, or "path".
func pathText(c echo.Context, fields apperr.Problems) {
	p := textcheck.Check(c.Request().URL.Path, false)
	if p == textcheck.OK {
		return
	}
	values := c.ParamValues()
	for i, name := range c.ParamNames() {
		if i >= len(values) {
			break
		}
		v := values[i]
		if u, err := url.PathUnescape(v); err == nil {
			v = u
		}
		if vp := textcheck.Check(v, false); vp != textcheck.OK {
			textProblem(fields, name, vp)
			return
		}
	}
	textProblem(fields, "path", p)
}

// queryText checks every query parameter's name and values, naming the
// parameter, or "query" when its name is the problem.
func queryText(raw string, fields apperr.Problems) {
	if raw == "" {
		return
	}
	// A pair that is not valid percent-encoding is left out by everyone
	// who reads the query (url.Values), so it is not looked at here either.
	values, _ := url.ParseQuery(raw)
	for name, vs := range values {
		if p := textcheck.Check(name, false); p != textcheck.OK {
			textProblem(fields, "query", p)
			continue
		}
		for _, v := range vs {
			textProblem(fields, name, textcheck.Check(v, false))
		}
	}
}

// headerText checks every header value, naming the header. X-Request-ID is
// left to the request-id middleware, which replaces a malformed one with
// an id of its own rather than refusing the request.
func headerText(h http.Header, fields apperr.Problems) {
	for name, vs := range h {
		if p := textcheck.Check(name, false); p != textcheck.OK {
			textProblem(fields, "header", p)
			continue
		}
		if http.CanonicalHeaderKey(name) == echo.HeaderXRequestID {
			continue
		}
		for _, v := range vs {
			textProblem(fields, http.CanonicalHeaderKey(name), textcheck.Check(v, false))
		}
	}
}

func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == echo.MIMEApplicationJSON || strings.HasSuffix(mt, "+json"))
}

// jsonText checks every key and string of a JSON body as sent and records
// the problems in fields by path; trailing says that more follows the
// body's value. A body that is not JSON is left alone: the guard says what
// is wrong with it.
func jsonText(body []byte, fields apperr.Problems) (trailing bool) {
	if plainJSON(body) {
		return false // the common case, at a fraction of the walk's cost
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // numbers are not looked at; no float range to trip over
	type level struct {
		path    string
		array   bool
		index   int
		key     string
		wantKey bool
	}
	var stack []*level
	found := apperr.Problems{}
	var prev int64
	for {
		tok, err := dec.Token()
		if err != nil {
			return false // empty or not JSON: the guard's to report
		}
		raw := body[prev:dec.InputOffset()]
		prev = dec.InputOffset()
		var top *level
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if s, ok := tok.(string); ok && top != nil && top.wantKey {
			where := top.path
			if where == "" {
				where = "body"
			}
			textProblem(found, where, literalText(raw, false))
			top.key, top.wantKey = s, false
			continue
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
		} else {
			// A value begins: its path is its parent's and its place there.
			path := ""
			switch {
			case top == nil:
			case top.array:
				path = top.path + "[" + strconv.Itoa(top.index) + "]"
				top.index++
			case top.path == "":
				path = top.key
			default:
				path = top.path + "." + top.key
			}
			switch tok.(type) {
			case json.Delim: // { or [
				stack = append(stack, &level{path: path, array: tok == json.Delim('['), wantKey: tok == json.Delim('{')})
				continue
			case string:
				if path == "" {
					path = "body"
				}
				textProblem(found, path, literalText(raw, true))
			}
		}
		// A value ended.
		if len(stack) > 0 {
			if parent := stack[len(stack)-1]; !parent.array {
				parent.wantKey = true
			}
			continue
		}
		// The body's value ended: only white space may follow.
		if _, err := dec.Token(); !errors.Is(err, io.EOF) {
			return true
		}
		for f, e := range found {
			fields[f] = e
		}
		return false
	}
}

// plainJSON tells, cheaply, that body is one JSON value in which nothing
// can be wrong: valid UTF-8 without escapes and without a character the
// text rule refuses anywhere (tab, line feed and carriage return outside
// strings are white space, inside them raw JSON forbids them). Anything
// else takes the walk, which finds the field.
func plainJSON(body []byte) bool {
	for i := 0; i < len(body); {
		if body[i] < utf8.RuneSelf {
			if body[i] == '\\' || !textcheck.Allowed(rune(body[i]), true) {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(body[i:])
		if r == utf8.RuneError && n <= 1 || !textcheck.Allowed(r, true) {
			return false
		}
		i += n
	}
	return json.Valid(body)
}

// literalText checks a JSON string as it was sent: raw is what the decoder
// read for the token, separators and the quotes included. Escapes count as
// the characters they stand for: "\u0000" is a NUL, "\ud800" alone no
// character at all.
func literalText(raw []byte, lines bool) textcheck.Problem {
	start := bytes.IndexByte(raw, '"')
	if start < 0 || len(raw) < start+2 {
		return textcheck.OK
	}
	lit := raw[start+1 : len(raw)-1]
	for i := 0; i < len(lit); {
		r, n := utf8.DecodeRune(lit[i:])
		if r == utf8.RuneError && n <= 1 {
			return textcheck.InvalidUTF8
		}
		if r == '\\' {
			var ok bool
			if r, n, ok = unescape(lit[i:]); !ok {
				return textcheck.InvalidUTF8
			}
		}
		if !textcheck.Allowed(r, lines) {
			return textcheck.ControlCharacter
		}
		i += n
	}
	return textcheck.OK
}

// unescape decodes the escape at the start of s, which the JSON decoder
// has accepted already, and returns the character and its length in s; ok
// is false for a surrogate without its partner, which is no character.
func unescape(s []byte) (r rune, n int, ok bool) {
	if len(s) < 2 {
		return 0, len(s), false
	}
	switch s[1] {
	case 'b':
		return '\b', 2, true
	case 'f':
		return '\f', 2, true
	case 'n':
		return '\n', 2, true
	case 'r':
		return '\r', 2, true
	case 't':
		return '\t', 2, true
	case 'u':
	default: // \" \\ \/
		return rune(s[1]), 2, true
	}
	r = hex4(s[2:])
	if !utf16.IsSurrogate(r) {
		return r, 6, r >= 0
	}
	if len(s) >= 12 && s[6] == '\\' && s[7] == 'u' {
		if pair := utf16.DecodeRune(r, hex4(s[8:])); pair != utf8.RuneError {
			return pair, 12, true
		}
	}
	return 0, 6, false
}

// hex4 reads four hex digits; -1 when they are not.
func hex4(s []byte) rune {
	if len(s) < 4 {
		return -1
	}
	n, err := strconv.ParseUint(string(s[:4]), 16, 32)
	if err != nil {
		return -1
	}
	return rune(n)
}
