package compose

import (
	"bytes"
	"io/fs"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
	"golang.org/x/mod/modfile"
)

type instruction struct {
	cmd   string // lower case: "from", "run", "copy"...
	flags []string
	args  []string
	line  int
}

func (in instruction) flag(name string) (string, bool) {
	for _, f := range in.flags {
		if v, ok := strings.CutPrefix(f, "--"+name+"="); ok {
			return v, true
		}
	}
	return "", false
}

type stage struct {
	image, name  string
	instructions []instruction
}

type dockerfile struct {
	syntax string
	stages []stage
}

func parseDockerfile(t *testing.T, rel string) dockerfile {
	t.Helper()
	src := readRepoFile(t, rel)
	res, err := parser.Parse(bytes.NewReader(src))
	if err != nil {
		t.Fatalf("parse %s: %v", rel, err)
	}
	var df dockerfile
	df.syntax, _, _, _ = parser.DetectSyntax(src)
	for _, n := range res.AST.Children {
		in := instruction{cmd: strings.ToLower(n.Value), flags: n.Flags, line: n.StartLine}
		for a := n.Next; a != nil; a = a.Next {
			in.args = append(in.args, a.Value)
		}
		if in.cmd == "from" {
			st := stage{image: in.args[0]}
			if len(in.args) == 3 && strings.EqualFold(in.args[1], "as") {
				st.name = in.args[2]
			}
			df.stages = append(df.stages, st)
		}
		if len(df.stages) == 0 {
			continue // ARGs before the first FROM
		}
		last := &df.stages[len(df.stages)-1]
		last.instructions = append(last.instructions, in)
	}
	return df
}

// env gathers a stage's ENV instructions. BuildKit's parser gives each
// key=value pair as three nodes: key, value, "=".
func (s stage) env() map[string]string {
	env := map[string]string{}
	for _, in := range s.instructions {
		if in.cmd != "env" {
			continue
		}
		for i := 0; i+1 < len(in.args); i += 3 {
			env[in.args[i]] = in.args[i+1]
		}
	}
	return env
}

func (s stage) last(cmd string) (instruction, bool) {
	for i := len(s.instructions) - 1; i >= 0; i-- {
		if s.instructions[i].cmd == cmd {
			return s.instructions[i], true
		}
	}
	return instruction{}, false
}

type image struct {
	dockerfile string
	module     string // the Go module folder the binary is built from
	expose     []string
	entrypoint []string
	cmd        []string          // nil: no CMD expected
	env        map[string]string // ENV of the final stage
}

var images = []image{
	{
		dockerfile: "services/api/Dockerfile", module: "services/api",
		expose: []string{"8000"}, entrypoint: []string{"/api"},
		env: map[string]string{},
	},
	{
		dockerfile: "services/web/Dockerfile", module: "services/web",
		expose: []string{"3000"}, entrypoint: []string{"/web"},
		env: map[string]string{},
	},
	{
		dockerfile: "proxy/Dockerfile", module: "proxy",
		expose: []string{"80", "443", "443/udp"}, entrypoint: []string{"/proxy"},
		cmd: []string{"run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"},
		env: map[string]string{"XDG_DATA_HOME": "/data", "XDG_CONFIG_HOME": "/config"},
	},
}

// goMinor is the Go release series in go.work ("1.26"); builder images must
// pin the same one.
func goMinor(t *testing.T) string {
	t.Helper()
	wf, err := modfile.ParseWork("go.work", readRepoFile(t, "go.work"), nil)
	if err != nil || wf.Go == nil {
		t.Fatalf("parse go.work: %v", err)
	}
	parts := strings.Split(wf.Go.Version, ".")
	return parts[0] + "." + parts[1]
}

// localReplaces lists the folders (relative to the repository root) of the
// modules a module replaces with local paths: the image must copy them too.
func localReplaces(t *testing.T, module string) []string {
	t.Helper()
	name := path.Join(module, "go.mod")
	mf, err := modfile.Parse(name, readRepoFile(t, name), nil)
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	var dirs []string
	for _, r := range mf.Replace {
		if modfile.IsDirectoryPath(r.New.Path) {
			dirs = append(dirs, path.Clean(path.Join(module, r.New.Path)))
		}
	}
	return dirs
}

func TestDockerfiles(t *testing.T) {
	builder := regexp.MustCompile(`^golang:` + regexp.QuoteMeta(goMinor(t)) + `(\.\d+)?-bookworm$`)
	runtime := regexp.MustCompile(`^(gcr\.io/distroless/static(-debian\d+)?(:[\w.-]+)?(@sha256:[0-9a-f]{64})?|scratch)$`)

	for _, img := range images {
		t.Run(img.dockerfile, func(t *testing.T) {
			df := parseDockerfile(t, img.dockerfile)
			if df.syntax != "docker/dockerfile:1" {
				t.Errorf("syntax directive = %q, want docker/dockerfile:1", df.syntax)
			}
			if len(df.stages) < 2 {
				t.Fatalf("%d stage(s); want a build stage and a runtime stage", len(df.stages))
			}

			final := df.stages[len(df.stages)-1]
			if !runtime.MatchString(final.image) {
				t.Errorf("final stage FROM %q; want distroless static or scratch", final.image)
			}
			if u, ok := final.last("user"); !ok {
				t.Error("final stage has no USER")
			} else if user, _, _ := strings.Cut(u.args[0], ":"); user == "root" || user == "0" {
				t.Errorf("final stage runs as %q", u.args[0])
			}
			if ep, ok := final.last("entrypoint"); !ok {
				t.Error("final stage has no ENTRYPOINT")
			} else if diff := cmp.Diff(img.entrypoint, ep.args); diff != "" {
				t.Errorf("ENTRYPOINT (-want +got):\n%s", diff)
			}
			var cmdArgs []string
			if c, ok := final.last("cmd"); ok {
				cmdArgs = c.args
			}
			if diff := cmp.Diff(img.cmd, cmdArgs); diff != "" {
				t.Errorf("CMD (-want +got):\n%s", diff)
			}
			var exposed []string
			for _, in := range final.instructions {
				if in.cmd == "expose" {
					exposed = append(exposed, in.args...)
				}
			}
			if diff := cmp.Diff(img.expose, exposed); diff != "" {
				t.Errorf("EXPOSE (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(img.env, final.env()); diff != "" {
				t.Errorf("final stage ENV (-want +got):\n%s", diff)
			}
			for _, in := range final.instructions {
				if in.cmd == "run" {
					t.Errorf("line %d: RUN in the runtime stage (it has no shell)", in.line)
				}
				if from, ok := in.flag("from"); ok && !slices.ContainsFunc(df.stages[:len(df.stages)-1], func(s stage) bool { return s.name == from }) {
					t.Errorf("line %d: COPY --from=%s names no earlier stage", in.line, from)
				}
			}

			// The Go build is the stage right before the runtime; earlier stages
			// may only prepare assets it copies in (the api's ReDoc bundle).
			if len(df.stages) < 2 {
				t.Fatalf("%d stages; want at least build and runtime", len(df.stages))
			}
			build := df.stages[len(df.stages)-2]
			if !builder.MatchString(build.image) {
				t.Errorf("build stage FROM %q; want golang:%s-bookworm (the series in go.work)", build.image, goMinor(t))
			}
			if got := build.env()["GOWORK"]; got != "off" {
				t.Errorf("build stage ENV GOWORK = %q, want off (each module builds from its own go.mod)", got)
			}
			checkBuildStage(t, img, build)
		})
	}
}

// checkBuildStage asserts the order that keeps Docker's layer cache useful
// (module files, download, sources, build) and the build command itself.
func checkBuildStage(t *testing.T, img image, build stage) {
	t.Helper()
	modules := append([]string{img.module}, localReplaces(t, img.module)...)
	copiedFiles := map[string]int{} // module folder -> index of COPY <module>/go.*
	copiedSrc := map[string]int{}   // module folder -> index of COPY <module>/
	download, compile, versionArg := -1, -1, -1
	for i, in := range build.instructions {
		switch in.cmd {
		case "copy":
			if _, ok := in.flag("from"); ok {
				continue
			}
			for _, src := range in.args[:len(in.args)-1] {
				switch {
				case strings.HasSuffix(src, "/go.*"):
					copiedFiles[strings.TrimSuffix(src, "/go.*")] = i
				case strings.HasSuffix(src, "/"):
					copiedSrc[strings.TrimSuffix(src, "/")] = i
				}
			}
		case "arg":
			if slices.Contains(in.args, "VERSION=dev") {
				versionArg = i
			}
		case "run":
			cmdline := strings.Join(in.args, " ")
			mounts := strings.Join(in.flags, " ")
			switch {
			case strings.Contains(cmdline, "go mod download"):
				download = i
				if !strings.Contains(mounts, "type=cache,target=/go/pkg/mod") {
					t.Errorf("line %d: go mod download without a cache mount for /go/pkg/mod", in.line)
				}
			case strings.Contains(cmdline, "go build"):
				compile = i
				for _, want := range []string{"CGO_ENABLED=0", "-trimpath", `-ldflags "-s -w -X main.version=${VERSION}"`} {
					if !strings.Contains(cmdline, want) {
						t.Errorf("line %d: go build lacks %s: %s", in.line, want, cmdline)
					}
				}
				for _, want := range []string{"type=cache,target=/go/pkg/mod", "type=cache,target=/root/.cache/go-build"} {
					if !strings.Contains(mounts, want) {
						t.Errorf("line %d: go build lacks the cache mount %s", in.line, want)
					}
				}
			}
		}
	}
	if download < 0 || compile < 0 {
		t.Fatalf("build stage needs a go mod download and a go build step (download %d, build %d)", download, compile)
	}
	if versionArg < 0 || versionArg > compile {
		t.Error("build stage declares no ARG VERSION=dev before go build")
	}
	for _, m := range modules {
		f, okF := copiedFiles[m]
		s, okS := copiedSrc[m]
		switch {
		case !okF || !okS:
			t.Errorf("module %s: want COPY %s/go.* and COPY %s/ in the build stage", m, m, m)
		case !(f < download && download < s && s < compile):
			t.Errorf("module %s: want COPY go.* (#%d) < go mod download (#%d) < COPY sources (#%d) < go build (#%d)", m, f, download, s, compile)
		}
	}
	for m := range copiedSrc {
		if !slices.Contains(modules, m) {
			t.Errorf("build stage copies %s/, which %s/go.mod does not use", m, img.module)
		}
	}
}

func dockerignore(t *testing.T) *patternmatcher.PatternMatcher {
	t.Helper()
	patterns, err := ignorefile.ReadAll(bytes.NewReader(readRepoFile(t, ".dockerignore")))
	if err != nil {
		t.Fatalf("read .dockerignore: %v", err)
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		t.Fatalf(".dockerignore: %v", err)
	}
	return pm
}

func excluded(t *testing.T, pm *patternmatcher.PatternMatcher, rel string) bool {
	t.Helper()
	ex, err := pm.MatchesOrParentMatches(rel)
	if err != nil {
		t.Fatalf(".dockerignore against %s: %v", rel, err)
	}
	return ex
}

// notForImages are files under copied folders that images never need.
func notForImages(rel string) bool {
	return strings.HasSuffix(rel, "_test.go") || strings.Contains("/"+rel+"/", "/testdata/") || strings.Contains("/"+rel+"/", "/node_modules/")
}

// TestCopySourcesReachBuilder resolves every COPY from the build context
// against the repository and .dockerignore, which is what `docker build`
// would send.
func TestCopySourcesReachBuilder(t *testing.T) {
	root := repoRoot(t)
	pm := dockerignore(t)
	for _, img := range images {
		t.Run(img.dockerfile, func(t *testing.T) {
			for _, st := range parseDockerfile(t, img.dockerfile).stages {
				for _, in := range st.instructions {
					if in.cmd != "copy" && in.cmd != "add" {
						continue
					}
					if _, ok := in.flag("from"); ok {
						continue
					}
					for _, src := range in.args[:len(in.args)-1] {
						matches, err := filepath.Glob(filepath.Join(root, filepath.FromSlash(src)))
						if err != nil || len(matches) == 0 {
							t.Errorf("line %d: COPY source %s matches nothing in the repository", in.line, src)
							continue
						}
						for _, m := range matches {
							checkSent(t, root, pm, m)
						}
					}
				}
			}
		})
	}
}

func checkSent(t *testing.T, root string, pm *patternmatcher.PatternMatcher, abs string) {
	t.Helper()
	err := filepath.WalkDir(abs, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if !notForImages(rel) && excluded(t, pm, rel) {
			t.Errorf("%s is copied into an image but excluded by .dockerignore", rel)
		}
		return nil
	})
	if err != nil {
		t.Errorf("walk %s: %v", abs, err)
	}
}

func TestDockerignoreKeepsSecretsAndClutterOut(t *testing.T) {
	pm := dockerignore(t)
	for _, rel := range []string{
		".env", ".env.example", ".git/HEAD", ".git/objects/ab/cdef", ".data/pg/PG_VERSION",
		"bin/api", "tests/go.mod", "docs/architecture.md", "compose.yml", "node_modules/x/index.js",
		"services/api/.env", "services/web/node_modules/x/index.js",
		"services/api/internal/httpapi/httpapi_test.go", "proxy/testdata/prod.golden.json",
	} {
		if !excluded(t, pm, rel) {
			t.Errorf("%s reaches the build context; .dockerignore should exclude it", rel)
		}
	}
}
