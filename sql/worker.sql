-- The streaming worker: growth, the mix, exact counters, control, reloads,
-- and surviving resets, drops, restarts and bad settings.
CREATE EXTENSION oltp_sim;

\set ECHO none
\i sql/helpers.psql
\set ECHO all

SELECT count(*) FROM oltp_seed(seed => 11);
SELECT wait_until($$SELECT workers = 1 AND state = 'paused' FROM oltp_status()$$);
SELECT state, detail FROM oltp_status();
SELECT backend_type FROM pg_stat_activity WHERE backend_type LIKE 'oltp_sim%' ORDER BY 1;

-- 1. stream 5000 operations
-- The statistics baseline must hold the seed's inserts.  The session that
-- seeded sends its table statistics when it ends, on every version (14 has
-- no pg_stat_force_next_flush), and a new session waits until they show.
\c
SET search_path = public, t;
SELECT snap('start');
SELECT wait_until($$
	SELECT bool_and(u.n_tup_ins = c.row_count)
	FROM counts c JOIN pg_stat_user_tables u ON u.relname = c.table_name AND u.schemaname = 'public'
	WHERE c.label = 'start'$$);
CREATE TABLE t.stat_start AS SELECT relname::text, n_tup_ins, n_tup_upd
	FROM pg_stat_user_tables WHERE relname IN (SELECT table_name FROM oltp_counts());
SELECT stream(5000);
SELECT snap('run1');

-- nothing failed, nothing was skipped, the tables grew
SELECT sum(errors) AS errors, sum(skipped) AS skipped, sum(committed) >= 5000 AS ran
FROM delta WHERE label = 'run1';
SELECT bool_and(e.row_count > s.row_count) AS all_grew
FROM counts s JOIN counts e USING (table_name)
WHERE s.label = 'start' AND e.label = 'run1'
  AND table_name IN ('pacientes', 'consultas', 'exames', 'internacoes');

-- committed inserts equal the table deltas
SELECT d.table_name, d.inserted = e.row_count - s.row_count AS inserts_match
FROM (SELECT table_name, sum(committed) AS inserted FROM delta
	  WHERE label = 'run1' AND kind = 'insert' GROUP BY 1) d
JOIN counts s ON s.table_name = d.table_name AND s.label = 'start'
JOIN counts e ON e.table_name = d.table_name AND e.label = 'run1'
ORDER BY 1;

-- the mix follows the weights: each share within 3 points of weight / 100
-- (at 5000 operations a share's standard deviation is at most 0.7 points)
SELECT operation, abs(100.0 * (committed + skipped + errors)
					  / sum(committed + skipped + errors) OVER () - w.weight) < 3 AS share_ok
FROM delta JOIN (SELECT operation, weight FROM oltp_operations()) w USING (operation)
WHERE label = 'run1' ORDER BY operation;

-- every update changed exactly one row, and so did every insert: the
-- statistics collector saw exactly the committed counts
SELECT wait_until($$
	SELECT bool_and(u.n_tup_upd - s.n_tup_upd = coalesce(d.updated, 0)
	            AND u.n_tup_ins - s.n_tup_ins = coalesce(d.inserted, 0))
	FROM stat_start s
	JOIN pg_stat_user_tables u ON u.relname = s.relname
	LEFT JOIN (SELECT table_name,
	                  sum(committed) FILTER (WHERE kind = 'update') AS updated,
	                  sum(committed) FILTER (WHERE kind = 'insert') AS inserted
	           FROM delta WHERE label = 'run1' GROUP BY 1) d ON d.table_name = s.relname$$,
	'20 s');

-- what the stream wrote is consistent with the rows around it
SELECT count(*) AS discharge_before_admission FROM internacoes WHERE data_saida < data_entrada;
SELECT count(*) AS done_in_future FROM consultas
WHERE status IN ('realizada', 'faltou') AND data > updated_at;
SELECT count(*) AS scheduled_in_past FROM consultas
WHERE status = 'agendada' AND id > 4000 AND data < created_at;
SELECT count(*) AS result_for_future_exam FROM exames
WHERE resultado IS NOT NULL AND data > updated_at;
SELECT count(*) = count(DISTINCT cpf) AS cpf_unique FROM pacientes;

-- 2. weights reload without a restart: only insert_paciente
ALTER SYSTEM SET oltp_sim.weight_insert_consulta = 0;
ALTER SYSTEM SET oltp_sim.weight_insert_exame = 0;
ALTER SYSTEM SET oltp_sim.weight_insert_internacao = 0;
ALTER SYSTEM SET oltp_sim.weight_update_paciente = 0;
ALTER SYSTEM SET oltp_sim.weight_update_consulta = 0;
ALTER SYSTEM SET oltp_sim.weight_update_exame = 0;
ALTER SYSTEM SET oltp_sim.weight_update_internacao = 0;
SELECT reload();
SELECT sum(weight) AS weights_applied FROM oltp_operations();
SELECT snap('start');
SELECT stream(500);
SELECT snap('run2');
SELECT operation, committed > 0 AS grew FROM delta WHERE label = 'run2' ORDER BY operation;

-- every weight zero is accepted (the worker then waits: test/shell/weights.sh);
-- until a reload, the weights applied stay as they were
ALTER SYSTEM SET oltp_sim.weight_insert_paciente = 0;
SELECT operation, weight FROM oltp_operations() WHERE weight > 0;
ALTER SYSTEM RESET oltp_sim.weight_insert_paciente;
ALTER SYSTEM RESET oltp_sim.weight_insert_consulta;
ALTER SYSTEM RESET oltp_sim.weight_insert_exame;
ALTER SYSTEM RESET oltp_sim.weight_insert_internacao;
ALTER SYSTEM RESET oltp_sim.weight_update_paciente;
ALTER SYSTEM RESET oltp_sim.weight_update_consulta;
ALTER SYSTEM RESET oltp_sim.weight_update_exame;
ALTER SYSTEM RESET oltp_sim.weight_update_internacao;
SELECT reload();
SELECT sum(weight) AS weights_applied FROM oltp_operations();

-- the profile gives the weights left at -1, and a weight set holds under
-- any profile: edge_cases scales the hospital mix by ten
ALTER SYSTEM SET oltp_sim.profile = 'edge_cases';
ALTER SYSTEM SET oltp_sim.weight_update_paciente = 3;
SELECT reload();
SELECT operation, weight FROM oltp_operations()
WHERE operation IN ('insert_paciente', 'update_paciente') ORDER BY operation;
ALTER SYSTEM RESET oltp_sim.profile;
ALTER SYSTEM RESET oltp_sim.weight_update_paciente;
SELECT reload();
SELECT sum(weight) AS weights_applied FROM oltp_operations();

-- (bad values of the settings: worker_settings.sql)

-- 3. several operations per transaction commit together
ALTER SYSTEM SET oltp_sim.ops_per_transaction = 5;
SELECT reload();
SELECT committed AS c0, skipped AS s0, errors AS e0, transactions AS t0 FROM oltp_status() \gset
SELECT stream(1000);
SELECT (committed + skipped + errors - :c0 - :s0 - :e0) = 5 * (transactions - :t0) AS five_per_transaction
FROM oltp_status();
ALTER SYSTEM RESET oltp_sim.ops_per_transaction;
SELECT reload();

-- 4. oltp_reset while the stream runs
SELECT snap('start');
SELECT oltp_start();
SELECT wait_until($$SELECT committed >= (SELECT sum(committed) + 200 FROM snaps WHERE label = 'start') FROM oltp_status()$$);
SELECT table_name, inserted FROM oltp_reset(seed => 12) ORDER BY 1;
SELECT snap('reset');
SELECT stream(500);
SELECT snap('run4');
SELECT sum(errors) AS errors_across_reset FROM delta WHERE label = 'run4';
SELECT (SELECT row_count FROM oltp_counts() WHERE table_name = 'consultas') > 4000 AS streaming_after_reset;

-- 5. the extension dropped and created again while enabled
SELECT errors AS e0 FROM oltp_status() \gset
SELECT oltp_start();
DROP EXTENSION oltp_sim;
SELECT wait_until($$SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'oltp_sim worker'$$);
CREATE EXTENSION oltp_sim;
-- its tables are empty: the worker says why it waits, and writes nothing
-- until they are seeded
SELECT wait_until($$SELECT state = 'waiting' AND detail = 'the tables of extension "oltp_sim" in schema "public" are not seeded' FROM oltp_status()$$);
SELECT sum(row_count) AS rows_before_seed FROM oltp_counts();
SELECT count(*) FROM oltp_seed(seed => 13);
SELECT wait_until($$SELECT state = 'running' FROM oltp_status()$$);
SELECT wait_until($$SELECT count(*) > 4000 FROM consultas$$);
SELECT oltp_stop();
-- streaming again, no error of the dropped tables is left as the last one
SELECT errors - :e0 AS errors_across_recreate, last_error FROM oltp_status();

-- 6. a terminated worker comes back, and streams
SELECT pid AS old_pid FROM pg_stat_activity WHERE backend_type = 'oltp_sim worker' \gset
SELECT pg_terminate_backend(:old_pid);
SELECT wait_until($$SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'oltp_sim worker' AND pid <> $$ || :old_pid);
SELECT stream(100);

-- 6b. an error at commit, from a deferred trigger added by hand: the same
-- worker says why and waits, and streams again once the trigger is gone
CREATE FUNCTION t.refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'refused by a deferred trigger';
END
$$;
CREATE CONSTRAINT TRIGGER refuse AFTER INSERT ON consultas
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION t.refuse();
SELECT pid AS old_pid FROM pg_stat_activity WHERE backend_type = 'oltp_sim worker' \gset
SELECT oltp_start();
SELECT wait_until($$SELECT state = 'waiting' FROM oltp_status()$$);
SELECT state, detail FROM oltp_status();
SELECT pid = :old_pid AS same_worker FROM pg_stat_activity WHERE backend_type = 'oltp_sim worker';
DROP TRIGGER refuse ON consultas;
SELECT committed AS c0 FROM oltp_status() \gset
SELECT wait_until($$SELECT state = 'running' AND committed > $$ || :c0 || $$ + 100 FROM oltp_status()$$);
SELECT oltp_stop();
SELECT wait_until($$SELECT state = 'paused' FROM oltp_status()$$);
SELECT pid = :old_pid AS same_worker FROM pg_stat_activity WHERE backend_type = 'oltp_sim worker';

-- 7. a fixed oltp_sim.seed replays the same operations: from the same data,
-- a freshly started worker's first 100 transactions decode to the same
-- changes (timestamps aside: they record when)
ALTER SYSTEM SET oltp_sim.seed = 7;
SELECT reload();
CREATE FUNCTION t.first_hundred(slot name) RETURNS text[] LANGUAGE sql
SET datestyle = 'ISO, YMD' AS $$
	SELECT array_agg(regexp_replace(data, '''\d{4}-\d{2}-\d{2} [0-9:.]+''', 'T', 'g') ORDER BY ord)
	FROM (SELECT *, dense_rank() OVER (ORDER BY first) AS txn
		  FROM (SELECT c.*, min(ord) OVER (PARTITION BY xid::text) AS first
				FROM pg_logical_slot_get_changes(slot, NULL, NULL)
					 WITH ORDINALITY AS c(lsn, xid, data, ord)) c) s
	WHERE txn <= 100 AND data LIKE 'table %' AND t.ours(substring(data FROM '^table [^.]+\.(\w+):'))
$$;
CREATE TABLE t.replay (run int, changes text[]);
SELECT count(*) FROM oltp_reset(seed => 3);
SELECT pid AS old_pid FROM pg_stat_activity WHERE backend_type = 'oltp_sim worker' \gset
SELECT pg_terminate_backend(:old_pid);
SELECT wait_until($$SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'oltp_sim worker' AND pid <> $$ || :old_pid);
SELECT wait_until($$SELECT state = 'paused' FROM oltp_status()$$);
SELECT 'created' FROM pg_create_logical_replication_slot('oltp_seed_check', 'test_decoding');
SELECT stream(150);
INSERT INTO t.replay SELECT 1, first_hundred('oltp_seed_check');
SELECT pg_drop_replication_slot('oltp_seed_check');
SELECT count(*) FROM oltp_reset(seed => 3);
SELECT pid AS old_pid FROM pg_stat_activity WHERE backend_type = 'oltp_sim worker' \gset
SELECT pg_terminate_backend(:old_pid);
SELECT wait_until($$SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'oltp_sim worker' AND pid <> $$ || :old_pid);
SELECT wait_until($$SELECT state = 'paused' FROM oltp_status()$$);
SELECT 'created' FROM pg_create_logical_replication_slot('oltp_seed_check', 'test_decoding');
SELECT stream(150);
INSERT INTO t.replay SELECT 2, first_hundred('oltp_seed_check');
SELECT pg_drop_replication_slot('oltp_seed_check');
SELECT cardinality(changes) AS changes FROM t.replay ORDER BY run;
-- the first change that differs, if any
SELECT i, a.changes[i] AS first_run, b.changes[i] AS second_run
FROM t.replay a, t.replay b, generate_series(1, 100) i
WHERE a.run = 1 AND b.run = 2 AND a.changes[i] IS DISTINCT FROM b.changes[i]
ORDER BY i LIMIT 1;
ALTER SYSTEM RESET oltp_sim.seed;
SELECT reload();

-- 8. a missing database or role: the launcher says why and waits
ALTER SYSTEM SET oltp_sim.database = 'no_such_database';
SELECT pg_reload_conf();
SELECT wait_until($$SELECT state = 'waiting' FROM oltp_status()$$);
SELECT state, detail FROM oltp_status();
ALTER SYSTEM SET oltp_sim.database = 'contrib_regression';
ALTER SYSTEM SET oltp_sim.role = 'oltp_sim_writer';
SELECT pg_reload_conf();
SELECT wait_until($$SELECT state = 'waiting' AND detail LIKE 'role%' FROM oltp_status()$$);
SELECT state, detail FROM oltp_status();

-- 9. run as a non-superuser with the privileges it needs
CREATE ROLE oltp_sim_writer LOGIN;
GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO oltp_sim_writer;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO oltp_sim_writer;
SELECT wait_until($$SELECT count(*) = 1 FROM pg_stat_activity
	WHERE backend_type = 'oltp_sim worker' AND usename = 'oltp_sim_writer'$$);
SELECT errors AS e0 FROM oltp_status() \gset
SELECT stream(300);
SELECT errors - :e0 AS errors_as_writer FROM oltp_status();
ALTER SYSTEM RESET oltp_sim.role;
ALTER SYSTEM RESET oltp_sim.database;
SELECT pg_reload_conf();
SELECT wait_until($$SELECT count(*) = 1 FROM pg_stat_activity
	WHERE backend_type = 'oltp_sim worker' AND usename <> 'oltp_sim_writer'$$);

-- oltp_start and oltp_stop are not for everyone
SET ROLE oltp_sim_writer;
SELECT oltp_start();
SELECT oltp_stop();
RESET ROLE;

DROP EXTENSION oltp_sim;
DROP SCHEMA t CASCADE;
REVOKE ALL ON SCHEMA public FROM oltp_sim_writer;
DROP OWNED BY oltp_sim_writer;
DROP ROLE oltp_sim_writer;
