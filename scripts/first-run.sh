#!/usr/bin/env bash
# Writes .env for docker compose from .env.example, with freshly generated
# secrets. Run it once, before the first `docker compose -f compose.yml up -d`.
set -euo pipefail

usage() {
	cat <<'EOF'
Usage: scripts/first-run.sh [DOMAIN [ACME_EMAIL]]

Writes .env in the repository root from .env.example, with a new random
POSTGRES_PASSWORD (32 bytes), JWT_SECRET (64 bytes) and SESSION_SECRET
(32 bytes), all as hex, and mode 0600. An existing file is never overwritten.

  DOMAIN      host name the installation is reached at (default: localhost)
  ACME_EMAIL  e-mail for the certificate authority's notices (default: none)

Both may also be given as environment variables; arguments win.
ENV_FILE=path writes to another file instead of .env.
EOF
}

die() {
	printf 'first-run: %s\n' "$*" >&2
	exit 1
}

# random_hex N prints N random bytes from the kernel as 2N hex digits. Hex,
# because the database password becomes part of a connection URL.
random_hex() {
	local n=$1 out
	if command -v openssl >/dev/null 2>&1; then
		out=$(openssl rand -hex "$n")
	else
		out=$(head -c "$n" /dev/urandom | od -An -v -tx1 | tr -d ' \n')
	fi
	[[ ${#out} -eq $((2 * n)) && $out =~ ^[0-9a-f]+$ ]] ||
		die "could not generate $n random bytes"
	printf '%s' "$out"
}

case "${1:-}" in
-h | --help)
	usage
	exit 0
	;;
esac
if (($# > 2)); then
	usage >&2
	exit 2
fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
example=$root/.env.example
env_file=${ENV_FILE:-$root/.env}
domain=${1:-${DOMAIN:-localhost}}
acme_email=${2:-${ACME_EMAIL:-}}

if [[ -e $env_file || -L $env_file ]]; then
	die "$env_file already exists; it is left unchanged (move it away first to start over)"
fi
[[ -r $example ]] || die "cannot read $example"
[[ $domain =~ ^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$ ]] ||
	die "DOMAIN '$domain' is not a host name (give e.g. depot.example.com, without https:// or a path)"
if [[ -n $acme_email && ! $acme_email =~ ^[^[:space:]@]+@[^[:space:]@]+\.[^[:space:]@]+$ ]]; then
	die "ACME_EMAIL '$acme_email' is not an e-mail address"
fi

postgres_password=$(random_hex 32)
jwt_secret=$(random_hex 64)
session_secret=$(random_hex 32)

content=
found=
while IFS= read -r line || [[ -n $line ]]; do
	key=${line%%=*}
	case $key in
	DOMAIN) line=$key=$domain ;;
	ACME_EMAIL) line=$key=$acme_email ;;
	POSTGRES_PASSWORD) line=$key=$postgres_password ;;
	JWT_SECRET) line=$key=$jwt_secret ;;
	SESSION_SECRET) line=$key=$session_secret ;;
	*) key= ;;
	esac
	[[ -z $key ]] || found+=" $key"
	content+=$line$'\n'
done <"$example"
for key in DOMAIN ACME_EMAIL POSTGRES_PASSWORD JWT_SECRET SESSION_SECRET; do
	[[ " $found " == *" $key "* ]] || die "$example has no line $key=...; cannot fill it in"
done

# One write with noclobber (O_EXCL) under umask 077: the file is created 0600
# from the start, and a file that appeared meanwhile is not overwritten.
(
	umask 077
	set -o noclobber
	printf '%s' "$content" >"$env_file"
) 2>/dev/null || die "could not create $env_file (does it exist already, or is its folder missing?)"
chmod 600 "$env_file"

printf 'Wrote %s (mode 0600) with a new POSTGRES_PASSWORD, JWT_SECRET and SESSION_SECRET, DOMAIN=%s%s.\n' \
	"$env_file" "$domain" "${acme_email:+, ACME_EMAIL=$acme_email}"
if [[ $domain == localhost ]]; then
	printf 'DOMAIN=localhost is served with Caddy'\''s local CA; give your host name for a public certificate.\n'
fi
printf 'Next: docker compose -f compose.yml up -d\n'
