/* oltp_sim_audit--0.3.0.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "SELECT oltp_add_tables('audit')" to load this file. \quit

-- The opt-in table set audit, an extension of its own so that pg_dump
-- writes CREATE EXTENSION oltp_sim_audit and the table's rows, and DROP
-- EXTENSION of it removes just this set.  oltp_add_tables('audit') creates
-- it in oltp_sim's schema and seeds it; the table is described in
-- src/model.c as well, and checked against that description
-- (test/05_model.sql fails when they drift).  Every function and operator
-- is pg_catalog's, named so.
--
-- logs_acesso is deliberately NOT published: oltp_add_tables adds it to no
-- publication, and neither the first seeding nor oltp_publication() puts
-- it in one.  Its writes (write_logs_acesso, profile noisy_neighbour) fill
-- the WAL while a consumer of the publications receives nothing: the noisy
-- neighbour a slot has to be moved past (docs/noisy_neighbour.md).

-- Its table uses oltp_sim's trigger function: it lives in oltp_sim's
-- schema, nowhere else.
DO $$
DECLARE
	core pg_catalog.oid;
	mine pg_catalog.oid;
BEGIN
	SELECT e.extnamespace INTO core FROM pg_catalog.pg_extension e
	WHERE e.extname OPERATOR(pg_catalog.=) 'oltp_sim'::pg_catalog.name;
	SELECT e.extnamespace INTO mine FROM pg_catalog.pg_extension e
	WHERE e.extname OPERATOR(pg_catalog.=) 'oltp_sim_audit'::pg_catalog.name;
	IF core OPERATOR(pg_catalog.<>) mine THEN
		RAISE EXCEPTION 'extension "oltp_sim_audit" must be created in schema "%", the schema of extension "oltp_sim"',
			core::pg_catalog.regnamespace
			USING ERRCODE = 'invalid_schema_name',
				  DETAIL = pg_catalog.format('It was to be created in schema "%s". Its table uses the functions of oltp_sim.', mine::pg_catalog.regnamespace),
				  HINT = 'Run SELECT oltp_add_tables(''audit''); it creates the set where it belongs and seeds it.';
	END IF;
END
$$;

-- Who opened which patient's record, and what for.  No foreign key: the
-- log outlives an erased patient, and an entry may name none.
CREATE TABLE @extschema@.logs_acesso (
	id bigserial PRIMARY KEY,
	paciente_id bigint,
	usuario varchar(60) NOT NULL,
	acao varchar(20) NOT NULL,
	recurso varchar(60) NOT NULL,
	acessado_em timestamp NOT NULL,
	created_at timestamp NOT NULL DEFAULT pg_catalog.now(),
	updated_at timestamp NOT NULL DEFAULT pg_catalog.now()
);
CREATE TRIGGER logs_acesso_updated_at BEFORE UPDATE ON @extschema@.logs_acesso
	FOR EACH ROW EXECUTE FUNCTION @extschema@.oltp_sim_touch_updated_at();

-- pg_dump writes its rows and the sequence's position
SELECT pg_catalog.pg_extension_config_dump('@extschema@.logs_acesso', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.logs_acesso_id_seq', '');
