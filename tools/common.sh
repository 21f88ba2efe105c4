# Shared by tools/sandbox and tools/test: who we are, what to install, how
# to build.  Sourced, not run.

OLTP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_MAJOR=${PG_MAJOR:-15}
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/$PG_MAJOR/bin/pg_config}
[ -x "$PG_CONFIG" ] || PG_CONFIG=$(command -v pg_config || echo pg_config)

# Debian packages the build and the tests use
OLTP_PACKAGES="make gcc libc6-dev postgresql-$PG_MAJOR postgresql-server-dev-$PG_MAJOR
postgresql-$PG_MAJOR-pgtap libtap-parser-sourcehandler-pgtap-perl postgresql-client-$PG_MAJOR
procps postgresql-$PG_MAJOR-wal2json postgresql-$PG_MAJOR-decoderbufs"

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# run a command as root: directly, or through sudo
as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# the unprivileged account servers run as: postgres when we are root
run_user() {
	if [ "$(id -u)" = 0 ]; then echo postgres; else id -un; fi
}

as_run_user() {
	local u
	u=$(run_user)
	if [ "$(id -un)" = "$u" ]; then
		"$@"
	else
		# keep PATH and the settings the scripts read
		runuser -u "$u" -- env PATH="$PATH" PG_CONFIG="$PG_CONFIG" PG_MAJOR="$PG_MAJOR" "$@"
	fi
}

install_packages() {
	local missing=()
	for p in $OLTP_PACKAGES; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		log "installing ${missing[*]}"
		as_root apt-get update -q >/dev/null
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
	fi
	[ -x "$PG_CONFIG" ] || PG_CONFIG=/usr/lib/postgresql/$PG_MAJOR/bin/pg_config
}

build_and_install() {
	log "building oltp_sim against $("$PG_CONFIG" --version)"
	make -C "$OLTP_ROOT" -s PG_CONFIG="$PG_CONFIG" WERROR=1 >/dev/null
	as_root make -C "$OLTP_ROOT" -s PG_CONFIG="$PG_CONFIG" install >/dev/null
}

# a copy of the tree the unprivileged user can write (pg_regress writes
# results/ and its temporary instance next to the tests)
writable_copy() {
	local dest
	dest=$(mktemp -d "${TMPDIR:-/tmp}/oltp_sim.XXXXXX")
	# (not the pipeline's jars, 130 MB that Maven lays out again in the copy)
	tar -C "$OLTP_ROOT" --exclude=.git --exclude=tmp_check --exclude=tmp_check_tap --exclude=tmp_check_shell \
		--exclude=results --exclude=log --exclude=./test/pipeline/target --exclude='./test/pipeline/*/target' \
		-cf - . | tar -C "$dest" -xf -
	[ "$(id -u)" = 0 ] && chown -R "$(run_user)" "$dest"
	echo "$dest"
}
