-- oltp_seed, oltp_reset and oltp_counts: counts, repeated seeding, reset,
-- privileges and every bad input.
BEGIN;
SELECT plan(27);

SELECT lives_ok($$SELECT * FROM oltp_reset(seed => 7)$$, 'reset to the default volumes');

SELECT results_eq(
	'SELECT table_name, row_count FROM oltp_counts()',
	$$SELECT 'pacientes'::text, count(*) FROM pacientes
	  UNION ALL SELECT 'medicos', count(*) FROM medicos
	  UNION ALL SELECT 'convenios', count(*) FROM convenios
	  UNION ALL SELECT 'pacientes_convenios', count(*) FROM pacientes_convenios
	  UNION ALL SELECT 'consultas', count(*) FROM consultas
	  UNION ALL SELECT 'exames', count(*) FROM exames
	  UNION ALL SELECT 'internacoes', count(*) FROM internacoes$$,
	'oltp_counts gives the exact counts in the fixed table order');

SELECT results_eq(
	$$SELECT table_name, inserted FROM oltp_seed(seed => 8)$$,
	$$VALUES ('pacientes'::text, 2000::bigint), ('medicos', 200), ('convenios', 12),
	         ('pacientes_convenios', 2500), ('consultas', 4000), ('exames', 3500),
	         ('internacoes', 1200)$$,
	'oltp_seed reports what it inserted per table');
SELECT results_eq('SELECT row_count FROM oltp_counts()',
	$$VALUES (4000::bigint), (400), (24), (5000), (8000), (7000), (2400)$$,
	'seeding again adds the same volumes');
SELECT cmp_ok((SELECT count(*) FROM consultas WHERE id > 4000 AND paciente_id <= 2000), '>', 0::bigint,
	'the second seed references rows of the first');
SELECT is((SELECT count(DISTINCT cpf) FROM pacientes), 4000::bigint,
	'CPFs stay unique across seeds');
SELECT ok((SELECT bool_and(elapsed_ms >= 0) FROM oltp_seed(scale => 0.01, seed => 9)),
	'oltp_seed reports how long each table took');

-- reset: emptied, ids restarted, seeded with the same arguments
SELECT lives_ok($$SELECT * FROM oltp_reset(scale => 0.1, seed => 7)$$, 'reset at scale 0.1');
SELECT results_eq('SELECT row_count FROM oltp_counts()',
	$$VALUES (200::bigint), (20), (3), (250), (400), (350), (120)$$,
	'reset leaves only the new rows');
SELECT results_eq(
	$$SELECT min(id), max(id) FROM pacientes UNION ALL SELECT min(id), max(id) FROM consultas$$,
	$$VALUES (1::bigint, 200::bigint), (1, 400)$$, 'reset restarts the ids');

-- privileges
SELECT ok(NOT has_function_privilege('public',
	'oltp_seed(jsonb,double precision,bigint,timestamp without time zone)', 'EXECUTE'),
	'PUBLIC cannot run oltp_seed');
SELECT ok(NOT has_function_privilege('public',
	'oltp_reset(jsonb,double precision,bigint,timestamp without time zone)', 'EXECUTE'),
	'PUBLIC cannot run oltp_reset');
CREATE ROLE oltp_sim_tap_user;
SET LOCAL ROLE oltp_sim_tap_user;
SELECT throws_ok('SELECT * FROM oltp_seed()', '42501', NULL, 'an ordinary role is refused oltp_seed');
SELECT throws_ok('SELECT * FROM oltp_reset()', '42501', NULL, 'an ordinary role is refused oltp_reset');
RESET ROLE;

-- bad input: a clear error, nothing changed
SELECT throws_ok($$SELECT * FROM oltp_seed('{"pacientes": -1}')$$, '22023',
	'pacientes must be zero or more, not -1', 'a negative volume');
SELECT throws_ok($$SELECT * FROM oltp_seed('{"exames": -5}')$$, '22023',
	'exames must be zero or more, not -5', 'a negative volume of another table');
SELECT throws_ok('SELECT * FROM oltp_seed(scale => -1)', '22023',
	'scale must be zero or more, not -1', 'a negative scale');
SELECT throws_ok($$SELECT * FROM oltp_seed(scale => 'NaN')$$, '22023',
	'scale must be zero or more, not NaN', 'scale NaN');
SELECT throws_ok($$SELECT * FROM oltp_seed(scale => 'Infinity')$$, '22003', NULL, 'an infinite scale');
SELECT throws_ok('SELECT * FROM oltp_seed(scale => 1e19)', '22003',
	'pacientes => 2000 at scale 1e+19 is more rows than oltp_sim can count', 'a scale that overflows');
SELECT throws_ok($$SELECT * FROM oltp_seed('{"medicos": null}')$$, '22004',
	'argument "medicos" must not be null', 'a NULL volume');
SELECT throws_ok('SELECT * FROM oltp_seed(scale => NULL)', '22004',
	'argument "scale" must not be null', 'a NULL scale');
SELECT throws_ok($$SELECT * FROM oltp_seed('{"pacientes": 999999990}')$$, '54000', NULL,
	'more patients than there are CPFs');
SELECT throws_ok($$SELECT * FROM oltp_reset('{"pacientes": 0}')$$, '22023',
	'cannot add consultas, exames, internacoes or pacientes_convenios without pacientes',
	'children without parents');
SELECT throws_ok($$SELECT * FROM oltp_seed('{"pacientes": 0, "pacientes_convenios": 1000}')$$, '22023', NULL,
	'more insurer pairs than the patients can hold');
SELECT results_eq('SELECT row_count FROM oltp_counts()',
	$$VALUES (200::bigint), (20), (3), (250), (400), (350), (120)$$,
	'the refused calls changed nothing');

-- tables changed by hand
ALTER TABLE pacientes DROP COLUMN endereco;
SELECT throws_ok('SELECT * FROM oltp_seed()', '42703',
	'the tables of extension "oltp_sim" in schema "public" were changed by hand',
	'a dropped column is named');
SELECT * FROM finish();
ROLLBACK;
