#!/usr/bin/env bash
# pg_dump keeps what oltp_sim holds, on a cluster of its own.  With the
# opt-in sets added (audit's logs_acesso in no publication, and in none
# after the restores), a replica identity and a second publication set by
# hand, and a stream run, a plain dump restored with psql -v ON_ERROR_STOP=1
# and a custom-format dump restored with pg_restore each give the same
# tables (the sets' included), rows (oltp_checksums()), sequence positions,
# publication membership, replica identity and the announced changes
# (oltp_announcements()), and the copy streams;
# pg_dump -t pacientes holds that table's rows.  (0.2.0 dumped no rows, and
# its restore failed on "publication oltp_sim already exists".)
# Then the sets themselves: two sessions adding (and dropping) a set at
# once, the loser waiting and told by the documented NOTICE; a set whose
# table was altered by hand dropped alone; and a database whose sets 0.2.0
# made (members of oltp_sim) updated, its sets moved with their rows.
# Prints TAP and exits non-zero on a failure.  Run as an unprivileged user.
set -uo pipefail
name=dump
port=55950
. "$(dirname "$0")/lib/cluster.bash"

echo "1..20"
cluster_init || { echo "Bail out! the cluster did not start"; exit 1; }

psql_db() { "$bindir/psql" -X -q -At -h "$dir" -p "$port" -v ON_ERROR_STOP=1 -d "$@"; }

q "CREATE DATABASE src" >/dev/null
db=src q "CREATE EXTENSION oltp_sim" >/dev/null
[ "$(db=src q "SELECT count(*) FROM pg_publication")" = 0 ]
check "CREATE EXTENSION leaves no publication (a restore creates it)" $?

db=src q "SELECT count(*) FROM oltp_seed(seed => 3)" >/dev/null
db=src q "SELECT count(*) FROM oltp_add_tables('edge_cases', seed => 3)" >/dev/null
db=src q "SELECT count(*) FROM oltp_add_tables('types', seed => 3)" >/dev/null
db=src q "SELECT count(*) FROM oltp_add_tables('audit', seed => 3)" >/dev/null
db=src q "SELECT count(*) FROM oltp_replica_identity('full', '{pacientes,laudos}')" >/dev/null
db=src q "CREATE PUBLICATION dbz FOR TABLE pacientes, faturas" >/dev/null
psql_db src -c "CALL oltp_run(ops => 400, seed => 3, profile => 'everything')" >/dev/null 2>&1
db=src q "SELECT oltp_announce_change('medicos', 'dump_check', '{\"n\": 1}')" >/dev/null
[ "$(db=src q "SELECT string_agg(pubname, ',' ORDER BY pubname) FROM pg_publication")" = "dbz,oltp_sim" ] &&
	[ "$(db=src q "SELECT count(*) FROM pg_publication_tables WHERE pubname = 'oltp_sim'")" = 14 ]
check "the first oltp_seed made the publication oltp_sim, and the sets joined it (but audit's logs_acesso, unpublished)" $?

# what must survive: one line per fact, compared as a whole
state() {
	db=$1 q "SELECT string_agg(x, E'\n' ORDER BY x) FROM (
		SELECT 'table ' || table_name || ' ' || row_count || ' ' || digest FROM oltp_checksums()
		UNION ALL SELECT 'sequence ' || sequencename || ' ' || coalesce(last_value::text, 'null') FROM pg_sequences
		UNION ALL SELECT 'published ' || pubname || ' ' || tablename FROM pg_publication_tables
		UNION ALL SELECT 'identity ' || relname || ' ' || relreplident::text FROM pg_class
			WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'
		UNION ALL SELECT 'extension ' || extname || ' ' || extversion FROM pg_extension
		UNION ALL SELECT 'announced ' || lsn || ' ' || table_name || ' ' || change || ' ' || message::text
			FROM oltp_announcements()) s(x)"
}
src_state=$(state src)
[ "$(echo "$src_state" | grep -c '^table ')" = 15 ] && echo "$src_state" | grep -q '^identity laudos f$' &&
	! echo "$src_state" | grep -q '^published .* logs_acesso$' &&
	[ "$(echo "$src_state" | grep -c '^announced .* medicos dump_check ')" = 1 ]
check "the source has its 15 tables (logs_acesso in no publication), the identities set by hand and a change announced" $?

q "CREATE DATABASE plain" >/dev/null
"$bindir/pg_dump" -h "$dir" -p "$port" src >"$dir/src.sql"
psql_db plain -f "$dir/src.sql" >"$dir/plain.out" 2>&1
rc=$?
check "pg_dump | psql -v ON_ERROR_STOP=1 restores without an error ($(grep -m1 ERROR "$dir/plain.out"))" $rc
[ "$(state plain)" = "$src_state" ]
check "the plain restore has the same tables, rows, sequences, publications, identities and announced changes" $?
diff <(echo "$src_state") <(state plain) | head -5

q "CREATE DATABASE custom" >/dev/null
"$bindir/pg_dump" -Fc -h "$dir" -p "$port" -f "$dir/src.dump" src &&
	"$bindir/pg_restore" -h "$dir" -p "$port" -d custom --exit-on-error "$dir/src.dump" >"$dir/custom.out" 2>&1
rc=$?
check "pg_dump -Fc and pg_restore restore without an error ($(grep -m1 ERROR "$dir/custom.out"))" $rc
[ "$(state custom)" = "$src_state" ]
check "the pg_restore copy has the same tables, rows, sequences, publications, identities and announced changes" $?
diff <(echo "$src_state") <(state custom) | head -5

# the copy streams: the operations commit, rows and sequences move
psql_db plain -c "CALL oltp_run(ops => 300, seed => 4, profile => 'everything')" >"$dir/run.out" 2>&1
rc=$?
after=$(state plain)
[ $rc = 0 ] && [ "$after" != "$src_state" ] &&
	[ "$(db=plain q "SELECT last_value > 2000 FROM pg_sequences WHERE sequencename = 'pacientes_id_seq'")" = t ]
check "the restored database streams (CALL oltp_run commits; rows and sequences move)" $?

"$bindir/pg_dump" -h "$dir" -p "$port" -t pacientes src >"$dir/pacientes.sql"
rows=$(awk '/^COPY public.pacientes /{on=1; next} /^\\\.$/{on=0} on' "$dir/pacientes.sql" | wc -l)
[ "$rows" = "$(db=src q "SELECT count(*) FROM pacientes")" ]
check "pg_dump -t pacientes holds its $rows rows" $?

# a publication dropped and made again by hand publishes what it is made with
db=src q "DROP PUBLICATION dbz" >/dev/null
db=src q "CREATE PUBLICATION dbz FOR TABLE medicos" >/dev/null
[ "$(db=src q "SELECT string_agg(table_name, ',') FROM oltp_sim_publication_tables WHERE pubname = 'dbz'")" = medicos ]
check "the record follows DROP and CREATE PUBLICATION" $?

# DROP EXTENSION oltp_sim with a set present needs CASCADE
db=src q "DROP EXTENSION oltp_sim" >/dev/null
[ "$(db=src q "SELECT count(*) FROM pg_extension WHERE extname LIKE 'oltp_sim%'")" = 4 ]
check "DROP EXTENSION oltp_sim without CASCADE keeps everything while a set is there" $?

# two sessions add the same set: the second waits for the first's lock,
# then sees the set and says so
q "CREATE DATABASE race" >/dev/null
db=race q "CREATE EXTENSION oltp_sim" >/dev/null
db=race q "SELECT count(*) FROM oltp_seed(seed => 5, scale => 0.1)" >/dev/null
# hold: one session runs $1 in an open transaction until release
hold() {
	rm -f "$dir/fifo"
	mkfifo "$dir/fifo"
	"$bindir/psql" -X -q -At -h "$dir" -p "$port" -d race <"$dir/fifo" >"$dir/hold.out" 2>&1 &
	holder=$!
	exec 3>"$dir/fifo"
	echo "BEGIN; $1; SELECT 'held';" >&3
	poll "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE datname = 'race' AND state = 'idle in transaction')" 60
}
release() {
	echo "COMMIT;" >&3
	exec 3>&-
	wait $holder
}
waiter() {
	"$bindir/psql" -X -At -h "$dir" -p "$port" -d race -c "$1" >"$dir/wait.out" 2>&1 &
	waiting=$!
	poll "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE datname = 'race' AND wait_event_type = 'Lock')" 60
}
# race "call": one session runs it in a transaction held open, a second
# runs it too and must wait; once the first commits, the second must
# succeed with no row and no error, and its first message is returned
race() {
	local waited rc
	hold "$1"
	waiter "$1"
	waited=$?
	release
	wait $waiting
	rc=$?
	[ $waited = 0 ] && [ $rc = 0 ] && grep -qx 0 "$dir/wait.out" && ! grep -q ERROR "$dir/wait.out"
}
race "SELECT count(*) FROM oltp_add_tables('edge_cases', seed => 5)" &&
	grep -q 'NOTICE:  the tables of set "edge_cases" exist already' "$dir/wait.out" &&
	[ "$(db=race q "SELECT count(*) FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
	                 WHERE e.extname = 'oltp_sim_edge_cases' AND d.deptype = 'e' AND d.classid = 'pg_class'::regclass")" = 4 ]
ok=$?
check "racing oltp_add_tables: the second waited, then said the set exists already ($(grep -m1 -E 'ERROR|NOTICE' "$dir/wait.out"))" $ok

race "SELECT count(*) FROM oltp_drop_tables('edge_cases')" &&
	grep -q 'NOTICE:  the tables of set "edge_cases" do not exist' "$dir/wait.out" &&
	[ "$(db=race q "SELECT count(*) FROM pg_class WHERE relname IN ('laudos', 'fila_triagem')")" = 0 ]
ok=$?
check "racing oltp_drop_tables: the second waited, then said the set is not there ($(grep -m1 -E 'ERROR|NOTICE' "$dir/wait.out"))" $ok

# a set whose table was altered by hand: dropped alone, the core rows kept
db=race q "SELECT count(*) FROM oltp_add_tables('edge_cases', seed => 5)" >/dev/null
db=race q "SELECT count(*) FROM oltp_add_tables('types', seed => 5)" >/dev/null
core=$(db=race q "SELECT string_agg(table_name || row_count || digest, ',') FROM oltp_checksums() WHERE table_name IN (SELECT table_name FROM oltp_tables() WHERE table_set = 'core')")
db=race q "ALTER TABLE fila_triagem ALTER COLUMN queixa TYPE text" >/dev/null
db=race q "SELECT count(*) FROM oltp_counts()" >/dev/null
broken=$?
out=$(psql_db race -c "SELECT table_name || ' ' || coalesce(dropped_rows::text, 'uncounted') FROM oltp_drop_tables('edge_cases') ORDER BY 1" 2>&1)
rc=$?
[ $broken != 0 ] && [ $rc = 0 ] && [ "$out" = "$(printf 'fila_triagem uncounted\nlaudos uncounted')" ] &&
	[ "$(db=race q "SELECT string_agg(table_name || row_count || digest, ',') FROM oltp_checksums() WHERE table_name IN (SELECT table_name FROM oltp_tables() WHERE table_set = 'core')")" = "$core" ] &&
	[ "$(db=race q "SELECT count(*) FROM oltp_checksums() WHERE table_name = 'faturas'")" = 1 ]
check "a set with a table altered by hand is dropped alone; the core rows and the other set stay ($out)" $?

# a database whose sets 0.2.0 made: their tables members of oltp_sim
q "CREATE DATABASE old" >/dev/null
db=old q "CREATE EXTENSION oltp_sim VERSION '0.2.0'" >/dev/null
db=old q "SELECT count(*) FROM oltp_seed(scale => 0.1, seed => 6)" >/dev/null
# the objects as 0.2.0's oltp_add_tables made them: the set's DDL, then
# ALTER EXTENSION oltp_sim ADD of each
legacy() {
	local set=$1 script="$root/sql/oltp_sim_$1--0.3.0.sql"
	{
		echo "BEGIN;"
		sed -e '/^\\echo/d' -e '/^DO \$\$/,/^\$\$;/d' -e '/pg_extension_config_dump/d' \
			-e 's/@extschema@/public/g' "$script"
		grep -E '^ALTER EXTENSION oltp_sim DROP' "$root/sql/oltp_sim_$set--0.2.0.sql" |
			sed -e 's/ DROP / ADD /' -e 's/@extschema@/public/g'
		echo "COMMIT;"
	} | psql_db old >/dev/null
}
legacy edge_cases && legacy types
made=$?
db=old q "SELECT count(*) FROM oltp_seed(rows => '{\"laudos\": 50, \"fila_triagem\": 20, \"faturas\": 40, \"sinais_vitais\": 30, \"prontuarios\": 20, \"dispositivos\": 10, \"reservas_leito\": 10}', seed => 7)" >/dev/null
before=$(db=old q "SELECT string_agg(table_name || ' ' || row_count || ' ' || digest, ',' ORDER BY table_name) FROM oltp_checksums()")
[ $made = 0 ] && [ "$(db=old q "SELECT count(*) FROM oltp_checksums() WHERE row_count > 0")" = 14 ]
check "a 0.2.0 database with both sets, their tables members of oltp_sim, seeded" $?

psql_db old -c "ALTER EXTENSION oltp_sim UPDATE" >"$dir/update.out" 2>&1
rc=$?
[ $rc = 0 ] && grep -q "SELECT oltp_add_tables('edge_cases'); SELECT oltp_add_tables('types');" "$dir/update.out" &&
	[ "$(db=old q "SELECT string_agg(table_name || ' ' || row_count || ' ' || digest, ',' ORDER BY table_name) FROM oltp_checksums()")" = "$before" ]
check "ALTER EXTENSION oltp_sim UPDATE keeps the rows and says how to move the sets" $?

out=$(psql_db old -c "SELECT count(*) FROM oltp_add_tables('edge_cases')" -c "SELECT count(*) FROM oltp_add_tables('types')" 2>&1)
rc=$?
[ $rc = 0 ] &&
	[ "$(db=old q "SELECT string_agg(table_name || ' ' || row_count || ' ' || digest, ',' ORDER BY table_name) FROM oltp_checksums()")" = "$before" ] &&
	[ "$(db=old q "SELECT string_agg(e.extname || ' ' || count, ',' ORDER BY e.extname) FROM (
		SELECT d.refobjid, count(*) FROM pg_depend d WHERE d.deptype = 'e' AND d.classid IN ('pg_class'::regclass, 'pg_type'::regclass)
		GROUP BY 1) m JOIN pg_extension e ON e.oid = m.refobjid")" = "oltp_sim 21,oltp_sim_edge_cases 4,oltp_sim_types 9" ]
check "oltp_add_tables moves each 0.2.0 set to its own extension, rows and all" $?

q "CREATE DATABASE old_copy" >/dev/null
"$bindir/pg_dump" -h "$dir" -p "$port" old | psql_db old_copy >"$dir/old_copy.out" 2>&1 &&
	[ "$(state old_copy)" = "$(state old)" ]
rc=$?
check "the updated database dumps and restores whole ($(grep -m1 ERROR "$dir/old_copy.out"))" $rc

db=old q "SELECT count(*) FROM oltp_drop_tables('types')" >/dev/null &&
	[ "$(db=old q "SELECT count(*) FROM pg_type WHERE typname IN ('status_fatura', 'percentual')")" = 0 ] &&
	[ "$(db=old q "SELECT count(*) FROM oltp_checksums()")" = 9 ]
check "oltp_drop_tables drops a moved set, its types with it" $?

# the set's extension refuses a schema other than oltp_sim's
db=old q "CREATE SCHEMA elsewhere" >/dev/null
out=$("$bindir/psql" -X -At -h "$dir" -p "$port" -d old -c "CREATE EXTENSION oltp_sim_types SCHEMA elsewhere" 2>&1)
echo "$out" | grep -q 'must be created in schema "public", the schema of extension "oltp_sim"' &&
	[ "$(db=old q "SELECT count(*) FROM pg_extension WHERE extname = 'oltp_sim_types'")" = 0 ]
ok=$?
check "CREATE EXTENSION oltp_sim_types in another schema is refused ($(echo "$out" | head -1))" $ok

finish
