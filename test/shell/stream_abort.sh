#!/usr/bin/env bash
# The transactions rolled back after streaming has begun, as a walsender
# decodes them (one decoding session, pg_recvlogical with test_decoding and
# stream-changes; logical_decoding_work_mem 64kB), on a cluster of its own:
#   - each stream_exames_aborted and emit_messages_aborted transaction,
#     held open for oltp_sim.abort_hold, is streamed while open and then
#     aborted: a stream abort for its top-level xid, never a commit, and as
#     many of them as oltp_aborted() counts;
#   - no exam of theirs is committed: no row in the table, nothing in
#     oltp_changes(), no change decoded outside a streamed block;
#   - the messages of emit_messages_aborted: the non-transactional ones
#     decoded (four per transaction, as oltp_messages() counts), the
#     transactional ones only streamed inside the aborted transaction,
#     never as committed messages, and not counted.
# Prints TAP and exits non-zero on a failure.  Run as an unprivileged user.
set -uo pipefail
name=stream_abort
port=55950
. "$(dirname "$0")/lib/cluster.bash"

echo "1..5"
cluster_init "logical_decoding_work_mem = '64kB'" "oltp_sim.profile = 'decoding'" \
	"oltp_sim.batch_rows = 5000" "oltp_sim.abort_hold = '3s'" "oltp_sim.max_held_transactions = 1" \
	"oltp_sim.weight_insert_paciente = 0" "oltp_sim.weight_insert_consulta = 0" \
	"oltp_sim.weight_insert_exame = 0" "oltp_sim.weight_insert_internacao = 0" \
	"oltp_sim.weight_update_paciente = 0" "oltp_sim.weight_update_consulta = 0" \
	"oltp_sim.weight_update_exame = 0" "oltp_sim.weight_update_internacao = 0" \
	"oltp_sim.weight_stream_exames = 0" "oltp_sim.weight_emit_messages = 0" ||
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

q "SELECT oltp_start()" >/dev/null
# at least two of each, then no more: the ones held finish their hold
poll "SELECT bool_and(aborted >= 2) FROM oltp_aborted()" 120
rc=$?
q "ALTER SYSTEM SET oltp_sim.weight_stream_exames_aborted = 0" >/dev/null
q "ALTER SYSTEM SET oltp_sim.weight_emit_messages_aborted = 0" >/dev/null
reload_applied && poll "SELECT NOT EXISTS (SELECT FROM pg_stat_activity WHERE backend_type = 'oltp_sim hold')" 60 &&
	[ $rc = 0 ]
check "the worker rolled back stream_exames_aborted and emit_messages_aborted transactions on purpose" $?
q "SELECT oltp_stop()" >/dev/null
load_aborted=$(q "SELECT aborted FROM oltp_aborted() WHERE operation = 'stream_exames_aborted'")
msg_aborted=$(q "SELECT aborted FROM oltp_aborted() WHERE operation = 'emit_messages_aborted'")
# a commit with an xid flushes the WAL, the rollbacks' included
q "SELECT pg_current_xact_id() IS NOT NULL" >/dev/null

# the top-level xids streamed, and those aborted (a subtransaction's abort
# names its own xid, never one a block was opened for).  With
# skip-empty-xacts test_decoding opens a block, and says its abort, only for
# a transaction with changes: the loads; the messages' transactions show
# only their streamed messages
streamed() { grep -a '^opening a streamed block for transaction TXN ' "$out" | awk '{print $NF}' | sort -u; }
aborted_xids() { grep -a '^aborting streamed (sub)transaction TXN ' "$out" | awk '{print $NF}' | sort -u; }
deadline=$((SECONDS + 60))
while [ $SECONDS -lt $deadline ]; do
	[ "$(comm -12 <(streamed) <(aborted_xids) | wc -l)" -ge "${load_aborted:-1}" ] &&
		[ "$(grep -ac '^message: transactional: 0 prefix: oltp_sim\.test\.' "$out")" -ge $((4 * ${msg_aborted:-1})) ] && break
	sleep 0.2
done
n_streamed=$(streamed | wc -l)
n_both=$(comm -12 <(streamed) <(aborted_xids) | wc -l)
n_commits=$(grep -ac '^committing streamed transaction' "$out")
[ "$n_streamed" -ge 1 ] && [ "$n_streamed" = "${load_aborted:-x}" ] && [ "$n_both" = "$n_streamed" ] &&
	[ "$n_commits" = 0 ]
check "each of the $load_aborted loads rolled back streamed, then aborted: $n_streamed streamed, $n_both aborted, $n_commits committed" $?

delta=$(q "SELECT (SELECT count(*) FROM exames) - exames || ' ' || (SELECT sum(rows) FROM oltp_changes()) - changes FROM before")
n_table=$(grep -ac '^table public\.' "$out")
[ "$delta" = "0 0" ] && [ "$n_table" = 0 ] &&
	[ "$(grep -ac '^streaming change for TXN ' "$out")" -gt 0 ]
check "no exam committed: exames and oltp_changes() moved by ($delta), $n_table changes outside streamed blocks" $?

nontx=$(grep -ac '^message: transactional: 0 prefix: oltp_sim\.test\.' "$out")
tx=$(grep -ac '^message: transactional: 1 prefix: oltp_sim\.test\.' "$out")
tx_streamed=$(grep -ac '^streaming message: transactional: 1 prefix: oltp_sim\.test\.' "$out")
counted=$(q "SELECT string_agg(mode || '=' || messages, ' ' ORDER BY mode) FROM oltp_messages()")
[ "$nontx" = $((4 * ${msg_aborted:-0})) ] && [ "$tx" = 0 ] && [ "$tx_streamed" = "$nontx" ] &&
	[ "$counted" = "non-transactional=$nontx transactional=0" ]
check "messages: $nontx non-transactional decoded and counted ($counted), 0 transactional committed, $tx_streamed streamed and aborted" $?

sizes=$(grep -a '^message: transactional: 0 prefix: oltp_sim\.test\.' "$out" |
	sed -E 's/^message: transactional: 0 prefix: oltp_sim\.test\.([a-z]+), sz: ([0-9]+) .*/\1=\2/' |
	grep -v '^text=' | sort -u | tr '\n' ' ')
[ "$sizes" = "binary=256 empty=0 large=1048576 " ]
check "the non-transactional payloads: binary 256 bytes, empty, large 1 MiB ($sizes)" $?

kill $recv 2>/dev/null
finish
