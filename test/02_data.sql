-- The generated data, checked by rules written here independently of the C
-- generator: check digits, formats, area codes against the address's state,
-- references, date consistency and the distributions.
--
-- Tolerances: on the default volumes a share's standard deviation is at
-- most 0.8 percentage points (consultas, n = 4000) and 1.3 points
-- (internacoes, n = 1200); the bounds below are about 4 standard deviations.
BEGIN;
SELECT plan(27);

SELECT lives_ok($$SELECT * FROM oltp_reset(seed => 20241123)$$, 'seed the default volumes');

-- CPF: the two mod-11 check digits, in the usual "times 10 mod 11" form
CREATE FUNCTION pg_temp.cpf_valid(cpf text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	d int[];
	s int;
	r int;
BEGIN
	IF cpf !~ '^\d{3}\.\d{3}\.\d{3}-\d{2}$' THEN
		RETURN false;
	END IF;
	d := string_to_array(regexp_replace(cpf, '\D', '', 'g'), NULL)::int[];
	IF d[1:9] = array_fill(d[1], ARRAY[9]) THEN
		RETURN false;			-- 111.111.111-xx and the like are never valid
	END IF;
	s := 0;
	FOR i IN 1..9 LOOP s := s + d[i] * (11 - i); END LOOP;
	r := (s * 10) % 11 % 10;
	IF r <> d[10] THEN RETURN false; END IF;
	s := 0;
	FOR i IN 1..10 LOOP s := s + d[i] * (12 - i); END LOOP;
	r := (s * 10) % 11 % 10;
	RETURN r = d[11];
END
$$;

-- CNPJ: weights 5..2,9..2 and 6..2,9..2
CREATE FUNCTION pg_temp.cnpj_valid(cnpj text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	d int[];
	w1 int[] := ARRAY[5,4,3,2,9,8,7,6,5,4,3,2];
	w2 int[] := ARRAY[6,5,4,3,2,9,8,7,6,5,4,3,2];
	s int;
	r int;
BEGIN
	IF cnpj !~ '^\d{2}\.\d{3}\.\d{3}/\d{4}-\d{2}$' THEN
		RETURN false;
	END IF;
	d := string_to_array(regexp_replace(cnpj, '\D', '', 'g'), NULL)::int[];
	s := 0;
	FOR i IN 1..12 LOOP s := s + d[i] * w1[i]; END LOOP;
	r := CASE WHEN s % 11 < 2 THEN 0 ELSE 11 - s % 11 END;
	IF r <> d[13] THEN RETURN false; END IF;
	s := 0;
	FOR i IN 1..13 LOOP s := s + d[i] * w2[i]; END LOOP;
	r := CASE WHEN s % 11 < 2 THEN 0 ELSE 11 - s % 11 END;
	RETURN r = d[14];
END
$$;

-- the check functions themselves, on published examples
SELECT ok(pg_temp.cpf_valid('529.982.247-25') AND NOT pg_temp.cpf_valid('529.982.247-26')
		  AND NOT pg_temp.cpf_valid('111.111.111-11'), 'the CPF rule accepts a known CPF and rejects bad ones');
SELECT ok(pg_temp.cnpj_valid('11.222.333/0001-81') AND NOT pg_temp.cnpj_valid('11.222.333/0001-82'),
		  'the CNPJ rule accepts a known CNPJ and rejects a bad one');

-- Brazil's area codes by state (ANATEL)
CREATE TEMP TABLE ddd (uf text, ddd int);
INSERT INTO ddd VALUES
	('AC',68),('AL',82),('AP',96),('AM',92),('AM',97),('BA',71),('BA',73),('BA',74),
	('BA',75),('BA',77),('CE',85),('CE',88),('DF',61),('ES',27),('ES',28),('GO',62),
	('GO',64),('MA',98),('MA',99),('MT',65),('MT',66),('MS',67),('MG',31),('MG',32),
	('MG',33),('MG',34),('MG',35),('MG',37),('MG',38),('PA',91),('PA',93),('PA',94),
	('PB',83),('PR',41),('PR',42),('PR',43),('PR',44),('PR',45),('PR',46),('PE',81),
	('PE',87),('PI',86),('PI',89),('RJ',21),('RJ',22),('RJ',24),('RN',84),('RS',51),
	('RS',53),('RS',54),('RS',55),('RO',69),('RR',95),('SC',47),('SC',48),('SC',49),
	('SP',11),('SP',12),('SP',13),('SP',14),('SP',15),('SP',16),('SP',17),('SP',18),
	('SP',19),('SE',79),('TO',63);

-- pacientes
SELECT is((SELECT count(*) FROM pacientes WHERE NOT pg_temp.cpf_valid(cpf)), 0::bigint,
	'every CPF has valid check digits');
SELECT is((SELECT count(DISTINCT cpf) FROM pacientes), 2000::bigint, 'CPFs are all distinct');
SELECT is((SELECT count(*) FROM pacientes
		   WHERE endereco !~ '^(Rua|Avenida|Travessa|Alameda) .+, \d{1,4} - [^,]+, [A-Z]{2}$'),
	0::bigint, 'addresses read "Rua X, 123 - City, UF"');
SELECT is((SELECT count(*) FROM pacientes p
		   WHERE telefone !~ '^\(\d{2}\) 9\d{4}-\d{4}$'
		      OR NOT EXISTS (SELECT 1 FROM ddd
		                     WHERE ddd.uf = right(p.endereco, 2)
		                       AND ddd.ddd = substr(p.telefone, 2, 2)::int)),
	0::bigint, 'phones are mobiles with an area code of the address''s state');
SELECT is((SELECT count(*) FROM pacientes
		   WHERE nascimento > current_date OR nascimento < current_date - interval '100 years 1 day'),
	0::bigint, 'birth dates lie 0 to 100 years back');
SELECT cmp_ok((SELECT count(DISTINCT split_part(nome, ' ', 1)) FROM pacientes), '>=', 100::bigint,
	'names come from a broad dictionary');
SELECT is((SELECT count(*) FROM pacientes WHERE nome !~ '^\S+( \S+)+$'), 0::bigint,
	'every name has a first name and a surname');

-- medicos and convenios
SELECT is((SELECT count(*) FROM medicos m
		   WHERE crm !~ '^\d{6}[A-Z]{2}$'
		      OR NOT EXISTS (SELECT 1 FROM ddd WHERE ddd.uf = right(m.crm, 2)
		                     AND ddd.ddd = substr(m.telefone, 2, 2)::int)),
	0::bigint, 'CRMs are six digits and a state; the phone is from that state');
SELECT is((SELECT count(*) FROM convenios WHERE NOT pg_temp.cnpj_valid(cnpj)), 0::bigint,
	'every CNPJ has valid check digits');
SELECT is((SELECT count(*) FROM medicos WHERE especialidade = ''), 0::bigint,
	'every doctor has a specialty');

-- references
SELECT is((SELECT count(*) FROM consultas c
		   WHERE NOT EXISTS (SELECT 1 FROM pacientes p WHERE p.id = c.paciente_id)
		      OR NOT EXISTS (SELECT 1 FROM medicos m WHERE m.id = c.medico_id))
		+ (SELECT count(*) FROM exames e WHERE NOT EXISTS (SELECT 1 FROM pacientes p WHERE p.id = e.paciente_id))
		+ (SELECT count(*) FROM internacoes i WHERE NOT EXISTS (SELECT 1 FROM pacientes p WHERE p.id = i.paciente_id))
		+ (SELECT count(*) FROM pacientes_convenios pc
		   WHERE NOT EXISTS (SELECT 1 FROM pacientes p WHERE p.id = pc.paciente_id)
		      OR NOT EXISTS (SELECT 1 FROM convenios v WHERE v.id = pc.convenio_id)),
	0::bigint, 'no row references a missing row');

-- insurers per patient: 0 to 3, never the same one twice
SELECT results_eq(
	$$SELECT min(n), max(n) FROM (SELECT p.id, count(pc.id)::int AS n FROM pacientes p
	  LEFT JOIN pacientes_convenios pc ON pc.paciente_id = p.id GROUP BY p.id) s$$,
	$$VALUES (0, 3)$$, 'patients hold 0 to 3 insurers');
SELECT is((SELECT count(DISTINCT (paciente_id, convenio_id)) FROM pacientes_convenios), 2500::bigint,
	'no duplicate patient-insurer pair');

-- consultas: the status mix, and dates that fit the status
SELECT ok((SELECT abs(count(*) FILTER (WHERE status = 'agendada') * 100.0 / count(*) - 55) <= 3
		  FROM consultas), 'about 55% of consultations are scheduled');
SELECT ok((SELECT abs(count(*) FILTER (WHERE status = 'realizada') * 100.0 / count(*) - 35) <= 3
		  FROM consultas), 'about 35% are done');
SELECT ok((SELECT abs(count(*) FILTER (WHERE status = 'cancelada') * 100.0 / count(*) - 5) <= 1.5
		  FROM consultas), 'about 5% are cancelled');
SELECT ok((SELECT abs(count(*) FILTER (WHERE status = 'faltou') * 100.0 / count(*) - 5) <= 1.5
		  FROM consultas), 'about 5% are no-shows');
SELECT is((SELECT count(*) FROM consultas
		   WHERE (status = 'agendada' AND data < current_date + 1)
		      OR (status IN ('realizada', 'faltou') AND data >= current_date)),
	0::bigint, 'scheduled consultations lie ahead, done and missed ones behind');

-- exames: a result exactly when the exam is in the past
SELECT is((SELECT count(*) FROM exames
		   WHERE (data < current_date) <> (resultado IS NOT NULL)),
	0::bigint, 'past exams carry a result, future ones do not');
SELECT cmp_ok((SELECT count(*) FROM exames WHERE resultado IS NULL), '>', 0::bigint,
	'some exams are pending');

-- internacoes: 70% discharged, never before admission
SELECT is((SELECT count(*) FROM internacoes WHERE data_saida < data_entrada), 0::bigint,
	'no discharge precedes its admission');
SELECT ok((SELECT abs(count(data_saida) * 100.0 / count(*) - 70) <= 5 FROM internacoes),
	'about 70% of admissions are discharged');
SELECT is((SELECT count(*) FROM internacoes
		   WHERE data_entrada > now() OR data_saida > now()), 0::bigint,
	'admissions and discharges are not in the future');

SELECT results_eq($$SELECT row_count FROM oltp_counts()$$,
	$$VALUES (2000::bigint), (200), (12), (2500), (4000), (3500), (1200)$$,
	'the default volumes, exactly');

SELECT * FROM finish();
ROLLBACK;
