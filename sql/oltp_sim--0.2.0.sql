/* oltp_sim--0.2.0.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION oltp_sim" to load this file. \quit

-- The hospital schema: same names, columns and types as the Python
-- simulator oltp_sim replaces, so existing connector configurations keep
-- working.
--
-- Nothing here may resolve a function or operator through a schema another
-- role can write to (the extension's own schema included): every function
-- runs with search_path = pg_catalog, pg_temp, and what the script itself
-- calls is pg_catalog's, named so or over the exact types it takes.

CREATE FUNCTION @extschema@.oltp_sim_touch_updated_at()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	NEW.updated_at := pg_catalog.now();
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.oltp_sim_touch_updated_at() IS
'oltp_sim: BEFORE UPDATE trigger that keeps updated_at current';

CREATE TABLE @extschema@.pacientes (
	id bigserial PRIMARY KEY,
	nome varchar(150) NOT NULL,
	nascimento date NOT NULL,
	cpf varchar(20) UNIQUE NOT NULL,
	telefone varchar(20),
	endereco varchar(200),
	data_cadastro timestamp NOT NULL DEFAULT pg_catalog.now(),
	created_at timestamp NOT NULL DEFAULT pg_catalog.now(),
	updated_at timestamp NOT NULL DEFAULT pg_catalog.now()
);

CREATE TABLE @extschema@.medicos (
	id bigserial PRIMARY KEY,
	nome varchar(150) NOT NULL,
	crm varchar(20) UNIQUE NOT NULL,
	especialidade varchar(80) NOT NULL,
	telefone varchar(20),
	created_at timestamp NOT NULL DEFAULT pg_catalog.now(),
	updated_at timestamp NOT NULL DEFAULT pg_catalog.now()
);

CREATE TABLE @extschema@.convenios (
	id bigserial PRIMARY KEY,
	nome varchar(120) NOT NULL,
	cnpj varchar(25) UNIQUE NOT NULL,
	tipo varchar(40) NOT NULL,
	cobertura varchar(120),
	created_at timestamp NOT NULL DEFAULT pg_catalog.now(),
	updated_at timestamp NOT NULL DEFAULT pg_catalog.now()
);

CREATE TABLE @extschema@.pacientes_convenios (
	id bigserial PRIMARY KEY,
	paciente_id bigint NOT NULL
		REFERENCES @extschema@.pacientes (id) ON UPDATE CASCADE ON DELETE RESTRICT,
	convenio_id bigint NOT NULL
		REFERENCES @extschema@.convenios (id) ON UPDATE CASCADE ON DELETE RESTRICT,
	numero_carteira varchar(40),
	validade date,
	created_at timestamp NOT NULL DEFAULT pg_catalog.now(),
	updated_at timestamp NOT NULL DEFAULT pg_catalog.now(),
	UNIQUE (paciente_id, convenio_id)
);

CREATE TABLE @extschema@.consultas (
	id bigserial PRIMARY KEY,
	paciente_id bigint NOT NULL
		REFERENCES @extschema@.pacientes (id) ON UPDATE CASCADE ON DELETE RESTRICT,
	medico_id bigint NOT NULL
		REFERENCES @extschema@.medicos (id) ON UPDATE CASCADE ON DELETE RESTRICT,
	data timestamp NOT NULL,
	motivo varchar(200) NOT NULL,
	status varchar(20) NOT NULL
		CHECK (status::pg_catalog.text OPERATOR(pg_catalog.=)
			   ANY (ARRAY['agendada', 'realizada', 'cancelada', 'faltou']::pg_catalog.text[])),
	created_at timestamp NOT NULL DEFAULT pg_catalog.now(),
	updated_at timestamp NOT NULL DEFAULT pg_catalog.now()
);

CREATE TABLE @extschema@.exames (
	id bigserial PRIMARY KEY,
	paciente_id bigint NOT NULL
		REFERENCES @extschema@.pacientes (id) ON UPDATE CASCADE ON DELETE RESTRICT,
	tipo_exame varchar(100) NOT NULL,
	data timestamp NOT NULL,
	resultado varchar(200),
	created_at timestamp NOT NULL DEFAULT pg_catalog.now(),
	updated_at timestamp NOT NULL DEFAULT pg_catalog.now()
);

CREATE TABLE @extschema@.internacoes (
	id bigserial PRIMARY KEY,
	paciente_id bigint NOT NULL
		REFERENCES @extschema@.pacientes (id) ON UPDATE CASCADE ON DELETE RESTRICT,
	data_entrada timestamp NOT NULL,
	data_saida timestamp,
	motivo varchar(200) NOT NULL,
	quarto varchar(20),
	created_at timestamp NOT NULL DEFAULT pg_catalog.now(),
	updated_at timestamp NOT NULL DEFAULT pg_catalog.now(),
	CHECK (data_saida IS NULL OR data_saida OPERATOR(pg_catalog.>=) data_entrada)
);

CREATE INDEX idx_pacientes_cpf ON @extschema@.pacientes (cpf);
CREATE INDEX idx_medicos_crm ON @extschema@.medicos (crm);
CREATE INDEX idx_consultas_paciente ON @extschema@.consultas (paciente_id);
CREATE INDEX idx_consultas_medico ON @extschema@.consultas (medico_id);
CREATE INDEX idx_consultas_data ON @extschema@.consultas (data);
CREATE INDEX idx_exames_paciente ON @extschema@.exames (paciente_id);
CREATE INDEX idx_exames_data ON @extschema@.exames (data);
CREATE INDEX idx_internacoes_paciente ON @extschema@.internacoes (paciente_id);
CREATE INDEX idx_internacoes_datas ON @extschema@.internacoes (data_entrada, data_saida);

-- The rows the stream's updates look for (scheduled consultations, pending
-- exams, open admissions), so finding one costs the same at any table size.
CREATE INDEX oltp_sim_consultas_agendadas ON @extschema@.consultas (id)
	WHERE status::pg_catalog.text OPERATOR(pg_catalog.=) 'agendada'::pg_catalog.text;
CREATE INDEX oltp_sim_exames_pendentes ON @extschema@.exames (id)
	WHERE resultado IS NULL;
CREATE INDEX oltp_sim_internacoes_abertas ON @extschema@.internacoes (id)
	WHERE data_saida IS NULL;

CREATE TRIGGER pacientes_updated_at BEFORE UPDATE ON @extschema@.pacientes
	FOR EACH ROW EXECUTE FUNCTION @extschema@.oltp_sim_touch_updated_at();
CREATE TRIGGER medicos_updated_at BEFORE UPDATE ON @extschema@.medicos
	FOR EACH ROW EXECUTE FUNCTION @extschema@.oltp_sim_touch_updated_at();
CREATE TRIGGER convenios_updated_at BEFORE UPDATE ON @extschema@.convenios
	FOR EACH ROW EXECUTE FUNCTION @extschema@.oltp_sim_touch_updated_at();
CREATE TRIGGER pacientes_convenios_updated_at BEFORE UPDATE ON @extschema@.pacientes_convenios
	FOR EACH ROW EXECUTE FUNCTION @extschema@.oltp_sim_touch_updated_at();
CREATE TRIGGER consultas_updated_at BEFORE UPDATE ON @extschema@.consultas
	FOR EACH ROW EXECUTE FUNCTION @extschema@.oltp_sim_touch_updated_at();
CREATE TRIGGER exames_updated_at BEFORE UPDATE ON @extschema@.exames
	FOR EACH ROW EXECUTE FUNCTION @extschema@.oltp_sim_touch_updated_at();
CREATE TRIGGER internacoes_updated_at BEFORE UPDATE ON @extschema@.internacoes
	FOR EACH ROW EXECUTE FUNCTION @extschema@.oltp_sim_touch_updated_at();

-- Functions

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

CREATE FUNCTION @extschema@.oltp_counts()
RETURNS TABLE (table_name text, row_count bigint)
AS 'MODULE_PATHNAME', 'oltp_counts'
LANGUAGE C STABLE STRICT
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.oltp_counts() IS
'oltp_sim: exact row count of each hospital table';

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

-- The stream (needs the library in shared_preload_libraries)

CREATE FUNCTION @extschema@.oltp_start()
RETURNS void
AS 'MODULE_PATHNAME', 'oltp_start'
LANGUAGE C VOLATILE STRICT
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.oltp_start() IS
'oltp_sim: start streaming now, whatever oltp_sim.enabled says (until it changes)';

CREATE FUNCTION @extschema@.oltp_stop()
RETURNS void
AS 'MODULE_PATHNAME', 'oltp_stop'
LANGUAGE C VOLATILE STRICT
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.oltp_stop() IS
'oltp_sim: pause streaming now, whatever oltp_sim.enabled says (until it changes)';

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

CREATE FUNCTION @extschema@.oltp_operations()
RETURNS TABLE (operation text, table_name text, kind text, weight integer,
			   committed bigint, skipped bigint, errors bigint)
AS 'MODULE_PATHNAME', 'oltp_operations'
LANGUAGE C VOLATILE STRICT
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.oltp_operations() IS
'oltp_sim: per operation, the weight the workers apply and what they committed, skipped and failed';

CREATE VIEW @extschema@.oltp_sim_status AS SELECT * FROM @extschema@.oltp_status();
CREATE VIEW @extschema@.oltp_sim_operations AS SELECT * FROM @extschema@.oltp_operations();
COMMENT ON VIEW @extschema@.oltp_sim_status IS 'oltp_sim: oltp_status() as a view, for metrics exporters';
COMMENT ON VIEW @extschema@.oltp_sim_operations IS 'oltp_sim: oltp_operations() as a view, for metrics exporters';

REVOKE ALL ON FUNCTION @extschema@.oltp_start() FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.oltp_stop() FROM PUBLIC;

-- last_error can carry row values: the owner and pg_monitor read the state,
-- through the functions and the views alike
REVOKE ALL ON FUNCTION @extschema@.oltp_status() FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.oltp_operations() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.oltp_status() TO pg_monitor;
GRANT EXECUTE ON FUNCTION @extschema@.oltp_operations() TO pg_monitor;
GRANT SELECT ON @extschema@.oltp_sim_status, @extschema@.oltp_sim_operations TO pg_monitor;

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

-- CDC set-up

CREATE FUNCTION @extschema@.oltp_publication(name text DEFAULT 'oltp_sim')
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

CREATE FUNCTION @extschema@.oltp_replica_identity(mode text, tables text[] DEFAULT NULL)
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

REVOKE ALL ON FUNCTION @extschema@.oltp_publication(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.oltp_replica_identity(text, text[]) FROM PUBLIC;

-- the publication CDC connectors read (publication.name = oltp_sim)
SELECT @extschema@.oltp_publication();
