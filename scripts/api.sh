#!/usr/bin/env bash
# Runs a command of bin/api against the native stack's database, with no
# URL to make by hand, e.g.
#
#   scripts/api.sh users create --admin --email you@example.com --name "Your Name"
#   scripts/api.sh migrate version
#
# (`users create` reads the password from standard input, one line.) The
# database is DATABASE_URL when that is set, otherwise the local PostgreSQL
# of `make run` in DATA_DIR (./.data): used as it is while the stack runs,
# started for the command and stopped again after it when not. BIN_DIR
# (./bin) holds the api binary (make build).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
api=${BIN_DIR:-$root/bin}/api
if [[ ! -x $api ]]; then
  echo "api.sh: $api is missing; run make build" >&2
  exit 1
fi

if [[ -z ${DATABASE_URL:-} ]]; then
  if ! "$root/scripts/pg.sh" status; then
    trap '"$root/scripts/pg.sh" stop' EXIT
    "$root/scripts/pg.sh" start
  fi
  DATABASE_URL=$("$root/scripts/pg.sh" url)
fi
DATABASE_URL=$DATABASE_URL "$api" "$@"
