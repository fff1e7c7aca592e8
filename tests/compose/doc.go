// Package compose checks the deployment files offline, without a Docker
// engine: compose.yml and compose.override.yml through compose-go (the loader
// Docker Compose itself uses), the three Dockerfiles through BuildKit's parser,
// .dockerignore through Docker's pattern matcher, and scripts/first-run.sh by
// running it. All of it lives in the _test.go files.
//
// The files checked live outside this module, and go test's result cache only
// notices changes to files inside the module: run these tests with -count=1
// (make test does).
package compose
