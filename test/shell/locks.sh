#!/usr/bin/env bash
# A transaction locks the tables its operations touch, and only those, on a
# cluster of its own (two workers need a restart): under the profile
# everything with both opt-in sets, two workers flat out
#   - run through an oltp_reset() without a deadlock or a failed operation
#     (the locks are taken in the order the reset's TRUNCATE takes them);
#   - commit most clear_triagem attempts: its TRUNCATE asks for ACCESS
#     EXCLUSIVE without waiting, and gets it whenever the other worker's
#     transaction does not use the triage queue (0.2.0 locked every table
#     in every transaction, and no clear ever committed with two workers);
#   - so the decoded stream (test_decoding) carries TRUNCATEs of
#     fila_triagem, and the counters per table and kind, truncates and held
#     transactions included, equal the decoded changes.
# clear_triagem weighs 20 here instead of 1, for enough attempts in a short
# run.  Prints TAP and exits non-zero on a failure.  Run as an unprivileged
# user.
set -uo pipefail
name=locks
port=55740
. "$(dirname "$0")/lib/cluster.bash"

echo "1..7"
cluster_init "oltp_sim.workers = 2" "oltp_sim.profile = 'everything'" \
	"oltp_sim.weight_clear_triagem = 20" "oltp_sim.long_transaction = '3s'" ||
	{ echo "Bail out! the cluster did not start"; exit 1; }
q "CREATE EXTENSION oltp_sim" >/dev/null
q "SELECT count(*) FROM oltp_seed(seed => 4)" >/dev/null
q "SELECT count(*) FROM oltp_add_tables('edge_cases', seed => 4)" >/dev/null
q "SELECT count(*) FROM oltp_add_tables('types', seed => 4)" >/dev/null

# stream until n more operations are committed, stop, and wait for the held
# transactions to end (oltp_stop() ends their wait; they commit)
stream() {
	local before rc
	before=$(q "SELECT committed FROM oltp_status()")
	q "SELECT oltp_start()" >/dev/null
	poll "SELECT committed >= $before + $1 FROM oltp_status()" 300
	rc=$?
	q "SELECT oltp_stop()" >/dev/null
	poll "SELECT state = 'paused' AND NOT EXISTS (SELECT FROM oltp_held_transactions())
	      FROM oltp_status()" 60 || rc=1
	return $rc
}

# 1. a reset while both workers stream
q "SELECT oltp_start()" >/dev/null
poll "SELECT committed >= 300 FROM oltp_status()" 120
q "SELECT count(*) FROM oltp_reset(seed => 5)" >/dev/null
reset_rc=$?
stream 300
rc=$?
[ $reset_rc = 0 ] && [ $rc = 0 ] && [ "$(log_count 'deadlock detected')" = 0 ] &&
	[ "$(q "SELECT sum(errors) FROM oltp_operations()")" = 0 ]
ok=$?
check "oltp_reset() while two workers stream: no deadlock, no failed operation (last error: $(q "SELECT coalesce(last_error, 'none') FROM oltp_status()"))" $ok

# 2. the run whose stream is decoded
q "CREATE TABLE before AS SELECT * FROM oltp_changes()" >/dev/null
q "CREATE TABLE ops_before AS SELECT * FROM oltp_operations()" >/dev/null
q "SELECT 'created' FROM pg_create_logical_replication_slot('locks', 'test_decoding')" >/dev/null
stream 4000
check "two workers under everything: 4000 operations committed" $?

q "CREATE TABLE td AS SELECT data FROM pg_logical_slot_get_changes('locks', NULL, NULL)" >/dev/null
q "CREATE TABLE delta AS
   SELECT a.table_name AS tab, a.kind, a.rows - b.rows AS n,
          CASE WHEN a.kind = 'truncate' THEN
               (SELECT count(*) FROM td WHERE data ~ ('^table .*[ .]' || a.table_name || '[,:] .*TRUNCATE:'))
          ELSE (SELECT count(*) FROM td
                WHERE data LIKE 'table %.' || a.table_name || ': ' || upper(a.kind) || ':%') END AS decoded
   FROM oltp_changes() a JOIN before b USING (table_name, kind)" >/dev/null
echo "# clear_triagem: $(q "SELECT format('%s committed, %s skipped', o.committed - b.committed, o.skipped - b.skipped)
	FROM oltp_operations() o JOIN ops_before b USING (operation) WHERE operation = 'clear_triagem'")"
q "SELECT o.committed - b.committed > 0 AND o.committed - b.committed > o.skipped - b.skipped
   FROM oltp_operations() o JOIN ops_before b USING (operation) WHERE operation = 'clear_triagem'" | grep -qx t
check "most clear_triagem attempts committed" $?

[ "$(q "SELECT n > 0 AND n = decoded FROM delta WHERE tab = 'fila_triagem' AND kind = 'truncate'")" = t ]
ok=$?
check "the decoded stream carries the TRUNCATEs of fila_triagem the counters count ($(q "SELECT n || ' counted, ' || decoded || ' decoded' FROM delta WHERE tab = 'fila_triagem' AND kind = 'truncate'"))" $ok

# every table, each of the five kinds (insert, update, delete, truncate, schema)
[ "$(q "SELECT count(*) = 5 * (SELECT count(*) FROM oltp_tables()) AND bool_and(n = decoded) FROM delta")" = t ]
ok=$?
check "committed rows per table and kind = decoded changes, held transactions included (differing: $(q "SELECT coalesce(string_agg(tab || ' ' || kind || ' ' || n || '/' || decoded, ', '), 'none') FROM delta WHERE n <> decoded"))" $ok

[ "$(log_count 'deadlock detected')" = 0 ] && [ "$(q "SELECT sum(errors) FROM oltp_operations()")" = 0 ]
check "no deadlock and no failed operation" $?

# a table named as a set's table (precos: schema_changes is not added
# here), made by a role that may create in the schema and locked by it:
# oltp_checksums() reads only the extension's tables and does not wait
# for it (it locked every table of the model by name)
read_before=$(q "SELECT count(*) FROM oltp_checksums()")
q "CREATE ROLE locks_mal; GRANT CREATE ON SCHEMA public TO locks_mal" >/dev/null
q "SET ROLE locks_mal; CREATE TABLE public.precos (id int)" >/dev/null
"$bindir/psql" -X -q -h "$dir" -p "$port" -d postgres \
	-c "SET ROLE locks_mal" -c "SET application_name = 'planted_lock'" \
	-c "BEGIN" -c "LOCK TABLE public.precos IN ACCESS EXCLUSIVE MODE" -c "SELECT pg_sleep(600)" >/dev/null 2>&1 &
planted=$!
poll "SELECT EXISTS (SELECT FROM pg_locks l JOIN pg_stat_activity a USING (pid)
      WHERE a.application_name = 'planted_lock' AND l.relation = 'public.precos'::regclass
        AND l.mode = 'AccessExclusiveLock' AND l.granted)" 30
held=$?
tables=$("$bindir/psql" -X -q -At -h "$dir" -p "$port" -d postgres -c "SET statement_timeout = '20s'" \
	-c "SELECT count(*) FILTER (WHERE table_name = 'precos') || ' precos of ' || count(*) FROM oltp_checksums()" 2>&1)
q "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'planted_lock'" >/dev/null
wait "$planted"
[ $held = 0 ] && [ "$tables" = "0 precos of $read_before" ]
check "a table named precos locked by the role that made it: oltp_checksums() does not wait for it, nor reads it ($tables)" $?

finish
