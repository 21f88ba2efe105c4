#!/usr/bin/env bash
# What oltp_status() and the log say is what happens, on a cluster of its
# own (another session holds rows; the worker is terminated):
#   - from the first transaction on: a worker whose first transaction after
#     oltp_start(), or after a restart, waits inside a statement shows
#     running, not the paused or starting of before it (0.2.0 published
#     nothing until that transaction ended);
#   - ops_per_sec falls to 0 in an idle phase of the schedule (0.2.0 kept
#     the last phase's rate);
#   - the log summary comes at each multiple of oltp_sim.log_every
#     operations, across a reload (with ops_per_transaction 3 the line may
#     pass the multiple by up to 2);
#   - after DROP EXTENSION and CREATE EXTENSION the worker waits for the
#     empty tables to be seeded, says why (state and log, once) and writes
#     nothing; seeded, it streams, with no error of the dropped tables left
#     as the last one (0.2.0 streamed into the empty tables at once).
# Prints TAP and exits non-zero on a failure.  Run as an unprivileged user.
set -uo pipefail
name=status
port=55760
. "$(dirname "$0")/lib/cluster.bash"

echo "1..8"
cluster_init "oltp_sim.rate = 20" "oltp_sim.weight_insert_paciente = 0" \
	"oltp_sim.weight_insert_exame = 0" "oltp_sim.weight_insert_internacao = 0" \
	"oltp_sim.weight_update_paciente = 0" "oltp_sim.weight_update_consulta = 0" \
	"oltp_sim.weight_update_exame = 0" "oltp_sim.weight_update_internacao = 0" ||
	{ echo "Bail out! the cluster did not start"; exit 1; }
q "CREATE EXTENSION oltp_sim" >/dev/null
q "SELECT count(*) FROM oltp_seed(seed => 2)" >/dev/null
poll "SELECT state = 'paused' FROM oltp_status()" 30

# every patient locked: insert_consulta, the only operation, waits in its
# foreign key check, inside the worker's first transaction
"$bindir/psql" -X -q -h "$dir" -p "$port" -d postgres -c \
	"BEGIN; SELECT id FROM pacientes FOR UPDATE; SELECT pg_sleep(300);" >/dev/null 2>&1 &
poll "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE query LIKE '%FOR UPDATE; SELECT pg_sleep%'
                     AND wait_event = 'PgSleep')" 30
stuck="SELECT EXISTS (SELECT FROM pg_stat_activity WHERE backend_type = 'oltp_sim worker'
                      AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO %consultas%')"
q "SELECT oltp_start()" >/dev/null
poll "$stuck" 30 && [ "$(q "SELECT state || '|' || detail || '|' || committed FROM oltp_status()")" = "running||0" ]
ok=$?
check "first transaction after oltp_start(), stuck in a statement: running ($(q "SELECT state || ', ' || detail FROM oltp_status()"))" $ok

# a restart: the new worker's first transaction is stuck the same way
old=$(q "SELECT pid FROM pg_stat_activity WHERE backend_type = 'oltp_sim worker'")
q "SELECT pg_terminate_backend(${old:-0})" >/dev/null
poll "$stuck AND NOT EXISTS (SELECT FROM pg_stat_activity WHERE pid = ${old:-0})" 30 &&
	[ "$(q "SELECT state FROM oltp_status()")" = running ]
ok=$?
check "first transaction after a restart, stuck in a statement: running ($(q "SELECT state || ', ' || detail FROM oltp_status()"))" $ok

q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%FOR UPDATE; SELECT pg_sleep%'
   AND pid <> pg_backend_pid()" >/dev/null
poll "SELECT state = 'running' AND committed > 0 FROM oltp_status()" 30
check "the rows free, it commits" $?

# an idle phase: ops/s falls to 0, and comes back with the next phase
q "ALTER SYSTEM SET oltp_sim.schedule = '4s@100, 6s@0'" >/dev/null
reload_applied
poll "SELECT phase = 1 AND ops_per_sec > 50 FROM oltp_status()" 30
check "a phase at 100 ops/s: ops_per_sec above 50" $?
poll "SELECT phase = 2 AND ops_per_sec = 0 FROM oltp_status()" 30
ok=$?
check "the idle phase: ops_per_sec falls to 0 ($(q "SELECT 'phase ' || phase || ', ' || round(ops_per_sec::numeric, 1) || ' ops/s' FROM oltp_status()"))" $ok
q "SELECT oltp_stop()" >/dev/null
q "ALTER SYSTEM RESET oltp_sim.schedule" >/dev/null

# the log summary at each multiple of 10, three operations per transaction,
# a reload halfway
q "ALTER SYSTEM SET oltp_sim.log_every = 10" >/dev/null
q "ALTER SYSTEM SET oltp_sim.ops_per_transaction = 3" >/dev/null
q "ALTER SYSTEM SET oltp_sim.rate = 100" >/dev/null
reload_applied
old=$(q "SELECT pid FROM pg_stat_activity WHERE backend_type = 'oltp_sim worker'")
q "SELECT pg_terminate_backend(${old:-0})" >/dev/null
poll "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE backend_type = 'oltp_sim worker' AND pid <> ${old:-0})
      AND state = 'paused' FROM oltp_status()" 30
pid=$(q "SELECT pid FROM pg_stat_activity WHERE backend_type = 'oltp_sim worker'")
q "SELECT oltp_start()" >/dev/null
committed0=$(q "SELECT committed FROM oltp_status()")
poll "SELECT committed >= ${committed0:-0} + 70 FROM oltp_status()" 60
q "ALTER SYSTEM SET oltp_sim.rate = 120" >/dev/null
reload_applied
poll "SELECT committed >= ${committed0:-0} + 160 FROM oltp_status()" 60
q "SELECT oltp_stop()" >/dev/null
poll "SELECT state = 'paused' FROM oltp_status()" 30
counts=$(grep -E "\[$pid\] LOG:  oltp_sim worker 0: [0-9]+ operations committed" "$logfile" |
	sed -E 's/.*worker 0: ([0-9]+) operations committed.*/\1/' | tr '\n' ' ')
echo "# summary lines at: $counts"
echo "$counts" | awk '{ok = NF >= 15; for (i = 1; i <= NF; i++) if (int($i / 10) != i || $i % 10 > 2) ok = 0; exit !ok}'
check "a summary line at each multiple of 10 operations, across a reload" $?

# the whole hospital mix: insert_paciente needs no parent, so an unseeded
# database would get rows at once
unseeded='the tables of extension "oltp_sim" in schema "public" are not seeded'
for op in insert_paciente insert_exame insert_internacao update_paciente update_consulta update_exame update_internacao; do
	q "ALTER SYSTEM SET oltp_sim.weight_$op = -1" >/dev/null
done
reload_applied
q "SELECT oltp_start()" >/dev/null
committed=$(q "SELECT committed FROM oltp_status()")
poll "SELECT committed > ${committed:-0} + 10 FROM oltp_status()" 30
q "DROP EXTENSION oltp_sim" >/dev/null
q "CREATE EXTENSION oltp_sim" >/dev/null
poll "SELECT state = 'waiting' AND detail = \$\$$unseeded\$\$ FROM oltp_status()" 30 &&
	[ "$(q "SELECT sum(row_count) FROM oltp_counts()")" = 0 ] &&
	[ "$(log_count "LOG:  oltp_sim is waiting: $unseeded")" = 1 ]
ok=$?
check "a new extension's empty tables: waiting, said once, nothing written ($(q "SELECT state || ', ' || detail || ', ' || (SELECT sum(row_count) FROM oltp_counts()) || ' rows' FROM oltp_status()"))" $ok

committed=$(q "SELECT committed FROM oltp_status()")
q "SELECT count(*) FROM oltp_seed(seed => 3)" >/dev/null
poll "SELECT state = 'running' AND committed > ${committed:-0} + 10 AND last_error IS NULL FROM oltp_status()" 30
ok=$?
check "seeded, it streams again; no stale last_error ($(q "SELECT coalesce(last_error, 'none') FROM oltp_status()"))" $ok

finish
