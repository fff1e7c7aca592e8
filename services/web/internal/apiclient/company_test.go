package apiclient

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// The same picture sent twice is the same request, byte for byte, with
// its Idempotency-Key: the api recognises a retried upload by the key and
// the body's hash. Another picture is another body.
func TestUploadCompanyLogoRepeatsTheSameBody(t *testing.T) {
	var bodies [][]byte
	var keys []string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, b)
		keys = append(keys, r.Header.Get("Idempotency-Key"))
		// The body is a multipart form with the file as sent.
		_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil {
			t.Errorf("Content-Type %q: %v", r.Header.Get("Content-Type"), err)
		}
		part, err := multipart.NewReader(bytes.NewReader(b), params["boundary"]).NextPart()
		if err != nil || part.FormName() != "file" || part.FileName() != `lo"go.png` {
			t.Errorf("the file part: %v", err)
		} else if content, _ := io.ReadAll(part); !bytes.HasPrefix(content, []byte("\x89PNG")) {
			t.Errorf("the file's content: %q", content)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("ETag", `"2"`)
		_, _ = io.WriteString(w, `{"name":"","street":"","building_number":"","postal_code":"","town":"","country":"CH",
			"vat_number":"","iban":"","bank_name":"","payment_terms_days":30,"invoice_footer":"","invoice_prefix":"RE",
			"credit_note_prefix":"GS","currency":"CHF","deposits_taxable":false,"missing_for_qr_bill":[],"version":2,
			"updated_at":"2026-12-01T10:00:00Z","logo":{"id":5,"content_type":"image/png","size":8,"name":"logo.png",
			"sha256":"abc","url":"/api/v1/files/5"}}`)
	}))
	defer api.Close()
	c := newClient(t, api.URL, time.Second)
	for _, content := range []string{"\x89PNG one", "\x89PNG one", "\x89PNG two"} {
		if _, _, err := c.UploadCompanyLogo(context.Background(), BearerToken("tok"), `"1"`, "key-1", `lo"go.png`, []byte(content)); err != nil {
			t.Fatalf("upload: %v", err)
		}
	}
	if len(bodies) != 3 || !bytes.Equal(bodies[0], bodies[1]) || bytes.Equal(bodies[1], bodies[2]) {
		t.Errorf("bodies:\n%q\n%q\n%q\nwant the first two equal, the third another", bodies[0], bodies[1], bodies[2])
	}
	for _, k := range keys {
		if k != "key-1" {
			t.Errorf("Idempotency-Key %q, want key-1", k)
		}
	}
}
