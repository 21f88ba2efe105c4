/* oltp_sim_partitions--0.3.0.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "SELECT oltp_add_tables('partitions')" to load this file. \quit

-- The opt-in table set partitions, an extension of its own (as edge_cases
-- and types are): eventos_leito, what happens to each bed, partitioned by
-- month on ocorrido_em, with a default partition.  oltp_add_tables
-- ('partitions') creates it in oltp_sim's schema, creates the partitions of
-- the seed's months (oltp_sim_eventos_leito_prepare) and seeds it; the
-- table is described in src/model.c as well.  The month partitions are not
-- members of the extension: the stream creates, detaches, attaches,
-- truncates and drops them (src/op_evento_leito.c, through the functions
-- below), and a member could not be dropped.  Every function and operator
-- is pg_catalog's, named so.

DO $$
DECLARE
	core pg_catalog.oid;
	mine pg_catalog.oid;
BEGIN
	SELECT e.extnamespace INTO core FROM pg_catalog.pg_extension e
	WHERE e.extname OPERATOR(pg_catalog.=) 'oltp_sim'::pg_catalog.name;
	SELECT e.extnamespace INTO mine FROM pg_catalog.pg_extension e
	WHERE e.extname OPERATOR(pg_catalog.=) 'oltp_sim_partitions'::pg_catalog.name;
	IF core OPERATOR(pg_catalog.<>) mine THEN
		RAISE EXCEPTION 'extension "oltp_sim_partitions" must be created in schema "%", the schema of extension "oltp_sim"',
			core::pg_catalog.regnamespace
			USING ERRCODE = 'invalid_schema_name',
				  DETAIL = pg_catalog.format('It was to be created in schema "%s". Its tables use the functions of oltp_sim.', mine::pg_catalog.regnamespace),
				  HINT = 'Run SELECT oltp_add_tables(''partitions''); it creates the set where it belongs and seeds it.';
	END IF;
END
$$;

CREATE TABLE @extschema@.eventos_leito (
	id bigserial,
	leito varchar(10) NOT NULL,
	evento varchar(20) NOT NULL,
	ocorrido_em timestamp NOT NULL,
	observacao varchar(200),
	created_at timestamp NOT NULL DEFAULT pg_catalog.now(),
	updated_at timestamp NOT NULL DEFAULT pg_catalog.now(),
	PRIMARY KEY (id, ocorrido_em)
) PARTITION BY RANGE (ocorrido_em);
-- every row of a month without a partition of its own
CREATE TABLE @extschema@.eventos_leito_default PARTITION OF @extschema@.eventos_leito DEFAULT;
CREATE TRIGGER eventos_leito_updated_at BEFORE UPDATE ON @extschema@.eventos_leito
	FOR EACH ROW EXECUTE FUNCTION @extschema@.oltp_sim_touch_updated_at();

-- The tables the stream detached, by OID: only a table recorded here is
-- attached again or dropped as detached, never one found by name alone.
-- Not published, not dumped (a restored table has another OID).
CREATE TABLE @extschema@.oltp_sim_eventos_leito_detached (
	relid pg_catalog.oid PRIMARY KEY,
	mes date NOT NULL
);

-- pg_dump writes the rows of the default partition and the sequence's
-- position (the month partitions are not members: pg_dump writes them and
-- their rows as any table)
SELECT pg_catalog.pg_extension_config_dump('@extschema@.eventos_leito_default', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.eventos_leito_id_seq', '');

-- The month partitions of eventos_leito, by month: the first day of each.
-- A partition the stream made is called eventos_leito_YYYY_MM.
CREATE FUNCTION @extschema@.oltp_sim_eventos_leito_months()
RETURNS TABLE (relid pg_catalog.oid, relname pg_catalog.name, mes date)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT c.oid, c.relname,
		   pg_catalog.to_date(pg_catalog.substr(c.relname::pg_catalog.text, 15), 'YYYY_MM')
	FROM pg_catalog.pg_inherits i
	JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) i.inhrelid
	WHERE i.inhparent OPERATOR(pg_catalog.=) '@extschema@.eventos_leito'::pg_catalog.regclass
	  AND c.relname::pg_catalog.text OPERATOR(pg_catalog.~) '^eventos_leito_[0-9]{4}_[0-9]{2}$'
	ORDER BY 3
$$;
COMMENT ON FUNCTION @extschema@.oltp_sim_eventos_leito_months() IS
'oltp_sim: the month partitions of eventos_leito attached now, oldest first';

-- The month partitions of months before antes's, oldest first: the ones
-- the stream detaches, truncates and drops.
CREATE FUNCTION @extschema@.oltp_sim_eventos_leito_old(antes date)
RETURNS TABLE (relid pg_catalog.oid, relname pg_catalog.name, mes date)
LANGUAGE sql STABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT m.relid, m.relname, m.mes FROM @extschema@.oltp_sim_eventos_leito_months() m
	WHERE m.mes OPERATOR(pg_catalog.<) pg_catalog.date_trunc('month', antes::timestamp)::date
	ORDER BY m.mes
$$;
COMMENT ON FUNCTION @extschema@.oltp_sim_eventos_leito_old(date) IS
'oltp_sim: the month partitions of eventos_leito of months before antes''s, oldest first';

-- Create the partition of the month of mes, unless a table of its name
-- exists (attached or detached), or a type (whose name the table's row type
-- would take): returns its name, or NULL.  Locks wait at
-- most lock_timeout; a default partition holding rows of the month makes
-- it fail (check_violation): the stream counts both as skipped.
CREATE FUNCTION @extschema@.oltp_sim_eventos_leito_create(mes date)
RETURNS text
LANGUAGE plpgsql VOLATILE STRICT
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET lock_timeout = '100ms'
SET datestyle = 'ISO, YMD'
AS $$
DECLARE
	first date := pg_catalog.date_trunc('month', mes::timestamp)::date;
	name text := 'eventos_leito_' OPERATOR(pg_catalog.||) pg_catalog.to_char(first, 'YYYY_MM');
BEGIN
	IF EXISTS (SELECT FROM pg_catalog.pg_class c
			   WHERE c.relname OPERATOR(pg_catalog.=) name::pg_catalog.name
				 AND c.relnamespace OPERATOR(pg_catalog.=) '@extschema@'::pg_catalog.regnamespace)
	   OR EXISTS (SELECT FROM pg_catalog.pg_type t
				  WHERE t.typname OPERATOR(pg_catalog.=) name::pg_catalog.name
					AND t.typnamespace OPERATOR(pg_catalog.=) '@extschema@'::pg_catalog.regnamespace) THEN
		RETURN NULL;
	END IF;
	EXECUTE pg_catalog.format('CREATE TABLE %s.%I PARTITION OF %s.eventos_leito FOR VALUES FROM (%L) TO (%L)',
		'@extschema@'::pg_catalog.regnamespace, name, '@extschema@'::pg_catalog.regnamespace,
		first::timestamp, (first OPERATOR(pg_catalog.+) '1 mon'::pg_catalog.interval)::timestamp);
	RETURN name;
END
$$;
COMMENT ON FUNCTION @extschema@.oltp_sim_eventos_leito_create(date) IS
'oltp_sim: creates the partition of eventos_leito of the month of mes, returns its name (NULL if a table or type of that name exists)';

-- The next month's partition (of the month after hoje's); when it exists,
-- the newest missing one of the three months before hoje's and hoje's own
-- (one dropped or detached before): returns its name, or NULL when none is
-- missing or each missing one's rows are in the default partition.  The
-- stream's create_partition: the months it makes stay within those five,
-- and drop_partition drops the old ones again.
CREATE FUNCTION @extschema@.oltp_sim_eventos_leito_create_next(hoje date)
RETURNS text
LANGUAGE plpgsql VOLATILE STRICT
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	this date := pg_catalog.date_trunc('month', hoje::timestamp)::date;
	m date;
	made text;
BEGIN
	FOR m IN SELECT (this OPERATOR(pg_catalog.+) pg_catalog.make_interval(months => k))::date
			 FROM pg_catalog.generate_series(1, -3, -1) k LOOP
		BEGIN
			made := @extschema@.oltp_sim_eventos_leito_create(m);
		EXCEPTION WHEN check_violation THEN
			-- the default partition holds rows of that month: they stay there
			made := NULL;
		END;
		IF made IS NOT NULL THEN
			RETURN made;
		END IF;
	END LOOP;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.oltp_sim_eventos_leito_create_next(date) IS
'oltp_sim: creates the partition of eventos_leito of the month after hoje, or else the newest missing one of the four months up to hoje''s';

-- The partitions of the months from desde to ate, those missing: how the
-- seed makes its months (seed.c).  A month whose rows the default
-- partition holds is left there.  Returns how many it created.
CREATE FUNCTION @extschema@.oltp_sim_eventos_leito_prepare(desde date, ate date)
RETURNS integer
LANGUAGE plpgsql VOLATILE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	made integer := 0;
	m date;
BEGIN
	FOR m IN SELECT d::date FROM pg_catalog.generate_series(
				 pg_catalog.date_trunc('month', desde::timestamp),
				 pg_catalog.date_trunc('month', ate::timestamp), '1 mon'::pg_catalog.interval) d LOOP
		BEGIN
			IF @extschema@.oltp_sim_eventos_leito_create(m) IS NOT NULL THEN
				made := made OPERATOR(pg_catalog.+) 1;
			END IF;
		EXCEPTION WHEN check_violation THEN
			-- the default partition holds rows of that month: they stay there
			NULL;
		END;
	END LOOP;
	RETURN made;
END
$$;
COMMENT ON FUNCTION @extschema@.oltp_sim_eventos_leito_prepare(date, date) IS
'oltp_sim: creates the missing partitions of eventos_leito of the months from desde to ate';

-- DETACH the oldest month partition of a month before antes: its rows
-- leave eventos_leito with no DELETE event.  Returns the table and the
-- rows it holds; no row when there is none.
CREATE FUNCTION @extschema@.oltp_sim_eventos_leito_detach(antes date, OUT particao text, OUT linhas bigint)
RETURNS SETOF record
LANGUAGE plpgsql VOLATILE STRICT
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET lock_timeout = '100ms'
AS $$
DECLARE
	p record;
BEGIN
	SELECT * INTO p FROM @extschema@.oltp_sim_eventos_leito_old(antes) LIMIT 1;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	EXECUTE pg_catalog.format('ALTER TABLE %s.eventos_leito DETACH PARTITION %s.%I',
		'@extschema@'::pg_catalog.regnamespace, '@extschema@'::pg_catalog.regnamespace, p.relname);
	EXECUTE pg_catalog.format('SELECT pg_catalog.count(*) FROM %s.%I',
		'@extschema@'::pg_catalog.regnamespace, p.relname) INTO linhas;
	INSERT INTO @extschema@.oltp_sim_eventos_leito_detached (relid, mes) VALUES (p.relid, p.mes);
	particao := p.relname;
	RETURN NEXT;
END
$$;
COMMENT ON FUNCTION @extschema@.oltp_sim_eventos_leito_detach(date) IS
'oltp_sim: detaches the oldest partition of eventos_leito of a month before antes; returns it and its rows';

-- The detached tables recorded that still exist as the stream left them
-- (same OID, same name, not a partition, owned by the owner of
-- eventos_leito or a superuser), newest month first.  The record alone is
-- not trusted: a role granted the schema's tables may write it, and a table
-- of its own recorded there would be attached and its triggers run by the
-- stream, a superuser's often.
CREATE FUNCTION @extschema@.oltp_sim_eventos_leito_detached_tables()
RETURNS TABLE (relid pg_catalog.oid, relname pg_catalog.name, mes date)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT c.oid, c.relname, d.mes
	FROM @extschema@.oltp_sim_eventos_leito_detached d
	JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) d.relid
	WHERE c.relnamespace OPERATOR(pg_catalog.=) '@extschema@'::pg_catalog.regnamespace
	  AND c.relkind OPERATOR(pg_catalog.=) 'r'::pg_catalog."char"
	  AND NOT c.relispartition
	  AND c.relname::pg_catalog.text OPERATOR(pg_catalog.=)
		  ('eventos_leito_' OPERATOR(pg_catalog.||) pg_catalog.to_char(d.mes, 'YYYY_MM'))
	  AND (c.relowner OPERATOR(pg_catalog.=)
		   (SELECT p.relowner FROM pg_catalog.pg_class p
			WHERE p.oid OPERATOR(pg_catalog.=) '@extschema@.eventos_leito'::pg_catalog.regclass)
		   OR EXISTS (SELECT FROM pg_catalog.pg_roles r
					  WHERE r.oid OPERATOR(pg_catalog.=) c.relowner AND r.rolsuper))
	ORDER BY 3 DESC
$$;
COMMENT ON FUNCTION @extschema@.oltp_sim_eventos_leito_detached_tables() IS
'oltp_sim: the tables detached from eventos_leito by the stream, newest month first';

-- ATTACH again the newest table the stream detached: its rows join
-- eventos_leito with no INSERT event.  A default partition holding rows of
-- its month makes it fail (check_violation).
CREATE FUNCTION @extschema@.oltp_sim_eventos_leito_attach(OUT particao text, OUT linhas bigint)
RETURNS SETOF record
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET lock_timeout = '100ms'
SET datestyle = 'ISO, YMD'
AS $$
DECLARE
	p record;
BEGIN
	SELECT * INTO p FROM @extschema@.oltp_sim_eventos_leito_detached_tables() LIMIT 1;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	EXECUTE pg_catalog.format('ALTER TABLE %s.eventos_leito ATTACH PARTITION %s.%I FOR VALUES FROM (%L) TO (%L)',
		'@extschema@'::pg_catalog.regnamespace, '@extschema@'::pg_catalog.regnamespace, p.relname,
		p.mes::timestamp, (p.mes OPERATOR(pg_catalog.+) '1 mon'::pg_catalog.interval)::timestamp);
	EXECUTE pg_catalog.format('SELECT pg_catalog.count(*) FROM %s.%I',
		'@extschema@'::pg_catalog.regnamespace, p.relname) INTO linhas;
	DELETE FROM @extschema@.oltp_sim_eventos_leito_detached d WHERE d.relid OPERATOR(pg_catalog.=) p.relid;
	particao := p.relname;
	RETURN NEXT;
END
$$;
COMMENT ON FUNCTION @extschema@.oltp_sim_eventos_leito_attach() IS
'oltp_sim: attaches again the newest table detached from eventos_leito; returns it and its rows';

-- DROP the oldest of the month partitions of months before antes and the
-- tables the stream detached: an attached one's rows leave eventos_leito
-- with no event (DROP TABLE is not decoded), a detached one's left it
-- already.  Returns the table, its rows and whether it was attached.
CREATE FUNCTION @extschema@.oltp_sim_eventos_leito_drop(antes date, OUT particao text, OUT linhas bigint,
														 OUT anexada boolean)
RETURNS SETOF record
LANGUAGE plpgsql VOLATILE STRICT
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET lock_timeout = '100ms'
AS $$
DECLARE
	p record;
BEGIN
	SELECT * INTO p FROM (
		SELECT m.relname, m.mes, true AS attached FROM @extschema@.oltp_sim_eventos_leito_old(antes) m
		UNION ALL
		SELECT d.relname, d.mes, false FROM @extschema@.oltp_sim_eventos_leito_detached_tables() d
	) c ORDER BY c.mes, c.attached LIMIT 1;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	-- the parent first, as DROP TABLE of a partition locks it
	IF p.attached THEN
		EXECUTE pg_catalog.format('LOCK TABLE %s.eventos_leito IN ACCESS EXCLUSIVE MODE',
			'@extschema@'::pg_catalog.regnamespace);
	END IF;
	EXECUTE pg_catalog.format('SELECT pg_catalog.count(*) FROM %s.%I',
		'@extschema@'::pg_catalog.regnamespace, p.relname) INTO linhas;
	EXECUTE pg_catalog.format('DROP TABLE %s.%I', '@extschema@'::pg_catalog.regnamespace, p.relname);
	DELETE FROM @extschema@.oltp_sim_eventos_leito_detached d
	WHERE d.mes OPERATOR(pg_catalog.=) p.mes;
	particao := p.relname;
	anexada := p.attached;
	RETURN NEXT;
END
$$;
COMMENT ON FUNCTION @extschema@.oltp_sim_eventos_leito_drop(date) IS
'oltp_sim: drops the oldest partition of eventos_leito of a month before antes, or table detached from it';

-- TRUNCATE the oldest month partition of a month before antes (an empty
-- one too: the TRUNCATE is decoded all the same).  Returns the table and
-- the rows it held; no row when there is none.
CREATE FUNCTION @extschema@.oltp_sim_eventos_leito_truncate(antes date, OUT particao text, OUT linhas bigint)
RETURNS SETOF record
LANGUAGE plpgsql VOLATILE STRICT
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET lock_timeout = '100ms'
AS $$
DECLARE
	p record;
BEGIN
	SELECT * INTO p FROM @extschema@.oltp_sim_eventos_leito_old(antes) LIMIT 1;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	EXECUTE pg_catalog.format('LOCK TABLE %s.%I IN ACCESS EXCLUSIVE MODE',
		'@extschema@'::pg_catalog.regnamespace, p.relname);
	EXECUTE pg_catalog.format('SELECT pg_catalog.count(*) FROM %s.%I',
		'@extschema@'::pg_catalog.regnamespace, p.relname) INTO linhas;
	EXECUTE pg_catalog.format('TRUNCATE TABLE %s.%I', '@extschema@'::pg_catalog.regnamespace, p.relname);
	particao := p.relname;
	RETURN NEXT;
END
$$;
COMMENT ON FUNCTION @extschema@.oltp_sim_eventos_leito_truncate(date) IS
'oltp_sim: truncates the oldest partition of eventos_leito of a month before antes; returns it and the rows it held';

-- On oltp_reset (seed.c), after its TRUNCATE: every month partition and
-- every table the stream detached dropped, so that the seed makes the
-- partitions of its months afresh and a reset leaves the same partitions
-- whatever the stream did before (CALL oltp_run replays).  Returns how many.
CREATE FUNCTION @extschema@.oltp_sim_eventos_leito_reset()
RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	p record;
	n integer := @extschema@.oltp_sim_eventos_leito_drop_detached();
BEGIN
	FOR p IN SELECT * FROM @extschema@.oltp_sim_eventos_leito_months() LOOP
		EXECUTE pg_catalog.format('DROP TABLE %s.%I', '@extschema@'::pg_catalog.regnamespace, p.relname);
		n := n OPERATOR(pg_catalog.+) 1;
	END LOOP;
	RETURN n;
END
$$;
COMMENT ON FUNCTION @extschema@.oltp_sim_eventos_leito_reset() IS
'oltp_sim: drops the month partitions of eventos_leito and the tables detached from it, before oltp_reset seeds it again';

-- Every table the stream detached, dropped: oltp_drop_tables('partitions')
-- calls it before DROP EXTENSION, which drops eventos_leito and its
-- partitions but not the tables detached from it.  Returns how many.
CREATE FUNCTION @extschema@.oltp_sim_eventos_leito_drop_detached()
RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	p record;
	n integer := 0;
BEGIN
	FOR p IN SELECT * FROM @extschema@.oltp_sim_eventos_leito_detached_tables() LOOP
		EXECUTE pg_catalog.format('DROP TABLE %s.%I', '@extschema@'::pg_catalog.regnamespace, p.relname);
		n := n OPERATOR(pg_catalog.+) 1;
	END LOOP;
	DELETE FROM @extschema@.oltp_sim_eventos_leito_detached;
	RETURN n;
END
$$;
COMMENT ON FUNCTION @extschema@.oltp_sim_eventos_leito_drop_detached() IS
'oltp_sim: drops the tables the stream detached from eventos_leito, before the set is dropped';

-- The stream's, the seed's and oltp_drop_tables': nobody else's.  Those
-- that change the partitions run as the extension's owner (SECURITY
-- DEFINER): DDL on a partition takes the owner of eventos_leito, which the
-- worker's role must not be (a table's owner can attach triggers to it).
-- A worker connected as a role that is not a superuser needs EXECUTE on
-- them (README, "Running the worker as a non-superuser").
REVOKE ALL ON FUNCTION @extschema@.oltp_sim_eventos_leito_months() FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.oltp_sim_eventos_leito_old(date) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.oltp_sim_eventos_leito_create(date) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.oltp_sim_eventos_leito_prepare(date, date) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.oltp_sim_eventos_leito_create_next(date) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.oltp_sim_eventos_leito_detach(date) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.oltp_sim_eventos_leito_detached_tables() FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.oltp_sim_eventos_leito_attach() FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.oltp_sim_eventos_leito_drop(date) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.oltp_sim_eventos_leito_truncate(date) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.oltp_sim_eventos_leito_drop_detached() FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.oltp_sim_eventos_leito_reset() FROM PUBLIC;
