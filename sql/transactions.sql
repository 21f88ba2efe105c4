-- Issue 12 part B: erasure, renumbering, admissions, result imports and
-- long transactions.  Committed counters per table and kind equal the
-- decoded stream (test_decoding and pgoutput); no operation trips a
-- constraint; a long transaction's changes arrive after its commit, whole.
CREATE EXTENSION oltp_sim;
\set ECHO none
\i sql/helpers.psql
\set ECHO all

SELECT count(*) FROM oltp_seed(seed => 12);
-- with the edge_cases set, so that erasures also delete reports and queue
-- entries, and renumberings also rewrite the queue
SELECT count(*) AS tables FROM oltp_add_tables('edge_cases', seed => 12);

-- this part's operations, with inserts feeding them children; no
-- insert_internacao, so every admission insert is admit_paciente's
SELECT pg_catalog.format('ALTER SYSTEM SET oltp_sim.weight_%s = %s', operation,
	CASE operation WHEN 'erase_paciente' THEN 4 WHEN 'rekey_paciente' THEN 4
		WHEN 'admit_paciente' THEN 4 WHEN 'import_resultados' THEN 1
		WHEN 'insert_paciente' THEN 4 WHEN 'insert_consulta' THEN 8
		WHEN 'insert_exame' THEN 8 WHEN 'update_exame' THEN 4 ELSE 0 END)
FROM oltp_operations() ORDER BY operation \gexec
ALTER SYSTEM SET oltp_sim.batch_rows = 100;
SELECT reload();

SELECT 'created' FROM pg_create_logical_replication_slot('oltp_td', 'test_decoding');
SELECT 'created' FROM pg_create_logical_replication_slot('oltp_po', 'pgoutput');
SELECT snap('start');
CREATE TABLE t.csnap AS SELECT 'start'::text AS label, * FROM oltp_changes();
SELECT stream(800);
SELECT snap('run');
INSERT INTO t.csnap SELECT 'run', * FROM oltp_changes();

-- every operation ran; none failed (ON DELETE RESTRICT never refused an
-- erasure, no renumbered id collided with a later insert)
SELECT operation, committed > 0 AS ran, errors FROM delta
WHERE label = 'run' AND operation IN ('erase_paciente', 'rekey_paciente', 'admit_paciente',
	'import_resultados', 'insert_paciente') ORDER BY 1;
SELECT sum(errors) AS errors FROM delta WHERE label = 'run';

-- the changes to the seven tables, in stream order, with table and kind
CREATE TABLE t.td_changes AS
	SELECT c.ord, c.xid, m[1] AS tab, lower(m[2]) AS kind, c.data
	FROM pg_logical_slot_get_changes('oltp_td', NULL, NULL) WITH ORDINALITY AS c(lsn, xid, data, ord),
		 regexp_match(c.data, '^table [^.]+\.(\w+): (INSERT|UPDATE|DELETE):') AS m
	WHERE ours(m[1]) OR m[1] IN ('laudos', 'fila_triagem');
CREATE VIEW t.changes_delta AS
	SELECT b.table_name AS tab, b.kind, b.rows - a.rows AS n
	FROM t.csnap a JOIN t.csnap b USING (table_name, kind)
	WHERE a.label = 'start' AND b.label = 'run';

-- committed rows per table and kind = test_decoding's changes, cascaded
-- updates and deletes included
SELECT tab, kind, n > 0 AS changed,
	   n = (SELECT count(*) FROM t.td_changes c WHERE c.tab = d.tab AND c.kind = d.kind)
	   AS decoded_matches
FROM t.changes_delta d WHERE kind <> 'truncate' AND ours(tab) AND (n > 0 OR tab <> 'medicos')
ORDER BY 1, 2;
-- and for the reports and the queue (deleted by erasures, rewritten by renumberings)
SELECT bool_and(n = (SELECT count(*) FROM t.td_changes c WHERE c.tab = d.tab AND c.kind = d.kind))
	AS edge_tables_decoded_match
FROM t.changes_delta d WHERE tab IN ('laudos', 'fila_triagem') AND kind <> 'truncate';
SELECT count(*) AS other_changes FROM t.td_changes c
WHERE NOT EXISTS (SELECT 1 FROM t.changes_delta d WHERE d.tab = c.tab AND d.kind = c.kind AND d.n > 0);

-- pgoutput: the same counts
CREATE TABLE t.po AS
	SELECT ord, chr(get_byte(data, 0)) AS type,
		   CASE WHEN chr(get_byte(data, 0)) IN ('I', 'U', 'D') THEN
				((get_byte(data, 1)::bigint << 24) | (get_byte(data, 2) << 16) |
				 (get_byte(data, 3) << 8) | get_byte(data, 4))::oid END AS relid
	FROM pg_logical_slot_get_binary_changes('oltp_po', NULL, NULL,
		'proto_version', '1', 'publication_names', 'oltp_sim')
		WITH ORDINALITY AS c(lsn, xid, data, ord);
SELECT bool_and(d.n = (SELECT count(*) FROM t.po p JOIN pg_class r ON r.oid = p.relid
					   WHERE r.relname = d.tab
						 AND p.type = CASE d.kind WHEN 'insert' THEN 'I' WHEN 'update' THEN 'U'
									  WHEN 'delete' THEN 'D'
									  -- an announced change is a message (none here)
									  ELSE 'M' END)) AS pgoutput_matches
FROM t.changes_delta d WHERE d.kind <> 'truncate';

-- erasure: in each transaction deleting a patient, every row referencing
-- the patient is deleted before it
SELECT count(*) > 0 AS erasures,
	   bool_and(NOT EXISTS (SELECT 1 FROM t.td_changes c
							WHERE c.xid = p.xid AND c.kind = 'delete' AND c.tab <> 'pacientes'
							  AND c.ord > p.ord)) AS children_first
FROM t.td_changes p WHERE p.tab = 'pacientes' AND p.kind = 'delete';

-- renumbering: the patient's key changes (old key in the stream), the new
-- id came from the sequence, so every id the sequence hands out later is new
SELECT count(*) > 0 AS key_changes FROM t.td_changes
WHERE tab = 'pacientes' AND kind = 'update' AND data LIKE '%old-key: id[bigint]:%';
SELECT max(id) <= (SELECT last_value FROM pacientes_id_seq) AS ids_below_sequence FROM pacientes;
SELECT count(*) > 0 AS cascaded_child_updates FROM t.td_changes c
WHERE c.kind = 'update' AND c.tab <> 'pacientes'
  AND EXISTS (SELECT 1 FROM t.td_changes p WHERE p.xid = c.xid AND p.tab = 'pacientes'
			  AND p.kind = 'update' AND p.data LIKE '%old-key:%');

-- admissions: one transaction, one stay, 1 to 5 exams, one consultation
SELECT count(*) > 0 AS admissions,
	   bool_and(stays = 1 AND exams BETWEEN 1 AND 5 AND visits = 1 AND others = 0) AS shaped
FROM (SELECT xid, count(*) FILTER (WHERE tab = 'internacoes') AS stays,
			 count(*) FILTER (WHERE tab = 'exames') AS exams,
			 count(*) FILTER (WHERE tab = 'consultas') AS visits,
			 count(*) FILTER (WHERE kind <> 'insert') AS others
	  FROM t.td_changes
	  WHERE xid IN (SELECT xid FROM t.td_changes WHERE tab = 'internacoes' AND kind = 'insert')
	  GROUP BY xid) a;

-- imports: one transaction of oltp_sim.batch_rows results
SELECT max(n) AS largest_import FROM (
	SELECT xid, count(*) AS n FROM t.td_changes WHERE tab = 'exames' AND kind = 'update'
	GROUP BY xid) i;
SELECT count(*) AS results_null FROM t.td_changes c
WHERE tab = 'exames' AND kind = 'update' AND data LIKE '%resultado[character varying]:null%'
  AND NOT EXISTS (SELECT 1 FROM t.td_changes p WHERE p.xid = c.xid AND p.tab = 'pacientes');

-- a batch larger than one UPDATE (10,000 rows) is still one transaction
-- of exactly batch_rows results (import_resultados alone, every other
-- weight 0, not echoed)
\set ECHO none
SELECT pg_catalog.format('ALTER SYSTEM SET oltp_sim.weight_%s = %s', operation,
	CASE operation WHEN 'import_resultados' THEN 1 ELSE 0 END)
FROM oltp_operations() ORDER BY operation \gexec
\set ECHO all
ALTER SYSTEM SET oltp_sim.batch_rows = 25000;
SELECT reload();
INSERT INTO exames (paciente_id, tipo_exame, data)
SELECT (SELECT min(id) FROM pacientes), 'Hemograma completo', localtimestamp + interval '1 day'
FROM generate_series(1, 30000);
SELECT count(*) AS pending_before FROM exames WHERE resultado IS NULL \gset
SELECT 'created' FROM pg_create_logical_replication_slot('oltp_batch', 'test_decoding');
CALL oltp_run(ops => 1, seed => 12);
SELECT :pending_before - count(*) AS results_given FROM exames WHERE resultado IS NULL;
SELECT count(DISTINCT xid::text) AS transactions, count(*) AS exam_updates
FROM pg_logical_slot_get_changes('oltp_batch', NULL, NULL)
WHERE data LIKE 'table %.exames: UPDATE:%';
SELECT pg_drop_replication_slot('oltp_batch');

-- a long transaction stays open while others commit: the one below commits
-- while the transaction is held (on a process of its own), and comes first
-- in the stream; the long one's changes arrive after its commit, whole.
-- oltp_stop() ends the ten-minute hold early, and it commits
SELECT pg_catalog.format('ALTER SYSTEM SET oltp_sim.weight_%s = %s', operation,
	CASE operation WHEN 'long_transaction' THEN 1 ELSE 0 END)
FROM oltp_operations() ORDER BY operation \gexec
ALTER SYSTEM SET oltp_sim.long_transaction = '10min';
-- one at a time: the worker, flat out, skips the others while it is held
ALTER SYSTEM SET oltp_sim.max_held_transactions = 1;
SELECT reload();
SELECT 'created' FROM pg_create_logical_replication_slot('oltp_long', 'test_decoding');
SELECT snap('start');
SELECT oltp_start();
SELECT wait_until($$SELECT EXISTS (SELECT 1 FROM pg_stat_activity
								   WHERE backend_type = 'oltp_sim hold' AND wait_event_type = 'Extension'
									 AND backend_xid IS NOT NULL)$$);
INSERT INTO pacientes (nome, nascimento, cpf) VALUES ('Durante', '2000-01-01', 'durante-1');
SELECT oltp_stop();
-- oltp_status() says paused at once; the held transaction commits and counts
-- just after
SELECT wait_until($$SELECT o.committed > s.committed FROM oltp_operations() o
					 JOIN t.snaps s ON s.operation = o.operation AND s.label = 'start'
					 WHERE o.operation = 'long_transaction'$$);
SELECT wait_until($q$SELECT state = 'paused' FROM oltp_status()$q$);
SELECT snap('long');
SELECT operation, committed FROM delta WHERE label = 'long' AND committed > 0;
CREATE TABLE t.lt AS
	SELECT ord, xid, data
	FROM pg_logical_slot_get_changes('oltp_long', NULL, NULL) WITH ORDINALITY AS c(lsn, xid, data, ord);
-- test_decoding sends each transaction whole at its commit: ours, then the long one
SELECT string_agg(tabs, ' | ' ORDER BY first) AS transactions_in_stream_order
FROM (SELECT xid::text, min(ord) AS first, string_agg(substring(data FROM '^table [^.]+\.(\w+):'), ' ' ORDER BY ord) AS tabs
	  FROM t.lt WHERE data LIKE 'table %' AND ours(substring(data FROM '^table [^.]+\.(\w+):'))
	  GROUP BY xid::text) x;
SELECT count(*) AS long_changes_between_begin_and_commit FROM t.lt l
WHERE l.ord > (SELECT max(ord) FROM t.lt WHERE data LIKE 'BEGIN%' AND ord < (SELECT min(ord) FROM t.lt WHERE data LIKE '%consultas: INSERT%'))
  AND l.ord < (SELECT min(ord) FROM t.lt WHERE data LIKE 'COMMIT%' AND ord > (SELECT min(ord) FROM t.lt WHERE data LIKE '%consultas: INSERT%'));

SELECT pg_catalog.format('ALTER SYSTEM RESET oltp_sim.weight_%s', operation)
FROM oltp_operations() ORDER BY operation \gexec
ALTER SYSTEM RESET oltp_sim.batch_rows;
ALTER SYSTEM RESET oltp_sim.long_transaction;
ALTER SYSTEM RESET oltp_sim.max_held_transactions;
SELECT reload();
SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
WHERE slot_name LIKE 'oltp\_%' ORDER BY slot_name;
DROP EXTENSION oltp_sim CASCADE;
DROP PUBLICATION oltp_sim;
DROP SCHEMA t CASCADE;
