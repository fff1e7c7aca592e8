package compose

import (
	"bufio"
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/google/go-cmp/cmp"
)

// envExampleKeys returns the keys .env.example assigns, in order, and fails
// for a key without a comment right above it.
func envExampleKeys(t *testing.T) map[string]string {
	t.Helper()
	keys := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(readRepoFile(t, ".env.example")))
	prev, n := "", 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if k, v, ok := strings.Cut(line, "="); ok && !strings.HasPrefix(line, "#") {
			if !strings.HasPrefix(prev, "#") {
				t.Errorf(".env.example:%d: %s has no comment above it", n, k)
			}
			if _, dup := keys[k]; dup {
				t.Errorf(".env.example:%d: %s assigned twice", n, k)
			}
			keys[k] = v
		}
		prev = line
	}
	return keys
}

var interpolated = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)`)

func TestEnvExampleListsEveryComposeVariable(t *testing.T) {
	used := map[string]bool{}
	for _, f := range []string{"compose.yml", "compose.override.yml"} {
		for _, m := range interpolated.FindAllSubmatch(readRepoFile(t, f), -1) {
			used[string(m[1])] = true
		}
	}
	keys := envExampleKeys(t)
	if diff := cmp.Diff(sortedKeys(used), sortedKeys(keys)); diff != "" {
		t.Errorf("variables interpolated by compose (-) vs assigned in .env.example (+):\n%s", diff)
	}
	for _, secret := range []string{"POSTGRES_PASSWORD", "JWT_SECRET", "SESSION_SECRET"} {
		if keys[secret] != "change-me" {
			t.Errorf(".env.example: %s=%q, want the change-me marker", secret, keys[secret])
		}
	}
}

func TestEnvExampleLoads(t *testing.T) {
	example := repoRoot(t) + "/.env.example"
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			p, warnings, err := loadProject(t, v.files, nil, cli.WithEnvFiles(example), cli.WithDotEnv)
			if err != nil {
				t.Fatalf("load with .env.example: %v", err)
			}
			if len(warnings) > 0 {
				t.Errorf("compose-go warned: %q", warnings)
			}
			got := *p.Services["api"].Environment["JWT_SECRET"]
			if got != "change-me" {
				t.Errorf("api JWT_SECRET = %q, want the value from .env.example", got)
			}
		})
	}
}
