#!/usr/bin/env bash
# A schema change of precos waits for no transaction that does not use it,
# and one that cannot get its lock in time is skipped and counted, on a
# cluster of its own:
#   - a worker's transaction held open on the core tables (long_transaction,
#     held for minutes on a process of its own): the changes of precos,
#     each asking for ACCESS EXCLUSIVE on precos, all commit while it stays
#     open, the same transaction before and after (a worker locks only the
#     tables its operations touch: 0.2.0 locked every table, and a change
#     could not have had its lock until that transaction ended);
#   - a transaction writing precos held open, the worker making changes:
#     each gives up after its lock_timeout, and is counted as skipped in
#     oltp_operations(), announced nowhere;
#   - oltp_reset, which makes the set again, while the worker streams every
#     operation of the set: no deadlock, precos back in its first shape.
#   - a core table locked ACCESS EXCLUSIVE by another session, the worker
#     making and dropping precos_lote: it prepares again only the set's
#     operations, locking what they touch, and goes on (before, a table of
#     the set made or dropped made it lock every table, and wait).
# Prints TAP and exits non-zero on a failure.  Run as an unprivileged user.
set -uo pipefail
name=schema_locks
port=55990
. "$(dirname "$0")/lib/cluster.bash"

echo "1..9"
# one worker, long_transaction alone, its transactions held 10 minutes
# (oltp_stop() ends the wait)
cluster_init "oltp_sim.workers = 1" "oltp_sim.database = 'postgres'" \
	"oltp_sim.long_transaction = '10min'" ||
	{ echo "Bail out! the cluster did not start"; exit 1; }
q "CREATE EXTENSION oltp_sim" >/dev/null
q "SELECT count(*) FROM oltp_seed(seed => 4, scale => 0.1)" >/dev/null
q "SELECT count(*) FROM oltp_add_tables('schema_changes')" >/dev/null
q "SELECT oltp_seed('{\"precos\": 20}')" >/dev/null
{
	echo "oltp_sim.weight_long_transaction = 1"
	q "SELECT format('oltp_sim.weight_%s = 0', operation) FROM oltp_operations()
	   WHERE operation <> 'long_transaction'"
} >>"$data/postgresql.conf"
reload_applied

# changes that are never skipped but for their lock (or their owner)
weights=$(q "SELECT jsonb_object_agg(operation, CASE WHEN operation IN
		('alter_type_preco', 'rename_column_preco', 'replica_identity_preco') THEN 1 ELSE 0 END)
	FROM oltp_operations()")
changes() {
	"$bindir/psql" -X -q -At -h "$dir" -p "$port" -d postgres -v ON_ERROR_STOP=1 \
		-c "CALL oltp_run(ops => $1, seed => $2, profile => 'schema_changes', weights => '$weights')" 2>&1
}
announced() { q "SELECT count(*) FROM oltp_announcements()"; }

# 1. a worker's transaction held open on the core tables
q "SELECT oltp_start()" >/dev/null
poll "SELECT EXISTS (SELECT FROM oltp_held_transactions() WHERE state = 'holding')" 60
check "a worker's long_transaction is held open" $?
held=$(q "SELECT h.pid || ' ' || a.backend_xid FROM oltp_held_transactions() h
          JOIN pg_stat_activity a ON a.pid = h.pid WHERE h.state = 'holding' ORDER BY h.pid LIMIT 1")
read -r hpid hxid <<<"$held"
locked=$(q "SELECT string_agg(DISTINCT c.relname, ',' ORDER BY c.relname) FROM pg_locks l
            JOIN pg_class c ON c.oid = l.relation AND c.relkind = 'r'
            WHERE l.pid = $hpid AND l.granted AND c.relnamespace = 'public'::regnamespace")
echo "# process $hpid holds transaction $hxid, with locks on: $locked"
case ",$locked," in
*,precos,*) ok=1 ;;
*,consultas,*) ok=0 ;;
*) ok=1 ;;
esac
check "it holds locks on the core tables it wrote, none on precos" $ok

# 2. the changes while it stays open
before=$(announced)
out=$(changes 30 1)
rc=$?
echo "# $out"
after=$(announced)
still=$(q "SELECT count(*) FROM pg_stat_activity WHERE pid = $hpid AND backend_xid = '$hxid'")
# (CALL oltp_run counts in its NOTICE, not in the workers' counters)
[ $rc = 0 ] && [ $((after - before)) = 30 ] && [[ $out == *"30 operations done, 0 skipped"* ]] && [ "$still" = 1 ]
check "30 changes of precos committed and announced, none skipped, while that transaction stayed open ($((after - before)) announced, transaction still open: $still)" $?

# 3. a transaction writing precos held open, the worker making the
# changes: every one is skipped after its lock_timeout, and counted
q "SELECT oltp_stop()" >/dev/null
poll "SELECT state = 'paused' AND NOT EXISTS (SELECT FROM oltp_held_transactions()) FROM oltp_status()" 60
check "the held transaction committed when the stream stopped" $?
"$bindir/psql" -X -q -h "$dir" -p "$port" -d postgres \
	-c "SET application_name = 'precos_writer'" \
	-c "BEGIN" -c "UPDATE precos SET updated_at = updated_at WHERE id = (SELECT min(id) FROM precos)" \
	-c "SELECT pg_sleep(600)" >/dev/null 2>&1 &
writer=$!
poll "SELECT EXISTS (SELECT FROM pg_locks l JOIN pg_stat_activity a USING (pid)
      WHERE a.application_name = 'precos_writer' AND l.relation = 'precos'::regclass
        AND l.mode = 'RowExclusiveLock' AND l.granted)" 30
check "a transaction writing precos is open" $?
q "ALTER SYSTEM SET oltp_sim.weight_long_transaction = 0" >/dev/null
for op in alter_type_preco rename_column_preco replica_identity_preco; do
	q "ALTER SYSTEM SET oltp_sim.weight_$op = 1" >/dev/null
done
reload_applied
before=$(announced)
q "CREATE TABLE ops_before AS SELECT * FROM oltp_operations()" >/dev/null
q "SELECT oltp_start()" >/dev/null
poll "SELECT sum(o.skipped - b.skipped) >= 10 FROM oltp_operations() o JOIN ops_before b USING (operation)
      WHERE operation IN ('alter_type_preco', 'rename_column_preco', 'replica_identity_preco')" 120
rc=$?
q "SELECT oltp_stop()" >/dev/null
poll "SELECT state = 'paused' FROM oltp_status()" 60
counts=$(q "SELECT sum(o.skipped - b.skipped) || ' skipped, ' || sum(o.committed - b.committed) || ' committed, '
	|| sum(o.errors - b.errors) || ' failed' FROM oltp_operations() o JOIN ops_before b USING (operation)")
echo "# the worker: $counts; $(($(announced) - before)) announced"
[ $rc = 0 ] && [ "$(announced)" = "$before" ] &&
	[ "$(q "SELECT sum(o.committed - b.committed) = 0 FROM oltp_operations() o JOIN ops_before b USING (operation)")" = t ]
check "the worker's changes of precos all skipped and counted as skipped, none committed or announced ($counts)" $?
q "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'precos_writer'" >/dev/null
wait "$writer"

# 4. oltp_reset, which makes the set again, while the worker streams every
# operation of the set: no deadlock, no failed operation, precos back in
# its first shape
for op in $(q "SELECT operation FROM oltp_operations() WHERE operation LIKE '%\_preco'"); do
	q "ALTER SYSTEM SET oltp_sim.weight_$op = 1" >/dev/null
done
reload_applied
q "SELECT oltp_start()" >/dev/null
poll "SELECT sum(o.committed - b.committed) >= 300 FROM oltp_operations() o JOIN ops_before b USING (operation)" 120
# the shape precos has as the reset leaves it, read in its transaction
after=$("$bindir/psql" -X -q -At -h "$dir" -p "$port" -d postgres -v ON_ERROR_STOP=1 \
	-c "BEGIN" -c "SELECT count(*) FROM oltp_reset(seed => 4, scale => 0.1)" \
	-c "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute
	    WHERE attrelid = 'precos'::regclass AND attnum > 0 AND NOT attisdropped" -c "COMMIT" 2>"$dir/reset.err" | tail -1)
rc=$?
q "SELECT oltp_stop()" >/dev/null
poll "SELECT state = 'paused' FROM oltp_status()" 60
echo "# changes announced: $(q "SELECT count(*) FROM oltp_announcements()"); $(head -1 "$dir/reset.err")"
[ $rc = 0 ] && [ "$after" = "id,codigo,descricao,created_at,updated_at,valor,quantidade,unidade,fornecedor,referencia" ] &&
	[ "$(log_count 'deadlock detected')" = 0 ]
check "oltp_reset while the worker changes precos: no deadlock, precos back in its first shape ($after)" $?

# 5. a core table locked by another session while the worker makes and
# drops precos_lote: a new table of the set is prepared for without
# locking the tables the set's operations do not touch
for op in $(q "SELECT operation FROM oltp_operations() WHERE operation LIKE '%\_preco'"); do
	case $op in
	create_table_preco | drop_table_preco | insert_preco) w=1 ;;
	*) w=0 ;;
	esac
	q "ALTER SYSTEM SET oltp_sim.weight_$op = $w" >/dev/null
done
reload_applied
tables() { q "SELECT count(*) FROM oltp_announcements() WHERE change IN ('create_table', 'drop_table')"; }
q "SELECT oltp_start()" >/dev/null
before=$(tables)
poll "SELECT count(*) >= $((before + 2)) FROM oltp_announcements() WHERE change IN ('create_table', 'drop_table')" 60
"$bindir/psql" -X -q -h "$dir" -p "$port" -d postgres \
	-c "SET application_name = 'consultas_locker'" \
	-c "BEGIN" -c "LOCK TABLE consultas IN ACCESS EXCLUSIVE MODE" \
	-c "SELECT pg_sleep(600)" >/dev/null 2>&1 &
locker=$!
poll "SELECT EXISTS (SELECT FROM pg_locks l JOIN pg_stat_activity a USING (pid)
      WHERE a.application_name = 'consultas_locker' AND l.relation = 'consultas'::regclass
        AND l.mode = 'AccessExclusiveLock' AND l.granted)" 30
locked=$?
before=$(tables)
poll "SELECT count(*) >= $((before + 6)) FROM oltp_announcements() WHERE change IN ('create_table', 'drop_table')" 60
rc=$?
state=$(q "SELECT state || coalesce(': ' || nullif(detail, ''), '') FROM oltp_status() LIMIT 1")
q "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'consultas_locker'" >/dev/null
wait "$locker"
q "SELECT oltp_stop()" >/dev/null
poll "SELECT state = 'paused' FROM oltp_status()" 60
echo "# precos_lote made or dropped while consultas was locked: $(($(tables) - before)); the worker then: $state"
[ $locked = 0 ] && [ $rc = 0 ]
check "consultas locked by another session: the worker makes and drops precos_lote 6 times, not waiting for consultas" $?

[ "$(q "SELECT sum(errors) FROM oltp_operations()")" = 0 ]
check "no operation failed" $?

finish
