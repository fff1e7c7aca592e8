// Package e2e starts the native stack exactly as `make run` does (real
// PostgreSQL, api, web, and the Caddy proxy with its local CA) and drives it
// over HTTPS, trusting nothing but that CA. The launcher itself is shared
// with the benchmark: platform/nativestack.
package e2e

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/depotix/depotix/platform/nativestack"
)

// Stack is one native stack started by a test.
type Stack struct {
	*nativestack.Stack
	Client *http.Client // trusts only the stack's local CA; never follows redirects
}

func repoRoot(t testing.TB) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root, err := nativestack.Root(wd)
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// buildBinaries builds api, web and proxy into the checkout's own
// .test-output/bin.
func buildBinaries(t testing.TB, root string) string {
	t.Helper()
	binDir, err := nativestack.Build(root)
	if err != nil {
		t.Fatal(err)
	}
	return binDir
}

// StartStack runs scripts/run-native.sh in a fresh data folder on free
// ports, with JSON logs (the tests read them) and the production HSTS
// value; env adds to or overrides that. The first admin is the one the
// script generated and printed, as for a person running make run.
func StartStack(t testing.TB, env ...string) *Stack {
	t.Helper()
	root := repoRoot(t)
	opts := nativestack.Options{
		Root:   root,
		BinDir: buildBinaries(t, root),
		Env: append([]string{"LOG_FORMAT=json",
			"HSTS_MAX_AGE=31536000", // the production value, not the native default of 0
			// The first admin reads German, whatever the browser asks for;
			// a test of the browser's language passes ADMIN_LANGUAGE=.
			"ADMIN_LANGUAGE=de",
		}, env...),
	}
	return startWith(t, opts)
}

func startWith(t testing.TB, opts nativestack.Options) *Stack {
	t.Helper()
	ns, err := nativestack.Start(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	s := &Stack{Stack: ns}
	t.Cleanup(func() {
		s.Stop(t)
		if !t.Failed() {
			os.RemoveAll(s.DataDir)
		} else {
			t.Logf("stack data and logs kept in %s", s.DataDir)
		}
	})
	s.Client = s.newClient(t)
	if s.AdminEmail == "" || s.AdminPassword == "" {
		t.Fatalf("the stack printed no first admin:\n%s", s.Output())
	}
	return s
}

// Restart starts the stopped stack again on the same data and ports.
func (s *Stack) Restart(t testing.TB) {
	t.Helper()
	if err := s.Stack.Restart(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// Stop sends Ctrl-C to the stack, as a person would, and fails the test
// unless it stopped cleanly (exit status 0, its PostgreSQL down).
func (s *Stack) Stop(t testing.TB) {
	t.Helper()
	if err := s.Stack.Stop(); err != nil {
		t.Error(err)
	}
}

// PG runs scripts/pg.sh with the stack's data folder.
func (s *Stack) PG(t testing.TB, action string) string {
	t.Helper()
	out, err := s.Stack.PG(action)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// WaitForCertificate waits until url's name has its certificate. The
// stack is ready once localhost answers; Caddy issues other names'
// (www.localhost) after that, in the background. The deadline only bounds
// a failure.
func (s *Stack) WaitForCertificate(t testing.TB, url string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := s.Client.Get(url)
		if err == nil {
			resp.Body.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no certificate for %s: %v", url, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *Stack) newClient(t testing.TB) *http.Client {
	t.Helper()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(s.RootPEM) {
		t.Fatal("local CA root is not a PEM certificate")
	}
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Client{
		Timeout: 15 * time.Second,
		Transport: &http.Transport{
			TLSClientConfig:    &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
			DisableCompression: true, // so tests see Content-Encoding as sent
			// *.localhost names (www.localhost) go to loopback, as browsers do.
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				_, port, err := net.SplitHostPort(addr)
				if err != nil {
					return nil, err
				}
				return dialer.DialContext(ctx, network, net.JoinHostPort("127.0.0.1", port))
			},
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// testOutput is a folder of this checkout for what tests leave behind to
// be looked at (git-ignored).
func testOutput(t testing.TB, name string) string {
	t.Helper()
	dir := filepath.Join(repoRoot(t), ".test-output", name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Get fetches url with optional header pairs and returns the response and body.
func (s *Stack) Get(t testing.TB, url string, header ...string) (*http.Response, string) {
	t.Helper()
	return s.Do(t, http.MethodGet, url, nil, header...)
}

// Do sends a request with optional header pairs and returns the response and body.
func (s *Stack) Do(t testing.TB, method, url string, body io.Reader, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := s.Client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, url, err)
	}
	return resp, string(b)
}
