/* oltp_sim--0.1.0--0.2.0.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION oltp_sim UPDATE TO '0.2.0'" to load this file. \quit

-- oltp_status() gains rate_shared_by, the number of workers oltp_sim.rate
-- is divided among, and the phase of oltp_sim.schedule (its number, text,
-- target and time left).  A function's result type cannot change in place: the
-- function and its view are made again (their privileges are set below).

-- What users granted is carried over.  An extension script's GRANT and
-- REVOKE also record the object's privileges as its initial ones
-- (pg_init_privs), which pg_dump leaves to the extension and does not
-- dump; this script's would record users' GRANTs there too.  So the
-- privileges of every member are read first: each object's own, as 0.1.0
-- made it (its pg_init_privs entry, or the default of its kind when it has
-- none), and what a user granted beyond them.  At the end of the script
-- the objects made again (oltp_status() and its view here, oltp_seed and
-- oltp_reset below) are given what users granted on the old ones, and the
-- users' GRANTs are kept out of every object's initial privileges, as on a
-- fresh install.
CREATE TEMPORARY TABLE oltp_sim_carried_privileges AS
SELECT d.classid, d.objid, p.proname::pg_catalog.text AS name, p.proowner AS owner,
	   coalesce(p.proacl, pg_catalog.acldefault('f'::pg_catalog."char", p.proowner)) AS acl,
	   coalesce(ip.initprivs, pg_catalog.acldefault('f'::pg_catalog."char", p.proowner)) AS initial
FROM pg_catalog.pg_extension e
JOIN pg_catalog.pg_depend d ON d.refobjid OPERATOR(pg_catalog.=) e.oid
JOIN pg_catalog.pg_proc p ON p.oid OPERATOR(pg_catalog.=) d.objid
LEFT JOIN pg_catalog.pg_init_privs ip ON ip.objoid OPERATOR(pg_catalog.=) p.oid
	AND ip.classoid OPERATOR(pg_catalog.=) d.classid AND ip.objsubid OPERATOR(pg_catalog.=) 0
WHERE e.extname OPERATOR(pg_catalog.=) 'oltp_sim'::pg_catalog.name
  AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass::pg_catalog.oid
  AND d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass::pg_catalog.oid
  AND d.deptype OPERATOR(pg_catalog.=) 'e'::pg_catalog."char"
UNION ALL
SELECT d.classid, d.objid, c.relname::pg_catalog.text, c.relowner,
	   coalesce(c.relacl, pg_catalog.acldefault(k.kind, c.relowner)),
	   coalesce(ip.initprivs, pg_catalog.acldefault(k.kind, c.relowner))
FROM pg_catalog.pg_extension e
JOIN pg_catalog.pg_depend d ON d.refobjid OPERATOR(pg_catalog.=) e.oid
JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) d.objid
CROSS JOIN LATERAL (SELECT CASE WHEN c.relkind OPERATOR(pg_catalog.=) 'S'::pg_catalog."char"
						   THEN 's' ELSE 'r' END::pg_catalog."char" AS kind) k
LEFT JOIN pg_catalog.pg_init_privs ip ON ip.objoid OPERATOR(pg_catalog.=) c.oid
	AND ip.classoid OPERATOR(pg_catalog.=) d.classid AND ip.objsubid OPERATOR(pg_catalog.=) 0
WHERE e.extname OPERATOR(pg_catalog.=) 'oltp_sim'::pg_catalog.name
  AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass::pg_catalog.oid
  AND d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid
  AND d.deptype OPERATOR(pg_catalog.=) 'e'::pg_catalog."char";

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

-- The privileges read at the top.  An object made again (its old one is
-- gone) is given, on the new one of its name, each privilege a user
-- granted on the old one: in the order its ACL lists them, by its grantor,
-- so a grant made with another's grant option follows that option.  What
-- 0.1.0 gave by itself is not carried: oltp_status() stays closed to
-- PUBLIC.  Its initial privileges are then what this script gave it.  Any
-- other object keeps its privileges, and loses from its initial ones what
-- a user had granted (a GRANT or REVOKE above, on oltp_operations() say,
-- recorded them there).  On PostgreSQL 17 and later pg_shdepend records
-- the roles an object's initial privileges name ('i'); those no longer
-- named go too.
DO $$
DECLARE
	c record;
	g record;
	obj pg_catalog.oid;
	target pg_catalog.text;
	left_by_script pg_catalog.aclitem[];
	initial pg_catalog.aclitem[];
BEGIN
	FOR c IN SELECT * FROM pg_temp.oltp_sim_carried_privileges LOOP
		obj := NULL;
		IF c.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass::pg_catalog.oid THEN
			IF NOT EXISTS (SELECT FROM pg_catalog.pg_proc p WHERE p.oid OPERATOR(pg_catalog.=) c.objid) THEN
				SELECT p.oid, p.proacl,
					   pg_catalog.format('ROUTINE %I.%I(%s)', n.nspname, p.proname,
										 pg_catalog.pg_get_function_identity_arguments(p.oid))
				INTO obj, left_by_script, target
				FROM pg_catalog.pg_proc p
				JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) p.pronamespace
				JOIN pg_catalog.pg_depend d ON d.objid OPERATOR(pg_catalog.=) p.oid
					AND d.classid OPERATOR(pg_catalog.=) c.classid
				JOIN pg_catalog.pg_extension e ON e.oid OPERATOR(pg_catalog.=) d.refobjid
				WHERE e.extname OPERATOR(pg_catalog.=) 'oltp_sim'::pg_catalog.name
				  AND d.deptype OPERATOR(pg_catalog.=) 'e'::pg_catalog."char"
				  AND p.proname OPERATOR(pg_catalog.=) c.name::pg_catalog.name;
			END IF;
		ELSIF NOT EXISTS (SELECT FROM pg_catalog.pg_class r WHERE r.oid OPERATOR(pg_catalog.=) c.objid) THEN
			SELECT r.oid, r.relacl, pg_catalog.format('TABLE %I.%I', n.nspname, r.relname)
			INTO obj, left_by_script, target
			FROM pg_catalog.pg_class r
			JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) r.relnamespace
			JOIN pg_catalog.pg_depend d ON d.objid OPERATOR(pg_catalog.=) r.oid
				AND d.classid OPERATOR(pg_catalog.=) c.classid
			JOIN pg_catalog.pg_extension e ON e.oid OPERATOR(pg_catalog.=) d.refobjid
			WHERE e.extname OPERATOR(pg_catalog.=) 'oltp_sim'::pg_catalog.name
			  AND d.deptype OPERATOR(pg_catalog.=) 'e'::pg_catalog."char"
			  AND r.relname OPERATOR(pg_catalog.=) c.name::pg_catalog.name;
		END IF;

		IF obj IS NOT NULL THEN
			-- made again: the users' privileges, given on the new object
			FOR g IN
				SELECT a.grantor, a.grantee, a.privilege_type, a.is_grantable
				FROM pg_catalog.aclexplode(c.acl) WITH ORDINALITY AS a(grantor, grantee, privilege_type, is_grantable, i)
				WHERE NOT EXISTS (
					SELECT FROM pg_catalog.aclexplode(c.initial) o
					WHERE o.grantor OPERATOR(pg_catalog.=) a.grantor AND o.grantee OPERATOR(pg_catalog.=) a.grantee
					  AND o.privilege_type OPERATOR(pg_catalog.=) a.privilege_type
					  AND o.is_grantable OPERATOR(pg_catalog.=) a.is_grantable)
				ORDER BY a.i
			LOOP
				-- the owner's grants are now those of this role, which owns the new object
				IF g.grantor OPERATOR(pg_catalog.<>) c.owner THEN
					EXECUTE pg_catalog.format('SET LOCAL ROLE %I',
						(SELECT r.rolname FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) g.grantor));
				END IF;
				EXECUTE pg_catalog.format('GRANT %s ON %s TO %s%s', g.privilege_type, target,
					CASE WHEN g.grantee OPERATOR(pg_catalog.=) 0::pg_catalog.oid THEN 'PUBLIC'
						 ELSE pg_catalog.quote_ident((SELECT r.rolname FROM pg_catalog.pg_roles r
													  WHERE r.oid OPERATOR(pg_catalog.=) g.grantee)) END,
					CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
				IF g.grantor OPERATOR(pg_catalog.<>) c.owner THEN
					RESET ROLE;
				END IF;
			END LOOP;
			initial := left_by_script;
		ELSE
			-- kept: its initial privileges without the users' GRANTs
			obj := c.objid;
			initial := ARRAY(
				SELECT u.item
				FROM pg_catalog.pg_init_privs ip,
					 pg_catalog.unnest(ip.initprivs) WITH ORDINALITY AS u(item, i)
				WHERE ip.objoid OPERATOR(pg_catalog.=) obj AND ip.classoid OPERATOR(pg_catalog.=) c.classid
				  AND ip.objsubid OPERATOR(pg_catalog.=) 0
				  AND NOT (u.item OPERATOR(pg_catalog.=) ANY (c.acl)
						   AND NOT u.item OPERATOR(pg_catalog.=) ANY (c.initial))
				ORDER BY u.i);
		END IF;

		UPDATE pg_catalog.pg_init_privs ip SET initprivs = initial
		WHERE ip.objoid OPERATOR(pg_catalog.=) obj AND ip.classoid OPERATOR(pg_catalog.=) c.classid
		  AND ip.objsubid OPERATOR(pg_catalog.=) 0
		  AND ip.initprivs OPERATOR(pg_catalog.<>) initial;
		IF FOUND THEN
			DELETE FROM pg_catalog.pg_shdepend s
			WHERE s.dbid OPERATOR(pg_catalog.=) (SELECT d.oid FROM pg_catalog.pg_database d
												 WHERE d.datname OPERATOR(pg_catalog.=) pg_catalog.current_database())
			  AND s.classid OPERATOR(pg_catalog.=) c.classid AND s.objid OPERATOR(pg_catalog.=) obj
			  AND s.objsubid OPERATOR(pg_catalog.=) 0 AND s.deptype OPERATOR(pg_catalog.=) 'i'::pg_catalog."char"
			  AND NOT (s.refobjid OPERATOR(pg_catalog.=) ANY (
				SELECT a.grantor FROM pg_catalog.aclexplode(initial) a
				UNION SELECT a.grantee FROM pg_catalog.aclexplode(initial) a));
		END IF;
	END LOOP;
END
$$;
DROP TABLE pg_temp.oltp_sim_carried_privileges;
