#!/usr/bin/env bash
# Writes .env for docker compose from .env.example, with freshly generated
# secrets and the first admin. Run it once, before the first
# `docker compose up -d`.
set -euo pipefail

usage() {
	cat <<'EOF'
Usage: scripts/first-run.sh [DOMAIN [ACME_EMAIL]]

Writes .env in the repository root from .env.example, with a new random
POSTGRES_PASSWORD (32 bytes), JWT_SECRET (64 bytes) and SESSION_SECRET
(32 bytes), all as hex, and mode 0600. An existing file is never overwritten.

It also sets up the first admin, whom the api creates at its first start
(ADMIN_EMAIL, ADMIN_PASSWORD): on a terminal it asks for the e-mail and a
password; without a terminal, or when you just press Enter, it takes
admin@DOMAIN and generates a strong password, which it prints once.

  DOMAIN      host name the installation is reached at (default: localhost)
  ACME_EMAIL  e-mail for the certificate authority's notices (default: none)

Both may also be given as environment variables; arguments win.
ADMIN_EMAIL and ADMIN_PASSWORD in the environment are taken as they are;
ADMIN_LANGUAGE (de or en) sets the first admin's language, which otherwise
follows the browser they first sign in with.
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
# shellcheck source=lib.sh
. "$root/scripts/lib.sh"
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

# valid_email accepts name@host without characters that a .env line or a
# shell would treat specially (the api checks the address itself).
valid_email() {
	case $1 in
	*[[:space:]\'\"\$\#\\]*) return 1 ;;
	esac
	[[ $1 =~ ^[^@]+@[^@]+$ ]]
}

# check_password prints why the api would refuse the password, if it can
# tell (the api's full policy also refuses common and personal ones).
check_password() {
	local pw=$1
	if ((${#pw} < 10)); then
		echo "at least 10 characters, please"
	elif ((${#pw} > 256)); then
		echo "at most 256 characters, please"
	elif [[ $pw == *"'"* || $pw =~ [[:cntrl:]] ]]; then
		echo "no single quote (') and no control characters, please"
	fi
}

# The first admin: asked for on a terminal, otherwise (and for an empty
# answer) admin@DOMAIN with a generated password.
admin_email=${ADMIN_EMAIL:-}
admin_password=${ADMIN_PASSWORD:-}
generated=false
interactive=false
[[ -t 0 && -t 1 ]] && interactive=true
if [[ -z $admin_email ]]; then
	admin_email=admin@$domain
	if $interactive; then
		read -r -p "E-mail of the first admin [$admin_email]: " answer
		admin_email=${answer:-$admin_email}
	fi
fi
valid_email "$admin_email" || die "ADMIN_EMAIL '$admin_email' is not an e-mail address"
# The first admin's language: as given, else none (their browser decides at
# their first sign-in).
admin_language=${ADMIN_LANGUAGE:-}
case $admin_language in
'' | de | en) ;;
*) die "ADMIN_LANGUAGE '$admin_language' is not de or en" ;;
esac
if [[ -n $admin_password ]]; then
	problem=$(check_password "$admin_password")
	[[ -z $problem ]] || die "ADMIN_PASSWORD: $problem"
elif $interactive; then
	while :; do
		IFS= read -r -s -p "Password (Enter: generate one): " admin_password
		echo
		[[ -n $admin_password ]] || break
		problem=$(check_password "$admin_password")
		if [[ -n $problem ]]; then
			echo "That password: $problem." >&2
			continue
		fi
		IFS= read -r -s -p "The same password again: " again
		echo
		[[ $again == "$admin_password" ]] && break
		echo "The two differ; once more." >&2
	done
fi
if [[ -z $admin_password ]]; then
	admin_password=$(random_password)
	generated=true
fi
# Single quotes keep every other character as it is for compose, which
# would otherwise expand $ and cut at " #".
quoted_password=$admin_password
[[ $admin_password =~ ^[A-Za-z0-9._@+-]+$ ]] || quoted_password="'$admin_password'"

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
	ADMIN_EMAIL) line=$key=$admin_email ;;
	ADMIN_PASSWORD) line=$key=$quoted_password ;;
	ADMIN_LANGUAGE) line=$key=$admin_language ;;
	*) key= ;;
	esac
	[[ -z $key ]] || found+=" $key"
	content+=$line$'\n'
done <"$example"
for key in DOMAIN ACME_EMAIL POSTGRES_PASSWORD JWT_SECRET SESSION_SECRET ADMIN_EMAIL ADMIN_PASSWORD ADMIN_LANGUAGE; do
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
if $generated; then
	printf 'The first admin, created when the api first starts (the password is shown only this once):\n'
	printf '    e-mail:   %s\n    password: %s\n' "$admin_email" "$admin_password"
else
	printf 'The first admin, created when the api first starts: %s, with the password you gave.\n' "$admin_email"
fi
printf 'It stays in %s until you empty ADMIN_EMAIL and ADMIN_PASSWORD there; the api uses them only while nobody exists.\n' "$env_file"
if [[ $domain == localhost ]]; then
	printf 'DOMAIN=localhost is served with Caddy'\''s local CA; give your host name for a public certificate.\n'
	printf 'Next: docker compose up -d\n'
else
	printf 'Next: docker compose -f compose.yml up -d\n'
fi
