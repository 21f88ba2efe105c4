#!/usr/bin/env bash
# oltp_sim.skew and oltp_sim.schedule, on a cluster of its own (autovacuum
# off, so that while the worker is idle nothing else writes table WAL):
#   - skew 0.8 gives the hottest 1% of the patients 0.01^0.2 = 39.8% of the
#     updates (+-5 points); skew 0 stays uniform (chi-square);
#   - a schedule of three phases (40 ops/s, idle, a ramp 20->80) gives each
#     phase its target within 5%, counted from the decoded commits in the
#     phase windows, which are computed from the schedule's anchor (the
#     Unix epoch), not from sleeps; the idle phase has no change and no WAL
#     record of a transaction, a table or a message;
#   - a reload changes the schedule mid-run; a malformed one is refused with
#     the position and the reason, by ALTER SYSTEM and on reload, and the
#     one in effect stays.
# Prints TAP and exits non-zero on a failure.  Run as an unprivileged user.
set -uo pipefail
name=schedule
port=55820
. "$(dirname "$0")/lib/cluster.bash"

echo "1..13"
cluster_init "autovacuum = off" "oltp_sim.enabled = off" "oltp_sim.log_every = 0" ||
	{ echo "Bail out! the cluster did not start"; exit 1; }
q "CREATE EXTENSION oltp_sim" >/dev/null
q "CREATE EXTENSION pg_walinspect" >/dev/null
q "SELECT count(*) FROM oltp_seed(rows => '{\"pacientes\": 1000}', seed => 1)" >/dev/null

# only the operation under test runs: every weight 0 but one
only() {
	for op in $(q "SELECT operation FROM oltp_operations()"); do
		q "ALTER SYSTEM SET oltp_sim.weight_$op = $([ "$op" = "$1" ] && echo 1 || echo 0)" >/dev/null
	done
}

# updates per patient id decoded from slot $1, into table $2
decode_updates() {
	q "CREATE TABLE $2 AS
	   SELECT p.id, count(u.id) AS n
	   FROM pacientes p LEFT JOIN (
	     SELECT substring(data FROM '^table [^ ]+\.pacientes: UPDATE: id\[bigint\]:([0-9]+)')::bigint AS id
	     FROM pg_logical_slot_get_changes('$1', NULL, NULL)) u USING (id)
	   GROUP BY p.id" >/dev/null
}

# run the worker until $1 more patient updates are committed, then stop it
run_updates() {
	local before
	before=$(q "SELECT rows FROM oltp_changes() WHERE table_name = 'pacientes' AND kind = 'update'")
	q "SELECT oltp_start()" >/dev/null
	poll "SELECT rows >= $before + $1 FROM oltp_changes() WHERE table_name = 'pacientes' AND kind = 'update'" 120
	local rc=$?
	q "SELECT oltp_stop()" >/dev/null
	poll "SELECT state = 'paused' FROM oltp_status()" 30
	return $rc
}

# 1. skew 0.8: the hottest 1% (10 of 1000 patients)
only update_paciente
q "ALTER SYSTEM SET oltp_sim.skew = 0.8" >/dev/null
reload_applied
q "SELECT pg_create_logical_replication_slot('skewed', 'test_decoding')" >/dev/null
run_updates 5000
check "skew 0.8: 5000 updates committed" $?
decode_updates skewed skewed
share=$(q "SELECT round(sum(n) FILTER (WHERE rk <= 10)::numeric / sum(n), 3)
           FROM (SELECT n, row_number() OVER (ORDER BY n DESC) AS rk FROM skewed) s")
q "SELECT abs($share - power(0.01, 0.2)) <= 0.05" | grep -qx t
check "skew 0.8: the hottest 1% of the rows got $share of the updates (0.01^0.2 = 0.398)" $?
# the hot rows are spread over the ids: the 10 hottest are not neighbours
# but spread over the first 512 ids (the largest power of two up to 1000)
q "SELECT max(id) - min(id) > 256 FROM (SELECT id FROM skewed ORDER BY n DESC LIMIT 10) h" | grep -qx t
check "skew 0.8: the hottest rows are spread over the first 512 ids" $?

# 2. skew 0: uniform, chi-square over the 1000 ids (999 degrees of freedom,
# mean 999, sd 45; skew 0.8 gives tens of thousands)
q "ALTER SYSTEM SET oltp_sim.skew = 0" >/dev/null
reload_applied
q "SELECT pg_create_logical_replication_slot('uniform', 'test_decoding')" >/dev/null
run_updates 5000 && decode_updates uniform uniform
chi=$(q "SELECT round(sum((n - e) ^ 2 / e)) FROM uniform, (SELECT sum(n)::float8 / count(*) AS e FROM uniform) x")
[ -n "$chi" ] && [ "$chi" -lt 1200 ]
check "skew 0: uniform (chi-square $chi < 1200 over 1000 rows)" $?
q "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots" >/dev/null

# 3. a schedule of three phases, 28 s, one insert per operation
only insert_paciente
q "ALTER SYSTEM SET oltp_sim.schedule = '10s@40, 8s@0, 10s@20->80'" >/dev/null
reload_applied
q "SELECT pg_create_logical_replication_slot('sched', 'test_decoding')" >/dev/null
q "SELECT oltp_start()" >/dev/null
# the first whole cycle from 2 s on, from the anchor: epoch multiples of 28 s
c=$(q "SELECT (floor((extract(epoch FROM clock_timestamp()) + 2) / 28) + 1) * 28")

# the idle phase of that cycle: oltp_status() shows it, and between a point
# early in it and one late in it nothing is committed and no WAL record
# of a table, a transaction or a message is written
poll "SELECT clock_timestamp() >= to_timestamp($c + 10.5)" 90
lsn1=$(q "SELECT pg_current_wal_insert_lsn()")
tx1=$(q "SELECT transactions FROM oltp_status()")
q "SELECT phase = 2 AND phase_text = '8s@0' AND phase_target = 0
          AND phase_left BETWEEN '6s' AND '8s' FROM oltp_status()" | grep -qx t
check "oltp_status() shows the idle phase: its number, text, target and time left" $?
poll "SELECT clock_timestamp() >= to_timestamp($c + 17)" 30
lsn2=$(q "SELECT pg_current_wal_insert_lsn()")
tx2=$(q "SELECT transactions FROM oltp_status()")
records=$(q "SELECT CASE WHEN '$lsn2'::pg_lsn > '$lsn1' THEN
               (SELECT count(*) FROM pg_get_wal_records_info('$lsn1', '$lsn2')
                WHERE resource_manager IN ('Heap', 'Heap2', 'Btree', 'Transaction',
                                           'LogicalMessage', 'Sequence'))
             ELSE 0 END")
[ "$tx1" = "$tx2" ] && [ "$records" = 0 ]
check "idle phase: no transaction ($tx1 -> $tx2) and no WAL of ours ($records records from $lsn1 to $lsn2)" $?

poll "SELECT clock_timestamp() >= to_timestamp($c + 29)" 60
q "CREATE TABLE decoded AS SELECT xid, data
   FROM pg_logical_slot_get_changes('sched', NULL, NULL, 'include-timestamp', 'on')" >/dev/null
per_phase() {
	q "WITH commits AS (
	     SELECT xid, substring(data FROM '\(at (.*)\)$')::timestamptz AS at
	     FROM decoded WHERE data LIKE 'COMMIT %')
	   SELECT count(*) FROM decoded d JOIN commits c USING (xid)
	   WHERE d.data LIKE 'table %.pacientes: INSERT:%'
	     AND c.at >= to_timestamp($c + $1) AND c.at < to_timestamp($c + $2)"
}
p1=$(per_phase 0 10)
p2=$(per_phase 10 18)
p3=$(per_phase 18 28)
[ -n "$p1" ] && [ "$p1" -ge 380 ] && [ "$p1" -le 420 ]
check "phase 1, 10s@40: $p1 inserts (400 +- 5%)" $?
[ "$p2" = 0 ]
check "phase 2, 8s@0: $p2 inserts" $?
[ -n "$p3" ] && [ "$p3" -ge 475 ] && [ "$p3" -le 525 ]
check "phase 3, 10s@20->80: $p3 inserts (the ramp's integral, 500 +- 5%)" $?

# 4. a reload changes the schedule mid-run: to idle (flat out or any rate
# would commit thousands in this window), then back to a rate
q "ALTER SYSTEM SET oltp_sim.schedule = '1h@0'" >/dev/null
reload_applied
before=$(q "SELECT committed FROM oltp_status()")
sleep 2
[ "$(q "SELECT committed FROM oltp_status()")" = "$before" ] &&
	q "SELECT phase = 1 AND phase_text = '1h@0' AND phase_target = 0 FROM oltp_status()" | grep -qx t
check "a reload to '1h@0' mid-run: the stream goes idle at once" $?
q "ALTER SYSTEM SET oltp_sim.schedule = '30min@25, 30min@50'" >/dev/null
reload_applied
poll "SELECT committed >= $before + 50 FROM oltp_status()" 60 &&
	q "SELECT phase_text IN ('30min@25', '30min@50') AND phase_target IN (25, 50) FROM oltp_status()" | grep -qx t
check "a reload from '1h@0' to '30min@25, 30min@50' resumes the stream at once" $?

# 5. a malformed schedule is refused, with where and why
out=$("$bindir/psql" -X -q -At -h "$dir" -p "$port" -d postgres \
	-c "ALTER SYSTEM SET oltp_sim.schedule = '10s@40, 8x@0'" 2>&1)
echo "$out" | grep -q 'invalid value for parameter "oltp_sim.schedule"' &&
	echo "$out" | grep -q 'DETAIL:  At character 10 (phase 2): unknown unit "x" (ms, s, min, h or d).'
check "ALTER SYSTEM refuses '10s@40, 8x@0' at character 10, phase 2" $?

# on reload: the bad value in the file is refused and the old one stays
sed -i "s/^oltp_sim.schedule = .*/oltp_sim.schedule = '5min@50, 30s@'/" "$data/postgresql.auto.conf"
q "SELECT pg_reload_conf()" >/dev/null
deadline=$((SECONDS + 30))
until grep -q 'At character 14 (phase 2): expected a rate' "$logfile" || [ $SECONDS -ge $deadline ]; do
	sleep 0.2
done
before=$(q "SELECT committed FROM oltp_status()")
[ "$(q "SHOW oltp_sim.schedule")" = "30min@25, 30min@50" ] &&
	poll "SELECT committed >= $before + 20 FROM oltp_status()" 60 &&
	grep -q 'At character 14 (phase 2): expected a rate in operations per second, 0 for idle.' "$logfile"
check "a reload of '5min@50, 30s@' is refused (logged with its position) and the old schedule stays" $?

finish
