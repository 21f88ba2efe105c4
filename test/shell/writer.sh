#!/usr/bin/env bash
# The README's non-superuser setup, on a cluster of its own: the SQL block
# of "Running the worker as a non-superuser" (marked in the README, read
# from it here, so the two cannot drift apart) is run as it stands, before
# the opt-in sets are added; the worker then streams as that role, under
# oltp_sim.profile = everything with both sets, watermarks on:
#   - the block runs without an error, and gives no table to the role;
#   - the worker connects as the role, which is not a superuser;
#   - every operation the profile weights commits at least once, and none
#     fails: no error in oltp_operations(), no "permission denied" in the
#     server log;
#   - the watermark messages reach a logical decoding slot.
# Prints TAP and exits non-zero on a failure.  Run as an unprivileged user.
set -uo pipefail
name=writer
port=55940
. "$(dirname "$0")/lib/cluster.bash"

echo "1..6"
# the weight-1 operations at about one in a thousand: flat out, with
# long_transaction short, every one comes within seconds
cluster_init "oltp_sim.enabled = off" "oltp_sim.profile = everything" \
	"oltp_sim.long_transaction = '10ms'" "oltp_sim.watermark_every = 100" ||
	{ echo "Bail out! the cluster did not start"; exit 1; }

# the README's block: from the line after its marker's fence to the fence
# that closes it
recipe=$dir/recipe.sql
awk '/<!-- test\/shell\/writer.sh runs this block/ {marked = 1; next}
	marked && /^```sql$/ {inside = 1; next}
	inside && /^```$/ {exit}
	inside {print}' "$root/README.md" >"$recipe"
grep -q "CREATE ROLE oltp_sim_writer" "$recipe" ||
	{ echo "Bail out! no marked SQL block in README.md"; exit 1; }

q "CREATE EXTENSION oltp_sim" >/dev/null
q "SELECT count(*) FROM oltp_seed(seed => 1)" >/dev/null
"$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -d postgres -f "$recipe" >"$dir/recipe.out" 2>&1 &&
	[ "$(q "SELECT count(*) FROM pg_class WHERE relowner = 'oltp_sim_writer'::regrole")" = 0 ]
check "the README's block runs, and grants without giving any table away" $?

# both sets, added after the grants: the default privileges cover them
q "SELECT count(*) FROM oltp_add_tables('edge_cases', seed => 1)" >/dev/null
q "SELECT count(*) FROM oltp_add_tables('types', seed => 1)" >/dev/null
q "SELECT 'created' FROM pg_create_logical_replication_slot('writer', 'test_decoding')" >/dev/null

q "ALTER SYSTEM SET oltp_sim.role = 'oltp_sim_writer'" >/dev/null
q "SELECT pg_reload_conf()" >/dev/null
poll "SELECT EXISTS (SELECT FROM pg_stat_activity a JOIN pg_roles r ON r.rolname = a.usename
      WHERE a.backend_type = 'oltp_sim worker' AND r.rolname = 'oltp_sim_writer' AND NOT r.rolsuper)" 60
check "the worker connects as oltp_sim_writer, not a superuser" $?

q "SELECT oltp_start()" >/dev/null
poll "SELECT bool_and(committed > 0) FROM oltp_operations() WHERE weight > 0" 300
check "every operation of the profile everything (those it weights) commits at least once" $?
q "SELECT oltp_stop()" >/dev/null
poll "SELECT state = 'paused' FROM oltp_status()" 60

[ "$(q "SELECT sum(errors) FROM oltp_operations()")" = 0 ] &&
	[ "$(q "SELECT errors FROM oltp_status()")" = 0 ]
check "no operation failed" $?
[ "$(log_count 'permission denied')" = 0 ]
check "no \"permission denied\" in the server log" $?
[ "$(q "SELECT count(*) > 0 FROM pg_logical_slot_get_changes('writer', NULL, NULL)
      WHERE data LIKE 'message: transactional: 1 prefix: oltp_sim%'")" = t ]
check "the watermarks reach a logical decoding slot" $?

if [ "$failed" != 0 ]; then
	q "SELECT operation, committed, skipped, errors FROM oltp_operations() WHERE committed = 0 OR errors > 0" >&2
	q "SELECT last_error FROM oltp_status()" >&2
fi
q "SELECT pg_drop_replication_slot('writer')" >/dev/null
finish
