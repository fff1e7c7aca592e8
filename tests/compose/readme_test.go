package compose

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// readmeSections returns the README's "## " sections by title, each as
// the commands of its code blocks (one per line, comments and blank lines
// dropped).
func readmeSections(t *testing.T) map[string][]string {
	t.Helper()
	sections := map[string][]string{}
	title, inBlock := "", false
	for _, line := range strings.Split(string(readRepoFile(t, "README.md")), "\n") {
		switch {
		case strings.HasPrefix(line, "## ") && !inBlock:
			title = strings.TrimPrefix(line, "## ")
			sections[title] = []string{}
		case strings.HasPrefix(line, "```"):
			inBlock = !inBlock
		case inBlock:
			if cmd, _, _ := strings.Cut(line, " # "); strings.TrimSpace(cmd) != "" && !strings.HasPrefix(strings.TrimSpace(cmd), "#") {
				sections[title] = append(sections[title], strings.TrimSpace(cmd))
			}
		}
	}
	return sections
}

// The README's first screen: what to install, then one command per way of
// starting and one to test. Those very commands are what the end-to-end
// tests run: TestMakeRunAsTheReadmeSays (tests/e2e) and TestDockerPathSignsIn.
func TestReadmeFirstScreen(t *testing.T) {
	readme := string(readRepoFile(t, "README.md"))
	sections := readmeSections(t)
	var titles []string
	for _, m := range regexp.MustCompile(`(?m)^## (.+)$`).FindAllStringSubmatch(readme, -1) {
		titles = append(titles, m[1])
	}
	if len(titles) < 3 || titles[0] != "Before you start" || titles[1] != "Start" || titles[2] != "Test" {
		t.Errorf("the README's first sections are %q, want Before you start, Start, Test", titles)
	}
	if got, want := sections["Start"], []string{"make run", "./scripts/first-run.sh && docker compose up -d"}; !slices.Equal(got, want) {
		t.Errorf("README Start commands = %q, want %q", got, want)
	}
	if got, want := sections["Test"], []string{"make test"}; !slices.Equal(got, want) {
		t.Errorf("README Test commands = %q, want %q", got, want)
	}
	before := readme[strings.Index(readme, "## Before you start"):strings.Index(readme, "## Start")]
	for _, want := range []string{"Go 1.26", "PostgreSQL server binaries", "npm", "Chromium", "Docker Engine 25", "Compose plugin\n  v2.24.1"} {
		if !strings.Contains(before, want) {
			t.Errorf("Before you start does not name %q", want)
		}
	}
	start := readme[strings.Index(readme, "## Start"):strings.Index(readme, "## Test")]
	for _, want := range []string{"HTTPS_PORT", "HTTP_PORT", "API_PORT", "WEB_PORT", "ADMIN_PORT", "first build takes", "language setting"} {
		if !strings.Contains(start, want) {
			t.Errorf("the Start section does not mention %q", want)
		}
	}
}

// The README's ways to add a person: scripts/api.sh on the native stack,
// and the api image's own binary on the compose stack (the path its
// Dockerfile installs it at; the environment is the api service's, which
// TestDockerPathSignsIn runs the command with).
func TestReadmeAddsPeopleWithWorkingCommands(t *testing.T) {
	cmds := readmeSections(t)["Adding people"]
	var native, compose bool
	for _, c := range cmds {
		native = native || strings.Contains(c, "| scripts/api.sh users create --admin --email")
		compose = compose || strings.Contains(c, "| docker compose exec -T api /api users create --admin --email")
	}
	if !native || !compose {
		t.Errorf("Adding people: native %v, compose %v in %q", native, compose, cmds)
	}
	if df := string(readRepoFile(t, "services/api/Dockerfile")); !strings.Contains(df, "COPY --from=build /out/api /api\n") {
		t.Error("services/api/Dockerfile no longer installs the binary at /api, which the README's command runs")
	}
}
