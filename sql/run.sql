-- CALL oltp_run: a bounded run in this session, reproducible from the seed
-- data, the run's seed and the anchor (the checksums exclude the audit
-- timestamps, which keep the wall clock).
CREATE EXTENSION oltp_sim;
CREATE FUNCTION sums() RETURNS TABLE (table_name text, row_count bigint, digest numeric)
LANGUAGE sql AS $$
	SELECT * FROM oltp_checksums(exclude_columns => '{created_at,updated_at,data_cadastro}')
$$;
SET client_min_messages = warning;

-- the same seeded data, the same run: the same rows, twice
SELECT count(*) FROM oltp_reset(seed => 1, anchor => '2026-01-15');
CREATE TEMP TABLE seeded AS SELECT * FROM sums();
CALL oltp_run(ops => 300, seed => 2, anchor => '2026-01-15 08:00');
CREATE TEMP TABLE first AS SELECT * FROM sums();
SELECT count(*) FROM oltp_reset(seed => 1, anchor => '2026-01-15');
SELECT count(*) AS seed_differs FROM sums() JOIN seeded s USING (table_name)
WHERE sums.digest <> s.digest;
CALL oltp_run(ops => 300, seed => 2, anchor => '2026-01-15 08:00');
SELECT f.table_name, f.row_count > s.row_count AS grew, f.digest = a.digest AS same_rows
FROM first f JOIN seeded s USING (table_name) JOIN sums() a USING (table_name)
WHERE f.row_count <> s.row_count OR f.digest <> s.digest
ORDER BY 1;
SELECT count(*) AS tables, bool_and(f.row_count = a.row_count AND f.digest = a.digest) AS identical
FROM first f JOIN sums() a USING (table_name);

-- another run seed, or another anchor: other rows
SELECT count(*) FROM oltp_reset(seed => 1, anchor => '2026-01-15');
CALL oltp_run(ops => 300, seed => 3, anchor => '2026-01-15 08:00');
SELECT count(*) AS differ FROM sums() JOIN first f USING (table_name)
WHERE sums.digest <> f.digest;
SELECT count(*) FROM oltp_reset(seed => 1, anchor => '2026-01-15');
CALL oltp_run(ops => 300, seed => 2, anchor => '2026-01-16 08:00');
SELECT count(*) AS differ FROM sums() JOIN first f USING (table_name)
WHERE sums.digest <> f.digest;
-- the clock starts at the anchor: what the run inserted happens after it
SELECT count(*) > 0 AS inserted,
	   count(*) FILTER (WHERE data < '2026-01-16 08:00') AS before_anchor
FROM consultas WHERE id > 4000;
-- another seed anchor: other dates in the seeded rows
SELECT count(*) FROM oltp_reset(seed => 1, anchor => '2027-06-01');
SELECT count(*) AS differ FROM sums() JOIN seeded s USING (table_name)
WHERE sums.digest <> s.digest;

-- one transaction per oltp_sim.ops_per_transaction (1 here) operations
SELECT 'created' FROM pg_create_logical_replication_slot('oltp_run', 'test_decoding');
CALL oltp_run(ops => 20, seed => 4);
SELECT count(*) FILTER (WHERE data LIKE 'BEGIN%') AS transactions,
	   count(*) FILTER (WHERE data LIKE 'COMMIT%') AS commits
FROM pg_logical_slot_get_changes('oltp_run', NULL, NULL, 'skip-empty-xacts', '1');
SELECT pg_drop_replication_slot('oltp_run');
CALL oltp_run(ops => 0);

-- a profile and weights of the call's own, for this call alone: the
-- settings (the workers') stay as they are
SELECT count(*) FROM oltp_add_tables('edge_cases', seed => 1);
SELECT count(*) FROM oltp_reset(seed => 1, anchor => '2026-01-15');
CREATE TEMP TABLE before_run AS SELECT * FROM oltp_counts();
SELECT jsonb_object_agg(operation, (operation = 'insert_paciente')::int) AS only_pacientes
FROM oltp_operations() \gset
CALL oltp_run(ops => 100, seed => 5, weights => :'only_pacientes');
SELECT c.table_name, c.row_count - b.row_count AS added
FROM oltp_counts() c JOIN before_run b USING (table_name)
WHERE c.row_count <> b.row_count ORDER BY 1;
-- under the default profile (hospital) no report is written; under
-- edge_cases some are, unless the call's weights leave insert_laudo out
CREATE FUNCTION laudo_ids() RETURNS bigint LANGUAGE sql AS
$$ SELECT last_value FROM pg_sequences WHERE sequencename = 'laudos_id_seq' $$;
SELECT laudo_ids() AS laudo_ids \gset
CALL oltp_run(ops => 300, seed => 5);
SELECT laudo_ids() - :laudo_ids AS laudos_added;
CALL oltp_run(ops => 300, seed => 5, profile => 'edge_cases', weights => '{"insert_laudo": 0}');
SELECT laudo_ids() - :laudo_ids AS laudos_added;
CALL oltp_run(ops => 300, seed => 5, profile => 'edge_cases');
SELECT laudo_ids() > :laudo_ids AS laudos_added;
SELECT current_setting('oltp_sim.profile') AS profile_setting;
DROP FUNCTION laudo_ids();
SELECT count(*) FROM oltp_drop_tables('edge_cases');

-- what it refuses
RESET client_min_messages;
BEGIN;
CALL oltp_run(ops => 10, seed => 1);
ROLLBACK;
CALL oltp_run(ops => -1);
CALL oltp_run(ops => NULL);
CALL oltp_run(ops => 10, anchor => 'infinity');
CALL oltp_run(ops => 9223372036854775807, seed => 1);
SELECT * FROM oltp_seed(seed => 1, anchor => '-infinity');
CALL oltp_run(ops => 10, profile => 'busy_day');
CALL oltp_run(ops => 10, weights => '[1, 2]');
CALL oltp_run(ops => 10, weights => '{"insert_pacientes": 1}');
CALL oltp_run(ops => 10, weights => '{"insert_paciente": "1"}');
CALL oltp_run(ops => 10, weights => '{"insert_paciente": 1.5}');
CALL oltp_run(ops => 10, weights => '{"insert_paciente": -1}');
CALL oltp_run(ops => 10, weights => '{"insert_paciente": 1000001}');
-- every weight zero: the error comes alone, before any seed is drawn
SELECT jsonb_object_agg(operation, 0) AS no_weight FROM oltp_operations() \gset
CALL oltp_run(ops => 10, weights => :'no_weight');

-- The anchors: every date and timestamp drawn around one (the opt-in
-- sets' included) must be one PostgreSQL reads back.  An anchor whose
-- dates would leave the range is refused before anything is written, with
-- the range allowed; any anchor oltp_seed accepts works for oltp_run.
-- (in ISO style: timestamptz's Postgres style names a zone abbreviation,
-- LMT before 1914, that its input does not take back)
CREATE FUNCTION unreadable() RETURNS bigint LANGUAGE plpgsql
SET DateStyle = 'ISO, YMD' AS $$
DECLARE
	c record;
	n bigint := 0;
	k bigint;
BEGIN
	FOR c IN SELECT a.attrelid::regclass AS tab, a.attname, a.atttypid::regtype AS typ
			 FROM pg_attribute a JOIN pg_depend d ON d.classid = 'pg_class'::regclass
			   AND d.objid = a.attrelid AND d.deptype = 'e'
			 WHERE a.attnum > 0 AND NOT a.attisdropped
			   AND a.atttypid IN ('date'::regtype, 'timestamp'::regtype,
								  'timestamptz'::regtype, 'tstzrange'::regtype)
	LOOP
		EXECUTE format('SELECT count(*) FROM %s WHERE %I::text::%s IS DISTINCT FROM %I',
					   c.tab, c.attname, c.typ, c.attname) INTO k;
		n := n + k;
	END LOOP;
	RETURN n;
END
$$;
SELECT count(*) FROM oltp_add_tables('edge_cases', seed => 1);
SELECT count(*) FROM oltp_add_tables('types', seed => 1);
SELECT sum(row_count) AS rows_before FROM oltp_counts() \gset
SELECT count(*) FROM oltp_reset(seed => 1, anchor => '294276-12-30');
SELECT count(*) FROM oltp_reset(seed => 1, anchor => '4713-12-01 BC');
SELECT count(*) FROM oltp_reset(seed => 1, anchor => '4614-11-24 23:59:59.999999 BC');
SELECT count(*) FROM oltp_seed(seed => 1, anchor => '294276-10-02');
SELECT sum(row_count) = :rows_before AS nothing_written FROM oltp_counts();
-- the first and the last day allowed: every value reads back, under every
-- operation of a run too
SET client_min_messages = warning;
SELECT count(*) FROM oltp_reset(seed => 1, anchor => '4614-11-25 BC');
CALL oltp_run(ops => 300, seed => 2, anchor => '4614-11-25 BC', profile => 'everything');
SELECT unreadable(), count(*) AS tables FROM oltp_checksums();
SELECT count(*) FROM oltp_reset(seed => 1, anchor => '294276-10-01 23:59:59.999999');
CALL oltp_run(ops => 1, seed => 2, anchor => '294276-10-01 23:59:59.999999', profile => 'everything');
CALL oltp_run(ops => 300, seed => 2, anchor => '294276-10-01 23:55', profile => 'everything');
SELECT unreadable(), count(*) AS tables FROM oltp_checksums();
-- before 1999-12-23 too, which 0.2.0's clock could not count from
SELECT count(*) FROM oltp_reset(seed => 1, anchor => '1999-12-01');
CALL oltp_run(ops => 100, seed => 2, anchor => '1999-12-01 08:00');
SELECT count(*) > 0 AS inserted, count(*) FILTER (WHERE data < '1999-12-01 08:00') AS before_anchor
FROM consultas WHERE id > 4000;
RESET client_min_messages;
-- the clock's last tick must be an anchor in range too
CALL oltp_run(ops => 2, seed => 2, anchor => '294276-10-01 23:59:59.999999');
SELECT count(*) FROM oltp_drop_tables('types');
SELECT count(*) FROM oltp_drop_tables('edge_cases');
DROP FUNCTION unreadable();

DROP FUNCTION sums();
DROP EXTENSION oltp_sim;
