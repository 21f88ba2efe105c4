#!/usr/bin/env bash
# What a long call in a session says while it runs, on a cluster of its own
# (it watches one session from another):
#   - CALL oltp_run shows its progress in pg_stat_activity's query, moving
#     on, and in a NOTICE every few seconds, as oltp_seed does; once it
#     ends (here cancelled), the query is the CALL again;
#   - oltp_seed shows its progress in pg_stat_activity too;
#   - with every weight zero in the settings, CALL oltp_run's error comes
#     alone: no NOTICE (a seed drawn) before it.
# Prints TAP and exits non-zero on a failure.  Run as an unprivileged user.
set -uo pipefail
name=progress
port=55260
. "$(dirname "$0")/lib/cluster.bash"

echo "1..6"
cluster_init "oltp_sim.enabled = off" || { echo "Bail out! the cluster did not start"; exit 1; }
q "CREATE EXTENSION oltp_sim" >/dev/null
q "SELECT count(*) FROM oltp_seed(seed => 1)" >/dev/null

# a session of its own, fed through a fifo so that it stays open after its
# statement, with messages (NOTICE included) in a file
session() {
	rm -f "$dir/$1.in" && mkfifo "$dir/$1.in"
	PGAPPNAME=$1 "$bindir/psql" -X -q -h "$dir" -p "$port" -d postgres \
		-v ON_ERROR_STOP=0 -f "$dir/$1.in" >"$dir/$1.out" 2>&1 &
	exec {fd}>"$dir/$1.in"
	echo "$2" >&"$fd"
}
activity() { q "SELECT query FROM pg_stat_activity WHERE application_name = '$1'"; }
progress_re='^oltp_run: [0-9]+ of 100000000 operations, [0-9]+ done, [0-9]+ skipped$'

call="CALL oltp_run(ops => 100000000, seed => 1);"
session run "$call"
poll "SELECT query ~ '$progress_re' FROM pg_stat_activity WHERE application_name = 'run'" 60
check "pg_stat_activity shows CALL oltp_run's progress: N of 100000000 operations, done, skipped" $?

first=$(activity run | sed -E 's/^oltp_run: ([0-9]+) of.*/\1/')
poll "SELECT substring(query FROM '^oltp_run: ([0-9]+) of')::bigint > ${first:-0} FROM pg_stat_activity WHERE application_name = 'run'" 60
check "the progress moves on" $?

# a NOTICE is due every 5 s: wait for one, within a deadline
deadline=$((SECONDS + 60))
until grep -Eq 'NOTICE:  oltp_run: [0-9]+ of 100000000 operations, [0-9]+ done, [0-9]+ skipped$' "$dir/run.out" ||
	[ $SECONDS -ge $deadline ]; do sleep 0.2; done
grep -Eq 'NOTICE:  oltp_run: [0-9]+ of 100000000 operations' "$dir/run.out"
check "and says it in a NOTICE, as oltp_seed does" $?

# cancelled: the error ends the call; the session, idle, shows the CALL
q "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'run'" >/dev/null
poll "SELECT state = 'idle' AND query = \$q\$$call\$q\$ FROM pg_stat_activity WHERE application_name = 'run'" 60 &&
	grep -q 'ERROR:  canceling statement due to user request' "$dir/run.out"
check "once the call ends (cancelled), pg_stat_activity shows the CALL again" $?
exec {fd}>&-

session seed "SELECT count(*) FROM oltp_seed(scale => 100, seed => 2);"
poll "SELECT query ~ '^oltp_seed: [a-z_]+ [0-9]+ of [0-9]+ rows$' FROM pg_stat_activity WHERE application_name = 'seed'" 120
check "pg_stat_activity shows oltp_seed's progress: table, N of M rows" $?
q "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'seed'" >/dev/null
exec {fd}>&-
wait

# every weight zero in the settings (a new session reads them)
{
	echo "SELECT format('ALTER SYSTEM SET oltp_sim.weight_%s = 0', operation) FROM oltp_operations() \\gexec"
	echo "SELECT pg_reload_conf();"
} | "$bindir/psql" -X -q -h "$dir" -p "$port" -d postgres >/dev/null 2>&1
poll "SELECT current_setting('oltp_sim.weight_insert_paciente') = '0'" 30
msgs=$("$bindir/psql" -X -q -h "$dir" -p "$port" -d postgres -c "CALL oltp_run(ops => 10)" 2>&1)
[ "$(head -1 <<<"$msgs")" = "ERROR:  every operation's weight in effect is zero" ] && ! grep -q NOTICE <<<"$msgs"
check "every weight zero: CALL oltp_run's error comes first and alone, no seed NOTICE" $?

finish
