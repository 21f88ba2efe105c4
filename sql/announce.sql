-- Announced changes (src/announce.c): the message a change commits with
-- (prefix oltp_sim.schema), decoded by test_decoding and pgoutput with the
-- documented JSON and before the first row of the new shape; the history
-- row with the message's LSN; nothing of either after a rollback.
SET client_min_messages = warning;
CREATE EXTENSION oltp_sim;
SELECT count(*) > 0 AS seeded FROM oltp_seed(seed => 7, scale => 0.1);

SELECT 'created' FROM pg_create_logical_replication_slot('an_td', 'test_decoding');
SELECT 'created' FROM pg_create_logical_replication_slot('an_po', 'pgoutput');
CREATE TEMP TABLE lsns (step text, lsn pg_lsn);
-- the workers' count so far (the tests before this one stream announced
-- partition operations)
SELECT sum(rows) AS schema_before FROM oltp_changes() WHERE kind = 'schema' \gset

-- a column added, announced, then a row of the new shape
BEGIN;
ALTER TABLE convenios ADD COLUMN nota text;
INSERT INTO lsns SELECT 'add', oltp_announce_change('convenios', 'add_column', '{"column": "nota"}');
INSERT INTO convenios (nome, cnpj, tipo, nota) VALUES ('Anúncio', '00.000.000/0001-00', 'teste', 'n1');
COMMIT;

-- rows rewritten without events: silent, with the checksum after the change
BEGIN;
ALTER TABLE convenios ALTER COLUMN nota TYPE varchar(10) USING 'reescrita';
INSERT INTO lsns SELECT 'rewrite', oltp_announce_change('convenios', 'alter_column_type',
	'{"column": "nota", "from": "text", "to": "character varying(10)"}',
	silent => true, rows_silent => (SELECT count(*) FROM convenios));
COMMIT;
CREATE TEMP TABLE after_rewrite AS SELECT * FROM oltp_checksums(ARRAY['convenios']);

-- rolled back: no message, no history row
BEGIN;
ALTER TABLE convenios DROP COLUMN nota;
INSERT INTO lsns SELECT 'rolled back', oltp_announce_change('convenios', 'drop_column', '{"column": "nota"}');
ROLLBACK;

-- the table as the model has it again
BEGIN;
ALTER TABLE convenios DROP COLUMN nota;
INSERT INTO lsns SELECT 'drop', oltp_announce_change('convenios', 'drop_column', '{"column": "nota"}');
COMMIT;

-- the history: the committed three, in LSN order
SELECT table_name, change, silent, rows_silent FROM oltp_announcements();
SELECT a.message = (SELECT message FROM oltp_announcements() LIMIT 1) AS first_is_add,
	   jsonb_pretty(a.message)
FROM oltp_announcements() a WHERE a.change = 'add_column';
-- the rewrite's checksum is the table's after it
SELECT a.message -> 'checksum' = jsonb_build_object('row_count', c.row_count, 'digest', c.digest)
	AS checksum_matches,
	   a.message -> 'columns' -> -1 AS last_column
FROM oltp_announcements() a, after_rewrite c WHERE a.change = 'alter_column_type';
SELECT jsonb_array_length(message -> 'columns') AS columns, message -> 'checksum' AS checksum
FROM oltp_announcements() WHERE change = 'drop_column';
-- each one at the LSN its call returned; the rolled back one's is nowhere
SELECT l.step, a.lsn IS NOT NULL AS recorded
FROM lsns l LEFT JOIN oltp_announcements() a USING (lsn) ORDER BY l.lsn;

-- test_decoding: the three messages at the history's LSNs, with its JSON
CREATE TEMP TABLE td AS
	SELECT ord, lsn, data
	FROM pg_logical_slot_get_changes('an_td', NULL, NULL) WITH ORDINALITY AS c(lsn, xid, data, ord);
CREATE TEMP VIEW td_messages AS
	SELECT ord, lsn, substring(data FROM 'content:(.*)$')::jsonb AS message
	FROM td WHERE data LIKE 'message: transactional: 1 prefix: oltp_sim.schema, %';
SELECT count(*) AS messages,
	   bool_and(a.lsn = m.lsn AND a.message = m.message) AS as_recorded
FROM td_messages m FULL JOIN oltp_announcements() a USING (lsn);
SELECT count(*) AS nontransactional FROM td WHERE data LIKE 'message: transactional: 0 prefix: oltp_sim.schema, %';
-- the message precedes the first row of the new shape, which has the column
SELECT (SELECT ord FROM td_messages WHERE message ->> 'change' = 'add_column') <
	   (SELECT min(ord) FROM td WHERE data LIKE 'table public.convenios: INSERT:%nota[text]:''n1''%')
	AS message_first;

-- pgoutput: the same messages, at the same LSNs (a Message is 'M', flags,
-- the LSN, the prefix ending in a zero byte, the length, the content)
CREATE TEMP TABLE po AS
	SELECT data FROM pg_logical_slot_get_binary_changes('an_po', NULL, NULL,
		'proto_version', '1', 'publication_names', 'oltp_sim', 'messages', 'true')
	WHERE get_byte(data, 0) = ascii('M');
CREATE TEMP VIEW po_messages AS
	SELECT ('0/0'::pg_lsn + ('x' || encode(substr(data, 3, 8), 'hex'))::bit(64)::bigint) AS lsn,
		   convert_from(substr(data, 11, position('\x00'::bytea IN substr(data, 11)) - 1), 'UTF8') AS prefix,
		   convert_from(substr(data, 11 + length('oltp_sim.schema') + 1 + 4), 'UTF8')::jsonb AS message
	FROM po WHERE position('oltp_sim.schema'::bytea IN data) = 11;
SELECT count(*) AS messages, bool_and(prefix = 'oltp_sim.schema') AS prefixed,
	   bool_and(a.lsn = m.lsn AND a.message = m.message) AS as_recorded
FROM po_messages m FULL JOIN oltp_announcements() a USING (lsn);

-- announced from SQL: counted nowhere (the counters count the workers')
SELECT sum(rows) - :schema_before AS counted FROM oltp_changes() WHERE kind = 'schema';

-- bad input: a clear error, nothing written
SELECT oltp_announce_change('nada', 'add_column');
SELECT oltp_announce_change('convenios', 'Add Column');
SELECT oltp_announce_change('convenios', 'add_column', '[1, 2]');
SELECT oltp_announce_change('convenios', 'add_column', rows_silent => 3);
SELECT oltp_announce_change('convenios', 'add_column', silent => true, rows_silent => -2);
SELECT oltp_announce_change('convenios', NULL);
SELECT count(*) AS history FROM oltp_announcements();

SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
WHERE slot_name LIKE 'an\_%' ORDER BY slot_name;
DROP EXTENSION oltp_sim;
DROP PUBLICATION oltp_sim;
