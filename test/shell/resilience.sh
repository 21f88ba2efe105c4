#!/usr/bin/env bash
# The worker across a crash and on a standby, on two clusters of its own
# (a crash restart would drop a pg_regress session, so this is a script):
#   - kill -9 of the worker: the postmaster restarts, the worker comes back
#     and streams again;
#   - a standby runs no oltp_sim process while it replays the primary's
#     stream, and starts streaming once promoted.
# Prints TAP and exits non-zero on a failure.  Run as an unprivileged user.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
PG_CONFIG=${PG_CONFIG:-pg_config}
bindir=$("$PG_CONFIG" --bindir)
dir=$root/tmp_check_shell
primary=54331
standby=54332
n=0
failed=0

echo "1..6"
check() {
	n=$((n + 1))
	if [ "$2" = 0 ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; failed=$((failed + 1)); fi
}
q() { "$bindir/psql" -X -q -At -h "$dir" -p "$1" -d postgres -c "$2" 2>/dev/null; }
# poll a boolean query until true, at most $3 seconds
poll() {
	local deadline=$((SECONDS + $3))
	while [ $SECONDS -lt $deadline ]; do
		[ "$(q "$1" "$2")" = t ] && return 0
		sleep 0.2
	done
	return 1
}
stop_all() {
	for d in "$dir/primary" "$dir/standby"; do
		[ -f "$d/postmaster.pid" ] && "$bindir/pg_ctl" -D "$d" -m immediate -w stop >/dev/null 2>&1
	done
}
trap stop_all EXIT

rm -rf "$dir"
mkdir -p "$dir"
"$bindir/initdb" -D "$dir/primary" -A trust --no-sync >"$dir/initdb.log" 2>&1
{
	cat "$root/test/conf/oltp_sim.conf"
	echo "port = $primary"
	echo "listen_addresses = ''"
	echo "unix_socket_directories = '$dir'"
	echo "oltp_sim.database = 'postgres'"
	echo "oltp_sim.enabled = on"
	echo "restart_after_crash = on"
} >>"$dir/primary/postgresql.conf"
echo "local replication all trust" >>"$dir/primary/pg_hba.conf"
"$bindir/pg_ctl" -D "$dir/primary" -l "$dir/primary.log" -w start >/dev/null
q $primary "CREATE EXTENSION oltp_sim" >/dev/null
q $primary "SELECT count(*) FROM oltp_seed(seed => 1)" >/dev/null

# kill -9
poll $primary "SELECT committed > 200 FROM oltp_status()" 60
old=$(q $primary "SELECT pid FROM pg_stat_activity WHERE backend_type = 'oltp_sim worker'")
kill -9 "$old"
poll $primary "SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'oltp_sim worker' AND pid <> ${old:-0}" 60
check "after kill -9 the postmaster restarts and the worker comes back" $?
grep -q "terminated by signal 9" "$dir/primary.log"
check "the server log records the crash" $?
# shared memory starts again from zero after a crash restart
poll $primary "SELECT committed > 100 AND errors = 0 FROM oltp_status()" 60
check "it streams again, without errors" $?

# a standby does nothing until promoted
"$bindir/pg_basebackup" -h "$dir" -p $primary -D "$dir/standby" -R --no-sync >"$dir/basebackup.log" 2>&1
sed -i "s/^port = $primary/port = $standby/" "$dir/standby/postgresql.conf"
"$bindir/pg_ctl" -D "$dir/standby" -l "$dir/standby.log" -w start >/dev/null
seen=$(q $standby "SELECT count(*) FROM consultas")
poll $standby "SELECT count(*) > ${seen:-0} FROM consultas" 60
replaying=$?
procs=$(q $standby "SELECT count(*) FROM pg_stat_activity WHERE backend_type LIKE 'oltp_sim%'")
[ $replaying = 0 ] && [ "$procs" = 0 ]
check "a standby replays the stream and runs no oltp_sim process" $?
q $standby "SELECT state = 'stopped' FROM oltp_status()" | grep -qx t
check "oltp_status() on the standby says stopped" $?

"$bindir/pg_ctl" -D "$dir/primary" -m fast -w stop >/dev/null
"$bindir/pg_ctl" -D "$dir/standby" -w promote >/dev/null
poll $standby "SELECT committed > 100 FROM oltp_status()" 60
check "once promoted, it streams" $?

[ $failed = 0 ]
