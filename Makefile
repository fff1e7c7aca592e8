# Depotix — every command a developer or CI needs. `make help` lists them.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
BIN_DIR ?= $(CURDIR)/bin
PKGS := github.com/depotix/depotix/...
LDFLAGS := -s -w -X main.version=$(VERSION)
GOBUILD := CGO_ENABLED=0 go build -buildvcs=false -trimpath -ldflags "$(LDFLAGS)"
# The environment the proxy's Caddyfile is validated with (the native stack's).
PROXY_ENV := DOMAIN=localhost HTTP_PORT=8080 HTTPS_PORT=8443 API_UPSTREAM=127.0.0.1:8000 \
	WEB_UPSTREAM=127.0.0.1:3000 XDG_DATA_HOME=$(CURDIR)/.data/check XDG_CONFIG_HOME=$(CURDIR)/.data/check

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

.PHONY: docs-assets
docs-assets: ## fetch the ReDoc bundle the api embeds (npm, pinned by the lockfile)
	./scripts/docs-assets.sh

.PHONY: test-assets
test-assets: ## install axe-core, which the browser tests inject into every main page (npm, pinned by the lockfile)
	./scripts/test-assets.sh

.PHONY: build
build: docs-assets ## build bin/api, bin/web and bin/proxy
	$(GOBUILD) -o $(BIN_DIR)/api ./services/api
	$(GOBUILD) -o $(BIN_DIR)/web ./services/web
	$(GOBUILD) -o $(BIN_DIR)/proxy ./proxy

.PHONY: run
run: build ## run the whole stack natively on https://localhost:8443 (Ctrl-C stops; ports etc. in README)
	BIN_DIR=$(BIN_DIR) ./scripts/run-native.sh

.PHONY: generate
generate: ## regenerate templ views, the api's OpenAPI code and the web's client and limits
	cd services/web && go tool templ generate
	cd services/api && go tool oapi-codegen -config oapi-codegen.yaml openapi.yaml
	cd services/web && go tool oapi-codegen -config oapi-codegen.yaml ../api/openapi.yaml
	cd services/api && go run ./internal/contract/limitsgen -spec openapi.yaml -out ../web/internal/apiclient/limits.gen.go

.PHONY: test
test: docs-assets test-assets ## run every test: unit, store (real PostgreSQL), compose, end to end
	# The timeout bounds a hang, not the duration (about 4 minutes alone on
	# 2 cores): a package's tests on a machine busy with other builds took
	# three times as long.
	DEPOTIX_REQUIRE_DOCS_ASSETS=1 go test -count=1 -timeout 40m $(PKGS)

.PHONY: bench
bench: build ## seed 100,000 items / 1,000,000 movements / 50,000 invoices, load the native stack, write docs/performance.md (~10 min)
	go run ./bench -bin $(BIN_DIR) -doc docs/performance.md

.PHONY: bench-sales
bench-sales: build ## only the sales figures (issue, invoice list, PDF download) on a small catalogue; prints, writes no doc (~3 min)
	go run ./bench -bin $(BIN_DIR) -items 1000 -movements 1000 -reads=false -web-pages=false -movement-writes=false -plan-test=false

.PHONY: check
check: docs-assets ## gofmt, go vet, OpenAPI lint (Redocly), go mod tidy, staticcheck, generated files fresh, Caddyfile valid
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	go vet $(PKGS)
	cd services/api && REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
	  docsui/node_modules/.bin/redocly lint --format=stylish --config redocly.yaml openapi.yaml
	@for dir in $$(go list -m -f '{{.Dir}}'); do \
	  (cd "$$dir" && go mod tidy -diff) || { echo "go.mod/go.sum untidy in $$dir: run go mod tidy there"; exit 1; }; done
	go tool staticcheck $(PKGS)
	$(MAKE) --no-print-directory generate
	@if [ -n "$$(git status --porcelain -- '*_templ.go' '*.gen.go')" ]; then \
	  echo "generated files are stale; run make generate and commit:"; git status --porcelain -- '*_templ.go' '*.gen.go'; exit 1; fi
	$(GOBUILD) -o $(BIN_DIR)/proxy ./proxy
	$(PROXY_ENV) $(BIN_DIR)/proxy validate --config Caddyfile --adapter caddyfile

.PHONY: clean
clean: ## remove build output and the tests' (keeps .data, the local database)
	rm -rf $(BIN_DIR) .test-output
