package htmlcheck

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestViolations(t *testing.T) {
	tests := []struct {
		name string
		page string
		want []string
	}{
		{"clean", `<html><head><link rel="stylesheet" href="/static/app.1.css"><script src="/static/a.js"></script></head><body><a href="/x">x</a></body></html>`, nil},
		{"inline script", `<p><script>alert(1)</script></p>`, []string{"inline <script> without src"}},
		{"style element", `<style>p{}</style>`, []string{`page contains "<style"`}},
		{"style attribute", `<p style="color:red">x</p>`, []string{`page contains " style="`}},
		{"event handler", `<button onclick="go()">x</button>`, []string{"<button> has inline event handler onclick"}},
		{"cdn", `<link href="https://cdn.example/x.css">`, []string{`<link href="https://cdn.example/x.css"> leaves the origin`}},
		{"protocol relative", `<img src="//cdn.example/x.png">`, []string{`<img src="//cdn.example/x.png"> leaves the origin`}},
		{"javascript url", `<a href="javascript:go()">x</a>`, []string{`<a href="javascript:go()"> leaves the origin`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Violations(tt.page)); diff != "" {
				t.Errorf("Violations (-want +got):\n%s", diff)
			}
		})
	}
}
