#!/usr/bin/env bash
# Runs the local PostgreSQL of the native stack (make run, end-to-end tests).
#
#   scripts/pg.sh start   initialise on first use, then start; prints nothing
#   scripts/pg.sh stop    stop it (fast shutdown) and wait until it is down
#   scripts/pg.sh status  exit 0 when running
#   scripts/pg.sh url     print the DATABASE_URL for the api
#
# DATA_DIR (default ./.data) holds the cluster in $DATA_DIR/pg; the server
# listens only on a unix socket in $DATA_DIR/run, so it never clashes with
# another PostgreSQL on this machine. initdb and postgres refuse to run as
# root, so as root they run as the postgres user.
#
# start and stop ignore Ctrl-C and TERM: a terminal or a supervisor signals
# the whole process group, and a pg_ctl killed half-way through a start
# leaves a server running that nobody stops. Both take a second or two.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data_dir=${DATA_DIR:-$root/.data}
mkdir -p "$data_dir"
data_dir=$(cd "$data_dir" && pwd)
pgdata=$data_dir/pg
sock=$data_dir/run
db=depotix

find_bin() {
  if [[ -n "${PG_BIN:-}" ]]; then echo "$PG_BIN"; return; fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n | tail -n1 || true)
  if [[ -n "$d" && -x "$d/initdb" ]]; then echo "$d"; return; fi
  if command -v pg_config >/dev/null && [[ -x "$(pg_config --bindir)/initdb" ]]; then pg_config --bindir; return; fi
  if command -v initdb >/dev/null; then dirname "$(command -v initdb)"; return; fi
  echo "pg.sh: no PostgreSQL server binaries found; install the postgresql package or set PG_BIN or DATABASE_URL" >&2
  exit 1
}
bin=$(find_bin)

# as_owner runs a command as the cluster's owner. setpriv executes it in
# place; runuser (the fallback) stays in between as a parent that, on a
# signal, kills the command after two seconds even when it ignores signals.
as_owner() {
  if [[ $(id -u) -ne 0 ]]; then
    "$@"
  elif command -v setpriv >/dev/null; then
    setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"
  else
    runuser -u postgres -- "$@"
  fi
}

prepare_dirs() {
  mkdir -p "$pgdata" "$sock"
  if [[ $(id -u) -eq 0 ]]; then
    chown postgres: "$pgdata" "$sock"
    if ! as_owner test -x "$pgdata"; then
      echo "pg.sh: the postgres user cannot enter $pgdata (a parent folder is private)." >&2
      echo "       Put the data elsewhere, e.g. DATA_DIR=/var/tmp/depotix make run" >&2
      exit 1
    fi
  fi
  chmod 0700 "$pgdata"
}

start() {
  trap '' INT TERM
  prepare_dirs
  if [[ ! -f "$pgdata/PG_VERSION" ]]; then
    as_owner "$bin/initdb" -D "$pgdata" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$data_dir/initdb.log" 2>&1 \
      || as_owner "$bin/initdb" -D "$pgdata" -U postgres -A trust -E UTF8 --locale=C >"$data_dir/initdb.log" 2>&1 \
      || { cat "$data_dir/initdb.log" >&2; exit 1; }
  fi
  if status; then return 0; fi
  as_owner "$bin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 120 \
    -o "-k $sock -c listen_addresses='' -c max_connections=100" start >/dev/null \
    || { tail -n 30 "$pgdata/server.log" >&2; exit 1; }
  # The role and database are made once; the api migrates the schema itself.
  if ! as_owner "$bin/psql" -h "$sock" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    as_owner "$bin/psql" -h "$sock" -U postgres -d postgres -q \
      -c "CREATE ROLE $db LOGIN" -c "CREATE DATABASE $db OWNER $db" >/dev/null
  fi
}

# stop returns once the server has removed its postmaster.pid, which it
# does last when it shuts down.
stop() {
  trap '' INT TERM
  if status; then as_owner "$bin/pg_ctl" -D "$pgdata" -m fast -w -t 120 stop >/dev/null; fi
}

status() {
  [[ -f "$pgdata/PG_VERSION" ]] && as_owner "$bin/pg_ctl" -D "$pgdata" status >/dev/null 2>&1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  url) echo "postgres://$db@/$db?host=$sock&sslmode=disable" ;;
  *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac
