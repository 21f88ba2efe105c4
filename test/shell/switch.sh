#!/usr/bin/env bash
# oltp_start() / oltp_stop() across crash restarts and restarts, on a
# cluster of its own (a crash restart would drop a pg_regress session):
#   - oltp_start() with oltp_sim.enabled = off: after kill -9 of the worker
#     (shared memory is created again) and after a clean restart, it streams;
#   - oltp_stop() with oltp_sim.enabled = on: after kill -9, still paused;
#   - changing oltp_sim.enabled takes over, also for the next crash, and a
#     server started with another value of the setting drops the switch;
#   - a switch file that cannot be written (a directory there) or read (no
#     permission): one clear line in the log each time, and oltp_start() and
#     oltp_stop() still switch.
# Prints TAP and exits non-zero on a failure.  Run as an unprivileged user.
set -uo pipefail
name=switch
port=55240
. "$(dirname "$0")/lib/cluster.bash"

switch_file=$data/oltp_sim.switch
worker_pid() { q "SELECT pid FROM pg_stat_activity WHERE backend_type = 'oltp_sim worker'"; }
# kill -9 the worker; wait for the crash restart to bring a new one
crash() {
	local old
	old=$(worker_pid)
	kill -9 "${old:-0}"
	poll "SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'oltp_sim worker' AND pid <> ${old:-0}" 60
}
streaming="SELECT state = 'running' AND committed > 0 FROM oltp_status()"
stopped="SELECT state = 'paused' AND detail = 'stopped by oltp_stop()' FROM oltp_status()"
# one query, its messages (stderr) included
q_msgs() { "$bindir/psql" -X -q -At -h "$dir" -p "$port" -d postgres -c "$1" 2>&1 >/dev/null; }

echo "1..13"
cluster_init "oltp_sim.enabled = off" "oltp_sim.rate = 50" "restart_after_crash = on" ||
	{ echo "Bail out! the cluster did not start"; exit 1; }
q "CREATE EXTENSION oltp_sim" >/dev/null
q "SELECT count(*) FROM oltp_seed(seed => 1)" >/dev/null

q "SELECT oltp_start()" >/dev/null
poll "$streaming" 60
check "oltp_start() with oltp_sim.enabled = off: it streams" $?

crash
poll "$streaming" 60
check "after kill -9 of the worker, oltp_start() still holds: it streams again" $?

cluster_restart
poll "$streaming" 60
check "after a clean restart, oltp_start() still holds" $?

# the other way round
q "ALTER SYSTEM SET oltp_sim.enabled = on" >/dev/null
q "SELECT pg_reload_conf()" >/dev/null
q "SELECT oltp_stop()" >/dev/null
poll "SELECT state = 'paused' AND detail = 'stopped by oltp_stop()' FROM oltp_status()" 30 &&
	crash &&
	poll "SELECT state = 'paused' AND detail = 'stopped by oltp_stop()' FROM oltp_status()" 60
check "oltp_stop() with oltp_sim.enabled = on: still paused after kill -9" $?

# a change of the setting takes over, on disk too
q "ALTER SYSTEM SET oltp_sim.enabled = off" >/dev/null
q "SELECT pg_reload_conf()" >/dev/null
poll "SELECT state = 'paused' AND detail = 'oltp_sim.enabled is off' FROM oltp_status()" 30
check "changing oltp_sim.enabled takes over from oltp_stop()" $?
q "ALTER SYSTEM SET oltp_sim.enabled = on" >/dev/null
q "SELECT pg_reload_conf()" >/dev/null
poll "$streaming" 30 && crash && poll "$streaming" 60 && [ ! -e "$switch_file" ]
check "after the setting took over, a crash follows the setting (no switch left on disk)" $?

# a server started with the setting changed drops the switch
q "ALTER SYSTEM SET oltp_sim.enabled = off" >/dev/null
q "SELECT pg_reload_conf()" >/dev/null
poll "SELECT state = 'paused' FROM oltp_status()" 30
q "SELECT oltp_start()" >/dev/null
poll "$streaming" 30 && [ -e "$switch_file" ]
check "oltp_start() is kept on disk" $?
# changed while the server is down (no reload on the way): dropped at start
q "ALTER SYSTEM SET oltp_sim.enabled = on" >/dev/null
cluster_restart
poll "$streaming" 60 && [ ! -e "$switch_file" ]
check "a server started with the setting changed drops the switch" $?


# a directory where the switch file goes: it cannot be written, said once
# per call, and the functions switch all the same (until a restart)
cannot_write='WARNING: +could not write the run switch "oltp_sim.switch": Is a directory'
mkdir "$switch_file"
msgs=$(q_msgs "SELECT oltp_stop()")
[ "$(grep -Ec '^(WARNING|ERROR)' <<<"$msgs")" = 1 ] && grep -Eq "^$cannot_write" <<<"$msgs" &&
	poll "$stopped" 30 && [ ! -e "$switch_file.tmp" ] && [ "$(log_count "$cannot_write")" = 1 ]
check "a directory in place of the switch file: oltp_stop() stops, with one WARNING, no temporary file left" $?
q "SELECT oltp_start()" >/dev/null
poll "$streaming" 30 && [ ! -e "$switch_file.tmp" ] && [ "$(log_count "$cannot_write")" = 2 ]
check "and oltp_start() streams again, said once more in the log" $?
cluster_restart
poll "$streaming" 60 &&
	[ "$(log_count 'could not read its run switch "oltp_sim.switch": Is a directory')" = 1 ]
check "a server started with the directory there says so once and follows oltp_sim.enabled" $?
rmdir "$switch_file"

# an unreadable switch file: dropped at start, said once; the functions
# replace it
q "SELECT oltp_stop()" >/dev/null
poll "$stopped" 30 && chmod 000 "$switch_file" && cluster_restart &&
	poll "$streaming" 60 &&
	[ "$(log_count 'could not read its run switch "oltp_sim.switch": Permission denied')" = 1 ]
check "an unreadable switch file at start: said once in the log, the stream follows oltp_sim.enabled" $?
q "SELECT oltp_stop()" >/dev/null
poll "$stopped" 30 && chmod 000 "$switch_file" && msgs=$(q_msgs "SELECT oltp_start()") &&
	[ -z "$msgs" ] && poll "$streaming" 30 && [ "$(cat "$switch_file")" = "started on" ]
check "oltp_start() over an unreadable switch file: no error, it streams, the file holds the switch" $?

finish
