#!/usr/bin/env bash
# The transactions rolled back after streaming has begun, as a walsender
# decodes them (one decoding session: pg_recvlogical with test_decoding and
# stream-changes, logical_decoding_work_mem 64kB), on a cluster of its own.
# Each is held open (oltp_sim.abort_hold) until the decoder has streamed it,
# then oltp_stop() ends the hold and it rolls back:
#   - stream_exames_aborted: its load streamed while open, then a stream
#     abort for its top-level xid, never a commit;
#   - no exam of it is committed: no row in the table, nothing in
#     oltp_changes(), no change decoded outside a streamed block;
#   - emit_messages_aborted: the non-transactional messages decoded (four,
#     as oltp_messages() counts), the transactional ones only streamed
#     inside the aborted transaction, never as committed messages, and not
#     counted; the payloads' sizes.
# Prints TAP and exits non-zero on a failure.  Run as an unprivileged user.
set -uo pipefail
name=stream_abort
port=55950
. "$(dirname "$0")/lib/cluster.bash"

echo "1..5"
cluster_init "logical_decoding_work_mem = '64kB'" "oltp_sim.profile = 'decoding'" \
	"oltp_sim.batch_rows = 5000" "oltp_sim.abort_hold = '10min'" "oltp_sim.max_held_transactions = 1" \
	"oltp_sim.weight_insert_paciente = 0" "oltp_sim.weight_insert_consulta = 0" \
	"oltp_sim.weight_insert_exame = 0" "oltp_sim.weight_insert_internacao = 0" \
	"oltp_sim.weight_update_paciente = 0" "oltp_sim.weight_update_consulta = 0" \
	"oltp_sim.weight_update_exame = 0" "oltp_sim.weight_update_internacao = 0" \
	"oltp_sim.weight_stream_exames = 0" "oltp_sim.weight_emit_messages = 0" \
	"oltp_sim.weight_emit_messages_aborted = 0" ||
	{ echo "Bail out! the cluster did not start"; exit 1; }
q "CREATE EXTENSION oltp_sim" >/dev/null
q "SELECT count(*) FROM oltp_seed(seed => 6)" >/dev/null
q "CREATE TABLE before AS SELECT (SELECT count(*) FROM exames) AS exames, (SELECT sum(rows) FROM oltp_changes()) AS changes" >/dev/null
q "SELECT 'created' FROM pg_create_logical_replication_slot('sa', 'test_decoding')" >/dev/null
out=$dir/decoded.txt
"$bindir/pg_recvlogical" -h "$dir" -p "$port" -d postgres -S sa --start -f "$out" -F 1 \
	-o include-xids=1 -o skip-empty-xacts=1 -o stream-changes=1 2>"$dir/recvlogical.log" &
recv=$!
trap 'kill $recv 2>/dev/null; cluster_stop' EXIT

# a commit with an xid flushes the WAL, which the decoder reads up to
flush() { q "SELECT pg_current_xact_id() IS NOT NULL" >/dev/null; }
# lines of the decoded output matching a regular expression, once there
lines() { grep -ac "$1" "$out" 2>/dev/null; }
wait_lines() {
	local deadline=$((SECONDS + 60))
	while [ $SECONDS -lt $deadline ]; do
		[ "$(lines "$1")" -ge "$2" ] && return 0
		sleep 0.2
	done
	return 1
}
# the xid of the transaction held open, once its changes are made
held_xid() {
	poll "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE backend_type = 'oltp_sim hold'
	                     AND wait_event_type = 'Extension' AND backend_xid IS NOT NULL)" 60 &&
		q "SELECT backend_xid FROM pg_stat_activity WHERE backend_type = 'oltp_sim hold'"
}
# oltp_stop() ends the hold: rolled back, and the process gone
end_hold() {
	q "SELECT oltp_stop()" >/dev/null
	poll "SELECT NOT EXISTS (SELECT FROM pg_stat_activity WHERE backend_type = 'oltp_sim hold')" 60
}

# the load: held, streamed, then rolled back
q "SELECT oltp_start()" >/dev/null
xid=$(held_xid)
flush
wait_lines "^opening a streamed block for transaction TXN ${xid:-none}\$" 1
streamed=$?
end_hold
flush
wait_lines "^aborting streamed (sub)transaction TXN ${xid:-none}\$" 1
aborted=$?
[ -n "$xid" ] && [ $streamed = 0 ] && [ $aborted = 0 ] &&
	[ "$(q "SELECT aborted FROM oltp_aborted() WHERE operation = 'stream_exames_aborted'")" = 1 ]
check "stream_exames_aborted (xid ${xid:-none}): streamed while held open, then aborted by its top-level xid, counted as aborted" $?

n_commits=$(lines '^committing streamed transaction')
n_blocks=$(lines '^opening a streamed block for transaction TXN ')
[ "$n_commits" = 0 ] && [ "$n_blocks" -gt 1 ] &&
	[ "$(lines "^opening a streamed block for transaction TXN ")" = "$(lines "^opening a streamed block for transaction TXN ${xid:-none}\$")" ]
check "its load in $n_blocks streamed blocks, all of it; $n_commits committed" $?

delta=$(q "SELECT (SELECT count(*) FROM exames) - exames || ' ' || (SELECT sum(rows) FROM oltp_changes()) - changes FROM before")
n_table=$(lines '^table public\.')
[ "$delta" = "0 0" ] && [ "$n_table" = 0 ] && [ "$(lines '^streaming change for TXN ')" -gt 0 ]
check "no exam committed: exames and oltp_changes() moved by ($delta), $n_table changes outside streamed blocks" $?

# the messages: held (its transactional ones streamed), then rolled back
q "ALTER SYSTEM SET oltp_sim.weight_stream_exames_aborted = 0" >/dev/null
q "ALTER SYSTEM SET oltp_sim.weight_emit_messages_aborted = 1" >/dev/null
reload_applied >/dev/null
q "SELECT oltp_start()" >/dev/null
xid=$(held_xid)
flush
wait_lines '^streaming message: transactional: 1 prefix: oltp_sim\.test\.' 4
streamed=$?
end_hold
flush
wait_lines '^message: transactional: 0 prefix: oltp_sim\.test\.' 4
nontx=$(lines '^message: transactional: 0 prefix: oltp_sim\.test\.')
tx=$(lines '^message: transactional: 1 prefix: oltp_sim\.test\.')
tx_streamed=$(lines '^streaming message: transactional: 1 prefix: oltp_sim\.test\.')
counted=$(q "SELECT string_agg(mode || '=' || messages, ' ' ORDER BY mode) FROM oltp_messages()")
[ -n "$xid" ] && [ $streamed = 0 ] && [ "$nontx" = 4 ] && [ "$tx" = 0 ] && [ "$tx_streamed" = 4 ] &&
	[ "$counted" = "non-transactional=4 transactional=0" ] &&
	[ "$(q "SELECT aborted FROM oltp_aborted() WHERE operation = 'emit_messages_aborted'")" = 1 ]
check "emit_messages_aborted: $nontx non-transactional decoded and counted ($counted), $tx transactional committed, $tx_streamed streamed and aborted" $?

sizes=$(grep -a '^message: transactional: 0 prefix: oltp_sim\.test\.' "$out" |
	sed -E 's/^message: transactional: 0 prefix: oltp_sim\.test\.([a-z]+), sz: ([0-9]+) .*/\1=\2/' |
	grep -v '^text=' | sort -u | tr '\n' ' ')
[ "$sizes" = "binary=256 empty=0 large=1048576 " ]
check "the non-transactional payloads: binary 256 bytes, empty, large 1 MiB ($sizes)" $?

kill $recv 2>/dev/null
finish
