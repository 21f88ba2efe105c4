-- Bad input is refused with a clear message and changes nothing.
CREATE EXTENSION oltp_sim;
SELECT count(*) FROM oltp_seed(seed => 3);
SELECT sum(row_count) AS before FROM oltp_counts();

SELECT * FROM oltp_seed('{"pacientes": -1}');
SELECT * FROM oltp_seed('{"consultas": null}');
SELECT * FROM oltp_seed(scale => -2);
SELECT * FROM oltp_seed(scale => 'NaN');
SELECT * FROM oltp_seed(scale => 1e300);
SELECT * FROM oltp_seed('{"pacientes": 9223372036854775807}');
SELECT * FROM oltp_seed('{"medicos": 27000000}');
SELECT * FROM oltp_reset('{"pacientes": 0, "pacientes_convenios": 0}');
SELECT * FROM oltp_reset('{"medicos": 0, "pacientes_convenios": 0, "exames": 0, "internacoes": 0}');
SELECT * FROM oltp_reset('{"convenios": 0}');
SELECT * FROM oltp_seed('{"pacientes": 0, "pacientes_convenios": 100000}');
-- rows names tables by name: anything else is refused, naming the valid ones
SELECT * FROM oltp_seed('{"pacientes": 10, "paciente": 5}');
SELECT * FROM oltp_seed('[10, 20]');
SELECT * FROM oltp_seed('{"exames": 1.5}');
SELECT * FROM oltp_seed('{"exames": 10.50}');
SELECT * FROM oltp_seed('{"exames": -2.0}');
SELECT * FROM oltp_seed('{"exames": "10"}');
SELECT * FROM oltp_seed('{"exames": 1e30}');

SELECT sum(row_count) AS after FROM oltp_counts();

-- tables changed by hand: the error names the table and the way back
ALTER TABLE consultas RENAME COLUMN status TO situacao;
SELECT * FROM oltp_seed(seed => 1);
ALTER TABLE consultas RENAME COLUMN situacao TO status;
ALTER TABLE exames ALTER COLUMN resultado TYPE text;
SELECT * FROM oltp_seed(seed => 1);
ALTER TABLE exames ALTER COLUMN resultado TYPE varchar(200);
ALTER EXTENSION oltp_sim DROP TABLE internacoes;
ALTER TABLE internacoes RENAME TO internacoes_old;
SELECT * FROM oltp_counts();
ALTER TABLE internacoes_old RENAME TO internacoes;
ALTER EXTENSION oltp_sim ADD TABLE internacoes;
SELECT sum(row_count) AS intact FROM oltp_counts();

-- not executable by PUBLIC
CREATE ROLE oltp_sim_nobody;
SET ROLE oltp_sim_nobody;
SELECT * FROM oltp_seed();
SELECT * FROM oltp_reset();
RESET ROLE;
DROP ROLE oltp_sim_nobody;

-- in a schema of its own
DROP EXTENSION oltp_sim;
CREATE SCHEMA elsewhere;
CREATE EXTENSION oltp_sim SCHEMA elsewhere;
SELECT count(*) FROM elsewhere.oltp_seed(seed => 1);
SELECT sum(row_count) FROM elsewhere.oltp_counts();
SELECT to_regclass('public.pacientes') IS NULL AS not_in_public;
DROP EXTENSION oltp_sim;
DROP SCHEMA elsewhere;
