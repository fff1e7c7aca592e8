package files_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/files"
)

// Minimal but real headers of each format.
var (
	pngBytes  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	jpegBytes = []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00")
	webpBytes = []byte("RIFF\x24\x00\x00\x00WEBPVP8 ")
	pdfBytes  = []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	svgBytes  = []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`)
)

func TestSniff(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []byte
		want files.Type
		ok   bool
	}{
		{"png", pngBytes, files.PNG, true},
		{"jpeg", jpegBytes, files.JPEG, true},
		{"webp", webpBytes, files.WebP, true},
		{"pdf", pdfBytes, files.PDF, true},
		{"svg", svgBytes, "", false},
		{"svg without declaration", []byte(`<svg xmlns="http://www.w3.org/2000/svg"></svg>`), "", false},
		{"html", []byte("<!DOCTYPE html><p>hi"), "", false},
		{"riff that is not webp", []byte("RIFF\x24\x00\x00\x00WAVEfmt "), "", false},
		{"text", []byte("hello"), "", false},
		{"gif", []byte("GIF89a\x01\x00"), "", false},
		{"truncated png", pngBytes[:5], "", false},
		{"empty", nil, "", false},
	} {
		got, ok := files.Sniff(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: Sniff = %q, %v; want %q, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

func fieldCode(t *testing.T, err error, field string) apperr.FieldError {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.CodeValidation {
		t.Fatalf("err = %v, want a validation error", err)
	}
	return e.Fields[field]
}

func TestCheck(t *testing.T) {
	n, err := files.Check("file", files.Upload{Name: `C:\fakepath\Logo Müller.png`, Content: pngBytes}, 100, true)
	if err != nil {
		t.Fatal(err)
	}
	if n.Type != files.PNG || n.Name != "Logo Müller.png" || len(n.SHA256) != 64 {
		t.Errorf("Check = %+v", n)
	}
	// SVG named and declared as a PNG is still SVG.
	if fe := fieldCode(t, mustFail(files.Check("file", files.Upload{Name: "logo.png", Content: svgBytes}, 1000, true)), "file"); fe.Code != apperr.FieldUnsupportedType {
		t.Errorf("svg: %+v", fe)
	}
	// A PDF is a file, not a picture.
	if fe := fieldCode(t, mustFail(files.Check("file", files.Upload{Name: "x.pdf", Content: pdfBytes}, 1000, true)), "file"); fe.Code != apperr.FieldUnsupportedType || fe.Params["allowed"] != "PNG, JPEG, WebP" {
		t.Errorf("pdf as picture: %+v", fe)
	}
	if _, err := files.Check("file", files.Upload{Name: "x.pdf", Content: pdfBytes}, 1000, false); err != nil {
		t.Errorf("pdf as file: %v", err)
	}
	big := append(bytes.Clone(pngBytes), make([]byte, 100)...)
	if fe := fieldCode(t, mustFail(files.Check("file", files.Upload{Name: "x.png", Content: big}, 100, true)), "file"); fe.Code != apperr.FieldTooLarge || fe.Params["max"] != int64(100) {
		t.Errorf("too large: %+v", fe)
	}
	if fe := fieldCode(t, mustFail(files.Check("file", files.Upload{Name: "x.png"}, 100, true)), "file"); fe.Code != apperr.FieldRequired {
		t.Errorf("empty: %+v", fe)
	}
}

func mustFail(_ files.New, err error) error { return err }

func TestCleanName(t *testing.T) {
	for _, tc := range []struct {
		in   string
		t    files.Type
		want string
	}{
		{"logo.png", files.PNG, "logo.png"},
		{"logo.png", files.JPEG, "logo.jpg"}, // the type found wins
		{"../../etc/passwd", files.PDF, "passwd.pdf"},
		{`C:\Users\x\Rechnung "März".pdf`, files.PDF, "Rechnung März.pdf"},
		{"a\x00b\r\nc\u202e.png", files.PNG, "abc.png"},
		{"...", files.PNG, "file.png"},
		{"", files.WebP, "file.webp"},
		{"x;y.png", files.PNG, "xy.png"},
		{strings.Repeat("ä", 300) + ".png", files.PNG, strings.Repeat("ä", 196) + ".png"},
	} {
		if got := files.CleanName(tc.in, tc.t); got != tc.want {
			t.Errorf("CleanName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestContentDisposition(t *testing.T) {
	for in, want := range map[string]string{
		"logo.png":        `inline; filename="logo.png"; filename*=UTF-8''logo.png`,
		"Logo Müller.png": `inline; filename="Logo M_ller.png"; filename*=UTF-8''Logo%20M%C3%BCller.png`,
		"100% 'sure'.pdf": `inline; filename="100_ 'sure'.pdf"; filename*=UTF-8''100%25%20%27sure%27.pdf`,
	} {
		if got := files.ContentDisposition(in); got != want {
			t.Errorf("ContentDisposition(%q) =\n %s\nwant\n %s", in, got, want)
		}
	}
}
