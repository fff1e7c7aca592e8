#!/usr/bin/env bash
# Runs the whole stack without Docker: PostgreSQL (unless DATABASE_URL is
# given), api, web and the proxy with Caddy's local CA. `make run` builds the
# binaries and calls this. Ctrl-C stops everything; data stays in DATA_DIR.
#
# Settings (environment): DATA_DIR (./.data), BIN_DIR (./bin), DATABASE_URL,
# HTTPS_PORT (8443), HTTP_PORT (8080), API_PORT (8000), WEB_PORT (3000),
# ADMIN_PORT (2019, Caddy's admin endpoint), LOG_FORMAT (console),
# HSTS_MAX_AGE (0: browsers remember HSTS per host, not per port, and would
# then force https on every other service on localhost).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export DATA_DIR=${DATA_DIR:-$root/.data}
mkdir -p "$DATA_DIR"
DATA_DIR=$(cd "$DATA_DIR" && pwd)
bin_dir=${BIN_DIR:-$root/bin}
https_port=${HTTPS_PORT:-8443}
http_port=${HTTP_PORT:-8080}
api_port=${API_PORT:-8000}
web_port=${WEB_PORT:-3000}
admin_port=${ADMIN_PORT:-2019}
logs=$DATA_DIR/logs
mkdir -p "$logs"

for b in api web proxy; do
  [[ -x "$bin_dir/$b" ]] || { echo "run-native: $bin_dir/$b is missing; run make build" >&2; exit 1; }
done

pids=()
own_pg=false
stopping=false
shutdown() {
  $stopping && return
  stopping=true
  echo "Stopping Depotix..."
  # Reverse start order: the proxy first, so no request reaches a stopping service.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[i]}" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if $own_pg; then "$root/scripts/pg.sh" stop || true; fi
  echo "Stopped. Data is kept in $DATA_DIR."
}
trap shutdown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -z "${DATABASE_URL:-}" ]]; then
  "$root/scripts/pg.sh" start
  own_pg=true
  DATABASE_URL=$("$root/scripts/pg.sh" url)
fi

# A stable secret, made once, so restarts keep people signed in.
secret_file=$DATA_DIR/jwt-secret
if [[ ! -s "$secret_file" ]]; then
  (umask 077 && head -c 48 /dev/urandom | base64 | tr -d '\n' >"$secret_file")
fi

wait_healthy() { # name, command...
  local name=$1; shift
  for _ in $(seq 1 150); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "${pids[-1]}" 2>/dev/null; then
      echo "run-native: $name exited; last lines of $logs/$name.log:" >&2
      tail -n 30 "$logs/$name.log" >&2
      exit 1
    fi
    sleep 0.2
  done
  echo "run-native: $name did not become healthy; see $logs/$name.log" >&2
  exit 1
}

export LOG_FORMAT=${LOG_FORMAT:-console}

DATABASE_URL=$DATABASE_URL JWT_SECRET=$(cat "$secret_file") API_ADDR=127.0.0.1:$api_port \
  "$bin_dir/api" >>"$logs/api.log" 2>&1 &
pids+=($!)
wait_healthy api env API_ADDR=127.0.0.1:$api_port "$bin_dir/api" healthcheck

# The web's own stable secret (never the api's), so restarts keep people signed in.
session_file=$DATA_DIR/session-secret
if [[ ! -s "$session_file" ]]; then
  (umask 077 && head -c 48 /dev/urandom | base64 | tr -d '\n' >"$session_file")
fi
WEB_ADDR=127.0.0.1:$web_port API_URL=http://127.0.0.1:$api_port SESSION_SECRET=$(cat "$session_file") \
  "$bin_dir/web" >>"$logs/web.log" 2>&1 &
pids+=($!)
wait_healthy web env WEB_ADDR=127.0.0.1:$web_port "$bin_dir/web" healthcheck

caddy_data=$DATA_DIR/caddy/data
mkdir -p "$caddy_data" "$DATA_DIR/caddy/config"
DOMAIN=localhost HTTP_PORT=$http_port HTTPS_PORT=$https_port \
  API_UPSTREAM=127.0.0.1:$api_port WEB_UPSTREAM=127.0.0.1:$web_port \
  PROXY_ADMIN=127.0.0.1:$admin_port \
  HSTS_MAX_AGE=${HSTS_MAX_AGE:-0} \
  XDG_DATA_HOME=$caddy_data XDG_CONFIG_HOME=$DATA_DIR/caddy/config \
  "$bin_dir/proxy" run --config "$root/Caddyfile" --adapter caddyfile >>"$logs/proxy.log" 2>&1 &
pids+=($!)
wait_healthy proxy "$bin_dir/proxy" healthcheck --address "127.0.0.1:$admin_port"

root_cert=$caddy_data/caddy/pki/authorities/local/root.crt
for _ in $(seq 1 50); do [[ -f "$root_cert" ]] && break; sleep 0.2; done

cat <<MSG
Depotix is running: https://localhost:$https_port
  Local CA root certificate (trust it in your browser, or use curl --cacert):
    $root_cert
  Logs: $logs/{api,web,proxy}.log
  Database: $(if $own_pg; then echo "$DATABASE_URL"; else echo "from DATABASE_URL"; fi)
Press Ctrl-C to stop.
MSG

# Stop everything as soon as any one process dies, and say which.
set +e
wait -n "${pids[@]}"
for name_pid in "api:${pids[0]}" "web:${pids[1]}" "proxy:${pids[2]}"; do
  if ! kill -0 "${name_pid#*:}" 2>/dev/null && ! $stopping; then
    echo "run-native: ${name_pid%%:*} stopped unexpectedly; last lines of its log:" >&2
    tail -n 20 "$logs/${name_pid%%:*}.log" >&2
  fi
done
exit 1
