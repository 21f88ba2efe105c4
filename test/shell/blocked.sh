#!/usr/bin/env bash
# oltp_status() while the worker cannot stream, on a cluster of its own
# (a lock held by another session needs two connections at once):
#   - blocked by LOCK TABLE ... ACCESS EXCLUSIVE in another session: the state
#     says blocked, on which table and by which process, the lag grows while
#     it lasts and ops/s is 0; once the lock goes, it runs again;
#   - stuck in a statement (foreign key checks waiting on row locks): still
#     running, but the lag grows and ops/s falls toward 0;
#   - waiting (a table renamed): ops/s and lag are 0, not the last values.
# Prints TAP and exits non-zero on a failure.  Run as an unprivileged user.
set -uo pipefail
name=blocked
port=55230
. "$(dirname "$0")/lib/cluster.bash"

echo "1..8"
cluster_init "oltp_sim.enabled = on" "oltp_sim.rate = 20" ||
	{ echo "Bail out! the cluster did not start"; exit 1; }
q "CREATE EXTENSION oltp_sim" >/dev/null
q "SELECT count(*) FROM oltp_seed(seed => 1)" >/dev/null
poll "SELECT state = 'running' AND committed > 20 AND ops_per_sec > 0 FROM oltp_status()" 60
check "streaming at its rate" $?

# another session holds consultas for as long as the test needs
"$bindir/psql" -X -q -h "$dir" -p "$port" -d postgres -c \
	"BEGIN; LOCK TABLE consultas IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(300);" >/dev/null 2>&1 &
poll "SELECT EXISTS (SELECT FROM pg_locks WHERE relation = 'consultas'::regclass
                     AND mode = 'AccessExclusiveLock' AND granted)" 30
holder=$(q "SELECT pid FROM pg_locks WHERE relation = 'consultas'::regclass AND mode = 'AccessExclusiveLock' AND granted")
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

finish
