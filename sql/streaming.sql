-- Streamed transactions with savepoints and aborts, and logical messages
-- of every kind (profile decoding): what a decoder with streaming on
-- receives before the commit (test_decoding with stream-changes, pgoutput
-- with proto_version 2 and streaming on), what reaches a consumer at the
-- commit (exactly the surviving rows, no transactional message of a
-- transaction rolled back), and the counters (oltp_changes, oltp_messages,
-- oltp_aborted) equal to the decoded stream.

-- batches of 5000 exams, in chunks of 500: each chunk alone is well over
-- the decoder's 64kB, so some of it is streamed before its savepoint ends.
-- A new connection has the setting reloaded
ALTER SYSTEM SET oltp_sim.batch_rows = 5000;
SELECT pg_reload_conf();
\c
SHOW oltp_sim.batch_rows;
SET client_min_messages = warning;
CREATE EXTENSION oltp_sim;
\set ECHO none
\i sql/helpers.psql
\set ECHO all
SELECT count(*) > 0 AS seeded FROM oltp_reset(seed => 5, anchor => '2026-01-15');

-- the decoder's operations (weight only under profile decoding): what
-- they change, their counters
SELECT operation, table_name, kind FROM oltp_operations()
WHERE operation IN ('stream_exames', 'stream_exames_aborted', 'emit_messages', 'emit_messages_aborted')
ORDER BY 1;
SELECT operation, aborted FROM oltp_aborted() ORDER BY 1;
SELECT mode, messages, bytes FROM oltp_messages() ORDER BY 1;

-- weights: op alone (every other operation 0)
CREATE FUNCTION t.only(VARIADIC ops text[]) RETURNS jsonb LANGUAGE sql AS $$
	SELECT jsonb_object_agg(operation, CASE WHEN operation = ANY (ops) THEN 1 ELSE 0 END)
	FROM oltp_operations()
$$;

SELECT 'created' FROM pg_create_logical_replication_slot('st_td', 'test_decoding');
SELECT 'created' FROM pg_create_logical_replication_slot('st_po', 'pgoutput');
SELECT 'created' FROM pg_create_logical_replication_slot('st_full', 'test_decoding');
SET logical_decoding_work_mem = '64kB';

-- what the slots decode, kept under a label (temporary tables: what the
-- test itself writes is not decoded)
CREATE TEMP TABLE decoded (label text, ord bigint, data text);
CREATE TEMP TABLE before (max_id bigint, n bigint);
-- the decoders read the WAL flushed, and a transaction that wrote no WAL
-- commits without flushing it, even with an xid (an in-progress
-- transaction's changes, a held one's, waited in the WAL buffers for the
-- WAL writer, which flushes only whole pages then: the decoder saw none of
-- them, once): a WAL switch flushes everything before it, and decodes as
-- nothing.  SELECT t.flush() as a statement of its own
CREATE FUNCTION t.flush() RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_catalog.pg_switch_wal();
	RETURN true;
END
$$;
-- slot st_td (streaming) or st_full (not) into decoded; how many lines
-- are not about the test's own tables (schema t)
CREATE FUNCTION t.get(label text, slot text) RETURNS bigint LANGUAGE sql AS $$
	INSERT INTO pg_temp.decoded
	SELECT label, ord, data FROM pg_logical_slot_get_changes(slot, NULL, NULL,
		'include-xids', '0', 'skip-empty-xacts', '1',
		'stream-changes', (slot LIKE 'st\_td%')::text)
		WITH ORDINALITY AS c(lsn, xid, data, ord);
	SELECT count(*) FROM pg_temp.decoded d WHERE d.label = get.label
	  AND d.data NOT LIKE 'table t.%' AND d.data !~ '^(BEGIN|COMMIT)'
$$;
-- pgoutput's messages by type (their first byte): S stream start, E stream
-- stop, A stream abort, c stream commit, B begin, C commit, M message
CREATE TEMP TABLE po (label text, kind text, n bigint);
CREATE FUNCTION t.pgoutput(label text, slot text DEFAULT 'st_po') RETURNS SETOF text LANGUAGE sql AS $$
	INSERT INTO pg_temp.po
	SELECT label, chr(get_byte(data, 0)), count(*)
	FROM pg_logical_slot_get_binary_changes(slot, NULL, NULL, 'proto_version', '2',
		'publication_names', 'oltp_sim', 'streaming', 'on', 'messages', 'true')
	GROUP BY 2;
	SELECT string_agg(kind || n, ' ' ORDER BY kind COLLATE "C") FROM pg_temp.po p
	WHERE p.label = pgoutput.label AND kind IN ('S', 'A', 'c', 'B', 'C')
$$;
CREATE TEMP VIEW lines AS
	SELECT label, ord, regexp_replace(data, ' for transaction$|:.*$', '') AS line, data
	FROM pg_temp.decoded WHERE data NOT LIKE 'table t.%';
CREATE TEMP VIEW exames_inserted AS
	SELECT label, (regexp_match(data, '^table public\.exames: INSERT: id\[bigint\]:(\d+)'))[1]::bigint AS id
	FROM pg_temp.decoded WHERE data LIKE 'table public.exames: INSERT:%';
-- messages as test_decoding writes them, streamed or not
CREATE TEMP VIEW messages AS
	SELECT label, ord, data LIKE 'streaming %' AS streamed,
		   (regexp_match(data, 'message: transactional: (\d) prefix: ([^,]*), sz: (\d+)'))[1] = '1' AS transactional,
		   (regexp_match(data, 'message: transactional: (\d) prefix: ([^,]*), sz: (\d+)'))[2] AS prefix,
		   (regexp_match(data, 'message: transactional: (\d) prefix: ([^,]*), sz: (\d+)'))[3]::bigint AS sz
	FROM pg_temp.decoded WHERE data ~ '^(streaming )?message: ';

-- 1. stream_exames (CALL oltp_run): 5000 exams in ten chunks of 500 under
-- savepoints; chunks 1 and 6 rolled back, 3 and 8 failing on a foreign
-- key inside, 0, 2, 4, 5, 7 and 9 released
INSERT INTO pg_temp.before SELECT max(id), count(*) FROM exames;
CALL oltp_run(ops => 1, seed => 7, anchor => '2026-01-15 08:00', weights => t.only('stream_exames'));
SELECT count(*) - (SELECT n FROM pg_temp.before) AS exames_added FROM exames;
SELECT t.flush();
SELECT t.get('kept', 'st_td') > 0 AS decoded;
-- before the commit, in blocks: the four chunks that did not survive were
-- streamed and then aborted as subtransactions; one commit, last
SELECT count(*) FILTER (WHERE line = 'opening a streamed block') > 1 AS streamed_in_blocks,
	   count(*) FILTER (WHERE line = 'aborting streamed (sub)transaction') AS subtransactions_aborted,
	   count(*) FILTER (WHERE line = 'committing streamed transaction') AS commits,
	   count(*) FILTER (WHERE line ~ '^(BEGIN|COMMIT)') AS unstreamed
FROM lines WHERE label = 'kept';
SELECT max(ord) FILTER (WHERE line = 'committing streamed transaction') = max(ord) AS commit_last,
	   count(*) FILTER (WHERE line = 'streaming change') > 3000 AS more_streamed_than_kept
FROM lines WHERE label = 'kept';
-- at the commit, exactly the surviving rows: 3000, those of the table, and
-- nothing else
SELECT t.get('kept_full', 'st_full') > 0 AS decoded;
SELECT count(*) AS inserted,
	   count(*) = (SELECT count(*) FROM exames WHERE id > (SELECT max_id FROM pg_temp.before)) AS equals_table,
	   bool_and(id IN (SELECT id FROM exames)) AS all_exist
FROM exames_inserted WHERE label = 'kept_full';
SELECT count(*) AS other_changes FROM pg_temp.decoded
WHERE label = 'kept_full' AND data LIKE 'table public.%' AND data NOT LIKE 'table public.exames: INSERT:%';
-- the ids the chunks rolled back took are gaps (2000 rows), never decoded
SELECT (SELECT max(id) FROM exames) - (SELECT max_id FROM pg_temp.before) - count(*) AS ids_not_kept
FROM exames_inserted WHERE label = 'kept_full';
-- pgoutput agrees: blocks (S), four subtransactions aborted (A), one
-- stream commit (c), no plain transaction (B, C)
SELECT t.pgoutput('kept') ~ '^A4 S\d+ c1$' AS pgoutput_streamed;

-- 2. stream_exames_aborted, by the worker: the same load, held open
-- (oltp_sim.abort_hold) while the decoder streams it, then rolled back
SELECT pg_catalog.format('ALTER SYSTEM SET oltp_sim.weight_%s = %s', operation,
	CASE operation WHEN 'stream_exames_aborted' THEN 1 ELSE 0 END)
FROM oltp_operations() ORDER BY operation \gexec
ALTER SYSTEM SET oltp_sim.abort_hold = '10min';
-- one at a time: the worker skips the others while it is held
ALTER SYSTEM SET oltp_sim.max_held_transactions = 1;
SELECT reload();
TRUNCATE pg_temp.before;
INSERT INTO pg_temp.before SELECT max(id), count(*) FROM exames;
CREATE TEMP TABLE msnap AS SELECT 'start'::text AS label, * FROM oltp_messages();
CREATE TEMP TABLE csnap AS SELECT 'start'::text AS label, * FROM oltp_changes();
CREATE TEMP TABLE asnap AS SELECT * FROM oltp_aborted();
-- slots of their own, made now, before the transaction begins
SELECT 'created' FROM pg_create_logical_replication_slot('st_td_held', 'test_decoding');
SELECT 'created' FROM pg_create_logical_replication_slot('st_po_held', 'pgoutput');
SELECT snap('start');
SELECT oltp_start();
SELECT wait_until($$SELECT EXISTS (SELECT 1 FROM pg_stat_activity
								   WHERE backend_type = 'oltp_sim hold' AND wait_event_type = 'Extension'
									 AND backend_xid IS NOT NULL)$$);
-- held open: streamed, and neither committed nor aborted yet
SELECT t.flush();
SELECT t.get('held', 'st_td_held') > 0 AS decoded;
-- (how many blocks, and whether the chunks rolled back were streamed
-- before their abort, depends on where the SQL functions restart
-- decoding: test/shell/stream_abort.sh counts them through a walsender)
SELECT count(*) FILTER (WHERE line = 'opening a streamed block') > 0 AS streamed,
	   count(*) FILTER (WHERE line = 'streaming change') > 0 AS changes_streamed,
	   count(*) FILTER (WHERE line = 'committing streamed transaction') AS commits
FROM lines WHERE label = 'held';
SELECT x ~ 'S\d' AND x !~ '[cBC]' AS pgoutput_streamed_not_committed
FROM t.pgoutput('held', 'st_po_held') x;
-- oltp_stop() ends the hold early: rolled back, counted as aborted
SELECT oltp_stop();
SELECT wait_until($$SELECT o.aborted > a.aborted FROM oltp_aborted() o JOIN pg_temp.asnap a USING (operation)
					 WHERE o.operation = 'stream_exames_aborted'$$);
SELECT wait_until($q$SELECT state = 'paused' FROM oltp_status()$q$);
SELECT wait_until($$SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE backend_type = 'oltp_sim hold')$$);
SELECT o.operation, o.aborted - a.aborted AS aborted
FROM oltp_aborted() o JOIN pg_temp.asnap a USING (operation) ORDER BY 1;
SELECT snap('held');
SELECT count(*) AS committed_or_errors FROM delta WHERE label = 'held' AND (committed > 0 OR errors > 0);
SELECT count(*) - (SELECT n FROM pg_temp.before) AS exames_added FROM exames;
SELECT count(*) AS changes_counted FROM oltp_changes() c JOIN pg_temp.csnap s USING (table_name, kind)
WHERE c.rows <> s.rows;
-- after the rollback, nothing of it is committed: neither decoder has a
-- commit or a row of it.  (A decoder in one session, a walsender, gets a
-- stream abort for the transaction it streamed: test/shell/stream_abort.sh.
-- The SQL functions decode each call afresh from the slot's restart point,
-- and whether this call streams part of it again, and so sends the abort,
-- depends on where that point is: not asserted.)
SELECT t.flush();
SELECT t.get('rolled_back', 'st_td_held') >= 0 AS decoded;
SELECT count(*) FILTER (WHERE line = 'committing streamed transaction') AS commits,
	   count(*) FILTER (WHERE data LIKE 'table public.%') AS rows_at_commit
FROM lines WHERE label = 'rolled_back';
SELECT t.get('rolled_back_full', 'st_full') AS decoded_at_commit;
SELECT coalesce((SELECT x FROM t.pgoutput('rolled_back', 'st_po_held') x) !~ '[cBC]', true)
	AS pgoutput_no_commit;

-- 3. the four operations by the worker, the aborting ones rolled back at
-- once in a transaction of their own (oltp_sim.abort_hold = 0), several
-- operations per transaction: the counters equal the decoded stream
SELECT pg_catalog.format('ALTER SYSTEM SET oltp_sim.weight_%s = %s', operation,
	CASE WHEN operation IN ('stream_exames', 'stream_exames_aborted', 'emit_messages', 'emit_messages_aborted')
		 THEN 1 ELSE 0 END)
FROM oltp_operations() ORDER BY operation \gexec
ALTER SYSTEM SET oltp_sim.abort_hold = 0;
ALTER SYSTEM SET oltp_sim.ops_per_transaction = 3;
ALTER SYSTEM RESET oltp_sim.batch_rows;
SELECT reload();
TRUNCATE pg_temp.msnap, pg_temp.csnap, pg_temp.asnap;
INSERT INTO pg_temp.msnap SELECT 'start', * FROM oltp_messages();
INSERT INTO pg_temp.csnap SELECT 'start', * FROM oltp_changes();
INSERT INTO pg_temp.asnap SELECT * FROM oltp_aborted();
SELECT snap('start');
-- until each has run: twelve operations committed, both rolled back
SELECT oltp_start();
SELECT wait_until($$SELECT (SELECT sum(o.committed - s.committed) >= 12 FROM oltp_operations() o
							JOIN t.snaps s USING (operation) WHERE s.label = 'start')
	AND (SELECT bool_and(o.aborted > a.aborted) FROM oltp_aborted() o JOIN pg_temp.asnap a USING (operation))$$);
SELECT oltp_stop();
SELECT wait_until($q$SELECT state = 'paused' FROM oltp_status()$q$);
SELECT snap('mix');
INSERT INTO pg_temp.msnap SELECT 'mix', * FROM oltp_messages();
INSERT INTO pg_temp.csnap SELECT 'mix', * FROM oltp_changes();
SELECT operation, committed >= 1 AS committed, errors FROM delta
WHERE label = 'mix' AND operation IN ('stream_exames', 'emit_messages') ORDER BY 1;
SELECT t.get('mix', 'st_full') > 0 AS decoded;
-- rows: the counters' exames inserts = decoded = the table's new rows, and
-- no other change
SELECT (SELECT b.rows - a.rows FROM pg_temp.csnap a JOIN pg_temp.csnap b USING (table_name, kind)
		WHERE a.label = 'start' AND b.label = 'mix' AND table_name = 'exames' AND kind = 'insert')
	   = count(*) AS counted_equals_decoded,
	   count(*) = (SELECT count(*) FROM exames WHERE id > (SELECT max_id FROM pg_temp.before)) AS decoded_equals_table
FROM exames_inserted WHERE label = 'mix';
SELECT count(*) AS other_changes FROM pg_temp.decoded
WHERE label = 'mix' AND data LIKE 'table public.%' AND data NOT LIKE 'table public.exames: INSERT:%';
SELECT count(*) AS other_counted FROM pg_temp.csnap a JOIN pg_temp.csnap b USING (table_name, kind)
WHERE a.label = 'start' AND b.label = 'mix' AND b.rows <> a.rows
  AND (table_name, kind) <> ('exames', 'insert');
-- messages: per mode, counted = decoded, in number and bytes; four per
-- operation and mode: transactional ones of the committed operations
-- only, non-transactional ones of the rolled back ones too
SELECT m.mode, b.messages - a.messages = m.n AS count_matches, b.bytes - a.bytes = m.bytes AS bytes_match,
	   m.n = 4 * (SELECT sum(committed) FROM delta WHERE label = 'mix' AND operation = 'emit_messages')
		   + CASE m.mode WHEN 'non-transactional' THEN
				 4 * (SELECT o.aborted - a.aborted FROM oltp_aborted() o JOIN pg_temp.asnap a USING (operation)
					  WHERE o.operation = 'emit_messages_aborted') ELSE 0 END
	   AS four_per_operation
FROM (SELECT CASE WHEN transactional THEN 'transactional' ELSE 'non-transactional' END AS mode,
			 count(*) AS n, sum(sz) AS bytes
	  FROM messages WHERE label = 'mix' AND prefix LIKE 'oltp\_sim.test.%' GROUP BY 1) m
JOIN pg_temp.msnap a ON a.mode = m.mode AND a.label = 'start'
JOIN pg_temp.msnap b ON b.mode = m.mode AND b.label = 'mix'
ORDER BY 1;
SELECT o.aborted > a.aborted AS messages_rolled_back
FROM oltp_aborted() o JOIN pg_temp.asnap a USING (operation) WHERE o.operation = 'emit_messages_aborted';
-- each variant: its prefix and size, the same in both modes (the text's
-- size is its number's)
SELECT prefix, transactional, CASE WHEN prefix LIKE '%.text' THEN NULL ELSE sz END AS sz,
	   count(*) > 0 AS present FROM messages
WHERE label = 'mix' AND prefix LIKE 'oltp\_sim.test.%'
GROUP BY 1, 2, 3 ORDER BY 1, 2;
SELECT data AS binary_payload FROM pg_temp.decoded
WHERE label = 'mix' AND data LIKE 'message: transactional: 1 prefix: oltp_sim.test.binary,%' LIMIT 1;
SELECT DISTINCT substring(data FROM 'content:(.*)$') ~ '^\{"transactional": (true|false), "n": \d+\}$' AS text_payload
FROM pg_temp.decoded WHERE label = 'mix' AND data LIKE 'message: %prefix: oltp_sim.test.text,%';
-- the watermarks keep their prefix: what has it is a watermark
SELECT count(*) AS not_watermarks FROM pg_temp.decoded
WHERE label = 'mix' AND data ~ '^message: transactional: \d prefix: oltp_sim,'
  AND data !~ '^message: transactional: 1 prefix: oltp_sim, sz: \d+ content:\{"worker": ';

-- 4. CALL oltp_run replays the decoder's profile: the same seed, the same
-- rows (the checksums leave out the audit timestamps)
CREATE FUNCTION sums() RETURNS TABLE (table_name text, row_count bigint, digest numeric)
LANGUAGE sql AS $$
	SELECT * FROM oltp_checksums(exclude_columns => '{created_at,updated_at,data_cadastro}')
$$;
SELECT count(*) > 0 AS reset FROM oltp_reset(seed => 5, anchor => '2026-01-15');
CALL oltp_run(ops => 40, seed => 11, anchor => '2026-01-15 08:00', profile => 'decoding',
	weights => '{"stream_exames": 10, "stream_exames_aborted": 10, "emit_messages": 10, "emit_messages_aborted": 10}');
CREATE TEMP TABLE first AS SELECT * FROM sums();
SELECT count(*) > 0 AS reset FROM oltp_reset(seed => 5, anchor => '2026-01-15');
CALL oltp_run(ops => 40, seed => 11, anchor => '2026-01-15 08:00', profile => 'decoding',
	weights => '{"stream_exames": 10, "stream_exames_aborted": 10, "emit_messages": 10, "emit_messages_aborted": 10}');
SELECT count(*) AS tables, bool_and(f.row_count = a.row_count AND f.digest = a.digest) AS identical
FROM first f JOIN sums() a USING (table_name);

SELECT pg_catalog.format('ALTER SYSTEM RESET oltp_sim.weight_%s', operation)
FROM oltp_operations() ORDER BY operation \gexec
ALTER SYSTEM RESET oltp_sim.abort_hold;
ALTER SYSTEM RESET oltp_sim.max_held_transactions;
ALTER SYSTEM RESET oltp_sim.ops_per_transaction;
SELECT reload();
SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
WHERE slot_name LIKE 'st\_%' ORDER BY slot_name;
DROP EXTENSION oltp_sim;
DROP PUBLICATION oltp_sim;
DROP SCHEMA t CASCADE;
