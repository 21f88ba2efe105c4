-- oltp_checksums: the digest follows the rows' content and nothing else
-- (test/shell/checksums.sh compares it with the README's plain query).
CREATE EXTENSION oltp_sim;
SELECT count(*) FROM oltp_seed(seed => 7);
CREATE TEMP TABLE base AS SELECT * FROM oltp_checksums();
CREATE TEMP TABLE base_ex AS
SELECT * FROM oltp_checksums(exclude_columns => '{created_at,updated_at}');

-- every table, in the model's order, the counts of oltp_counts()
SELECT b.table_name, b.row_count = c.row_count AS counted,
	   b.digest BETWEEN 1 AND 18446744073709551615 AS in_range
FROM base b JOIN oltp_counts() c USING (table_name);

-- the changes a sink could get wrong, each rolled back; only that table differs
CREATE FUNCTION differs(ex text[] DEFAULT NULL) RETURNS TABLE (table_name text, rows_differ boolean)
LANGUAGE sql AS $$
	SELECT n.table_name, n.row_count <> b.row_count
	FROM oltp_checksums(exclude_columns => ex) n
	JOIN (SELECT * FROM base WHERE ex IS NULL UNION ALL SELECT * FROM base_ex WHERE ex IS NOT NULL) b
	  USING (table_name)
	WHERE n.digest <> b.digest OR n.row_count <> b.row_count
$$;
BEGIN;
DELETE FROM internacoes WHERE id = 5;
SELECT * FROM differs();
ROLLBACK;
BEGIN;
UPDATE pacientes SET nome = nome || ' ' WHERE id = 5;
SELECT * FROM differs('{created_at,updated_at}');
ROLLBACK;
-- NULL and the empty string are different values
BEGIN;
UPDATE exames SET resultado = '' WHERE id = (SELECT min(id) FROM exames WHERE resultado IS NULL);
SELECT * FROM differs('{created_at,updated_at}');
ROLLBACK;
-- only the audit column changed: the same digests once it is excluded
BEGIN;
UPDATE medicos SET telefone = telefone WHERE id = 3;
SELECT * FROM differs();
SELECT * FROM differs('{created_at,updated_at}');
ROLLBACK;
-- a row deleted and inserted again as it was: the same digest
BEGIN;
CREATE TEMP TABLE one AS SELECT * FROM internacoes WHERE id = 7;
DELETE FROM internacoes WHERE id = 7;
INSERT INTO internacoes SELECT * FROM one;
SELECT * FROM differs();
ROLLBACK;

-- the physical layout does not matter: rewritten, reordered on disk
VACUUM FULL consultas;
CLUSTER pacientes USING pacientes_pkey;
CLUSTER exames USING idx_exames_data;
SELECT * FROM differs();

-- which tables, which columns
SELECT table_name, row_count FROM oltp_checksums(ARRAY['exames', 'medicos', 'exames']);
SELECT count(*) AS none FROM oltp_checksums('{}');
-- a column of one table only is excluded where it is
SELECT table_name FROM oltp_checksums(exclude_columns => '{data_cadastro}') n
JOIN base b USING (table_name) WHERE n.digest <> b.digest;
-- an empty table: no rows, digest 0
BEGIN;
DELETE FROM internacoes;
SELECT row_count, digest FROM oltp_checksums('{internacoes}');
ROLLBACK;
-- the session's settings do not change the text of a value
BEGIN;
SET LOCAL TimeZone = 'Pacific/Chatham';
SET LOCAL DateStyle = 'SQL, DMY';
SET LOCAL IntervalStyle = 'sql_standard';
SET LOCAL extra_float_digits = -15;
SELECT count(*) AS differ FROM differs();
ROLLBACK;

-- bad input
SELECT * FROM oltp_checksums(ARRAY['exames', 'exame']);
SELECT * FROM oltp_checksums(ARRAY['exames', NULL]);
SELECT * FROM oltp_checksums(exclude_columns => '{created_at,updated}');
SELECT * FROM oltp_checksums(exclude_columns => ARRAY[NULL]);

DROP FUNCTION differs(text[]);
DROP EXTENSION oltp_sim;
