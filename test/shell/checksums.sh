#!/usr/bin/env bash
# oltp_checksums() against the README's plain query, on a cluster of its own
# (two databases, and the query read from the README as a user copies it):
#   - a copy of the tables in another database, without the extension, its
#     columns in reverse order and its rows loaded in reverse order, gives
#     per table the row count and digest oltp_checksums() gives;
#   - on the copy, a lost row, a duplicated row (the copy has no primary
#     key, like a careless sink), one changed value and an empty string for
#     a NULL each change that table's digest and only that table's.
# Prints TAP and exits non-zero on a failure.  Run as an unprivileged user.
set -uo pipefail
name=checksums
port=55920
. "$(dirname "$0")/lib/cluster.bash"

tables="pacientes medicos convenios pacientes_convenios consultas exames internacoes"
query=$dir/readme_query.sql
source_sums="SELECT table_name, row_count, digest
	FROM oltp_checksums(exclude_columns => '{created_at,updated_at}') ORDER BY table_name"

# the README's query, between its markers, without the code fence
readme_query() {
	sed -n '/<!-- checksum query: begin -->/,/<!-- checksum query: end -->/p' "$root/README.md" |
		grep -v '^<!--' | grep -v '^```'
}

# the README's query on the copy, after the statements "$1", rolled back
sink_sums() {
	{
		echo "BEGIN;"
		echo "$1"
		cat "$query"
		echo "ROLLBACK;"
	} | (cd "$dir" && "$bindir/psql" -X -q -At -h "$dir" -p "$port" -d sink -v ON_ERROR_STOP=1 -f - 2>&1)
}

# the tables whose line differs between two outputs
differing() { diff <(echo "$1") <(echo "$2") | sed -n 's/^> \([a-z_]*\)|.*/\1/p' | paste -sd' '; }

echo "1..7"
cluster_init || { echo "Bail out! the cluster did not start"; exit 1; }
q "CREATE EXTENSION oltp_sim" >/dev/null
q "SELECT count(*) FROM oltp_seed(seed => 3)" >/dev/null
q "CREATE DATABASE sink" >/dev/null
readme_query >"$query"
grep -q "to_jsonb" "$query" && grep -q "18446744073709551616" "$query"
check "the README holds the query between its markers" $?

# the copy: same columns in reverse order, no constraints, rows reversed
for t in $tables; do
	cols=$(q "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
	          WHERE attrelid = 'public.$t'::regclass AND attnum > 0 AND NOT attisdropped")
	ddl=$(q "SELECT format('CREATE TABLE %I (%s)', '$t', string_agg(format('%I %s', attname,
	             format_type(atttypid, atttypmod)), ', ' ORDER BY attnum DESC))
	         FROM pg_attribute WHERE attrelid = 'public.$t'::regclass AND attnum > 0 AND NOT attisdropped")
	db=sink q "$ddl" >/dev/null
	"$bindir/psql" -X -q -h "$dir" -p "$port" -d postgres \
		-c "COPY (SELECT $cols FROM $t ORDER BY id DESC) TO STDOUT" |
		"$bindir/psql" -X -q -h "$dir" -p "$port" -d sink -c "COPY $t ($cols) FROM STDIN"
done
copied=0
for t in $tables; do
	[ "$(db=sink q "SELECT count(*) FROM $t")" = "$(q "SELECT count(*) FROM $t")" ] && copied=$((copied + 1))
done
[ "$(db=sink q "SELECT count(*) FROM pg_extension WHERE extname = 'oltp_sim'")" = 0 ] && [ "$copied" = 7 ]
check "a copy of the tables in a database without the extension" $?

src=$(q "$source_sums")
out=$(sink_sums "")
[ -n "$src" ] && [ "$(echo "$src" | wc -l)" = 7 ] && [ "$out" = "$src" ]
check "the README's query on the copy (columns and rows reversed) = oltp_checksums(), every table" $?
[ "$out" = "$src" ] || { echo "# oltp_checksums:"; echo "$src" | sed 's/^/#   /'; echo "# README query:"; echo "$out" | sed 's/^/#   /'; }

out=$(sink_sums "DELETE FROM consultas WHERE id = (SELECT max(id) FROM consultas);")
[ "$(differing "$src" "$out")" = consultas ] &&
	[ "$(echo "$out" | grep '^consultas|' | cut -d'|' -f2)" = $(($(q "SELECT count(*) FROM consultas") - 1)) ]
check "a lost row: consultas differs (one row fewer), no other table" $?

out=$(sink_sums "INSERT INTO exames SELECT * FROM exames WHERE id = (SELECT min(id) FROM exames);")
[ "$(differing "$src" "$out")" = exames ]
check "a duplicated row: exames differs, no other table" $?

out=$(sink_sums "UPDATE medicos SET especialidade = especialidade || ' ' WHERE id = (SELECT min(id) FROM medicos);")
[ "$(differing "$src" "$out")" = medicos ] &&
	[ "$(echo "$out" | grep '^medicos|' | cut -d'|' -f2)" = "$(echo "$src" | grep '^medicos|' | cut -d'|' -f2)" ]
check "one changed value (a trailing space): medicos differs, same count, no other table" $?

out=$(sink_sums "UPDATE exames SET resultado = '' WHERE id = (SELECT min(id) FROM exames WHERE resultado IS NULL);")
[ "$(q "SELECT count(*) > 0 FROM exames WHERE resultado IS NULL")" = t ] &&
	[ "$(differing "$src" "$out")" = exames ]
check "an empty string for a NULL: exames differs, no other table" $?

finish
