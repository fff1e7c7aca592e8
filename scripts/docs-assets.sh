#!/usr/bin/env bash
# Puts the third-party bundles that the api's documentation pages embed into
# services/api/internal/apidocs/assets, where go:embed picks them up.
#
#   scripts/docs-assets.sh
#
# The versions are pinned in services/api/docsui/package-lock.json;
# scripts/npm-ci.sh installs them only when node_modules is missing or older
# than the lockfile, so repeated runs (every make build and make test) cost a
# file comparison. The copied files are
# ignored by git: a fresh clone builds without them, and /api/redoc then answers
# 503 until this script has run.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
docsui=$root/services/api/docsui
assets=$root/services/api/internal/apidocs/assets
bundles=$docsui/node_modules/redoc/bundles

"$root/scripts/npm-ci.sh" "$docsui"

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
