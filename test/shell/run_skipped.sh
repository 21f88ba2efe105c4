#!/usr/bin/env bash
# CALL oltp_run when an operation loses a race (its expected SQLSTATE), on a
# cluster of its own: clear_triagem's LOCK ... NOWAIT fails while a prepared
# transaction holds a lock on the queue, and enqueue_triagem goes on.
#   - one operation per transaction (no subtransaction: its transaction is
#     rolled back): the failed ones are counted as skipped, the others
#     committed, one transaction each, and nothing of the failed ones reaches
#     the stream; the session goes on, its search_path as it was;
#   - two per transaction (each in a subtransaction): the same counts, and
#     an operation's failure takes back only its own changes;
#   - the lock released, every clear_triagem truncates.
# Prints TAP and exits non-zero on a failure.  Run as an unprivileged user.
set -uo pipefail
name=run_skipped
port=55960
. "$(dirname "$0")/lib/cluster.bash"

echo "1..6"
cluster_init "max_prepared_transactions = 2" ||
	{ echo "Bail out! the cluster did not start"; exit 1; }
q "CREATE EXTENSION oltp_sim" >/dev/null
q "SELECT count(*) FROM oltp_seed(seed => 1)" >/dev/null
q "SELECT count(*) FROM oltp_add_tables('edge_cases', seed => 1)" >/dev/null
q "SELECT 'created' FROM pg_create_logical_replication_slot('run', 'test_decoding')" >/dev/null

# only the queue's two operations
weights=$(q "SELECT pg_catalog.jsonb_object_agg(operation, CASE WHEN operation IN ('clear_triagem', 'enqueue_triagem') THEN 1 ELSE 0 END)
             FROM (SELECT DISTINCT operation FROM oltp_operations()) o")
# "done skipped transactions" from the call's closing NOTICE, and the queue's rows after it
run() {
	"$bindir/psql" -X -q -At -h "$dir" -p "$port" -d postgres \
		-c "CALL oltp_run(ops => 40, seed => $1, profile => 'edge_cases', weights => '$weights')" \
		-c "SHOW search_path" -c "SELECT count(*) FROM fila_triagem" 2>&1 |
		sed -n -e 's/^NOTICE:  oltp_run: \([0-9]*\) operations done, \([0-9]*\) skipped, in \([0-9]*\) transactions$/\1 \2 \3/p' \
			-e 's/^"$user", public$/path kept/p' -e 's/^\([0-9][0-9]*\)$/rows \1/p' | paste -sd' '
}
# the decoded transactions since the last look: "transactions inserts truncates"
decoded() {
	q "SELECT count(*) FILTER (WHERE data LIKE 'COMMIT%') || ' ' ||
	          count(*) FILTER (WHERE data LIKE 'table public.fila_triagem: INSERT:%') || ' ' ||
	          count(*) FILTER (WHERE data LIKE 'table public.fila_triagem: TRUNCATE:%')
	   FROM pg_logical_slot_get_changes('run', NULL, NULL, 'skip-empty-xacts', '1')"
}
q "SELECT count(*) FROM pg_logical_slot_get_changes('run', NULL, NULL)" >/dev/null

# a lock on the queue that no session holds: clear_triagem's NOWAIT fails
q "BEGIN; LOCK TABLE fila_triagem IN ROW SHARE MODE; PREPARE TRANSACTION 'hold_queue'" >/dev/null
before=$(q "SELECT count(*) FROM fila_triagem")

read -r done skipped xacts path rows <<<"$(run 1 | sed 's/path kept/kept/; s/rows //')"
echo "# one per transaction: $done done, $skipped skipped, in $xacts transactions; $rows rows (from $before); search_path $path" >&2
[ "${skipped:-0}" -gt 0 ] && [ "$((done + skipped))" = 40 ] && [ "$xacts" = 40 ] &&
	[ "$rows" = "$((before + done))" ] && [ "$path" = kept ]
check "one operation per transaction: the failed clear_triagem skipped, every enqueue_triagem kept, the session's search_path as it was" $?
[ "$(decoded)" = "$done $done 0" ]
check "the stream: one transaction of one INSERT per enqueue_triagem, nothing of the failed ones" $?

q "ALTER SYSTEM SET oltp_sim.ops_per_transaction = 2" >/dev/null
q "SELECT pg_reload_conf()" >/dev/null
poll "SELECT current_setting('oltp_sim.ops_per_transaction') = '2'" 30
before=$rows
read -r done skipped xacts path rows <<<"$(run 2 | sed 's/path kept/kept/; s/rows //')"
echo "# two per transaction: $done done, $skipped skipped, in $xacts transactions; $rows rows (from $before)" >&2
[ "${skipped:-0}" -gt 0 ] && [ "$((done + skipped))" = 40 ] && [ "$xacts" = 20 ] &&
	[ "$rows" = "$((before + done))" ] && [ "$path" = kept ]
check "two operations per transaction: the same counts, each failure taking back only its own changes" $?
read -r t i tr <<<"$(decoded)"
[ "$i" = "$done" ] && [ "$tr" = 0 ] && [ "$t" -le 20 ]
check "the stream: every enqueue_triagem's INSERT, in at most 20 transactions, no TRUNCATE" $?

q "COMMIT PREPARED 'hold_queue'" >/dev/null
q "ALTER SYSTEM RESET oltp_sim.ops_per_transaction" >/dev/null
q "SELECT pg_reload_conf()" >/dev/null
poll "SELECT current_setting('oltp_sim.ops_per_transaction') = '1'" 30
read -r done skipped xacts path rows <<<"$(run 1 | sed 's/path kept/kept/; s/rows //')"
[ "$skipped" = 0 ] && [ "$done" = 40 ]
check "the lock released: nothing skipped" $?
read -r t i tr <<<"$(decoded)"
[ "$t" = 40 ] && [ "$tr" -gt 0 ] && [ "$((i + tr))" = 40 ]
check "the stream: 40 transactions, the clear_triagem ones truncating" $?

finish
