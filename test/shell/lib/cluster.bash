# Sourced by the shell tests in test/shell: a cluster of the test's own,
# psql on it, bounded polling and TAP output.  The test sets `name` (its
# directory under the tree) and `port` before sourcing this file, then calls
# cluster_init with any extra postgresql.conf lines.  Nothing here sleeps for
# a fixed time to wait for the worker: poll() asks until true or a deadline.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
PG_CONFIG=${PG_CONFIG:-pg_config}
bindir=$("$PG_CONFIG" --bindir)
dir=$root/tmp_check_$name
data=$dir/data
logfile=$dir/server.log
n=0
failed=0

# one TAP line: check "description" status
check() {
	n=$((n + 1))
	if [ "$2" = 0 ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		failed=$((failed + 1))
	fi
}

# one query on database $db (default postgres), unaligned, errors hidden
q() { "$bindir/psql" -X -q -At -h "$dir" -p "$port" -d "${db:-postgres}" -c "$1" 2>/dev/null; }

# poll a boolean query until true, at most $2 seconds
poll() {
	local deadline=$((SECONDS + $2))
	while [ $SECONDS -lt $deadline ]; do
		[ "$(q "$1")" = t ] && return 0
		sleep 0.2
	done
	return 1
}

# how many lines of the server log match an extended regular expression
log_count() { grep -Ec "$1" "$logfile"; }

# a reload every process has applied: settings_applied_at moves past now
reload_applied() {
	local before
	before=$(q "SELECT clock_timestamp()")
	q "SELECT pg_reload_conf()" >/dev/null
	poll "SELECT settings_applied_at > '$before' FROM oltp_status()" "${1:-30}"
}

cluster_stop() {
	[ -f "$data/postmaster.pid" ] && "$bindir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1
	return 0
}

cluster_start() { "$bindir/pg_ctl" -D "$data" -l "$logfile" -w start >/dev/null; }

cluster_restart() {
	"$bindir/pg_ctl" -D "$data" -l "$logfile" -m fast -w restart >/dev/null
}

# initdb (with $initdb_opts, when the test sets it), the suites' settings,
# a socket in the test's directory, no TCP, then "$@" as further
# postgresql.conf lines; starts the server
cluster_init() {
	trap cluster_stop EXIT
	cluster_stop
	rm -rf "$dir"
	mkdir -p "$dir"
	# initdb_opts unquoted: it may hold several options
	"$bindir/initdb" -D "$data" -A trust --no-sync ${initdb_opts:-} >"$dir/initdb.log" 2>&1 || return 1
	{
		cat "$root/test/conf/oltp_sim.conf"
		echo "port = $port"
		echo "listen_addresses = ''"
		echo "unix_socket_directories = '$dir'"
		echo "oltp_sim.database = 'postgres'"
		for line in "$@"; do echo "$line"; done
	} >>"$data/postgresql.conf"
	cluster_start
}

# the exit status of a test script: 0 when every check passed
finish() { [ "$failed" = 0 ]; }
