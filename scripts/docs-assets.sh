#!/usr/bin/env bash
# Puts the third-party bundles that the api's documentation pages embed into
# services/api/internal/apidocs/assets, where go:embed picks them up.
#
#   scripts/docs-assets.sh
#
# The versions are pinned in services/api/docsui/package-lock.json. npm ci runs
# only when node_modules is missing or older than the lockfile, so repeated runs
# (every make build and make test) cost a file comparison. The copied files are
# ignored by git: a fresh clone builds without them, and /api/redoc then answers
# 503 until this script has run.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
docsui=$root/services/api/docsui
assets=$root/services/api/internal/apidocs/assets
bundles=$docsui/node_modules/redoc/bundles

# npm writes node_modules/.package-lock.json after every successful install,
# so its age tells whether node_modules matches the committed lockfile.
installed=$docsui/node_modules/.package-lock.json
if [[ ! -f $installed || $docsui/package-lock.json -nt $installed || $docsui/package.json -nt $installed ]]; then
  if ! command -v npm >/dev/null; then
    echo "docs-assets.sh: npm is needed to install $docsui (Debian: apt-get install npm)" >&2
    exit 1
  fi
  (cd "$docsui" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi

# Copies only when the content differs, through a temporary file, so an
# interrupted run never leaves a half-written bundle behind. The temporary name
# starts with a dot, which go:embed skips.
copy() {
  local src=$1 dst=$2 tmp
  tmp=$(dirname "$dst")/.$(basename "$dst").tmp
  if [[ ! -f $src ]]; then
    echo "docs-assets.sh: $src is missing; does the redoc version pinned in services/api/docsui/package-lock.json still ship it?" >&2
    exit 1
  fi
  if ! cmp -s "$src" "$dst"; then
    cp "$src" "$tmp"
    mv "$tmp" "$dst"
    echo "docs-assets.sh: updated ${dst#"$root"/}"
  fi
}

copy "$bundles/redoc.standalone.js" "$assets/redoc.standalone.js"
copy "$bundles/redoc.standalone.js.LICENSE.txt" "$assets/redoc.standalone.js.LICENSE.txt"
