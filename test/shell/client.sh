#!/usr/bin/env bash
# oltp_sim_client, the extension's engine over libpq, on a cluster of its own
# started WITHOUT the library preloaded, as a role that is not a superuser
# and owns its database (app, database app):
#   - the options: --help, a bad option and a bad setting end with pgbench's
#     exit status 1, the setting's message the server's;
#   - init (every opt-in set, a publication) makes the tables as
#     CREATE EXTENSION and oltp_add_tables make them: the same columns,
#     types, defaults, constraints, indexes, triggers and replica
#     identities, owned by app, all in the publication;
#   - one engine: seed --seed 7 gives the rows oltp_reset(seed => 7) gives
#     in a second database with the extension (the same anchor), and for
#     every profile, seed 7 + run --ops 3000 --seed 7 gives the rows of
#     oltp_reset(seed => 7) + CALL oltp_run(ops => 3000, seed => 7):
#     every table's digest (the audit columns left out: they keep the wall
#     clock) equal;
#   - the sets partitions and schema_changes (every set the extension
#     has): the announcements of the runs' partition and schema changes
#     are the extension's, message for message (a checksum's digest left
#     out: it covers the audit columns);
#   - checksums and counts print what oltp_checksums() and oltp_counts()
#     print on the database with the extension;
#   - stream, two connections: --ops 600 stops at 600 operations, and its
#     summary's rows committed are what the tables gained (inserts less
#     deletes, per table); a kill -INT stops a stream without limit after
#     its transactions, exit 0, its summary again what the tables gained;
#   - stream under every profile of the extension: ends at --ops, nothing
#     failed;
#   - the client as the writer of a decoded stream: a stream of two
#     connections under everything (TRUNCATEs and cascades included) and
#     one under decoding (logical messages, transactions rolled back), read
#     by test_decoding from a slot made before it, hold per table and kind
#     exactly the changes the summaries say were committed, and the
#     logical messages they say were written (the transactional ones of
#     committed transactions, every non-transactional one); and streams
#     under the profiles partitions and schema_changes (partitions decoded
#     as eventos_leito), their announcements decoded as their summaries
#     count them, each the message the history table recorded;
#   - watermarks (oltp_sim.watermark_every) from the stream as role app:
#     per connection, seq consecutive, one every N operations, the last
#     ones' ops what was committed; a role that may not call
#     pg_logical_emit_message gets a one-line note and no watermarks.
#   - a stream whose commits fail (one operation a transaction: its Sync,
#     deferred to the next transaction's pipeline, is its commit): each
#     failed transaction counted and its error printed, nothing of it in
#     the rows committed, the operations added up;
#   - a stream's transactions in flight (--in-flight): a stream of one
#     operation a transaction sends the next ones while the server runs the
#     first, their answers unread (the server's connection ended while it
#     waits in the first: all of them failed, none committed; one with
#     --in-flight 0), and a stream whose operations fail at the server
#     (triggers: an error the operation expects, one it does not, rows left
#     unchanged) counts what test_decoding decodes, per table and kind, its
#     operations added up, each error printed.
# Prints TAP and exits non-zero on a failure.  Run as an unprivileged user.
set -uo pipefail
name=client
port=55960
. "$(dirname "$0")/lib/cluster.bash"

cluster_init "shared_preload_libraries = ''" ||
	{ echo "Bail out! the cluster did not start"; exit 1; }
# the database with the extension and every opt-in set the client
# creates; the profiles and the sets from the extension itself, so a new
# one is tested too, unless the client's --help leaves it out of the sets
# it creates (said below, in a comment line)
q "CREATE DATABASE ext" >/dev/null
db=ext q "CREATE EXTENSION oltp_sim" >/dev/null
client_sets=$("$bindir/oltp_sim_client" --help | sed -n 's/^  --sets=SET\[,SET\] *the opt-in sets too: //p' | tr -d ' ')
sets= not_created=
for set in $(db=ext q "SELECT DISTINCT table_set FROM oltp_tables() WHERE table_set <> 'core' ORDER BY 1"); do
	if [[ ",$client_sets," == *",$set,"* ]]; then
		sets=${sets:+$sets,}$set
		db=ext q "SELECT oltp_add_tables('$set')" >/dev/null
	else
		not_created="$not_created $set"
	fi
done
# the tables there are (precos_lote, of the set schema_changes, only when the stream makes it)
ntables=$(db=ext q "SELECT count(*) FROM oltp_tables() WHERE (table_set = 'core' OR table_set = ANY (pg_catalog.string_to_array('$sets', ',')))
	AND pg_catalog.to_regclass(pg_catalog.quote_ident(table_name)) IS NOT NULL")
profiles=$("$bindir/psql" -X -q -At -h "$dir" -p "$port" -d ext -c "LOAD 'oltp_sim'" \
	-c "SELECT pg_catalog.array_to_string(enumvals, ' ') FROM pg_settings WHERE name = 'oltp_sim.profile'")
echo "1..$((23 + $(echo $profiles | wc -w)))"
[ -z "$not_created" ] || echo "# sets of the extension the client does not create (its --help):$not_created"
client=$bindir/oltp_sim_client
anchor=2026-01-01
audit=created_at,updated_at,data_cadastro
# the client on database app as role app; on the extension's database as postgres
app() { "$client" -h "$dir" -p "$port" -U app -d app "$@"; }
ext() { db=ext q "$1"; }
sums_app() { app checksums --exclude "$audit"; }
sums_ext() { ext "SELECT * FROM oltp_checksums(exclude_columns => '{$audit}')"; }

[ -x "$client" ] && [ "$(q "SHOW shared_preload_libraries")" = "" ]
check "oltp_sim_client is installed in the server's bindir; the server runs without the library" $?

"$client" --help >"$dir/help.txt" && grep -q '^  oltp_sim.weight_insert_paciente ' "$dir/help.txt" &&
	{ "$client" --no-such-option >/dev/null 2>&1; [ $? = 1 ]; } &&
	{ "$client" --set rate=-1 run 2>"$dir/rate.txt"; [ $? = 1 ]; } &&
	grep -q 'outside the valid range for parameter "oltp_sim.rate"' "$dir/rate.txt" &&
	{ "$client" --set schedule=bogus run 2>"$dir/schedule.txt"; [ $? = 1 ]; } &&
	grep -q '^DETAIL:  At character 1 (phase 1)' "$dir/schedule.txt" &&
	{ "$client" --set interval=5 stream 2>"$dir/interval.txt"; [ $? = 1 ]; } &&
	grep -q 'parameter "oltp_sim.interval" is the workers' "$dir/interval.txt" &&
	! grep -q '^  oltp_sim.interval ' "$dir/help.txt"
check "--help lists the settings the client reads; a bad option, bad settings and a setting of the workers' exit 1 with the server's messages" $?

q "CREATE ROLE app LOGIN" >/dev/null
q "CREATE DATABASE app OWNER app" >/dev/null
[ "$(q "SELECT rolsuper OR rolreplication OR rolcreaterole FROM pg_roles WHERE rolname = 'app'")" = f ]
check "role app is no superuser and owns database app" $?

app --sets "$sets" --publication oltp_pub init >"$dir/init.txt" 2>&1
ok=$?
# the publication oltp_publication() makes of the same tables
db=ext q "SELECT oltp_publication('oltp_pub')" >/dev/null
published="SELECT tablename FROM pg_publication_tables WHERE pubname = 'oltp_pub' ORDER BY 1"
[ $ok = 0 ] && grep -q '^publication oltp_pub created$' "$dir/init.txt" && [ "$ntables" -ge 14 ] &&
	[ "$(db=app q "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p')
		AND NOT relispartition AND relname NOT LIKE 'oltp_sim%' AND relowner = 'app'::regrole")" = "$ntables" ] &&
	[ "$(db=app q "SELECT relowner::regrole FROM pg_class WHERE oid = 'public.oltp_sim_announcements'::regclass")" = app ] &&
	[ "$(db=ext q "$published" | grep -c .)" -ge 14 ] && [ "$(db=app q "$published")" = "$(db=ext q "$published")" ]
check "init --sets $sets: $ntables tables owned by app; publication oltp_pub of the tables oltp_publication() publishes" $?
# the model's tables in the catalog: what init must reproduce (the
# partitions of months left out: the extension's set is seeded, and
# seeding makes them)
catalog() {
	local mine="c.relnamespace = 'public'::regnamespace AND c.relname NOT LIKE 'oltp_sim%'
		AND NOT (c.relispartition AND pg_catalog.pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT')"
	db=$1 q "
	SELECT c.relname, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
	       pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attstorage, c.relreplident
	FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
	LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
	WHERE $mine AND c.relkind IN ('r', 'p')
	ORDER BY 1, 2;
	SELECT conrelid::regclass, conname, pg_catalog.pg_get_constraintdef(n.oid) FROM pg_constraint n
	JOIN pg_class c ON c.oid = n.conrelid WHERE $mine ORDER BY conrelid::regclass::text, 2;
	SELECT pg_catalog.pg_get_indexdef(indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
	WHERE $mine ORDER BY 1;
	SELECT pg_catalog.pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
	WHERE NOT t.tgisinternal AND $mine ORDER BY 1"
}
catalog app >"$dir/catalog_app.txt"
catalog ext >"$dir/catalog_ext.txt"
[ "$(grep -c . "$dir/catalog_app.txt")" -gt 150 ] && diff "$dir/catalog_ext.txt" "$dir/catalog_app.txt" >"$dir/catalog.diff"
ok=$?
check "init: columns, types, defaults, storage, replica identities, constraints, indexes and triggers as the extension's ($(grep -c . "$dir/catalog_app.txt") lines)" $ok

# oltp_reset makes the publication oltp_sim where there is none: app makes
# it too (of the same tables), so that both databases have the same
# publications, which the set schema_changes' announcements name
"$bindir/psql" -X -q -h "$dir" -p "$port" -U app -d app -c "DO \$\$ BEGIN EXECUTE (SELECT
	'CREATE PUBLICATION oltp_sim FOR TABLE ' || pg_catalog.string_agg(pg_catalog.format('%I.%I', schemaname, tablename), ', ')
	FROM pg_publication_tables WHERE pubname = 'oltp_pub'); END \$\$" >/dev/null
app --seed 7 --anchor "$anchor" seed >"$dir/seed.txt" 2>&1
[ $? = 0 ] && [ "$(grep -c ' rows ' "$dir/seed.txt")" = "$ntables" ]
check "seed: every table seeded, as role app" $?

ext "SELECT count(*) FROM oltp_reset(seed => 7, anchor => '$anchor')" >/dev/null
sums_app >"$dir/seed_app.txt"
sums_ext >"$dir/seed_ext.txt"
[ "$(grep -c . "$dir/seed_ext.txt")" = "$ntables" ] && diff "$dir/seed_ext.txt" "$dir/seed_app.txt" >/dev/null
check "one engine: seed --seed 7 = oltp_reset(seed => 7), the digests of all $ntables tables" $?

"$client" -h "$dir" -p "$port" -d ext checksums >"$dir/cs_client.txt" 2>&1 &&
	ext "SELECT * FROM oltp_checksums()" >"$dir/cs_ext.txt" &&
	[ "$(grep -c . "$dir/cs_ext.txt")" = "$ntables" ] && diff "$dir/cs_ext.txt" "$dir/cs_client.txt" >/dev/null
check "checksums prints what oltp_checksums() prints, audit columns included" $?

"$client" -h "$dir" -p "$port" -d ext counts >"$dir/counts_client.txt" 2>&1 &&
	ext "SELECT * FROM oltp_counts()" >"$dir/counts_ext.txt" &&
	[ "$(grep -c . "$dir/counts_ext.txt")" = "$ntables" ] && diff "$dir/counts_ext.txt" "$dir/counts_client.txt" >/dev/null
check "counts prints what oltp_counts() prints" $?

for profile in $profiles; do
	app --seed 7 --anchor "$anchor" seed >/dev/null 2>&1 &&
		app --ops 3000 --seed 7 --anchor "$anchor" --profile "$profile" run >"$dir/client_run_$profile.txt" 2>&1
	ok=$?
	ext "SELECT count(*) FROM oltp_reset(seed => 7, anchor => '$anchor')" >/dev/null
	db=ext "$bindir/psql" -X -q -h "$dir" -p "$port" -d ext \
		-c "CALL oltp_run(ops => 3000, seed => 7, anchor => '$anchor', profile => '$profile')" \
		>"$dir/oltp_run_$profile.txt" 2>&1
	sums_app >"$dir/run_app_$profile.txt"
	sums_ext >"$dir/run_ext_$profile.txt"
	[ $ok = 0 ] && [ "$(grep -c . "$dir/run_ext_$profile.txt")" = "$ntables" ] &&
		! diff -q "$dir/seed_ext.txt" "$dir/run_ext_$profile.txt" >/dev/null &&
		diff "$dir/run_ext_$profile.txt" "$dir/run_app_$profile.txt" >/dev/null
	ok=$?
	check "one engine, profile $profile: seed 7 + run 3000 ops with seed 7 = oltp_reset + CALL oltp_run, all $ntables tables ($(grep -o '[0-9]* operations done.*' "$dir/client_run_$profile.txt"))" $ok
done

# the announcements the runs made (the profile partitions'), as the
# extension recorded them: the same changes, the same messages
# (the digest of a checksum left out: it covers the audit columns, which
# keep the wall clock)
history="SELECT table_name, change, silent, rows_silent,
	CASE WHEN pg_catalog.jsonb_typeof(message->'checksum') = 'object'
	THEN message || pg_catalog.jsonb_build_object('checksum', (message->'checksum') - 'digest') ELSE message END::text
	FROM oltp_sim_announcements ORDER BY lsn"
db=app q "$history" >"$dir/history_app.txt"
db=ext q "$history" >"$dir/history_ext.txt"
if [[ ",$sets," == *",partitions,"* ]]; then
	[ "$(grep -c '|detach_partition|' "$dir/history_ext.txt")" -gt 0 ] &&
		diff "$dir/history_ext.txt" "$dir/history_app.txt" >/dev/null
else
	[ ! -s "$dir/history_app.txt" ]
fi
ok=$?
check "one engine: the runs' announcements, $(grep -c . "$dir/history_app.txt") changes, are the extension's, message for message" $ok

# run is CALL oltp_run's code: its summary NOTICE, as psql shows the
# procedure's (the progress NOTICEs in between come every few seconds)
grep -h 'operations done' "$dir"/oltp_run_*.txt >"$dir/summary_ext.txt"
grep -h 'operations done' "$dir"/client_run_*.txt >"$dir/summary_app.txt"
[ "$(grep -c '^NOTICE:  oltp_run: ' "$dir/summary_app.txt")" = "$(echo $profiles | wc -w)" ] &&
	diff "$dir/summary_ext.txt" "$dir/summary_app.txt" >/dev/null
check "run's summary is what CALL oltp_run says, every profile" $?

# the rows a stream's summary says it committed equal what each table
# gained: inserts less deletes (no table truncated: profile everything
# without clear_triagem)
gained() {
	local before=$1 summary=$2
	app counts >"$dir/after.txt" 2>/dev/null
	paste -d'|' "$before" "$dir/after.txt" | while IFS='|' read -r t b _ a; do
		ins=$(grep -E "^$t\|insert\|" "$summary" | cut -d'|' -f3)
		del=$(grep -E "^$t\|delete\|" "$summary" | cut -d'|' -f3)
		[ $((a - b)) = $((${ins:-0} - ${del:-0})) ] || echo "$t: $((a - b)) rows gained, summary $((${ins:-0} - ${del:-0}))"
	done
}
app --seed 7 --anchor "$anchor" seed >/dev/null 2>&1
app counts >"$dir/before.txt"
app -c 2 --ops 600 --seed 11 --profile everything --set weight_clear_triagem=0 stream >"$dir/stream.txt" 2>"$dir/stream.err"
ok=$?
committed=$(sed -n 's/^operations committed: \([0-9]*\).*/\1/p' "$dir/stream.txt")
skipped=$(sed -n 's/^operations skipped: \([0-9]*\)/\1/p' "$dir/stream.txt")
xfailed=$(sed -n 's/^transactions failed: \([0-9]*\)/\1/p' "$dir/stream.txt")
gained "$dir/before.txt" "$dir/stream.txt" >"$dir/stream_gained.txt"
[ $ok = 0 ] && [ "${xfailed:-x}" = 0 ] && [ $((${committed:-0} + ${skipped:-0})) = 600 ] &&
	[ "$(grep -c '|insert|' "$dir/stream.txt")" -ge 10 ] && [ ! -s "$dir/stream_gained.txt" ]
check "stream -c 2 --ops 600: ${committed:-?} committed + ${skipped:-?} skipped, none failed; rows committed = rows the tables gained" $?

cp "$dir/after.txt" "$dir/before.txt"
"$client" -h "$dir" -p "$port" -U app -d app -c 2 --seed 12 --profile everything --set weight_clear_triagem=0 \
	stream >"$dir/stop.txt" 2>"$dir/stop.err" &
streamer=$!
# both connections streaming, and rows committed, before the stop
poll "SELECT count(*) = 2 FROM pg_stat_activity WHERE usename = 'app' AND datname = 'app'" 60 &&
	db=app poll "SELECT count(*) > $(cut -d'|' -f2 <(grep '^consultas|' "$dir/before.txt")) + 20 FROM consultas" 60
polled=$?
kill -INT $streamer
wait $streamer
ok=$?
gained "$dir/before.txt" "$dir/stop.txt" >"$dir/stop_gained.txt"
[ $polled = 0 ] && [ $ok = 0 ] && grep -q '^transactions failed: 0$' "$dir/stop.txt" &&
	[ ! -s "$dir/stop_gained.txt" ] && [ "$(db=app q "SELECT count(*) FROM pg_stat_activity WHERE usename = 'app'")" = 0 ]
check "stream stopped by kill -INT: exit 0, nothing failed, rows committed = rows the tables gained, connections closed" $?

# the stream under every profile, every opt-in set there, as role app:
# two connections, 300 operations each time (committed, skipped or rolled
# back on purpose), ended by itself, nothing failed
streamed=
for profile in $profiles; do
	app -c 2 --ops 300 --seed 16 --profile "$profile" stream >"$dir/profile_$profile.txt" 2>&1
	ok=$?
	c=$(sed -n 's/^operations committed: \([0-9]*\).*/\1/p' "$dir/profile_$profile.txt")
	s=$(sed -n 's/^operations skipped: \([0-9]*\)/\1/p' "$dir/profile_$profile.txt")
	a=$(sed -n 's/^operations rolled back on purpose: \([0-9]*\)/\1/p' "$dir/profile_$profile.txt")
	if [ $ok = 0 ] && [ "${c:-0}" -gt 0 ] && [ $((${c:-0} + ${s:-0} + ${a:-0})) = 300 ] &&
		grep -q '^transactions failed: 0$' "$dir/profile_$profile.txt"; then
		streamed="$streamed $profile:${c}"
	else
		streamed="$streamed $profile:FAILED"
	fi
done
! echo "$streamed" | grep -q FAILED
check "stream -c 2 --ops 300 under every profile, as role app: ended at 300, nothing failed (committed:$streamed)" $?

# the changes test_decoding decoded (from slot client, or slot $1), as the summary lists them: table|kind|rows
decoded() {
	db=app q "SELECT data FROM pg_logical_slot_get_changes('${1:-client}', NULL, NULL, 'skip-empty-xacts', '1')" |
		tee "$dir/decoded_all${1:+_$1}.txt" | sed -n 's/^table public\.\([a-z0-9_]*\): \([A-Z]*\):.*/\1|\2/p' |
		sed -E 's/^eventos_leito_([0-9]{4}_[0-9]{2}|default)\|/eventos_leito|/' | grep -Ev '^(precos_novo|oltp_sim_[a-z_]*)\|' |
		tr 'A-Z' 'a-z' | sort | uniq -c |
		awk '{split($2, f, "|"); print f[1] "|" f[2] "|" $1}' | sort
}
slot=$(db=app q "SELECT lsn FROM pg_create_logical_replication_slot('client', 'test_decoding')")
app -c 2 --ops 800 --seed 13 --profile everything --set watermark_every=10 stream >"$dir/decode1.txt" 2>&1 &&
	app --ops 300 --seed 14 --profile decoding --set batch_rows=50 stream >"$dir/decode2.txt" 2>&1
ok=$?
# the set partitions' stream: rows written to the partitions (decoded as
# theirs), partitions truncated, and the announcements of each partition
# created, detached, attached, truncated or dropped
if [[ ",$sets," == *",partitions,"* ]]; then
	app -c 2 --ops 600 --seed 17 --profile partitions stream >"$dir/decode3.txt" 2>&1 || ok=1
	grep -q '^transactions failed: 0$' "$dir/decode3.txt" || ok=1
fi
# the set schema_changes' stream: rows of precos across its changes, and
# of precos_lote, made and dropped (the rows a swap copies into
# precos_novo are counted nowhere, and left out below, as are those of
# the bookkeeping tables oltp_sim_*: the history of announcements, the
# partitions detached)
if [[ ",$sets," == *",schema_changes,"* ]]; then
	app -c 2 --ops 600 --seed 18 --profile schema_changes stream >"$dir/decode4.txt" 2>&1 || ok=1
	grep -q '^transactions failed: 0$' "$dir/decode4.txt" || ok=1
fi
decoded >"$dir/decoded.txt"
cat "$dir"/decode[0-9].txt | grep -E '^[a-z_]+\|(insert|update|delete|truncate)\|' |
	awk -F'|' '{n[$1 "|" $2] += $3} END {for (k in n) print k "|" n[k]}' | sort >"$dir/summed.txt"
messages=$(sed -n 's/^logical messages written: \([0-9]*\) transactional (committed), \([0-9]*\) not$/\1 \2/p' "$dir/decode2.txt")
[ $ok = 0 ] && grep -q '|truncate|' "$dir/summed.txt" && [ "${messages:-0 0}" != "0 0" ] &&
	[ "$messages" = "$(grep -c '^message: transactional: 1 prefix: oltp_sim.test' "$dir/decoded_all.txt") $(grep -c '^message: transactional: 0 prefix: oltp_sim.test' "$dir/decoded_all.txt")" ] &&
	grep -q '^operations rolled back on purpose: [1-9]' "$dir/decode2.txt" &&
	diff "$dir/summed.txt" "$dir/decoded.txt" >"$dir/decoded.diff"
ok=$?
if [ $ok != 0 ]; then
	# why: the streams' failures and errors, and what differs
	grep -H -E '^(transactions failed|operations rolled back on purpose):|error' "$dir"/decode[0-9].txt | sed 's/^/# /'
	sed 's/^/# /' "$dir/decoded.diff" 2>/dev/null
fi
check "the client as writer: decoded changes per table and kind = the rows its summaries say were committed ($(wc -l <"$dir/decoded.txt") table and kind pairs, truncates and rolled back transactions included), logical messages = those it wrote (${messages:-none})" $ok

# the announcements of the streams of the sets partitions and
# schema_changes: as many decoded messages (prefix oltp_sim.schema) as
# their summaries' schema changes, each the text the history table
# recorded for it, byte for byte
if [[ ",$sets," == *",partitions,"* || ",$sets," == *",schema_changes,"* ]]; then
	announced=$(cat "$dir"/decode[0-9].txt | grep -E '^[a-z_]+\|schema\|' | awk -F'|' '{n += $3} END {print n + 0}')
	sed -n 's/^message: transactional: 1 prefix: oltp_sim\.schema, sz: [0-9]* content:\(.*\)$/\1/p' \
		"$dir/decoded_all.txt" >"$dir/announced_decoded.txt"
	db=app q "SELECT message::text FROM oltp_sim_announcements WHERE lsn > '$slot' ORDER BY lsn" >"$dir/announced_history.txt"
	[ "$announced" -gt 0 ] && [ "$(grep -c . "$dir/announced_decoded.txt")" = "$announced" ] &&
		diff "$dir/announced_history.txt" "$dir/announced_decoded.txt" >/dev/null &&
		{ [[ ",$sets," != *",partitions,"* ]] || grep -q '"change": "detach_partition"' "$dir/announced_decoded.txt"; } &&
		{ [[ ",$sets," != *",schema_changes,"* ]] || grep -q '"change": "alter_column_type"' "$dir/announced_decoded.txt"; }
	ok=$?
	check "the client's partition and schema changes: decoded messages oltp_sim.schema = the $announced its summaries count, each the history table's message" $ok
else
	check "the client's partition and schema changes announced (the client creates neither set) # skip" 0
fi

# the first stream's watermarks, as role app: per connection (worker 0
# and 1) seq 1, 2, ... and ops a multiple of 10 at each, the last ones'
# ops adding up to what its summary says was committed, less what remains
# under the next multiple of 10 on each connection
sed -n 's/^message: transactional: 1 prefix: oltp_sim, sz: [0-9]* content:{"worker": \([0-9]*\), "seq": \([0-9]*\), "ops": \([0-9]*\), .*/\1 \2 \3/p' \
	"$dir/decoded_all.txt" >"$dir/watermarks.txt"
committed=$(sed -n 's/^operations committed: \([0-9]*\).*/\1/p' "$dir/decode1.txt")
wm=$(awk -v c="${committed:-0}" '
	{ if ($2 != seq[$1] + 1 || int($3 / 10) != $2) bad++; seq[$1] = $2; ops[$1] = $3; n++ }
	END { for (w in ops) { workers = workers " " w; last += ops[w] }
	      # each connection committed at most 9 operations past its last watermark
	      ok = !bad && n > 20 && workers ~ /^( 0 1| 1 0)$/ && last <= c && c - last <= 18
	      print (ok ? "ok" : "bad") " " n " " last }' "$dir/watermarks.txt")
[ "${wm%% *}" = ok ]
ok=$?
check "stream --set watermark_every=10 as role app: watermarks of connections 0 and 1, seq consecutive, one every 10 operations, the last at ${wm##* } of ${committed:-?} committed ($(echo $wm | cut -d' ' -f2) in all)" $ok

# a role that may not call pg_logical_emit_message: no watermarks, a note
db=app q "REVOKE EXECUTE ON FUNCTION pg_catalog.pg_logical_emit_message(boolean, text, text) FROM PUBLIC" >/dev/null
app --ops 20 --seed 15 --set watermark_every=1 stream >"$dir/nowm.txt" 2>&1
ok=$?
# nor announcements: the partition changes are made all the same
before=$(db=app q "SELECT count(*) FROM oltp_sim_announcements")
if [[ ",$sets," == *",partitions,"* ]]; then
	app --ops 600 --seed 19 --profile partitions stream >"$dir/noann.txt" 2>&1
	noann=$?
fi
db=app q "GRANT EXECUTE ON FUNCTION pg_catalog.pg_logical_emit_message(boolean, text, text) TO PUBLIC" >/dev/null
[ $ok = 0 ] && [ "$(grep -c '^note: no watermarks: role app may not call pg_logical_emit_message$' "$dir/nowm.txt")" = 1 ] &&
	grep -q '^operations committed: 20 ' "$dir/nowm.txt"
check "stream --set watermark_every=1 by a role that may not call pg_logical_emit_message: one line says so, the stream goes on" $?
if [[ ",$sets," == *",partitions,"* ]]; then
	[ "$noann" = 0 ] && grep -q '^transactions failed: 0$' "$dir/noann.txt" &&
		[ "$(grep -c '^note: no announcements of schema and partition changes: role app may not call pg_logical_emit_message$' "$dir/noann.txt")" = 1 ] &&
		! grep -q '|schema|' "$dir/noann.txt" &&
		[ "$(db=app q "SELECT count(*) FROM oltp_sim_announcements")" = "$before" ]
	ok=$?
	check "stream --profile partitions by a role that may not call pg_logical_emit_message: one line says so, no announcement written, recorded or counted, nothing failed" $ok
else
	check "stream --profile partitions by a role that may not call pg_logical_emit_message (the client does not create the set) # skip" 0
fi

# a transaction of the stream that fails at its commit: one operation a
# transaction is sent without BEGIN and COMMIT, committed by the Sync sent
# with the next transaction's first statement; a deferred constraint
# trigger that refuses every new consulta fails that Sync.  Each such
# transaction is counted failed, its error printed, its rows nowhere; the
# next transaction, in the same pipeline, commits as before
app counts >"$dir/before.txt"
db=app q "CREATE FUNCTION public.refuse_consulta() RETURNS trigger LANGUAGE plpgsql AS
	\$\$BEGIN RAISE EXCEPTION 'deferred check refused consulta %', NEW.id USING ERRCODE = 'check_violation'; END\$\$;
	CREATE CONSTRAINT TRIGGER refuse_consulta AFTER INSERT ON public.consultas
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.refuse_consulta()" >/dev/null
app --ops 200 --seed 21 --profile hospital stream >"$dir/commitfail.txt" 2>"$dir/commitfail.err"
ok=$?
db=app q "DROP TRIGGER refuse_consulta ON public.consultas; DROP FUNCTION public.refuse_consulta()" >/dev/null
committed=$(sed -n 's/^operations committed: \([0-9]*\).*/\1/p' "$dir/commitfail.txt")
skipped=$(sed -n 's/^operations skipped: \([0-9]*\)/\1/p' "$dir/commitfail.txt")
xfailed=$(sed -n 's/^transactions failed: \([0-9]*\)/\1/p' "$dir/commitfail.txt")
gained "$dir/before.txt" "$dir/commitfail.txt" >"$dir/commitfail_gained.txt"
[ $ok = 0 ] && [ "${xfailed:-0}" -gt 10 ] && [ $((${committed:-0} + ${skipped:-0} + xfailed)) = 200 ] &&
	[ "$(grep -c 'deferred check refused consulta' "$dir/commitfail.err")" = "$xfailed" ] &&
	! grep -q '^consultas|insert|' "$dir/commitfail.txt" && [ ! -s "$dir/commitfail_gained.txt" ]
check "stream whose commits fail (a deferred trigger refusing consultas): ${xfailed:-?} transactions failed, each error printed, ${committed:-?} committed + ${skipped:-?} skipped + failed = 200, rows committed = rows the tables gained (exit $ok)" $?

app --ops 10 --seed 1 --schema nowhere run >/dev/null 2>"$dir/missing.txt"
[ $? = 2 ] && grep -q 'error: table "nowhere.pacientes" is missing' "$dir/missing.txt"
check "run on a schema without the tables: exit 2, the missing table named" $?

# transactions in flight: a stream of insert_consulta alone (one statement,
# its operation's last) whose every new consulta waits, in a trigger, for
# an advisory lock a session of the test holds.  With --in-flight 4 the
# client sends the first and goes on drawing and sending, its answers
# unread, until five are in flight; with 0 it waits for the first's answer
# before it draws the next.  Once the server waits in the first and the
# client waits for an answer, the server ends the client's connection:
# every transaction in flight is counted failed and said, none committed
only_consulta=$("$client" --help | sed -n 's/^  oltp_sim\.\(weight_[a-z_]*\) .*/--set=\1=0/p' | grep -v '^--set=weight_insert_consulta=0$')
db=app q "CREATE FUNCTION public.wait_consulta() RETURNS trigger LANGUAGE plpgsql AS
	\$\$BEGIN PERFORM pg_catalog.pg_advisory_xact_lock_shared(4242); RETURN NEW; END\$\$;
	CREATE TRIGGER wait_consulta BEFORE INSERT ON public.consultas FOR EACH ROW EXECUTE FUNCTION public.wait_consulta()" >/dev/null
"$bindir/psql" -X -q -h "$dir" -p "$port" -d app -c "SELECT pg_advisory_lock(4242)" -c "SELECT pg_sleep(3600)" >/dev/null 2>&1 &
holder=$!
db=app poll "SELECT count(*) = 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242 AND granted" 30
held=$?
consultas_before=$(db=app q "SELECT count(*) FROM consultas")
# a stream of five operations with --in-flight $1, its output in $dir/$2.*
in_flight_stream() {
	local streamer child deadline state
	# the last stream's connection gone
	db=app poll "SELECT count(*) = 0 FROM pg_stat_activity WHERE usename = 'app'" 30
	"$client" -h "$dir" -p "$port" -U app -d app --ops 5 --seed 23 --profile hospital $only_consulta \
		--in-flight "$1" stream >"$dir/$2.txt" 2>"$dir/$2.err" &
	streamer=$!
	# the server waits in the first transaction's trigger
	db=app poll "SELECT count(*) = 1 FROM pg_stat_activity WHERE usename = 'app' AND wait_event = 'advisory'" 60
	# and the client's connection process for an answer: all it sends before one, sent
	child=$(pgrep -P $streamer)
	deadline=$((SECONDS + 60))
	while [ $SECONDS -lt $deadline ]; do
		state=$(cut -d' ' -f3 "/proc/$child/stat" 2>/dev/null)
		[ "$state" = S ] && break
		sleep 0.1
	done
	db=app q "SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'app' AND wait_event = 'advisory'" >/dev/null
	wait $streamer
}
in_flight_stream 4 inflight4
ok4=$?
in_flight_stream 0 inflight0
ok0=$?
kill $holder 2>/dev/null
wait $holder 2>/dev/null
db=app q "DROP TRIGGER wait_consulta ON public.consultas; DROP FUNCTION public.wait_consulta()" >/dev/null
"$client" --in-flight 17 stream 2>"$dir/inflight_bad.err"
bad=$?
[ $held = 0 ] && [ $ok4 = 0 ] && [ $ok0 = 0 ] && [ "$(echo "$only_consulta" | grep -c .)" -gt 50 ] &&
	grep -q '^transactions failed: 5$' "$dir/inflight4.txt" && [ "$(grep -c 'error:' "$dir/inflight4.err")" = 5 ] &&
	grep -q '^operations committed: 0 ' "$dir/inflight4.txt" &&
	grep -q '^transactions failed: 1$' "$dir/inflight0.txt" && [ "$(grep -c 'error:' "$dir/inflight0.err")" = 1 ] &&
	[ "$(db=app q "SELECT count(*) FROM consultas")" = "$consultas_before" ] &&
	[ $bad = 1 ] && grep -q 'invalid value "17" for option --in-flight: a whole number from 0 to 16 is expected' "$dir/inflight_bad.err"
ok=$?
check "stream --in-flight 4: five transactions sent while the server ran the first, all failed when its connection ended ($(sed -n 's/^transactions failed: //p' "$dir/inflight4.txt") failed), --in-flight 0: one ($(sed -n 's/^transactions failed: //p' "$dir/inflight0.txt")); nothing committed; --in-flight 17 exits 1" $ok

# a stream with transactions in flight whose operations fail at the server:
# a trigger refuses some new consultas with the SQLSTATE the operation
# expects of a race (foreign_key_violation: skipped), others with one it
# does not (check_violation: a failed transaction); another leaves some
# exames and pacientes unchanged (update_exame and a move of
# update_paciente are skipped, a new phone number of update_paciente is a
# fault: its UPDATE changed 0 rows instead of 1, an error).  Read by
# test_decoding from a slot made before it: the changes per table and kind
# are the rows its summary says were committed, and the tables gained them;
# committed + skipped + failed = the operations; each error said
db=app q "CREATE FUNCTION public.refuse_some_consultas() RETURNS trigger LANGUAGE plpgsql AS \$\$
	BEGIN
		IF NEW.paciente_id % 7 = 0 THEN
			RAISE EXCEPTION 'consulta of paciente % refused as a race', NEW.paciente_id USING ERRCODE = 'foreign_key_violation';
		ELSIF NEW.paciente_id % 7 = 1 THEN
			RAISE EXCEPTION 'consulta of paciente % refused', NEW.paciente_id USING ERRCODE = 'check_violation';
		END IF;
		RETURN NEW;
	END \$\$;
	CREATE TRIGGER refuse_some_consultas BEFORE INSERT ON public.consultas FOR EACH ROW EXECUTE FUNCTION public.refuse_some_consultas();
	CREATE FUNCTION public.keep_some_rows() RETURNS trigger LANGUAGE plpgsql AS \$\$
	BEGIN
		IF OLD.id % 4 = 0 THEN RETURN NULL; END IF;
		RETURN NEW;
	END \$\$;
	CREATE TRIGGER keep_some_exames BEFORE UPDATE ON public.exames FOR EACH ROW EXECUTE FUNCTION public.keep_some_rows();
	CREATE TRIGGER keep_some_pacientes BEFORE UPDATE ON public.pacientes FOR EACH ROW EXECUTE FUNCTION public.keep_some_rows()" >/dev/null
app counts >"$dir/before.txt"
db=app q "SELECT lsn FROM pg_create_logical_replication_slot('deferred', 'test_decoding')" >/dev/null
app -c 2 --ops 600 --seed 22 --profile hospital --in-flight 4 stream >"$dir/deferred.txt" 2>"$dir/deferred.err"
ok=$?
decoded deferred >"$dir/deferred_decoded.txt"
db=app q "SELECT pg_drop_replication_slot('deferred')" >/dev/null
db=app q "DROP TRIGGER refuse_some_consultas ON public.consultas; DROP FUNCTION public.refuse_some_consultas();
	DROP TRIGGER keep_some_exames ON public.exames; DROP TRIGGER keep_some_pacientes ON public.pacientes;
	DROP FUNCTION public.keep_some_rows()" >/dev/null
committed=$(sed -n 's/^operations committed: \([0-9]*\).*/\1/p' "$dir/deferred.txt")
skipped=$(sed -n 's/^operations skipped: \([0-9]*\)/\1/p' "$dir/deferred.txt")
xfailed=$(sed -n 's/^transactions failed: \([0-9]*\)/\1/p' "$dir/deferred.txt")
refused=$(grep -c 'error: consulta of paciente [0-9]* refused$' "$dir/deferred.err")
faults=$(grep -c 'changed 0 rows instead of 1$' "$dir/deferred.err")
grep -E '^[a-z_]+\|(insert|update|delete)\|' "$dir/deferred.txt" | sort >"$dir/deferred_summed.txt"
gained "$dir/before.txt" "$dir/deferred.txt" >"$dir/deferred_gained.txt"
[ $ok = 0 ] && [ "${xfailed:-0}" -gt 0 ] && [ "${skipped:-0}" -gt 0 ] && [ "$refused" -gt 0 ] &&
	[ $((${committed:-0} + ${skipped:-0} + xfailed)) = 600 ] &&
	[ "$(grep -c 'error:' "$dir/deferred.err")" = "$xfailed" ] && [ $((refused + faults)) = "$xfailed" ] &&
	! grep -q 'refused as a race' "$dir/deferred.err" &&
	[ "$(grep -c . "$dir/deferred_summed.txt")" -ge 6 ] && diff "$dir/deferred_summed.txt" "$dir/deferred_decoded.txt" >"$dir/deferred.diff" &&
	[ ! -s "$dir/deferred_gained.txt" ]
ok=$?
[ $ok = 0 ] || sed 's/^/# /' "$dir/deferred.diff" "$dir/deferred_gained.txt" 2>/dev/null
check "stream -c 2 --in-flight 4 whose operations fail at the server: ${committed:-?} committed + ${skipped:-?} skipped + ${xfailed:-?} failed ($refused refused, $faults faults) = 600, each error said, none of the races; decoded changes per table and kind = the rows committed ($(grep -c . "$dir/deferred_summed.txt") pairs) = the rows the tables gained" $ok

finish
