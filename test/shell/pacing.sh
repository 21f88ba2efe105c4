#!/usr/bin/env bash
# Pacing faults, on a cluster of its own (oltp_sim.workers needs a restart):
#   - oltp_sim.workers = 64 with max_worker_processes = 8: the launcher says
#     once how many workers could not start, and oltp_sim.rate is shared
#     among the workers actually running (the divisor oltp_status() shows);
#   - oltp_sim.rate = 1e-13 paces one transaction per (very long) period,
#     where the period once overflowed int64 and read as "flat out".
# Prints TAP and exits non-zero on a failure.  Run as an unprivileged user.
set -uo pipefail
name=pacing
port=55220
. "$(dirname "$0")/lib/cluster.bash"

echo "1..6"
cluster_init "oltp_sim.enabled = on" "max_worker_processes = 8" "oltp_sim.workers = 64" \
	"oltp_sim.rate = 60" || { echo "Bail out! the cluster did not start"; exit 1; }
q "CREATE EXTENSION oltp_sim" >/dev/null
q "SELECT count(*) FROM oltp_seed(seed => 1)" >/dev/null

# 1. more workers than slots: every slot the server has left is used
# (the logical replication launcher and ours take two of the eight)
poll "SELECT workers > 0 AND workers = rate_shared_by AND committed > 0 FROM oltp_status()" 60
shared=$?
running=$(q "SELECT workers FROM oltp_status()")
[ $shared = 0 ] && [ "${running:-0}" -gt 0 ] && [ "$running" -lt 64 ] &&
	[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'oltp_sim worker'")" = "$running" ]
check "64 workers configured, $running running: the rate is shared by the $running" $?

q "SELECT detail = '$((64 - running)) of 64 workers could not start: no background worker slot is free'
   FROM oltp_status()" | grep -qx t
check "oltp_status() says how many could not start" $?

# the launcher tries again every 5 s: watch one retry go by
sleep 6
[ "$(log_count 'could not start')" = 1 ] &&
	grep -q "could not start $((64 - running)) of 64 workers" "$logfile"
check "said once in the log, with the number missing, however long it lasts" $?

# 2. a tiny rate, one worker
q "ALTER SYSTEM SET oltp_sim.workers = 1" >/dev/null
q "ALTER SYSTEM SET oltp_sim.rate = 1e-13" >/dev/null
cluster_restart
poll "SELECT state = 'running' AND committed >= 1 FROM oltp_status()" 60
check "rate 1e-13: the worker runs its first transaction" $?
first=$(q "SELECT committed FROM oltp_status()")
# flat out, this window would see thousands of operations; paced, none
sleep 2
[ "$(q "SELECT committed FROM oltp_status()")" = "$first" ]
check "rate 1e-13: no further transaction is due (not flat out)" $?
q "SELECT lag_ms = 0 AND state = 'running' FROM oltp_status()" | grep -qx t
check "rate 1e-13: running, ahead of its schedule (lag 0)" $?

finish
