-- oltp_checksums: the digest follows the rows' content and nothing else
-- (test/shell/checksums.sh compares it with the plain query of docs/cdc.md).
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
SET LOCAL bytea_output = 'escape';
SELECT count(*) AS differ FROM differs();
-- and the caller gets its settings back
SHOW DateStyle;
SHOW bytea_output;
ROLLBACK;
-- the settings it pins for its statements (the query in docs/cdc.md sets the same)
SELECT unnest(proconfig) AS pinned FROM pg_proc WHERE oid = 'oltp_checksums'::regproc;

-- the canonical form spelled out on two known rows: the columns sorted by
-- name (updated_at excluded), the record text (NULL as nothing, quotes
-- around an empty string, a comma, a space, doubled quotes inside), the
-- timestamp in ISO whatever DateStyle; hashtextextended of each, summed
-- modulo 2^64
BEGIN;
SET LOCAL DateStyle = 'SQL, DMY';
DELETE FROM pacientes_convenios;
DELETE FROM convenios WHERE id > 2;
UPDATE convenios SET cnpj = '12.345.678/0001-90', cobertura = NULL, nome = 'Plano "Sul", Ltda',
	tipo = '', created_at = '2026-01-02 03:04:05.5' WHERE id = 1;
UPDATE convenios SET cnpj = '', cobertura = 'a\b', nome = 'x', tipo = 'y',
	created_at = '2026-12-31 23:59:59' WHERE id = 2;
SELECT row_count, digest = (pg_catalog.hashtextextended(
		'(12.345.678/0001-90,,"2026-01-02 03:04:05.5",1,"Plano ""Sul"", Ltda","")', 0)::numeric
	+ pg_catalog.hashtextextended('("","a\\b","2026-12-31 23:59:59",2,x,y)', 0)
	+ 18446744073709551616) % 18446744073709551616 AS spelled_out
FROM oltp_checksums('{convenios}', '{updated_at}');
ROLLBACK;

-- the table's own column order does not matter: a column dropped and
-- added back with the same values comes last, after a dropped one
BEGIN;
ALTER TABLE medicos RENAME COLUMN nome TO nome_antes;
ALTER TABLE medicos ADD COLUMN nome varchar(150);
UPDATE medicos SET nome = nome_antes;
ALTER TABLE medicos DROP COLUMN nome_antes;
ALTER TABLE medicos ALTER COLUMN nome SET NOT NULL;
SELECT attname FROM pg_attribute WHERE attrelid = 'medicos'::regclass AND attnum > 0 AND NOT attisdropped
ORDER BY attnum DESC LIMIT 1;
SELECT * FROM differs('{created_at,updated_at}');
ROLLBACK;

-- bad input
SELECT * FROM oltp_checksums(ARRAY['exames', 'exame']);
SELECT * FROM oltp_checksums(ARRAY['exames', NULL]);
SELECT * FROM oltp_checksums(exclude_columns => '{created_at,updated}');
SELECT * FROM oltp_checksums(exclude_columns => ARRAY[NULL]);

DROP FUNCTION differs(text[]);
DROP EXTENSION oltp_sim;
