-- The set partitions (eventos_leito, partitioned by month, with a default
-- partition) decoded by test_decoding and by pgoutput through two
-- publications, publish_via_partition_root = true and false: what each
-- operation sends (a cross-partition UPDATE is a DELETE and an INSERT;
-- DETACH, ATTACH, DROP and creating a partition send no row event;
-- TRUNCATE of a partition is sent only under false), and the counters
-- (oltp_changes) equal to the decoded changes per table and kind in both
-- modes.  Everything printed is a count or a boolean: the partitions'
-- names depend on the month the test runs in.
SET client_min_messages = warning;
CREATE EXTENSION oltp_sim;
\set ECHO none
\i sql/helpers.psql
\set ECHO all
SELECT count(*) > 0 AS seeded FROM oltp_reset(seed => 5);
SELECT * FROM oltp_add_tables('partitions', 7);
SELECT relkind, relispartition FROM pg_class WHERE relname = 'eventos_leito';
-- the seed's months have partitions of their own, the month after too,
-- and the default partition is empty
SELECT count(*) >= 4 AS month_partitions FROM oltp_sim_eventos_leito_months();
SELECT count(*) AS in_default FROM eventos_leito_default;
SELECT count(*) AS rows_seeded FROM eventos_leito;

-- the same table through two publications
SELECT oltp_publication('parts_root', true), oltp_publication('parts_leaf', false);
SELECT pubname, pubviaroot FROM pg_publication WHERE pubname LIKE 'parts\_%' ORDER BY 1;

-- the operations: weight only under profile partitions
SELECT operation, table_name, kind, weight FROM oltp_operations()
WHERE operation ~ 'evento_leito|partition' ORDER BY 1;

CREATE FUNCTION t.only(VARIADIC ops text[]) RETURNS jsonb LANGUAGE sql AS $$
	SELECT jsonb_object_agg(operation, CASE WHEN operation = ANY (ops) THEN 1 ELSE 0 END)
	FROM oltp_operations()
$$;
-- the operations run in this session (CALL oltp_run) on today's clock
SELECT current_date + time '08:00' AS anchor \gset

SELECT 'created' FROM pg_create_logical_replication_slot('pt_td', 'test_decoding');
SELECT 'created' FROM pg_create_logical_replication_slot('pt_root', 'pgoutput');
SELECT 'created' FROM pg_create_logical_replication_slot('pt_leaf', 'pgoutput');

CREATE FUNCTION t.int4(b bytea, at int) RETURNS oid IMMUTABLE LANGUAGE sql AS $$
	SELECT ((get_byte(b, at)::bigint << 24) | (get_byte(b, at + 1) << 16)
			| (get_byte(b, at + 2) << 8) | get_byte(b, at + 3))::oid
$$;
-- test_decoding's lines under a label: the table, the kind, the id; an
-- announcement (prefix oltp_sim.schema) as kind SCHEMA of its table, with
-- its message
CREATE TEMP TABLE td (label text, ord bigint, rel text, kind text, id bigint, msg jsonb, data text);
CREATE FUNCTION t.td(label text) RETURNS bigint LANGUAGE sql AS $$
	INSERT INTO pg_temp.td
	SELECT $1, ord, coalesce(m[1], a.msg->>'table'), coalesce(m[2], CASE WHEN a.msg IS NOT NULL THEN 'SCHEMA' END),
		   (regexp_match(data, 'id\[bigint\]:(\d+)'))[1]::bigint, a.msg, data
	FROM pg_logical_slot_get_changes('pt_td', NULL, NULL, 'include-xids', '0', 'skip-empty-xacts', '1')
		WITH ORDINALITY AS c(lsn, xid, data, ord)
	LEFT JOIN LATERAL regexp_match(data, '^table public\.([a-z0-9_]+): ([A-Z]+)') m ON true
	CROSS JOIN LATERAL (SELECT CASE WHEN data LIKE 'message: transactional: 1 prefix: oltp\_sim.schema, %'
							   THEN substr(data, strpos(data, 'content:') + 8)::jsonb END AS msg) a
	WHERE data NOT LIKE 'table t.%';
	SELECT count(*) FROM pg_temp.td x WHERE x.label = $1
$$;
-- pgoutput's messages (protocol 1) under a label: the kind (I insert, U
-- update, D delete, T truncate, M message) and the relation, named from
-- the stream's own Relation messages
CREATE TEMP TABLE po (label text, mode text, ord bigint, kind text, relid oid, rel text);
CREATE FUNCTION t.po(label text, mode text) RETURNS bigint LANGUAGE sql AS $$
	INSERT INTO pg_temp.po
	SELECT $1, $2, ord, chr(get_byte(data, 0)),
		   CASE WHEN chr(get_byte(data, 0)) IN ('R', 'I', 'U', 'D') THEN t.int4(data, 1)
				WHEN chr(get_byte(data, 0)) = 'T' THEN t.int4(data, 6) END,
		   CASE WHEN chr(get_byte(data, 0)) = 'R' THEN split_part(encode(substr(data, 6), 'escape'), '\000', 2)
				WHEN chr(get_byte(data, 0)) = 'M' THEN 'prefix ' || split_part(encode(substr(data, 11), 'escape'), '\000', 1) END
	FROM pg_logical_slot_get_binary_changes('pt_' || $2, NULL, NULL, 'proto_version', '1',
		'publication_names', 'parts_' || $2, 'messages', 'true') WITH ORDINALITY AS c(lsn, xid, data, ord);
	UPDATE pg_temp.po p SET rel = r.rel
	FROM (SELECT DISTINCT ON (x.relid) x.relid, x.rel FROM pg_temp.po x
		  WHERE x.kind = 'R' AND x.mode = $2 ORDER BY x.relid) r
	WHERE p.mode = $2 AND p.relid = r.relid AND p.kind NOT IN ('R', 'M');
	SELECT count(*) FROM pg_temp.po x WHERE x.label = $1 AND x.mode = $2
$$;
-- the row events of a label, per mode: kind and whether on the root
CREATE TEMP VIEW po_rows AS
	SELECT label, mode, kind, rel = 'eventos_leito' AS on_root, count(*) AS n
	FROM pg_temp.po WHERE kind IN ('I', 'U', 'D', 'T') GROUP BY 1, 2, 3, 4;
-- the announcements of a label: test_decoding's messages, and how many
-- each pgoutput mode got
CREATE TEMP VIEW announced AS
	SELECT label, msg->>'change' AS change, (msg->>'silent')::boolean AS silent,
		   (msg->>'rows_silent')::bigint AS rows_silent, msg->'checksum' AS checksum, msg->'detail' AS detail,
		   (SELECT count(*) FROM pg_temp.po p WHERE p.label = td.label AND p.mode = 'root'
			  AND p.rel = 'prefix oltp_sim.schema') AS root_messages,
		   (SELECT count(*) FROM pg_temp.po p WHERE p.label = td.label AND p.mode = 'leaf'
			  AND p.rel = 'prefix oltp_sim.schema') AS leaf_messages
	FROM pg_temp.td WHERE kind = 'SCHEMA';
CREATE FUNCTION t.decode(label text) RETURNS boolean LANGUAGE sql AS $$
	SELECT t.td(label) >= 0 AND t.po(label, 'root') >= 0 AND t.po(label, 'leaf') >= 0
$$;
SELECT t.decode('seed');

-- 1. move_evento_leito: an event a month earlier than written moves to
-- another partition.  Every decoder gets a DELETE and an INSERT of the
-- same id, from and into different partitions; under the root, both on
-- eventos_leito
CALL oltp_run(ops => 1, seed => 1, anchor => :'anchor', weights => t.only('move_evento_leito'));
SELECT t.decode('move');
SELECT string_agg(kind, ' ' ORDER BY ord) AS changes, count(DISTINCT id) AS ids,
	   count(DISTINCT rel) AS partitions, bool_and(rel LIKE 'eventos\_leito\_%') AS partitions_named
FROM pg_temp.td WHERE label = 'move' AND kind IS NOT NULL;
SELECT mode, string_agg(kind || CASE WHEN on_root THEN '(root)' ELSE '(partition)' END || n, ' '
						ORDER BY kind) AS changes
FROM po_rows WHERE label = 'move' GROUP BY 1 ORDER BY 1;
SELECT mode, count(DISTINCT rel) AS relations FROM pg_temp.po
WHERE label = 'move' AND kind IN ('I', 'D') GROUP BY 1 ORDER BY 1;

-- 2. detach_partition: the oldest month's partition leaves the table with
-- its rows; no decoder gets a row event of eventos_leito or a partition
-- (test_decoding, which decodes every table, gets the set's record of the
-- table detached, oltp_sim_eventos_leito_detached, which no publication
-- holds)
CREATE TEMP TABLE rows_before AS SELECT count(*) AS n FROM eventos_leito;
CALL oltp_run(ops => 1, seed => 2, anchor => :'anchor', weights => t.only('detach_partition'));
SELECT (SELECT n FROM pg_temp.rows_before) - count(*) > 0 AS rows_vanished FROM eventos_leito;
SELECT count(*) AS detached FROM oltp_sim_eventos_leito_detached_tables();
SELECT t.decode('detach');
-- announced: silent, with the rows that vanished and the table's checksum
-- after the change, in the message every decoder got
SELECT change, silent, rows_silent = (SELECT n FROM pg_temp.rows_before) - (SELECT count(*) FROM eventos_leito)
		AS rows_silent_vanished,
	   checksum = (SELECT jsonb_build_object('row_count', row_count, 'digest', digest)
				   FROM oltp_checksums(ARRAY['eventos_leito'])) AS checksum_now,
	   detail->>'partition' LIKE 'eventos\_leito\_%' AS partition_named, root_messages, leaf_messages
FROM announced WHERE label = 'detach';
SELECT change, silent, rows_silent > 0 AS rows_silent FROM oltp_announcements() ORDER BY lsn;
SELECT count(*) FILTER (WHERE kind <> 'SCHEMA' AND rel LIKE 'eventos\_leito%') AS row_events FROM pg_temp.td WHERE label = 'detach';
SELECT count(*) AS row_events FROM po_rows WHERE label = 'detach';

-- 3. attach_partition: the table detached comes back with its rows; no
-- decoder gets a row event
TRUNCATE pg_temp.rows_before;
INSERT INTO pg_temp.rows_before SELECT count(*) FROM eventos_leito;
CALL oltp_run(ops => 1, seed => 3, anchor => :'anchor', weights => t.only('attach_partition'));
SELECT count(*) AS detached FROM oltp_sim_eventos_leito_detached_tables();
SELECT count(*) - (SELECT n FROM pg_temp.rows_before) > 0 AS rows_appeared FROM eventos_leito;
SELECT t.decode('attach');
SELECT change, silent, rows_silent = (SELECT count(*) FROM eventos_leito) - (SELECT n FROM pg_temp.rows_before)
		AS rows_silent_appeared, root_messages, leaf_messages
FROM announced WHERE label = 'attach';
SELECT count(*) FILTER (WHERE kind <> 'SCHEMA' AND rel LIKE 'eventos\_leito%') AS row_events FROM pg_temp.td WHERE label = 'attach';
SELECT count(*) AS row_events FROM po_rows WHERE label = 'attach';

-- 4. drop_partition: the oldest partition goes with its rows; no row
-- event, the announcement says how many
TRUNCATE pg_temp.rows_before;
INSERT INTO pg_temp.rows_before SELECT count(*) FROM oltp_sim_eventos_leito_months();
CALL oltp_run(ops => 1, seed => 5, anchor => :'anchor', weights => t.only('drop_partition'));
SELECT (SELECT n FROM pg_temp.rows_before) - count(*) AS partitions_dropped FROM oltp_sim_eventos_leito_months();
SELECT t.decode('drop');
SELECT change, silent, rows_silent > 0 AS rows_silent, root_messages, leaf_messages
FROM announced WHERE label = 'drop';
SELECT count(*) FILTER (WHERE kind <> 'SCHEMA' AND rel LIKE 'eventos\_leito%') AS row_events FROM pg_temp.td WHERE label = 'drop';
SELECT count(*) AS row_events FROM po_rows WHERE label = 'drop';

-- 5. truncate_partition: one TRUNCATE of the partition for test_decoding
-- and under publish_via_partition_root = false; nothing under true
CALL oltp_run(ops => 1, seed => 4, anchor => :'anchor', weights => t.only('truncate_partition'));
SELECT t.decode('truncate');
SELECT kind, count(*), bool_and(rel LIKE 'eventos\_leito\_%') AS of_partition
FROM pg_temp.td WHERE label = 'truncate' AND kind <> 'SCHEMA' AND rel LIKE 'eventos\_leito%' GROUP BY 1;
SELECT mode, string_agg(kind || CASE WHEN on_root THEN '(root)' ELSE '(partition)' END || n, ' ') AS changes
FROM po_rows WHERE label = 'truncate' GROUP BY 1 ORDER BY 1;
SELECT count(*) AS root_row_events FROM pg_temp.po WHERE label = 'truncate' AND mode = 'root' AND kind IN ('I', 'U', 'D', 'T');
SELECT change, silent, rows_silent > 0 AS rows_silent, detail->>'events' AS events, root_messages, leaf_messages
FROM announced WHERE label = 'truncate';

-- 6. create_partition: the next month's, when it is missing (dropped here
-- by hand); no row event
DO $$
BEGIN
	EXECUTE (SELECT format('DROP TABLE %I', relname) FROM oltp_sim_eventos_leito_months()
			 WHERE mes = date_trunc('month', current_date + interval '1 month'));
END
$$;
SELECT count(*) AS next_month FROM oltp_sim_eventos_leito_months()
WHERE mes = date_trunc('month', current_date + interval '1 month');
CALL oltp_run(ops => 1, seed => 6, anchor => :'anchor', weights => t.only('create_partition'));
SELECT count(*) AS next_month FROM oltp_sim_eventos_leito_months()
WHERE mes = date_trunc('month', current_date + interval '1 month');
SELECT t.decode('create');
SELECT change, silent, rows_silent, checksum, root_messages, leaf_messages
FROM announced WHERE label = 'create';
SELECT count(*) FILTER (WHERE kind <> 'SCHEMA' AND rel LIKE 'eventos\_leito%') AS row_events FROM pg_temp.td WHERE label = 'create';

-- 7. the stream: the workers run the set's eight operations, several per
-- transaction; the counters equal the changes each decoder got, per kind:
-- under the root all on eventos_leito, under false and for test_decoding
-- on the partitions, TRUNCATE only there
-- (quiet: the list of every operation's setting)
\set ECHO none
SELECT pg_catalog.format('ALTER SYSTEM SET oltp_sim.weight_%s = %s', operation,
	CASE WHEN operation ~ 'evento_leito|partition' THEN 1 ELSE 0 END)
FROM oltp_operations() ORDER BY operation \gexec
\set ECHO all
ALTER SYSTEM SET oltp_sim.ops_per_transaction = 3;
SELECT t.reload();
CREATE TEMP TABLE csnap AS SELECT 'start'::text AS label, * FROM oltp_changes() WHERE table_name = 'eventos_leito';
SELECT t.snap('start');
SELECT t.stream(60);
SELECT t.snap('mix');
INSERT INTO pg_temp.csnap SELECT 'mix', * FROM oltp_changes() WHERE table_name = 'eventos_leito';
SELECT operation, errors FROM t.delta WHERE label = 'mix' AND operation ~ 'evento_leito|partition'
ORDER BY 1;
SELECT sum(committed) >= 60 AS committed FROM t.delta WHERE label = 'mix';
SELECT t.decode('mix');
CREATE TEMP VIEW counted AS
	SELECT a.kind, b.rows - a.rows AS n FROM pg_temp.csnap a JOIN pg_temp.csnap b USING (kind)
	WHERE a.label = 'start' AND b.label = 'mix';
-- (test_decoding also decodes the set's record of the tables it detached,
-- oltp_sim_eventos_leito_detached, which no publication holds)
CREATE TEMP VIEW decoded AS
	SELECT 'test_decoding' AS decoder, lower(kind) AS kind, count(*) AS n,
		   bool_and(rel LIKE 'eventos\_leito\_%') AS on_partitions, false AS on_root
	FROM pg_temp.td WHERE label = 'mix' AND kind <> 'SCHEMA' AND rel LIKE 'eventos\_leito%' GROUP BY 2
	UNION ALL
	SELECT 'pgoutput ' || mode, CASE kind WHEN 'I' THEN 'insert' WHEN 'U' THEN 'update'
		   WHEN 'D' THEN 'delete' WHEN 'T' THEN 'truncate' END, sum(n), bool_and(NOT on_root), bool_and(on_root)
	FROM po_rows WHERE label = 'mix' GROUP BY mode, 2
	UNION ALL
	-- an announcement is one message, counted as kind schema of its table
	SELECT 'test_decoding', 'schema', count(*), NULL, NULL
	FROM pg_temp.td WHERE label = 'mix' AND kind = 'SCHEMA' AND rel = 'eventos_leito'
	UNION ALL
	SELECT 'pgoutput ' || mode, 'schema', count(*), NULL, NULL
	FROM pg_temp.po WHERE label = 'mix' AND rel = 'prefix oltp_sim.schema' GROUP BY mode;
-- per decoder and kind: as many as counted, but for the root's TRUNCATE:
-- none (pgoutput sends no partition's TRUNCATE through the root)
SELECT x.decoder, c.kind,
	   CASE WHEN x.decoder = 'pgoutput root' AND c.kind = 'truncate' THEN coalesce(d.n, 0) = 0
			ELSE coalesce(d.n, 0) = c.n END AS as_documented
FROM counted c
CROSS JOIN (VALUES ('test_decoding'), ('pgoutput leaf'), ('pgoutput root')) x(decoder)
LEFT JOIN decoded d USING (decoder, kind)
ORDER BY 1, 2;
-- under the root every change is of eventos_leito; elsewhere of a partition
SELECT decoder, bool_and(CASE decoder WHEN 'pgoutput root' THEN on_root ELSE on_partitions END) AS named_as_documented
FROM decoded WHERE kind <> 'schema' GROUP BY 1 ORDER BY 1;
-- nothing decoded that was not counted
SELECT count(*) AS uncounted FROM decoded d LEFT JOIN counted c USING (kind) WHERE c.kind IS NULL;
-- the table's rows and checksum, read through the partitioned table
SELECT row_count = (SELECT count(*) FROM eventos_leito) AS checksum_counts
FROM oltp_checksums() WHERE table_name = 'eventos_leito';

-- 8. oltp_drop_tables drops the tables the stream detached too; replay:
-- the same seed on the same seeded data writes the same rows, partition
-- operations included (CALL oltp_run under profile partitions, each after
-- an oltp_reset, which makes the set's partitions afresh; the checksums
-- leave out the audit columns, as in test run)
SELECT count(*) AS dropped FROM oltp_drop_tables('partitions');
SELECT count(*) AS tables_left FROM pg_class WHERE relname LIKE 'eventos\_leito%';
SELECT * FROM oltp_add_tables('partitions', 7);
CREATE TEMP TABLE replay (run int, table_name text, row_count bigint, digest numeric);
CREATE TEMP TABLE replay_parts (run int, relname name, attached boolean, n bigint);
SELECT count(*) > 0 AS reset FROM oltp_reset(seed => 5);
CALL oltp_run(ops => 300, seed => 9, anchor => :'anchor', profile => 'partitions');
INSERT INTO pg_temp.replay SELECT 1, table_name, row_count, digest
	FROM oltp_checksums(exclude_columns => '{created_at,updated_at,data_cadastro}');
INSERT INTO pg_temp.replay_parts SELECT 1, c.relname, true, count(e.tableoid) FROM pg_inherits i
	JOIN pg_class c ON c.oid = i.inhrelid LEFT JOIN eventos_leito e ON e.tableoid = c.oid
	WHERE i.inhparent = 'eventos_leito'::regclass GROUP BY c.relname
	UNION ALL SELECT 1, relname, false, NULL FROM oltp_sim_eventos_leito_detached_tables();
-- left for the second reset to undo: two partitions detached
SELECT count(*) AS detached FROM oltp_sim_eventos_leito_detach(current_date);
SELECT count(*) AS detached FROM oltp_sim_eventos_leito_detach(current_date);
SELECT count(*) > 0 AS reset FROM oltp_reset(seed => 5);
CALL oltp_run(ops => 300, seed => 9, anchor => :'anchor', profile => 'partitions');
INSERT INTO pg_temp.replay SELECT 2, table_name, row_count, digest
	FROM oltp_checksums(exclude_columns => '{created_at,updated_at,data_cadastro}');
INSERT INTO pg_temp.replay_parts SELECT 2, c.relname, true, count(e.tableoid) FROM pg_inherits i
	JOIN pg_class c ON c.oid = i.inhrelid LEFT JOIN eventos_leito e ON e.tableoid = c.oid
	WHERE i.inhparent = 'eventos_leito'::regclass GROUP BY c.relname
	UNION ALL SELECT 2, relname, false, NULL FROM oltp_sim_eventos_leito_detached_tables();
SELECT a.table_name, a.row_count = b.row_count AND a.digest = b.digest AS same
FROM pg_temp.replay a JOIN pg_temp.replay b USING (table_name)
WHERE a.run = 1 AND b.run = 2 AND a.table_name = 'eventos_leito';
SELECT count(*) AS tables_differ
FROM (SELECT * FROM pg_temp.replay WHERE run = 1) a FULL JOIN (SELECT * FROM pg_temp.replay WHERE run = 2) b
	USING (table_name)
WHERE a.digest IS DISTINCT FROM b.digest OR a.row_count IS DISTINCT FROM b.row_count;
-- the same partitions (the default one too), attached or detached, each
-- with the same rows
SELECT count(*) AS partitions_differ FROM
	((SELECT relname, attached, n FROM pg_temp.replay_parts WHERE run = 1
	  EXCEPT SELECT relname, attached, n FROM pg_temp.replay_parts WHERE run = 2)
	 UNION ALL
	 (SELECT relname, attached, n FROM pg_temp.replay_parts WHERE run = 2
	  EXCEPT SELECT relname, attached, n FROM pg_temp.replay_parts WHERE run = 1)) d;
-- the operations of the set did something in those 300
SELECT count(DISTINCT change) >= 3 AS kinds_announced FROM oltp_announcements();

\set ECHO none
SELECT pg_catalog.format('ALTER SYSTEM RESET oltp_sim.weight_%s', operation)
FROM oltp_operations() ORDER BY operation \gexec
\set ECHO all
ALTER SYSTEM RESET oltp_sim.ops_per_transaction;
SELECT t.reload();
SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
WHERE slot_name LIKE 'pt\_%' ORDER BY slot_name;
-- A table another role made under a month partition's name, recorded as
-- detached (the record is a table like any other of the schema: a role
-- given the README's grants may write it), is none the stream detached:
-- attach_partition would make it a partition, and the stream, often a
-- superuser, would then run its triggers.  Never listed, so never attached
-- nor dropped.
CREATE ROLE oltp_sim_parts_other;
GRANT CREATE ON SCHEMA public TO oltp_sim_parts_other;
SET ROLE oltp_sim_parts_other;
CREATE TABLE eventos_leito_2030_01 (id bigint NOT NULL, leito varchar(10) NOT NULL,
	evento varchar(20) NOT NULL, ocorrido_em timestamp NOT NULL, observacao varchar(200),
	created_at timestamp NOT NULL DEFAULT now(), updated_at timestamp NOT NULL DEFAULT now());
RESET ROLE;
INSERT INTO oltp_sim_eventos_leito_detached VALUES ('eventos_leito_2030_01'::regclass, '2030-01-01');
SELECT count(*) AS listed FROM oltp_sim_eventos_leito_detached_tables()
WHERE relname = 'eventos_leito_2030_01';
BEGIN;
SELECT count(*) AS attached FROM oltp_sim_eventos_leito_attach() WHERE particao = 'eventos_leito_2030_01';
SELECT relispartition FROM pg_class WHERE oid = 'eventos_leito_2030_01'::regclass;
ROLLBACK;
DELETE FROM oltp_sim_eventos_leito_detached WHERE mes = '2030-01-01';
DROP TABLE eventos_leito_2030_01;
REVOKE CREATE ON SCHEMA public FROM oltp_sim_parts_other;
DROP ROLE oltp_sim_parts_other;

-- A type another role made under a month partition's name (an enum: a
-- composite type has a pg_class row too) leaves that month to the default
-- partition, as a table of the name does, instead of failing the seed and
-- create_partition on "type already exists"
CREATE ROLE oltp_sim_parts_other;
CREATE TYPE eventos_leito_2099_02 AS ENUM ('a');
ALTER TYPE eventos_leito_2099_02 OWNER TO oltp_sim_parts_other;
SELECT oltp_sim_eventos_leito_create('2099-02-15') IS NULL AS left_alone;
SELECT oltp_sim_eventos_leito_prepare('2099-01-15', '2099-03-15') AS made_around_it;
SELECT count(*) AS partitions_2099 FROM oltp_sim_eventos_leito_months() WHERE mes >= '2099-01-01';
DROP TYPE eventos_leito_2099_02;
DROP ROLE oltp_sim_parts_other;
DROP TABLE eventos_leito_2099_01, eventos_leito_2099_03;

-- An operation alone in its transaction (ops_per_transaction 1) that loses
-- its race inside the set's PL/pgSQL function is skipped and the call goes
-- on: attach_partition of the newest detached month, whose rows the
-- default partition now holds, fails there on check_violation.
-- (a month a year back, older than any the stream left: the one detached)
SELECT oltp_sim_eventos_leito_create((:'anchor'::date - 365)) IS NOT NULL AS created;
SELECT count(*) AS detached FROM oltp_sim_eventos_leito_detach(:'anchor'::date);
SELECT relname AS newest, mes FROM oltp_sim_eventos_leito_detached_tables() LIMIT 1 \gset
INSERT INTO eventos_leito (leito, evento, ocorrido_em) VALUES ('X-1', 'limpeza', :'mes'::date + 1);
SELECT tableoid = 'eventos_leito_default'::regclass AS in_default FROM eventos_leito WHERE leito = 'X-1';
SHOW oltp_sim.ops_per_transaction;
SET client_min_messages = notice;
CALL oltp_run(ops => 3, seed => 1, anchor => :'anchor', weights => t.only('attach_partition'));
SET client_min_messages = warning;
SELECT count(*) AS still_detached FROM oltp_sim_eventos_leito_detached_tables() WHERE relname = :'newest';
SELECT current_user = session_user AS own_rights;
DELETE FROM eventos_leito WHERE leito = 'X-1';

-- What pg_dump does not keep of eventos_leito is recorded as for every
-- other table of the extension's (docs/dump.md): the publications it is
-- in, and its replica identity.  A restore loads the records, then makes
-- the publication, which gets the table back.
SELECT pubname, table_name FROM oltp_sim_publication_tables
WHERE table_name = 'eventos_leito' ORDER BY 1;
SELECT * FROM oltp_replica_identity('full', '{eventos_leito}') WHERE table_name = 'eventos_leito';
SELECT table_name, identity FROM oltp_sim_replica_identities WHERE table_name = 'eventos_leito';
-- an ALTER TABLE that leaves the identity as recorded writes nothing, nor
-- locks the record's row (as an INSERT ... ON CONFLICT would)
SELECT xmin AS record_xmin, xmax AS record_xmax FROM oltp_sim_replica_identities
WHERE table_name = 'eventos_leito' \gset
ALTER TABLE eventos_leito ALTER COLUMN observacao SET STATISTICS 200;
SELECT xmin::text = :'record_xmin' AND xmax::text = :'record_xmax' AS record_untouched
FROM oltp_sim_replica_identities WHERE table_name = 'eventos_leito';
INSERT INTO oltp_sim_publication_tables VALUES ('parts_restored', 'eventos_leito');
CREATE PUBLICATION parts_restored;
SELECT r.prrelid::regclass AS restored FROM pg_publication_rel r
	JOIN pg_publication p ON p.oid = r.prpubid WHERE p.pubname = 'parts_restored';
DROP PUBLICATION parts_restored;
-- the identity's row loaded gives the table its identity
ALTER TABLE eventos_leito REPLICA IDENTITY DEFAULT;
DELETE FROM oltp_sim_replica_identities WHERE table_name = 'eventos_leito';
INSERT INTO oltp_sim_replica_identities VALUES ('eventos_leito', 'f', NULL);
SELECT relreplident FROM pg_class WHERE oid = 'eventos_leito'::regclass;

-- Another role's function under the name of one of the set's, an
-- overload with a default: the stream's call of the set's function by name
-- would be ambiguous.  The stream refuses to run, naming the function and
-- its owner, before it changes anything, and runs again once it is gone.
CREATE ROLE oltp_sim_parts_other;
GRANT CREATE ON SCHEMA public TO oltp_sim_parts_other;
SET ROLE oltp_sim_parts_other;
CREATE FUNCTION oltp_sim_eventos_leito_attach(x integer DEFAULT 0, OUT particao text, OUT linhas bigint)
	RETURNS SETOF record LANGUAGE sql AS $$SELECT 'eventos_leito_1999_01'::text, 0::bigint$$;
RESET ROLE;
SELECT count(*) AS detached_before FROM oltp_sim_eventos_leito_detached_tables() \gset
CALL oltp_run(ops => 3, seed => 1, anchor => :'anchor', weights => t.only('attach_partition'));
SELECT count(*) = :detached_before AS untouched FROM oltp_sim_eventos_leito_detached_tables();
-- the worker, streaming the set's operations, says so once and waits
\set ECHO none
SELECT pg_catalog.format('ALTER SYSTEM SET oltp_sim.weight_%s = %s', operation,
	CASE WHEN operation ~ 'evento_leito|partition' THEN 1 ELSE 0 END)
FROM oltp_operations() ORDER BY operation \gexec
\set ECHO all
SELECT t.reload();
SELECT oltp_start();
SELECT t.wait_until($$SELECT state = 'waiting' FROM oltp_status()$$);
SELECT state, detail FROM oltp_status();
DROP FUNCTION oltp_sim_eventos_leito_attach(integer);
-- and streams again once it is gone
SELECT t.wait_until($$SELECT state = 'running' FROM oltp_status()$$);
SELECT oltp_stop();
SELECT t.wait_until($$SELECT state = 'paused' FROM oltp_status()$$);
\set ECHO none
SELECT pg_catalog.format('ALTER SYSTEM RESET oltp_sim.weight_%s', operation)
FROM oltp_operations() ORDER BY operation \gexec
\set ECHO all
SELECT t.reload();
CALL oltp_run(ops => 3, seed => 1, anchor => :'anchor', weights => t.only('attach_partition'));
SELECT count(*) < :detached_before AS attached_again FROM oltp_sim_eventos_leito_detached_tables();
REVOKE CREATE ON SCHEMA public FROM oltp_sim_parts_other;
DROP ROLE oltp_sim_parts_other;

-- the set's own drop, which drops the tables the stream detached too
-- (DROP EXTENSION leaves them: they are no members)
SELECT table_name FROM oltp_drop_tables('partitions');
DROP EXTENSION oltp_sim CASCADE;
DROP PUBLICATION oltp_sim, parts_root, parts_leaf;
DROP SCHEMA t CASCADE;
