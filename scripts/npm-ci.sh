#!/usr/bin/env bash
# Installs the npm packages of one folder exactly as its package-lock.json
# pins them, when they are not installed yet or the lockfile changed since:
#
#   scripts/npm-ci.sh DIR
#
# npm writes node_modules/.package-lock.json after every successful install,
# so its age tells whether node_modules matches the committed lockfile, and
# a repeated run (every make build and make test) costs a file comparison.
set -euo pipefail

dir=$1
installed=$dir/node_modules/.package-lock.json
if [[ ! -f $installed || $dir/package-lock.json -nt $installed || $dir/package.json -nt $installed ]]; then
  if ! command -v npm >/dev/null; then
    echo "npm-ci.sh: npm is needed to install $dir (Debian: apt-get install npm)" >&2
    exit 1
  fi
  (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
