# Functions the scripts share. Source it (`. "$root/scripts/lib.sh"`); it
# does nothing on its own.

# random_password prints 24 characters drawn from /dev/urandom out of an
# alphabet without look-alikes (no 0, O, 1, l, I): about 140 bits, easy to
# type from a screen, and safe unquoted in a .env file, a URL or a shell.
random_password() {
	local out=
	while ((${#out} < 24)); do
		out+=$(head -c 256 /dev/urandom | LC_ALL=C tr -dc 'A-HJ-NP-Za-km-z2-9')
	done
	printf '%s' "${out:0:24}"
}
