#!/usr/bin/env bash
# Two sessions changing publications at once, on a cluster of its own: the
# record of what each publication publishes of the extension's tables (for
# pg_dump, oltp_sim_publication_tables) is written by one session at a time.
# A prepared transaction holds a CREATE PUBLICATION while another session
# creates a FOR ALL TABLES publication, as two connectors starting together
# do: the second waits, then commits, and the record equals the catalog.
# (Without the wait the second failed on the record's primary key.)
# Prints TAP and exits non-zero on a failure.  Run as an unprivileged user.
set -uo pipefail
name=publication_race
port=55980
. "$(dirname "$0")/lib/cluster.bash"

echo "1..3"
cluster_init "max_prepared_transactions = 2" ||
	{ echo "Bail out! the cluster did not start"; exit 1; }
q "CREATE EXTENSION oltp_sim" >/dev/null
q "SELECT oltp_publication()" >/dev/null

q "BEGIN; CREATE PUBLICATION first_pub FOR TABLE pacientes, medicos; PREPARE TRANSACTION 'first'" >/dev/null
"$bindir/psql" -X -q -At -h "$dir" -p "$port" -d postgres \
	-c "CREATE PUBLICATION all_pub FOR ALL TABLES" >"$dir/second.out" 2>&1 &
second=$!
# the second session waits for the first
poll "SELECT count(*) = 1 FROM pg_stat_activity WHERE query LIKE 'CREATE PUBLICATION all_pub%' AND wait_event_type = 'Lock'" 30
check "the second CREATE PUBLICATION waits for the first's transaction" $?
q "COMMIT PREPARED 'first'" >/dev/null
wait "$second"
rc=$?
err=$(grep -m1 ERROR "$dir/second.out")
[ "$rc" = 0 ] && [ -z "$err" ] && [ "$(q "SELECT count(*) FROM pg_publication WHERE pubname = 'all_pub'")" = 1 ]
check "then it commits (rc $rc${err:+: $err})" $?

recorded=$(q "SELECT string_agg(pubname || '.' || table_name, ' ' ORDER BY pubname, table_name) FROM oltp_sim_publication_tables")
catalog=$(q "SELECT string_agg(p.pubname || '.' || c.relname, ' ' ORDER BY p.pubname, c.relname)
             FROM pg_publication p JOIN pg_publication_rel pr ON pr.prpubid = p.oid
             JOIN pg_class c ON c.oid = pr.prrelid")
echo "# recorded: $recorded" >&2
[ -n "$recorded" ] && [ "$recorded" = "$catalog" ] && [[ " $recorded " == *" first_pub.pacientes "* ]]
check "the record holds what each publication lists of the tables, first_pub's too" $?
