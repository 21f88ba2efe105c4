-- The opt-in set edge_cases: oltp_add_tables() and oltp_drop_tables(), the
-- tables they make (members of the extension and of its publications, the
-- report text stored out of line), and the edge-case operations: deletes,
-- updates leaving a TOASTed value unchanged and truncates counted exactly
-- as test_decoding and pgoutput decode them.
CREATE EXTENSION oltp_sim;
\set ECHO none
\i sql/helpers.psql
\set ECHO all

-- the default install is the seven core tables; the set is described, not made
SELECT count(*) AS tables FROM pg_tables
WHERE schemaname = 'public' AND tablename IN (SELECT table_name FROM oltp_tables());
SELECT table_name, table_set FROM oltp_tables() WHERE table_set <> 'core' ORDER BY ordinal;
SELECT table_name FROM oltp_counts() ORDER BY 1;

-- bad sets are refused, naming the valid ones
SELECT * FROM oltp_add_tables('edge_case');
SELECT * FROM oltp_add_tables('core');
SELECT * FROM oltp_add_tables(NULL);
SELECT * FROM oltp_drop_tables('core');
SELECT * FROM oltp_drop_tables('edge_cases');

-- the worker has its plans for the core set before the set is added
SELECT count(*) FROM oltp_seed(seed => 7);
SELECT snap('start');
SELECT stream(50);

-- adding the set: created and seeded in proportion to the patients (the
-- default volumes per 2000), and again only says so
SELECT oltp_publication('second_connector');
SELECT count(*) AS npac FROM pacientes \gset
SELECT a.table_name, a.inserted = round(m.default_rows * :npac / 2000.0) AS in_proportion
FROM oltp_add_tables('edge_cases', seed => 7) a JOIN oltp_tables() m USING (table_name)
ORDER BY m.ordinal;
SELECT * FROM oltp_add_tables('edge_cases');
SELECT c.relname, c.relkind FROM pg_depend d
JOIN pg_class c ON d.classid = 'pg_class'::regclass AND c.oid = d.objid
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'oltp_sim_edge_cases')
  AND c.relname IN ('laudos', 'fila_triagem', 'laudos_id_seq', 'fila_triagem_id_seq')
ORDER BY 1;
SELECT pubname, tablename FROM pg_publication_tables
WHERE tablename IN ('laudos', 'fila_triagem') ORDER BY 1, 2;
DROP PUBLICATION second_connector;
SELECT table_name, row_count = round(m.default_rows * :npac / 2000.0) AS seeded
FROM oltp_counts() JOIN oltp_tables() m USING (table_name)
WHERE table_name IN ('laudos', 'fila_triagem') ORDER BY m.ordinal;
SELECT * FROM oltp_replica_identity('default') WHERE table_name IN ('laudos', 'fila_triagem');
SELECT count(*) AS reports_on_pending_exams
FROM laudos l JOIN exames e ON e.id = l.exame_id WHERE e.resultado IS NULL;

-- a report's text is 4 to 64 kB, stored out of line and uncompressed
SELECT attstorage FROM pg_attribute WHERE attrelid = 'laudos'::regclass AND attname = 'texto';
SELECT min(octet_length(texto)) >= 4096 AS at_least_4k, max(octet_length(texto)) <= 65536 AS at_most_64k,
	   bool_and(pg_column_size(texto) >= octet_length(texto)) AS uncompressed
FROM laudos;
\set ECHO none
SELECT format('SELECT count(DISTINCT chunk_id) >= (SELECT count(*) FROM laudos) AS every_text_toasted FROM %s',
			  reltoastrelid::regclass) AS q FROM pg_class WHERE relname = 'laudos' \gset
\set ECHO all
:q;

-- the stream: only the edge cases, under the edge_cases profile
ALTER SYSTEM SET oltp_sim.profile = 'edge_cases';
SELECT pg_catalog.format('ALTER SYSTEM SET oltp_sim.weight_%s = 0', operation)
FROM oltp_operations() WHERE (operation ~ '^(insert|update)_' AND operation <> 'insert_laudo')
	-- erasures, renumberings, ... have their own test (transactions)
	OR operation IN ('erase_paciente', 'rekey_paciente', 'admit_paciente', 'import_resultados',
					 'long_transaction')
ORDER BY operation \gexec
SELECT reload();
SELECT operation, weight FROM oltp_operations() WHERE weight > 0 ORDER BY operation;

SELECT 'created' FROM pg_create_logical_replication_slot('oltp_edge_td', 'test_decoding');
SELECT 'created' FROM pg_create_logical_replication_slot('oltp_edge_po', 'pgoutput');
SELECT snap('start');
CREATE TABLE t.csnap AS SELECT 'start'::text AS label, * FROM oltp_changes();
SELECT stream(600);
SELECT snap('run');
INSERT INTO t.csnap SELECT 'run', * FROM oltp_changes();

-- every edge case ran, none failed
SELECT operation, committed > 0 AS ran, errors FROM delta
WHERE label = 'run' AND operation IN (SELECT operation FROM oltp_operations() WHERE weight > 0)
ORDER BY operation;

CREATE VIEW t.changes_delta AS
	SELECT b.table_name AS tab, b.kind, b.rows - a.rows AS n
	FROM t.csnap a JOIN t.csnap b USING (table_name, kind)
	WHERE a.label = 'start' AND b.label = 'run';

-- test_decoding: per table and kind, what was committed is what is decoded
CREATE TABLE t.td AS
	SELECT ord, data
	FROM pg_logical_slot_get_changes('oltp_edge_td', NULL, NULL) WITH ORDINALITY AS c(lsn, xid, data, ord);
CREATE VIEW t.td_changes AS
	SELECT substring(data FROM '^table [^.]+\.(\w+):') AS tab,
		   lower(substring(data FROM '^table [^:]+: (INSERT|UPDATE|DELETE|TRUNCATE):')) AS kind, data
	FROM t.td WHERE data LIKE 'table public.%';
SELECT d.tab, d.kind, d.n > 0 AS changed,
	   d.n = (SELECT count(*) FROM t.td_changes c WHERE c.tab = d.tab AND c.kind = d.kind) AS decoded_matches
FROM t.changes_delta d JOIN oltp_tables() m ON m.table_name = d.tab
WHERE d.n > 0 OR d.tab IN ('exames', 'consultas', 'laudos', 'fila_triagem')
ORDER BY m.ordinal, d.kind;
SELECT count(*) AS table_kinds, bool_and(d.n = (SELECT count(*) FROM t.td_changes c
												WHERE c.tab = d.tab AND c.kind = d.kind)) AS all_match
FROM t.changes_delta d;
-- a delete carries the key only (replica identity default)
SELECT bool_and(data ~ '^table public\.\w+: DELETE: id\[bigint\]:\d+$') AS deletes_key_only
FROM t.td_changes WHERE kind = 'delete';
-- a signature leaves the text an unchanged TOASTed value: the decoder sends
-- no text for it (Debezium's placeholder); an amendment sends the new text
SELECT (SELECT count(*) FROM t.td_changes WHERE tab = 'laudos' AND kind = 'update'
		  AND data LIKE '%texto[text]:unchanged-toast-datum%') =
	   (SELECT committed FROM delta WHERE label = 'run' AND operation = 'sign_laudo')
	AS unchanged_text_exactly_on_signatures,
	   (SELECT count(*) FROM t.td_changes WHERE tab = 'laudos' AND kind = 'update'
		  AND data NOT LIKE '%unchanged-toast-datum%' AND data LIKE '%versao[integer]:%') =
	   (SELECT committed FROM delta WHERE label = 'run' AND operation = 'amend_laudo')
	AS text_sent_on_amendments;

-- pgoutput: the same counts by message type (I, U, D) and one T per truncate
CREATE TABLE t.po AS
	SELECT chr(get_byte(data, 0)) AS type,
		   CASE WHEN chr(get_byte(data, 0)) IN ('I', 'U', 'D') THEN
				((get_byte(data, 1)::bigint << 24) | (get_byte(data, 2) << 16) |
				 (get_byte(data, 3) << 8) | get_byte(data, 4))::oid
				WHEN chr(get_byte(data, 0)) = 'T' THEN
				((get_byte(data, 6)::bigint << 24) | (get_byte(data, 7) << 16) |
				 (get_byte(data, 8) << 8) | get_byte(data, 9))::oid END AS relid
	FROM pg_logical_slot_get_binary_changes('oltp_edge_po', NULL, NULL,
		'proto_version', '1', 'publication_names', 'oltp_sim')
		WITH ORDINALITY AS c(lsn, xid, data, ord);
SELECT bool_and(d.n = (SELECT count(*) FROM t.po p JOIN pg_class r ON r.oid = p.relid
					   WHERE r.relname = d.tab
						 AND p.type = CASE d.kind WHEN 'insert' THEN 'I' WHEN 'update' THEN 'U'
											WHEN 'delete' THEN 'D' WHEN 'truncate' THEN 'T'
											-- an announced change is a message (none here)
											ELSE 'M' END))
	AS pgoutput_matches
FROM t.changes_delta d;
SELECT pg_drop_replication_slot('oltp_edge_td');
SELECT pg_drop_replication_slot('oltp_edge_po');

-- reset covers the set: emptied and seeded again
SELECT table_name, inserted FROM oltp_reset(scale => 0.05, seed => 7) ORDER BY 1;

-- dropping the set while the worker knows it: its operations are skipped,
-- not failed, and the others go on
SELECT * FROM oltp_drop_tables('edge_cases');
SELECT count(*) AS tables FROM pg_tables
WHERE schemaname = 'public' AND tablename IN (SELECT table_name FROM oltp_tables());
SELECT count(*) AS published FROM pg_publication_tables WHERE pubname = 'oltp_sim';
ALTER SYSTEM SET oltp_sim.weight_insert_paciente = 10;
SELECT reload();
SELECT snap('start');
SELECT stream(600);
SELECT snap('gone');
SELECT operation, committed, skipped > 0 AS skipped, errors FROM delta
WHERE label = 'gone' AND operation IN (SELECT operation FROM oltp_operations()
									   WHERE table_name IN ('laudos', 'fila_triagem'))
ORDER BY operation;
SELECT sum(committed) > 0 AS others_committed, sum(errors) AS others_errors FROM delta
WHERE label = 'gone' AND operation NOT IN (SELECT operation FROM oltp_operations()
										   WHERE table_name IN ('laudos', 'fila_triagem'));

-- so does a run in this session (CALL oltp_run), and it plans again when
-- the set comes back
SET client_min_messages = warning;
CALL oltp_run(ops => 200, seed => 3);
RESET client_min_messages;

-- added again, the stream uses the new tables at once
SELECT table_name FROM oltp_add_tables('edge_cases', seed => 8) ORDER BY 1;
SELECT count(*) AS laudos_before FROM laudos \gset
SET client_min_messages = warning;
CALL oltp_run(ops => 200, seed => 3);
RESET client_min_messages;
SELECT count(*) > :laudos_before AS run_wrote_reports FROM laudos;
SELECT snap('start');
SELECT stream(300);
SELECT snap('back');
SELECT operation, committed > 0 AS committed, errors FROM delta
WHERE label = 'back' AND operation IN ('insert_laudo', 'enqueue_triagem') ORDER BY operation;

-- DROP EXTENSION takes the set's tables with it
ALTER SYSTEM RESET oltp_sim.profile;
SELECT pg_catalog.format('ALTER SYSTEM RESET oltp_sim.weight_%s', operation)
FROM oltp_operations() ORDER BY operation \gexec
SELECT reload();
DROP EXTENSION oltp_sim CASCADE;
SELECT count(*) AS left_behind FROM pg_class WHERE relname IN ('laudos', 'fila_triagem', 'laudos_id_seq');
DROP PUBLICATION oltp_sim;
DROP SCHEMA t CASCADE;
