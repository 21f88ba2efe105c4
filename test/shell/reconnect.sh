#!/usr/bin/env bash
# The launcher and the workers' reconnections, on a cluster of its own:
#   - a worker that exits on purpose to reconnect (oltp_sim.database
#     changed) is started again at once, never as a crash loop;
#   - a worker role without CONNECT on the database: the launcher says so
#     once, oltp_status() says waiting with the reason, no FATAL loop; a
#     GRANT is enough to stream;
#   - a waiting worker's log entry has no empty DETAIL line when the error
#     had no detail (an error at commit, from a deferred trigger).
# Prints TAP and exits non-zero on a failure.  Run as an unprivileged user.
set -uo pipefail
name=reconnect
port=55250
. "$(dirname "$0")/lib/cluster.bash"

streaming_in() {
	poll "SELECT state = 'running' AND EXISTS (SELECT FROM pg_stat_activity
	      WHERE backend_type = 'oltp_sim worker' AND datname = '$1' AND state IS NOT NULL)
	      AND (SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'oltp_sim worker')
	      FROM oltp_status()" 60
}

echo "1..7"
cluster_init "oltp_sim.enabled = on" "oltp_sim.rate = 50" ||
	{ echo "Bail out! the cluster did not start"; exit 1; }
q "CREATE DATABASE other" >/dev/null
for db in postgres other; do
	db=$db q "CREATE EXTENSION oltp_sim" >/dev/null
	db=$db q "SELECT count(*) FROM oltp_seed(seed => 1)" >/dev/null
done
streaming_in postgres
check "streaming into postgres" $?

# 1. four changes of database in a row: four exits on purpose, no backoff
ok=0
for db in other postgres other postgres; do
	q "ALTER SYSTEM SET oltp_sim.database = '$db'" >/dev/null
	q "SELECT pg_reload_conf()" >/dev/null
	streaming_in $db || ok=1
done
[ $ok = 0 ] && [ "$(log_count 'exits to reconnect')" -ge 4 ]
check "four changes of oltp_sim.database: the worker follows each" $?
[ "$(log_count 'keeps exiting')" = 0 ]
check "a worker that exits to reconnect is not treated as a crash loop" $?

# 2. a worker role without CONNECT
q "CREATE ROLE writer LOGIN;
   GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO writer;
   GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO writer;
   REVOKE CONNECT ON DATABASE postgres FROM PUBLIC" >/dev/null
q "ALTER SYSTEM SET oltp_sim.role = 'writer'" >/dev/null
q "SELECT pg_reload_conf()" >/dev/null
reason='role "writer" has no CONNECT privilege on database "postgres"'
poll "SELECT state = 'waiting' AND detail = '$reason' FROM oltp_status()" 60
check "no CONNECT: oltp_status() says waiting, with the reason" $?
# the launcher looks again every 5 s: watch one look go by
sleep 6
[ "$(grep -Fc "oltp_sim is waiting: $reason" "$logfile")" = 1 ] &&
	[ "$(log_count 'permission denied for database')" = 0 ]
check "said once in the log; no worker started into a FATAL" $?
q "GRANT CONNECT ON DATABASE postgres TO writer" >/dev/null
poll "SELECT state = 'running' AND EXISTS (SELECT FROM pg_stat_activity
      WHERE backend_type = 'oltp_sim worker' AND usename = 'writer') FROM oltp_status()" 60
check "GRANT CONNECT: it streams as the role" $?

# 3. an error without detail, at commit: waiting, and no empty DETAIL line.
# As the role of step 2: a worker connected as a superuser writes to no
# table carrying a trigger the extension did not make, and says so instead
q "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS \$\$BEGIN RAISE EXCEPTION 'refused at commit'; END\$\$;
   CREATE CONSTRAINT TRIGGER refuse AFTER INSERT ON consultas DEFERRABLE INITIALLY DEFERRED
   FOR EACH ROW EXECUTE FUNCTION public.refuse()" >/dev/null
poll "SELECT state = 'waiting' AND detail = 'a transaction failed: refused at commit' FROM oltp_status()" 60 &&
	grep -q "oltp_sim is waiting: a transaction failed: refused at commit" "$logfile" &&
	[ "$(grep -Ec 'DETAIL: +$' "$logfile")" = 0 ]
check "an error without detail is logged without an empty DETAIL line" $?
q "DROP TRIGGER refuse ON consultas" >/dev/null
poll "SELECT state = 'running' FROM oltp_status()" 60

finish
