-- The hospital schema: tables, columns and types, keys, foreign keys with
-- their actions, checks, the nine indexes and the updated_at triggers.
BEGIN;
SELECT plan(45);

SELECT tables_are('public',
	ARRAY['pacientes', 'medicos', 'convenios', 'pacientes_convenios',
		  'consultas', 'exames', 'internacoes',
		  'oltp_sim_publication_tables', 'oltp_sim_replica_identities',
		  'oltp_sim_announcements'],
	'the extension creates exactly the seven hospital tables, the two records pg_dump keeps for them, and the history of announced changes');

-- every column: type, NOT NULL and default, against the Python tool's schema
SELECT set_eq(
	$$SELECT c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod),
	         a.attnotnull, coalesce(pg_get_expr(d.adbin, d.adrelid), '')
	  FROM pg_attribute a
	  JOIN pg_class c ON c.oid = a.attrelid
	  JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
	  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
	  WHERE c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
	    AND c.relname IN ('pacientes', 'medicos', 'convenios', 'pacientes_convenios',
	                      'consultas', 'exames', 'internacoes')$$,
	$$VALUES
	  ('pacientes', 'id', 'bigint', true, 'nextval(''pacientes_id_seq''::regclass)'),
	  ('pacientes', 'nome', 'character varying(150)', true, ''),
	  ('pacientes', 'nascimento', 'date', true, ''),
	  ('pacientes', 'cpf', 'character varying(20)', true, ''),
	  ('pacientes', 'telefone', 'character varying(20)', false, ''),
	  ('pacientes', 'endereco', 'character varying(200)', false, ''),
	  ('pacientes', 'data_cadastro', 'timestamp without time zone', true, 'now()'),
	  ('pacientes', 'created_at', 'timestamp without time zone', true, 'now()'),
	  ('pacientes', 'updated_at', 'timestamp without time zone', true, 'now()'),
	  ('medicos', 'id', 'bigint', true, 'nextval(''medicos_id_seq''::regclass)'),
	  ('medicos', 'nome', 'character varying(150)', true, ''),
	  ('medicos', 'crm', 'character varying(20)', true, ''),
	  ('medicos', 'especialidade', 'character varying(80)', true, ''),
	  ('medicos', 'telefone', 'character varying(20)', false, ''),
	  ('medicos', 'created_at', 'timestamp without time zone', true, 'now()'),
	  ('medicos', 'updated_at', 'timestamp without time zone', true, 'now()'),
	  ('convenios', 'id', 'bigint', true, 'nextval(''convenios_id_seq''::regclass)'),
	  ('convenios', 'nome', 'character varying(120)', true, ''),
	  ('convenios', 'cnpj', 'character varying(25)', true, ''),
	  ('convenios', 'tipo', 'character varying(40)', true, ''),
	  ('convenios', 'cobertura', 'character varying(120)', false, ''),
	  ('convenios', 'created_at', 'timestamp without time zone', true, 'now()'),
	  ('convenios', 'updated_at', 'timestamp without time zone', true, 'now()'),
	  ('pacientes_convenios', 'id', 'bigint', true, 'nextval(''pacientes_convenios_id_seq''::regclass)'),
	  ('pacientes_convenios', 'paciente_id', 'bigint', true, ''),
	  ('pacientes_convenios', 'convenio_id', 'bigint', true, ''),
	  ('pacientes_convenios', 'numero_carteira', 'character varying(40)', false, ''),
	  ('pacientes_convenios', 'validade', 'date', false, ''),
	  ('pacientes_convenios', 'created_at', 'timestamp without time zone', true, 'now()'),
	  ('pacientes_convenios', 'updated_at', 'timestamp without time zone', true, 'now()'),
	  ('consultas', 'id', 'bigint', true, 'nextval(''consultas_id_seq''::regclass)'),
	  ('consultas', 'paciente_id', 'bigint', true, ''),
	  ('consultas', 'medico_id', 'bigint', true, ''),
	  ('consultas', 'data', 'timestamp without time zone', true, ''),
	  ('consultas', 'motivo', 'character varying(200)', true, ''),
	  ('consultas', 'status', 'character varying(20)', true, ''),
	  ('consultas', 'created_at', 'timestamp without time zone', true, 'now()'),
	  ('consultas', 'updated_at', 'timestamp without time zone', true, 'now()'),
	  ('exames', 'id', 'bigint', true, 'nextval(''exames_id_seq''::regclass)'),
	  ('exames', 'paciente_id', 'bigint', true, ''),
	  ('exames', 'tipo_exame', 'character varying(100)', true, ''),
	  ('exames', 'data', 'timestamp without time zone', true, ''),
	  ('exames', 'resultado', 'character varying(200)', false, ''),
	  ('exames', 'created_at', 'timestamp without time zone', true, 'now()'),
	  ('exames', 'updated_at', 'timestamp without time zone', true, 'now()'),
	  ('internacoes', 'id', 'bigint', true, 'nextval(''internacoes_id_seq''::regclass)'),
	  ('internacoes', 'paciente_id', 'bigint', true, ''),
	  ('internacoes', 'data_entrada', 'timestamp without time zone', true, ''),
	  ('internacoes', 'data_saida', 'timestamp without time zone', false, ''),
	  ('internacoes', 'motivo', 'character varying(200)', true, ''),
	  ('internacoes', 'quarto', 'character varying(20)', false, ''),
	  ('internacoes', 'created_at', 'timestamp without time zone', true, 'now()'),
	  ('internacoes', 'updated_at', 'timestamp without time zone', true, 'now()')$$,
	'every column has the type, nullability and default of the original schema');

-- primary keys
SELECT col_is_pk('public', t, primary_key, t || '.' || primary_key || ' is the primary key')
FROM oltp_tables() AS m(t) WHERE table_set = 'core' ORDER BY ordinal;

-- unique natural keys
SELECT col_is_unique('public', 'pacientes', ARRAY['cpf'], 'pacientes.cpf is unique');
SELECT col_is_unique('public', 'medicos', ARRAY['crm'], 'medicos.crm is unique');
SELECT col_is_unique('public', 'convenios', ARRAY['cnpj'], 'convenios.cnpj is unique');
SELECT col_is_unique('public', 'pacientes_convenios', ARRAY['paciente_id', 'convenio_id'],
	'a patient holds each insurer once');

-- foreign keys, and every one ON UPDATE CASCADE ON DELETE RESTRICT
SELECT fk_ok('public', 'pacientes_convenios', 'paciente_id', 'public', 'pacientes', 'id');
SELECT fk_ok('public', 'pacientes_convenios', 'convenio_id', 'public', 'convenios', 'id');
SELECT fk_ok('public', 'consultas', 'paciente_id', 'public', 'pacientes', 'id');
SELECT fk_ok('public', 'consultas', 'medico_id', 'public', 'medicos', 'id');
SELECT fk_ok('public', 'exames', 'paciente_id', 'public', 'pacientes', 'id');
SELECT fk_ok('public', 'internacoes', 'paciente_id', 'public', 'pacientes', 'id');
SELECT results_eq(
	$$SELECT count(*)::int, count(*) FILTER (WHERE confupdtype = 'c' AND confdeltype = 'r')::int
	  FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace$$,
	$$VALUES (6, 6)$$,
	'six foreign keys, all ON UPDATE CASCADE ON DELETE RESTRICT');

-- checks
SELECT throws_ok(
	$$INSERT INTO consultas (paciente_id, medico_id, data, motivo, status)
	  VALUES (1, 1, now(), 'x', 'remarcada')$$,
	'23514', NULL, 'consultas.status accepts only the four statuses');
SELECT throws_ok(
	$$INSERT INTO internacoes (paciente_id, data_entrada, data_saida, motivo)
	  VALUES (1, '2024-01-02', '2024-01-01', 'x')$$,
	'23514', NULL, 'an admission cannot end before it starts');

-- the nine indexes, by name and column
SELECT has_index('public', 'pacientes', 'idx_pacientes_cpf', ARRAY['cpf']);
SELECT has_index('public', 'medicos', 'idx_medicos_crm', ARRAY['crm']);
SELECT has_index('public', 'consultas', 'idx_consultas_paciente', ARRAY['paciente_id']);
SELECT has_index('public', 'consultas', 'idx_consultas_medico', ARRAY['medico_id']);
SELECT has_index('public', 'consultas', 'idx_consultas_data', ARRAY['data']);
SELECT has_index('public', 'exames', 'idx_exames_paciente', ARRAY['paciente_id']);
SELECT has_index('public', 'exames', 'idx_exames_data', ARRAY['data']);
SELECT has_index('public', 'internacoes', 'idx_internacoes_paciente', ARRAY['paciente_id']);
SELECT has_index('public', 'internacoes', 'idx_internacoes_datas', ARRAY['data_entrada', 'data_saida']);

-- the BEFORE UPDATE trigger on every table
SELECT has_trigger('public', t, t || '_updated_at', t || ' has its updated_at trigger')
FROM oltp_tables() AS m(t) WHERE table_set = 'core' ORDER BY ordinal;
SELECT results_eq(
	$$SELECT count(*)::int FROM pg_trigger
	  WHERE tgrelid IN ('pacientes'::regclass, 'medicos'::regclass, 'convenios'::regclass,
	                    'pacientes_convenios'::regclass, 'consultas'::regclass,
	                    'exames'::regclass, 'internacoes'::regclass)
	    AND tgname LIKE '%_updated_at'
	    AND tgtype = (1 | 2 | 16)	-- ROW, BEFORE, UPDATE
	    AND tgfoid = 'oltp_sim_touch_updated_at'::regproc$$,
	$$VALUES (7)$$,
	'the seven triggers fire BEFORE UPDATE FOR EACH ROW');

-- and they keep updated_at current
SELECT lives_ok($$SELECT * FROM oltp_reset(scale => 0.01, seed => 1)$$, 'seed a few rows');
UPDATE medicos SET updated_at = '2000-01-01', nome = nome WHERE id = 1;
SELECT is((SELECT updated_at FROM medicos WHERE id = 1), now()::timestamp,
	'an update sets updated_at to the time of the update');
UPDATE pacientes SET telefone = telefone WHERE id = 1;
SELECT cmp_ok((SELECT updated_at FROM pacientes WHERE id = 1), '>=',
	(SELECT created_at FROM pacientes WHERE id = 1), 'updated_at never precedes created_at');

-- functions
SELECT has_function('public', 'oltp_seed', ARRAY['jsonb', 'double precision', 'bigint', 'timestamp without time zone']);
SELECT has_function('public', 'oltp_reset', ARRAY['jsonb', 'double precision', 'bigint', 'timestamp without time zone']);
SELECT has_function('public', 'oltp_counts', ARRAY[]::text[]);

SELECT * FROM finish();
ROLLBACK;
