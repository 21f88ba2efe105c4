/* oltp_sim_schema_changes--0.3.0.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "SELECT oltp_add_tables('schema_changes')" to load this file. \quit

-- The opt-in table set schema_changes, an extension of its own so that
-- pg_dump writes CREATE EXTENSION oltp_sim_schema_changes and the table's
-- rows, and DROP EXTENSION of it removes just this set.  Its table, precos,
-- is written by the stream while the set's operations change its schema
-- (src/op_schema.c, docs/schema_changes.md): src/model.c describes only the
-- columns no operation changes (id, codigo, descricao, created_at,
-- updated_at); valor, quantidade and unidade change type, fornecedor is
-- renamed fabricante and back, referencia is dropped and added again with
-- another type, and other columns come and go.  Every function and
-- operator is pg_catalog's, named so.

-- It lives in oltp_sim's schema, with the other sets.
DO $$
DECLARE
	core pg_catalog.oid;
	mine pg_catalog.oid;
BEGIN
	SELECT e.extnamespace INTO core FROM pg_catalog.pg_extension e
	WHERE e.extname OPERATOR(pg_catalog.=) 'oltp_sim'::pg_catalog.name;
	SELECT e.extnamespace INTO mine FROM pg_catalog.pg_extension e
	WHERE e.extname OPERATOR(pg_catalog.=) 'oltp_sim_schema_changes'::pg_catalog.name;
	IF core OPERATOR(pg_catalog.<>) mine THEN
		RAISE EXCEPTION 'extension "oltp_sim_schema_changes" must be created in schema "%", the schema of extension "oltp_sim"',
			core::pg_catalog.regnamespace
			USING ERRCODE = 'invalid_schema_name',
				  DETAIL = pg_catalog.format('It was to be created in schema "%s". The stream finds every table of oltp_sim and of its sets in that schema.', mine::pg_catalog.regnamespace),
				  HINT = 'Run SELECT oltp_add_tables(''schema_changes''); it creates the set where it belongs.';
	END IF;
END
$$;

CREATE TABLE @extschema@.precos (
	id bigserial PRIMARY KEY,
	codigo varchar(20) NOT NULL,
	descricao varchar(120) NOT NULL,
	created_at timestamp NOT NULL DEFAULT pg_catalog.now(),
	updated_at timestamp NOT NULL DEFAULT pg_catalog.now(),
	-- the columns the set's operations change, after the model's
	valor numeric(10,2) NOT NULL,
	quantidade integer,
	unidade varchar(10),
	fornecedor varchar(60) DEFAULT 'Distribuidora Central',
	referencia text DEFAULT 'ref'
);
-- the index REPLICA IDENTITY USING INDEX switches to
CREATE UNIQUE INDEX precos_codigo_key ON @extschema@.precos (codigo);
-- No updated_at trigger, unlike the other tables: the stream's UPDATE sets
-- the column.  A table swap (swap_table_preco) gives the table a new
-- trigger each time, and PL/pgSQL compiles a trigger function once per
-- trigger: every backend writing the table would keep one more copy of
-- oltp_sim_touch_updated_at() per swap for as long as it lives.

-- pg_dump writes its rows and the sequence's position
SELECT pg_catalog.pg_extension_config_dump('@extschema@.precos', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.precos_id_seq', '');
