-- Hostile roles: what a role that may create objects where the extension
-- lives (granted CREATE there, or owning the database, whose public schema
-- is its on PostgreSQL 15), or that was given one of its tables, could
-- plant to have its code run by whoever seeds or streams, by default the
-- bootstrap superuser.  Each case plants a trap (sql/trap.psql) that counts
-- the calls it receives, as a superuser or as another role, in counters a
-- rollback does not undo, and says whom it ran as in a WARNING.  The pass
-- condition: no trap ran as a superuser, and no planted object was used
-- (none is a member of the extension, none holds a row the extension
-- wrote).
--
--   1. a table of an opt-in set made in advance, with a trigger;
--   2. a domain of the types set made in advance, with a CHECK function;
--   3. an overload of an extension function, made in advance;
--   4. a table given to another role, which adds a trigger (also with the
--      worker streaming as a superuser);
--   5. GRANTs made on 0.1.0 and 0.2.0, across ALTER EXTENSION UPDATE;
--   6. a database owner without any grant, and public (its schema);
--   7. "$user": a schema named after the installing role, made by another;
--   8. a publication named oltp_sim made in advance by another role, and
--      one of another name that oltp_publication is asked to fill;
--   9. the records for pg_dump written by a role given the schema's tables;
--  10. a view named as the table the stream makes and drops (precos_lote);
--  11. a table and an index named as a set's script names its default
--      partition and its unique index.
SET client_min_messages = warning;
SELECT current_database() AS db \gset
CREATE ROLE oltp_hostile_mal;
CREATE ROLE oltp_hostile_writer LOGIN;
GRANT CREATE ON SCHEMA public TO oltp_hostile_mal;
\set ECHO none
\i sql/trap.psql
\set ECHO all

-- 1. a table of the edge_cases set, made in advance by another role
SET ROLE oltp_hostile_mal;
SELECT trap.plant_fila_triagem('public', 'fila_triagem');
RESET ROLE;
CREATE EXTENSION oltp_sim;
SELECT count(*) FROM oltp_seed(scale => 0.1, seed => 1);
-- it is not the extension's table: not counted, reset, published, altered
SELECT table_name FROM oltp_counts();
SELECT table_name FROM oltp_reset(scale => 0.1, seed => 1);
SELECT oltp_publication('oltp_hostile');
SELECT count(*) AS published_planted FROM pg_publication_tables
WHERE pubname = 'oltp_hostile' AND tablename = 'fila_triagem';
SELECT * FROM oltp_replica_identity('full', ARRAY['fila_triagem']);
-- nor created over: the error names its owner, and nothing of the set is made
SELECT * FROM oltp_add_tables('edge_cases', seed => 1);
SELECT to_regclass('public.laudos') AS laudos;
-- nor written by the stream, whose operations on the set are skipped
ALTER SYSTEM SET oltp_sim.profile = 'everything';
ALTER SYSTEM SET oltp_sim.long_transaction = '10ms';
SELECT pg_reload_conf();
SELECT hostile.await($$SELECT weight > 0 FROM public.oltp_operations() WHERE operation = 'enqueue_triagem'$$);
SELECT sum(committed) AS c0, sum(errors) AS e0,
	   sum(committed) FILTER (WHERE operation LIKE '%triagem') AS t0 FROM oltp_operations() \gset
SELECT oltp_start();
SELECT hostile.await($$SELECT sum(committed) >= $$ || :c0 || $$ + 500 FROM public.oltp_operations()$$);
SELECT oltp_stop();
SELECT hostile.await($$SELECT state = 'paused' FROM public.oltp_status()$$);
SELECT sum(errors) - :e0 AS errors,
	   sum(committed) FILTER (WHERE operation LIKE '%triagem') - :t0 AS triagem_committed
FROM oltp_operations();
SELECT count(*) AS planted_rows FROM public.fila_triagem;
SELECT * FROM trap.ran();

-- 2. a domain of the types set, made in advance, whose CHECK calls a function
SET ROLE oltp_hostile_mal;
CREATE FUNCTION trap.percentual(numeric) RETURNS boolean
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
	PERFORM trap.log('percentual');
	RETURN true;
END
$$;
CREATE DOMAIN public.percentual AS numeric(5,2) CHECK (trap.percentual(VALUE));
RESET ROLE;
SELECT * FROM oltp_add_tables('types', seed => 1);
-- nothing of the set was made, not even the enum that comes before it
SELECT to_regtype('public.status_fatura') AS status_fatura, to_regclass('public.sinais_vitais') AS sinais_vitais;
SELECT * FROM trap.ran();

-- 3. overloads of the extension's functions, made in advance: a call by
-- name (oltp_add_tables seeding through oltp_seed, oltp_publication and
-- oltp_replica_identity reading oltp_tables()) would be ambiguous, or
-- worse; they call nothing by name, and work
SET ROLE oltp_hostile_mal;
CREATE FUNCTION public.oltp_seed(rows jsonb, scale double precision, seed bigint)
RETURNS TABLE (table_name text, inserted bigint)
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
	PERFORM trap.log('overload');
	RETURN;
END
$$;
CREATE FUNCTION public.oltp_tables(n integer DEFAULT 0) RETURNS SETOF text
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
	PERFORM trap.log('overload');
	RETURN;
END
$$;
-- the planted table and domain go: their names are free again
DROP TABLE public.fila_triagem;
DROP DOMAIN public.percentual;
RESET ROLE;
SELECT table_name, inserted > 0 AS seeded FROM oltp_add_tables('edge_cases', seed => 1);
SELECT table_name, inserted > 0 AS seeded FROM oltp_add_tables('types', seed => 1);
SELECT oltp_publication('oltp_hostile');
SELECT count(*) AS published FROM pg_publication_tables WHERE pubname = 'oltp_hostile';
SELECT count(*) AS altered FROM oltp_replica_identity('default');
SELECT * FROM trap.ran();

-- 4. a table given to another role (ALTER TABLE ... OWNER TO, which the
-- README once suggested for the worker's role), whose owner adds a trigger
ALTER TABLE consultas OWNER TO oltp_hostile_writer;
SET ROLE oltp_hostile_writer;
CREATE TRIGGER trap AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON public.consultas
	FOR EACH STATEMENT EXECUTE FUNCTION trap.fire('owner_trigger');
RESET ROLE;
-- every function that reads or writes the rows refuses, as a superuser
-- (hostile.try shows its error, the superuser's name written SUPERUSER)
SELECT hostile.try('SELECT count(*) FROM public.oltp_seed(scale => 0.1, seed => 2)');
SELECT hostile.try('SELECT count(*) FROM public.oltp_reset(scale => 0.1, seed => 2)');
-- a CALL that commits cannot run inside hostile.try: its message alone
\set VERBOSITY terse
CALL oltp_run(10, seed => 1);
\set VERBOSITY default
-- dropping a set reads and writes no row (dropped_rows is NULL when the
-- tables are not the extension's to read): DROP EXTENSION oltp_sim_types
-- runs nothing of any table's, as trap.ran() shows below
SELECT hostile.try($$SELECT count(*) FROM public.oltp_drop_tables('types')$$);
SELECT hostile.try('SELECT count(*) FROM public.oltp_counts()');
-- and so does the worker, connected as a superuser: it says why, and waits
SELECT oltp_start();
SELECT hostile.await($$SELECT state = 'waiting' FROM public.oltp_status()$$);
SELECT state, detail FROM oltp_status();
SELECT oltp_stop();
-- given back, the table still carries the trigger: refused all the same
ALTER TABLE consultas OWNER TO CURRENT_USER;
SELECT hostile.try('SELECT count(*) FROM public.oltp_seed(scale => 0.1, seed => 2)');
SELECT * FROM trap.ran();
-- the way out: the worker as a role that is not a superuser, with grants
-- only; the trigger runs as that role
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public TO oltp_hostile_writer;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO oltp_hostile_writer;
ALTER SYSTEM SET oltp_sim.role = 'oltp_hostile_writer';
SELECT pg_reload_conf();
SELECT hostile.await($$SELECT count(*) = 1 FROM pg_stat_activity
	WHERE backend_type = 'oltp_sim worker' AND usename = 'oltp_hostile_writer'$$);
SELECT sum(committed) AS c0, sum(errors) AS e0 FROM oltp_operations() \gset
SELECT oltp_start();
SELECT hostile.await($$SELECT sum(committed) >= $$ || :c0 || $$ + 500 FROM public.oltp_operations()$$);
SELECT oltp_stop();
SELECT hostile.await($$SELECT state = 'paused' FROM public.oltp_status()$$);
SELECT sum(errors) - :e0 AS errors FROM oltp_operations();
SELECT what, as_superuser, as_other > 0 AS ran_as_the_writer FROM trap.ran();
DROP TRIGGER trap ON consultas;
ALTER SYSTEM RESET oltp_sim.role;
ALTER SYSTEM RESET oltp_sim.profile;
ALTER SYSTEM RESET oltp_sim.long_transaction;
SELECT pg_reload_conf();
SELECT hostile.await($$SELECT count(*) = 1 FROM pg_stat_activity
	WHERE backend_type = 'oltp_sim worker' AND usename <> 'oltp_hostile_writer'$$);
-- no planted object became the extension's
SELECT count(*) AS planted_members FROM pg_depend d
WHERE d.refobjid IN (SELECT oid FROM pg_extension WHERE extname LIKE 'oltp\_sim%') AND d.deptype = 'e'
  AND ((d.classid = 'pg_class'::regclass AND (SELECT relowner FROM pg_class WHERE oid = d.objid) = 'oltp_hostile_mal'::regrole)
	OR (d.classid = 'pg_type'::regclass AND (SELECT typowner FROM pg_type WHERE oid = d.objid) = 'oltp_hostile_mal'::regrole)
	OR (d.classid = 'pg_proc'::regclass AND (SELECT proowner FROM pg_proc WHERE oid = d.objid) = 'oltp_hostile_mal'::regrole));
DROP PUBLICATION oltp_hostile;
DROP EXTENSION oltp_sim CASCADE;
DROP SCHEMA trap CASCADE;
DROP SCHEMA hostile CASCADE;
DROP FUNCTION public.oltp_seed(jsonb, double precision, bigint);
DROP FUNCTION public.oltp_tables(integer);
REVOKE CREATE ON SCHEMA public FROM oltp_hostile_mal;

-- 5. GRANTs across ALTER EXTENSION UPDATE: 0.1.0 to 0.2.0 makes oltp_seed,
-- oltp_reset, oltp_status() and the view oltp_sim_status again; 0.2.0 to
-- 0.3.0 makes oltp_run again and replaces oltp_publication and
-- oltp_replica_identity.  What users granted on them still holds, and
-- stays out of their initial privileges (pg_init_privs), as on a fresh
-- install, so that pg_dump dumps it.  (oltp_reset also needs to own the
-- sequences it restarts: its grant is checked, not run.)
CREATE ROLE oltp_hostile_reader;
CREATE DATABASE oltp_hostile_update;
\c oltp_hostile_update
SET client_min_messages = warning;
CREATE EXTENSION oltp_sim VERSION '0.1.0';
GRANT EXECUTE ON FUNCTION
	oltp_seed(bigint, bigint, bigint, bigint, bigint, bigint, bigint, double precision, bigint),
	oltp_reset(bigint, bigint, bigint, bigint, bigint, bigint, bigint, double precision, bigint),
	oltp_status(), oltp_start()
	TO oltp_hostile_reader;
GRANT SELECT ON oltp_sim_status TO oltp_hostile_reader;
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public TO oltp_hostile_reader;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO oltp_hostile_reader;
ALTER EXTENSION oltp_sim UPDATE TO '0.2.0';
GRANT EXECUTE ON FUNCTION oltp_publication(text), oltp_replica_identity(text, text[])
	TO oltp_hostile_reader;
GRANT EXECUTE ON PROCEDURE oltp_run(bigint, bigint, timestamp) TO oltp_hostile_reader;
ALTER EXTENSION oltp_sim UPDATE;
SELECT p.proname, has_function_privilege('oltp_hostile_reader', p.oid, 'EXECUTE') AS granted
FROM pg_proc p WHERE p.proname IN ('oltp_seed', 'oltp_reset', 'oltp_status', 'oltp_start',
								   'oltp_publication', 'oltp_replica_identity', 'oltp_run')
ORDER BY 1, p.pronargs;
SET ROLE oltp_hostile_reader;
SELECT workers >= 0 AS read FROM oltp_status();
SELECT count(*) AS read FROM oltp_sim_status;
SELECT count(*) FROM oltp_seed('{"pacientes": 10, "medicos": 2, "convenios": 3, "pacientes_convenios": 10,
								 "consultas": 10, "exames": 10, "internacoes": 5}', seed => 1);
RESET ROLE;
SELECT count(*) AS reader_in_initial_privileges
FROM pg_init_privs ip, aclexplode(ip.initprivs) a
WHERE a.grantee = 'oltp_hostile_reader'::regrole;
-- the same update without GRANTs leaves what a fresh install has: sql/upgrade.sql
DROP EXTENSION oltp_sim;
REVOKE ALL ON SCHEMA public FROM oltp_hostile_reader;
\c :db
DROP DATABASE oltp_hostile_update;
DROP ROLE oltp_hostile_reader;

-- 6. the database's owner, without any grant: public is its schema
-- (pg_database_owner owns it), where CREATE EXTENSION would put the tables
CREATE DATABASE oltp_hostile_owned OWNER oltp_hostile_mal;
\c oltp_hostile_owned
SET client_min_messages = warning;
\set ECHO none
\i sql/trap.psql
\set ECHO all
SET ROLE oltp_hostile_mal;
SELECT trap.plant_fila_triagem('public', 'database_owner');
RESET ROLE;
SELECT hostile.try('CREATE EXTENSION oltp_sim');
-- were it created, this would empty and fill the planted table
SELECT hostile.try($$SELECT count(*) FROM public.oltp_add_tables('edge_cases', seed => 1);
					 SELECT count(*) FROM public.oltp_reset(scale => 0.1, seed => 1)$$);
DROP EXTENSION IF EXISTS oltp_sim;
SELECT * FROM trap.ran();
-- an extension that 0.2.0 put there (it did not look) is not updated either
CREATE EXTENSION oltp_sim VERSION '0.2.0';
SELECT hostile.try('ALTER EXTENSION oltp_sim UPDATE');
SELECT extversion FROM pg_extension WHERE extname = 'oltp_sim';
DROP EXTENSION oltp_sim;
DROP PUBLICATION oltp_sim;

-- 7. "$user": a schema named after the installing role, made by the
-- database's owner, comes first in the default search_path
SET ROLE oltp_hostile_mal;
DO $$
BEGIN
	EXECUTE format('CREATE SCHEMA %I', session_user);
END
$$;
SELECT trap.plant_fila_triagem(session_user, 'user_schema');
RESET ROLE;
SELECT hostile.try('CREATE EXTENSION oltp_sim');
SELECT hostile.try($$SELECT count(*) FROM oltp_add_tables('edge_cases', seed => 1);
					 SELECT count(*) FROM oltp_reset(scale => 0.1, seed => 1)$$);
DROP EXTENSION IF EXISTS oltp_sim;
SELECT * FROM trap.ran();
-- 8. a publication named oltp_sim, made in advance by the database's
-- owner: CREATE EXTENSION would make it publish the tables, and its owner
-- could then change what it publishes
CREATE SCHEMA oltp_sim_own;
SET ROLE oltp_hostile_mal;
CREATE PUBLICATION oltp_sim;
RESET ROLE;
SELECT hostile.try('CREATE EXTENSION oltp_sim SCHEMA oltp_sim_own');
SELECT pubowner::regrole AS owner, count(r.prrelid) AS tables
FROM pg_publication p LEFT JOIN pg_publication_rel r ON r.prpubid = p.oid
WHERE p.pubname = 'oltp_sim' GROUP BY 1;
SET ROLE oltp_hostile_mal;
DROP PUBLICATION oltp_sim;
RESET ROLE;
-- the way out of 6, 7 and 8: a schema of the extension's own, and the
-- publication its own
CREATE EXTENSION oltp_sim SCHEMA oltp_sim_own;
-- no publication yet (a restore makes its own): the first seeding makes it,
-- and refuses one another role planted meanwhile
SELECT count(*) AS publications FROM pg_publication WHERE pubname = 'oltp_sim';
SET ROLE oltp_hostile_mal;
CREATE PUBLICATION oltp_sim;
RESET ROLE;
SELECT hostile.try('SELECT count(*) FROM oltp_sim_own.oltp_seed(scale => 0.1, seed => 1)');
SELECT count(*) AS published FROM pg_publication_tables WHERE pubname = 'oltp_sim';
SET ROLE oltp_hostile_mal;
DROP PUBLICATION oltp_sim;
RESET ROLE;
-- and oltp_publication takes over no publication of another role's either
SET ROLE oltp_hostile_mal;
CREATE PUBLICATION oltp_hostile_planted;
RESET ROLE;
SELECT oltp_sim_own.oltp_publication('oltp_hostile_planted');
SELECT count(*) AS published FROM pg_publication_tables WHERE pubname = 'oltp_hostile_planted';
SELECT count(*) FROM oltp_sim_own.oltp_seed(scale => 0.1, seed => 1);
SELECT pubowner::regrole = current_user::regrole AS own_publication FROM pg_publication WHERE pubname = 'oltp_sim';
SELECT table_name, inserted > 0 AS seeded FROM oltp_sim_own.oltp_add_tables('edge_cases', seed => 1);

-- 9. the records of what pg_dump does not keep (publications, replica
-- identity), which a restore applies as a superuser, are written by the
-- extension only: a role given every table of the schema, as the README's
-- grants give the writer, changes none of them (else a restore would give
-- the tables the identity it wrote, NOTHING failing every UPDATE)
SELECT count(*) AS identities FROM oltp_sim_own.oltp_replica_identity('full', '{pacientes}');
GRANT USAGE ON SCHEMA oltp_sim_own TO oltp_hostile_writer;
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA oltp_sim_own TO oltp_hostile_writer;
SET ROLE oltp_hostile_writer;
UPDATE oltp_sim_own.oltp_sim_replica_identities SET identity = 'n';
\set VERBOSITY terse
DELETE FROM oltp_sim_own.oltp_sim_publication_tables;
INSERT INTO oltp_sim_own.oltp_sim_publication_tables VALUES ('oltp_sim_later', 'fila_triagem');
TRUNCATE oltp_sim_own.oltp_sim_replica_identities;
\set VERBOSITY default
SELECT count(*) AS readable FROM oltp_sim_own.oltp_sim_publication_tables WHERE pubname = 'oltp_sim';
RESET ROLE;
SELECT table_name, identity FROM oltp_sim_own.oltp_sim_replica_identities ORDER BY 1;
SELECT count(*) FILTER (WHERE pubname = 'oltp_sim') > 0 AS kept,
	   count(*) FILTER (WHERE pubname = 'oltp_sim_later') AS planted
FROM oltp_sim_own.oltp_sim_publication_tables;
REVOKE ALL ON ALL TABLES IN SCHEMA oltp_sim_own FROM oltp_hostile_writer;
REVOKE USAGE ON SCHEMA oltp_sim_own FROM oltp_hostile_writer;
SELECT * FROM trap.ran();

-- 10. a view named precos_lote, the table of the set schema_changes that
-- create_table_preco makes and drop_table_preco drops, made by a role that
-- may create in the schema while there is none: drop_table_preco, run here
-- as a superuser, neither locks, reads nor drops it (reading it would call
-- the role's function as the superuser), and create_table_preco makes
-- nothing over it; both are skipped
SELECT table_name FROM oltp_sim_own.oltp_add_tables('schema_changes', seed => 1) ORDER BY 1;
GRANT USAGE, CREATE ON SCHEMA oltp_sim_own TO oltp_hostile_mal;
SET ROLE oltp_hostile_mal;
CREATE VIEW oltp_sim_own.precos_lote AS SELECT trap.log('precos_lote') IS NULL AS x;
RESET ROLE;
SELECT pg_catalog.jsonb_object_agg(operation, CASE WHEN operation LIKE '%table_preco' THEN 1 ELSE 0 END)::text
	AS only_lote FROM oltp_sim_own.oltp_operations() \gset
SET client_min_messages = notice;
CALL oltp_sim_own.oltp_run(ops => 6, seed => 1, profile => 'schema_changes', weights => :'only_lote');
SET client_min_messages = warning;
SELECT c.relkind, c.relowner::regrole AS owner FROM pg_class c
WHERE c.oid = to_regclass('oltp_sim_own.precos_lote');
SELECT * FROM trap.ran();
SET ROLE oltp_hostile_mal;
DROP VIEW oltp_sim_own.precos_lote;
RESET ROLE;

-- 11. names a set's script takes besides its tables': the partitions'
-- default partition, as a table, and the schema_changes
-- set's unique index, as an index on a table of the role's.  Each is an
-- error naming its owner, before anything of the set is made
SELECT count(*) FROM oltp_sim_own.oltp_drop_tables('schema_changes');
SET ROLE oltp_hostile_mal;
CREATE TABLE oltp_sim_own.eventos_leito_default (id bigint, ocorrido_em timestamp);
CREATE TABLE oltp_sim_own.mal_precos (codigo text);
CREATE UNIQUE INDEX precos_codigo_key ON oltp_sim_own.mal_precos (codigo);
RESET ROLE;
SELECT * FROM oltp_sim_own.oltp_add_tables('partitions', seed => 1);
SELECT * FROM oltp_sim_own.oltp_add_tables('schema_changes', seed => 1);
SELECT to_regclass('oltp_sim_own.eventos_leito') AS eventos_leito, to_regclass('oltp_sim_own.precos') AS precos;
SELECT * FROM trap.ran();
SET ROLE oltp_hostile_mal;
DROP TABLE oltp_sim_own.eventos_leito_default, oltp_sim_own.mal_precos;
RESET ROLE;

-- 12. a table named precos_novo, the staging table swap_table_preco makes
-- and renames over precos, made by a role that may create in the schema:
-- the swap, run here as a superuser, is skipped while it is there (it
-- would fail on it, every time), neither reading nor dropping it; once the
-- name is free the swap is made
SELECT table_name FROM oltp_sim_own.oltp_add_tables('schema_changes', seed => 1) ORDER BY 1;
SET ROLE oltp_hostile_mal;
CREATE TABLE oltp_sim_own.precos_novo (x integer);
RESET ROLE;
-- columns added and dropped until the swap would rebuild the table
SELECT pg_catalog.jsonb_object_agg(operation, CASE WHEN operation IN ('add_column_preco', 'drop_column_preco') THEN 1 ELSE 0 END)::text
	AS add_drop FROM oltp_sim_own.oltp_operations() \gset
CALL oltp_sim_own.oltp_run(ops => 80, seed => 1, profile => 'schema_changes', weights => :'add_drop');
SELECT count(*) FILTER (WHERE attisdropped) >= 10 AS swap_due FROM pg_attribute
WHERE attrelid = 'oltp_sim_own.precos'::regclass AND attnum > 0;
SELECT 'oltp_sim_own.precos'::regclass::oid AS precos_before \gset
SELECT pg_catalog.jsonb_object_agg(operation, CASE WHEN operation = 'swap_table_preco' THEN 1 ELSE 0 END)::text
	AS only_swap FROM oltp_sim_own.oltp_operations() \gset
SET client_min_messages = notice;
CALL oltp_sim_own.oltp_run(ops => 3, seed => 1, profile => 'schema_changes', weights => :'only_swap');
SET client_min_messages = warning;
SELECT 'oltp_sim_own.precos'::regclass::oid = :precos_before AS precos_kept,
	   (SELECT relowner::regrole FROM pg_class WHERE oid = 'oltp_sim_own.precos_novo'::regclass) AS precos_novo_owner;
SELECT * FROM trap.ran();
SET ROLE oltp_hostile_mal;
DROP TABLE oltp_sim_own.precos_novo;
RESET ROLE;
SET client_min_messages = notice;
CALL oltp_sim_own.oltp_run(ops => 1, seed => 1, profile => 'schema_changes', weights => :'only_swap');
SET client_min_messages = warning;
SELECT 'oltp_sim_own.precos'::regclass::oid <> :precos_before AS swapped,
	   count(*) FILTER (WHERE attisdropped) AS dropped_after FROM pg_attribute
WHERE attrelid = 'oltp_sim_own.precos'::regclass AND attnum > 0;
REVOKE ALL ON SCHEMA oltp_sim_own FROM oltp_hostile_mal;
DROP EXTENSION oltp_sim CASCADE;
\c :db
DROP DATABASE oltp_hostile_owned;
DROP OWNED BY oltp_hostile_writer;
DROP ROLE oltp_hostile_writer;
DROP ROLE oltp_hostile_mal;
