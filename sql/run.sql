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

DROP FUNCTION sums();
DROP EXTENSION oltp_sim;
