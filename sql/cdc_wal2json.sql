-- wal2json decodes the stream too: its changes per table and kind are the
-- worker's committed counts, and it carries the watermarks.
-- A server without the plugin skips this file, saying so (cdc_wal2json_1.out):
-- make installcheck passes there; tools/test, which installs the plugin,
-- counts a skip as a failure.
\set ECHO none
\set plugin wal2json
\i sql/plugin_installed.psql
\set ECHO all
\if :have_plugin
\else
\echo 'wal2json is not installed on this server: cdc_wal2json skipped'
\quit
\endif
CREATE EXTENSION oltp_sim;
\set ECHO none
\i sql/helpers.psql
\set ECHO all

SELECT count(*) FROM oltp_seed(seed => 41);
SELECT 'created' FROM pg_create_logical_replication_slot('oltp_w2j', 'wal2json');
SELECT snap('start');
SELECT stream(1500);
SELECT snap('run');

CREATE TABLE t.w AS
	SELECT data::jsonb AS j
	FROM pg_logical_slot_get_changes('oltp_w2j', NULL, NULL,
		'format-version', '2', 'include-transaction', 'false');
SELECT d.table_name, d.kind,
	   d.n = (SELECT count(*) FROM t.w
			  WHERE j ->> 'table' = d.table_name
				AND j ->> 'action' = CASE d.kind WHEN 'insert' THEN 'I' ELSE 'U' END) AS wal2json_matches
FROM (SELECT table_name, kind, sum(committed) AS n FROM delta WHERE label = 'run'
	  GROUP BY 1, 2 HAVING sum(committed) > 0) d
ORDER BY 1, 2;
SELECT count(*) AS other_changes FROM t.w
WHERE j ->> 'action' IN ('I', 'U', 'D') AND ours(j ->> 'table')
  AND (j ->> 'action' = 'D' OR j ->> 'table' IN ('medicos', 'convenios', 'pacientes_convenios'));
SELECT abs(count(*) - (SELECT sum(committed) FROM delta WHERE label = 'run') / 100) <= 1
	AS one_mark_per_100_ops
FROM t.w WHERE j ->> 'action' = 'M' AND j ->> 'prefix' = 'oltp_sim';

SELECT pg_drop_replication_slot('oltp_w2j');
DROP EXTENSION oltp_sim;
DROP PUBLICATION oltp_sim;
DROP SCHEMA t CASCADE;
