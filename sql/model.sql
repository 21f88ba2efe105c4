-- The model (oltp_tables(), oltp_columns(): src/model.c) against the
-- catalog, for every table of every set.  Each query prints only the rows
-- on which the two disagree, saying on which side each row stands, so the
-- expected output is empty: a length changed in model.c and not in the
-- CREATE TABLE (or the reverse), a column, key or foreign key that one
-- side lacks, shows here by name.  (oltp_add_tables refuses a set when
-- the model and the tables disagree, naming the first column that does;
-- the set's tables then show as missing.)
CREATE EXTENSION oltp_sim;
SELECT count(*) AS edge_cases_tables FROM oltp_add_tables('edge_cases', seed => 1);
SELECT count(*) AS types_tables FROM oltp_add_tables('types', seed => 1);
SELECT count(*) AS audit_tables FROM oltp_add_tables('audit', seed => 1);
SELECT count(*) AS partitions_tables FROM oltp_add_tables('partitions', seed => 1);
SELECT count(*) AS schema_changes_tables FROM oltp_add_tables('schema_changes', seed => 1);
-- precos_lote is made by the stream (create_table_preco), not by the
-- set's script: that operation run alone once makes it, to be compared too
SELECT jsonb_object_agg(operation, (operation = 'create_table_preco')::int) AS only_create
FROM oltp_operations() \gset
CALL oltp_run(ops => 1, seed => 1, profile => 'schema_changes', weights => :'only_create');
SELECT count(*) AS precos_lote FROM pg_class WHERE relname = 'precos_lote' AND relkind = 'r';

-- the hospital's tables: members (deptype 'e') of oltp_sim or of a set's
-- extension, in oltp_sim's schema; not the tables named oltp_sim_* in
-- which the extension keeps what pg_dump would lose
CREATE TEMP VIEW catalog_tables AS
SELECT c.oid AS relid, c.relname::text AS table_name
FROM pg_class c
JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid
	AND e.extname IN ('oltp_sim', 'oltp_sim_edge_cases', 'oltp_sim_types', 'oltp_sim_audit', 'oltp_sim_partitions',
		'oltp_sim_schema_changes')
WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relnamespace = e.extnamespace
  AND c.relname NOT LIKE 'oltp\_sim\_%';

-- tables; the queries below compare only the tables both sides have
WITH model AS (SELECT table_name FROM oltp_tables()),
	 catalog AS (SELECT table_name FROM catalog_tables)
SELECT 'model' AS side, * FROM (TABLE model EXCEPT TABLE catalog) only_model
UNION ALL
SELECT 'catalog', * FROM (TABLE catalog EXCEPT TABLE model) only_catalog
ORDER BY 2, 1;

-- columns: name, position, type with its typmod, NOT NULL
WITH model AS (
	SELECT table_name, column_name, ordinal, data_type, not_null FROM oltp_columns()
	WHERE table_name IN (SELECT table_name FROM catalog_tables)),
	 catalog AS (
	SELECT t.table_name, a.attname::text, a.attnum::int,
		   format_type(a.atttypid, a.atttypmod), a.attnotnull
	FROM catalog_tables t
	JOIN pg_attribute a ON a.attrelid = t.relid AND a.attnum > 0 AND NOT a.attisdropped
	-- of the set schema_changes, the model has the columns no operation changes
	WHERE t.table_name NOT IN (SELECT table_name FROM oltp_tables() WHERE table_set = 'schema_changes')
	   OR a.attname IN (SELECT c.column_name FROM oltp_columns() c WHERE c.table_name = t.table_name))
SELECT 'model' AS side, * FROM (TABLE model EXCEPT TABLE catalog) only_model
UNION ALL
SELECT 'catalog', * FROM (TABLE catalog EXCEPT TABLE model) only_catalog
ORDER BY 2, 4, 1;

-- primary keys (their columns in order) and the sequence each id draws from
WITH model AS (
	SELECT table_name, primary_key, id_sequence FROM oltp_tables()
	WHERE table_name IN (SELECT table_name FROM catalog_tables)),
	 catalog AS (
	SELECT t.table_name,
		   (SELECT string_agg(a.attname::text, ', ' ORDER BY k.n)
			FROM pg_index i, unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, n)
			JOIN pg_attribute a ON a.attrelid = t.relid AND a.attnum = k.attnum
			WHERE i.indrelid = t.relid AND i.indisprimary),
		   (SELECT s.relname::text
			FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
			WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
			  AND d.refobjid = t.relid AND d.deptype IN ('a', 'i'))
	FROM catalog_tables t)
SELECT 'model' AS side, * FROM (TABLE model EXCEPT TABLE catalog) only_model
UNION ALL
SELECT 'catalog', * FROM (TABLE catalog EXCEPT TABLE model) only_catalog
ORDER BY 2, 1;

-- foreign keys: the referencing columns, the table referenced, the actions
WITH model AS (
	SELECT table_name, column_name, references_table, on_update, on_delete
	FROM oltp_columns()
	WHERE references_table IS NOT NULL AND table_name IN (SELECT table_name FROM catalog_tables)),
	 action(code, name) AS (
	VALUES ('a', 'NO ACTION'), ('r', 'RESTRICT'), ('c', 'CASCADE'),
		   ('n', 'SET NULL'), ('d', 'SET DEFAULT')),
	 catalog AS (
	SELECT t.table_name,
		   (SELECT string_agg(a.attname::text, ', ' ORDER BY k.n)
			FROM unnest(f.conkey) WITH ORDINALITY k(attnum, n)
			JOIN pg_attribute a ON a.attrelid = t.relid AND a.attnum = k.attnum),
		   (SELECT r.relname::text FROM pg_class r WHERE r.oid = f.confrelid), u.name, d.name
	FROM catalog_tables t
	JOIN pg_constraint f ON f.conrelid = t.relid AND f.contype = 'f'
	JOIN action u ON u.code = f.confupdtype::text
	JOIN action d ON d.code = f.confdeltype::text)
SELECT 'model' AS side, * FROM (TABLE model EXCEPT TABLE catalog) only_model
UNION ALL
SELECT 'catalog', * FROM (TABLE catalog EXCEPT TABLE model) only_catalog
ORDER BY 2, 3, 1;

DROP EXTENSION oltp_sim CASCADE;
