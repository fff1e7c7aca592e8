#!/usr/bin/env bash
# Installs the npm packages the tests use: axe-core, the accessibility
# checker tests/e2e/pages_browser_test.go injects into every main page.
#
#   scripts/test-assets.sh
#
# The version is pinned in tests/e2e/axe/package-lock.json; scripts/npm-ci.sh
# installs it only when node_modules is missing or older than the lockfile,
# so running this before every make test costs a file comparison.
# node_modules is ignored by git.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
axe=$root/tests/e2e/axe

"$root/scripts/npm-ci.sh" "$axe"
if [[ ! -f $axe/node_modules/axe-core/axe.min.js ]]; then
  echo "test-assets.sh: axe.min.js is missing; does the axe-core version pinned in tests/e2e/axe/package-lock.json still ship it?" >&2
  exit 1
fi
