#!/usr/bin/env bash
# oltp_sim.max_ops, on a cluster of its own (the worker's settings come
# from postgresql.conf):
#   - the worker stops after exactly max_ops committed operations, even in
#     the middle of a transaction size (ops_per_transaction 3, max_ops 40),
#     shows state finished with the reason, and says so once in the log;
#   - what it committed is what the tables and oltp_changes() show;
#   - raising max_ops and reloading lets it go on, to exactly the new value;
#   - with the worker finished, CALL oltp_run commits its operations three
#     by three, as the worker does (ops_per_transaction 3), and counts in
#     none of the workers' counters.
# Prints TAP and exits non-zero on a failure.  Run as an unprivileged user.
set -uo pipefail
name=max_ops
port=55930
. "$(dirname "$0")/lib/cluster.bash"

finished="SELECT state = 'finished' AND detail = 'committed oltp_sim.max_ops = %s operations' FROM oltp_status()"

echo "1..6"
cluster_init "oltp_sim.enabled = on" "oltp_sim.max_ops = 40" "oltp_sim.ops_per_transaction = 3" \
	"oltp_sim.seed = 5" || { echo "Bail out! the cluster did not start"; exit 1; }
q "CREATE EXTENSION oltp_sim" >/dev/null
q "SELECT count(*) FROM oltp_seed(seed => 1)" >/dev/null
seeded=$(q "SELECT sum(row_count) FROM oltp_counts()")

poll "$(printf "$finished" 40)" 60
check "finished, with the reason, after max_ops" $?

[ "$(q "SELECT committed FROM oltp_status()")" = 40 ] &&
	[ "$(q "SELECT sum(committed) FROM oltp_operations()")" = 40 ]
check "exactly 40 operations committed (ops_per_transaction 3 does not overshoot)" $?

# inserts grew the tables by what oltp_changes() counted; nothing after the stop
inserted=$(q "SELECT sum(rows) FROM oltp_changes() WHERE kind = 'insert'")
reload_applied
[ "$(q "SELECT sum(row_count) FROM oltp_counts()")" = $((seeded + ${inserted:-0})) ] &&
	[ "$(q "SELECT committed FROM oltp_status()")" = 40 ] &&
	[ "$(log_count "oltp_sim worker 0 finished: 40 operations committed, oltp_sim.max_ops is 40")" = 1 ]
check "the tables hold what oltp_changes() counted; still 40 after a reload; said once in the log" $?

q "ALTER SYSTEM SET oltp_sim.max_ops = 100" >/dev/null
q "SELECT pg_reload_conf()" >/dev/null
poll "$(printf "$finished" 100)" 60
check "max_ops raised to 100 and reloaded: it goes on and finishes again" $?
[ "$(q "SELECT committed FROM oltp_status()")" = 100 ]
check "exactly 100 committed" $?

q "SELECT 'created' FROM pg_create_logical_replication_slot('run', 'test_decoding')" >/dev/null
q "CALL oltp_run(ops => 30, seed => 9)" >/dev/null
[ "$(q "SELECT count(*) FILTER (WHERE data LIKE 'BEGIN%') || ' ' || count(*) FILTER (WHERE data LIKE 'COMMIT%')
        FROM pg_logical_slot_get_changes('run', NULL, NULL, 'skip-empty-xacts', '1')")" = "10 10" ] &&
	[ "$(q "SELECT committed FROM oltp_status()")" = 100 ]
check "CALL oltp_run(ops => 30): 10 transactions of 3; the workers' counters unchanged" $?

finish
