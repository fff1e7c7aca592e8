package e2e

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Browser is a headless Chromium driven over the DevTools protocol.
type Browser struct {
	ctx       context.Context
	shotDir   string
	stack     *Stack
	shotCount int
}

// chromiumPath finds Debian's chromium (.ci/run installs it).
func chromiumPath(t testing.TB) string {
	t.Helper()
	for _, p := range []string{"/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	t.Fatal("chromium is not installed (apt-get install chromium; .ci/run does it)")
	return ""
}

// spkiHash is the base64 SHA-256 of a certificate's public key, the form
// Chromium's --ignore-certificate-errors-spki-list takes: the browser then
// accepts chains through the stack's own local CA and nothing else (a
// fresh profile has no way to trust a root otherwise).
func spkiHash(t testing.TB, pemPath string) string {
	t.Helper()
	raw, err := os.ReadFile(pemPath)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(raw)
	if block == nil {
		t.Fatalf("%s: no PEM block", pemPath)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(cert.RawSubjectPublicKeyInfo)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// NewBrowser starts Chromium for the stack with a fresh profile. Its
// screenshots go to the test's output folder (DEPOTIX_SCREENSHOTS, or
// .test-output/screenshots in this checkout, named in the log).
func NewBrowser(t *testing.T, s *Stack) *Browser {
	t.Helper()
	profile, err := os.MkdirTemp("", "dpx-chromium")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(profile) })
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.UserDataDir(profile),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		// The list must name a certificate the server presents: the
		// intermediate (the root is not sent). Both are named.
		chromedp.Flag("ignore-certificate-errors-spki-list", spkiHash(t, s.RootCertPath())+","+
			spkiHash(t, filepath.Join(filepath.Dir(s.RootCertPath()), "intermediate.crt"))),
		// *.localhost resolves to loopback in Chromium by itself.
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("lang", "en-GB"),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	shots := os.Getenv("DEPOTIX_SCREENSHOTS")
	if shots == "" {
		shots = testOutput(t, "screenshots")
	}
	shots = filepath.Join(shots, sanitize(t.Name()))
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", shots)
	return &Browser{ctx: ctx, shotDir: shots, stack: s}
}

func sanitize(name string) string {
	return regexp.MustCompile(`[^A-Za-z0-9._-]+`).ReplaceAllString(name, "_")
}

// Run runs actions with a time limit, failing the test on error.
func (b *Browser) Run(t *testing.T, what string, actions ...chromedp.Action) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Run(ctx, actions...); err != nil {
		b.Screenshot(t, "failed-"+what)
		var loc, body string
		_ = chromedp.Run(b.ctx, chromedp.Location(&loc), chromedp.OuterHTML("body", &body, chromedp.ByQuery))
		if len(body) > 2000 {
			body = body[:2000] + "…"
		}
		t.Fatalf("%s: %v\nat %s\n%s", what, err, loc, body)
	}
}

// Screenshot saves the whole page as NN-name.png.
func (b *Browser) Screenshot(t *testing.T, name string) {
	t.Helper()
	var png []byte
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	b.shotCount++
	path := filepath.Join(b.shotDir, fmt.Sprintf("%02d-%s.png", b.shotCount, sanitize(name)))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserReachesTheStack proves the harness: Chromium opens the home
// page through the proxy over HTTPS, trusting only the stack's local CA.
func TestBrowserReachesTheStack(t *testing.T) {
	s := StartStack(t)
	b := NewBrowser(t, s)
	var title, lang string
	b.Run(t, "open the home page",
		chromedp.Navigate(s.URL("/")),
		chromedp.WaitReady("body", chromedp.ByQuery),
		chromedp.Title(&title),
		chromedp.AttributeValue("html", "lang", &lang, nil, chromedp.ByQuery),
	)
	if !strings.Contains(title, "Depotix") || lang != "en" {
		t.Errorf("title %q, lang %q", title, lang)
	}
	b.Screenshot(t, "home")
}
