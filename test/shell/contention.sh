#!/usr/bin/env bash
# Erasure, renumbering and admissions from four workers on twenty patients,
# on a cluster of its own (oltp_sim.workers needs a restart): the workers
# keep picking the same patients, yet nothing fails and nothing deadlocks.
# The patient a worker holds is skipped by the others (SKIP LOCKED), a row
# held under an erasure's or renumbering's children ends it as skipped
# (NOWAIT), and an insert racing an erasure fails its foreign key check,
# which it expects.  Prints TAP and exits non-zero on a failure.  Run as an
# unprivileged user.
set -uo pipefail
name=contention
port=55730
. "$(dirname "$0")/lib/cluster.bash"

echo "1..8"
cluster_init "oltp_sim.workers = 4" "oltp_sim.batch_rows = 20" \
	"oltp_sim.weight_insert_paciente = 3" "oltp_sim.weight_insert_consulta = 6" \
	"oltp_sim.weight_insert_exame = 6" "oltp_sim.weight_insert_internacao = 0" \
	"oltp_sim.weight_update_paciente = 2" "oltp_sim.weight_update_consulta = 0" \
	"oltp_sim.weight_update_exame = 4" "oltp_sim.weight_update_internacao = 0" \
	"oltp_sim.weight_erase_paciente = 3" "oltp_sim.weight_rekey_paciente = 3" \
	"oltp_sim.weight_admit_paciente = 3" "oltp_sim.weight_import_resultados = 1" \
	"oltp_sim.weight_long_transaction = 0" ||
	{ echo "Bail out! the cluster did not start"; exit 1; }
q "CREATE EXTENSION oltp_sim" >/dev/null
q "SELECT count(*) FROM oltp_seed('{\"pacientes\": 20, \"medicos\": 5, \"convenios\": 3,
	\"pacientes_convenios\": 20, \"consultas\": 60, \"exames\": 60, \"internacoes\": 10}', seed => 3)" >/dev/null

# stream n more operations, then check that none failed; $2 names the run
stream_checked() {
	local before ok
	before=$(q "SELECT committed FROM oltp_status()")
	q "SELECT oltp_start()" >/dev/null
	poll "SELECT committed >= $before + $1 FROM oltp_status()" 180
	check "$2: $1 operations committed" $?
	q "SELECT oltp_stop()" >/dev/null
	poll "SELECT state = 'paused' FROM oltp_status()" 60 >/dev/null
	q "SELECT sum(errors) = 0 FROM oltp_operations()" | grep -qx t
	ok=$?
	check "$2: no operation failed (last error: $(q "SELECT coalesce(last_error, 'none') FROM oltp_status()"))" $ok
}

stream_checked 4000 "four workers on twenty patients, one operation per transaction"

[ "$(log_count 'deadlock detected')" = 0 ]
check "no deadlock in the server log" $?

q "SELECT bool_and(committed > 0) FROM oltp_operations()
   WHERE operation IN ('erase_paciente', 'rekey_paciente', 'admit_paciente')" | grep -qx t
check "erasures, renumberings and admissions committed" $?

q "SELECT max(id) <= (SELECT last_value FROM pacientes_id_seq) FROM pacientes" | grep -qx t
check "every patient id came from the sequence: later ids are new" $?

# three operations per transaction: an insert's foreign key check may wait
# for a patient another transaction holds while that one comes to wait for
# a patient this one's earlier insert holds; the deadlock cancels one of the
# inserts, which expect it (counted as skipped), never an erasure,
# renumbering or admission, which never wait
q "ALTER SYSTEM SET oltp_sim.ops_per_transaction = 3" >/dev/null
reload_applied
stream_checked 6000 "three operations per transaction"

# the set partitions: an event another transaction moves to another
# partition between the moment an operation's pick reads the table and the
# moment it locks the row it found.  PostgreSQL cannot follow the row there
# ("tuple to be locked was already moved to another partition due to
# concurrent update", serialization_failure): the operation lost the race
# and is skipped, not failed.  The window is short: ten events, moved to
# and fro by another session committing one move at a time, while the
# stream's updates and moves of events run in this session.
q "ALTER SYSTEM SET oltp_sim.ops_per_transaction = 1" >/dev/null
reload_applied
q "SELECT count(*) FROM oltp_add_tables('partitions', 7)" >/dev/null
q "DELETE FROM eventos_leito WHERE id NOT IN (SELECT id FROM eventos_leito ORDER BY id LIMIT 10)" >/dev/null
"$bindir/psql" -X -q -At -h "$dir" -p "$port" -d postgres \
	-c "SET application_name = 'mover'" \
	-c "DO \$\$BEGIN FOR i IN 1..1000000 LOOP
		  UPDATE eventos_leito SET ocorrido_em = ocorrido_em OPERATOR(pg_catalog.+)
		    CASE WHEN ocorrido_em < pg_catalog.date_trunc('month', pg_catalog.now())
		    THEN interval '1 month' ELSE interval '-1 month' END
		  WHERE id = (SELECT id FROM eventos_leito ORDER BY id OFFSET i % 10 LIMIT 1);
		  COMMIT;
		END LOOP; END\$\$" >/dev/null 2>&1 &
mover=$!
weights=$(q "SELECT jsonb_object_agg(operation, (operation IN ('move_evento_leito', 'update_evento_leito'))::int)
	FROM oltp_operations()")
out=$("$bindir/psql" -X -q -At -h "$dir" -p "$port" -d postgres -v ON_ERROR_STOP=1 \
	-c "CALL oltp_run(ops => 3000, seed => 1, weights => '$weights')" 2>&1)
rc=$?
q "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'mover'" >/dev/null
wait "$mover"
echo "# $(echo "$out" | grep -E "^(ERROR|NOTICE)" | tail -1)"
[ $rc = 0 ]
check "3000 updates and moves of ten events another session keeps moving between partitions: none failed" $?

finish
