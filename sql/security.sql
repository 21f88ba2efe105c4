-- Look-alikes: a role that may create objects in a schema first in the
-- search_path (and in the extension's own schema) defines functions and
-- operators that would be chosen over pg_catalog's if any statement the
-- extension runs resolved a name through the search_path.  Each look-alike
-- gives the right answer and records that it ran, in a sequence (which a
-- rollback does not undo).  None may run while the extension is created,
-- while each of its functions runs, or while the worker streams.
--
-- The look-alikes are derived from what the extension runs: every function
-- name called in the install scripts or the C sources that pg_catalog
-- defines (each overload; polymorphic arguments and format's variadic
-- arguments over the types below; aggregates of one argument and count(*),
-- not window functions nor aggregates of two, which SQL cannot imitate
-- simply), and every pg_catalog operator over every pair of those types,
-- taken from the C statements' parameter types (INT8OID and the like), the
-- type names in the install scripts, and the catalog columns they read.
\getenv abs_srcdir PG_ABS_SRCDIR
SET client_min_messages = warning;
SET jit = off;

CREATE ROLE oltp_sec_evil;
CREATE SCHEMA evil AUTHORIZATION oltp_sec_evil;
GRANT CREATE ON SCHEMA public TO oltp_sec_evil;

-- the test's own helpers, which never resolve through the search_path
CREATE SCHEMA sec;
CREATE FUNCTION sec.await(cond text) RETURNS boolean
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
	deadline timestamptz := clock_timestamp() + interval '90 s';
	ok boolean;
BEGIN
	LOOP
		PERFORM pg_stat_clear_snapshot();
		EXECUTE cond INTO ok;
		IF ok THEN
			RETURN true;
		END IF;
		IF clock_timestamp() > deadline THEN
			RAISE WARNING 'timed out waiting for: %', cond;
			RETURN false;
		END IF;
		PERFORM pg_sleep(0.05);
	END LOOP;
END
$$;

-- what the extension runs: its install scripts and C sources
CREATE TABLE sec.source AS
SELECT 'sql' AS kind, pg_read_file(d.dir || '/' || f) AS text
FROM (SELECT setting || '/extension' AS dir FROM pg_config WHERE name = 'SHAREDIR') d,
	 pg_ls_dir(d.dir) AS f
WHERE f ~ '^oltp_sim--.*\.sql$'
UNION ALL
SELECT 'c', pg_read_file(:'abs_srcdir' || '/src/' || f)
FROM pg_ls_dir(:'abs_srcdir' || '/src') AS f WHERE f ~ '\.[ch]$';
SELECT count(*) > 3 AS read_sources FROM sec.source;

-- to_regtype, without the syntax errors of keywords
CREATE FUNCTION sec.to_type(name text) RETURNS regtype
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
	RETURN to_regtype(name);
EXCEPTION WHEN syntax_error THEN
	RETURN NULL;
END
$$;

-- the types: C parameter types, type names in the scripts, catalog columns read
CREATE TABLE sec.types AS
SELECT DISTINCT t::regtype AS t FROM (
	SELECT to_regtype(lower(m[1])) AS t
	FROM sec.source, regexp_matches(text, '\m([A-Z][A-Z0-9]*)OID\M', 'g') AS m
	WHERE kind = 'c'
	UNION ALL
	SELECT sec.to_type(w) FROM (
		SELECT DISTINCT m[1] AS w FROM sec.source,
			regexp_matches(text, '\m((?:double precision|[a-z][a-z0-9_]*)(?:\[\])?)', 'g') AS m
		WHERE kind = 'sql') words
	UNION ALL
	SELECT a.atttypid::regtype FROM sec.source,
		regexp_matches(text, '\mpg_catalog\.(pg_[a-z_]+) ([a-z]+)\M', 'g') AS r,
		regexp_matches(text, '\m' || r[2] || '\.([a-z_]+)\M', 'g') AS c,
		pg_attribute a
	WHERE a.attrelid = to_regclass('pg_catalog.' || r[1]) AND a.attname = c[1]
) s JOIN pg_type ty ON ty.oid = s.t
WHERE ty.typtype = 'b' AND ty.typnamespace = 'pg_catalog'::regnamespace;
-- the statements' own types are among them
SELECT count(*) FILTER (WHERE t IN ('bigint', 'double precision', 'text', 'character varying',
									'timestamp', 'date', 'integer', 'name', 'oid', '"char"',
									'text[]')) AS known_types
FROM sec.types;

-- the function names
CREATE TABLE sec.fnames AS
SELECT DISTINCT m[1] AS name
FROM sec.source, regexp_matches(text, '\m([a-z_][a-z0-9_]*)\s*\(', 'g') AS m
WHERE EXISTS (SELECT FROM pg_proc p WHERE p.proname = m[1]
			  AND p.pronamespace = 'pg_catalog'::regnamespace);
SELECT count(*) FILTER (WHERE name IN ('format', 'unnest', 'floor', 'min', 'max', 'count',
									   'now', 'lower', 'string_agg', 'row_number'))
	AS known_functions
FROM sec.fnames;

-- the attacker's look-alikes, in its own schema and in the extension's
GRANT USAGE ON SCHEMA sec TO oltp_sec_evil;
GRANT SELECT ON sec.types, sec.fnames TO oltp_sec_evil;
SET ROLE oltp_sec_evil;
-- the counter of each group of look-alikes ("public.operator =")
CREATE TABLE evil.lookalikes (counter regclass, what text);
CREATE FUNCTION evil.counter(what text) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
	c regclass := (SELECT l.counter FROM evil.lookalikes l WHERE l.what = counter.what);
	seq text := format('evil.called_%s', (SELECT count(*) + 1 FROM evil.lookalikes));
BEGIN
	IF c IS NULL THEN
		EXECUTE format('CREATE SEQUENCE %s', seq);
		c := seq::regclass;
		INSERT INTO evil.lookalikes VALUES (c, what);
	END IF;
	RETURN format('%L::pg_catalog.regclass', c::text);
END
$$;
-- A look-alike function sch.fname (sch.lookalike_N without fname) of
-- arguments args: it advances the counter of what and returns what call
-- (pg_catalog's own, over $1, $2, ...) returns.  NULL when pg_catalog has
-- no such call.
CREATE FUNCTION evil.imitate(sch text, what text, args regtype[], call text,
							 retset boolean DEFAULT false, fname text DEFAULT NULL) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
	probe text := call;
	res regtype;
	fn text;
BEGIN
	-- two overloads of pg_catalog's can give the same arguments
	IF fname IS NOT NULL AND
	   to_regprocedure(format('%I.%I(%s)', sch, fname, array_to_string(args, ','))) IS NOT NULL THEN
		RETURN NULL;
	END IF;
	FOR i IN REVERSE coalesce(cardinality(args), 0)..1 LOOP
		probe := replace(probe, '$' || i, format('NULL::%s', args[i]));
	END LOOP;
	BEGIN
		IF retset THEN
			EXECUTE format('CREATE TEMP VIEW lookalike_probe AS SELECT %s AS v', probe);
			res := (SELECT atttypid FROM pg_attribute
					WHERE attrelid = 'lookalike_probe'::regclass AND attname = 'v');
			DROP VIEW lookalike_probe;
		ELSE
			EXECUTE format('SELECT pg_typeof(%s)', probe) INTO res;
		END IF;
	EXCEPTION WHEN OTHERS THEN
		RETURN NULL;
	END;
	fn := format('%I.%I', sch, coalesce(fname, 'lookalike_' || (SELECT count(*) FROM pg_proc
																  WHERE pronamespace = sch::regnamespace)));
	EXECUTE format('CREATE FUNCTION %s(%s) RETURNS %s%s IMMUTABLE LANGUAGE sql AS %L',
				   fn, coalesce(array_to_string(args, ', '), ''),
				   CASE WHEN retset THEN 'SETOF ' ELSE '' END, res,
				   format('SELECT %s FROM pg_catalog.nextval(%s)', call,
						  evil.counter(sch || '.' || what)));
	RETURN fn;
END
$$;
-- the argument lists to imitate a pg_catalog function with: its own when
-- they are among the types; polymorphic ones over each type; a variadic
-- "any" (format) as one or two arguments of any of the types
CREATE FUNCTION evil.signatures(p oid) RETURNS SETOF regtype[]
LANGUAGE sql SET search_path = pg_catalog AS $$
	WITH fn AS (
		SELECT proargtypes::regtype[] AS args, provariadic = '"any"'::regtype AS va FROM pg_proc WHERE oid = p
	), elem AS (
		SELECT t, typarray::regtype AS arr FROM sec.types JOIN pg_type ON pg_type.oid = t
		WHERE typarray <> 0
	), subst AS (
		SELECT ARRAY(SELECT CASE
							WHEN a IN ('anyelement', 'anynonarray', 'anycompatible',
									   'anycompatiblenonarray', '"any"') THEN e.t
							WHEN a IN ('anyarray', 'anycompatiblearray') THEN e.arr
							ELSE a END
					 FROM unnest(fn.args) WITH ORDINALITY AS u(a, i) ORDER BY i) AS args, fn.va
		FROM fn, elem e
	)
	SELECT DISTINCT s.args FROM subst s
	WHERE NOT s.va AND s.args <@ ARRAY(SELECT t FROM sec.types UNION SELECT arr FROM elem)::regtype[]
	UNION
	SELECT s.args[1:cardinality(s.args) - 1] || v FROM subst s,
		(SELECT ARRAY[t] AS v FROM sec.types UNION ALL
		 SELECT ARRAY[a.t, b.t] FROM sec.types a, sec.types b) vs
	WHERE s.va
$$;

DO $$
DECLARE
	sch text;
	o record;
	f record;
	l regtype;
	r regtype;
	args regtype[];
	fn text;
	fin text;
BEGIN
	-- the look-alikes made in public must not capture this block's own calls
	PERFORM pg_catalog.set_config('search_path', 'pg_catalog', true);
	FOREACH sch IN ARRAY ARRAY['evil', 'public'] LOOP
		-- every pg_catalog operator name over every pair of the types
		FOR o IN SELECT DISTINCT oprname, oprkind = 'l' AS prefix FROM pg_catalog.pg_operator
				 WHERE oprnamespace = 'pg_catalog'::regnamespace AND oprkind IN ('b', 'l')
				   AND (oprleft = 0 OR oprleft IN (SELECT t FROM sec.types))
				   AND oprright IN (SELECT t FROM sec.types)
		LOOP
			FOR l IN SELECT t FROM sec.types WHERE NOT o.prefix UNION ALL SELECT NULL WHERE o.prefix LOOP
				FOR r IN SELECT t FROM sec.types LOOP
					fn := evil.imitate(sch, 'operator ' || o.oprname,
									   CASE WHEN o.prefix THEN ARRAY[r] ELSE ARRAY[l, r] END,
									   CASE WHEN o.prefix
									   THEN format('OPERATOR(pg_catalog.%s) $1', o.oprname)
									   ELSE format('$1 OPERATOR(pg_catalog.%s) $2', o.oprname) END);
					CONTINUE WHEN fn IS NULL;
					EXECUTE format('CREATE OPERATOR %I.%s (%s RIGHTARG = %s, FUNCTION = %s)',
								   sch, o.oprname,
								   CASE WHEN o.prefix THEN '' ELSE format('LEFTARG = %s,', l) END,
								   r, fn);
				END LOOP;
			END LOOP;
		END LOOP;
		-- every pg_catalog function the extension calls, by name
		FOR f IN SELECT p.oid, p.proname, p.prokind, p.proretset, p.pronargs
				 FROM pg_catalog.pg_proc p LEFT JOIN pg_catalog.pg_aggregate a ON a.aggfnoid = p.oid
				 WHERE p.pronamespace = 'pg_catalog'::regnamespace
				   AND NOT coalesce(p.proargmodes && '{o,b,t}'::"char"[], false)
				   AND p.proname IN (SELECT name FROM sec.fnames)
				   AND (p.prokind = 'f' OR (p.prokind = 'a' AND a.aggkind = 'n' AND p.pronargs <= 1))
		LOOP
			FOR args IN SELECT evil.signatures(f.oid) LOOP
				CONTINUE WHEN to_regprocedure(format('%I.%I(%s)', sch, f.proname,
													 array_to_string(args, ','))) IS NOT NULL;
				IF f.prokind = 'f' THEN
					PERFORM evil.imitate(sch, 'function ' || f.proname, args,
										 format('pg_catalog.%I(%s)', f.proname,
												(SELECT string_agg('$' || i, ', ')
												 FROM generate_series(1, cardinality(args)) AS i)),
										 f.proretset, f.proname);
				ELSIF f.pronargs = 0 THEN
					-- count(*): counts its rows
					fin := evil.imitate(sch, 'function ' || f.proname, ARRAY['bigint'::regtype], '$1');
					CONTINUE WHEN fin IS NULL;
					EXECUTE format('CREATE AGGREGATE %I.%I(*) (SFUNC = pg_catalog.int8inc, STYPE = bigint, '
								   'INITCOND = 0, FINALFUNC = %s)', sch, f.proname, fin);
				ELSE
					-- gathers its arguments, then runs pg_catalog's over them
					fin := evil.imitate(sch, 'function ' || f.proname,
										ARRAY[(SELECT typarray FROM pg_catalog.pg_type WHERE oid = args[1])::regtype],
										format('(SELECT pg_catalog.%I(x) FROM pg_catalog.unnest($1) AS x)', f.proname));
					CONTINUE WHEN fin IS NULL;
					EXECUTE format('CREATE AGGREGATE %I.%I(%s) (SFUNC = pg_catalog.array_append, STYPE = %s, '
								   'FINALFUNC = %s)', sch, f.proname, args[1],
								   (SELECT typarray FROM pg_catalog.pg_type WHERE oid = args[1])::regtype, fin);
				END IF;
			END LOOP;
		END LOOP;
	END LOOP;
END
$$;
GRANT USAGE ON SCHEMA evil TO PUBLIC;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA evil TO PUBLIC;
RESET ROLE;
SELECT count(*) > 500 AS operators, count(DISTINCT oprname) > 10 AS operator_names
FROM pg_operator WHERE oprnamespace = 'evil'::regnamespace;
-- among them, those the issue found
SELECT count(*) AS known_lookalikes FROM pg_proc p
WHERE p.oid::regprocedure::text IN ('format(text,name,text)', 'unnest(text[])')
UNION ALL
SELECT count(*) FROM pg_operator
WHERE oprnamespace = 'public'::regnamespace AND ((oprname = '*' AND oprleft = 'float8'::regtype
	  AND oprright = 'int8'::regtype) OR (oprname = '=' AND oprleft = 'varchar'::regtype
	  AND oprright = 'varchar'::regtype));

-- the look-alikes that ran since the last clear
CREATE FUNCTION sec.clear() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
	c regclass;
BEGIN
	FOR c IN SELECT counter FROM evil.lookalikes LOOP
		PERFORM setval(c, 1, false);
	END LOOP;
END
$$;
CREATE FUNCTION sec.called() RETURNS SETOF text
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
	l record;
	n bigint;
BEGIN
	FOR l IN SELECT * FROM evil.lookalikes ORDER BY what LOOP
		EXECUTE format('SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM %s', l.counter)
			INTO n;
		IF n > 0 THEN
			RETURN NEXT format('%s ran %s times', l.what, n);
		END IF;
	END LOOP;
END
$$;
-- what the extension's objects depend on among the look-alikes
CREATE FUNCTION sec.bound() RETURNS SETOF text
LANGUAGE sql SET search_path = pg_catalog AS $$
	SELECT pg_describe_object(d.classid, d.objid, d.objsubid) || ' uses '
		   || pg_describe_object(d.refclassid, d.refobjid, 0)
	FROM pg_depend d
	WHERE (d.refclassid = 'pg_operator'::regclass AND d.refobjid IN
		   (SELECT oid FROM pg_operator WHERE oprnamespace IN ('evil'::regnamespace, 'public'::regnamespace)))
	   OR (d.refclassid = 'pg_proc'::regclass AND d.refobjid IN
		   (SELECT oid FROM pg_proc WHERE pronamespace IN ('evil'::regnamespace, 'public'::regnamespace)
			AND proname !~ '^(lookalike_|oltp_)'))
	ORDER BY 1
$$;

-- the worker's role and the database put the attacker's schema first
SELECT current_database() AS db \gset
ALTER ROLE CURRENT_USER IN DATABASE :"db" SET search_path = evil, public, pg_catalog;
ALTER DATABASE :"db" SET search_path = evil, public, pg_catalog;
SELECT pid AS old_pid FROM pg_stat_activity WHERE backend_type = 'oltp_sim worker' \gset
SELECT pg_terminate_backend(:old_pid);
SELECT sec.await($$SELECT count(*) = 1 FROM pg_stat_activity
	WHERE backend_type = 'oltp_sim worker' AND pid <> $$ || :old_pid);

-- 0. 0.1.0 bound a look-alike operator into a partial index and a CHECK
-- constraint; the update to the current version leaves none
SET search_path = evil, public, pg_catalog;
CREATE EXTENSION oltp_sim VERSION '0.1.0' SCHEMA public;
RESET search_path;
SELECT * FROM sec.bound();
SELECT sec.clear();
SET search_path = evil, public, pg_catalog;
ALTER EXTENSION oltp_sim UPDATE;
RESET search_path;
SELECT * FROM sec.called();
SELECT * FROM sec.bound();
DROP EXTENSION oltp_sim;

-- 1. CREATE EXTENSION, in a schema the attacker can write to
SELECT sec.clear();
SET search_path = evil, public, pg_catalog;
CREATE EXTENSION oltp_sim SCHEMA public;
RESET search_path;
SELECT * FROM sec.called();
SELECT * FROM sec.bound();

-- 2. every function, called with the attacker's schema first (what they
-- return is tested elsewhere: one row each says they ran)
SELECT sec.clear();
SET search_path = evil, public, pg_catalog;
SELECT true AS ran
FROM oltp_seed('{"pacientes": 200, "medicos": 20, "convenios": 5, "pacientes_convenios": 300,
				 "consultas": 300, "exames": 200, "internacoes": 100}', seed => 5) LIMIT 1;
-- patients that already exist get insurers too
SELECT true AS ran
FROM oltp_seed('{"pacientes": 10, "medicos": 0, "convenios": 0, "pacientes_convenios": 30,
				 "consultas": 10, "exames": 10, "internacoes": 10}', seed => 6) LIMIT 1;
SELECT true AS ran
FROM oltp_reset('{"pacientes": 200, "medicos": 20, "convenios": 5, "pacientes_convenios": 300,
				  "consultas": 300, "exames": 200, "internacoes": 100}', seed => 5) LIMIT 1;
SELECT true AS ran FROM oltp_counts() LIMIT 1;
SELECT true AS ran FROM oltp_checksums(exclude_columns => '{created_at,updated_at}') LIMIT 1;
CALL oltp_run(ops => 30, seed => 1, anchor => '2026-01-15');
-- the opt-in sets: dropped, and added again for the stream below
SELECT table_name FROM oltp_add_tables('edge_cases', seed => 5) ORDER BY 1;
SELECT table_name FROM oltp_drop_tables('edge_cases') ORDER BY 1;
SELECT table_name FROM oltp_add_tables('edge_cases', seed => 5) ORDER BY 1;
SELECT table_name FROM oltp_add_tables('types', seed => 5) ORDER BY 1;
SELECT table_name FROM oltp_drop_tables('types') ORDER BY 1;
SELECT table_name FROM oltp_add_tables('types', seed => 5) ORDER BY 1;
SELECT table_name FROM oltp_add_tables('audit', seed => 5) ORDER BY 1;
SELECT table_name FROM oltp_drop_tables('audit') ORDER BY 1;
SELECT table_name FROM oltp_add_tables('audit', seed => 5) ORDER BY 1;
SELECT table_name FROM oltp_add_tables('partitions', seed => 5) ORDER BY 1;
SELECT table_name FROM oltp_drop_tables('partitions') ORDER BY 1;
SELECT table_name FROM oltp_add_tables('partitions', seed => 5) ORDER BY 1;
SELECT table_name FROM oltp_add_tables('schema_changes') ORDER BY 1;
SELECT oltp_publication('oltp_sec');
SELECT oltp_publication('oltp_sec');
SELECT oltp_publication('');
SELECT oltp_publication('a_publication_name_of_sixty_four_bytes_is_one_byte_too_long_1234');
SELECT true AS ran FROM oltp_replica_identity('full', ARRAY['exames']) LIMIT 1;
SELECT true AS ran FROM oltp_replica_identity('default') LIMIT 1;
SELECT oltp_replica_identity('index');
SELECT oltp_replica_identity('full', ARRAY['exames', 'nope']);
SELECT true AS ran FROM oltp_operations() LIMIT 1;
SELECT true AS ran FROM oltp_status();
SELECT true AS ran FROM oltp_sim_operations LIMIT 1;
SELECT true AS ran FROM oltp_sim_status;
SELECT true AS ran FROM oltp_tables() LIMIT 1;
SELECT true AS ran FROM oltp_columns() LIMIT 1;
SELECT true AS ran FROM oltp_changes() LIMIT 1;
SELECT true AS ran FROM oltp_sim_changes LIMIT 1;
SELECT true AS ran FROM oltp_messages() LIMIT 1;
SELECT true AS ran FROM oltp_aborted() LIMIT 1;
SELECT NOT EXISTS (SELECT FROM oltp_held_transactions()) AS ran;
SELECT NOT EXISTS (SELECT FROM oltp_sim_held_transactions) AS ran;
SELECT oltp_announce_change('medicos', 'security_check') IS NOT NULL AS ran;
SELECT true AS ran FROM oltp_announcements() LIMIT 1;
UPDATE medicos SET telefone = telefone;
SELECT oltp_start();
SELECT oltp_stop();
RESET search_path;
SELECT * FROM sec.called();
-- the functions above are all there is
SELECT p.oid::regprocedure AS not_called FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'oltp_sim')
  AND d.deptype = 'e' AND p.proname NOT IN ('oltp_seed', 'oltp_reset', 'oltp_counts',
	'oltp_publication', 'oltp_replica_identity', 'oltp_operations', 'oltp_status',
	'oltp_start', 'oltp_stop', 'oltp_sim_touch_updated_at', 'oltp_tables', 'oltp_columns',
	'oltp_changes', 'oltp_checksums', 'oltp_run', 'oltp_add_tables', 'oltp_drop_tables',
	'oltp_held_transactions', 'oltp_messages', 'oltp_aborted',
	-- the records for pg_dump: their triggers ran in the calls above
	-- (oltp_seed's CREATE PUBLICATION, oltp_replica_identity's ALTER TABLE,
	-- oltp_drop_tables's DROP EXTENSION)
	'oltp_sim_record_ddl', 'oltp_sim_record_drop', 'oltp_sim_apply_replica_identity', 'oltp_sim_own_table',
	'oltp_sim_guard_records',
	-- announced changes
	'oltp_announcements', 'oltp_announce_change');

-- 3. the worker streams, as a role whose search_path puts the attacker first
SET search_path = pg_catalog;
-- every operation equally often, those of the sets added above too
SELECT format('ALTER SYSTEM SET oltp_sim.weight_%s = 1', operation)
FROM public.oltp_operations() ORDER BY 1 \gexec
ALTER SYSTEM SET oltp_sim.long_transaction = '10ms';
ALTER SYSTEM SET oltp_sim.abort_hold = '10ms';
SELECT pg_reload_conf();
SELECT sec.await($$SELECT sum(weight) = count(*) FROM public.oltp_operations()$$);
-- (the operations that roll back on purpose count as aborted, not committed)
CREATE VIEW sec.done AS SELECT o.operation, o.committed + coalesce(a.aborted, 0) AS done, o.errors,
		o.kind LIKE 'schema%' AS alters
	FROM public.oltp_operations() o LEFT JOIN public.oltp_aborted() a USING (operation);
CREATE TABLE sec.ops0 AS SELECT operation, done, errors FROM sec.done;
SELECT sec.clear();
SELECT public.oltp_start();
SELECT sec.await($$SELECT bool_and(o.done > s.done) AND sum(o.done - s.done) >= 1000
	FROM sec.done o JOIN sec.ops0 s USING (operation)$$);
SELECT public.oltp_stop();
SELECT sec.await($$SELECT state = 'paused' FROM public.oltp_status()$$);
SELECT sum(o.errors - s.errors) AS errors
FROM public.oltp_operations() o JOIN sec.ops0 s USING (operation);
SELECT * FROM sec.called();
SELECT * FROM sec.bound();

-- 3b. a trigger added by hand whose function sets no search_path runs with
-- the worker's, and so does not find the look-alike either.  A worker
-- running as a superuser writes to no table carrying a trigger the
-- extension did not make: it says so and waits.  Running as a role that is
-- not a superuser, with the grants the README lists (and the attacker's
-- search_path too), it streams, and the trigger runs as that role.
CREATE FUNCTION sec.peek() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM NEW.status = 'agendada';
	RETURN NULL;
END
$$;
CREATE TRIGGER peek AFTER INSERT ON public.consultas
	FOR EACH ROW EXECUTE FUNCTION sec.peek();
SELECT public.oltp_start();
SELECT sec.await($$SELECT state = 'waiting' FROM public.oltp_status()$$);
SELECT state, detail FROM public.oltp_status();
SELECT public.oltp_stop();
CREATE ROLE oltp_sec_writer LOGIN;
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public TO oltp_sec_writer;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO oltp_sec_writer;
-- the partition operations' functions, as the README lists them
GRANT EXECUTE ON FUNCTION public.oltp_sim_eventos_leito_create_next(date), public.oltp_sim_eventos_leito_detach(date),
	public.oltp_sim_eventos_leito_attach(), public.oltp_sim_eventos_leito_truncate(date),
	public.oltp_sim_eventos_leito_drop(date) TO oltp_sec_writer;
ALTER ROLE oltp_sec_writer IN DATABASE :"db" SET search_path = evil, public, pg_catalog;
ALTER SYSTEM SET oltp_sim.role = 'oltp_sec_writer';
SELECT pg_reload_conf();
SELECT sec.await($$SELECT count(*) = 1 FROM pg_stat_activity
	WHERE backend_type = 'oltp_sim worker' AND usename = 'oltp_sec_writer'$$);
CREATE TABLE sec.ops1 AS SELECT operation, done, errors FROM sec.done;
SELECT sec.clear();
SELECT public.oltp_start();
-- (a change of a table's schema needs its owner: this role, granted the
-- rows only, skips them)
SELECT sec.await($$SELECT bool_and(o.done > s.done OR o.alters) AND sum(o.done - s.done) >= 1000
	FROM sec.done o JOIN sec.ops1 s USING (operation)$$);
SELECT public.oltp_stop();
SELECT sec.await($$SELECT state = 'paused' FROM public.oltp_status()$$);
SELECT sum(o.errors - s.errors) AS errors
FROM public.oltp_operations() o JOIN sec.ops1 s USING (operation);
SELECT * FROM sec.called();
SELECT * FROM sec.bound();
DROP TRIGGER peek ON public.consultas;
DROP VIEW sec.done;
SELECT format('ALTER SYSTEM RESET oltp_sim.weight_%s', operation)
FROM public.oltp_operations() ORDER BY 1 \gexec
ALTER SYSTEM RESET oltp_sim.long_transaction;
ALTER SYSTEM RESET oltp_sim.abort_hold;
ALTER SYSTEM RESET oltp_sim.role;
SELECT pg_reload_conf();
SELECT sec.await($$SELECT count(*) = 1 FROM pg_stat_activity
	WHERE backend_type = 'oltp_sim worker' AND usename <> 'oltp_sec_writer'$$);
RESET search_path;

-- 4. a publication name PostgreSQL would truncate is refused; the longest
-- it keeps works, and again
SELECT oltp_publication(repeat('p', 64));
SELECT length(oltp_publication(repeat('p', 63))) AS created,
	   length(oltp_publication(repeat('p', 63))) AS updated;
-- (its tables as listed, not pg_publication_tables, which lists a
-- partitioned table's partitions, as many as the stream left; and not
-- precos_lote, which the stream above may have left made)
SELECT count(*) AS published FROM pg_publication_rel r JOIN pg_publication p ON p.oid = r.prpubid
WHERE p.pubname = repeat('p', 63) AND r.prrelid <> coalesce(to_regclass('precos_lote'), 0);
SELECT count(*) AS truncated FROM pg_publication WHERE pubname LIKE 'ppp%' AND length(pubname) <> 63;
SELECT format('DROP PUBLICATION %I', repeat('p', 63)) \gexec

-- 5. the stream's state (last_error can carry row values) is for the owner
-- and pg_monitor, through the functions and the views alike
CREATE ROLE oltp_sec_plain;
CREATE ROLE oltp_sec_monitor IN ROLE pg_monitor;
SET ROLE oltp_sec_plain;
SELECT workers FROM oltp_status();
SELECT count(*) > 0 AS readable FROM oltp_operations();
SELECT workers FROM oltp_sim_status;
SELECT count(*) > 0 AS readable FROM oltp_sim_operations;
SELECT count(*) > 0 AS readable FROM oltp_changes();
SELECT count(*) > 0 AS readable FROM oltp_sim_changes;
SELECT NOT EXISTS (SELECT FROM oltp_held_transactions()) AS readable;
SELECT NOT EXISTS (SELECT FROM oltp_sim_held_transactions) AS readable;
-- the model describes what the catalog shows anyone
SELECT count(*) > 0 AS readable FROM oltp_tables();
SELECT count(*) > 0 AS readable FROM oltp_columns();
SET ROLE oltp_sec_monitor;
SELECT workers FROM oltp_status();
SELECT count(*) > 0 AS readable FROM oltp_operations();
SELECT workers FROM oltp_sim_status;
SELECT count(*) > 0 AS readable FROM oltp_sim_operations;
SELECT count(*) > 0 AS readable FROM oltp_changes();
SELECT count(*) > 0 AS readable FROM oltp_sim_changes;
SELECT NOT EXISTS (SELECT FROM oltp_held_transactions()) AS readable;
SELECT NOT EXISTS (SELECT FROM oltp_sim_held_transactions) AS readable;
RESET ROLE;
-- the functions check the privilege themselves, with PUBLIC's grant left
-- out (src/privilege.c): the catalog lets every role call them, the call
-- refuses; an explicit GRANT EXECUTE lets a role in (and a member of that
-- role), for the function and its view; REVOKE shuts it out again
SELECT has_function_privilege('public', 'oltp_status()', 'EXECUTE') AS public_may_call;
GRANT EXECUTE ON FUNCTION oltp_status(), oltp_changes() TO oltp_sec_plain;
CREATE ROLE oltp_sec_member IN ROLE oltp_sec_plain;
SET ROLE oltp_sec_plain;
SELECT workers FROM oltp_status();
SELECT workers FROM oltp_sim_status;
SELECT count(*) > 0 AS readable FROM oltp_sim_changes;
SELECT count(*) > 0 AS readable FROM oltp_operations();
SET ROLE oltp_sec_member;
SELECT workers FROM oltp_status();
RESET ROLE;
REVOKE EXECUTE ON FUNCTION oltp_status(), oltp_changes() FROM oltp_sec_plain;
SET ROLE oltp_sec_member;
SELECT workers FROM oltp_sim_status;
RESET ROLE;
-- the owner that revoked its own EXECUTE is refused, as PostgreSQL would
-- refuse it; a superuser is not
CREATE ROLE oltp_sec_owner;
ALTER FUNCTION oltp_changes() OWNER TO oltp_sec_owner;
REVOKE EXECUTE ON FUNCTION oltp_changes() FROM oltp_sec_owner;
SET ROLE oltp_sec_owner;
SELECT count(*) > 0 AS readable FROM oltp_changes();
RESET ROLE;
SELECT count(*) > 0 AS readable FROM oltp_changes();
ALTER FUNCTION oltp_changes() OWNER TO CURRENT_USER;
DROP ROLE oltp_sec_member;
DROP ROLE oltp_sec_plain;
DROP ROLE oltp_sec_monitor;
DROP ROLE oltp_sec_owner;

ALTER ROLE CURRENT_USER IN DATABASE :"db" RESET search_path;
ALTER DATABASE :"db" RESET search_path;
DROP PUBLICATION oltp_sec;
-- the set's own drop, which drops the tables the stream detached too
-- (DROP EXTENSION leaves them: they are no members)
SELECT table_name FROM oltp_drop_tables('partitions');
DROP EXTENSION oltp_sim CASCADE;
DROP SCHEMA sec CASCADE;
DROP SCHEMA evil CASCADE;
DROP OWNED BY oltp_sec_evil;
DROP ROLE oltp_sec_evil;
DROP OWNED BY oltp_sec_writer;
DROP ROLE oltp_sec_writer;
