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
