package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runMainEnv makes the test binary act as the proxy binary, so the
// subcommands and their exit codes are tested as a container runs them.
const runMainEnv = "DEPOTIX_PROXY_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// runProxy runs the proxy's command line with args and returns its exit
// code and combined output.
func runProxy(t *testing.T, args ...string) (int, string) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), runMainEnv+"=1")
	out, err := cmd.CombinedOutput()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return 0, string(out)
	case errors.As(err, &exitErr):
		return exitErr.ExitCode(), string(out)
	default:
		t.Fatalf("run %v: %v", args, err)
		return 0, ""
	}
}

// fakeAdmin serves /config/ with the given status and records the Host it saw.
func fakeAdmin(t *testing.T, status int, delay time.Duration) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/config/" {
			http.NotFound(w, r)
			return
		}
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"apps":{}}`))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// closedAddr returns a loopback address nothing listens on: a port claimed
// for the test (claimPorts) and left unbound, so no other test process
// binds it meanwhile.
func closedAddr(t *testing.T) string {
	t.Helper()
	return "127.0.0.1:" + claimPorts(t, 1)[0]
}

func TestCheckAdmin(t *testing.T) {
	ok := fakeAdmin(t, http.StatusOK, 0)
	unavailable := fakeAdmin(t, http.StatusServiceUnavailable, 0)
	slow := fakeAdmin(t, http.StatusOK, 2*time.Second)

	tests := []struct {
		name    string
		address string
		timeout time.Duration
		wantErr string
	}{
		{"200 answers", strings.TrimPrefix(ok.URL, "http://"), time.Second, ""},
		{"URL form", ok.URL, time.Second, ""},
		{"URL with trailing slash", ok.URL + "/", time.Second, ""},
		{"503 answers", strings.TrimPrefix(unavailable.URL, "http://"), time.Second, "503"},
		{"nothing listening", closedAddr(t), time.Second, "connection refused"},
		{"too slow", strings.TrimPrefix(slow.URL, "http://"), 100 * time.Millisecond, "deadline exceeded"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), tc.timeout)
			defer cancel()
			err := checkAdmin(ctx, newHealthcheckClient(nil), tc.address)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("checkAdmin(%s) = %v, want nil", tc.address, err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("checkAdmin(%s) = %v, want an error mentioning %q", tc.address, err, tc.wantErr)
			}
		})
	}
}

// tlsServer answers path "/ok" with 200, "/moved" with a redirect and
// anything else with 503, under a certificate from its own test CA, whose
// PEM file it returns.
func tlsServer(t *testing.T) (*httptest.Server, string) {
	t.Helper()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok":
		case "/moved":
			http.Redirect(w, r, "/ok", http.StatusPermanentRedirect)
		default:
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	t.Cleanup(srv.Close)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	block := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(ca, block, 0o600); err != nil {
		t.Fatal(err)
	}
	return srv, ca
}

// selfSignedCA writes the certificate of a CA that signed nothing here.
func selfSignedCA(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "unrelated test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "other-ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCheckURLs(t *testing.T) {
	srv, ca := tlsServer(t)
	otherCA := selfSignedCA(t)
	notPEM := filepath.Join(t.TempDir(), "x.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		urls    []string
		ca      string
		wantErr string
	}{
		{"200 with the server's CA", []string{srv.URL + "/ok"}, ca, ""},
		{"every URL must answer 200", []string{srv.URL + "/ok", srv.URL + "/down"}, ca, "503"},
		{"a redirect is not 200", []string{srv.URL + "/moved"}, ca, "308"},
		{"another CA", []string{srv.URL + "/ok"}, otherCA, "certificate"},
		{"the system's roots", []string{srv.URL + "/ok"}, "", "certificate"},
		{"CA file missing", []string{srv.URL + "/ok"}, filepath.Join(t.TempDir(), "none.pem"), "no such file"},
		{"CA file not PEM", []string{srv.URL + "/ok"}, notPEM, "no PEM certificate"},
		{"plain http", []string{"http://" + closedAddr(t) + "/ok"}, ca, "not an https URL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			err := checkURLs(ctx, tc.urls, tc.ca)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("checkURLs(%v) = %v, want nil", tc.urls, err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("checkURLs(%v) = %v, want an error mentioning %q", tc.urls, err, tc.wantErr)
			}
		})
	}
}

func TestHealthcheckURLExitCodes(t *testing.T) {
	srv, ca := tlsServer(t)
	if code, out := runProxy(t, "healthcheck", "--cacert", ca, "--url", srv.URL+"/ok", "--url", srv.URL+"/ok"); code != 0 {
		t.Errorf("two healthy URLs: exit %d\n%s", code, out)
	}
	if code, out := runProxy(t, "healthcheck", "--cacert", ca, "--url", srv.URL+"/ok", "--url", srv.URL+"/down"); code != 1 {
		t.Errorf("one URL down: exit %d, want 1\n%s", code, out)
	}
}

func TestCheckAdminIgnoresOutboundProxy(t *testing.T) {
	ok := fakeAdmin(t, http.StatusOK, 0)
	t.Setenv("HTTP_PROXY", "http://"+closedAddr(t))
	t.Setenv("NO_PROXY", "")
	if err := checkAdmin(t.Context(), newHealthcheckClient(nil), ok.URL); err != nil {
		t.Errorf("checkAdmin with HTTP_PROXY set = %v, want nil", err)
	}
}

func TestHealthcheckCommandExitCodes(t *testing.T) {
	ok := fakeAdmin(t, http.StatusOK, 0)
	unavailable := fakeAdmin(t, http.StatusServiceUnavailable, 0)
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"admin answers", []string{"healthcheck", "--address", strings.TrimPrefix(ok.URL, "http://")}, 0},
		{"admin fails", []string{"healthcheck", "--address", strings.TrimPrefix(unavailable.URL, "http://")}, 1},
		{"admin down", []string{"healthcheck", "--address", closedAddr(t)}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got, out := runProxy(t, tc.args...); got != tc.want {
				t.Errorf("proxy %v exited %d, want %d; output:\n%s", tc.args, got, tc.want, out)
			}
		})
	}
}

func TestVersionCommandNamesOurRelease(t *testing.T) {
	code, out := runProxy(t, "version")
	if code != 0 || !strings.HasPrefix(out, "depotix-proxy/"+version+" v2.") {
		t.Errorf("proxy version = %d %q, want 0 and depotix-proxy/%s followed by the Caddy version", code, out, version)
	}
}
