#!/usr/bin/env bash
# oltp_status() while the worker cannot stream, on a cluster of its own
# (a lock held by another session needs two connections at once):
#   - blocked by LOCK TABLE ... ACCESS EXCLUSIVE in another session: the state
#     says blocked, on which table and by which process, the lag grows while
#     it lasts and ops/s is 0; once the lock goes, it runs again;
#   - stuck in a statement (foreign key checks waiting on row locks): still
#     running, but the lag grows and ops/s falls toward 0;
#   - waiting (a table renamed): ops/s and lag are 0, not the last values;
#   - put off (oltp_sim.lock_defer): with only insert_consulta and
#     insert_paciente weighted, consultas locked, the worker puts the inserts
#     of consultations off (64 at most) and goes on with the patients', then
#     waits at the 65th; once the lock goes those 65 commit first, in one
#     run of consultations before any patient; with lock_defer 0 it waits
#     at the first.
# Prints TAP and exits non-zero on a failure.  Run as an unprivileged user.
set -uo pipefail
name=blocked
port=55230
. "$(dirname "$0")/lib/cluster.bash"

echo "1..13"
cluster_init "oltp_sim.enabled = on" "oltp_sim.rate = 20" ||
	{ echo "Bail out! the cluster did not start"; exit 1; }
q "CREATE EXTENSION oltp_sim" >/dev/null
q "SELECT count(*) FROM oltp_seed(seed => 1)" >/dev/null
poll "SELECT state = 'running' AND committed > 20 AND ops_per_sec > 0 FROM oltp_status()" 60
check "streaming at its rate" $?

# another session holds consultas for as long as the test needs: holder
# is its pid, holder_xid the xid the lock took it (the lock is logged for
# standbys), before any of the worker's transactions after it
lock_consultas() {
	"$bindir/psql" -X -q -h "$dir" -p "$port" -d postgres -c \
		"BEGIN; LOCK TABLE consultas IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(300);" >/dev/null 2>&1 &
	poll "SELECT EXISTS (SELECT FROM pg_locks WHERE relation = 'consultas'::regclass
	                     AND mode = 'AccessExclusiveLock' AND granted)" 30
	holder=$(q "SELECT pid FROM pg_locks WHERE relation = 'consultas'::regclass AND mode = 'AccessExclusiveLock' AND granted")
	holder_xid=$(q "SELECT backend_xid FROM pg_stat_activity WHERE pid = ${holder:-0}")
}

lock_consultas
poll "SELECT state = 'blocked' AND detail = 'waiting for a lock on table public.consultas held by process ${holder:-0}'
      FROM oltp_status()" 30
check "blocked: oltp_status() names the table and the process holding it" $?

lag=$(q "SELECT lag_ms FROM oltp_status()")
poll "SELECT state = 'blocked' AND lag_ms > ${lag:-0} + 1000 AND ops_per_sec = 0 FROM oltp_status()" 30
check "while blocked the lag grows and ops/s is 0" $?

q "SELECT pg_terminate_backend(${holder:-0})" >/dev/null
committed=$(q "SELECT committed FROM oltp_status()")
poll "SELECT state = 'running' AND detail = '' AND committed > ${committed:-0} FROM oltp_status()" 30
check "the lock gone, it runs again" $?

# every patient locked: the inserts that reference one wait in their
# foreign key check, inside a statement, with nothing published meanwhile
poll "SELECT state = 'running' AND ops_per_sec > 10 FROM oltp_status()" 30
"$bindir/psql" -X -q -h "$dir" -p "$port" -d postgres -c \
	"BEGIN; SELECT id FROM pacientes FOR UPDATE; SELECT pg_sleep(300);" >/dev/null 2>&1 &
poll "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE backend_type = 'oltp_sim worker'
                     AND wait_event_type = 'Lock')" 30
lag=$(q "SELECT lag_ms FROM oltp_status()")
poll "SELECT state = 'running' AND lag_ms > ${lag:-0} + 2000 FROM oltp_status()" 30
check "stuck in a statement: the lag grows" $?
poll "SELECT ops_per_sec < 5 FROM oltp_status()" 30
check "stuck in a statement: ops/s falls toward 0" $?
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%FOR UPDATE; SELECT pg_sleep%'
   AND pid <> pg_backend_pid()" >/dev/null
poll "SELECT state = 'running' AND ops_per_sec > 5 FROM oltp_status()" 30

# waiting: nothing streams, so no rate and no lag
q "ALTER TABLE exames RENAME TO exames_old" >/dev/null
poll "SELECT state = 'waiting' AND ops_per_sec = 0 AND lag_ms = 0 FROM oltp_status()" 30
check "waiting (a table renamed): ops/s and lag are 0" $?
q "ALTER TABLE exames_old RENAME TO exames" >/dev/null
poll "SELECT state = 'running' FROM oltp_status()" 30
check "the table back, it runs again" $?

# put off: two operations, one needing consultas, the other not
q "SELECT pg_catalog.format('ALTER SYSTEM SET oltp_sim.weight_%s = %s', operation,
          CASE WHEN operation IN ('insert_consulta', 'insert_paciente') THEN 1 ELSE 0 END)
   FROM oltp_operations()" | while read -r stmt; do q "$stmt" >/dev/null; done
q "ALTER SYSTEM SET oltp_sim.rate = 100" >/dev/null
q "ALTER SYSTEM SET oltp_sim.lock_defer = '1min'" >/dev/null
reload_applied
committed=$(q "SELECT committed FROM oltp_status()")
poll "SELECT state = 'running' AND committed > ${committed:-0} + 20 FROM oltp_status()" 30
committed_of() { q "SELECT committed FROM oltp_operations() WHERE operation = '$1'"; }
errors=$(q "SELECT sum(errors) FROM oltp_operations()")

lock_consultas
c0=$(committed_of insert_consulta)
poll "SELECT state = 'blocked' AND detail = 'waiting for a lock on table public.consultas held by process ${holder:-0}'
      FROM oltp_status()" 30
c1=$(committed_of insert_consulta)
last_paciente=$(q "SELECT max(id) FROM pacientes")
during=$(q "SELECT count(*) FROM pacientes WHERE xmin::text::bigint > ${holder_xid:-0}")
# 64 put off, each after a patient's insert one time in two: about 64
# patients, fewer than 16 one time in a million
[ -n "$holder_xid" ] && [ "${c1:-x}" = "${c0:-y}" ] && [ "${during:-0}" -ge 16 ]
check "consultas locked: the worker put the inserts of consultations off and went on with ${during:-no} of patients, none of consultations ($((${c1:-0} - ${c0:-0}))), before it waited" $?

q "SELECT pg_terminate_backend(${holder:-0})" >/dev/null
poll "SELECT committed >= ${c1:-0} + 65 FROM oltp_operations() WHERE operation = 'insert_consulta'" 30
poll "SELECT EXISTS (SELECT FROM pacientes WHERE id > ${last_paciente:-0})" 30
# the worker's transactions in their order: the consultations between the
# last patient before the wait and the first one after it
run=$(q "SELECT count(*) FROM consultas
         WHERE xmin::text::bigint > (SELECT xmin::text::bigint FROM pacientes WHERE id = ${last_paciente:-0})
           AND xmin::text::bigint < (SELECT min(xmin::text::bigint) FROM pacientes WHERE id > ${last_paciente:-0})")
# (then one pick in two is a patient's: the run goes on a little, by chance)
[ "${run:-0}" -ge 65 ]
check "the lock gone, the 64 put off and the one waited for commit first, before any patient (${run:-none} in that run)" $?
[ "$(q "SELECT sum(errors) FROM oltp_operations()")" = "${errors:-x}" ]
check "no operation failed" $?

q "ALTER SYSTEM SET oltp_sim.lock_defer = 0" >/dev/null
reload_applied
lock_consultas
poll "SELECT state = 'blocked' FROM oltp_status()" 30
during=$(q "SELECT count(*) FROM pacientes WHERE xmin::text::bigint > ${holder_xid:-0}")
# one patient's insert in two: 20 in a row before the first consultation's
# comes one time in a million
[ -n "$holder_xid" ] && [ "${during:-99}" -lt 20 ]
check "lock_defer 0: the worker waits at the first insert of a consultation (${during:-no} patients' before it)" $?
q "SELECT pg_terminate_backend(${holder:-0})" >/dev/null
committed=$(q "SELECT committed FROM oltp_status()")
poll "SELECT state = 'running' AND committed > ${committed:-0} FROM oltp_status()" 30
check "the lock gone, it runs again" $?

finish
