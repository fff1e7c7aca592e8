package compose

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/cli"

	"github.com/depotix/depotix/platform/nativestack"
)

type adminCredentials struct{ email, password string }

// printedAdmin reads the first admin from first-run.sh's output.
func printedAdmin(t *testing.T, stdout string) adminCredentials {
	t.Helper()
	var a adminCredentials
	for _, line := range strings.Split(stdout, "\n") {
		if v, ok := strings.CutPrefix(line, "    e-mail:"); ok {
			a.email = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(line, "    password:"); ok {
			a.password = strings.TrimSpace(v)
		}
	}
	if a.email == "" || a.password == "" {
		t.Fatalf("first-run.sh printed no first admin:\n%s", stdout)
	}
	return a
}

var generatedPassword = regexp.MustCompile(`^[A-HJ-NP-Za-km-z2-9]{24}$`)

// checkGeneratedPassword: 24 characters without look-alikes, about 140
// bits, safe unquoted in .env.
func checkGeneratedPassword(t *testing.T, pw string) {
	t.Helper()
	if !generatedPassword.MatchString(pw) {
		t.Errorf("generated password %q: want 24 characters of A-Z a-z 2-9 without 0 O 1 l I", pw)
	}
}

// runFirstRunOnTerminal runs first-run.sh under script(1), which gives it
// a pseudo-terminal and types input into it.
func runFirstRunOnTerminal(t *testing.T, envFile, input string) runResult {
	t.Helper()
	scriptBin, err := exec.LookPath("script")
	if err != nil {
		t.Fatalf("script (util-linux) gives the test a terminal: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, scriptBin, "-qec", "bash "+filepath.Join(repoRoot(t), "scripts", "first-run.sh"), "/dev/null")
	cmd.Dir = t.TempDir()
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "ENV_FILE=" + envFile, "SHELL=/bin/sh"}
	cmd.Stdin = strings.NewReader(input)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	res := runResult{stdout: out.String()}
	if exitErr, ok := err.(*exec.ExitError); ok {
		res.code = exitErr.ExitCode()
	} else if err != nil {
		t.Fatalf("script: %v", err)
	}
	return res
}

// On a terminal the script asks; a typed password reaches the api exactly
// as typed (compose would otherwise expand $ and cut at " #"), and is not
// printed back.
func TestFirstRunAsksOnATerminal(t *testing.T) {
	const typed = `Pa$$ w0rd #1 "Lager" \n `
	envFile := filepath.Join(t.TempDir(), ".env")
	// A too short one first: the script says why and asks again.
	res := runFirstRunOnTerminal(t, envFile, "boss@depot.example\nshort\n"+typed+"\n"+typed+"\n")
	if res.code != 0 {
		t.Fatalf("exit %d:\n%s", res.code, res.stdout)
	}
	for _, want := range []string{"E-mail of the first admin [admin@localhost]", "at least 10 characters", "The same password again", "boss@depot.example, with the password you gave"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("the dialogue lacks %q:\n%s", want, res.stdout)
		}
	}
	// What the terminal echoed before the script turned echo off is the
	// test typing ahead; what the script itself says comes after.
	if _, said, _ := strings.Cut(res.stdout, "Wrote "); strings.Contains(said, "w0rd") {
		t.Errorf("a typed password is printed back:\n%s", res.stdout)
	}
	p, warnings, err := loadProject(t, variants[1].files, nil, cli.WithEnvFiles(envFile), cli.WithDotEnv)
	if err != nil || len(warnings) > 0 {
		t.Fatalf("load with the written file: %v %q", err, warnings)
	}
	api := p.Services["api"].Environment
	if *api["ADMIN_EMAIL"] != "boss@depot.example" || *api["ADMIN_PASSWORD"] != typed {
		t.Errorf("the api gets ADMIN_EMAIL=%q ADMIN_PASSWORD=%q, want boss@depot.example and %q", *api["ADMIN_EMAIL"], *api["ADMIN_PASSWORD"], typed)
	}

	// Enter, Enter: the defaults, with a generated password printed once.
	envFile = filepath.Join(t.TempDir(), ".env")
	res = runFirstRunOnTerminal(t, envFile, "\n\n")
	if res.code != 0 {
		t.Fatalf("exit %d:\n%s", res.code, res.stdout)
	}
	admin := printedAdmin(t, res.stdout)
	env := readEnvFile(t, envFile)
	if admin.email != "admin@localhost" || env["ADMIN_EMAIL"] != admin.email || env["ADMIN_PASSWORD"] != admin.password {
		t.Errorf("printed %+v, file has %q / %q", admin, env["ADMIN_EMAIL"], env["ADMIN_PASSWORD"])
	}
	checkGeneratedPassword(t, admin.password)
}

func TestFirstRunAdminFromEnvironment(t *testing.T) {
	out := filepath.Join(t.TempDir(), "env")
	res := runFirstRun(t, map[string]string{"ENV_FILE": out, "ADMIN_EMAIL": "ops@depot.example", "ADMIN_PASSWORD": "Getraenke-Lager-2026",
		"ADMIN_LANGUAGE": "en"})
	if res.code != 0 {
		t.Fatalf("exit %d, stderr: %s", res.code, res.stderr)
	}
	env := readEnvFile(t, out)
	if env["ADMIN_EMAIL"] != "ops@depot.example" || env["ADMIN_PASSWORD"] != "Getraenke-Lager-2026" || env["ADMIN_LANGUAGE"] != "en" {
		t.Errorf("ADMIN_EMAIL=%q ADMIN_PASSWORD=%q ADMIN_LANGUAGE=%q, want the given ones", env["ADMIN_EMAIL"], env["ADMIN_PASSWORD"], env["ADMIN_LANGUAGE"])
	}
	if strings.Contains(res.stdout+res.stderr, "Getraenke-Lager-2026") {
		t.Error("a given password is printed")
	}
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"ADMIN_EMAIL": "not an address"}, "is not an e-mail address"},
		{map[string]string{"ADMIN_EMAIL": "a$b@depot.example"}, "is not an e-mail address"},
		{map[string]string{"ADMIN_PASSWORD": "kurz"}, "at least 10 characters"},
		{map[string]string{"ADMIN_LANGUAGE": "fr"}, "is not de or en"},
		{map[string]string{"ADMIN_PASSWORD": "it's-long-enough"}, "no single quote"},
	} {
		out := filepath.Join(t.TempDir(), "env")
		tc.env["ENV_FILE"] = out
		res := runFirstRun(t, tc.env)
		if res.code == 0 || !strings.Contains(res.stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want a failure saying %q", tc.env, res.code, res.stderr, tc.want)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%v: a file was written despite the error", tc.env)
		}
	}
}

// copyFiles copies repository files into dir, keeping their modes.
func copyFiles(t *testing.T, dir string, files ...string) {
	t.Helper()
	for _, rel := range files {
		src := filepath.Join(repoRoot(t), rel)
		info, err := os.Stat(src)
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, info.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDockerPathSignsIn follows the README's Docker commands as far as a
// machine without a Docker engine can: ./scripts/first-run.sh (no
// terminal: everything generated) in a fresh copy, then the project that
// `docker compose up -d` would run, loaded by compose's own loader with
// the written .env. The api binary then starts with exactly the api
// service's environment, except for the database (a throwaway local
// PostgreSQL instead of the postgres service) and its port; the first
// admin first-run.sh printed must be able to sign in. The README's
// `docker compose exec -T api /api users create ...` runs with the same
// environment.
func TestDockerPathSignsIn(t *testing.T) {
	root := repoRoot(t)
	binDir, err := nativestack.Build(root)
	if err != nil {
		t.Fatal(err)
	}
	checkout := t.TempDir()
	copyFiles(t, checkout, ".env.example", "compose.yml", "compose.override.yml", "scripts/first-run.sh", "scripts/lib.sh")

	firstRun := exec.Command("./scripts/first-run.sh")
	firstRun.Dir = checkout
	firstRun.Env = []string{"PATH=" + os.Getenv("PATH")}
	out, err := firstRun.Output()
	if err != nil {
		t.Fatalf("./scripts/first-run.sh: %v\n%s", err, out)
	}
	admin := printedAdmin(t, string(out))
	if !strings.Contains(string(out), "Next: docker compose up -d") {
		t.Errorf("first-run.sh does not name the README's next command:\n%s", out)
	}

	p, warnings, err := loadProjectIn(t, checkout, variants[1].files, nil, cli.WithEnvFiles(filepath.Join(checkout, ".env")), cli.WithDotEnv)
	if err != nil || len(warnings) > 0 {
		t.Fatalf("load the project as docker compose up -d does: %v %q", err, warnings)
	}
	env := map[string]string{}
	for k, v := range p.Services["api"].Environment {
		if v != nil {
			env[k] = *v
		}
	}
	if env["ADMIN_EMAIL"] != admin.email || env["ADMIN_PASSWORD"] != admin.password {
		t.Fatalf("the api service gets ADMIN_EMAIL=%q ADMIN_PASSWORD=%q, not what first-run.sh printed (%+v)", env["ADMIN_EMAIL"], env["ADMIN_PASSWORD"], admin)
	}
	env["DATABASE_URL"] = throwawayPostgres(t, root)
	addr := freeAddr(t)
	env["API_ADDR"] = addr
	var envList []string
	for k, v := range env {
		envList = append(envList, k+"="+v)
	}

	api := exec.Command(filepath.Join(binDir, "api"))
	api.Env = envList
	var log bytes.Buffer
	api.Stdout, api.Stderr = &log, &log
	if err := api.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- api.Wait() }()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		_ = api.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("the api ended with %v after TERM:\n%s", err, log.String())
			}
		case <-time.After(time.Minute):
			_ = api.Process.Kill()
			t.Errorf("the api did not stop within a minute of TERM")
		}
	}
	t.Cleanup(stop)
	base := "http://" + addr
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(100 * time.Millisecond) {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case err := <-exited:
			stopped = true
			t.Fatalf("the api exited (%v):\n%s", err, log.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the api did not answer /healthz:\n%s", log.String())
		}
	}
	signIn(t, base, admin.email, admin.password)

	// The README's way to add a person on the compose stack, with the
	// container's environment.
	create := exec.Command(filepath.Join(binDir, "api"), "users", "create", "--admin", "--email", "second@depot.example", "--name", "Second Admin")
	create.Env = envList
	create.Stdin = strings.NewReader("Zweite-Schicht-Lager-9\n")
	if out, err := create.CombinedOutput(); err != nil || !strings.Contains(string(out), "created admin second@depot.example") {
		t.Fatalf("api users create: %v\n%s", err, out)
	}
	signIn(t, base, "second@depot.example", "Zweite-Schicht-Lager-9")
	stop()
}

// throwawayPostgres starts a PostgreSQL cluster with scripts/pg.sh in a
// new folder and returns its URL; the test's cleanup stops it.
func throwawayPostgres(t *testing.T, root string) string {
	t.Helper()
	// World-traversable: as root the server runs as the postgres user.
	dir, err := os.MkdirTemp("", "dpx-compose-pg")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	pg := func(action string) (string, error) {
		cmd := exec.Command("bash", filepath.Join(root, "scripts", "pg.sh"), action)
		cmd.Env = append(os.Environ(), "DATA_DIR="+dir)
		out, err := cmd.CombinedOutput()
		return strings.TrimSpace(string(out)), err
	}
	t.Cleanup(func() {
		if out, err := pg("stop"); err != nil {
			t.Errorf("pg.sh stop: %v\n%s", err, out)
		}
		os.RemoveAll(dir)
	})
	if out, err := pg("start"); err != nil {
		t.Fatalf("pg.sh start: %v\n%s", err, out)
	}
	url, err := pg("url")
	if err != nil {
		t.Fatalf("pg.sh url: %v\n%s", err, url)
	}
	return url
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// signIn fails the test unless the api hands out an access token.
func signIn(t *testing.T, base, email, password string) {
	t.Helper()
	body, err := json.Marshal(map[string]string{"email": email, "password": password})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(base+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(answer, &tok) != nil || tok.AccessToken == "" {
		t.Fatalf("sign in as %s = %d %s", email, resp.StatusCode, answer)
	}
}
