-- The set schema_changes (src/op_schema.c): its table precos written by the
-- stream while its schema changes, each change announced.  At the decoder
-- (test_decoding, pgoutput): every row event of precos carries the columns
-- of the announcement before it; counters = decoded changes per table and
-- kind; the table's attribute count bounded; a replay identical.
SET client_min_messages = warning;
CREATE EXTENSION oltp_sim;
\set ECHO none
\i sql/helpers.psql
\set ECHO all
SELECT count(*) > 0 AS seeded FROM oltp_reset(seed => 5, scale => 0.1, anchor => '2026-01-15');
SELECT * FROM oltp_add_tables('schema_changes');
SELECT oltp_seed('{"precos": 5}');

-- the set's operations: weight only under profile schema_changes
SELECT operation, table_name, kind FROM oltp_operations()
WHERE operation LIKE '%preco' ORDER BY 1;

-- the columns of precos now, as test_decoding names them
CREATE FUNCTION t.shape() RETURNS text LANGUAGE sql AS $$
	SELECT string_agg(attname || '[' || format_type(atttypid, NULL) || ']', ' ' ORDER BY attnum)
	FROM pg_attribute WHERE attrelid = 'precos'::regclass AND attnum > 0 AND NOT attisdropped
$$;
CREATE TABLE t.start_shape AS
	SELECT t.shape() AS shape,
		   (SELECT string_agg(attname || '[' || format_type(atttypid, atttypmod) || ']', ' ' ORDER BY attnum)
			FROM pg_attribute WHERE attrelid = 'precos'::regclass AND attnum > 0 AND NOT attisdropped) AS full_shape;

SELECT 'created' FROM pg_create_logical_replication_slot('sc_td', 'test_decoding');
SELECT 'created' FROM pg_create_logical_replication_slot('sc_po', 'pgoutput');
-- a publication FOR TABLE that does not list precos: no table the set's
-- operations make is ever added to it
CREATE PUBLICATION sc_core FOR TABLE pacientes;
SELECT 'created' FROM pg_create_logical_replication_slot('sc_po_core', 'pgoutput');

-- a reproducible run, schema changes weighted high
CALL oltp_run(ops => 600, seed => 11, anchor => '2026-01-15', profile => 'schema_changes',
	weights => '{"insert_preco": 20, "update_preco": 20, "delete_preco": 5, "add_column_preco": 5,
				 "drop_column_preco": 5, "alter_type_preco": 5, "rename_column_preco": 5,
				 "replica_identity_preco": 5, "ddl_dml_preco": 5, "swap_table_preco": 3,
				 "create_table_preco": 3, "drop_table_preco": 3}');
SELECT change, count(*) > 0 AS announced FROM oltp_announcements() GROUP BY 1 ORDER BY 1;

CREATE TABLE t.td AS
	SELECT ord, lsn, data
	FROM pg_logical_slot_get_changes('sc_td', NULL, NULL) WITH ORDINALITY AS c(lsn, xid, data, ord);
-- each announcement decoded, at its LSN, with its content
CREATE VIEW t.td_messages AS
	SELECT ord, lsn, substring(data FROM 'content:(.*)$')::jsonb AS message
	FROM t.td WHERE data LIKE 'message: transactional: 1 prefix: oltp_sim.schema, %';
SELECT count(*) > 20 AS many, bool_and(a.lsn = m.lsn AND a.message = m.message) AS as_recorded
FROM t.td_messages m FULL JOIN oltp_announcements() a USING (lsn);

-- every row event of precos carries the columns of the announcement
-- before it (or the table's first columns, before any): test_decoding
-- writes each column as name[type]:value, the new tuple last
CREATE VIEW t.td_rows AS
	SELECT ord, data, (SELECT string_agg(m[1], ' ' ORDER BY i)
					   FROM regexp_matches(regexp_replace(data, '^.*new-tuple: ', ''),
										   '(\w+\[[^\]]+\]):', 'g') WITH ORDINALITY AS x(m, i)) AS shape
	FROM t.td WHERE data ~ '^table public\.precos: (INSERT|UPDATE):';
CREATE VIEW t.expected_shape AS
	SELECT r.ord, r.shape,
		   coalesce((SELECT (SELECT string_agg((c ->> 'name') || '[' || regexp_replace(c ->> 'type', '\(.*\)$', '') || ']', ' ' ORDER BY i)
							 FROM jsonb_array_elements(m.message -> 'columns') WITH ORDINALITY AS x(c, i))
					 FROM t.td_messages m WHERE m.ord < r.ord AND m.message ->> 'table' = 'precos'
					 ORDER BY m.ord DESC LIMIT 1),
					(SELECT shape FROM t.start_shape)) AS expected
	FROM t.td_rows r;
SELECT count(*) > 100 AS row_events, count(*) FILTER (WHERE shape IS DISTINCT FROM expected) AS other_shape
FROM t.expected_shape;
SELECT ord, shape, expected FROM t.expected_shape WHERE shape IS DISTINCT FROM expected ORDER BY ord LIMIT 3;
-- the shapes did change
SELECT count(DISTINCT shape) > 5 AS shapes FROM t.td_rows;
-- for every kind of change of precos: rows of precos follow it (before the
-- next change), every one of them in the shape it announced
CREATE VIEW t.td_changes AS
	SELECT ord, message, coalesce(lead(ord) OVER (ORDER BY ord), 9223372036854775807) AS next_ord,
		   (SELECT string_agg((c ->> 'name') || '[' || regexp_replace(c ->> 'type', '\(.*\)$', '') || ']', ' ' ORDER BY i)
			FROM jsonb_array_elements(message -> 'columns') WITH ORDINALITY AS x(c, i)) AS shape
	FROM t.td_messages WHERE message ->> 'table' = 'precos';
SELECT m.message ->> 'change' AS change, count(r.ord) > 0 AS rows_follow,
	   count(r.ord) FILTER (WHERE r.shape IS DISTINCT FROM m.shape) AS other_shape
FROM t.td_changes m LEFT JOIN t.td_rows r ON r.ord > m.ord AND r.ord < m.next_ord
GROUP BY 1 ORDER BY 1;
-- DDL and rows in one transaction (ddl_dml_preco): after the announcement
-- and before its COMMIT, an INSERT of precos in the shape announced
SELECT count(*) > 0 AS ddl_dml,
	   bool_and(EXISTS (SELECT FROM t.td_rows r
						WHERE r.ord > m.ord AND r.data LIKE 'table public.precos: INSERT:%' AND r.shape = m.shape
						  AND r.ord < (SELECT min(c.ord) FROM t.td c WHERE c.ord > m.ord AND c.data LIKE 'COMMIT%')))
		   AS rows_in_its_transaction
FROM t.td_changes m WHERE (m.message -> 'detail' ->> 'with_rows')::boolean;

-- the attributes, dropped ones included, stay bounded
SELECT relnatts <= 40 AS bounded FROM pg_class WHERE oid = 'precos'::regclass;
-- the swaps rebuilt it: the copies are row events of precos_novo, which no
-- publication of the extension's lists
SELECT count(*) > 0 AS swapped, bool_and((message -> 'detail' ->> 'attributes_after')::int
										 <= (message -> 'detail' ->> 'attributes_before')::int) AS smaller,
	   bool_and(message -> 'detail' -> 'publications' = '["oltp_sim"]') AS republished
FROM oltp_announcements() WHERE change = 'swap_table';
SELECT count(*) > 0 AS staging_rows_decoded FROM t.td WHERE data LIKE 'table public.precos_novo: INSERT:%';

-- a new table (create_table_preco): precos_lote made, added to the
-- publications that list precos, announced and filled, in one transaction;
-- drop_table_preco drops it again, announced too.  test_decoding: every
-- batch is decoded right after its announcement, in its transaction, as
-- many rows as it says, each with the columns it lists
SELECT count(*) FILTER (WHERE change = 'create_table') > 1 AS created,
	   count(*) FILTER (WHERE change = 'drop_table') > 1 AS dropped,
	   bool_and(message -> 'detail' -> 'publications' = '["oltp_sim"]')
		   FILTER (WHERE change = 'create_table') AS published,
	   sum((message -> 'detail' ->> 'rows')::int) FILTER (WHERE change = 'create_table') > 0 AS rows_written
FROM oltp_announcements() WHERE table_name = 'precos_lote';
CREATE VIEW t.td_batches AS
	SELECT m.ord, (m.message -> 'detail' ->> 'rows')::int AS announced,
		   (SELECT count(*) FROM t.td r WHERE r.ord > m.ord
			  AND r.ord < (SELECT min(c.ord) FROM t.td c WHERE c.ord > m.ord AND c.data LIKE 'COMMIT%')
			  AND r.data LIKE 'table public.precos_lote: INSERT:%') AS decoded,
		   (SELECT string_agg((c ->> 'name') || '[' || regexp_replace(c ->> 'type', '\(.*\)$', '') || ']', ' ' ORDER BY i)
			FROM jsonb_array_elements(m.message -> 'columns') WITH ORDINALITY AS x(c, i)) AS columns
	FROM t.td_messages m WHERE m.message ->> 'change' = 'create_table';
SELECT count(*) > 1 AS batches, bool_and(decoded = announced) AS all_decoded,
	   (SELECT count(*) FROM t.td WHERE data LIKE 'table public.precos_lote: INSERT:%')
		   = sum(announced) AS no_other_rows
FROM t.td_batches;
-- each row of the batch after the announcement of its table, in its shape
SELECT count(*) > 0 AS lote_rows,
	   count(*) FILTER (WHERE (SELECT m.message ->> 'change' FROM t.td_messages m WHERE m.ord < r.ord
							   ORDER BY m.ord DESC LIMIT 1) IS DISTINCT FROM 'create_table') AS before_announcement,
	   count(*) FILTER (WHERE (SELECT b.columns FROM t.td_batches b WHERE b.ord < r.ord
							   ORDER BY b.ord DESC LIMIT 1)
						 IS DISTINCT FROM (SELECT string_agg(m[1], ' ' ORDER BY i)
										   FROM regexp_matches(r.data, '(\w+\[[^\]]+\]):', 'g')
												WITH ORDINALITY AS x(m, i))) AS other_columns
FROM t.td r WHERE r.data LIKE 'table public.precos_lote: INSERT:%';

-- pgoutput: the same announcements; each insert into precos has as many
-- columns as the announcement before it lists
CREATE TABLE t.po AS
	SELECT ord, data FROM pg_logical_slot_get_binary_changes('sc_po', NULL, NULL,
		'proto_version', '1', 'publication_names', 'oltp_sim', 'messages', 'true')
		WITH ORDINALITY AS c(lsn, xid, data, ord);
CREATE VIEW t.po_messages AS
	SELECT ord, convert_from(substr(data, 11 + length('oltp_sim.schema') + 1 + 4), 'UTF8')::jsonb AS message
	FROM t.po WHERE get_byte(data, 0) = ascii('M') AND position('oltp_sim.schema'::bytea IN data) = 11;
SELECT (SELECT count(*) FROM t.po_messages) = (SELECT count(*) FROM t.td_messages) AS same_messages;
-- (by the Relation messages naming precos: a swap gives it a new OID)
CREATE FUNCTION t.relid(data bytea) RETURNS oid LANGUAGE sql AS $$
	SELECT ((get_byte(data, 1)::bigint << 24) | (get_byte(data, 2) << 16) | (get_byte(data, 3) << 8)
			| get_byte(data, 4))::oid
$$;
CREATE VIEW t.po_inserts AS
	SELECT ord, (get_byte(data, 6) << 8) | get_byte(data, 7) AS natts FROM t.po
	WHERE get_byte(data, 0) = ascii('I')
	  AND t.relid(data) IN (SELECT t.relid(data) FROM t.po WHERE get_byte(data, 0) = ascii('R')
							AND position('\x7075626c696300707265636f7300'::bytea IN data) = 6);
SELECT count(*) > 50 AS inserts,
	   count(*) FILTER (WHERE natts <> coalesce(
			(SELECT jsonb_array_length(m.message -> 'columns') FROM t.po_messages m
			 WHERE m.ord < i.ord AND m.message ->> 'table' = 'precos' ORDER BY m.ord DESC LIMIT 1),
			(SELECT array_length(regexp_split_to_array(shape, ' '), 1) FROM t.start_shape)))
	   AS other_column_count
FROM t.po_inserts i;
-- and each Relation message of precos (sent before its first row after a
-- change) lists the columns, with their types and typmods, of the
-- announcement before it: 'R', the OID, the schema and the name (each
-- ending in a zero byte), the replica identity, the column count, then per
-- column a flag, the name, the type's OID and the typmod
CREATE FUNCTION t.relation_columns(data bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	o int := 5;					-- 0-based: where the schema's name starts
	n int;
	pos int;
	cols text[] := '{}';
	name text;
	typmod bigint;
BEGIN
	o := o + position('\x00'::bytea IN substr(data, o + 1));
	o := o + position('\x00'::bytea IN substr(data, o + 1));
	o := o + 1;
	n := (get_byte(data, o) << 8) | get_byte(data, o + 1);
	o := o + 2;
	FOR i IN 1 .. n LOOP
		o := o + 1;
		pos := position('\x00'::bytea IN substr(data, o + 1));
		name := convert_from(substr(data, o + 1, pos - 1), 'UTF8');
		o := o + pos;
		typmod := (get_byte(data, o + 4)::bigint << 24) | (get_byte(data, o + 5) << 16)
				  | (get_byte(data, o + 6) << 8) | get_byte(data, o + 7);
		cols := cols || (name || '[' || format_type(((get_byte(data, o)::bigint << 24) | (get_byte(data, o + 1) << 16)
							  | (get_byte(data, o + 2) << 8) | get_byte(data, o + 3))::oid,
						 (CASE WHEN typmod >= 2147483648 THEN typmod - 4294967296 ELSE typmod END)::int) || ']');
		o := o + 8;
	END LOOP;
	RETURN array_to_string(cols, ' ');
END
$$;
CREATE VIEW t.po_relations AS
	SELECT r.ord, t.relation_columns(r.data) AS shape,
		   coalesce((SELECT (SELECT string_agg((c ->> 'name') || '[' || (c ->> 'type') || ']', ' ' ORDER BY i)
							 FROM jsonb_array_elements(m.message -> 'columns') WITH ORDINALITY AS x(c, i))
					 FROM t.po_messages m WHERE m.ord < r.ord AND m.message ->> 'table' = 'precos'
					 ORDER BY m.ord DESC LIMIT 1),
					(SELECT full_shape FROM t.start_shape)) AS expected
	FROM t.po r WHERE get_byte(r.data, 0) = ascii('R')
	  AND position('\x7075626c696300707265636f7300'::bytea IN r.data) = 6;
SELECT count(*) > 20 AS relation_messages, count(*) FILTER (WHERE shape IS DISTINCT FROM expected) AS other_columns
FROM t.po_relations;
SELECT ord, shape, expected FROM t.po_relations WHERE shape IS DISTINCT FROM expected ORDER BY ord LIMIT 3;
-- for every kind of change of precos: a Relation message of precos follows
-- it, listing the columns it announced (with their typmods), and before
-- the first row of precos after it
CREATE VIEW t.po_changes AS
	SELECT ord, message, coalesce(lead(ord) OVER (ORDER BY ord), 9223372036854775807) AS next_ord,
		   (SELECT string_agg((c ->> 'name') || '[' || (c ->> 'type') || ']', ' ' ORDER BY i)
			FROM jsonb_array_elements(message -> 'columns') WITH ORDINALITY AS x(c, i)) AS shape
	FROM t.po_messages WHERE message ->> 'table' = 'precos';
CREATE VIEW t.po_rows AS
	SELECT ord FROM t.po WHERE get_byte(data, 0) IN (ascii('I'), ascii('U'), ascii('D'))
	  AND t.relid(data) IN (SELECT t.relid(data) FROM t.po WHERE get_byte(data, 0) = ascii('R')
							AND position('\x7075626c696300707265636f7300'::bytea IN data) = 6);
CREATE TABLE t.po_kinds AS
	SELECT m.message ->> 'change' AS change, m.ord,
		   (SELECT min(r.ord) FROM t.po_rows r WHERE r.ord > m.ord AND r.ord < m.next_ord) AS first_row,
		   (SELECT min(r.ord) FROM t.po_relations r WHERE r.ord > m.ord AND r.ord < m.next_ord) AS relation,
		   (SELECT bool_and(r.shape = m.shape) FROM t.po_relations r WHERE r.ord > m.ord AND r.ord < m.next_ord)
			   AS as_announced
	FROM t.po_changes m;
SELECT change, count(first_row) > 0 AS rows_follow, bool_and(relation < first_row) AS relation_first,
	   bool_and(as_announced) FILTER (WHERE first_row IS NOT NULL) AS as_announced
FROM t.po_kinds GROUP BY 1 ORDER BY 1;
-- the new tables, through the publication oltp_sim (FOR TABLE): each
-- batch's rows, after a Relation message of precos_lote that lists the
-- columns of its announcement, itself after the announcement; a publication
-- that does not list precos (sc_core) was never given the table, and sends
-- none of its rows
CREATE VIEW t.po_lote_relations AS
	SELECT r.ord, t.relid(r.data) AS relid, t.relation_columns(r.data) AS shape,
		   (SELECT m.message FROM t.po_messages m WHERE m.ord < r.ord ORDER BY m.ord DESC LIMIT 1) AS message
	FROM t.po r WHERE get_byte(r.data, 0) = ascii('R')
	  AND position('\x7075626c696300707265636f735f6c6f746500'::bytea IN r.data) = 6;
SELECT count(*) > 1 AS relation_messages,
	   count(*) FILTER (WHERE message ->> 'change' <> 'create_table' OR message ->> 'table' <> 'precos_lote')
		   AS not_after_announcement,
	   count(*) FILTER (WHERE shape IS DISTINCT FROM
							  (SELECT string_agg((c ->> 'name') || '[' || (c ->> 'type') || ']', ' ' ORDER BY i)
							   FROM jsonb_array_elements(message -> 'columns') WITH ORDINALITY AS x(c, i)))
		   AS other_columns
FROM t.po_lote_relations;
SELECT count(*) = (SELECT sum(announced) FROM t.td_batches) AS batches_published
FROM t.po WHERE get_byte(data, 0) = ascii('I') AND t.relid(data) IN (SELECT relid FROM t.po_lote_relations);
SELECT count(*) FILTER (WHERE get_byte(data, 0) = ascii('I')) > 0 AS core_rows,
	   count(*) FILTER (WHERE get_byte(data, 0) = ascii('R')
						AND position('\x7075626c696300707265636f735f6c6f746500'::bytea IN data) = 6) AS lote_relations
FROM pg_logical_slot_get_binary_changes('sc_po_core', NULL, NULL,
	'proto_version', '1', 'publication_names', 'sc_core') AS c(lsn, xid, data);

-- replayed from the same start (oltp_reset with the same seed, which makes
-- the set again as oltp_add_tables made it): the same changes in the same
-- order, the same rows (the audit columns, written by now(), apart: so the
-- announced digests, which cover them, too)
CREATE FUNCTION t.sums() RETURNS SETOF record LANGUAGE sql AS $$
	SELECT table_name, row_count, digest
	FROM oltp_checksums(exclude_columns => '{created_at,updated_at,data_cadastro}')
$$;
CREATE TABLE t.first_run AS
	SELECT row_number() OVER (ORDER BY lsn) AS n, change, message #- '{checksum,digest}' AS message
	FROM oltp_announcements();
CREATE TABLE t.first_sums AS SELECT * FROM t.sums() AS s(table_name text, row_count bigint, digest numeric);
CREATE FUNCTION t.replay() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	PERFORM oltp_reset(seed => 5, scale => 0.1, anchor => '2026-01-15');
	DELETE FROM oltp_sim_announcements;
END
$$;
DROP PUBLICATION sc_core;
SELECT t.replay();
-- the reset left precos as the set's script makes it, published again, and
-- no precos_lote
SELECT t.shape() = (SELECT shape FROM t.start_shape) AS first_shape,
	   to_regclass('precos_lote') IS NULL AS no_lote,
	   (SELECT array_agg(tablename::text ORDER BY tablename) FROM pg_publication_tables
		WHERE pubname = 'oltp_sim' AND tablename LIKE 'precos%') AS published;
CALL oltp_run(ops => 600, seed => 11, anchor => '2026-01-15', profile => 'schema_changes',
	weights => '{"insert_preco": 20, "update_preco": 20, "delete_preco": 5, "add_column_preco": 5,
				 "drop_column_preco": 5, "alter_type_preco": 5, "rename_column_preco": 5,
				 "replica_identity_preco": 5, "ddl_dml_preco": 5, "swap_table_preco": 3,
				 "create_table_preco": 3, "drop_table_preco": 3}');
SELECT count(*) > 20 AS changes,
	   bool_and(f.change = s.change AND f.message = s.message) AS same_changes
FROM t.first_run f FULL JOIN (SELECT row_number() OVER (ORDER BY lsn) AS n, change,
									 message #- '{checksum,digest}' AS message
							  FROM oltp_announcements()) s USING (n);
SELECT n, f.message AS first, s.message AS again
FROM t.first_run f FULL JOIN (SELECT row_number() OVER (ORDER BY lsn) AS n,
									 message #- '{checksum,digest}' AS message
							  FROM oltp_announcements()) s USING (n)
WHERE f.message IS DISTINCT FROM s.message ORDER BY n LIMIT 3;
SELECT count(*) AS tables, bool_and(f.row_count = s.row_count AND f.digest = s.digest) AS identical
FROM t.first_sums f
FULL JOIN t.sums() AS s(table_name text, row_count bigint, digest numeric) USING (table_name);

-- the workers: schema changes among the hospital's traffic; what they
-- committed per table and kind is what the decoder received
SELECT t.replay();
SELECT 'created' FROM pg_create_logical_replication_slot('sc_w', 'test_decoding');
SELECT 'created' FROM pg_create_logical_replication_slot('sc_wp', 'pgoutput');
CREATE TABLE t.csnap AS SELECT 'start'::text AS label, * FROM oltp_changes();
CREATE TABLE t.errors_before AS SELECT sum(errors) AS errors FROM oltp_operations();
ALTER SYSTEM SET oltp_sim.profile = 'schema_changes';
ALTER SYSTEM SET oltp_sim.weight_insert_preco = 30;
ALTER SYSTEM SET oltp_sim.weight_update_preco = 30;
SELECT pg_catalog.format('ALTER SYSTEM SET oltp_sim.weight_%s = 5', operation)
FROM oltp_operations() WHERE operation ~ '^(delete|add_column|drop_column|alter_type|rename_column|replica_identity|ddl_dml|swap_table|create_table|drop_table)_preco$'
ORDER BY 1 \gexec
SELECT t.reload();
SELECT t.stream(2000);
INSERT INTO t.csnap SELECT 'run', * FROM oltp_changes();
CREATE TABLE t.w AS
	SELECT ord, data FROM pg_logical_slot_get_changes('sc_w', NULL, NULL) WITH ORDINALITY AS c(lsn, xid, data, ord);
CREATE VIEW t.w_changes AS
	SELECT substring(data FROM '^table [^.]+\.(\w+):') AS tab,
		   lower(substring(data FROM '^table [^:]+: (INSERT|UPDATE|DELETE):')) AS kind
	FROM t.w WHERE data LIKE 'table %'
	UNION ALL
	SELECT substring(data FROM 'content:(.*)$')::jsonb ->> 'table', 'schema'
	FROM t.w WHERE data LIKE 'message: transactional: 1 prefix: oltp_sim.schema, %';
CREATE VIEW t.changes_delta AS
	SELECT b.table_name AS tab, b.kind, b.rows - a.rows AS n
	FROM t.csnap a JOIN t.csnap b USING (table_name, kind)
	WHERE a.label = 'start' AND b.label = 'run';
SELECT d.tab, d.kind, d.n > 0 AS changed,
	   d.n = (SELECT count(*) FROM t.w_changes c WHERE c.tab = d.tab AND c.kind = d.kind) AS decoded_matches
FROM t.changes_delta d WHERE d.tab IN ('precos', 'precos_lote') ORDER BY 1, 2;
SELECT bool_and(d.n = (SELECT count(*) FROM t.w_changes c WHERE c.tab = d.tab AND c.kind = d.kind))
	AS all_tables_match
FROM t.changes_delta d WHERE d.kind <> 'truncate';
-- and what pgoutput sent through the publication oltp_sim (FOR TABLE):
-- the rows by the name of the Relation message of their relation (precos
-- swapped and precos_lote made again have new OIDs), the announcements by
-- their table
CREATE FUNCTION t.relname(data bytea) RETURNS text LANGUAGE sql AS $$
	SELECT convert_from(substr(data, o, position('\x00'::bytea IN substr(data, o)) - 1), 'UTF8')
	FROM (SELECT 6 + position('\x00'::bytea IN substr(data, 6)) AS o) x
$$;
CREATE TABLE t.wp AS
	SELECT data FROM pg_logical_slot_get_binary_changes('sc_wp', NULL, NULL,
		'proto_version', '1', 'publication_names', 'oltp_sim', 'messages', 'true') AS c(lsn, xid, data);
CREATE VIEW t.wp_changes AS
	SELECT n.relname AS tab, CASE get_byte(w.data, 0) WHEN ascii('I') THEN 'insert'
						  WHEN ascii('U') THEN 'update' ELSE 'delete' END AS kind
	FROM t.wp w JOIN (SELECT DISTINCT t.relid(data) AS relid, t.relname(data) AS relname
					  FROM t.wp WHERE get_byte(data, 0) = ascii('R')) n ON n.relid = t.relid(w.data)
	WHERE get_byte(w.data, 0) IN (ascii('I'), ascii('U'), ascii('D'))
	UNION ALL
	SELECT convert_from(substr(data, 11 + length('oltp_sim.schema') + 1 + 4), 'UTF8')::jsonb ->> 'table', 'schema'
	FROM t.wp WHERE get_byte(data, 0) = ascii('M') AND position('oltp_sim.schema'::bytea IN data) = 11;
SELECT (SELECT count(*) FROM t.wp_changes) > 1000 AS rows_sent,
	   bool_and(d.n = (SELECT count(*) FROM t.wp_changes c WHERE c.tab = d.tab AND c.kind = d.kind))
	AS all_tables_match_pgoutput
FROM t.changes_delta d WHERE d.kind <> 'truncate';
SELECT d.tab, d.kind, d.n, (SELECT count(*) FROM t.wp_changes c WHERE c.tab = d.tab AND c.kind = d.kind) AS sent
FROM t.changes_delta d WHERE d.kind <> 'truncate'
  AND d.n <> (SELECT count(*) FROM t.wp_changes c WHERE c.tab = d.tab AND c.kind = d.kind)
ORDER BY 1, 2 LIMIT 5;
SELECT relnatts <= 40 AS bounded FROM pg_class WHERE oid = 'precos'::regclass;
SELECT sum(o.errors) - (SELECT errors FROM t.errors_before) AS errors FROM oltp_operations() o;

-- precos is a rolling set of at most 1000 rows: filled beyond them by
-- hand, insert_preco alone (5 times) leaves the newest 1000, the rows it
-- deleted the oldest, each a DELETE in the stream
INSERT INTO precos (codigo, descricao, valor)
SELECT 'T' || g, 'teste', 1 FROM generate_series(1, 1200) g;
CREATE TABLE t.rolling_before AS SELECT id FROM precos;
SELECT 'created' FROM pg_create_logical_replication_slot('sc_rolling', 'test_decoding');
SELECT pg_catalog.jsonb_object_agg(operation, CASE operation WHEN 'insert_preco' THEN 1 ELSE 0 END)::text
	AS only_insert FROM oltp_operations() \gset
CALL oltp_run(ops => 5, seed => 3, profile => 'schema_changes', weights => :'only_insert');
SELECT (SELECT count(*) FROM t.rolling_before) > 1200 AS filled, count(*) AS rows_now,
	   count(*) FILTER (WHERE id NOT IN (SELECT id FROM t.rolling_before)) AS inserted
FROM precos;
SELECT count(*) > 200 AS deleted, max(b.id) < (SELECT min(id) FROM precos) AS the_oldest,
	   count(*) = (SELECT count(*) FROM pg_logical_slot_get_changes('sc_rolling', NULL, NULL)
				   WHERE data LIKE 'table public.precos: DELETE:%') AS decoded
FROM t.rolling_before b WHERE b.id NOT IN (SELECT id FROM precos);

SELECT pg_catalog.format('ALTER SYSTEM RESET oltp_sim.weight_%s', operation)
FROM oltp_operations() ORDER BY operation \gexec
ALTER SYSTEM RESET oltp_sim.profile;
SELECT t.reload();
SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
WHERE slot_name LIKE 'sc\_%' ORDER BY slot_name;
-- (precos_lote too, if the workers left it made)
SELECT bool_or(table_name = 'precos') AS dropped FROM oltp_drop_tables('schema_changes');
DROP EXTENSION oltp_sim;
DROP PUBLICATION oltp_sim;
DROP SCHEMA t CASCADE;
