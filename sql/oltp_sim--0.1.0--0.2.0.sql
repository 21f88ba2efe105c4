/* oltp_sim--0.1.0--0.2.0.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION oltp_sim UPDATE TO '0.2.0'" to load this file. \quit

-- oltp_status() gains rate_shared_by, the number of workers oltp_sim.rate
-- is divided among, and the phase of oltp_sim.schedule (its number, text,
-- target and time left).  A function's result type cannot change in place: the
-- function and its view are made again (their privileges are set below).

DROP VIEW @extschema@.oltp_sim_status;
DROP FUNCTION @extschema@.oltp_status();
CREATE FUNCTION @extschema@.oltp_status(
	OUT state text,
	OUT detail text,
	OUT workers integer,
	OUT committed bigint,
	OUT skipped bigint,
	OUT errors bigint,
	OUT transactions bigint,
	OUT ops_per_sec double precision,
	OUT lag_ms double precision,
	OUT started_at timestamptz,
	OUT last_error text,
	OUT last_error_at timestamptz,
	OUT settings_applied_at timestamptz,
	OUT rate_shared_by integer,
	OUT phase integer,
	OUT phase_text text,
	OUT phase_target double precision,
	OUT phase_left interval)
RETURNS record
AS 'MODULE_PATHNAME', 'oltp_status'
LANGUAGE C VOLATILE STRICT
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.oltp_status() IS
'oltp_sim: the stream''s state, its totals since the server started, its pace and its last error';
CREATE VIEW @extschema@.oltp_sim_status AS SELECT * FROM @extschema@.oltp_status();
COMMENT ON VIEW @extschema@.oltp_sim_status IS 'oltp_sim: oltp_status() as a view, for metrics exporters';

-- Every function runs with search_path = pg_catalog, pg_temp, and what the
-- functions, the partial indexes and the CHECK constraints call is
-- pg_catalog's, whatever the search_path was when 0.1.0 was installed.

ALTER FUNCTION @extschema@.oltp_seed(bigint, bigint, bigint, bigint, bigint, bigint, bigint, double precision, bigint)
	SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION @extschema@.oltp_reset(bigint, bigint, bigint, bigint, bigint, bigint, bigint, double precision, bigint)
	SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION @extschema@.oltp_counts() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION @extschema@.oltp_start() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION @extschema@.oltp_stop() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION @extschema@.oltp_status() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION @extschema@.oltp_operations() SET search_path = pg_catalog, pg_temp;

CREATE OR REPLACE FUNCTION @extschema@.oltp_sim_touch_updated_at()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	NEW.updated_at := pg_catalog.now();
	RETURN NEW;
END
$$;

-- the CDC helpers read the model (oltp_tables(), below) instead of a list
CREATE OR REPLACE FUNCTION @extschema@.oltp_publication(name text DEFAULT 'oltp_sim')
RETURNS text
LANGUAGE plpgsql VOLATILE STRICT
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
	nsp name;
	tables text;
BEGIN
	IF name = '' THEN
		RAISE EXCEPTION 'publication name must not be empty'
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Leave the argument out for the default, oltp_sim.';
	END IF;
	-- PostgreSQL would truncate it: the publication would not have the name
	-- asked for, and the same call would then find no publication of that name
	IF pg_catalog.octet_length(name) > pg_catalog.current_setting('max_identifier_length')::integer THEN
		RAISE EXCEPTION 'publication name "%" is too long', name
			USING ERRCODE = 'name_too_long',
				  DETAIL = pg_catalog.format('A name has at most %s bytes; this one has %s.',
											 pg_catalog.current_setting('max_identifier_length'),
											 pg_catalog.octet_length(name)),
				  HINT = 'Choose a shorter publication name.';
	END IF;
	SELECT n.nspname INTO nsp
	FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
	WHERE e.extname = 'oltp_sim';
	-- the tables of the model that exist: the core set, and any set added
	SELECT pg_catalog.string_agg(pg_catalog.format('%I.%I', nsp, m.table_name), ', ' ORDER BY m.ordinal) INTO tables
	FROM @extschema@.oltp_tables() m
	WHERE pg_catalog.to_regclass(pg_catalog.format('%I.%I', nsp, m.table_name)) IS NOT NULL;
	IF EXISTS (SELECT 1 FROM pg_catalog.pg_publication p WHERE p.pubname = name) THEN
		EXECUTE pg_catalog.format('ALTER PUBLICATION %I SET TABLE %s', name, tables);
	ELSE
		EXECUTE pg_catalog.format('CREATE PUBLICATION %I FOR TABLE %s', name, tables);
	END IF;
	RETURN name;
END
$fn$;
COMMENT ON FUNCTION @extschema@.oltp_publication(text) IS
'oltp_sim: create the publication of the tables (oltp_tables() that exist), or make an existing one publish exactly them';

CREATE OR REPLACE FUNCTION @extschema@.oltp_replica_identity(mode text, tables text[] DEFAULT NULL)
RETURNS TABLE (table_name text, replica_identity text)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
	nsp name := (SELECT n.nspname FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'oltp_sim');
	all_tables text[] := ARRAY(SELECT m.table_name FROM @extschema@.oltp_tables() m	-- the model's tables that exist
		WHERE pg_catalog.to_regclass(pg_catalog.format('%I.%I', nsp, m.table_name)) IS NOT NULL ORDER BY m.ordinal);
	t text;
BEGIN
	IF mode IS NULL OR pg_catalog.lower(mode) NOT IN ('default', 'full') THEN
		RAISE EXCEPTION 'replica identity must be "default" or "full", not %', coalesce(pg_catalog.quote_literal(mode), 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'default sends the key of updated rows; full sends the whole old row as well.';
	END IF;
	IF tables IS NOT NULL THEN
		FOREACH t IN ARRAY tables LOOP
			IF t IS NULL OR NOT t = ANY (all_tables) THEN
				RAISE EXCEPTION '% is not an oltp_sim table', coalesce(pg_catalog.quote_literal(t), 'NULL')
					USING ERRCODE = 'invalid_parameter_value',
						  HINT = 'The tables are ' || pg_catalog.array_to_string(all_tables, ', ') || '.';
			END IF;
		END LOOP;
	END IF;
	FOREACH t IN ARRAY coalesce(tables, all_tables) LOOP
		-- a table without a key has no default identity to fall back on:
		-- DEFAULT would leave its updates and deletes unpublishable
		IF pg_catalog.lower(mode) = 'default' AND
		   (SELECT m.primary_key IS NULL FROM @extschema@.oltp_tables() m WHERE m.table_name = t) THEN
			RAISE NOTICE 'table % has no primary key: its replica identity stays FULL', t
				USING HINT = 'A consumer identifies its updated and deleted rows by the whole old row.';
			CONTINUE;
		END IF;
		EXECUTE pg_catalog.format('ALTER TABLE %I.%I REPLICA IDENTITY %s', nsp, t,
					   CASE pg_catalog.lower(mode) WHEN 'full' THEN 'FULL' ELSE 'DEFAULT' END);
	END LOOP;
	RETURN QUERY
		SELECT c.relname::text,
			   CASE c.relreplident WHEN 'd' THEN 'default' WHEN 'f' THEN 'full'
									WHEN 'i' THEN 'index' ELSE 'nothing' END
		FROM pg_catalog.unnest(all_tables) WITH ORDINALITY AS u(t, ord)
		JOIN pg_catalog.pg_class c ON c.relname = u.t AND c.relnamespace = nsp::regnamespace
		ORDER BY u.ord;
END
$fn$;
COMMENT ON FUNCTION @extschema@.oltp_replica_identity(text, text[]) IS
'oltp_sim: set REPLICA IDENTITY DEFAULT or FULL on the tables (all of oltp_tables() that exist by default; a table without a primary key stays FULL); returns each table''s setting';

-- a look-alike operator bound when 0.1.0 was installed goes with them
ALTER TABLE @extschema@.consultas
	DROP CONSTRAINT consultas_status_check,
	ADD CONSTRAINT consultas_status_check
		CHECK (status::pg_catalog.text OPERATOR(pg_catalog.=)
			   ANY (ARRAY['agendada', 'realizada', 'cancelada', 'faltou']::pg_catalog.text[]));

DROP INDEX @extschema@.oltp_sim_consultas_agendadas;
DROP INDEX @extschema@.oltp_sim_exames_pendentes;
DROP INDEX @extschema@.oltp_sim_internacoes_abertas;
CREATE INDEX oltp_sim_consultas_agendadas ON @extschema@.consultas (id)
	WHERE status::pg_catalog.text OPERATOR(pg_catalog.=) 'agendada'::pg_catalog.text;
CREATE INDEX oltp_sim_exames_pendentes ON @extschema@.exames (id)
	WHERE resultado IS NULL;
CREATE INDEX oltp_sim_internacoes_abertas ON @extschema@.internacoes (id)
	WHERE data_saida IS NULL;

-- last_error can carry row values: the owner and pg_monitor read the state,
-- through the functions and the views alike
REVOKE ALL ON FUNCTION @extschema@.oltp_status() FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.oltp_operations() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.oltp_status() TO pg_monitor;
GRANT EXECUTE ON FUNCTION @extschema@.oltp_operations() TO pg_monitor;
GRANT SELECT ON @extschema@.oltp_sim_status, @extschema@.oltp_sim_operations TO pg_monitor;

-- The model: the tables, described once (src/model.c), for the helpers
-- below, the tests and anyone building on the schema
CREATE FUNCTION @extschema@.oltp_tables()
RETURNS TABLE (table_name text, table_set text, ordinal integer, primary_key text,
			   id_sequence text, default_rows bigint, columns text[])
AS 'MODULE_PATHNAME', 'oltp_tables'
LANGUAGE C STABLE STRICT
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.oltp_tables() IS
'oltp_sim: the tables of the model, the set each belongs to, its key, sequence, default seed volume and columns';

CREATE FUNCTION @extschema@.oltp_columns()
RETURNS TABLE (table_name text, column_name text, ordinal integer, data_type text,
			   not_null boolean, references_table text, on_update text, on_delete text)
AS 'MODULE_PATHNAME', 'oltp_columns'
LANGUAGE C STABLE STRICT
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.oltp_columns() IS
'oltp_sim: the columns of the model with their types and the foreign key each carries';

-- reading the model reveals nothing the catalog does not
REVOKE ALL ON FUNCTION @extschema@.oltp_tables() FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.oltp_columns() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.oltp_tables() TO PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.oltp_columns() TO PUBLIC;

-- oltp_seed and oltp_reset take their volumes by table name: the
-- per-table signatures of 0.1.0 go
DROP FUNCTION @extschema@.oltp_seed(bigint, bigint, bigint, bigint, bigint, bigint, bigint, double precision, bigint);
DROP FUNCTION @extschema@.oltp_reset(bigint, bigint, bigint, bigint, bigint, bigint, bigint, double precision, bigint);

-- The seed: volumes by table name ('{"pacientes": 100}'), the tables left
-- out at their default volume (oltp_tables().default_rows); dates drawn
-- around anchor (midnight today by default)
CREATE FUNCTION @extschema@.oltp_seed(
	rows jsonb DEFAULT NULL,
	scale double precision DEFAULT 1,
	seed bigint DEFAULT NULL,
	anchor timestamp DEFAULT NULL)
RETURNS TABLE (table_name text, inserted bigint, elapsed_ms double precision)
AS 'MODULE_PATHNAME', 'oltp_seed'
LANGUAGE C VOLATILE
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.oltp_seed(jsonb, double precision, bigint, timestamp) IS
'oltp_sim: add generated rows to the hospital tables (volumes by table name, times scale; a seed and an anchor make them reproducible)';

CREATE FUNCTION @extschema@.oltp_reset(
	rows jsonb DEFAULT NULL,
	scale double precision DEFAULT 1,
	seed bigint DEFAULT NULL,
	anchor timestamp DEFAULT NULL)
RETURNS TABLE (table_name text, inserted bigint, elapsed_ms double precision)
AS 'MODULE_PATHNAME', 'oltp_reset'
LANGUAGE C VOLATILE
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.oltp_reset(jsonb, double precision, bigint, timestamp) IS
'oltp_sim: empty the hospital tables, restart their ids, and seed them again';

REVOKE ALL ON FUNCTION @extschema@.oltp_seed(jsonb, double precision, bigint, timestamp) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.oltp_reset(jsonb, double precision, bigint, timestamp) FROM PUBLIC;

-- Committed rows per table and kind (src/op.c counts what each statement
-- changed): what a consumer of the stream must have received
CREATE FUNCTION @extschema@.oltp_changes()
RETURNS TABLE (table_name text, kind text, rows bigint)
AS 'MODULE_PATHNAME', 'oltp_changes'
LANGUAGE C VOLATILE STRICT
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.oltp_changes() IS
'oltp_sim: rows the workers committed since the server started, per table and kind (insert, update, delete, truncate)';
CREATE VIEW @extschema@.oltp_sim_changes AS SELECT * FROM @extschema@.oltp_changes();
COMMENT ON VIEW @extschema@.oltp_sim_changes IS 'oltp_sim: oltp_changes() as a view, for metrics exporters';
-- read like oltp_operations(): by the owner and pg_monitor
REVOKE ALL ON FUNCTION @extschema@.oltp_changes() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.oltp_changes() TO pg_monitor;
GRANT SELECT ON @extschema@.oltp_sim_changes TO pg_monitor;

-- The opt-in table sets (src/sets.c): CREATE EXTENSION creates the core
-- set only; these create a set's tables, as members of the extension and
-- of the publications carrying the core tables, and seed them, or drop them
CREATE FUNCTION @extschema@.oltp_add_tables(set text, seed bigint DEFAULT NULL)
RETURNS TABLE (table_name text, inserted bigint)
AS 'MODULE_PATHNAME', 'oltp_add_tables'
LANGUAGE C VOLATILE
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.oltp_add_tables(text, bigint) IS
'oltp_sim: create the tables of an opt-in set (edge_cases, types), add them to the extension and its publications, and seed them in proportion';

CREATE FUNCTION @extschema@.oltp_drop_tables(set text)
RETURNS TABLE (table_name text, dropped_rows bigint)
AS 'MODULE_PATHNAME', 'oltp_drop_tables'
LANGUAGE C VOLATILE
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.oltp_drop_tables(text) IS
'oltp_sim: drop the tables of an opt-in set (edge_cases, types) and the types it created, with the rows they held';

REVOKE ALL ON FUNCTION @extschema@.oltp_add_tables(text, bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.oltp_drop_tables(text) FROM PUBLIC;

-- Checksums a sink can compute too (src/checksum.c; the README gives the
-- plain query): per table the row count and the sum modulo 2^64 of the
-- rows' hashes.  The settings the text of a value could depend on are
-- fixed, so the digest is the same in any session.
CREATE FUNCTION @extschema@.oltp_checksums(
	tables text[] DEFAULT NULL,
	exclude_columns text[] DEFAULT NULL)
RETURNS TABLE (table_name text, row_count bigint, digest numeric)
AS 'MODULE_PATHNAME', 'oltp_checksums'
LANGUAGE C STABLE
SET search_path = pg_catalog, pg_temp
SET TimeZone = 'UTC'
SET DateStyle = 'ISO, YMD'
SET IntervalStyle = 'postgres'
SET extra_float_digits = 1
SET bytea_output = 'hex'
SET lc_monetary = 'C';
COMMENT ON FUNCTION @extschema@.oltp_checksums(text[], text[]) IS
'oltp_sim: per table, the row count and an order-independent digest of the rows (columns in exclude_columns left out), the same a plain query computes on a sink';

-- A bounded, reproducible run in the calling session (src/run.c): ops
-- operations by the current weights, a COMMIT every
-- oltp_sim.ops_per_transaction.  A procedure that commits can have no SET
-- clause: it pins its search_path itself, in each transaction, and its
-- statements name pg_catalog's functions and operators.
CREATE PROCEDURE @extschema@.oltp_run(
	ops bigint,
	seed bigint DEFAULT NULL,
	anchor timestamp DEFAULT NULL)
AS 'MODULE_PATHNAME', 'oltp_run'
LANGUAGE C;
COMMENT ON PROCEDURE @extschema@.oltp_run(bigint, bigint, timestamp) IS
'oltp_sim: run ops operations of the stream in this session, committing as the worker does; the same seed and anchor on the same seeded data write the same rows';
REVOKE ALL ON PROCEDURE @extschema@.oltp_run(bigint, bigint, timestamp) FROM PUBLIC;
