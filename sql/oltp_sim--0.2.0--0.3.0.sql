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

-- CALL oltp_run takes a profile and weights of its own, for the call alone
-- (src/run.c): the settings oltp_sim.profile and oltp_sim.weight_* are the
-- server's, shared with the workers, and cannot be SET in a session.
DROP PROCEDURE @extschema@.oltp_run(bigint, bigint, timestamp);
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
