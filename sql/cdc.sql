-- CDC: the publication, replica identity, and the decoded change stream
-- (test_decoding and pgoutput) proven to hold exactly the committed
-- operations, in whole transactions, with watermarks that count them.
CREATE EXTENSION oltp_sim;
\set ECHO none
\i sql/helpers.psql
\set ECHO all

-- the publication comes with the extension and publishes the seven tables
SELECT pubname, count(*) AS tables FROM pg_publication_tables
WHERE pubname = 'oltp_sim' GROUP BY 1;
SELECT oltp_publication('second_connector');
SELECT tablename FROM pg_publication_tables WHERE pubname = 'second_connector' ORDER BY 1;
DROP PUBLICATION second_connector;
SELECT oltp_publication('');

-- replica identity, all tables or some
SELECT * FROM oltp_replica_identity('full', ARRAY['consultas', 'exames']);
SELECT * FROM oltp_replica_identity('default');
SELECT * FROM oltp_replica_identity('index');
SELECT * FROM oltp_replica_identity('full', ARRAY['pg_class']);

SELECT count(*) FROM oltp_seed(seed => 31);

-- slots made before the stream starts see all of it
SELECT 'created' FROM pg_create_logical_replication_slot('oltp_td', 'test_decoding');
SELECT 'created' FROM pg_create_logical_replication_slot('oltp_po', 'pgoutput');

SELECT snap('start');
CREATE TABLE t.csnap AS SELECT 'start'::text AS label, * FROM oltp_changes();

-- force failures: the next ten patient ids are taken, so the worker's next
-- ten insert_paciente operations fail on the primary key and roll back
INSERT INTO pacientes (id, nome, nascimento, cpf)
SELECT s.last_value + g, 'Colisão ' || g, '2000-01-01', 'colisao-' || g
FROM pacientes_id_seq s, generate_series(1, 10) g;

SELECT stream(3000);
SELECT snap('run');
INSERT INTO t.csnap SELECT 'run', * FROM oltp_changes();
SELECT sum(committed) >= 3000 AS ran, sum(skipped) AS skipped FROM delta WHERE label = 'run';
SELECT operation, errors FROM delta WHERE label = 'run' AND errors > 0;

-- test_decoding: every change, in commit order
CREATE TABLE t.td AS
	SELECT ord, xid, data
	FROM pg_logical_slot_get_changes('oltp_td', NULL, NULL) WITH ORDINALITY AS c(lsn, xid, data, ord);
CREATE VIEW t.td_changes AS
	SELECT ord, xid, substring(data FROM '^table [^.]+\.(\w+):') AS tab,
		   lower(substring(data FROM '^table [^:]+: (INSERT|UPDATE|DELETE):')) AS kind, data
	FROM t.td WHERE data LIKE 'table %'
	  AND ours(substring(data FROM '^table [^.]+\.(\w+):'));

-- per table and kind: decoded = committed by the worker (+ the ten rows
-- inserted above) = table delta
CREATE VIEW t.expected AS
	SELECT table_name AS tab, kind, sum(committed)
		+ CASE WHEN table_name = 'pacientes' AND kind = 'insert' THEN 10 ELSE 0 END AS n
	FROM delta WHERE label = 'run'
	-- the table kinds the run changed (the edge cases are off in this profile)
	GROUP BY 1, 2 HAVING sum(committed) > 0;
SELECT e.tab, e.kind, e.n = (SELECT count(*) FROM t.td_changes c WHERE c.tab = e.tab AND c.kind = e.kind)
	AS decoded_matches
FROM t.expected e ORDER BY 1, 2;
SELECT count(*) AS other_changes FROM t.td_changes WHERE (tab, kind) NOT IN (SELECT tab, kind FROM t.expected);
SELECT e.tab, e.n = en.row_count - st.row_count AS table_delta_matches
FROM t.expected e
JOIN counts st ON st.table_name = e.tab AND st.label = 'start'
JOIN counts en ON en.table_name = e.tab AND en.label = 'run'
WHERE e.kind = 'insert' ORDER BY 1;

-- the same from the counters of rows per table and kind (oltp_changes(),
-- every table and kind, zeros included): committed rows = decoded changes
CREATE VIEW t.changes_delta AS
	SELECT b.table_name AS tab, b.kind, b.rows - a.rows
		+ CASE WHEN b.table_name = 'pacientes' AND b.kind = 'insert' THEN 10 ELSE 0 END AS n
	FROM t.csnap a JOIN t.csnap b USING (table_name, kind)
	WHERE a.label = 'start' AND b.label = 'run';
SELECT count(*) AS table_kinds,
	   bool_and(d.n = CASE WHEN d.kind = 'truncate' THEN
			(SELECT count(*) FROM t.td WHERE data ~ ('^table .*[ .]' || d.tab || '[,:] .*TRUNCATE:'))
		ELSE (SELECT count(*) FROM t.td_changes c WHERE c.tab = d.tab AND c.kind = d.kind) END)
	AS decoded_matches,
	   bool_and(d.n = coalesce((SELECT e.n FROM t.expected e WHERE e.tab = d.tab AND e.kind = d.kind), 0))
	AS rows_match_operations
FROM t.changes_delta d;

-- nothing of the failed operations: each taken id was inserted once, by us
SELECT count(*) AS inserts_of_taken_ids, bool_and(data LIKE '%colisao-%') AS all_ours
FROM t.td_changes
WHERE tab = 'pacientes' AND kind = 'insert' AND data LIKE '%nome[character varying]:''Colisão%';
SELECT count(*) AS failed_rows_decoded FROM t.td_changes c
WHERE tab = 'pacientes' AND kind = 'insert' AND data NOT LIKE '%colisao-%'
  AND substring(data FROM 'id\[bigint\]:(\d+)')::bigint IN
	  (SELECT id FROM pacientes WHERE cpf LIKE 'colisao-%');

-- watermarks: one every 100 operations, numbered without gaps, and each
-- one's counts minus the previous one's are exactly the changes between them
CREATE VIEW t.marks AS
	SELECT ord, substring(data FROM 'content:(.*)$')::jsonb AS wm
	FROM t.td WHERE data LIKE 'message: transactional: 1 prefix: oltp_sim, %';
SELECT abs(count(*) - (SELECT sum(committed) FROM delta WHERE label = 'run') / 100) <= 1
	AS one_mark_per_100_ops
FROM t.marks;
WITH m AS (
	SELECT ord, wm, lag(ord) OVER w AS prev_ord, lag(wm) OVER w AS prev_wm
	FROM t.marks WINDOW w AS (ORDER BY ord)
), pairs AS (
	SELECT m.ord, m.prev_ord, tab.key AS tab, k.key AS kind,
		   k.value::text::bigint - (m.prev_wm -> 'changes' -> tab.key ->> k.key)::bigint AS counted,
		   (m.wm ->> 'seq')::bigint - (m.prev_wm ->> 'seq')::bigint AS seq_step,
		   (m.wm ->> 'ops')::bigint - (m.prev_wm ->> 'ops')::bigint AS ops_step
	FROM m, jsonb_each(m.wm -> 'changes') tab, jsonb_each(tab.value) k
	WHERE m.prev_ord IS NOT NULL
)
SELECT count(DISTINCT ord) >= 25 AS pairs_checked,
	   bool_and(seq_step = 1) AS seq_without_gaps,
	   bool_and(ops_step = 100) AS every_100_ops,
	   bool_and(counted = (SELECT count(*) FROM t.td_changes c
						   WHERE c.ord > p.prev_ord AND c.ord < p.ord
							 AND c.tab = p.tab AND c.kind = p.kind)) AS counts_match_stream
FROM pairs p;

-- pgoutput (proto 1, the publication, messages on): the same counts
CREATE TABLE t.po AS
	SELECT ord, chr(get_byte(data, 0)) AS type,
		   CASE WHEN chr(get_byte(data, 0)) IN ('I', 'U') THEN
				((get_byte(data, 1)::bigint << 24) | (get_byte(data, 2) << 16) |
				 (get_byte(data, 3) << 8) | get_byte(data, 4))::oid END AS relid,
		   CASE WHEN chr(get_byte(data, 0)) = 'U' THEN chr(get_byte(data, 5)) END AS tuple_kind
	FROM pg_logical_slot_get_binary_changes('oltp_po', NULL, NULL,
		'proto_version', '1', 'publication_names', 'oltp_sim', 'messages', 'true')
		WITH ORDINALITY AS c(lsn, xid, data, ord);
SELECT e.tab, e.kind, e.n = (SELECT count(*) FROM t.po p JOIN pg_class r ON r.oid = p.relid
							 WHERE r.relname = e.tab
							   AND p.type = CASE e.kind WHEN 'insert' THEN 'I' ELSE 'U' END)
	AS pgoutput_matches
FROM t.expected e ORDER BY 1, 2;
SELECT (SELECT count(*) FROM t.po WHERE type = 'M') = (SELECT count(*) FROM t.marks) AS pgoutput_messages_match;
SELECT bool_and(d.n = (SELECT count(*) FROM t.po p JOIN pg_class r ON r.oid = p.relid
					   WHERE r.relname = d.tab
						 AND p.type = CASE d.kind WHEN 'insert' THEN 'I' ELSE 'U' END))
		FILTER (WHERE d.kind IN ('insert', 'update')) AS pgoutput_matches_changes,
	   (SELECT count(*) FROM t.po WHERE type IN ('D', 'T')) =
	   sum(d.n) FILTER (WHERE d.kind IN ('delete', 'truncate')) AS pgoutput_deletes_truncates_match
FROM t.changes_delta d;
SELECT count(*) FILTER (WHERE type = 'B') = count(*) FILTER (WHERE type = 'C') AS begins_match_commits
FROM t.po;
SELECT count(*) AS old_images_with_default FROM t.po WHERE type = 'U' AND tuple_kind = 'O';

-- whole transactions: with three operations per transaction each runs in a
-- subtransaction, so a failed one (five are forced below) takes back its own
-- change only; every change committed is decoded, three to a transaction
-- except where an operation failed
ALTER SYSTEM SET oltp_sim.ops_per_transaction = 3;
SELECT reload();
INSERT INTO pacientes (id, nome, nascimento, cpf)
SELECT s.last_value + g, 'Colisão ' || g, '2000-01-01', 'colisao-tx-' || g
FROM pacientes_id_seq s, generate_series(1, 5) g;
SELECT 'created' FROM pg_create_logical_replication_slot('oltp_tx', 'test_decoding');
SELECT snap('start');
SELECT stream(600);
SELECT snap('tx');
SELECT sum(skipped) AS skipped, sum(errors) AS errors FROM delta WHERE label = 'tx';
CREATE TABLE t.tx AS
	SELECT xid, count(*) AS changes
	FROM pg_logical_slot_get_changes('oltp_tx', NULL, NULL) c
	WHERE data LIKE 'table %'
	  AND ours(substring(data FROM '^table [^.]+\.(\w+):'))
	GROUP BY xid;
SELECT count(*) >= 200 AS transactions, max(changes),
	   sum(changes) = (SELECT sum(committed) FROM delta WHERE label = 'tx') AS decoded_is_committed,
	   count(*) FILTER (WHERE changes < 3) BETWEEN 1 AND 5 AS short_where_failed
FROM t.tx;
ALTER SYSTEM RESET oltp_sim.ops_per_transaction;
SELECT reload();

-- replica identity full: UPDATEs carry the old row; default: they do not
SELECT count(*) FROM oltp_replica_identity('full');
SELECT 'created' FROM pg_create_logical_replication_slot('oltp_full_td', 'test_decoding');
SELECT 'created' FROM pg_create_logical_replication_slot('oltp_full_po', 'pgoutput');
SELECT stream(400);
SELECT count(*) > 0 AS updates, bool_and(data LIKE '%: UPDATE: old-key: %new-tuple: %') AS all_with_old_row
FROM pg_logical_slot_get_changes('oltp_full_td', NULL, NULL)
WHERE data LIKE 'table %: UPDATE:%'
  AND ours(substring(data FROM '^table [^.]+\.(\w+):'));
SELECT count(*) > 0 AS updates, bool_and(chr(get_byte(data, 5)) = 'O') AS all_with_old_row
FROM pg_logical_slot_get_binary_changes('oltp_full_po', NULL, NULL,
	'proto_version', '1', 'publication_names', 'oltp_sim')
WHERE chr(get_byte(data, 0)) = 'U';
SELECT count(*) FROM oltp_replica_identity('default');
SELECT 'created' FROM pg_create_logical_replication_slot('oltp_default_td', 'test_decoding');
SELECT stream(400);
SELECT count(*) > 0 AS updates, bool_or(data LIKE '%old-key:%') AS any_with_old_row
FROM pg_logical_slot_get_changes('oltp_default_td', NULL, NULL)
WHERE data LIKE 'table %: UPDATE:%'
  AND ours(substring(data FROM '^table [^.]+\.(\w+):'));

-- a race an operation expects: the one patient is deleted between
-- insert_exame's pick (which still sees it) and its foreign key check
-- (which waits for the delete to commit, then finds the row gone).  The
-- foreign key violation is declared by the operation: rolled back, counted
-- as skipped, not as an error, and nothing of it reaches the stream
SELECT count(*) FROM oltp_reset('{"pacientes": 1, "medicos": 0, "convenios": 0, "pacientes_convenios": 0,
								  "consultas": 0, "exames": 0, "internacoes": 0}', seed => 1);
SELECT pg_catalog.format('ALTER SYSTEM SET oltp_sim.weight_%s = 0', operation)
FROM oltp_operations() WHERE operation <> 'insert_exame' ORDER BY operation \gexec
SELECT reload();
SELECT 'created' FROM pg_create_logical_replication_slot('oltp_race', 'test_decoding');
SELECT snap('start');
BEGIN;
DELETE FROM pacientes;
SELECT oltp_start();
SELECT wait_until($$SELECT EXISTS (SELECT 1 FROM pg_stat_activity
								   WHERE backend_type = 'oltp_sim worker' AND wait_event_type = 'Lock')$$);
COMMIT;
SELECT wait_until($$SELECT o.skipped > s.skipped FROM oltp_operations() o
					 JOIN t.snaps s ON s.operation = o.operation AND s.label = 'start'
					 WHERE o.operation = 'insert_exame'$$);
SELECT oltp_stop();
SELECT wait_until($q$SELECT state = 'paused' FROM oltp_status()$q$);
SELECT snap('race');
SELECT operation, committed, skipped > 0 AS skipped, errors FROM delta
WHERE label = 'race' AND operation = 'insert_exame';
SELECT coalesce(last_error, '') NOT LIKE '%foreign key%' AS not_an_error FROM oltp_status();
SELECT count(*) AS exames_decoded FROM pg_logical_slot_get_changes('oltp_race', NULL, NULL)
WHERE data LIKE 'table %.exames: INSERT:%';
SELECT pg_drop_replication_slot('oltp_race');
DROP VIEW t.changes_delta;
DROP TABLE t.csnap;
SELECT pg_catalog.format('ALTER SYSTEM RESET oltp_sim.weight_%s', operation)
FROM oltp_operations() WHERE operation <> 'insert_exame' ORDER BY operation \gexec
SELECT reload();

-- the publication survives oltp_reset, and DROP + CREATE EXTENSION
SELECT count(*) FROM oltp_reset(scale => 0.1, seed => 1);
SELECT count(*) AS tables_after_reset FROM pg_publication_tables WHERE pubname = 'oltp_sim';
DROP EXTENSION oltp_sim;
SELECT count(*) AS tables_after_drop FROM pg_publication_tables WHERE pubname = 'oltp_sim';
CREATE EXTENSION oltp_sim;
SELECT count(*) AS tables_after_create FROM pg_publication_tables WHERE pubname = 'oltp_sim';

SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
WHERE slot_name LIKE 'oltp\_%' ORDER BY slot_name;
DROP EXTENSION oltp_sim;
DROP PUBLICATION oltp_sim;
DROP SCHEMA t CASCADE;
