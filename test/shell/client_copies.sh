#!/usr/bin/env bash
# One engine: oltp_sim_client (client/) holds no copy of the extension's
# code, statements or tables; it compiles the extension's own files.
#   - planted copies are found: the checks below report a function of
#     src/ copied into a scratch client/, a statement of sql/ and one of
#     src/ pasted into strings, and strings that name a table of the model
#     (so they can fail);
#   - no six consecutive lines of client/*.c and *.h (comments, blank lines,
#     #include lines and lone punctuation left out, white space folded)
#     stand in src/*.c, src/*.h or sql/*.sql;
#   - no SQL statement in a string of client/ (a string that begins with
#     SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, WITH, COPY or
#     TRUNCATE, has three words or more and names something: not keywords
#     alone, as "CREATE OR REPLACE FUNCTION") stands in src/ or sql/;
#   - no string of client/ names a table of the model (the tables of the
#     CREATE TABLE statements of sql/oltp_sim*.sql): the client takes them
#     from the model and the install scripts.
# Needs no server.  Prints TAP and exits non-zero on a failure.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
n=0
failed=0
echo "1..4"
check() {
	n=$((n + 1))
	if [ "$2" = 0 ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		failed=$((failed + 1))
	fi
}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/client_copies.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# a file's lines of code, one a line: "FILE:LINE<TAB>text", comments,
# blank lines, #include lines and lone punctuation left out, white space
# folded
code_lines() {
	awk '
	FNR == 1 { block = 0 }
	{
		line = $0
		out = ""
		while (line != "") {
			if (block) {
				e = index(line, "*/")
				if (e == 0) { line = ""; break }
				line = substr(line, e + 2)
				block = 0
				continue
			}
			s = index(line, "/*")
			d = index(line, "//")
			q = index(line, "--")
			if (FILENAME !~ /\.sql$/)
				q = 0
			# the first comment opener on the line (none inside strings is
			# assumed: a false match only leaves a line shorter)
			first = 0
			if (s && (!first || s < first)) first = s
			if (d && (!first || d < first)) first = d
			if (q && (!first || q < first)) first = q
			if (!first) { out = out line; break }
			out = out substr(line, 1, first - 1)
			if (first == s) { block = 1; line = substr(line, s + 2) }
			else line = ""
		}
		gsub(/[ \t]+/, " ", out)
		sub(/^ /, "", out)
		sub(/ $/, "", out)
		if (out == "" || out ~ /^[{}();,]+$/ || out ~ /^#include /)
			next
		print FILENAME ":" FNR "\t" out
	}' "$@"
}

# the runs of six lines of the files after "--" found in those before it:
# one line each, "CLIENT_PLACE ~ REFERENCE_PLACE"
copied_runs() {
	local refs=() clients=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do refs+=("$1"); shift; done
	shift
	clients=("$@")
	{ code_lines "${refs[@]}" | sed 's/^/R\t/'; code_lines "${clients[@]}" | sed 's/^/C\t/'; } |
		awk -F'\t' -v run=6 '
		function windows(   i, j, key) {
			for (i = 1; i + run - 1 <= nl; i++) {
				key = text[i]
				for (j = 1; j < run; j++)
					key = key "\n" text[i + j]
				if (side == "R") {
					if (!(key in ref)) ref[key] = place[i]
				} else if (key in ref) {
					print place[i] " ~ " ref[key]
				}
			}
		}
		{
			split($2, p, ":")
			if (p[1] != file || $1 != side) {
				windows()
				nl = 0
				file = p[1]
				side = $1
			}
			nl++
			place[nl] = $2
			text[nl] = $3
		}
		END { windows() }'
}

# the strings of C files, one a line ("FILE:LINE<TAB>string"), escapes kept
strings_of() {
	awk '{
		line = $0
		while (match(line, /"([^"\\]|\\.)*"/)) {
			print FILENAME ":" FNR "\t" substr(line, RSTART + 1, RLENGTH - 2)
			line = substr(line, RSTART + RLENGTH)
		}
	}' "$@"
}

# the statements in strings of the C files after "--" that stand in the
# files before it (white space folded on both sides)
copied_statements() {
	local refs=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do refs+=("$1"); shift; done
	shift
	strings_of "$@" |
		awk -F'\t' '
		$2 ~ /^[ ]*(SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|WITH|COPY|TRUNCATE) / && split($2, w, " ") >= 3 &&
		$2 ~ /[a-z@]/ {
			s = $2
			gsub(/\\n|\\t/, " ", s)
			gsub(/[ \t]+/, " ", s)
			sub(/^ /, "", s)
			sub(/ $/, "", s)
			print $1 "\t" s
		}' |
		while IFS=$'\t' read -r place stmt; do
			if cat "${refs[@]}" | tr -s ' \t\n' '   ' | grep -qF -- "$stmt"; then
				echo "$place: \"$stmt\""
			fi
		done
}

# the strings of the C files after "--" that name a table of the CREATE
# TABLE statements of the SQL files before it
named_tables() {
	local scripts=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do scripts+=("$1"); shift; done
	shift
	local tables
	tables=$(grep -ohE 'CREATE TABLE (IF NOT EXISTS )?[A-Za-z_.@]+' "${scripts[@]}" | awk '{print $NF}' |
		sed 's/.*\.//' | grep -v '^oltp_sim' | sort -u | paste -sd'|')
	[ -n "$tables" ] || { echo "no table found in ${scripts[*]}"; return; }
	strings_of "$@" | grep -E "[^a-z_]($tables)([^a-z_]|\$)" | grep -vE $'\t''[a-z_/]+\.h$'
}

client_files=("$root"/client/*.c "$root"/client/*.h)
src_files=("$root"/src/*.c "$root"/src/*.h)
sql_files=("$root"/sql/*.sql)
install_scripts=("$root"/sql/oltp_sim*.sql)

# the checks find what they look for: a scratch client/ with a function of
# src/ copied in, statements of sql/ and src/ pasted into strings, tables
# named
mkdir -p "$scratch/client"
cp "${client_files[@]}" "$scratch/client/"
sed -n '/^seed_order(/,/^}/p' "$root/src/seed.c" >>"$scratch/client/init.c"
# the first two lines of a CREATE TABLE of the install scripts, and a
# statement of src/op_paciente.c
stmt=$(grep -h -m1 -A1 '^CREATE TABLE .*pacientes (' "${install_scripts[@]}" | head -2 | tr -s ' \t\n' '   ' | sed 's/ $//')
insert=$(grep -h -m1 -o '"INSERT INTO [^"]*"' "$root/src/op_paciente.c")
printf 'static const char *planted = "%s";\nstatic const char *copied = %s;\nstatic const char *named = "no row in pacientes";\n' \
	"$stmt" "$insert" >>"$scratch/client/spi.c"
planted_runs=$(copied_runs "${src_files[@]}" "${sql_files[@]}" -- "$scratch"/client/*.c "$scratch"/client/*.h | grep -c 'init.c')
planted_stmts=$(copied_statements "${src_files[@]}" "${sql_files[@]}" -- "$scratch"/client/*.c | grep -c 'spi.c')
planted_tables=$(named_tables "${install_scripts[@]}" -- "$scratch"/client/*.c | grep -c 'spi.c')
[ -n "$stmt" ] && [ -n "$insert" ] && [ "$planted_runs" -ge 1 ] && [ "$planted_stmts" = 2 ] && [ "$planted_tables" = 3 ]
check "the checks find planted copies: src/seed.c's seed_order in client/ ($planted_runs runs), a CREATE TABLE of sql/ and an INSERT of src/ in strings ($planted_stmts of 2), tables named ($planted_tables of 3)" $?

copied_runs "${src_files[@]}" "${sql_files[@]}" -- "${client_files[@]}" >"$scratch/runs.txt"
sed "s|$root/||g; s/^/# /" "$scratch/runs.txt"
client_lines=$(code_lines "${client_files[@]}" | grep -c .)
[ ! -s "$scratch/runs.txt" ] && [ "$client_lines" -gt 1000 ]
check "no six lines of client/ ($client_lines lines of code) stand in src/ or sql/" $?

copied_statements "${src_files[@]}" "${sql_files[@]}" -- "${client_files[@]}" >"$scratch/statements.txt"
sed "s|$root/||g; s/^/# /" "$scratch/statements.txt"
[ ! -s "$scratch/statements.txt" ]
check "no statement in a string of client/ stands in src/ or sql/" $?

named_tables "${install_scripts[@]}" -- "${client_files[@]}" >"$scratch/tables.txt"
sed "s|$root/||g; s/^/# /" "$scratch/tables.txt"
[ ! -s "$scratch/tables.txt" ]
check "no string of client/ names a table of the model: the client takes them from the model and the install scripts" $?

[ "$failed" = 0 ]
