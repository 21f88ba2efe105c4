-- The same seed gives the same rows: an md5 over each table's rows, leaving
-- out only the audit timestamps that record when a row was written.
BEGIN;
SELECT plan(7);

CREATE FUNCTION pg_temp.fingerprint() RETURNS TABLE (t text, h text)
LANGUAGE sql AS $$
	SELECT 'pacientes', md5(string_agg(row(id, nome, nascimento, cpf, telefone, endereco)::text, ',' ORDER BY id)) FROM pacientes
	UNION ALL
	SELECT 'medicos', md5(string_agg(row(id, nome, crm, especialidade, telefone)::text, ',' ORDER BY id)) FROM medicos
	UNION ALL
	SELECT 'convenios', md5(string_agg(row(id, nome, cnpj, tipo, cobertura)::text, ',' ORDER BY id)) FROM convenios
	UNION ALL
	SELECT 'pacientes_convenios', md5(string_agg(row(id, paciente_id, convenio_id, numero_carteira, validade)::text, ',' ORDER BY id)) FROM pacientes_convenios
	UNION ALL
	SELECT 'consultas', md5(string_agg(row(id, paciente_id, medico_id, data, motivo, status)::text, ',' ORDER BY id)) FROM consultas
	UNION ALL
	SELECT 'exames', md5(string_agg(row(id, paciente_id, tipo_exame, data, resultado)::text, ',' ORDER BY id)) FROM exames
	UNION ALL
	SELECT 'internacoes', md5(string_agg(row(id, paciente_id, data_entrada, data_saida, motivo, quarto)::text, ',' ORDER BY id)) FROM internacoes
$$;

SELECT lives_ok($$SELECT * FROM oltp_reset(seed => 42)$$, 'seed with 42');
CREATE TEMP TABLE first AS SELECT * FROM pg_temp.fingerprint();

SELECT lives_ok($$SELECT * FROM oltp_reset(seed => 42)$$, 'seed with 42 again');
SELECT results_eq('SELECT * FROM pg_temp.fingerprint()', 'SELECT * FROM first',
	'seed 42 twice gives identical rows in all seven tables');

SELECT lives_ok($$SELECT * FROM oltp_reset(seed => 43)$$, 'seed with 43');
SELECT is((SELECT count(*) FROM pg_temp.fingerprint() f JOIN first USING (t) WHERE f.h = first.h),
	0::bigint, 'another seed gives other rows in every table');

-- a table's rows do not depend on the other tables' volumes
SELECT lives_ok($$SELECT * FROM oltp_reset('{"consultas": 10, "exames": 10}', seed => 42)$$,
	'seed 42 with other volumes');
SELECT results_eq(
	$$SELECT * FROM pg_temp.fingerprint() WHERE t IN ('pacientes', 'medicos', 'convenios', 'pacientes_convenios')$$,
	$$SELECT * FROM first WHERE t IN ('pacientes', 'medicos', 'convenios', 'pacientes_convenios')$$,
	'tables whose volumes did not change get the same rows');
SELECT * FROM finish();
ROLLBACK;
