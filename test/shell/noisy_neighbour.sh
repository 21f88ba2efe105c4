#!/usr/bin/env bash
# The noisy neighbour, on a cluster of its own (WAL segments of 1 MB,
# max_slot_wal_keep_size = 4MB): the set audit's logs_acesso is in no
# publication, and the profile noisy_neighbour writes only to it.
#   - oltp_add_tables('audit') publishes nothing of it: not in oltp_sim, not
#     in a publication oltp_publication() makes, not in the records;
#   - the noisy writes are counted like any operation's, and nothing else
#     is written;
#   - a pgoutput slot on the publication that nobody reads: the WAL grows,
#     the slot is lost at a checkpoint (wal_status 'lost');
#   - a consumer that does what Debezium's heartbeats do (pg_recvlogical on
#     pgoutput, and after each round an action query writing to a
#     published table, heartbeat.action.query): through three times the
#     WAL that lost the first slot, its slot stays 'reserved' at every
#     checkpoint and its restart_lsn moves on; it received the heartbeats
#     and nothing of logs_acesso;
#   - CALL oltp_run under noisy_neighbour replays: the same seed on the
#     same seeded data writes the same entries (oltp_checksums()).
# The worker runs in rounds (oltp_sim.max_ops raised by 5, about 1 MB of
# WAL), each ended by a CHECKPOINT, which is when a slot is given up.
# Prints TAP and exits non-zero on a failure.  Run as an unprivileged user.
set -uo pipefail
name=noisy_neighbour
port=55970
initdb_opts="--wal-segsize=1"
. "$(dirname "$0")/lib/cluster.bash"

echo "1..6"
cluster_init "max_slot_wal_keep_size = '4MB'" "oltp_sim.profile = 'noisy_neighbour'" \
	"oltp_sim.batch_rows = 1000" || { echo "Bail out! the cluster did not start"; exit 1; }
q "CREATE EXTENSION oltp_sim" >/dev/null
q "SELECT count(*) FROM oltp_seed(seed => 3, scale => 0.1)" >/dev/null
added=$(q "SELECT string_agg(table_name, ',') FROM oltp_add_tables('audit', seed => 4)")
q "SELECT oltp_publication('other')" >/dev/null
in_pubs=$(q "SELECT count(*) FROM pg_publication_tables WHERE tablename = 'logs_acesso'")
in_records=$(q "SELECT count(*) FROM oltp_sim_publication_tables WHERE table_name = 'logs_acesso'")
core=$(q "SELECT string_agg(pubname || '=' || n, ' ' ORDER BY pubname) FROM
          (SELECT pubname, count(*) AS n FROM pg_publication_tables GROUP BY pubname) p")
[ "$added" = logs_acesso ] && [ "$in_pubs" = 0 ] && [ "$in_records" = 0 ] && [ "$core" = "oltp_sim=7 other=7" ]
check "the set audit added ($added): logs_acesso in $in_pubs publications and $in_records records; the core tables in each ($core)" $?

seeded=$(q "SELECT count(*) FROM logs_acesso")
q "CREATE TABLE before AS SELECT sum(row_count) - (SELECT count(*) FROM logs_acesso) AS published FROM oltp_counts()" >/dev/null

# one round: 5 more operations of the worker (stopped by max_ops), then a
# checkpoint, which gives up a slot that holds more than the cap
target=0
round() {
	target=$((target + 5))
	q "ALTER SYSTEM SET oltp_sim.max_ops = $target" >/dev/null
	reload_applied >/dev/null
	q "SELECT oltp_start()" >/dev/null
	poll "SELECT committed >= $target FROM oltp_status()" 60 || return 1
	q "CHECKPOINT" >/dev/null
}
status() { q "SELECT wal_status FROM pg_replication_slots WHERE slot_name = '$1'"; }

# part 1: a slot on the publication that nobody reads
q "SELECT 'created' FROM pg_create_logical_replication_slot('idle', 'pgoutput')" >/dev/null
start=$(q "SELECT pg_current_wal_lsn()")
first=$(status idle)
rounds=0
while [ $rounds -lt 40 ] && [ "$(status idle)" != lost ]; do
	round || break
	rounds=$((rounds + 1))
done
lost_after=$(q "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '$start')")
now=$(status idle)
[ "$first" = reserved ] && [ "$now" = lost ] && [ "$lost_after" -gt $((4 * 1024 * 1024)) ]
check "a pgoutput slot nobody reads: $first, then $now after $rounds rounds, $((lost_after / 1024)) kB of WAL" $?

ops=$(q "SELECT committed FROM oltp_operations() WHERE operation = 'write_logs_acesso'")
counted=$(q "SELECT coalesce(sum(rows), 0) FROM oltp_changes() WHERE table_name = 'logs_acesso' AND kind = 'insert'")
others=$(q "SELECT coalesce(sum(rows), 0) FROM oltp_changes() WHERE table_name <> 'logs_acesso'")
grew=$(($(q "SELECT count(*) FROM logs_acesso") - seeded))
quiet=$(q "SELECT sum(row_count) - (SELECT count(*) FROM logs_acesso) = (SELECT published FROM before) FROM oltp_counts()")
[ "$ops" = "$target" ] && [ "$counted" = $((target * 1000)) ] && [ "$grew" = "$counted" ] && [ "$others" = 0 ] && [ "$quiet" = t ]
check "counted: $ops write_logs_acesso committed, $counted logs_acesso inserts = the table's growth ($grew); $others changes elsewhere, the published tables unchanged" $?

# part 2: the same WAL and more, read by a consumer with heartbeats
q "SELECT pg_drop_replication_slot('idle')" >/dev/null
q "CREATE TABLE heartbeat (id int PRIMARY KEY, ts timestamptz NOT NULL)" >/dev/null
q "ALTER PUBLICATION oltp_sim ADD TABLE heartbeat" >/dev/null
q "SELECT 'created' FROM pg_create_logical_replication_slot('hb', 'pgoutput')" >/dev/null
out=$dir/received.bin
"$bindir/pg_recvlogical" -h "$dir" -p "$port" -d postgres -S hb --start -f "$out" -F 1 -s 1 \
	-o proto_version=1 -o publication_names=oltp_sim 2>"$dir/recvlogical.log" &
recv=$!
trap 'kill $recv 2>/dev/null; cluster_stop' EXIT
start=$(q "SELECT pg_current_wal_lsn()")
restart0=$(q "SELECT restart_lsn FROM pg_replication_slots WHERE slot_name = 'hb'")
seen=""
beats=0
while [ "$(q "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '$start') > 3 * $lost_after")" != t ]; do
	round || break
	seen="$seen $(status hb)"
	# heartbeat.action.query, then the consumer confirms past it
	lsn=$(q "INSERT INTO heartbeat VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET ts = EXCLUDED.ts;
	         SELECT pg_current_wal_lsn()")
	poll "SELECT confirmed_flush_lsn >= '$lsn' FROM pg_replication_slots WHERE slot_name = 'hb'" 60 || break
	beats=$((beats + 1))
done
written=$(q "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '$start')")
moved=$(q "SELECT pg_wal_lsn_diff(restart_lsn, '$restart0') FROM pg_replication_slots WHERE slot_name = 'hb'")
[ "$written" -gt $((3 * lost_after)) ] && [ -n "$seen" ] && [ -z "$(echo "$seen" | tr ' ' '\n' | grep -v '^reserved$' | grep -v '^$')" ] &&
	[ "$(status hb)" = reserved ] && [ "${moved:-0}" -gt "$lost_after" ]
check "with heartbeats: $((written / 1024)) kB of WAL, the slot at each checkpoint:$seen; restart_lsn moved $((${moved:-0} / 1024)) kB" $?

n_hb=$(grep -ac 'heartbeat' "$out")
n_logs=$(grep -ac 'logs_acesso' "$out")
[ "$beats" -gt 0 ] && [ "$n_hb" -gt 0 ] && [ "$n_logs" = 0 ]
check "the consumer received the $beats heartbeats (heartbeat in $n_hb lines) and nothing of logs_acesso ($n_logs lines)" $?

kill $recv 2>/dev/null

# replayed: the same seeded data and seed write the same entries
replay() {
	q "SELECT count(*) FROM oltp_reset(seed => 3, scale => 0.1, anchor => '2026-01-15')" >/dev/null
	"$bindir/psql" -X -q -h "$dir" -p "$port" -d postgres \
		-c "CALL oltp_run(ops => 4, seed => $1, anchor => '2026-01-15', profile => 'noisy_neighbour')" >/dev/null 2>&1
	q "SELECT row_count || ' ' || digest FROM oltp_checksums(ARRAY['logs_acesso'], exclude_columns => '{created_at,updated_at}')"
}
a=$(replay 7)
b=$(replay 7)
c=$(replay 8)
# (400 entries seeded at scale 0.1, and 4 operations of 1000)
[ -n "$a" ] && [ "$a" = "$b" ] && [ "$a" != "$c" ] && [ "${a%% *}" = 4400 ] && [ "${c%% *}" = 4400 ]
check "CALL oltp_run(profile => 'noisy_neighbour') replays: seed 7 twice gives the same logs_acesso ($a), seed 8 another ($c)" $?
finish
