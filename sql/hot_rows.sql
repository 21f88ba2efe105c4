-- Hot rows stay hot while the tables grow (oltp_sim.skew, the placement of
-- ranks in src/op.h): the default mix (hospital, 7% of it new patients) at
-- skew 0.8, run by CALL oltp_run, so the same seeds give the same stream
-- here and on any machine.  Every pick of a patient is read from the decoded
-- stream: the patient of each new consultation, exam and admission, and each
-- patient updated.  The run's two halves, 20,000 operations each, stand for
-- two consecutive minutes of a stream of 333 operations a second.  Sampling
-- alone moves a few of the 20 hottest between halves (ranks 15 to 25 get
-- nearly the same share): run seeds 1 to 11 keep 16 to 20 of them, where
-- 0.2.0, which moved every hot row with each new patient, kept 1.
\i sql/helpers.psql
CREATE EXTENSION oltp_sim;
SET client_min_messages = warning;
SELECT count(*) FROM oltp_reset(scale => 5, seed => 1, anchor => '2026-01-15');
SELECT count(*) AS patients FROM pacientes;

-- the setting is read by this session: it reconnects once the server has
-- reloaded (the worker has applied the settings)
ALTER SYSTEM SET oltp_sim.skew = 0.8;
SELECT t.reload();
\c
SET client_min_messages = warning;
SHOW oltp_sim.skew;

SELECT 'created' FROM pg_create_logical_replication_slot('hot_rows', 'test_decoding');
CALL oltp_run(ops => 40000, seed => 1, anchor => '2026-01-15 08:00');
CREATE TEMP TABLE picks AS
SELECT row_number() OVER (ORDER BY k) AS pick, paciente
FROM (SELECT k, coalesce(
		 substring(data FROM '^table [^ ]+\.pacientes: UPDATE: id\[bigint\]:([0-9]+) '),
		 substring(data FROM '^table [^ ]+\.(?:consultas|exames|internacoes): INSERT: id\[bigint\]:[0-9]+ paciente_id\[bigint\]:([0-9]+) '))::bigint AS paciente
	  FROM pg_logical_slot_get_changes('hot_rows', NULL, NULL) WITH ORDINALITY AS c(lsn, xid, data, k)) d
WHERE paciente IS NOT NULL;
SELECT pg_drop_replication_slot('hot_rows');
-- the table grew while the patients were picked
SELECT (SELECT count(*) FROM pacientes) > 12000 AS grew, (SELECT count(*) FROM picks) > 25000 AS picked;

-- the hottest 1% of the patients (the 100 hottest of the 10,000 there at
-- the start) get within 10% of 0.01^(1 - 0.8) = 39.8% of the picks
SELECT abs(share / power(0.01, 0.2) - 1) <= 0.1 AS share_within_10pct
FROM (SELECT sum(n) FILTER (WHERE rk <= 100)::float8 / sum(n) AS share
	  FROM (SELECT count(*) AS n, row_number() OVER (ORDER BY count(*) DESC, paciente) AS rk
			FROM picks GROUP BY paciente) r) s;

-- the 20 hottest patients of the first half and of the second: at least
-- 16 are the same
CREATE TEMP TABLE halves AS
SELECT half, paciente, row_number() OVER (PARTITION BY half ORDER BY count(*) DESC, paciente) AS rk
FROM (SELECT paciente, pick > (SELECT count(*) / 2 FROM picks) AS half FROM picks) p
GROUP BY half, paciente;
SELECT count(*) >= 16 AS top20_kept
FROM halves a JOIN halves b USING (paciente)
WHERE NOT a.half AND b.half AND a.rk <= 20 AND b.rk <= 20;

-- the hot rows are not packed at the lowest ids: the 20 hottest span more
-- than half of the first 1,024 ids
SELECT max(paciente) - min(paciente) > 512 AS spread
FROM (SELECT paciente FROM halves WHERE rk <= 20 AND half) h;

ALTER SYSTEM RESET oltp_sim.skew;
SELECT t.reload();
DROP SCHEMA t CASCADE;
DROP EXTENSION oltp_sim;
