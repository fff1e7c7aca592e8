#!/usr/bin/env bash
# Runs the whole stack without Docker: PostgreSQL (unless DATABASE_URL is
# given), api, web and the proxy with Caddy's local CA. `make run` builds the
# binaries and calls this. Ctrl-C (or TERM) stops everything and exits 0;
# data stays in DATA_DIR.
#
# Settings (environment): DATA_DIR (./.data), BIN_DIR (./bin), DATABASE_URL,
# HTTPS_PORT (8443), HTTP_PORT (8080), API_PORT (8000), WEB_PORT (3000),
# ADMIN_PORT (2019, Caddy's admin endpoint), PROXY_BIND (127.0.0.1: the
# proxy is reachable from this machine only; 0.0.0.0 opens it to the
# network), LOG_FORMAT (console), HSTS_MAX_AGE (0: browsers remember HSTS
# per host, not per port, and would then force https on every other service
# on localhost), START_TIMEOUT (120 seconds for each service to come up),
# ADMIN_EMAIL / ADMIN_PASSWORD (the first admin; by default admin@localhost
# with a generated password, printed when the api creates it),
# ADMIN_LANGUAGE (de or en: the first admin's language; empty: the browser
# they first sign in with decides).
set -euo pipefail

# A shell started with SIGINT ignored (a background job of a script or of
# a test run started that way) cannot trap it, and Ctrl-C or INT would not
# stop the stack: start again with INT at its default.
if [[ -r /proc/$$/status ]] && (($(printf '%d' "0x$(awk '/^SigIgn:/ {print $2}' /proc/$$/status)") & 2)) &&
  env --default-signal=INT true 2>/dev/null; then
  exec env --default-signal=INT bash "${BASH_SOURCE[0]}" "$@"
fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib.sh
. "$root/scripts/lib.sh"
export DATA_DIR=${DATA_DIR:-$root/.data}
mkdir -p "$DATA_DIR"
DATA_DIR=$(cd "$DATA_DIR" && pwd)
bin_dir=${BIN_DIR:-$root/bin}
https_port=${HTTPS_PORT:-8443}
http_port=${HTTP_PORT:-8080}
api_port=${API_PORT:-8000}
web_port=${WEB_PORT:-3000}
admin_port=${ADMIN_PORT:-2019}
proxy_bind=${PROXY_BIND-127.0.0.1}
start_timeout=${START_TIMEOUT:-120}
logs=$DATA_DIR/logs
mkdir -p "$logs"

for b in api web proxy; do
  [[ -x "$bin_dir/$b" ]] || { echo "run-native: $bin_dir/$b is missing; run make build" >&2; exit 1; }
done

pids=()
names=()
pg_started=false
# exiting is set before the script exits, so that a signal arriving while
# it stops (a second Ctrl-C, a group TERM) cannot cut the shutdown short.
exiting=false
shutdown() {
  exiting=true
  # Ignored here, and therefore in everything started from here on.
  trap '' INT TERM
  # Whoever read our output may be gone (a test process that was killed):
  # a message written to the closed pipe must neither kill this shell
  # (SIGPIPE) nor, failing, end it (errexit) before every service and
  # PostgreSQL are stopped. The shutdown is best effort to its end.
  trap '' PIPE
  set +e
  release_terminal
  echo "Stopping Depotix..."
  # A service whose start the signal interrupted ran before started could
  # note it: every other job of this script is stopped first, then the
  # noted ones in reverse start order (the proxy first, so no request
  # reaches a stopping service).
  local stop=() pid
  for pid in $(jobs -p); do
    [[ " ${pids[*]} " == *" $pid "* ]] || stop+=("$pid")
  done
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do stop+=("${pids[i]}"); done
  for pid in "${stop[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${stop[@]}"; do wait "$pid" 2>/dev/null || true; done
  if $pg_started && ! "$root/scripts/pg.sh" stop; then
    echo "run-native: could not stop PostgreSQL; see $DATA_DIR/pg/server.log" >&2
  fi
  echo "Stopped. Data is kept in $DATA_DIR."
}
# A requested stop (Ctrl-C, TERM) is a clean one: exit status 0.
on_signal() {
  $exiting && return
  exiting=true
  exit 0
}
fail() {
  exiting=true
  echo "run-native: $*" >&2
  exit 1
}
trap shutdown EXIT
# A write to an output nobody reads any more (the reader was killed) is a
# stop too: by default SIGPIPE would end this shell without its EXIT trap
# and leave the stack running. Caught (not ignored), it is reset to the
# default in every command started, so they behave as usual.
trap on_signal INT TERM PIPE

# On a terminal, Ctrl-C is read here as a key instead of reaching the whole
# foreground process group as SIGINT: that group includes `make run`, and
# GNU make, once hit by a signal, kills itself with it after its recipe
# ended, so the clean stop would end with status 130. While the stack runs
# the terminal makes no signals of keys and hands over each byte as it is
# typed (stty -isig -icanon); a reader passes Ctrl-C on to this script as
# SIGINT. It reads lines with a timeout, which keep what was typed when the
# time is up: bash's read of single characters (-n, -d) would turn the
# terminal's signals back on while it waits. Without a terminal
# (supervisors, tests, CI) signals arrive as they are sent.
tty_state=
key_reader=
if [[ -t 0 ]] && tty_state=$(stty -g 2>/dev/null) && stty -isig -icanon -echo min 1 time 0 2>/dev/null; then
  (
    trap - INT TERM
    while kill -0 $$ 2>/dev/null; do
      IFS= read -r -t 0.5 typed || true
      if [[ $typed == *$'\x03'* ]]; then
        kill -INT $$
        break
      fi
    done
  ) <&0 & # explicitly: a background job's input is otherwise /dev/null
  key_reader=$!
fi
release_terminal() {
  if [[ -n $key_reader ]]; then kill "$key_reader" 2>/dev/null || true; fi
  if [[ -n $tty_state ]]; then stty "$tty_state" 2>/dev/null || true; fi
}

# wait_healthy NAME COMMAND... polls COMMAND until it succeeds, failing
# early when the service just started has exited.
wait_healthy() {
  local name=$1 deadline=$((SECONDS + start_timeout))
  shift
  until "$@" >/dev/null 2>&1; do
    if ! kill -0 "${pids[-1]}" 2>/dev/null; then
      echo "run-native: $name exited; last lines of $logs/$name.log:" >&2
      tail -n 30 "$logs/$name.log" >&2
      fail "$name did not start"
    fi
    ((SECONDS < deadline)) || fail "$name not healthy after $start_timeout s; see $logs/$name.log"
    sleep 0.1
  done
}

started() { # name: remembers the service started last
  pids+=($!)
  names+=("$1")
}

if [[ -z "${DATABASE_URL:-}" ]]; then
  # Set first: a signal during the start must still stop the server.
  pg_started=true
  "$root/scripts/pg.sh" start
  DATABASE_URL=$("$root/scripts/pg.sh" url)
fi

# Stable secrets, made once, so restarts keep people signed in. The web has
# its own (never the api's).
secret() { # file
  [[ -s "$1" ]] || (umask 077 && head -c 48 /dev/urandom | base64 | tr -d '\n' >"$1")
  cat "$1"
}
jwt_secret=$(secret "$DATA_DIR/jwt-secret")
session_secret=$(secret "$DATA_DIR/session-secret")

# The first admin: created by the api while nobody exists, ignored after.
admin_email=${ADMIN_EMAIL:-admin@localhost}
admin_password=${ADMIN_PASSWORD:-}
[[ -n $admin_password ]] || admin_password=$(random_password)

export LOG_FORMAT=${LOG_FORMAT:-console}

api_log_start=$( (wc -c <"$logs/api.log") 2>/dev/null || echo 0)
DATABASE_URL=$DATABASE_URL JWT_SECRET=$jwt_secret API_ADDR=127.0.0.1:$api_port \
  ADMIN_EMAIL=$admin_email ADMIN_PASSWORD=$admin_password ADMIN_LANGUAGE=${ADMIN_LANGUAGE:-} \
  "$bin_dir/api" >>"$logs/api.log" 2>&1 &
started api
wait_healthy api env API_ADDR=127.0.0.1:$api_port "$bin_dir/api" healthcheck

WEB_ADDR=127.0.0.1:$web_port API_URL=http://127.0.0.1:$api_port SESSION_SECRET=$session_secret \
  "$bin_dir/web" >>"$logs/web.log" 2>&1 &
started web
wait_healthy web env WEB_ADDR=127.0.0.1:$web_port "$bin_dir/web" healthcheck

caddy_data=$DATA_DIR/caddy/data
root_cert=$caddy_data/caddy/pki/authorities/local/root.crt
mkdir -p "$caddy_data" "$DATA_DIR/caddy/config"
DOMAIN=localhost HTTP_PORT=$http_port HTTPS_PORT=$https_port PROXY_BIND=$proxy_bind \
  API_UPSTREAM=127.0.0.1:$api_port WEB_UPSTREAM=127.0.0.1:$web_port \
  PROXY_ADMIN=127.0.0.1:$admin_port \
  HSTS_MAX_AGE=${HSTS_MAX_AGE:-0} \
  XDG_DATA_HOME=$caddy_data XDG_CONFIG_HOME=$DATA_DIR/caddy/config \
  "$bin_dir/proxy" run --config "$root/Caddyfile" --adapter caddyfile >>"$logs/proxy.log" 2>&1 &
started proxy
# Ready means what a person sees: HTTPS through the proxy, with the
# certificate it issued from its local CA (made in the background after
# the start), reaching the api (/healthz) and the web (/login).
wait_healthy proxy "$bin_dir/proxy" healthcheck --cacert "$root_cert" \
  --url "https://localhost:$https_port/healthz" --url "https://localhost:$https_port/login"

cat <<MSG
Depotix is running: https://localhost:$https_port
  Local CA root certificate (trust it in your browser, or use curl --cacert):
    $root_cert
  Logs: $logs/{api,web,proxy}.log
  Database: $(if $pg_started; then echo "$DATABASE_URL"; else echo "from DATABASE_URL"; fi)
MSG
# The api logs this line before it listens, so it is there by now.
if tail -c +"$((api_log_start + 1))" "$logs/api.log" | grep -q 'created the first admin'; then
  if [[ -n ${ADMIN_PASSWORD:-} ]]; then
    printf '  First admin created: %s, with the password from ADMIN_PASSWORD.\n' "$admin_email"
  else
    cat <<MSG
  First admin created; the password is shown only this once:
    e-mail:   $admin_email
    password: $admin_password
MSG
  fi
fi
echo "Press Ctrl-C to stop."

# Stop everything as soon as any one process dies, and say which.
set +e
wait -n "${pids[@]}"
for i in "${!pids[@]}"; do
  if ! kill -0 "${pids[i]}" 2>/dev/null; then
    echo "run-native: ${names[i]} stopped unexpectedly; last lines of its log:" >&2
    tail -n 20 "$logs/${names[i]}.log" >&2
  fi
done
fail "stopping the rest"
