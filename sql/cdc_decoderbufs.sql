-- decoderbufs (Debezium's own output plugin) decodes the stream too: its
-- changes per table and kind are the worker's committed counts.  Its debug
-- mode prints each protobuf message as text.
-- A server without the plugin skips this file, saying so (cdc_decoderbufs_1.out):
-- make installcheck passes there; tools/test, which installs the plugin,
-- counts a skip as a failure.
\set ECHO none
\set plugin decoderbufs
\i sql/plugin_installed.psql
\set ECHO all
\if :have_plugin
\else
\echo 'decoderbufs is not installed on this server: cdc_decoderbufs skipped'
\quit
\endif
CREATE EXTENSION oltp_sim;
\set ECHO none
\i sql/helpers.psql
\set ECHO all
SET client_min_messages = warning;	-- the plugin reports its start with INFO

SELECT count(*) FROM oltp_seed(seed => 51);
SELECT 'created' FROM pg_create_logical_replication_slot('oltp_dbs', 'decoderbufs');
SELECT snap('start');
SELECT stream(1500);
SELECT snap('run');

CREATE TABLE t.b AS
	SELECT substring(data FROM 'table\[[^.]+\.(\w+)\]') AS tab,
		   substring(data FROM 'table\[[^]]+\], op\[(\d+)\]')::int AS op
	FROM pg_logical_slot_get_changes('oltp_dbs', NULL, NULL, 'debug-mode', '1');
SELECT d.table_name, d.kind,
	   d.n = (SELECT count(*) FROM t.b
			  WHERE tab = d.table_name AND op = CASE d.kind WHEN 'insert' THEN 0 ELSE 1 END)
	   AS decoderbufs_matches
FROM (SELECT table_name, kind, sum(committed) AS n FROM delta WHERE label = 'run'
	  GROUP BY 1, 2 HAVING sum(committed) > 0) d
ORDER BY 1, 2;
SELECT count(*) AS other_changes FROM t.b
WHERE ours(tab) AND (op NOT IN (0, 1) OR tab IN ('medicos', 'convenios', 'pacientes_convenios'));

SELECT pg_drop_replication_slot('oltp_dbs');
RESET client_min_messages;
DROP EXTENSION oltp_sim;
DROP PUBLICATION oltp_sim;
DROP SCHEMA t CASCADE;
