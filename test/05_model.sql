-- The model (oltp_tables(), oltp_columns()) against the catalog: the
-- description the C code, the seed and the CDC helpers read is the schema
-- the install script created, column by column and key by key.
BEGIN;
SELECT plan(13);

SELECT set_eq(
	$$SELECT table_name FROM oltp_tables() WHERE table_set = 'core'$$,
	$$SELECT c.relname::text FROM pg_class c
	  JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
	  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'oltp_sim'
	  WHERE c.relkind = 'r' AND c.relname NOT LIKE 'oltp\_sim\_%'$$,
	'the core set is exactly the tables the extension created (besides its records for pg_dump)');

-- the opt-in sets too, from here on: every table of the model exists, each
-- set's tables in the set's own extension, checked against the model as
-- the set is created (a drift between the set's script and model.c fails
-- here, or in the comparisons below)
SELECT lives_ok($$SELECT oltp_add_tables('edge_cases', seed => 5); SELECT oltp_add_tables('types', seed => 5);
	SELECT oltp_add_tables('audit', seed => 5); SELECT oltp_add_tables('partitions', seed => 5);
	SELECT oltp_add_tables('schema_changes')$$,
	'oltp_add_tables creates the edge_cases, types, audit, partitions and schema_changes sets');

-- the tables the catalog has: all but precos_lote, which the stream makes
-- (create_table_preco) and drops; sql/model.sql compares it once that
-- operation made it
CREATE TEMP VIEW made_tables AS
	SELECT * FROM oltp_tables() WHERE table_name <> 'precos_lote';
CREATE TEMP VIEW made_columns AS
	SELECT * FROM oltp_columns() WHERE table_name <> 'precos_lote';

SELECT set_eq(
	$$SELECT table_name FROM made_tables$$,
	$$SELECT c.relname::text FROM pg_class c
	  JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
	  JOIN pg_extension e ON e.oid = d.refobjid
	   AND e.extname = CASE WHEN c.relname IN (SELECT table_name FROM oltp_tables() WHERE table_set = 'core')
	                        THEN 'oltp_sim' ELSE 'oltp_sim_' || (SELECT table_set FROM oltp_tables() WHERE table_name = c.relname) END
	  WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname NOT LIKE 'oltp\_sim\_%'$$,
	'with the sets added, every table of the model is a member of its set''s extension');

SELECT results_eq(
	$$SELECT array_agg(ordinal ORDER BY ordinal) FROM oltp_tables()$$,
	$$SELECT array_agg(g) FROM generate_series(1, (SELECT count(*)::int FROM oltp_tables())) g$$,
	'the tables are numbered 1 to N, the order every report uses');

SELECT set_eq(
	$$SELECT table_name, column_name, ordinal, data_type, not_null FROM made_columns$$,
	$$SELECT c.relname::text, a.attname::text, a.attnum::int,
	         format_type(a.atttypid, a.atttypmod), a.attnotnull
	  FROM made_tables m
	  JOIN pg_class c ON c.relname = m.table_name AND c.relnamespace = 'public'::regnamespace
	  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
	  -- the set schema_changes: the model has the columns no operation changes
	  WHERE m.table_set <> 'schema_changes'
	     OR a.attname IN (SELECT column_name FROM oltp_columns() WHERE table_name = m.table_name)$$,
	'every column of the model has the name, position, type and nullability of the catalog''s');

SELECT set_eq(
	$$SELECT table_name, columns FROM oltp_tables()$$,
	$$SELECT table_name, array_agg(column_name ORDER BY ordinal) FROM oltp_columns() GROUP BY 1$$,
	'oltp_tables() lists the columns oltp_columns() describes, in order');

-- a key of several columns in its order; a table without one has NULL
SELECT set_eq(
	$$SELECT table_name, primary_key FROM made_tables$$,
	$$SELECT m.table_name,
	         (SELECT string_agg(a.attname::text, ', ' ORDER BY array_position(i.indkey::int2[], a.attnum))
	          FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
	          WHERE i.indrelid = format('public.%I', m.table_name)::regclass AND i.indisprimary)
	  FROM made_tables m$$,
	'the primary keys are the catalog''s');

-- the sequences the tables own: none for a key the writer draws (a uuid)
SELECT set_eq(
	$$SELECT table_name, id_sequence FROM oltp_tables() WHERE id_sequence IS NOT NULL$$,
	$$SELECT c.relname::text AS table_name, s.relname::text AS id_sequence
	  FROM pg_depend d
	  JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
	  JOIN pg_class c ON c.oid = d.refobjid
	  WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
	    AND d.deptype = 'a' AND c.relnamespace = 'public'::regnamespace$$,
	'each key draws from the sequence the model names');

SELECT set_eq(
	$$SELECT table_name, column_name, references_table, on_update, on_delete
	  FROM oltp_columns() WHERE references_table IS NOT NULL$$,
	$$SELECT c.relname::text AS table_name, a.attname::text AS column_name, r.relname::text AS references_table,
	         CASE k.confupdtype WHEN 'c' THEN 'CASCADE' WHEN 'r' THEN 'RESTRICT' WHEN 'a' THEN 'NO ACTION'
	                            WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' END AS on_update,
	         CASE k.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'r' THEN 'RESTRICT' WHEN 'a' THEN 'NO ACTION'
	                            WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' END AS on_delete
	  FROM pg_constraint k
	  JOIN pg_class c ON c.oid = k.conrelid
	  JOIN pg_class r ON r.oid = k.confrelid
	  JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
	  WHERE k.contype = 'f' AND k.connamespace = 'public'::regnamespace$$,
	'every foreign key, with its actions, is the catalog''s');

-- the audit set's logs_acesso is in no publication, on purpose (model.c)
SELECT set_eq(
	$$SELECT table_name FROM made_tables WHERE table_set <> 'audit'$$,
	$$SELECT c.relname::text FROM pg_publication_rel r JOIN pg_publication p ON p.oid = r.prpubid
	  JOIN pg_class c ON c.oid = r.prrelid WHERE p.pubname = 'oltp_sim'$$,
	'the publication publishes the tables of the model, but the audit set''s (the partitioned one itself, not its partitions)');

SELECT is(
	(SELECT sum(default_rows) FROM oltp_tables()),
	(SELECT sum(inserted) FROM oltp_reset(seed => 5))::numeric,
	'oltp_seed''s default volumes are the model''s');

-- the counters cover every table of the model and every kind, and each
-- operation declares changes to tables of the model, of a known kind
SELECT set_eq(
	$$SELECT table_name, kind FROM oltp_changes()$$,
	$$SELECT m.table_name, k FROM oltp_tables() m,
	         unnest(ARRAY['insert', 'update', 'delete', 'truncate', 'schema']) AS k$$,
	'oltp_changes() has a row for every table and kind');
SELECT is_empty(
	$$SELECT operation FROM oltp_operations()
	  WHERE NOT string_to_array(table_name, ', ') <@ ARRAY(SELECT table_name FROM oltp_tables())
	     OR NOT string_to_array(kind, ', ') <@ ARRAY['insert', 'update', 'delete', 'truncate', 'schema']$$,
	'every operation changes tables of the model, in known kinds');

SELECT * FROM finish();
ROLLBACK;
