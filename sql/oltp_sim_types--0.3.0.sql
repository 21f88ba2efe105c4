/* oltp_sim_types--0.3.0.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "SELECT oltp_add_tables('types')" to load this file. \quit

-- The opt-in table set types, an extension of its own so that pg_dump
-- writes CREATE EXTENSION oltp_sim_types and the tables' rows, and DROP
-- EXTENSION of it removes just this set (its enum and domain with it).
-- oltp_add_tables('types') creates it in oltp_sim's schema and seeds it;
-- the tables are described in src/model.c as well, and the extension's
-- functions check every table against that description
-- (test/05_model.sql fails when they drift).  Every function and operator
-- is pg_catalog's, named so.

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
	WHERE e.extname OPERATOR(pg_catalog.=) 'oltp_sim_types'::pg_catalog.name;
	IF core OPERATOR(pg_catalog.<>) mine THEN
		RAISE EXCEPTION 'extension "oltp_sim_types" must be created in schema "%", the schema of extension "oltp_sim"',
			core::pg_catalog.regnamespace
			USING ERRCODE = 'invalid_schema_name',
				  DETAIL = pg_catalog.format('It was to be created in schema "%s". Its tables reference the tables of oltp_sim and use its functions.', mine::pg_catalog.regnamespace),
				  HINT = 'Run SELECT oltp_add_tables(''types''); it creates the set where it belongs and seeds it.';
	END IF;
END
$$;

-- The set's own types.  The enum's values are the stream's to read at run
-- time (enum_range), so a value added with ALTER TYPE ... ADD VALUE is
-- written by the operations after it.
CREATE TYPE @extschema@.status_fatura AS ENUM ('aberta', 'paga', 'vencida', 'cancelada');
CREATE DOMAIN @extschema@.percentual AS numeric(5,2)
	CHECK (VALUE OPERATOR(pg_catalog.>=) 0::pg_catalog.numeric
		   AND VALUE OPERATOR(pg_catalog.<=) 100::pg_catalog.numeric);

CREATE TABLE @extschema@.sinais_vitais (
	id bigserial PRIMARY KEY,
	paciente_id bigint NOT NULL REFERENCES @extschema@.pacientes (id) ON UPDATE CASCADE ON DELETE RESTRICT,
	medido_em timestamptz NOT NULL,
	temperatura numeric(4,1),
	saturacao @extschema@.percentual,
	glicemia numeric,
	leituras numeric[],
	duracao interval,
	observacoes text[],
	created_at timestamp NOT NULL DEFAULT pg_catalog.now(),
	updated_at timestamp NOT NULL DEFAULT pg_catalog.now()
);
CREATE INDEX idx_sinais_vitais_paciente ON @extschema@.sinais_vitais (paciente_id);
CREATE TRIGGER sinais_vitais_updated_at BEFORE UPDATE ON @extschema@.sinais_vitais
	FOR EACH ROW EXECUTE FUNCTION @extschema@.oltp_sim_touch_updated_at();

CREATE TABLE @extschema@.faturas (
	serie char(5) NOT NULL,
	numero integer NOT NULL,
	paciente_id bigint NOT NULL REFERENCES @extschema@.pacientes (id) ON UPDATE CASCADE ON DELETE RESTRICT,
	valor money NOT NULL,
	desconto numeric(12,2),
	emitida_em timestamp NOT NULL,
	vencimento date,
	status @extschema@.status_fatura NOT NULL,
	created_at timestamp NOT NULL DEFAULT pg_catalog.now(),
	updated_at timestamp NOT NULL DEFAULT pg_catalog.now(),
	PRIMARY KEY (serie, numero)
);
CREATE INDEX idx_faturas_paciente ON @extschema@.faturas (paciente_id);
-- the next number, and the stream's pick, read it by number alone
CREATE INDEX idx_faturas_numero ON @extschema@.faturas (numero);
CREATE TRIGGER faturas_updated_at BEFORE UPDATE ON @extschema@.faturas
	FOR EACH ROW EXECUTE FUNCTION @extschema@.oltp_sim_touch_updated_at();

CREATE TABLE @extschema@.prontuarios (
	id uuid PRIMARY KEY,
	paciente_id bigint NOT NULL REFERENCES @extschema@.pacientes (id) ON UPDATE CASCADE ON DELETE RESTRICT,
	dados jsonb NOT NULL,
	dados_origem json,
	anexo bytea,
	tamanho_anexo integer GENERATED ALWAYS AS (pg_catalog.octet_length(anexo)) STORED,
	created_at timestamp NOT NULL DEFAULT pg_catalog.now(),
	updated_at timestamp NOT NULL DEFAULT pg_catalog.now()
);
CREATE INDEX idx_prontuarios_paciente ON @extschema@.prontuarios (paciente_id);
CREATE TRIGGER prontuarios_updated_at BEFORE UPDATE ON @extschema@.prontuarios
	FOR EACH ROW EXECUTE FUNCTION @extschema@.oltp_sim_touch_updated_at();

CREATE TABLE @extschema@.dispositivos (
	id bigserial PRIMARY KEY,
	"NumeroSerie" varchar(40) NOT NULL,
	"sala de instalacao" varchar(60),
	"user" varchar(60),
	ip inet,
	rede cidr,
	mac macaddr,
	alarmes bit(8),
	capacidades varbit(64),
	manutencao time,
	janela timetz,
	created_at timestamp NOT NULL DEFAULT pg_catalog.now(),
	updated_at timestamp NOT NULL DEFAULT pg_catalog.now()
);
CREATE TRIGGER dispositivos_updated_at BEFORE UPDATE ON @extschema@.dispositivos
	FOR EACH ROW EXECUTE FUNCTION @extschema@.oltp_sim_touch_updated_at();

-- no key: the whole old row identifies an updated or deleted one
CREATE TABLE @extschema@.reservas_leito (
	paciente_id bigint NOT NULL REFERENCES @extschema@.pacientes (id) ON UPDATE CASCADE ON DELETE RESTRICT,
	leitos int4range NOT NULL,
	periodo tstzrange NOT NULL,
	observacao text,
	created_at timestamp NOT NULL DEFAULT pg_catalog.now(),
	updated_at timestamp NOT NULL DEFAULT pg_catalog.now()
);
ALTER TABLE @extschema@.reservas_leito REPLICA IDENTITY FULL;
CREATE INDEX idx_reservas_leito_paciente ON @extschema@.reservas_leito (paciente_id);
CREATE TRIGGER reservas_leito_updated_at BEFORE UPDATE ON @extschema@.reservas_leito
	FOR EACH ROW EXECUTE FUNCTION @extschema@.oltp_sim_touch_updated_at();

-- pg_dump writes their rows and the sequences' positions
SELECT pg_catalog.pg_extension_config_dump('@extschema@.sinais_vitais', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.sinais_vitais_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.faturas', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.prontuarios', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.dispositivos', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.dispositivos_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.reservas_leito', '');
