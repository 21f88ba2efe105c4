-- Streamed transactions with savepoints and aborts, and logical messages:
-- what a decoder with streaming on receives (test_decoding with
-- stream-changes, pgoutput with proto_version 2 and streaming on), what it
-- delivers at the commit (exactly the surviving rows), and the counters
-- (oltp_changes, oltp_messages, oltp_aborted) equal to the decoded stream.
CREATE EXTENSION oltp_sim;
\set ECHO none
\i sql/helpers.psql
\set ECHO all
SET client_min_messages = warning;
SELECT count(*) > 0 AS seeded FROM oltp_reset(seed => 5, anchor => '2026-01-15');

-- the decoder's operations have weight only under profile decoding
SELECT operation, table_name, kind FROM oltp_operations()
WHERE operation IN ('stream_exames', 'stream_exames_aborted', 'emit_messages', 'emit_messages_aborted')
ORDER BY 1;
SELECT operation, aborted FROM oltp_aborted() ORDER BY 1;

-- a run of one operation alone: every other weight 0
CREATE FUNCTION t.only(op text) RETURNS jsonb LANGUAGE sql AS $$
	SELECT jsonb_object_agg(operation, CASE WHEN operation = op THEN 1 ELSE 0 END)
	FROM oltp_operations()
$$;

-- three slots: streaming decoders, and one that decodes at the commit
SELECT 'created' FROM pg_create_logical_replication_slot('st_td', 'test_decoding');
SELECT 'created' FROM pg_create_logical_replication_slot('st_po', 'pgoutput');
SELECT 'created' FROM pg_create_logical_replication_slot('st_full', 'test_decoding');
SET logical_decoding_work_mem = '64kB';

-- decode slot into decoded under label, test_decoding streaming or not
-- (temporary tables: what the test writes is not decoded)
CREATE TEMP TABLE decoded (label text, ord bigint, data text);
CREATE TEMP TABLE before (max_id bigint, n bigint);
CREATE FUNCTION t.decode(label text, slot text, stream boolean) RETURNS bigint
LANGUAGE sql AS $$
	INSERT INTO pg_temp.decoded
	SELECT label, ord, data FROM pg_logical_slot_get_changes(slot, NULL, NULL,
		'include-xids', '0', 'skip-empty-xacts', '1', 'stream-changes', stream::text)
		WITH ORDINALITY AS c(lsn, xid, data, ord);
	SELECT count(*) FROM pg_temp.decoded d WHERE d.label = decode.label
$$;
-- pgoutput: its messages by type, the first byte
CREATE FUNCTION t.pgoutput() RETURNS TABLE (kind text, n bigint) LANGUAGE sql AS $$
	SELECT chr(get_byte(data, 0)), count(*)
	FROM pg_logical_slot_get_binary_changes('st_po', NULL, NULL, 'proto_version', '2',
		'publication_names', 'oltp_sim', 'streaming', 'on', 'messages', 'true')
	WHERE chr(get_byte(data, 0)) IN ('S', 'E', 'A', 'c', 'C', 'B', 'M', 'I')
	GROUP BY 1 ORDER BY 1
$$;
CREATE VIEW t.lines AS
	SELECT label, ord, regexp_replace(data, ' for transaction$| transaction$| \d+$', '') AS line, data
	FROM pg_temp.decoded;
CREATE VIEW t.exames_inserted AS
	SELECT label, (regexp_match(data, '^table public\.exames: INSERT: id\[bigint\]:(\d+)'))[1]::bigint AS id
	FROM pg_temp.decoded WHERE data LIKE 'table public.exames: INSERT:%';

-- 1. stream_exames: 1000 exams in ten chunks of 100 under savepoints;
-- chunks 1 and 6 rolled back, 3 and 8 failing on a foreign key inside
INSERT INTO pg_temp.before SELECT max(id), count(*) FROM exames;
CALL oltp_run(ops => 1, seed => 7, anchor => '2026-01-15 08:00', weights => t.only('stream_exames'));
SELECT count(*) - (SELECT n FROM pg_temp.before) AS exames_added FROM exames;
SELECT t.decode('kept', 'st_td', true) > 0 AS decoded;
SELECT DISTINCT line FROM t.lines;
-- in chunks, before the commit: several streamed blocks, subtransactions
-- aborted in the stream, then one commit of the streamed transaction
SELECT line, count(*) > 1 AS several FROM t.lines WHERE label = 'kept'
  AND line IN ('opening a streamed block', 'closing a streamed block', 'aborting streamed subtransaction')
GROUP BY 1 ORDER BY 1;
SELECT count(*) FILTER (WHERE line = 'committing streamed transaction') AS commits,
	   count(*) FILTER (WHERE line = 'aborting streamed transaction') AS top_aborts,
	   count(*) FILTER (WHERE line ~ '^(BEGIN|COMMIT)') AS unstreamed
FROM t.lines WHERE label = 'kept';
-- the commit order: every block before the one commit, which comes last
SELECT max(ord) FILTER (WHERE line = 'opening a streamed block')
	< max(ord) FILTER (WHERE line = 'committing streamed transaction') AS commit_last
FROM t.lines WHERE label = 'kept';
-- at the commit, exactly the surviving rows: the 600 of chunks 0, 2, 4, 5,
-- 7 and 9, and only rows of exames
SELECT t.decode('kept_full', 'st_full', false) > 0 AS decoded;
SELECT count(*) AS inserted, count(*) = (SELECT count(*) FROM exames WHERE id > (SELECT max_id FROM pg_temp.before)) AS equals_table,
	   bool_and(id IN (SELECT id FROM exames)) AS all_exist
FROM t.exames_inserted WHERE label = 'kept_full';
SELECT count(*) AS other_changes FROM pg_temp.decoded
WHERE label = 'kept_full' AND data LIKE 'table %' AND data NOT LIKE 'table public.exames: INSERT:%';
-- the ids the rolled-back chunks took are gaps, never decoded
SELECT (SELECT max(id) FROM exames) - (SELECT max_id FROM pg_temp.before) - count(*) AS ids_rolled_back
FROM t.exames_inserted WHERE label = 'kept_full';
-- pgoutput agrees: streamed (S ... E blocks), subtransactions aborted (A),
-- one stream commit (c), no plain commit
SELECT kind, n > 1 AS several, n FROM t.pgoutput() WHERE kind IN ('S', 'E', 'A') ORDER BY 1;
SELECT count(*) AS plain_begins FROM t.pgoutput() WHERE kind = 'B';

-- 2. stream_exames_aborted: the same load, then the transaction rolls back
-- once it has been streamed: a stream abort, nothing committed
TRUNCATE pg_temp.before;
INSERT INTO pg_temp.before SELECT max(id), count(*) FROM exames;
CALL oltp_run(ops => 1, seed => 7, anchor => '2026-01-15 08:00', weights => t.only('stream_exames_aborted'));
SELECT count(*) - (SELECT n FROM pg_temp.before) AS exames_added FROM exames;
SELECT t.decode('aborted', 'st_td', true) > 0 AS decoded;
SELECT count(*) FILTER (WHERE line = 'opening a streamed block') > 1 AS streamed_blocks,
	   count(*) FILTER (WHERE line = 'aborting streamed transaction') AS top_aborts,
	   count(*) FILTER (WHERE line = 'committing streamed transaction') AS commits
FROM t.lines WHERE label = 'aborted';
SELECT max(ord) FILTER (WHERE line = 'aborting streamed transaction')
	= max(ord) AS abort_last
FROM t.lines WHERE label = 'aborted';
SELECT t.decode('aborted_full', 'st_full', false) AS decoded_lines;
SELECT n.kind, n.n >= 1 AS present FROM t.pgoutput() n WHERE n.kind IN ('S', 'A', 'c') ORDER BY 1;
