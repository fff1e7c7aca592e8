package compose

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/google/go-cmp/cmp"
	"github.com/sirupsen/logrus"
)

// ourServices are built from this repository; postgres is the upstream image.
var ourServices = []string{"api", "proxy", "web"}

const (
	testPassword = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	testDomain   = "depot.example.com"
)

var (
	testJWTSecret     = strings.Repeat("5a", 64)
	testSessionSecret = strings.Repeat("c3", 32)
)

// testEnv is what a filled-in .env holds: the required variables only.
func testEnv() map[string]string {
	return map[string]string{
		"POSTGRES_PASSWORD": testPassword,
		"JWT_SECRET":        testJWTSecret,
		"SESSION_SECRET":    testSessionSecret,
		"DOMAIN":            testDomain,
	}
}

type variant struct {
	name  string
	files []string
	dev   bool
}

var variants = []variant{
	{name: "production", files: []string{"compose.yml"}},
	{name: "development", files: []string{"compose.yml", "compose.override.yml"}, dev: true},
}

// warningHook collects what compose-go logs through logrus while loading:
// a warning (an obsolete key, an ignored attribute) is a defect here too.
type warningHook struct{ messages []string }

func (h *warningHook) Levels() []logrus.Level {
	return []logrus.Level{logrus.PanicLevel, logrus.FatalLevel, logrus.ErrorLevel, logrus.WarnLevel}
}

func (h *warningHook) Fire(e *logrus.Entry) error {
	h.messages = append(h.messages, e.Message)
	return nil
}

// loadProject loads the given compose files from the repository root with
// exactly env for interpolation: neither the process environment nor a .env
// on disk takes part. extra options (e.g. an env file) are applied last.
func loadProject(t *testing.T, files []string, env map[string]string, extra ...cli.ProjectOptionsFn) (*types.Project, []string, error) {
	t.Helper()
	return loadProjectIn(t, repoRoot(t), files, env, extra...)
}

// loadProjectIn is loadProject from another folder (a copy of the
// repository's files).
func loadProjectIn(t *testing.T, root string, files []string, env map[string]string, extra ...cli.ProjectOptionsFn) (*types.Project, []string, error) {
	t.Helper()
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = filepath.Join(root, f)
	}
	var envList []string
	for k, v := range env {
		envList = append(envList, k+"="+v)
	}
	opts := []cli.ProjectOptionsFn{
		cli.WithWorkingDirectory(root),
		cli.WithEnv(envList),
		cli.WithResolvedPaths(true),
	}
	options, err := cli.NewProjectOptions(paths, append(opts, extra...)...)
	if err != nil {
		return nil, nil, err
	}

	// logrus is global; the tests in this package do not run in parallel.
	logger := logrus.StandardLogger()
	hook := &warningHook{}
	oldHooks := logger.ReplaceHooks(logrus.LevelHooks{})
	oldOut := logger.Out
	logger.AddHook(hook)
	logger.SetOutput(io.Discard)
	defer func() {
		logger.ReplaceHooks(oldHooks)
		logger.SetOutput(oldOut)
	}()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := options.LoadProject(ctx)
	return p, hook.messages, err
}

func mustLoad(t *testing.T, v variant, env map[string]string) *types.Project {
	t.Helper()
	p, warnings, err := loadProject(t, v.files, env)
	if err != nil {
		t.Fatalf("load %s: %v", strings.Join(v.files, " + "), err)
	}
	if len(warnings) > 0 {
		t.Fatalf("load %s: compose-go warned: %q", strings.Join(v.files, " + "), warnings)
	}
	return p
}

func sortedKeys[M ~map[string]V, V any](m M) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func forEachVariant(t *testing.T, f func(t *testing.T, v variant, p *types.Project)) {
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			f(t, v, mustLoad(t, v, testEnv()))
		})
	}
}

func TestServices(t *testing.T) {
	forEachVariant(t, func(t *testing.T, v variant, p *types.Project) {
		if p.Name != "depotix" {
			t.Errorf("project name = %q, want depotix (volume and network names derive from it)", p.Name)
		}
		want := []string{"api", "postgres", "proxy", "web"}
		if diff := cmp.Diff(want, sortedKeys(p.Services)); diff != "" {
			t.Errorf("services (-want +got):\n%s", diff)
		}
	})
}

func TestOnlyProxyPublishesPorts(t *testing.T) {
	forEachVariant(t, func(t *testing.T, v variant, p *types.Project) {
		for name, s := range p.Services {
			if name != "proxy" && len(s.Ports) > 0 {
				t.Errorf("%s publishes ports %v; only the proxy may", name, s.Ports)
			}
		}
		var got []string
		for _, port := range p.Services["proxy"].Ports {
			got = append(got, fmt.Sprintf("%s:%s:%d/%s", port.HostIP, port.Published, port.Target, port.Protocol))
		}
		sort.Strings(got)
		want := []string{":443:443/tcp", ":443:443/udp", ":80:80/tcp"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("proxy ports as host_ip:published:target/protocol (-want +got):\n%s", diff)
		}
	})
}

func TestEveryServiceIsSupervised(t *testing.T) {
	forEachVariant(t, func(t *testing.T, v variant, p *types.Project) {
		for _, name := range sortedKeys(p.Services) {
			s := p.Services[name]
			if s.Restart != types.RestartPolicyUnlessStopped {
				t.Errorf("%s: restart = %q, want %q", name, s.Restart, types.RestartPolicyUnlessStopped)
			}

			hc := s.HealthCheck
			switch {
			case hc == nil || hc.Disable || len(hc.Test) == 0:
				t.Errorf("%s: no healthcheck", name)
			case hc.Interval == nil || hc.Timeout == nil || hc.Retries == nil || hc.StartPeriod == nil:
				t.Errorf("%s: healthcheck without interval, timeout, retries and start_period: %+v", name, hc)
			case *hc.Timeout >= *hc.Interval:
				t.Errorf("%s: healthcheck timeout %v is not below its interval %v", name, *hc.Timeout, *hc.Interval)
			}

			lg := s.Logging
			if lg == nil || lg.Driver != "json-file" || lg.Options["max-size"] == "" || lg.Options["max-file"] == "" {
				t.Errorf("%s: logging must be json-file with max-size and max-file, got %+v", name, lg)
			}

			if s.Deploy == nil {
				t.Errorf("%s: no deploy section", name)
				continue
			}
			lim, res := s.Deploy.Resources.Limits, s.Deploy.Resources.Reservations
			if lim == nil || lim.NanoCPUs <= 0 || lim.MemoryBytes <= 0 {
				t.Errorf("%s: deploy.resources.limits needs cpus and memory, got %+v", name, lim)
				continue
			}
			if res == nil || res.NanoCPUs <= 0 || res.MemoryBytes <= 0 {
				t.Errorf("%s: deploy.resources.reservations needs cpus and memory, got %+v", name, res)
				continue
			}
			if res.NanoCPUs > lim.NanoCPUs || res.MemoryBytes > lim.MemoryBytes {
				t.Errorf("%s: reservations %+v exceed limits %+v", name, res, lim)
			}
		}
	})
}

func TestHealthcheckCommands(t *testing.T) {
	want := map[string][]string{
		"api":      {"CMD", "/api", "healthcheck"},
		"web":      {"CMD", "/web", "healthcheck"},
		"proxy":    {"CMD", "/proxy", "healthcheck"},
		"postgres": {"CMD", "pg_isready", "-h", "127.0.0.1", "-p", "5432", "-U", "depotix", "-d", "depotix"},
	}
	forEachVariant(t, func(t *testing.T, v variant, p *types.Project) {
		got := map[string][]string{}
		for name, s := range p.Services {
			if s.HealthCheck != nil {
				got[name] = s.HealthCheck.Test
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("healthcheck tests (-want +got):\n%s", diff)
		}
	})
}

func TestDependsOnHealthyServices(t *testing.T) {
	want := map[string][]string{
		"api":   {"postgres"},
		"web":   {"api"},
		"proxy": {"api", "web"},
	}
	forEachVariant(t, func(t *testing.T, v variant, p *types.Project) {
		got := map[string][]string{}
		for name, s := range p.Services {
			for dep, cfg := range s.DependsOn {
				got[name] = append(got[name], dep)
				if cfg.Condition != types.ServiceConditionHealthy {
					t.Errorf("%s depends on %s with condition %q, want %q", name, dep, cfg.Condition, types.ServiceConditionHealthy)
				}
				if !cfg.Required {
					t.Errorf("%s depends on %s with required: false", name, dep)
				}
			}
			sort.Strings(got[name])
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("depends_on (-want +got):\n%s", diff)
		}
	})
}

func TestNetworks(t *testing.T) {
	forEachVariant(t, func(t *testing.T, v variant, p *types.Project) {
		if diff := cmp.Diff([]string{"app", "db"}, sortedKeys(p.Networks)); diff != "" {
			t.Fatalf("networks (-want +got):\n%s", diff)
		}
		if !p.Networks["db"].Internal {
			t.Error("network db must be internal: true")
		}
		if p.Networks["app"].Internal {
			t.Error("network app must not be internal: the proxy's published ports and ACME need it")
		}
		got := map[string][]string{}
		for name, s := range p.Services {
			got[name] = sortedKeys(s.Networks)
		}
		want := map[string][]string{
			"api":      {"app", "db"},
			"postgres": {"db"},
			"proxy":    {"app"},
			"web":      {"app"},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("service networks (-want +got):\n%s", diff)
		}
		if s := p.Services["postgres"]; s.NetworkMode != "" {
			t.Errorf("postgres network_mode = %q, want unset", s.NetworkMode)
		}
	})
}

func TestOurImagesAreHardened(t *testing.T) {
	forEachVariant(t, func(t *testing.T, v variant, p *types.Project) {
		for _, name := range ourServices {
			s := p.Services[name]
			if s.User != "65532:65532" {
				t.Errorf("%s: user = %q, want 65532:65532 (distroless nonroot)", name, s.User)
			}
			if !s.ReadOnly {
				t.Errorf("%s: read_only must be true", name)
			}
			if diff := cmp.Diff([]string{"ALL"}, s.CapDrop); diff != "" {
				t.Errorf("%s: cap_drop (-want +got):\n%s", name, diff)
			}
			if len(s.CapAdd) > 0 {
				t.Errorf("%s: cap_add = %v, want none", name, s.CapAdd)
			}
			if !slices.Contains(s.SecurityOpt, "no-new-privileges:true") {
				t.Errorf("%s: security_opt %v lacks no-new-privileges:true", name, s.SecurityOpt)
			}
			if s.Privileged {
				t.Errorf("%s: privileged", name)
			}
			if !slices.ContainsFunc(s.Tmpfs, func(m string) bool { return m == "/tmp" || strings.HasPrefix(m, "/tmp:") }) {
				t.Errorf("%s: tmpfs %v lacks /tmp; the root filesystem is read-only", name, s.Tmpfs)
			}
		}
		// PostgreSQL's entrypoint needs a few capabilities to set up its data
		// folder; everything else is dropped.
		pg := p.Services["postgres"]
		if diff := cmp.Diff([]string{"ALL"}, pg.CapDrop); diff != "" {
			t.Errorf("postgres: cap_drop (-want +got):\n%s", diff)
		}
		if !slices.Contains(pg.SecurityOpt, "no-new-privileges:true") {
			t.Errorf("postgres: security_opt %v lacks no-new-privileges:true", pg.SecurityOpt)
		}
		// The proxy binds 80 and 443 as nonroot through this namespaced sysctl,
		// not through capabilities.
		if got := p.Services["proxy"].Sysctls["net.ipv4.ip_unprivileged_port_start"]; got != "0" {
			t.Errorf("proxy: sysctl net.ipv4.ip_unprivileged_port_start = %q, want 0", got)
		}
	})
}

func TestVolumes(t *testing.T) {
	type mount struct{ Type, Source, Target string }
	want := map[string][]mount{
		"postgres": {{"volume", "pgdata", "/var/lib/postgresql/data"}},
		"proxy": {
			{"bind", "Caddyfile", "/etc/caddy/Caddyfile"},
			{"volume", "caddy_config", "/config"},
			{"volume", "caddy_data", "/data"},
		},
	}
	forEachVariant(t, func(t *testing.T, v variant, p *types.Project) {
		if diff := cmp.Diff([]string{"caddy_config", "caddy_data", "pgdata"}, sortedKeys(p.Volumes)); diff != "" {
			t.Errorf("named volumes (-want +got):\n%s", diff)
		}
		root := repoRoot(t)
		got := map[string][]mount{}
		for name, s := range p.Services {
			for _, vol := range s.Volumes {
				src := vol.Source
				if vol.Type == types.VolumeTypeBind {
					if !vol.ReadOnly {
						t.Errorf("%s: bind mount %s must be read-only", name, vol.Source)
					}
					rel, err := filepath.Rel(root, vol.Source)
					if err != nil {
						t.Fatal(err)
					}
					src = rel
				}
				got[name] = append(got[name], mount{vol.Type, src, vol.Target})
			}
			slices.SortFunc(got[name], func(a, b mount) int { return strings.Compare(a.Source, b.Source) })
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("mounts (-want +got):\n%s", diff)
		}
	})
}

func TestPostgresImagePinnedTo16(t *testing.T) {
	pinned := regexp.MustCompile(`^postgres:16\.\d+(-[a-z0-9.]+)?$`)
	forEachVariant(t, func(t *testing.T, v variant, p *types.Project) {
		if img := p.Services["postgres"].Image; !pinned.MatchString(img) {
			t.Errorf("postgres image %q is not pinned to a 16.x release (want e.g. postgres:16.10-bookworm)", img)
		}
	})
}

func TestEnvironment(t *testing.T) {
	forEachVariant(t, func(t *testing.T, v variant, p *types.Project) {
		logLevel, logFormat, domain := "info", "json", testDomain
		if v.dev {
			logLevel, logFormat, domain = "debug", "console", "localhost"
		}
		want := map[string]map[string]string{
			"api": {
				"DATABASE_URL": "postgres://depotix:" + testPassword + "@postgres:5432/depotix?sslmode=disable",
				"JWT_SECRET":   testJWTSecret,
				"API_ADDR":     ":8000",
				"ADMIN_EMAIL":  "", "ADMIN_PASSWORD": "", "ADMIN_LANGUAGE": "",
				"FILE_MAX_BYTES": "5M",
				"LOG_LEVEL":      logLevel,
				"LOG_FORMAT":     logFormat,
			},
			"web": {
				"WEB_ADDR":       ":3000",
				"API_URL":        "http://api:8000",
				"SESSION_SECRET": testSessionSecret,
				"FILE_MAX_BYTES": "5M",
				"LOG_LEVEL":      logLevel,
				"LOG_FORMAT":     logFormat,
			},
			"proxy": {
				"DOMAIN":          domain,
				"ACME_EMAIL":      "",
				"LOCAL_CERTS":     "false",
				"API_UPSTREAM":    "api:8000",
				"WEB_UPSTREAM":    "web:3000",
				"XDG_DATA_HOME":   "/data",
				"XDG_CONFIG_HOME": "/config",
			},
			"postgres": {
				"POSTGRES_USER":     "depotix",
				"POSTGRES_DB":       "depotix",
				"POSTGRES_PASSWORD": testPassword,
			},
		}
		got := map[string]map[string]string{}
		for name, s := range p.Services {
			got[name] = map[string]string{}
			for k, val := range s.Environment {
				if val == nil {
					t.Errorf("%s: %s has no value", name, k)
					continue
				}
				got[name][k] = *val
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("environment (-want +got):\n%s", diff)
		}
	})
}

// One FILE_MAX_BYTES in .env sets both limits of an upload: the api's on
// the file and the web's on the logo's form.
func TestFileMaxBytesReachesAPIAndWeb(t *testing.T) {
	env := testEnv()
	env["FILE_MAX_BYTES"] = "800K"
	p := mustLoad(t, variants[0], env)
	for _, service := range []string{"api", "web"} {
		if got := p.Services[service].Environment["FILE_MAX_BYTES"]; got == nil || *got != "800K" {
			t.Errorf("%s FILE_MAX_BYTES = %v, want 800K", service, got)
		}
	}
}

func TestACMEEmailPassedThrough(t *testing.T) {
	env := testEnv()
	env["ACME_EMAIL"] = "ops@example.com"
	p := mustLoad(t, variants[0], env)
	if got := p.Services["proxy"].Environment["ACME_EMAIL"]; got == nil || *got != "ops@example.com" {
		t.Errorf("proxy ACME_EMAIL = %v, want ops@example.com", got)
	}
}

func TestBuilds(t *testing.T) {
	dockerfiles := map[string]string{
		"api":   "services/api/Dockerfile",
		"web":   "services/web/Dockerfile",
		"proxy": "proxy/Dockerfile",
	}
	cases := []struct {
		name    string
		variant variant
		version string // VERSION in .env; empty: unset
		wantTag string
	}{
		{"production default", variants[0], "", "dev"},
		{"production release", variants[0], "1.4.0", "1.4.0"},
		{"development", variants[1], "1.4.0", "dev"},
	}
	root := repoRoot(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := testEnv()
			if tc.version != "" {
				env["VERSION"] = tc.version
			}
			p := mustLoad(t, tc.variant, env)
			for name, s := range p.Services {
				want, ours := dockerfiles[name]
				if !ours {
					if s.Build != nil {
						t.Errorf("%s: unexpected build section", name)
					}
					continue
				}
				if s.Build == nil {
					t.Errorf("%s: no build section", name)
					continue
				}
				if s.Build.Context != root {
					t.Errorf("%s: build context %q, want the repository root %q", name, s.Build.Context, root)
				}
				if got := filepath.ToSlash(s.Build.Dockerfile); got != want && got != filepath.ToSlash(filepath.Join(root, want)) {
					t.Errorf("%s: dockerfile %q, want %q", name, s.Build.Dockerfile, want)
				}
				if got := s.Build.Args["VERSION"]; got == nil || *got != tc.wantTag {
					t.Errorf("%s: build arg VERSION = %v, want %q", name, got, tc.wantTag)
				}
				if s.PullPolicy != types.PullPolicyBuild {
					t.Errorf("%s: pull_policy %q, want build (never fetch a same-named image from a registry)", name, s.PullPolicy)
				}
				if wantImage := "depotix/" + name + ":" + tc.wantTag; s.Image != wantImage {
					t.Errorf("%s: image %q, want %q", name, s.Image, wantImage)
				}
			}
		})
	}
}

func TestStopGracePeriods(t *testing.T) {
	// Longer than the servers' own shutdown timeouts (API_SHUTDOWN_TIMEOUT is
	// 20s by default), so Docker's SIGKILL never cuts a graceful shutdown short.
	minimum := map[string]time.Duration{"api": 25 * time.Second, "web": 25 * time.Second, "postgres": 30 * time.Second}
	forEachVariant(t, func(t *testing.T, v variant, p *types.Project) {
		for name, least := range minimum {
			got := p.Services[name].StopGracePeriod
			if got == nil || time.Duration(*got) < least {
				t.Errorf("%s: stop_grace_period = %v, want at least %v", name, got, least)
			}
		}
	})
}

func TestRequiredVariables(t *testing.T) {
	for _, v := range variants {
		for _, name := range []string{"POSTGRES_PASSWORD", "JWT_SECRET", "SESSION_SECRET", "DOMAIN"} {
			for _, how := range []string{"unset", "empty"} {
				t.Run(v.name+"/"+name+" "+how, func(t *testing.T) {
					env := testEnv()
					delete(env, name)
					if how == "empty" {
						env[name] = ""
					}
					_, _, err := loadProject(t, v.files, env)
					if err == nil {
						t.Fatalf("loaded with %s %s; want an error", name, how)
					}
					msg := err.Error()
					if !strings.Contains(msg, name) || !strings.Contains(msg, "must be set in .env") {
						t.Errorf("error %q does not name %s and say it must be set in .env", msg, name)
					}
				})
			}
		}
	}
}
