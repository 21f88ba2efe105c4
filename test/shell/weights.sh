#!/usr/bin/env bash
# The weight settings, on a cluster of its own (a server start is part of
# the test, so it cannot be a pg_regress file):
#   - their descriptions in pg_settings, read in a new session, are the
#     ones defined (they once pointed at the postmaster's freed memory);
#   - every weight zero, whether in postgresql.conf at server start or by
#     ALTER SYSTEM and a reload, gives the same state and reason: the
#     worker waits, says so once, and streams when a reload brings a weight;
#   - the log's DETAIL says what makes each weight zero: the settings at 0,
#     and the profile for those left at -1 (0.2.0 spoke of weights "left at
#     -1" whatever they were set to).
# Prints TAP and exits non-zero on a failure.  Run as an unprivileged user.
set -uo pipefail
name=weights
port=55210
. "$(dirname "$0")/lib/cluster.bash"

ops="insert_paciente insert_consulta insert_exame insert_internacao update_paciente update_consulta update_exame update_internacao"
zeros=()
for op in $ops; do zeros+=("oltp_sim.weight_$op = 0"); done
reason="every operation's weight in effect is zero"
waiting="SELECT state = 'waiting' AND detail = \$r\$$reason\$r\$ AND ops_per_sec = 0 FROM oltp_status()"
said="oltp_sim is waiting: every operation.s weight in effect is zero"

echo "1..9"
cluster_init "oltp_sim.enabled = on" "${zeros[@]}" || { echo "Bail out! the cluster did not start"; exit 1; }

q "SELECT count(*) >= 8 AND bool_and(short_desc = format('Relative weight of the %s operation in the stream.', substr(name, 17))
     AND extra_desc = 'The stream picks each operation with probability weight / sum of weights. 0 leaves it out; -1 takes the weight of oltp_sim.profile.')
   FROM pg_settings WHERE name LIKE 'oltp_sim.weight%'" | grep -qx t
check "pg_settings shows each weight's own description in a new session" $?

q "CREATE EXTENSION oltp_sim" >/dev/null
q "SELECT count(*) FROM oltp_seed(seed => 1)" >/dev/null

# 1. all eight zero in postgresql.conf at server start
poll "$waiting" 30
check "all eight zero at server start: waiting, \"$reason\", no ops/s" $?
# another reload the worker applies; still one line in the log
reload_applied
[ "$(q "SELECT sum(weight) = 0 AND sum(committed) = 0 FROM oltp_operations()")" = t ] &&
	[ "$(log_count "$said")" = 1 ]
check "every weight applied as zero, nothing committed, said once in the log" $?

nops=$(q "SELECT count(*) FROM oltp_operations()")
[ "$(log_count "DETAIL:  8 oltp_sim.weight_\* settings are 0, and profile \"hospital\" \(oltp_sim.profile\) gives weight 0 to the $((nops - 8)) operations whose setting is left at -1\.")" = 1 ]
check "the DETAIL says which weights are set to 0 and which the profile makes 0" $?

# 2. a reload that brings one weight back
q "ALTER SYSTEM SET oltp_sim.weight_insert_paciente = 1" >/dev/null
q "SELECT pg_reload_conf()" >/dev/null
poll "SELECT state = 'running' AND committed > 0 FROM oltp_status()" 30
check "a reload giving one weight back: it streams" $?

# all eight zero: waiting with the reason, no weight applied, said $1 times
all_zero() {
	poll "$waiting" 30
	check "$2: the same state and reason" $?
	[ "$(q "SELECT sum(weight) = 0 FROM oltp_operations()")" = t ] &&
		[ "$(log_count "$said")" = "$1" ]
	check "$2: no weight survives, and it is said once more" $?
}

# 3. all eight zero again, by ALTER SYSTEM and a reload
for op in $ops; do q "ALTER SYSTEM SET oltp_sim.weight_$op = 0" >/dev/null; done
reload_applied
all_zero 2 "all eight zero by ALTER SYSTEM and a reload"

# 4. the same ALTER SYSTEM settings read at server start
cluster_restart
all_zero 3 "the same settings after a restart"

finish
