#!/usr/bin/env bash
# oltp_checksums() against docs/cdc.md's plain query and the query its
# generator writes, on a cluster of its own (two databases, the queries read
# from docs/cdc.md as a user copies them):
#   - a copy of the tables (the core ones and every opt-in set's) in another
#     database, without the extension (an enum column as text, a domain as
#     its base type), its columns in reverse order and its rows loaded in
#     reverse order, gives per table the row count and digest
#     oltp_checksums() gives: through the documented query for the core
#     tables, through the generator's query for every table;
#   - the generator, as written, writes exactly the documented query, and
#     leaves out a column only the sink has when told to;
#   - on the copy, a lost row, a duplicated row (the copy has no primary
#     key, like a careless sink), one changed value and an empty string for
#     a NULL each change that table's digest and only that table's.
# Prints TAP and exits non-zero on a failure.  Run as an unprivileged user.
set -uo pipefail
name=checksums
port=55920
. "$(dirname "$0")/lib/cluster.bash"

core="'pacientes', 'medicos', 'convenios', 'pacientes_convenios', 'consultas', 'exames', 'internacoes'"
query=$dir/doc_query.sql
generator=$dir/doc_generator.sql
source_sums() {
	q "SELECT table_name, row_count, digest
	   FROM oltp_checksums($1, exclude_columns => '{created_at,updated_at}') ORDER BY table_name"
}

# a block of docs/cdc.md between its markers, without the code fence
doc_block() {
	sed -n "/<!-- checksum $1: begin -->/,/<!-- checksum $1: end -->/p" "$root/docs/cdc.md" |
		grep -v '^<!--' | grep -v '^```'
}

# psql on the copy: the statements "$1", then the file $2, rolled back
sink_run() {
	{
		echo "BEGIN;"
		echo "$1"
		cat "$2"
		echo "ROLLBACK;"
	} | (cd "$dir" && "$bindir/psql" -X -q -At -h "$dir" -p "$port" -d sink -v ON_ERROR_STOP=1 -f - 2>&1)
}
sink_sums() { sink_run "$1" "$query"; }

# the tables whose line differs between two outputs
differing() { diff <(echo "$1") <(echo "$2") | sed -n 's/^> \([a-z_]*\)|.*/\1/p' | paste -sd' '; }

echo "1..10"
cluster_init || { echo "Bail out! the cluster did not start"; exit 1; }
q "CREATE EXTENSION oltp_sim" >/dev/null
q "SELECT count(*) FROM oltp_seed(seed => 3)" >/dev/null
for set in $(q "SELECT DISTINCT table_set FROM oltp_tables() WHERE table_set <> 'core'"); do
	q "SELECT count(*) FROM oltp_add_tables('$set', seed => 3)" >/dev/null
done
tables=$(q "SELECT string_agg(table_name, ' ' ORDER BY ordinal) FROM oltp_tables() WHERE to_regclass(table_name) IS NOT NULL")
q "CREATE DATABASE sink" >/dev/null
doc_block query >"$query"
doc_block generator >"$generator"
grep -q "hashtextextended" "$query" && grep -q "18446744073709551616" "$query" &&
	grep -q "^SET lc_monetary = 'C';$" "$query" && grep -q '^\\gexec$' "$generator"
check "docs/cdc.md holds the query and its generator between their markers" $?

# the copy: same columns in reverse order, no constraints, rows reversed
for t in $tables; do
	cols=$(q "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
	          WHERE attrelid = 'public.$t'::regclass AND attnum > 0 AND NOT attisdropped")
	# the sink has not the extension's own types: an enum becomes text, a
	# domain its base type, which print the same text
	ddl=$(q "SELECT format('CREATE TABLE %I (%s)', '$t', string_agg(format('%I %s', attname,
	             CASE y.typtype WHEN 'e' THEN 'text' WHEN 'd' THEN format_type(y.typbasetype, y.typtypmod)
	                  ELSE format_type(atttypid, atttypmod) END), ', ' ORDER BY attnum DESC))
	         FROM pg_attribute JOIN pg_type y ON y.oid = atttypid
	         WHERE attrelid = 'public.$t'::regclass AND attnum > 0 AND NOT attisdropped")
	db=sink q "$ddl" >/dev/null
	"$bindir/psql" -X -q -h "$dir" -p "$port" -d postgres \
		-c "COPY (SELECT $cols FROM $t ORDER BY ctid DESC) TO STDOUT" |
		"$bindir/psql" -X -q -h "$dir" -p "$port" -d sink -c "COPY $t ($cols) FROM STDIN"
done
copied=0
for t in $tables; do
	[ "$(db=sink q "SELECT count(*) FROM $t")" = "$(q "SELECT count(*) FROM $t")" ] && copied=$((copied + 1))
done
[ "$(db=sink q "SELECT count(*) FROM pg_extension WHERE extname = 'oltp_sim'")" = 0 ] &&
	[ "$copied" = "$(echo "$tables" | wc -w)" ] && [ "$copied" -gt 7 ]
check "a copy of the $copied tables (core and opt-in) in a database without the extension" $?

src=$(source_sums "ARRAY[$core]")
out=$(sink_sums "")
[ -n "$src" ] && [ "$(echo "$src" | wc -l)" = 7 ] && [ "$out" = "$src" ]
check "docs/cdc.md's query on the copy (columns and rows reversed) = oltp_checksums(), every core table" $?
[ "$out" = "$src" ] || { echo "# oltp_checksums:"; echo "$src" | sed 's/^/#   /'; echo "# docs/cdc.md query:"; echo "$out" | sed 's/^/#   /'; }

# the generator printing what it writes instead of running it
sed 's/^\\gexec$/\\g/' "$generator" >"$dir/generator_print.sql"
out=$(sink_run "" "$dir/generator_print.sql")
[ -n "$out" ] && [ "$out" = "$(cat "$query")" ]
check "docs/cdc.md's generator, as written, writes docs/cdc.md's query" $?
[ "$out" = "$(cat "$query")" ] || diff <(echo "$out") "$query" | sed 's/^/# /'

# the generator for every table there is: its table list edited, as docs/cdc.md says
list=$(q "SELECT string_agg(quote_literal(table_name), ', ' ORDER BY ordinal) FROM oltp_tables() WHERE to_regclass(table_name) IS NOT NULL")
perl -0pe "s/table_name IN \([^)]*\)/table_name IN ($list)/" "$generator" >"$dir/generator_all.sql"
all=$(source_sums "NULL")
out=$(sink_run "" "$dir/generator_all.sql")
grep -q "'laudos'" "$dir/generator_all.sql" && [ "$(echo "$all" | wc -l)" = "$copied" ] && [ "$out" = "$all" ]
check "the generator's query for all $copied tables, run by \\gexec on the copy = oltp_checksums()" $?
[ "$out" = "$all" ] || { echo "# oltp_checksums:"; echo "$all" | sed 's/^/#   /'; echo "# generated query:"; echo "$out" | sed 's/^/#   /'; }

# a column of the sink's own (Debezium's __deleted, say) left out like the audit ones
perl -pe "s/column_name NOT IN \([^)]*\)/column_name NOT IN ('created_at', 'updated_at', '__deleted')/" \
	"$dir/generator_all.sql" >"$dir/generator_extra.sql"
out=$(sink_run "ALTER TABLE medicos ADD COLUMN __deleted text DEFAULT 'false';" "$dir/generator_extra.sql")
grep -q "'__deleted')" "$dir/generator_extra.sql" && [ "$out" = "$all" ] &&
	[ "$(differing "$all" "$(sink_run "ALTER TABLE medicos ADD COLUMN __deleted text DEFAULT 'false';" "$dir/generator_all.sql")")" = medicos ]
check "a column only the sink has: medicos differs, the same once the generator excludes it too" $?

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
