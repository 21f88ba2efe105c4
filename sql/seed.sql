-- oltp_seed, oltp_counts and oltp_reset on a fresh database.
CREATE EXTENSION oltp_sim;

-- the default volumes, exactly, on empty tables
SELECT table_name, inserted FROM oltp_seed(seed => 42);
SELECT * FROM oltp_counts();

-- every generated natural key is unique and well formed
SELECT count(*) = count(DISTINCT cpf) AS cpf_unique,
       bool_and(cpf ~ '^\d{3}\.\d{3}\.\d{3}-\d{2}$') AS cpf_format,
       bool_and(telefone ~ '^\(\d{2}\) 9\d{4}-\d{4}$') AS phone_format
FROM pacientes;
SELECT bool_and(crm ~ '^\d{6}[A-Z]{2}$') AS crm_format FROM medicos;
SELECT bool_and(cnpj ~ '^\d{2}\.\d{3}\.\d{3}/0001-\d{2}$') AS cnpj_format FROM convenios;

-- the same seed gives the same rows (names and keys do not depend on the day)
SELECT id, nome, cpf FROM pacientes ORDER BY id LIMIT 3;
SELECT id, crm FROM medicos ORDER BY id LIMIT 2;

-- calling again adds rows that reference existing ones
SELECT table_name, inserted
FROM oltp_seed('{"pacientes": 10, "medicos": 0, "convenios": 0,
                 "pacientes_convenios": 5, "consultas": 20, "exames": 0,
                 "internacoes": 0}', seed => 1);
SELECT * FROM oltp_counts();
SELECT count(*) AS orphan_consultas FROM consultas c
WHERE NOT EXISTS (SELECT 1 FROM pacientes p WHERE p.id = c.paciente_id);

-- scale multiplies every volume
SELECT table_name, inserted FROM oltp_reset(scale => 0.5, seed => 42);
-- reset restarts the ids
SELECT min(id), max(id) FROM pacientes;
SELECT min(id), max(id) FROM consultas;

-- named arguments, zero volumes
SELECT table_name, inserted
FROM oltp_reset(rows => '{"pacientes": 3, "medicos": 1, "convenios": 0,
                          "pacientes_convenios": 0, "consultas": 2, "exames": 0,
                          "internacoes": 0}', seed => 5);
SELECT * FROM oltp_counts();

-- a volume with a zero fraction (JSON writers print floats so) is whole
SELECT table_name, inserted
FROM oltp_reset(rows => '{"pacientes": 3.0, "medicos": 1e0, "convenios": 0.00,
                          "pacientes_convenios": 0, "consultas": 2.000, "exames": 0,
                          "internacoes": 0}', seed => 5);

DROP EXTENSION oltp_sim;
