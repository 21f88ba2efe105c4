-- The seed's baseline: the same row counts with plausible values, inserted
-- by plain INSERT ... SELECT ... FROM generate_series into the extension's
-- own tables (same constraints, triggers and indexes), in one transaction.
-- Run by bench/run after TRUNCATE ... RESTART IDENTITY, so ids start at 1.
CREATE OR REPLACE FUNCTION bench_baseline_seed(s double precision) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	pac bigint := round(2000 * s);
	med bigint := round(200 * s);
	conv bigint := greatest(round(12 * s), 3);
	pc bigint := round(2500 * s);
	cons bigint := round(4000 * s);
	ex bigint := round(3500 * s);
	intern bigint := round(1200 * s);
BEGIN
	INSERT INTO pacientes (nome, nascimento, cpf, telefone, endereco)
	SELECT (ARRAY['Ana', 'João', 'Maria', 'José', 'Beatriz'])[1 + g % 5] || ' Silva ' || g,
		   current_date - (g * 7919 % 36500)::int,
		   lpad((g * 7)::text, 9, '0') || '-' || lpad((g % 100)::text, 2, '0'),
		   '(11) 9' || lpad((g * 37 % 10000)::text, 4, '0') || '-' || lpad((g % 10000)::text, 4, '0'),
		   'Rua das Flores, ' || (g % 5000) || ' - São Paulo, SP'
	FROM generate_series(1, pac) g;
	INSERT INTO medicos (nome, crm, especialidade, telefone)
	SELECT 'Dr. Carlos Souza ' || g, lpad(g::text, 6, '0') || 'SP',
		   (ARRAY['Cardiologia', 'Pediatria', 'Clínica Médica'])[1 + g % 3],
		   '(11) 9' || lpad((g * 37 % 10000)::text, 4, '0') || '-0000'
	FROM generate_series(1, med) g;
	INSERT INTO convenios (nome, cnpj, tipo, cobertura)
	SELECT 'Convênio ' || g, lpad(g::text, 8, '0') || '/0001-00', 'Medicina de grupo', 'Ambulatorial'
	FROM generate_series(1, conv) g;
	INSERT INTO pacientes_convenios (paciente_id, convenio_id, numero_carteira, validade)
	SELECT 1 + (g % pac), 1 + (g / pac) % conv, lpad(g::text, 16, '0'), current_date + (g % 1000)::int
	FROM generate_series(0, pc - 1) g;
	INSERT INTO consultas (paciente_id, medico_id, data, motivo, status)
	SELECT 1 + floor(random() * pac)::bigint, 1 + floor(random() * med)::bigint,
		   localtimestamp + (random() * 455 - 365) * interval '1 day', 'Consulta de rotina',
		   (ARRAY['agendada', 'realizada', 'cancelada', 'faltou'])[1 + floor(random() * 4)::int]
	FROM generate_series(1, cons) g;
	INSERT INTO exames (paciente_id, tipo_exame, data, resultado)
	SELECT 1 + floor(random() * pac)::bigint, 'Hemograma completo',
		   localtimestamp - (g % 365) * interval '1 day', 'Normal'
	FROM generate_series(1, ex) g;
	INSERT INTO internacoes (paciente_id, data_entrada, data_saida, motivo, quarto)
	SELECT 1 + floor(random() * pac)::bigint, localtimestamp - interval '40 days',
		   CASE WHEN g % 10 < 7 THEN localtimestamp - interval '30 days' END, 'Pneumonia', '101-A'
	FROM generate_series(1, intern) g;
	RETURN pac + med + conv + pc + cons + ex + intern;
END
$$;
