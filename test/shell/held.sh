#!/usr/bin/env bash
# long_transaction holds its transaction open on a process of its own while
# the stream goes on, on a cluster of its own (the worker's settings come
# from postgresql.conf; a process is terminated):
#   - oltp_held_transactions() shows what is held, since when and the time
#     left, and oltp_status() says it in its detail, state running;
#   - the stream goes on meanwhile (0.2.0's worker waited inside the
#     transaction and committed nothing else for oltp_sim.long_transaction);
#   - at most oltp_sim.max_held_transactions are held at once; the rest are
#     skipped, and the worker says so once;
#   - a held transaction counts nothing until it commits: one terminated
#     counts nothing at all, and oltp_stop() ends the others at once, which
#     commit; counters per table and kind then equal the decoded stream,
#     and so do the watermarks, which count the held transactions as their
#     worker's (every 7 operations, numbered without gaps);
#   - CALL oltp_run runs the operation and commits at once.
# Prints TAP and exits non-zero on a failure.  Run as an unprivileged user.
set -uo pipefail
name=held
port=55750
. "$(dirname "$0")/lib/cluster.bash"

echo "1..9"
cluster_init "oltp_sim.rate = 50" "oltp_sim.weight_long_transaction = 1" \
	"oltp_sim.long_transaction = '10min'" "oltp_sim.max_held_transactions = 4" \
	"oltp_sim.watermark_every = 7" ||
	{ echo "Bail out! the cluster did not start"; exit 1; }
q "CREATE EXTENSION oltp_sim" >/dev/null
q "SELECT count(*) FROM oltp_seed(seed => 6)" >/dev/null
q "CREATE TABLE before AS SELECT * FROM oltp_changes()" >/dev/null
q "SELECT 'created' FROM pg_create_logical_replication_slot('held', 'test_decoding')" >/dev/null
q "SELECT oltp_start()" >/dev/null

poll "SELECT EXISTS (SELECT FROM oltp_held_transactions()
                     WHERE operation = 'long_transaction' AND state = 'holding' AND pid IS NOT NULL
                       AND held_since >= handed_at AND commit_at = held_since + interval '10 min'
                       AND time_left BETWEEN interval '9 min' AND interval '10 min')" 60
check "oltp_held_transactions(): long_transaction holding, since when, until when, the time left" $?

first=$(q "SELECT pid FROM oltp_held_transactions() WHERE state = 'holding' ORDER BY held_since LIMIT 1")
poll "SELECT state = 'running' AND detail ~ '^[0-9]+ transactions? held open \(oltp_held_transactions\(\)\); long_transaction since .* commits in [0-9]+ s$'
      FROM oltp_status()" 30
check "oltp_status(): running, the detail says what is held, since when and the time left" $?

# the stream goes on while the first one is held
committed=$(q "SELECT committed FROM oltp_status()")
poll "SELECT committed >= ${committed:-0} + 200 FROM oltp_status()" 60
rc=$?
[ $rc = 0 ] && [ "$(q "SELECT EXISTS (SELECT FROM oltp_held_transactions() WHERE pid = ${first:-0} AND state = 'holding')")" = t ]
check "200 more operations commit while a transaction is held" $?

poll "SELECT count(*) = 4 FROM oltp_held_transactions() WHERE state = 'holding'" 60 &&
	poll "SELECT skipped > 0 FROM oltp_operations() WHERE operation = 'long_transaction'" 60 &&
	[ "$(q "SELECT count(*) FROM oltp_held_transactions()")" = 4 ] &&
	[ "$(log_count 'oltp_sim skips operation long_transaction: no slot is free to hold its transaction')" = 1 ]
check "at most oltp_sim.max_held_transactions (4) held; the rest skipped, said once" $?

# no new ones from here, so the four are all there is
q "ALTER SYSTEM SET oltp_sim.weight_long_transaction = 0" >/dev/null
reload_applied

# terminated: rolled back, counted nowhere
q "SELECT pg_terminate_backend(${first:-0})" >/dev/null
poll "SELECT NOT EXISTS (SELECT FROM pg_stat_activity WHERE pid = ${first:-0})
      AND NOT EXISTS (SELECT FROM oltp_held_transactions() WHERE pid = ${first:-0})" 30 &&
	[ "$(q "SELECT committed || ' ' || errors FROM oltp_operations() WHERE operation = 'long_transaction'")" = "0 0" ]
check "a held transaction terminated: nothing counted, no error" $?

# oltp_stop() ends the three others at once: they commit and count
held=$(q "SELECT count(*) FROM oltp_held_transactions() WHERE state = 'holding'")
q "SELECT oltp_stop()" >/dev/null
poll "SELECT state = 'paused' AND NOT EXISTS (SELECT FROM oltp_held_transactions()) FROM oltp_status()" 30 &&
	[ "$(q "SELECT committed FROM oltp_operations() WHERE operation = 'long_transaction'")" = "$held" ]
check "oltp_stop() ends the holds at once; the $held held transactions commit and count" $?

q "CREATE TABLE td AS
   SELECT ord, data FROM pg_logical_slot_get_changes('held', NULL, NULL) WITH ORDINALITY AS c(lsn, xid, data, ord)" >/dev/null
q "CREATE TABLE delta AS
   SELECT a.table_name AS tab, a.kind, a.rows - b.rows AS n,
          (SELECT count(*) FROM td WHERE data LIKE 'table %.' || a.table_name || ': ' || upper(a.kind) || ':%') AS decoded
   FROM oltp_changes() a JOIN before b USING (table_name, kind)" >/dev/null
[ "$(q "SELECT bool_and(n = decoded) AND sum(n) > 0 FROM delta")" = t ]
ok=$?
check "committed rows per table and kind = decoded changes (differing: $(q "SELECT coalesce(string_agg(tab || ' ' || kind || ' ' || n || '/' || decoded, ', '), 'none') FROM delta WHERE n <> decoded"))" $ok

# each watermark's counts minus the previous one's are the changes between
# them, held transactions included
q "CREATE TABLE pairs AS
   WITH m AS (SELECT ord, substring(data FROM 'content:(.*)$')::jsonb AS wm FROM td
              WHERE data LIKE 'message: transactional: 1 prefix: oltp_sim, %'),
   w AS (SELECT ord, wm, lag(ord) OVER o AS prev_ord, lag(wm) OVER o AS prev_wm FROM m WINDOW o AS (ORDER BY ord))
   SELECT w.ord, w.prev_ord, t.key AS tab, k.key AS kind,
          k.value::text::bigint - (w.prev_wm -> 'changes' -> t.key ->> k.key)::bigint AS counted,
          (w.wm ->> 'seq')::bigint - (w.prev_wm ->> 'seq')::bigint AS seq_step,
          (w.wm ->> 'ops')::bigint - (w.prev_wm ->> 'ops')::bigint AS ops_step
   FROM w, jsonb_each(w.wm -> 'changes') t, jsonb_each(t.value) k WHERE w.prev_ord IS NOT NULL" >/dev/null
[ "$(q "SELECT count(DISTINCT ord) >= 20 AND bool_and(seq_step = 1) AND bool_and(ops_step = 7)
       AND bool_and(counted = (SELECT count(*) FROM td
                               WHERE td.ord > p.prev_ord AND td.ord < p.ord
                                 AND td.data LIKE 'table %.' || p.tab || ': ' || upper(p.kind) || ':%'))
       FROM pairs p")" = t ]
check "watermarks: every 7 operations, without gaps, each counting exactly the changes since the last" $?

# CALL oltp_run: the operation alone, committed at once, no hold
for op in $(q "SELECT operation FROM oltp_operations()"); do
	q "ALTER SYSTEM SET oltp_sim.weight_$op = $([ "$op" = long_transaction ] && echo 1 || echo 0)" >/dev/null
done
reload_applied
visits=$(q "SELECT count(*) FROM consultas")
"$bindir/psql" -X -q -h "$dir" -p "$port" -d postgres -v ON_ERROR_STOP=1 \
	-c "SET statement_timeout = '60s'" -c "SET client_min_messages = warning" \
	-c "CALL oltp_run(ops => 3, seed => 1)" >/dev/null 2>&1 &&
	[ "$(q "SELECT count(*) - ${visits:-0} FROM consultas")" = 3 ]
check "CALL oltp_run(ops => 3) with only long_transaction: three committed at once" $?

finish
