/* oltp_sim_edge_cases--0.3.0.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "SELECT oltp_add_tables('edge_cases')" to load this file. \quit

-- The opt-in table set edge_cases, an extension of its own so that pg_dump
-- writes CREATE EXTENSION oltp_sim_edge_cases and the tables' rows, and
-- DROP EXTENSION of it removes just this set.  oltp_add_tables('edge_cases')
-- creates it in oltp_sim's schema and seeds it; the tables are described
-- in src/model.c as well, and the extension's functions check every table
-- against that description (test/05_model.sql fails when they drift).
-- Every function and operator is pg_catalog's, named so.

-- Its tables reference oltp_sim's and use its trigger function: they live
-- in oltp_sim's schema, nowhere else.
DO $$
DECLARE
	core pg_catalog.oid;
	mine pg_catalog.oid;
BEGIN
	SELECT e.extnamespace INTO core FROM pg_catalog.pg_extension e
	WHERE e.extname OPERATOR(pg_catalog.=) 'oltp_sim'::pg_catalog.name;
	SELECT e.extnamespace INTO mine FROM pg_catalog.pg_extension e
	WHERE e.extname OPERATOR(pg_catalog.=) 'oltp_sim_edge_cases'::pg_catalog.name;
	IF core OPERATOR(pg_catalog.<>) mine THEN
		RAISE EXCEPTION 'extension "oltp_sim_edge_cases" must be created in schema "%", the schema of extension "oltp_sim"',
			core::pg_catalog.regnamespace
			USING ERRCODE = 'invalid_schema_name',
				  DETAIL = pg_catalog.format('It was to be created in schema "%s". Its tables reference the tables of oltp_sim and use its functions.', mine::pg_catalog.regnamespace),
				  HINT = 'Run SELECT oltp_add_tables(''edge_cases''); it creates the set where it belongs and seeds it.';
	END IF;
END
$$;

CREATE TABLE @extschema@.laudos (
	id bigserial PRIMARY KEY,
	exame_id bigint NOT NULL REFERENCES @extschema@.exames (id) ON UPDATE CASCADE ON DELETE RESTRICT,
	texto text NOT NULL,
	versao integer NOT NULL DEFAULT 1,
	assinado_por varchar(150),
	assinado_crm varchar(20),
	assinado_em timestamp,
	created_at timestamp NOT NULL DEFAULT pg_catalog.now(),
	updated_at timestamp NOT NULL DEFAULT pg_catalog.now()
);
-- out of line and uncompressed: the value a signature leaves as is
ALTER TABLE @extschema@.laudos ALTER COLUMN texto SET STORAGE EXTERNAL;
CREATE INDEX idx_laudos_exame ON @extschema@.laudos (exame_id);
CREATE INDEX oltp_sim_laudos_pendentes ON @extschema@.laudos (id) WHERE assinado_em IS NULL;
CREATE TRIGGER laudos_updated_at BEFORE UPDATE ON @extschema@.laudos
	FOR EACH ROW EXECUTE FUNCTION @extschema@.oltp_sim_touch_updated_at();

CREATE TABLE @extschema@.fila_triagem (
	id bigserial PRIMARY KEY,
	paciente_id bigint NOT NULL REFERENCES @extschema@.pacientes (id) ON UPDATE CASCADE ON DELETE RESTRICT,
	prioridade varchar(20) NOT NULL
		CHECK (prioridade::pg_catalog.text OPERATOR(pg_catalog.=)
			   ANY (ARRAY['vermelho', 'laranja', 'amarelo', 'verde', 'azul']::pg_catalog.text[])),
	queixa varchar(200) NOT NULL,
	chegada timestamp NOT NULL,
	created_at timestamp NOT NULL DEFAULT pg_catalog.now(),
	updated_at timestamp NOT NULL DEFAULT pg_catalog.now()
);
CREATE INDEX idx_fila_triagem_paciente ON @extschema@.fila_triagem (paciente_id);
CREATE TRIGGER fila_triagem_updated_at BEFORE UPDATE ON @extschema@.fila_triagem
	FOR EACH ROW EXECUTE FUNCTION @extschema@.oltp_sim_touch_updated_at();

-- pg_dump writes their rows and the sequences' positions
SELECT pg_catalog.pg_extension_config_dump('@extschema@.laudos', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.laudos_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.fila_triagem', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.fila_triagem_id_seq', '');
