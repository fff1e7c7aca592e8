package compose

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/google/go-cmp/cmp"
)

type runResult struct {
	code           int
	stdout, stderr string
}

// runFirstRun runs scripts/first-run.sh with bash from a fresh temporary
// directory (so the script must find the repository from its own path), with
// exactly the given environment plus PATH unless env sets PATH itself.
func runFirstRun(t *testing.T, env map[string]string, args ...string) runResult {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Fatalf("bash: %v", err)
	}
	script := filepath.Join(repoRoot(t), "scripts", "first-run.sh")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bash, append([]string{script}, args...)...)
	cmd.Dir = t.TempDir()
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	res := runResult{stdout: stdout.String(), stderr: stderr.String()}
	if err != nil {
		exitErr, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("run first-run.sh: %v", err)
		}
		res.code = exitErr.ExitCode()
	}
	return res
}

func readEnvFile(t *testing.T, file string) map[string]string {
	t.Helper()
	env, err := dotenv.Read(file)
	if err != nil {
		t.Fatalf("parse %s: %v", file, err)
	}
	return env
}

var hexString = regexp.MustCompile(`^[0-9a-f]+$`)

// checkSecrets asserts the generated secrets are hex (the password goes into a
// URL) and long enough, and returns them.
func checkSecrets(t *testing.T, env map[string]string) (password, jwt string) {
	t.Helper()
	password, jwt = env["POSTGRES_PASSWORD"], env["JWT_SECRET"]
	for _, s := range []struct {
		name, value string
		minBytes    int
	}{
		{"POSTGRES_PASSWORD", password, 32},
		{"JWT_SECRET", jwt, 48},
		{"SESSION_SECRET", env["SESSION_SECRET"], 32},
	} {
		if !hexString.MatchString(s.value) || len(s.value) < 2*s.minBytes {
			t.Errorf("%s = %q: want at least %d random bytes as hex", s.name, s.value, s.minBytes)
		}
	}
	if password == jwt || jwt == env["SESSION_SECRET"] || password == env["SESSION_SECRET"] {
		t.Error("two of POSTGRES_PASSWORD, JWT_SECRET and SESSION_SECRET are the same")
	}
	return password, jwt
}

func TestFirstRunWritesEnv(t *testing.T) {
	out := filepath.Join(t.TempDir(), ".env")
	res := runFirstRun(t, map[string]string{"ENV_FILE": out}, "depot.example.com", "ops@example.com")
	if res.code != 0 {
		t.Fatalf("exit %d, stderr: %s", res.code, res.stderr)
	}

	info, err := os.Stat(out)
	if err != nil {
		t.Fatalf("no env file written: %v", err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Errorf("mode %o, want 600", mode)
	}
	content, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(content, []byte("change-me")) {
		t.Errorf("a change-me marker is left:\n%s", content)
	}

	env := readEnvFile(t, out)
	password, _ := checkSecrets(t, env)
	example := envExampleKeys(t)
	if diff := cmp.Diff(sortedKeys(example), sortedKeys(env)); diff != "" {
		t.Errorf("keys of .env.example (-) and the written file (+):\n%s", diff)
	}
	for k, want := range example {
		switch k {
		case "POSTGRES_PASSWORD", "JWT_SECRET", "SESSION_SECRET", "ADMIN_PASSWORD":
			continue
		case "ADMIN_EMAIL":
			want = "admin@depot.example.com"
		case "DOMAIN":
			want = "depot.example.com"
		case "ACME_EMAIL":
			want = "ops@example.com"
		}
		if env[k] != want {
			t.Errorf("%s = %q, want %q", k, env[k], want)
		}
	}
	if !strings.Contains(res.stdout, "docker compose -f compose.yml up -d") {
		t.Errorf("output does not say what to run next:\n%s", res.stdout)
	}
	for _, k := range []string{"POSTGRES_PASSWORD", "JWT_SECRET", "SESSION_SECRET"} {
		if strings.Contains(res.stdout+res.stderr, env[k]) {
			t.Errorf("the script printed %s", k)
		}
	}
	// The generated admin password is printed, once, as it is in the file.
	admin := printedAdmin(t, res.stdout)
	if admin.email != "admin@depot.example.com" || admin.password != env["ADMIN_PASSWORD"] {
		t.Errorf("printed admin %+v; the file has %s / %s", admin, env["ADMIN_EMAIL"], env["ADMIN_PASSWORD"])
	}
	if n := strings.Count(res.stdout+res.stderr, admin.password); n != 1 {
		t.Errorf("the admin password is printed %d times, want once", n)
	}
	checkGeneratedPassword(t, admin.password)

	// The written file is what compose reads: the stack must load from it and
	// hand the api a database URL that carries the password intact.
	p, warnings, err := loadProject(t, variants[0].files, nil, cli.WithEnvFiles(out), cli.WithDotEnv)
	if err != nil || len(warnings) > 0 {
		t.Fatalf("load compose.yml with the written file: %v %q", err, warnings)
	}
	u, err := url.Parse(*p.Services["api"].Environment["DATABASE_URL"])
	if err != nil {
		t.Fatalf("DATABASE_URL: %v", err)
	}
	if got, _ := u.User.Password(); got != password {
		t.Errorf("DATABASE_URL password = %q, want %q", got, password)
	}
	api := p.Services["api"].Environment
	if *api["ADMIN_EMAIL"] != admin.email || *api["ADMIN_PASSWORD"] != admin.password {
		t.Errorf("the api gets ADMIN_EMAIL=%q ADMIN_PASSWORD=%q, want what was printed", *api["ADMIN_EMAIL"], *api["ADMIN_PASSWORD"])
	}
}

func TestFirstRunSecretsDifferEachRun(t *testing.T) {
	dir := t.TempDir()
	var runs [2]map[string]string
	for i := range runs {
		out := filepath.Join(dir, "env"+string(rune('a'+i)))
		if res := runFirstRun(t, map[string]string{"ENV_FILE": out}); res.code != 0 {
			t.Fatalf("run %d: exit %d, stderr: %s", i, res.code, res.stderr)
		}
		runs[i] = readEnvFile(t, out)
	}
	for _, k := range []string{"POSTGRES_PASSWORD", "JWT_SECRET", "SESSION_SECRET", "ADMIN_PASSWORD"} {
		if runs[0][k] == runs[1][k] {
			t.Errorf("%s is the same on two runs: %q", k, runs[0][k])
		}
	}
}

func TestFirstRunRefusesToOverwrite(t *testing.T) {
	out := filepath.Join(t.TempDir(), ".env")
	if res := runFirstRun(t, map[string]string{"ENV_FILE": out}); res.code != 0 {
		t.Fatalf("first run: exit %d, stderr: %s", res.code, res.stderr)
	}
	before, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	infoBefore, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}

	res := runFirstRun(t, map[string]string{"ENV_FILE": out}, "other.example.com")
	if res.code == 0 {
		t.Error("second run succeeded; want a non-zero exit")
	}
	if !strings.Contains(res.stderr, "already exists") {
		t.Errorf("stderr does not say the file exists: %q", res.stderr)
	}
	after, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("the existing file was changed")
	}
	infoAfter, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if infoBefore.Mode() != infoAfter.Mode() || !infoBefore.ModTime().Equal(infoAfter.ModTime()) {
		t.Errorf("the existing file was touched: mode %v -> %v, mtime %v -> %v",
			infoBefore.Mode(), infoAfter.Mode(), infoBefore.ModTime(), infoAfter.ModTime())
	}
}

func TestFirstRunDomainAndEmail(t *testing.T) {
	cases := []struct {
		name       string
		env        map[string]string
		args       []string
		wantDomain string
		wantEmail  string
	}{
		{"defaults", nil, nil, "localhost", ""},
		{"environment", map[string]string{"DOMAIN": "env.example.com", "ACME_EMAIL": "env@example.com"}, nil, "env.example.com", "env@example.com"},
		{"arguments win", map[string]string{"DOMAIN": "env.example.com", "ACME_EMAIL": "env@example.com"}, []string{"arg.example.com", "arg@example.com"}, "arg.example.com", "arg@example.com"},
		{"domain only", nil, []string{"depot.example.com"}, "depot.example.com", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "env")
			env := map[string]string{"ENV_FILE": out}
			for k, v := range tc.env {
				env[k] = v
			}
			if res := runFirstRun(t, env, tc.args...); res.code != 0 {
				t.Fatalf("exit %d, stderr: %s", res.code, res.stderr)
			}
			got := readEnvFile(t, out)
			if got["DOMAIN"] != tc.wantDomain || got["ACME_EMAIL"] != tc.wantEmail {
				t.Errorf("DOMAIN=%q ACME_EMAIL=%q, want %q and %q", got["DOMAIN"], got["ACME_EMAIL"], tc.wantDomain, tc.wantEmail)
			}
		})
	}
}

func TestFirstRunRejectsBadInput(t *testing.T) {
	cases := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"url as domain", []string{"https://depot.example.com"}, "not a host name"},
		{"domain with path", []string{"depot.example.com/x"}, "not a host name"},
		{"domain with space", []string{"depot example.com"}, "not a host name"},
		{"bad email", []string{"depot.example.com", "ops.example.com"}, "not an e-mail address"},
		{"too many arguments", []string{"a.example.com", "ops@example.com", "extra"}, "Usage:"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "env")
			res := runFirstRun(t, map[string]string{"ENV_FILE": out}, tc.args...)
			if res.code == 0 {
				t.Fatal("exit 0; want a failure")
			}
			if !strings.Contains(res.stderr, tc.wantErr) {
				t.Errorf("stderr %q lacks %q", res.stderr, tc.wantErr)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("a file was written despite the error (stat: %v)", err)
			}
		})
	}
}

// TestFirstRunWithoutOpenSSL runs the script with a PATH that has every tool
// it needs except openssl, so it must fall back to /dev/urandom.
func TestFirstRunWithoutOpenSSL(t *testing.T) {
	bin := t.TempDir()
	for _, tool := range []string{"dirname", "head", "od", "tr", "chmod"} {
		p, err := exec.LookPath(tool)
		if err != nil {
			t.Fatalf("%s: %v", tool, err)
		}
		if err := os.Symlink(p, filepath.Join(bin, tool)); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "env")
	res := runFirstRun(t, map[string]string{"ENV_FILE": out, "PATH": bin})
	if res.code != 0 {
		t.Fatalf("exit %d, stderr: %s", res.code, res.stderr)
	}
	checkSecrets(t, readEnvFile(t, out))
}

func TestFirstRunIsExecutable(t *testing.T) {
	info, err := os.Stat(filepath.Join(repoRoot(t), "scripts", "first-run.sh"))
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm()&0o111 == 0 {
		t.Errorf("scripts/first-run.sh has mode %v; the README runs it directly", info.Mode().Perm())
	}
}
