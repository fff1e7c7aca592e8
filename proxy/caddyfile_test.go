package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/caddyserver/caddy/v2/caddyconfig"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from the current Caddyfile")

const caddyfilePath = "../Caddyfile"

// The headers every proxied answer must carry unless the upstream sent its own.
var wantSecurityHeaders = map[string]string{
	"Strict-Transport-Security": "max-age=31536000; includeSubDomains",
	"X-Content-Type-Options":    "nosniff",
	"Referrer-Policy":           "strict-origin-when-cross-origin",
	"X-Frame-Options":           "DENY",
	"Content-Security-Policy":   "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
	"Permissions-Policy":        "accelerometer=(), autoplay=(), camera=(self), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()",
}

// Paths the api serves; everything else belongs to web.
var apiPaths = []string{"/api/*", "/healthz", "/readyz"}

type adaptCase struct {
	name    string
	env     map[string]string
	domain  string
	bind    string // expected listen host of both servers; "" for every interface
	http    string // expected listen port of the plain HTTP server
	https   string // expected listen port of the HTTPS server
	api     string
	web     string
	issuers []string // expected TLS issuer modules for the domain; nil: none configured
	email   string
}

var adaptCases = []adaptCase{
	{
		name: "production",
		env: map[string]string{
			"DOMAIN":       "depot.example.com",
			"ACME_EMAIL":   "ops@example.com",
			"API_UPSTREAM": "api:8000",
			"WEB_UPSTREAM": "web:3000",
		},
		domain: "depot.example.com", http: "80", https: "443", api: "api:8000", web: "web:3000",
		issuers: []string{"acme", "acme"}, email: "ops@example.com",
	},
	{
		name: "native",
		env: map[string]string{
			"DOMAIN":       "localhost",
			"HTTP_PORT":    "8080",
			"HTTPS_PORT":   "8443",
			"API_UPSTREAM": "127.0.0.1:8000",
			"WEB_UPSTREAM": "127.0.0.1:3000",
			"PROXY_BIND":   "127.0.0.1",
		},
		domain: "localhost", bind: "127.0.0.1", http: "8080", https: "8443", api: "127.0.0.1:8000", web: "127.0.0.1:3000",
	},
	{
		name: "lan",
		env: map[string]string{
			"DOMAIN":      "depot.lan",
			"LOCAL_CERTS": "true",
		},
		domain: "depot.lan", http: "80", https: "443", api: "api:8000", web: "web:3000",
		issuers: []string{"internal"},
	},
}

// caddyfileVars lists every {$NAME} placeholder the Caddyfile reads.
func caddyfileVars(t *testing.T, body []byte) []string {
	t.Helper()
	var names []string
	for _, m := range regexp.MustCompile(`\{\$([A-Za-z0-9_]+)`).FindAllSubmatch(body, -1) {
		if name := string(m[1]); !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// adaptCaddyfile adapts the root Caddyfile with exactly env: every other
// variable the Caddyfile reads is unset for the duration of the test, so the
// machine's environment cannot leak into the result.
func adaptCaddyfile(t *testing.T, env map[string]string) []byte {
	t.Helper()
	body, err := os.ReadFile(caddyfilePath)
	if err != nil {
		t.Fatal(err)
	}
	vars := caddyfileVars(t, body)
	for name := range env {
		if !slices.Contains(vars, name) {
			t.Fatalf("test sets %s, which the Caddyfile does not read", name)
		}
	}
	for _, name := range vars {
		t.Setenv(name, "") // registers the restore of the original value
		if value, ok := env[name]; ok {
			t.Setenv(name, value)
		} else if err := os.Unsetenv(name); err != nil {
			t.Fatal(err)
		}
	}
	adapter := caddyconfig.GetAdapter("caddyfile")
	if adapter == nil {
		t.Fatal("caddyfile adapter not registered")
	}
	out, warnings, err := adapter.Adapt(body, map[string]any{"filename": "Caddyfile"})
	if err != nil {
		t.Fatalf("adapt Caddyfile: %v", err)
	}
	for _, w := range warnings {
		t.Errorf("adapt warning: %s", w.String())
	}
	var indented bytes.Buffer
	if err := json.Indent(&indented, out, "", "\t"); err != nil {
		t.Fatal(err)
	}
	indented.WriteByte('\n')
	return indented.Bytes()
}

func TestCaddyfileGolden(t *testing.T) {
	for _, tc := range adaptCases {
		t.Run(tc.name, func(t *testing.T) {
			got := adaptCaddyfile(t, tc.env)
			golden := filepath.Join("testdata", tc.name+".golden.json")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("adapted config differs from %s (-want +got; go test -update rewrites it):\n%s", golden, diff)
			}
		})
	}
}

func TestCaddyfileInvariants(t *testing.T) {
	for _, tc := range adaptCases {
		t.Run(tc.name, func(t *testing.T) {
			var cfg map[string]any
			if err := json.Unmarshal(adaptCaddyfile(t, tc.env), &cfg); err != nil {
				t.Fatal(err)
			}
			httpApp := obj(t, cfg, "apps", "http")
			if got := num(t, httpApp, "http_port"); got != atof(t, tc.http) {
				t.Errorf("http_port = %v, want %s", got, tc.http)
			}
			if _, ok := httpApp["https_port"]; ok {
				t.Error("https_port is set; the HTTPS port belongs in the site address so redirects keep it")
			}
			if got, _ := obj(t, cfg, "apps", "pki", "certificate_authorities", "local")["install_trust"].(bool); got {
				t.Error("local CA would be installed into the system trust store")
			}

			checkListen(t, httpApp, tc.bind, tc.http, tc.https)
			httpsSrv := serverListening(t, httpApp, tc.bind+":"+tc.https)
			site := siteRoute(t, httpsSrv, tc.domain)
			checkProxies(t, site, tc.api, tc.web)

			handlers := collectHandlers(site)
			checkSecurityHeaders(t, handlers)
			if got := findHandler(handlers, "request_body"); got == nil || got["max_size"] != float64(25_000_000) {
				t.Errorf("request_body handler = %v, want max_size 25000000", got)
			}
			if enc := findHandler(handlers, "encode"); enc == nil || enc["encodings"] == nil ||
				obj(t, enc, "encodings")["zstd"] == nil || obj(t, enc, "encodings")["gzip"] == nil {
				t.Errorf("encode handler = %v, want zstd and gzip", enc)
			}
			checkRequestID(t, handlers)
			checkErrorRoutes(t, httpsSrv)
			checkAccessLog(t, cfg, httpsSrv)

			www := siteRoute(t, httpsSrv, "www."+tc.domain)
			wantLocation := "https://" + tc.domain + "{https_port_suffix}{http.request.uri}"
			if redir := findHandler(collectHandlers(www), "static_response"); redir == nil ||
				redir["status_code"] != float64(308) || !slices.Equal(strs(obj(t, redir, "headers")["Location"]), []string{wantLocation}) {
				t.Errorf("www redirect = %v, want 308 to %s", redir, wantLocation)
			}

			plain := serverListening(t, httpApp, tc.bind+":"+tc.http)
			for _, host := range []string{tc.domain, "www." + tc.domain} {
				redir := findHandler(collectHandlers(siteRoute(t, plain, host)), "static_response")
				if redir == nil || redir["status_code"] != float64(308) ||
					!slices.Equal(strs(obj(t, redir, "headers")["Location"]), []string{"https://{http.request.host}{https_port_suffix}{http.request.uri}"}) {
					t.Errorf("HTTP redirect for %s = %v", host, redir)
				}
			}

			checkIssuers(t, cfg, tc)
		})
	}
}

// TestCaddyfileDocumentsEveryVariable keeps the comment at the top of the
// Caddyfile in step with the placeholders it reads.
func TestCaddyfileDocumentsEveryVariable(t *testing.T) {
	body, err := os.ReadFile(caddyfilePath)
	if err != nil {
		t.Fatal(err)
	}
	var header strings.Builder
	for line := range strings.Lines(string(body)) {
		if !strings.HasPrefix(line, "#") {
			break
		}
		header.WriteString(line)
	}
	for _, name := range caddyfileVars(t, body) {
		if !regexp.MustCompile(`(?m)^#\s+` + name + `\s`).MatchString(header.String()) {
			t.Errorf("variable %s is not documented in the Caddyfile's header comment", name)
		}
	}
}

// TestErrorPageFitsItsCSP checks that the starting page's style block is the
// one its Content-Security-Policy allows, and that it needs nothing else.
func TestErrorPageFitsItsCSP(t *testing.T) {
	var cfg map[string]any
	if err := json.Unmarshal(adaptCaddyfile(t, adaptCases[1].env), &cfg); err != nil {
		t.Fatal(err)
	}
	srv := serverListening(t, obj(t, cfg, "apps", "http"), "127.0.0.1:8443")
	handlers := collectHandlers(srv["errors"])
	var page string
	for _, h := range handlers {
		if body, _ := h["body"].(string); h["handler"] == "static_response" && strings.Contains(body, "<html") {
			page = body
		}
	}
	if page == "" {
		t.Fatal("no HTML error page in the error routes")
	}
	style := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindAllStringSubmatch(page, -1)
	if len(style) != 1 {
		t.Fatalf("page has %d style blocks, want 1", len(style))
	}
	sum := sha256.Sum256([]byte(style[0][1]))
	wantSource := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	var csp string
	for _, h := range handlers {
		for _, v := range headerValues(h, "Content-Security-Policy") {
			if strings.Contains(v, "style-src") {
				csp = v
			}
		}
	}
	if !strings.Contains(csp, "style-src "+wantSource) || !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("page CSP = %q, want default-src 'none' and style-src %s", csp, wantSource)
	}
	for _, banned := range []string{"<script", " style=", "http://", "https://"} {
		if strings.Contains(page, banned) {
			t.Errorf("error page contains %q", banned)
		}
	}
	if !strings.Contains(page, `<meta http-equiv="refresh" content="5">`) {
		t.Error("error page does not reload itself")
	}
}

func checkProxies(t *testing.T, site map[string]any, api, web string) {
	t.Helper()
	proxies := collectProxies(obj(t, site, "handle", "0")["routes"], nil)
	if len(proxies) != 2 {
		t.Fatalf("site has %d reverse proxies, want 2 (api, web)", len(proxies))
	}
	for _, p := range proxies {
		switch p.dial {
		case api:
			for _, path := range apiPaths {
				if !slices.Contains(p.paths, path) {
					t.Errorf("api proxy does not match %s (matches %v)", path, p.paths)
				}
			}
		case web:
			if p.paths != nil {
				t.Errorf("web proxy is limited to %v; it should take everything else", p.paths)
			}
		default:
			t.Errorf("unexpected upstream %s", p.dial)
		}
		h := p.handler
		active := obj(t, h, "health_checks", "active")
		if active["uri"] != "/healthz" || num(t, active, "interval") <= 0 || num(t, active, "timeout") <= 0 {
			t.Errorf("%s: active health check = %v", p.dial, active)
		}
		if passive := obj(t, h, "health_checks", "passive"); num(t, passive, "max_fails") <= 0 || num(t, passive, "fail_duration") <= 0 {
			t.Errorf("%s: passive health check = %v", p.dial, passive)
		}
		if num(t, obj(t, h, "load_balancing"), "try_duration") <= 0 {
			t.Errorf("%s: no lb_try_duration", p.dial)
		}
		transport := obj(t, h, "transport")
		if num(t, transport, "dial_timeout") <= 0 || num(t, transport, "response_header_timeout") <= 0 {
			t.Errorf("%s: transport timeouts = %v", p.dial, transport)
		}
	}
}

func checkSecurityHeaders(t *testing.T, handlers []map[string]any) {
	t.Helper()
	for name, want := range wantSecurityHeaders {
		found := false
		for _, h := range handlers {
			resp, _ := h["response"].(map[string]any)
			if resp == nil || !slices.Contains(headerValues(h, name), want) {
				continue
			}
			req, _ := resp["require"].(map[string]any)
			reqHeaders, _ := req["headers"].(map[string]any)
			if v, ok := reqHeaders[name]; ok && v == nil {
				found = true // set only where the upstream sent none
			}
		}
		if !found {
			t.Errorf("no default (?%s) header with value %q", name, want)
		}
	}
	for _, name := range []string{"Server", "Via"} {
		if !deletesHeader(handlers, name) {
			t.Errorf("%s header is not removed", name)
		}
	}
}

func checkRequestID(t *testing.T, handlers []map[string]any) {
	t.Helper()
	var setsOnRequest, echoes, logs bool
	for _, h := range handlers {
		if req, _ := h["request"].(map[string]any); req != nil {
			if set, _ := req["set"].(map[string]any); slices.Equal(strs(set["X-Request-Id"]), []string{"{http.request.uuid}"}) {
				setsOnRequest = true
			}
		}
		if slices.Contains(headerValues(h, "X-Request-Id"), "{http.request.header.X-Request-ID}") {
			echoes = true
		}
		if h["handler"] == "log_append" && h["key"] == "request_id" {
			logs = true
		}
	}
	if !setsOnRequest || !echoes || !logs {
		t.Errorf("request id: set on request %v, echoed in response %v, logged %v; want all", setsOnRequest, echoes, logs)
	}
	for _, h := range handlers {
		if h["handler"] == "subroute" {
			continue
		}
		if h["handler"] != "headers" || h["request"] == nil {
			t.Errorf("first handler = %v, want the request id to be settled before anything else", h)
		}
		break
	}
}

func checkErrorRoutes(t *testing.T, srv map[string]any) {
	t.Helper()
	handlers := collectHandlers(srv["errors"])
	var codes []string
	for _, h := range handlers {
		if body, _ := h["body"].(string); h["handler"] == "static_response" && strings.HasPrefix(body, `{"error":`) {
			var envelope struct {
				Error struct {
					Code      string `json:"code"`
					Message   string `json:"message"`
					RequestID string `json:"request_id"`
				} `json:"error"`
			}
			if err := json.Unmarshal([]byte(body), &envelope); err != nil {
				t.Errorf("error body is not JSON: %v: %s", err, body)
				continue
			}
			if envelope.Error.Message == "" || envelope.Error.RequestID != "{http.request.header.X-Request-ID}" {
				t.Errorf("error envelope incomplete: %s", body)
			}
			codes = append(codes, envelope.Error.Code)
		}
	}
	slices.Sort(codes)
	if want := []string{"payload_too_large", "service_unavailable"}; !slices.Equal(codes, want) {
		t.Errorf("JSON error envelopes = %v, want %v", codes, want)
	}
	if !deletesHeader(handlers, "Server") {
		t.Error("error answers keep the Server header")
	}
}

func checkAccessLog(t *testing.T, cfg, srv map[string]any) {
	t.Helper()
	names, _ := obj(t, srv, "logs")["logger_names"].(map[string]any)
	if len(names) == 0 {
		t.Fatal("HTTPS server has no access log")
	}
	for host, loggers := range names {
		for _, name := range strs(loggers) {
			l := obj(t, cfg, "logging", "logs", name)
			if obj(t, l, "writer")["output"] != "stdout" || obj(t, l, "encoder")["format"] != "json" {
				t.Errorf("access log %s for %s = %v, want JSON on stdout", name, host, l)
			}
		}
	}
}

func checkIssuers(t *testing.T, cfg map[string]any, tc adaptCase) {
	t.Helper()
	var modules []string
	var emails []string
	if tlsApp, ok := obj(t, cfg, "apps")["tls"].(map[string]any); ok {
		for _, p := range slice(obj(t, tlsApp, "automation")["policies"]) {
			policy := p.(map[string]any)
			if subjects := strs(policy["subjects"]); subjects != nil && !slices.Contains(subjects, tc.domain) {
				continue
			}
			for _, is := range slice(policy["issuers"]) {
				issuer := is.(map[string]any)
				modules = append(modules, issuer["module"].(string))
				if e, ok := issuer["email"].(string); ok {
					emails = append(emails, e)
				}
			}
		}
	}
	if !slices.Equal(modules, tc.issuers) {
		t.Errorf("issuers for %s = %v, want %v", tc.domain, modules, tc.issuers)
	}
	for _, e := range emails {
		if e != tc.email {
			t.Errorf("ACME email = %q, want %q", e, tc.email)
		}
	}
	if tc.email != "" && len(emails) == 0 {
		t.Errorf("ACME email %q not configured", tc.email)
	}
}

type proxyRoute struct {
	dial    string
	paths   []string // path matcher of the enclosing routes; nil: any path
	handler map[string]any
}

// collectProxies walks routes and subroutes, remembering the nearest path
// matcher above each reverse_proxy handler.
func collectProxies(routes any, paths []string) []proxyRoute {
	var out []proxyRoute
	for _, r := range slice(routes) {
		route := r.(map[string]any)
		routePaths := paths
		for _, m := range slice(route["match"]) {
			if p := strs(m.(map[string]any)["path"]); p != nil {
				routePaths = p
			}
		}
		for _, h := range slice(route["handle"]) {
			handler := h.(map[string]any)
			switch handler["handler"] {
			case "subroute":
				out = append(out, collectProxies(handler["routes"], routePaths)...)
			case "reverse_proxy":
				for _, u := range slice(handler["upstreams"]) {
					out = append(out, proxyRoute{dial: u.(map[string]any)["dial"].(string), paths: routePaths, handler: handler})
				}
			}
		}
	}
	return out
}

// collectHandlers returns every handler object below v, depth first, in
// config order.
func collectHandlers(v any) []map[string]any {
	var out []map[string]any
	switch v := v.(type) {
	case map[string]any:
		if _, ok := v["handler"]; ok {
			out = append(out, v)
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys) // handle before match, routes in order
		for _, k := range keys {
			out = append(out, collectHandlers(v[k])...)
		}
	case []any:
		for _, e := range v {
			out = append(out, collectHandlers(e)...)
		}
	}
	return out
}

func findHandler(handlers []map[string]any, name string) map[string]any {
	for _, h := range handlers {
		if h["handler"] == name {
			return h
		}
	}
	return nil
}

func headerValues(h map[string]any, name string) []string {
	resp, _ := h["response"].(map[string]any)
	set, _ := resp["set"].(map[string]any)
	return strs(set[name])
}

func deletesHeader(handlers []map[string]any, name string) bool {
	for _, h := range handlers {
		resp, _ := h["response"].(map[string]any)
		if resp != nil && resp["deferred"] == true && slices.Contains(strs(resp["delete"]), name) {
			return true
		}
	}
	return false
}

// checkListen asserts that the servers listen on exactly the two ports at
// the bind address, and nowhere else (the native stack must not be reachable
// from the network unless PROXY_BIND says so).
func checkListen(t *testing.T, httpApp map[string]any, bind, httpPort, httpsPort string) {
	t.Helper()
	var got []string
	for _, s := range obj(t, httpApp, "servers") {
		got = append(got, strs(s.(map[string]any)["listen"])...)
	}
	slices.Sort(got)
	want := []string{bind + ":" + httpPort, bind + ":" + httpsPort}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("servers listen on %v, want %v", got, want)
	}
}

func serverListening(t *testing.T, httpApp map[string]any, addr string) map[string]any {
	t.Helper()
	for _, s := range obj(t, httpApp, "servers") {
		srv := s.(map[string]any)
		if slices.Contains(strs(srv["listen"]), addr) {
			return srv
		}
	}
	t.Fatalf("no server listens on %s", addr)
	return nil
}

func siteRoute(t *testing.T, srv map[string]any, host string) map[string]any {
	t.Helper()
	for _, r := range slice(srv["routes"]) {
		route := r.(map[string]any)
		for _, m := range slice(route["match"]) {
			if slices.Contains(strs(m.(map[string]any)["host"]), host) {
				return route
			}
		}
	}
	t.Fatalf("no route for host %s", host)
	return nil
}

// obj follows keys (object keys or list indexes) and fails the test when
// the path does not lead to an object.
func obj(t *testing.T, v any, path ...string) map[string]any {
	t.Helper()
	cur := v
	for _, k := range path {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[k]
		case []any:
			i := int(atof(t, k))
			if i >= len(c) {
				t.Fatalf("index %d out of range in %v", i, path)
			}
			cur = c[i]
		default:
			t.Fatalf("%v: %q is not inside an object or list", path, k)
		}
	}
	m, ok := cur.(map[string]any)
	if !ok {
		t.Fatalf("%v is %T, not an object", path, cur)
	}
	return m
}

func num(t *testing.T, m map[string]any, key string) float64 {
	t.Helper()
	f, ok := m[key].(float64)
	if !ok {
		t.Errorf("%s = %v, want a number", key, m[key])
	}
	return f
}

func atof(t *testing.T, s string) float64 {
	t.Helper()
	var f float64
	if err := json.Unmarshal([]byte(s), &f); err != nil {
		t.Fatalf("%q is not a number", s)
	}
	return f
}

func slice(v any) []any {
	s, _ := v.([]any)
	return s
}

func strs(v any) []string {
	var out []string
	for _, e := range slice(v) {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
