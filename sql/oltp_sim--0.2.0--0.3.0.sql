/* oltp_sim--0.2.0--0.3.0.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION oltp_sim UPDATE TO '0.3.0'" to load this file. \quit

-- From 0.3.0 on, sql/oltp_sim--0.2.0.sql is the base install script and is
-- never edited again: CREATE EXTENSION runs it and then every upgrade script
-- up to the default version, in one transaction, as ALTER EXTENSION UPDATE
-- runs the same upgrade scripts on an installed database.  A change is
-- written once, here, and fresh and upgraded databases cannot drift apart
-- (sql/upgrade.sql compares them).
--
-- As in the base script, nothing here may resolve a function or operator
-- through a schema another role can write to: every function sets
-- search_path = pg_catalog, pg_temp, and what the script calls is
-- pg_catalog's, named so or over the exact types it takes.

-- The extension's schema must be one that no role less trusted than the
-- installing role owns.  Its owner could drop, rename or replace what is
-- in it, while oltp_sim's functions and worker act, often as a superuser,
-- on what they find there.  The owner counts as trusted when it is a
-- superuser or the installing role; the pseudo-role pg_database_owner
-- (owner of public since PostgreSQL 15) stands for the database's owner.
-- CREATE EXTENSION without SCHEMA takes the first schema of the
-- search_path, "$user" before public: a schema named after the installing
-- role, made by someone else, would be it.
--
-- CREATE EXTENSION runs the base script and this one in one transaction,
-- so refusing here creates nothing.  ALTER EXTENSION UPDATE of an
-- extension already in such a schema is refused the same way, and says
-- how to go on: give the schema to a superuser, then update.
DO $$
DECLARE
	nsp pg_catalog.name;
	owner pg_catalog.oid;
	owner_name pg_catalog.name;
	owner_super boolean;
BEGIN
	SELECT n.nspname, n.nspowner INTO nsp, owner
	FROM pg_catalog.pg_extension e
	JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) e.extnamespace
	WHERE e.extname OPERATOR(pg_catalog.=) 'oltp_sim'::pg_catalog.name;
	IF owner OPERATOR(pg_catalog.=) (SELECT r.oid FROM pg_catalog.pg_roles r
									WHERE r.rolname OPERATOR(pg_catalog.=) 'pg_database_owner'::pg_catalog.name) THEN
		SELECT d.datdba INTO owner FROM pg_catalog.pg_database d
		WHERE d.datname OPERATOR(pg_catalog.=) pg_catalog.current_database();
	END IF;
	SELECT r.rolname, r.rolsuper INTO owner_name, owner_super
	FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) owner;
	IF NOT owner_super AND owner_name OPERATOR(pg_catalog.<>) CURRENT_USER THEN
		RAISE EXCEPTION 'schema "%" belongs to role "%", which is neither a superuser nor the role installing oltp_sim', nsp, owner_name
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  DETAIL = 'That role could drop, rename or replace objects next to the extension''s, and oltp_sim''s functions and worker act, often as a superuser, on what they find in its schema. CREATE EXTENSION without SCHEMA takes the first schema of the search_path ("$user", then public).',
				  HINT = pg_catalog.format('Create the extension in a schema only trusted roles own: CREATE SCHEMA oltp_sim; CREATE EXTENSION oltp_sim SCHEMA oltp_sim;. To update an extension installed there already, give the schema to a superuser first: ALTER SCHEMA %I OWNER TO %I;.', nsp, CURRENT_USER);
	END IF;
END
$$;

-- The publication oltp_sim that CREATE EXTENSION made publish the tables
-- (the base script calls oltp_publication()) must not be one another role
-- made in advance: its owner could change what it publishes.
DO $$
DECLARE
	owner_name pg_catalog.name;
BEGIN
	SELECT r.rolname INTO owner_name
	FROM pg_catalog.pg_publication p
	JOIN pg_catalog.pg_roles r ON r.oid OPERATOR(pg_catalog.=) p.pubowner
	WHERE p.pubname OPERATOR(pg_catalog.=) 'oltp_sim'::pg_catalog.name
	  AND NOT r.rolsuper AND r.rolname OPERATOR(pg_catalog.<>) CURRENT_USER;
	IF FOUND THEN
		RAISE EXCEPTION 'publication "oltp_sim" belongs to role "%"', owner_name
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  DETAIL = 'That role made it, and could change what it publishes; the extension publishes its tables in a publication of its installing role''s.',
				  HINT = 'Drop or rename that publication (DROP PUBLICATION oltp_sim;), then run the command again.';
	END IF;
END
$$;

-- What users granted survives the update.  oltp_run is made again (its
-- arguments change), and this script's GRANTs on objects that users may
-- have granted on too (oltp_status() and the others below) would record
-- their GRANTs as the objects' initial privileges (pg_init_privs), which
-- pg_dump leaves to the extension and does not dump.  So, as
-- oltp_sim--0.1.0--0.2.0.sql does, the privileges of every member are read
-- first, each object's own (its pg_init_privs entry, or its kind's
-- default) and what users granted beyond them, and handled at the end of
-- the script.
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

-- oltp_publication and oltp_replica_identity (src/publication.c) act on the
-- extension's member tables only, never on another role's table of a
-- model's name, and call no function by name (oltp_tables(), which they
-- called, an overload made by another role could make ambiguous).  Same
-- signatures: the functions are replaced in place and keep their
-- privileges and comments.
CREATE OR REPLACE FUNCTION @extschema@.oltp_publication(name text DEFAULT 'oltp_sim')
RETURNS text
AS 'MODULE_PATHNAME', 'oltp_publication'
LANGUAGE C VOLATILE STRICT
SET search_path = pg_catalog, pg_temp;

CREATE OR REPLACE FUNCTION @extschema@.oltp_replica_identity(mode text, tables text[] DEFAULT NULL)
RETURNS TABLE (table_name text, replica_identity text)
AS 'MODULE_PATHNAME', 'oltp_replica_identity'
LANGUAGE C VOLATILE
SET search_path = pg_catalog, pg_temp;

-- CALL oltp_run takes a profile and weights of its own, for the call alone
-- (src/run.c): the settings oltp_sim.profile and oltp_sim.weight_* are the
-- server's, shared with the workers, and cannot be SET in a session.  The
-- new procedure gets what users granted on the old one at the end of the
-- script.
CREATE PROCEDURE @extschema@.oltp_run(
	ops bigint,
	seed bigint DEFAULT NULL,
	anchor timestamp DEFAULT NULL,
	profile text DEFAULT NULL,
	weights jsonb DEFAULT NULL)
AS 'MODULE_PATHNAME', 'oltp_run'
LANGUAGE C;
COMMENT ON PROCEDURE @extschema@.oltp_run(bigint, bigint, timestamp, text, jsonb) IS
'oltp_sim: run ops operations of the stream in this session, committing as the worker does, by the weights in effect or a profile and weights of its own; the same seed and anchor on the same seeded data write the same rows';
REVOKE ALL ON PROCEDURE @extschema@.oltp_run(bigint, bigint, timestamp, text, jsonb) FROM PUBLIC;
DROP PROCEDURE @extschema@.oltp_run(bigint, bigint, timestamp);

-- Transactions held open on a process of their own (long_transaction),
-- while the stream goes on: what is held, since when, and how long is left
CREATE FUNCTION @extschema@.oltp_held_transactions()
RETURNS TABLE (worker integer, pid integer, operation text, state text,
			   handed_at timestamptz, held_since timestamptz, commit_at timestamptz,
			   time_left interval, detail text)
AS 'MODULE_PATHNAME', 'oltp_held_transactions'
LANGUAGE C VOLATILE STRICT
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.oltp_held_transactions() IS
'oltp_sim: the transactions held open on a process of their own, since when and until when';
CREATE VIEW @extschema@.oltp_sim_held_transactions AS SELECT * FROM @extschema@.oltp_held_transactions();
COMMENT ON VIEW @extschema@.oltp_sim_held_transactions IS 'oltp_sim: oltp_held_transactions() as a view, for metrics exporters';
-- read like oltp_status(): by the owner and pg_monitor
REVOKE ALL ON FUNCTION @extschema@.oltp_held_transactions() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.oltp_held_transactions() TO pg_monitor;
GRANT SELECT ON @extschema@.oltp_sim_held_transactions TO pg_monitor;

-- ---------------------------------------------------------------------------
-- Reading the stream's state: a refused role is told what to grant
-- ---------------------------------------------------------------------------
-- oltp_status(), oltp_operations(), oltp_changes(),
-- oltp_held_transactions() and their views stay for
-- the owner, pg_monitor and the roles granted EXECUTE (last_error can carry
-- row values), but the functions now check that themselves
-- (src/privilege.c), with PUBLIC's grant left out, so that a refused role
-- gets a hint naming pg_monitor and the GRANT EXECUTE to run: PostgreSQL's
-- own refusal, which comes before the function runs, has none.  So every
-- role may call them and select from the views; the function refuses.
GRANT EXECUTE ON FUNCTION @extschema@.oltp_status() TO PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.oltp_operations() TO PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.oltp_changes() TO PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.oltp_held_transactions() TO PUBLIC;
GRANT SELECT ON @extschema@.oltp_sim_status, @extschema@.oltp_sim_operations,
	@extschema@.oltp_sim_changes, @extschema@.oltp_sim_held_transactions TO PUBLIC;

-- The privileges read at the top, as in oltp_sim--0.1.0--0.2.0.sql: the
-- object made again (oltp_run) gets, on the new one of its name, each
-- privilege a user granted on the old one, by its grantor and in its ACL's
-- order, and its initial privileges are what this script gave it; any
-- other object keeps its privileges and loses from its initial ones what
-- users had granted.  On PostgreSQL 17 and later the pg_shdepend 'i' rows
-- of roles the initial privileges no longer name go too.
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

-- ---------------------------------------------------------------------------
-- pg_dump keeps the rows (issue 20)
-- ---------------------------------------------------------------------------
-- The tables are members of the extension, which pg_dump leaves to CREATE
-- EXTENSION: registered here, their rows and their sequences' positions
-- are dumped too (pg_dump -t pacientes included).  The opt-in sets are
-- extensions of their own, oltp_sim_edge_cases and oltp_sim_types
-- (src/sets.c), whose scripts register their tables the same way.  A
-- database updated from 0.2.0 has its sets' tables in oltp_sim still:
-- oltp_add_tables('<set>') moves them (CREATE EXTENSION cannot run in this
-- script), and the WARNING below says so (a NOTICE would not be shown:
-- extension scripts run with client_min_messages at warning at least).
SELECT pg_catalog.pg_extension_config_dump('@extschema@.pacientes', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.pacientes_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.medicos', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.medicos_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.convenios', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.convenios_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.pacientes_convenios', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.pacientes_convenios_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.consultas', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.consultas_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.exames', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.exames_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.internacoes', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.internacoes_id_seq', '');

DO $$
DECLARE
	sets pg_catalog.text;
BEGIN
	SELECT pg_catalog.string_agg(pg_catalog.format('SELECT oltp_add_tables(%L);', s.set), ' ' ORDER BY s.set)
	INTO sets
	FROM (VALUES ('edge_cases'::pg_catalog.text, 'laudos'::pg_catalog.name),
				 ('types', 'faturas')) AS s(set, marker)
	JOIN pg_catalog.pg_class c ON c.relname OPERATOR(pg_catalog.=) s.marker
	JOIN pg_catalog.pg_depend d ON d.objid OPERATOR(pg_catalog.=) c.oid
		AND d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid
		AND d.deptype OPERATOR(pg_catalog.=) 'e'::pg_catalog."char"
	JOIN pg_catalog.pg_extension e ON e.oid OPERATOR(pg_catalog.=) d.refobjid
		AND e.extname OPERATOR(pg_catalog.=) 'oltp_sim'::pg_catalog.name;
	IF sets IS NOT NULL THEN
		RAISE WARNING 'the opt-in sets of this database are still members of extension "oltp_sim"'
			USING DETAIL = 'From 0.3.0 on each set is an extension of its own, which pg_dump writes with its rows; the stream goes on meanwhile.',
				  HINT = pg_catalog.format('Move them, rows and all, with %s', sets);
	END IF;
END
$$;

-- What pg_dump does not keep of extension members, kept in two tables it
-- dumps: the publications they are in, and their replica identity (both
-- only as set outside an extension script, by name, since OIDs change).
-- Event triggers record them as they change; on a restore the rows of
-- oltp_sim_replica_identities are applied as they are loaded (a trigger),
-- and a publication created again gets back the tables it had (an event
-- trigger on CREATE PUBLICATION).  CREATE EXTENSION leaves both empty, so
-- a restore's rows never collide with rows of the script's.
CREATE TABLE @extschema@.oltp_sim_publication_tables (
	pubname pg_catalog.text NOT NULL,
	table_name pg_catalog.text NOT NULL,
	PRIMARY KEY (pubname, table_name)
);
COMMENT ON TABLE @extschema@.oltp_sim_publication_tables IS
'oltp_sim: the publications the extension''s tables are in, for pg_dump (kept by event triggers)';
CREATE TABLE @extschema@.oltp_sim_replica_identities (
	table_name pg_catalog.text PRIMARY KEY,
	identity "char" NOT NULL CHECK (identity OPERATOR(pg_catalog.=) ANY (ARRAY['d', 'f', 'n', 'i']::"char"[])),
	index_name pg_catalog.text
);
COMMENT ON TABLE @extschema@.oltp_sim_replica_identities IS
'oltp_sim: the replica identity set on the extension''s tables, for pg_dump (kept by event triggers, applied as rows are loaded)';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.oltp_sim_publication_tables', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.oltp_sim_replica_identities', '');
-- written by the event triggers, which any role's DDL fires: read by all
-- (the catalogs say as much), written by the extension's owner only
REVOKE ALL ON @extschema@.oltp_sim_publication_tables, @extschema@.oltp_sim_replica_identities FROM PUBLIC;
GRANT SELECT ON @extschema@.oltp_sim_publication_tables, @extschema@.oltp_sim_replica_identities TO PUBLIC;
-- A restore applies them as a superuser, so no other role may write them,
-- whatever it was granted: GRANT ... ON ALL TABLES IN SCHEMA (the README's
-- grants of the writer) takes them too, and cannot be refused, so every
-- write of another role's is.  The event triggers below write them for a
-- superuser or the extension's owner only, and a restore is a superuser's.
CREATE FUNCTION @extschema@.oltp_sim_guard_records()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles r, pg_catalog.pg_extension e
				   WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER
					 AND e.extname OPERATOR(pg_catalog.=) 'oltp_sim'::pg_catalog.name
					 AND (r.rolsuper OR r.oid OPERATOR(pg_catalog.=) e.extowner)) THEN
		RAISE EXCEPTION 'table % is written by extension "oltp_sim" only', TG_TABLE_NAME
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = pg_catalog.format('Role "%s" is neither a superuser nor the owner of the extension. The table records what pg_dump does not keep of the extension''s tables, and a restore applies it as a superuser.', CURRENT_USER),
				  HINT = 'Change the publications or the replica identity of the tables themselves, as the extension''s owner or a superuser: the record follows.';
	END IF;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.oltp_sim_guard_records() IS
'oltp_sim: refuses writes to the records for pg_dump by a role other than a superuser or the extension''s owner';
REVOKE ALL ON FUNCTION @extschema@.oltp_sim_guard_records() FROM PUBLIC;
CREATE TRIGGER oltp_sim_guard_records
	BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.oltp_sim_publication_tables
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.oltp_sim_guard_records();
CREATE TRIGGER oltp_sim_guard_records
	BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.oltp_sim_replica_identities
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.oltp_sim_guard_records();

-- A table of the extension's own: in its schema (the caller checks that)
-- and a member of oltp_sim or of one of its sets' extensions.  Only
-- catalogs are read, and nothing is called by name.  PL/pgSQL, not SQL:
-- with its own search_path a SQL function is never inlined, and is parsed
-- and planned again at every call (the event trigger calls it for every
-- ALTER TABLE, the stream's schema changes included), where PL/pgSQL keeps
-- its plan for the session.
CREATE FUNCTION @extschema@.oltp_sim_own_table(rel pg_catalog.oid)
RETURNS boolean
LANGUAGE plpgsql STABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	RETURN EXISTS (SELECT FROM pg_catalog.pg_depend d
				   JOIN pg_catalog.pg_extension e ON e.oid OPERATOR(pg_catalog.=) d.refobjid
				   WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid
					 AND d.objid OPERATOR(pg_catalog.=) rel
					 AND d.deptype OPERATOR(pg_catalog.=) 'e'::pg_catalog."char"
					 AND e.extname OPERATOR(pg_catalog.=) ANY (ARRAY['oltp_sim', 'oltp_sim_edge_cases', 'oltp_sim_types',
																	 'oltp_sim_audit', 'oltp_sim_schema_changes',
																	 'oltp_sim_partitions']::pg_catalog.name[]));
END
$$;
COMMENT ON FUNCTION @extschema@.oltp_sim_own_table(pg_catalog.oid) IS
'oltp_sim: is the relation a member of oltp_sim or of one of its sets'' extensions (for the records pg_dump keeps)';
REVOKE ALL ON FUNCTION @extschema@.oltp_sim_own_table(pg_catalog.oid) FROM PUBLIC;

-- A row loaded into oltp_sim_replica_identities (a restore): the table
-- gets that identity.  ALTER TABLE ... REPLICA IDENTITY runs no code of
-- the table's; a table of the name that is not the extension's is left
-- alone.
CREATE FUNCTION @extschema@.oltp_sim_apply_replica_identity()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	nsp pg_catalog.oid;
	rel pg_catalog.oid;
	current "char";
BEGIN
	SELECT e.extnamespace INTO nsp FROM pg_catalog.pg_extension e
	WHERE e.extname OPERATOR(pg_catalog.=) 'oltp_sim'::pg_catalog.name;
	SELECT c.oid, c.relreplident INTO rel, current
	FROM pg_catalog.pg_class c
	WHERE c.relname OPERATOR(pg_catalog.=) NEW.table_name::pg_catalog.name
	  AND c.relnamespace OPERATOR(pg_catalog.=) nsp
	  AND c.relkind OPERATOR(pg_catalog.=) ANY (ARRAY['r', 'p']::pg_catalog."char"[])
	  AND @extschema@.oltp_sim_own_table(c.oid);
	IF rel IS NULL OR current OPERATOR(pg_catalog.=) NEW.identity THEN
		RETURN NULL;
	END IF;
	EXECUTE pg_catalog.format('ALTER TABLE %I.%I REPLICA IDENTITY %s',
		(SELECT n.nspname FROM pg_catalog.pg_namespace n WHERE n.oid OPERATOR(pg_catalog.=) nsp),
		NEW.table_name,
		CASE NEW.identity WHEN 'd' THEN 'DEFAULT' WHEN 'f' THEN 'FULL' WHEN 'n' THEN 'NOTHING'
			 ELSE pg_catalog.format('USING INDEX %I', NEW.index_name) END);
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.oltp_sim_apply_replica_identity() IS
'oltp_sim: gives a table the replica identity recorded for it, as a restore loads the row';
REVOKE ALL ON FUNCTION @extschema@.oltp_sim_apply_replica_identity() FROM PUBLIC;
CREATE TRIGGER oltp_sim_apply_replica_identity
	AFTER INSERT ON @extschema@.oltp_sim_replica_identities
	FOR EACH ROW EXECUTE FUNCTION @extschema@.oltp_sim_apply_replica_identity();

-- The publication oltp_sim is made by the first oltp_seed, oltp_reset or
-- oltp_add_tables, no longer by CREATE EXTENSION: a restore creates it
-- (CREATE PUBLICATION, after CREATE EXTENSION), and one made by the script
-- would make that fail.  The base script has just made it if its
-- pg_publication row is this transaction's: a fresh install, whose
-- publication goes.  A database updated keeps its own.
DO $$
BEGIN
	IF EXISTS (SELECT FROM pg_catalog.pg_publication p
			   WHERE p.pubname OPERATOR(pg_catalog.=) 'oltp_sim'::pg_catalog.name
				 AND p.xmin OPERATOR(pg_catalog.=) pg_catalog.pg_current_xact_id()::pg_catalog.xid) THEN
		DROP PUBLICATION oltp_sim;
	END IF;
END
$$;

-- A database updated: what its tables have now, recorded.  (A fresh
-- install has no publication left and every table at its script's
-- identity: nothing to record, so a restore's rows meet empty tables.)
INSERT INTO @extschema@.oltp_sim_publication_tables (pubname, table_name)
SELECT p.pubname::pg_catalog.text, c.relname::pg_catalog.text
FROM pg_catalog.pg_publication p
JOIN pg_catalog.pg_publication_rel pr ON pr.prpubid OPERATOR(pg_catalog.=) p.oid
JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) pr.prrelid
WHERE c.relnamespace OPERATOR(pg_catalog.=) (SELECT e.extnamespace FROM pg_catalog.pg_extension e
										 WHERE e.extname OPERATOR(pg_catalog.=) 'oltp_sim'::pg_catalog.name)
  AND @extschema@.oltp_sim_own_table(c.oid);
INSERT INTO @extschema@.oltp_sim_replica_identities (table_name, identity, index_name)
SELECT c.relname::pg_catalog.text, c.relreplident,
	   (SELECT i.relname::pg_catalog.text FROM pg_catalog.pg_index x
		JOIN pg_catalog.pg_class i ON i.oid OPERATOR(pg_catalog.=) x.indexrelid
		WHERE x.indrelid OPERATOR(pg_catalog.=) c.oid AND x.indisreplident)
FROM pg_catalog.pg_class c
WHERE c.relnamespace OPERATOR(pg_catalog.=) (SELECT e.extnamespace FROM pg_catalog.pg_extension e
										 WHERE e.extname OPERATOR(pg_catalog.=) 'oltp_sim'::pg_catalog.name)
  AND c.relkind OPERATOR(pg_catalog.=) 'r'::pg_catalog."char"
  AND c.relreplident OPERATOR(pg_catalog.<>) 'd'::pg_catalog."char"
  AND @extschema@.oltp_sim_own_table(c.oid);

-- Kept as they change, by the extension's owner or a superuser (only they
-- may write the records; another role's DDL leaves them alone, and a
-- publication such a role changes is not recorded).  Only what runs
-- outside an extension script counts: what a script does, CREATE
-- EXTENSION does again on a restore.
CREATE FUNCTION @extschema@.oltp_sim_record_ddl()
RETURNS event_trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	nsp pg_catalog.oid;
	nspname pg_catalog.name;
	cmd record;
	t record;
	pub pg_catalog.name;
BEGIN
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles r, pg_catalog.pg_extension e
				   WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER
					 AND e.extname OPERATOR(pg_catalog.=) 'oltp_sim'::pg_catalog.name
					 AND (r.rolsuper OR r.oid OPERATOR(pg_catalog.=) e.extowner)) THEN
		RETURN;
	END IF;
	SELECT e.extnamespace, n.nspname INTO nsp, nspname
	FROM pg_catalog.pg_extension e
	JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) e.extnamespace
	WHERE e.extname OPERATOR(pg_catalog.=) 'oltp_sim'::pg_catalog.name;

	-- a restore: a publication created again gets back the tables it had
	FOR cmd IN SELECT * FROM pg_catalog.pg_event_trigger_ddl_commands()
			   WHERE NOT in_extension AND command_tag OPERATOR(pg_catalog.=) 'CREATE PUBLICATION'
				 AND classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_publication'::pg_catalog.regclass::pg_catalog.oid LOOP
		SELECT p.pubname INTO pub FROM pg_catalog.pg_publication p
		WHERE p.oid OPERATOR(pg_catalog.=) cmd.objid;
		FOR t IN
			SELECT c.relname FROM @extschema@.oltp_sim_publication_tables r
			JOIN pg_catalog.pg_class c ON c.relname OPERATOR(pg_catalog.=) r.table_name::pg_catalog.name
				AND c.relnamespace OPERATOR(pg_catalog.=) nsp
			WHERE r.pubname OPERATOR(pg_catalog.=) pub::pg_catalog.text
			  AND NOT EXISTS (SELECT FROM pg_catalog.pg_publication_rel pr
							  WHERE pr.prpubid OPERATOR(pg_catalog.=) cmd.objid
								AND pr.prrelid OPERATOR(pg_catalog.=) c.oid)
			  AND @extschema@.oltp_sim_own_table(c.oid)
			ORDER BY 1
		LOOP
			EXECUTE pg_catalog.format('ALTER PUBLICATION %I ADD TABLE %I.%I', pub, nspname, t.relname);
		END LOOP;
	END LOOP;

	-- What the publications that exist publish of the extension's tables.
	-- ALTER PUBLICATION ... DROP TABLE or SET TABLE reports no command to
	-- tell which one changed, so each is recorded again; the rows of a
	-- publication not (yet) created are kept, for a restore to find.
	IF TG_TAG OPERATOR(pg_catalog.=) ANY (ARRAY['CREATE PUBLICATION', 'ALTER PUBLICATION']) THEN
		-- one recorder at a time: two sessions changing publications at once
		-- (two connectors starting, each making its own) would each delete
		-- the rows the other's snapshot had, and the second insert the rows
		-- the first just committed; waiting here, the next statement sees them
		LOCK TABLE @extschema@.oltp_sim_publication_tables IN SHARE ROW EXCLUSIVE MODE;
		DELETE FROM @extschema@.oltp_sim_publication_tables r
		USING pg_catalog.pg_publication p
		WHERE p.pubname OPERATOR(pg_catalog.=) r.pubname::pg_catalog.name;
		INSERT INTO @extschema@.oltp_sim_publication_tables (pubname, table_name)
		SELECT p.pubname::pg_catalog.text, c.relname::pg_catalog.text
		FROM pg_catalog.pg_publication p
		JOIN pg_catalog.pg_publication_rel pr ON pr.prpubid OPERATOR(pg_catalog.=) p.oid
		JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) pr.prrelid
		WHERE c.relnamespace OPERATOR(pg_catalog.=) nsp
		  AND @extschema@.oltp_sim_own_table(c.oid);
		RETURN;
	END IF;

	FOR cmd IN SELECT * FROM pg_catalog.pg_event_trigger_ddl_commands() WHERE NOT in_extension LOOP
		IF cmd.command_tag OPERATOR(pg_catalog.=) 'ALTER TABLE'
			  AND cmd.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid THEN
			-- nothing written (nor the record's row locked, as ON CONFLICT
			-- would) when the record says it already: most ALTER TABLEs,
			-- the stream's schema changes among them, leave the identity be
			INSERT INTO @extschema@.oltp_sim_replica_identities AS r (table_name, identity, index_name)
			SELECT cur.relname, cur.relreplident, cur.index_name
			FROM (SELECT c.oid, c.relname::pg_catalog.text AS relname, c.relreplident,
						 (SELECT i.relname::pg_catalog.text FROM pg_catalog.pg_index x
						  JOIN pg_catalog.pg_class i ON i.oid OPERATOR(pg_catalog.=) x.indexrelid
						  WHERE x.indrelid OPERATOR(pg_catalog.=) c.oid AND x.indisreplident) AS index_name
				  FROM pg_catalog.pg_class c
				  WHERE c.oid OPERATOR(pg_catalog.=) cmd.objid
					AND c.relnamespace OPERATOR(pg_catalog.=) nsp
					AND c.relkind OPERATOR(pg_catalog.=) ANY (ARRAY['r', 'p']::pg_catalog."char"[])
				  OFFSET 0) cur
			WHERE NOT EXISTS (SELECT FROM @extschema@.oltp_sim_replica_identities k
							  WHERE k.table_name OPERATOR(pg_catalog.=) cur.relname
								AND k.identity OPERATOR(pg_catalog.=) cur.relreplident
								AND k.index_name IS NOT DISTINCT FROM cur.index_name)
			  AND @extschema@.oltp_sim_own_table(cur.oid)
			ON CONFLICT (table_name) DO UPDATE
			SET identity = EXCLUDED.identity, index_name = EXCLUDED.index_name
			WHERE r.identity OPERATOR(pg_catalog.<>) EXCLUDED.identity
			   OR r.index_name IS DISTINCT FROM EXCLUDED.index_name;
		END IF;
	END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@.oltp_sim_record_ddl() IS
'oltp_sim: records the publications and replica identity of the extension''s tables, and gives a publication created again (a restore) the tables it had';
REVOKE ALL ON FUNCTION @extschema@.oltp_sim_record_ddl() FROM PUBLIC;

CREATE FUNCTION @extschema@.oltp_sim_record_drop()
RETURNS event_trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	nspname pg_catalog.name;
BEGIN
	SELECT n.nspname INTO nspname
	FROM pg_catalog.pg_extension e
	JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) e.extnamespace
	JOIN pg_catalog.pg_roles r ON r.rolname OPERATOR(pg_catalog.=) CURRENT_USER
	WHERE e.extname OPERATOR(pg_catalog.=) 'oltp_sim'::pg_catalog.name
	  AND (r.rolsuper OR r.oid OPERATOR(pg_catalog.=) e.extowner);
	-- (oltp_sim itself dropped, or a role that may not write the records)
	IF nspname IS NULL THEN
		RETURN;
	END IF;
	DELETE FROM @extschema@.oltp_sim_publication_tables r
	USING pg_catalog.pg_event_trigger_dropped_objects() o
	WHERE (o.object_type OPERATOR(pg_catalog.=) 'publication'
		   AND o.object_identity OPERATOR(pg_catalog.=) pg_catalog.quote_ident(r.pubname))
	   OR (o.object_type OPERATOR(pg_catalog.=) 'table'
		   AND o.schema_name OPERATOR(pg_catalog.=) nspname::pg_catalog.text
		   AND o.object_name OPERATOR(pg_catalog.=) r.table_name);
	DELETE FROM @extschema@.oltp_sim_replica_identities r
	USING pg_catalog.pg_event_trigger_dropped_objects() o
	WHERE o.object_type OPERATOR(pg_catalog.=) 'table'
	  AND o.schema_name OPERATOR(pg_catalog.=) nspname::pg_catalog.text
	  AND o.object_name OPERATOR(pg_catalog.=) r.table_name;
END
$$;
COMMENT ON FUNCTION @extschema@.oltp_sim_record_drop() IS
'oltp_sim: forgets the recorded publications and replica identity of what was dropped';
REVOKE ALL ON FUNCTION @extschema@.oltp_sim_record_drop() FROM PUBLIC;

CREATE EVENT TRIGGER oltp_sim_record_ddl ON ddl_command_end
	WHEN TAG IN ('CREATE PUBLICATION', 'ALTER PUBLICATION', 'ALTER TABLE')
	EXECUTE FUNCTION @extschema@.oltp_sim_record_ddl();
CREATE EVENT TRIGGER oltp_sim_record_drop ON sql_drop
	WHEN TAG IN ('DROP PUBLICATION', 'DROP TABLE', 'DROP EXTENSION')
	EXECUTE FUNCTION @extschema@.oltp_sim_record_drop();

-- ---------------------------------------------------------------------------
-- The decoder's operations (streamed transactions with savepoints, rolled
-- back ones, logical messages): what they wrote, as the decoded stream
-- holds it.  Read like oltp_changes(): the function checks the reader.
-- ---------------------------------------------------------------------------
CREATE FUNCTION @extschema@.oltp_messages()
RETURNS TABLE (mode text, messages bigint, bytes bigint)
AS 'MODULE_PATHNAME', 'oltp_messages'
LANGUAGE C VOLATILE STRICT
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.oltp_messages() IS
'oltp_sim: logical messages the workers wrote that the decoded stream holds, transactional (committed) and non-transactional, with their payload bytes';
GRANT EXECUTE ON FUNCTION @extschema@.oltp_messages() TO PUBLIC;

CREATE FUNCTION @extschema@.oltp_aborted()
RETURNS TABLE (operation text, aborted bigint)
AS 'MODULE_PATHNAME', 'oltp_aborted'
LANGUAGE C VOLATILE STRICT
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.oltp_aborted() IS
'oltp_sim: per operation that rolls its transaction back on purpose, the transactions the workers rolled back';
GRANT EXECUTE ON FUNCTION @extschema@.oltp_aborted() TO PUBLIC;

-- ---------------------------------------------------------------------------
-- Announced changes of a table's schema or partitions (src/announce.c): the
-- history of the messages (prefix oltp_sim.schema) written with each change,
-- by the message's LSN.  Dumped with its rows; in no publication the
-- extension makes.
-- ---------------------------------------------------------------------------
CREATE TABLE @extschema@.oltp_sim_announcements (
	lsn pg_catalog.pg_lsn PRIMARY KEY,
	at pg_catalog.timestamptz NOT NULL,
	table_name pg_catalog.text NOT NULL,
	change pg_catalog.text NOT NULL,
	silent boolean NOT NULL,
	rows_silent bigint,
	message pg_catalog.jsonb NOT NULL
);
COMMENT ON TABLE @extschema@.oltp_sim_announcements IS
'oltp_sim: the announced changes of the tables'' schema or partitions, each with the LSN of its message';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.oltp_sim_announcements', '');
REVOKE ALL ON @extschema@.oltp_sim_announcements FROM PUBLIC;
GRANT SELECT ON @extschema@.oltp_sim_announcements TO pg_monitor;

CREATE FUNCTION @extschema@.oltp_announcements()
RETURNS TABLE (lsn pg_catalog.pg_lsn, at pg_catalog.timestamptz, table_name pg_catalog.text,
			   change pg_catalog.text, silent boolean, rows_silent bigint, message pg_catalog.jsonb)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
SELECT a.lsn, a.at, a.table_name, a.change, a.silent, a.rows_silent, a.message
FROM @extschema@.oltp_sim_announcements a
ORDER BY a.lsn
$$;
COMMENT ON FUNCTION @extschema@.oltp_announcements() IS
'oltp_sim: the announced changes of the tables'' schema or partitions, in the order of their messages'' LSNs';
REVOKE ALL ON FUNCTION @extschema@.oltp_announcements() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.oltp_announcements() TO pg_monitor;

CREATE FUNCTION @extschema@.oltp_announce_change(
	table_name pg_catalog.text,
	change pg_catalog.text,
	detail pg_catalog.jsonb DEFAULT NULL,
	silent boolean DEFAULT false,
	rows_silent bigint DEFAULT NULL)
RETURNS pg_catalog.pg_lsn
AS 'MODULE_PATHNAME', 'oltp_announce_change'
LANGUAGE C VOLATILE
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.oltp_announce_change(pg_catalog.text, pg_catalog.text, pg_catalog.jsonb, boolean, bigint) IS
'oltp_sim: announce a change of a table made by hand, as the stream announces its own: the message (prefix oltp_sim.schema) and the history row, in this transaction; returns the message''s LSN';
REVOKE ALL ON FUNCTION @extschema@.oltp_announce_change(pg_catalog.text, pg_catalog.text, pg_catalog.jsonb, boolean, bigint) FROM PUBLIC;

-- ---------------------------------------------------------------------------
-- The set partitions: a publication of the extension's tables that
-- publishes a partitioned table's changes under its own name
-- (via_partition_root true) or under its partitions' (false).  The
-- one-argument oltp_publication leaves the parameter as it is.
-- ---------------------------------------------------------------------------
CREATE FUNCTION @extschema@.oltp_publication(name text, via_partition_root boolean)
RETURNS text
AS 'MODULE_PATHNAME', 'oltp_publication'
LANGUAGE C VOLATILE STRICT
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.oltp_publication(text, boolean) IS
'oltp_sim: create or set the publication name of the extension''s tables, with publish_via_partition_root as given; returns its name';
REVOKE ALL ON FUNCTION @extschema@.oltp_publication(text, boolean) FROM PUBLIC;

