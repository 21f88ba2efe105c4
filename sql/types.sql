-- The opt-in set types: oltp_add_tables('types') and oltp_drop_tables(),
-- the tables, the enum and the domain they make, the seed carrying every
-- edge value of the set's types, each value decoded by test_decoding and
-- by pgoutput and cast back to exactly what is stored, the set's stream
-- operations counted exactly as decoded, a value added to the enum while
-- streaming, and runs reproducible from their seeds.
CREATE EXTENSION oltp_sim;
\set ECHO none
\i sql/helpers.psql
-- test_decoding's text of one change: the columns, their types and values
-- as printed (quoted values unquoted, null as NULL)
CREATE FUNCTION t.td_values(data text)
RETURNS TABLE (col text, typ text, val text) LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	-- an update under REPLICA IDENTITY FULL: the new tuple follows the old
	rest text := coalesce(substring(data FROM ' new-tuple: (.*)$'),
						  substring(data FROM '^table [^ ]+: [A-Z]+: (.*)$'));
	m text[];
BEGIN
	WHILE rest <> '' LOOP
		IF left(rest, 1) = '"' THEN
			m := regexp_match(rest, '^("((?:[^"]|"")*)")\[');
			col := replace(m[2], '""', '"');
		ELSE
			m := regexp_match(rest, '^(([^\[ ]+))\[');
			col := m[2];
		END IF;
		rest := substr(rest, length(m[1]) + 2);
		m := regexp_match(rest, '^(.*?)\]:');
		typ := m[1];
		rest := substr(rest, length(typ) + 3);
		IF left(rest, 1) = '''' THEN
			m := regexp_match(rest, '^''((?:[^'']|'''')*)''');
			val := replace(m[1], '''''', '''');
			rest := substr(rest, length(m[1]) + 3);
		ELSIF left(rest, 2) = 'B''' THEN
			m := regexp_match(rest, '^B''([01]*)''');
			val := m[1];
			rest := substr(rest, length(m[1]) + 4);
		ELSE
			m := regexp_match(rest, '^(\S+)');
			val := nullif(m[1], 'null');
			rest := substr(rest, length(m[1]) + 1);
		END IF;
		rest := ltrim(rest, ' ');
		RETURN NEXT;
	END LOOP;
END
$$;

-- pgoutput (protocol 1): a NUL-terminated string at offset pos (from 0)
CREATE FUNCTION t.po_string(data bytea, pos int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT convert_from(substring(data FROM pos + 1 FOR position('\x00'::bytea IN substring(data FROM pos + 1)) - 1), 'UTF8')
$$;
CREATE FUNCTION t.po_int(data bytea, pos int, len int) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
	SELECT sum(get_byte(data, pos + i)::bigint << (8 * (len - 1 - i)))::bigint FROM generate_series(0, len - 1) i
$$;
-- a Relation message: the columns it announces, in order
CREATE FUNCTION t.po_relation(data bytea)
RETURNS TABLE (relid oid, relname text, attno int, col text) LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	pos int := 5;
	natts int;
BEGIN
	relid := t.po_int(data, 1, 4);
	pos := pos + octet_length(convert_to(t.po_string(data, pos), 'UTF8')) + 1;	-- namespace
	relname := t.po_string(data, pos);
	pos := pos + octet_length(convert_to(relname, 'UTF8')) + 1 + 1;	-- replica identity
	natts := t.po_int(data, pos, 2);
	pos := pos + 2;
	FOR a IN 1 .. natts LOOP
		attno := a;
		col := t.po_string(data, pos + 1);
		pos := pos + 1 + octet_length(convert_to(col, 'UTF8')) + 1 + 8;
		RETURN NEXT;
	END LOOP;
END
$$;
-- the new tuple of an Insert or Update (after the old one, if any)
CREATE FUNCTION t.po_tuple(data bytea)
RETURNS TABLE (relid oid, attno int, val text) LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	pos int := 5;
	natts int;
	kind text;
	len int;
	tuple int := 0;
BEGIN
	relid := t.po_int(data, 1, 4);
	LOOP
		kind := chr(get_byte(data, pos));	-- N new, K key, O old
		natts := t.po_int(data, pos + 1, 2);
		pos := pos + 3;
		FOR a IN 1 .. natts LOOP
			attno := a;
			CASE chr(get_byte(data, pos))
				WHEN 'n' THEN val := NULL; pos := pos + 1;
				WHEN 't' THEN
					len := t.po_int(data, pos + 1, 4);
					val := convert_from(substring(data FROM pos + 6 FOR len), 'UTF8');
					pos := pos + 5 + len;
				ELSE RAISE EXCEPTION 'column % not sent as text', a;
			END CASE;
			IF kind = 'N' THEN
				RETURN NEXT;
			END IF;
		END LOOP;
		EXIT WHEN kind = 'N';
	END LOOP;
END
$$;
\set ECHO all
-- the text forms compared below, pinned
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET TimeZone = 'UTC';
SET extra_float_digits = 1;
SET bytea_output = 'hex';
SET lc_monetary = 'C';

-- bad calls: a set that does not exist, a set not added
SELECT * FROM oltp_add_tables('type');
SELECT * FROM oltp_drop_tables('types');

-- without patients the tables are made empty, and the seed refuses rows
-- that reference a patient
SELECT table_name, inserted FROM oltp_add_tables('types', seed => 1);
SELECT * FROM oltp_seed('{"pacientes": 0, "medicos": 0, "convenios": 0, "pacientes_convenios": 0,
						  "consultas": 0, "exames": 0, "internacoes": 0, "sinais_vitais": 5}', seed => 1);
SELECT table_name, inserted FROM oltp_seed('{"pacientes": 0, "medicos": 0, "convenios": 0,
	"pacientes_convenios": 0, "consultas": 0, "exames": 0, "internacoes": 0, "sinais_vitais": 0,
	"faturas": 0, "prontuarios": 0, "dispositivos": 7, "reservas_leito": 0}', seed => 1)
WHERE inserted > 0;
SELECT table_name, dropped_rows FROM oltp_drop_tables('types');
SELECT count(*) AS types_left FROM pg_type
WHERE typname IN ('status_fatura', 'percentual') AND typnamespace = 'public'::regnamespace;

-- slots made before the set is added see its seed
SELECT count(*) FROM oltp_seed(scale => 0.1, seed => 11, anchor => '2026-01-15');
SELECT 'created' FROM pg_create_logical_replication_slot('types_td', 'test_decoding');
SELECT 'created' FROM pg_create_logical_replication_slot('types_po', 'pgoutput');

-- added: seeded in proportion to the patients (the default volumes per
-- 2000), at least one row per edge row
SELECT count(*) AS npac FROM pacientes \gset
SELECT a.table_name,
	   a.inserted = greatest(round(m.default_rows * :npac / 2000.0), CASE a.table_name WHEN 'faturas' THEN 4 ELSE 5 END)
	AS in_proportion
FROM oltp_add_tables('types', seed => 7) a JOIN oltp_tables() m USING (table_name)
ORDER BY m.ordinal;
SELECT * FROM oltp_add_tables('types');
SELECT table_name, primary_key, id_sequence, default_rows FROM oltp_tables()
WHERE table_set = 'types' ORDER BY ordinal;
SELECT table_name, column_name, data_type, not_null, references_table FROM oltp_columns()
WHERE table_name IN (SELECT table_name FROM oltp_tables() WHERE table_set = 'types')
ORDER BY table_name, ordinal;
-- members of the set's extension: the tables, their sequences, the two types
SELECT pg_describe_object(d.classid, d.objid, 0) AS member FROM pg_depend d
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'oltp_sim_types') AND d.deptype = 'e'
  AND (d.classid = 'pg_type'::regclass OR
	   (d.classid = 'pg_class'::regclass AND d.objid IN
		(SELECT c.oid FROM pg_class c WHERE c.relname ~ '^(sinais_vitais|faturas|prontuarios|dispositivos|reservas_leito)')))
ORDER BY 1;
SELECT tablename FROM pg_publication_tables WHERE pubname = 'oltp_sim'
  AND tablename IN (SELECT table_name FROM oltp_tables() WHERE table_set = 'types') ORDER BY 1;
SELECT relname, relreplident FROM pg_class
WHERE relname IN (SELECT table_name FROM oltp_tables() WHERE table_set = 'types') ORDER BY 1;
SELECT tgrelid::regclass AS tabela, tgname FROM pg_trigger
WHERE NOT tgisinternal AND tgrelid::regclass::text IN (SELECT table_name FROM oltp_tables() WHERE table_set = 'types') ORDER BY 1;
-- a table without a key stays FULL, and says so
SELECT * FROM oltp_replica_identity('default')
WHERE table_name IN (SELECT table_name FROM oltp_tables() WHERE table_set = 'types');
SELECT pg_catalog.enum_range(NULL::status_fatura);

-- every edge value of the issue is in the seed
\x on
SELECT bool_or(glicemia = 'NaN') AS numeric_nan, bool_or(glicemia = 'Infinity') AS numeric_infinity,
	   bool_or(glicemia = '-Infinity') AS numeric_minus_infinity,
	   bool_or(scale(glicemia) >= 30) AS numeric_many_digits,
	   bool_or(temperatura = 999.9) AND bool_or(temperatura = -99.9) AS numeric_scale_limits,
	   bool_or(saturacao = 0) AND bool_or(saturacao = 100) AS domain_limits,
	   bool_or(medido_em = 'infinity') AND bool_or(medido_em = '-infinity') AS timestamptz_infinities,
	   bool_or(medido_em::text LIKE '% BC') AS timestamptz_bc,
	   bool_or(duracao = '00:00:00.000001') AND bool_or(duracao = '-00:00:00.000001') AS interval_microseconds,
	   bool_or(duracao::text = '1 year 2 mons 3 days 04:05:06.789012') AS interval_month_day_time,
	   bool_or(duracao::text = '-1 mons +1 day -00:00:01') AS interval_mixed_signs,
	   bool_or(duracao::text = '1 mon -30 days') AS interval_month_not_days,
	   bool_or(EXISTS (SELECT FROM unnest(leituras) e WHERE e IS NULL)) AS numeric_array_null_element,
	   bool_or(leituras = '{}') AS numeric_array_empty,
	   bool_or(array_ndims(leituras) = 2) AS numeric_array_2d,
	   bool_or('NaN' = ANY (leituras)) AS numeric_array_nan,
	   bool_or(EXISTS (SELECT FROM unnest(observacoes) e WHERE e IS NULL)) AS text_array_null_element,
	   bool_or(observacoes = '{}') AS text_array_empty,
	   bool_or(array_ndims(observacoes) = 2) AS text_array_2d,
	   bool_or('NULL' = ANY (observacoes)) AS text_array_null_string,
	   bool_or(observacoes::text LIKE '%\\"%' AND observacoes::text LIKE '%{}%') AS text_array_quotes_braces
FROM sinais_vitais;
SELECT bool_or(valor = '-92233720368547758.08'::numeric::money) AS money_min,
	   bool_or(valor = '92233720368547758.07'::numeric::money) AS money_max,
	   bool_or(valor < 0::money AND valor > '-92233720368547758.08'::numeric::money) AS money_negative,
	   bool_or(emitida_em = 'infinity') AND bool_or(emitida_em = '-infinity') AS timestamp_infinities,
	   bool_or(emitida_em::text LIKE '% BC') AS timestamp_bc,
	   bool_or(vencimento = 'infinity') AND bool_or(vencimento = '-infinity') AS date_infinities,
	   bool_or(vencimento::text LIKE '% BC') AS date_bc,
	   bool_or(serie::text = 'A' AND octet_length(concat(serie)) = 5) AS char_padding,
	   count(DISTINCT status) = 4 AS every_status
FROM faturas;
SELECT bool_or(dados::text = '{"a": 2, "b": 1, "a ": null, "aa": [3, 2, 1]}') AS jsonb_key_order,
	   bool_or(dados ->> 'nome' = 'José' AND dados ->> 'emoji' = '😀') AS jsonb_unicode_escapes,
	   bool_or(dados::text LIKE repeat('{"n": [', 60) || '0' || repeat(']}', 60)) AS jsonb_deep_nesting,
	   bool_or(dados_origem::text LIKE '{"a": 1, "a": 2, %') AS json_duplicate_keys,
	   bool_or(dados_origem::text LIKE '%\u00e9%') AS json_unicode_escapes,
	   bool_or(dados_origem::text LIKE '  {  "espaços" :%') AS json_whitespace,
	   bool_or(anexo = '') AS bytea_empty,
	   bool_or(octet_length(anexo) = 256 AND anexo = (SELECT string_agg(set_byte('\x00', 0, b), '' ORDER BY b)
												   FROM generate_series(0, 255) b)) AS bytea_every_byte,
	   bool_and(tamanho_anexo IS NOT DISTINCT FROM octet_length(anexo)) AS generated_column
FROM prontuarios;
SELECT bool_or(family(ip) = 4 AND masklen(ip) < 32) AND bool_or(family(ip) = 4 AND masklen(ip) = 32) AS inet_v4,
	   bool_or(family(ip) = 6 AND masklen(ip) = 128) AS inet_v6,
	   bool_or(family(rede) = 4) AND bool_or(family(rede) = 6) AS cidr_v4_v6,
	   bool_or(mac = 'ff:ff:ff:ff:ff:ff') AND bool_or(mac = '00:00:00:00:00:00') AS macaddr,
	   bool_or(alarmes = B'00000000') AND bool_or(alarmes = B'11111111') AS bit_8,
	   bool_or(length(capacidades) = 0) AS varbit_empty,
	   bool_or(length(capacidades) = 64) AS varbit_full,
	   bool_or(manutencao = '24:00:00') AS time_24h,
	   bool_or(janela::text = '23:30:00+05:30') AND bool_or(janela::text = '08:00:00-03') AS timetz_offsets,
	   bool_or("NumeroSerie" = 'dx-0001') AND bool_or("NumeroSerie" = 'DX-0001') AS mixed_case_values,
	   bool_or("user" = 'Robert''); DROP TABLE alunos;--') AS quotes_in_values
FROM dispositivos;
SELECT bool_or(isempty(leitos)) AND bool_or(isempty(periodo)) AS ranges_empty,
	   bool_or(upper_inf(leitos) AND NOT lower_inf(leitos)) AS int4range_from,
	   bool_or(lower_inf(leitos) AND upper_inf(leitos)) AS int4range_unbounded,
	   bool_or(lower_inf(periodo) AND upper_inf(periodo)) AS tstzrange_unbounded,
	   bool_or(upper(periodo) = 'infinity') AS tstzrange_to_infinity,
	   bool_or(lower_inc(periodo) AND upper_inc(periodo)) AS tstzrange_one_instant
FROM reservas_leito;
\x off

-- the seed as decoded: every column of every row, by test_decoding and by
-- pgoutput (protocol 1, text), cast back to its type gives exactly what is
-- stored (compared as the output functions write it)
CREATE TABLE t.td AS
	SELECT ord, lsn, data FROM pg_logical_slot_get_changes('types_td', NULL, NULL)
	WITH ORDINALITY AS c(lsn, xid, data, ord);
CREATE TABLE t.po AS
	SELECT ord, lsn, data FROM pg_logical_slot_get_binary_changes('types_po', NULL, NULL,
		'proto_version', '1', 'publication_names', 'oltp_sim') WITH ORDINALITY AS c(lsn, xid, data, ord);
CREATE TABLE t.decoded AS
	SELECT 'test_decoding' AS decoder, substring(data FROM '^table public\.(\w+):') AS tab, ord AS row_no,
		   v.col, v.val
	FROM t.td, t.td_values(data) v
	WHERE data ~ '^table public\.(sinais_vitais|faturas|prontuarios|dispositivos|reservas_leito): INSERT:'
	UNION ALL
	SELECT 'pgoutput', r.relname, p.ord, r.col, v.val
	FROM t.po p, t.po_tuple(p.data) v
	JOIN (SELECT DISTINCT r.* FROM t.po, t.po_relation(data) r WHERE get_byte(data, 0) = ascii('R')) r
	  ON r.relid = v.relid AND r.attno = v.attno
	WHERE get_byte(p.data, 0) = ascii('I');
SELECT decoder, tab, count(DISTINCT row_no) = (SELECT row_count FROM oltp_counts() c WHERE c.table_name = tab)
	AS every_row
FROM t.decoded GROUP BY 1, 2 ORDER BY 1, 2;
-- per column: the decoded values, as sent and cast back, against the stored ones
CREATE FUNCTION t.roundtrip()
RETURNS TABLE (decoder text, tab text, col text, as_sent boolean, cast_back boolean)
LANGUAGE plpgsql AS $$
DECLARE
	a record;
	stored text[];
BEGIN
	FOR a IN SELECT c.relname::text AS tab, x.attname::text AS col, format_type(x.atttypid, x.atttypmod) AS typ
			 FROM pg_class c JOIN pg_attribute x ON x.attrelid = c.oid AND x.attnum > 0 AND NOT x.attisdropped
			 WHERE c.relname IN (SELECT table_name FROM oltp_tables() WHERE table_set = 'types')
			   AND c.relnamespace = 'public'::regnamespace
			 ORDER BY c.relname, x.attnum LOOP
		EXECUTE format('SELECT array_agg(v ORDER BY v COLLATE "C") FROM'
					   ' (SELECT CASE WHEN %1$I IS NOT NULL THEN concat(%1$I) END AS v FROM public.%2$I) s',
					   a.col, a.tab) INTO stored;
		FOR decoder IN SELECT DISTINCT d.decoder FROM t.decoded d ORDER BY 1 LOOP
			tab := a.tab;
			col := a.col;
			EXECUTE format('SELECT array_agg(val ORDER BY val COLLATE "C") = $1,'
						   ' array_agg(back ORDER BY back COLLATE "C") = $1'
						   ' FROM (SELECT d.val, CASE WHEN d.val IS NOT NULL THEN concat(d.val::%s) END AS back'
						   '       FROM t.decoded d WHERE d.decoder = $2 AND d.tab = $3 AND d.col = $4) s', a.typ)
				INTO as_sent, cast_back USING stored, decoder, tab, col;
			RETURN NEXT;
		END LOOP;
	END LOOP;
END
$$;
CREATE TABLE t.rt AS SELECT * FROM t.roundtrip();
SELECT decoder, count(*) AS columns, count(*) FILTER (WHERE as_sent) AS same_as_sent,
	   count(*) FILTER (WHERE cast_back) AS same_cast_back
FROM t.rt GROUP BY 1 ORDER BY 1;
-- the one column pgoutput leaves out: PostgreSQL 15 sends no generated column
SELECT decoder, tab, col, as_sent, cast_back FROM t.rt WHERE as_sent IS NOT TRUE OR cast_back IS NOT TRUE;
SELECT string_agg(r.col, ', ' ORDER BY r.attno) AS pgoutput_sends
FROM (SELECT DISTINCT r.* FROM t.po, t.po_relation(data) r WHERE get_byte(data, 0) = ascii('R')) r
WHERE r.relname = 'prontuarios';
-- test_decoding shows it, with the stored value
SELECT count(*) AS rows_with_tamanho_anexo,
	   bool_and(d.val IS NOT DISTINCT FROM octet_length(a.val::bytea)::text) AS octet_length_of_anexo
FROM t.decoded d JOIN t.decoded a USING (decoder, tab, row_no)
WHERE d.decoder = 'test_decoding' AND d.tab = 'prontuarios' AND d.col = 'tamanho_anexo' AND a.col = 'anexo';
-- char(5) is sent blank-padded, by both
SELECT decoder, bool_and(octet_length(val) = 5) AS padded FROM t.decoded
WHERE tab = 'faturas' AND col = 'serie' GROUP BY 1 ORDER BY 1;
-- quoted identifiers: test_decoding quotes them, pgoutput sends the names
SELECT DISTINCT regexp_match(data, '("NumeroSerie"\[[^]]+\]).*("sala de instalacao"\[[^]]+\]).*("user"\[[^]]+\])')
	AS test_decoding_names
FROM t.td WHERE data LIKE 'table public.dispositivos: INSERT:%';

-- the stream under profile everything, the set's operations with the
-- erasures and renumberings that reach its rows (the others at 0): the
-- counters of rows per table and kind equal what both decoders emit
ALTER SYSTEM SET oltp_sim.profile = 'everything';
SELECT format('ALTER SYSTEM SET oltp_sim.weight_%s = 0', operation) FROM oltp_operations()
WHERE table_name !~ '(sinais_vitais|faturas|prontuarios|dispositivos|reservas_leito)'
  AND operation <> 'rekey_paciente' ORDER BY 1 \gexec
SELECT reload();
SELECT operation, weight FROM oltp_operations() WHERE weight > 0 ORDER BY 1;
-- the same slots, from where they were read
SELECT snap('start');
CREATE TABLE t.csnap AS SELECT 'start'::text AS label, * FROM oltp_changes();
SELECT stream(600);
SELECT snap('run');
INSERT INTO t.csnap SELECT 'run', * FROM oltp_changes();
SELECT sum(errors) AS errors FROM delta WHERE label = 'run';
CREATE VIEW t.changes_delta AS
	SELECT b.table_name AS tab, b.kind, b.rows - a.rows AS n
	FROM t.csnap a JOIN t.csnap b USING (table_name, kind)
	WHERE a.label = 'start' AND b.label = 'run';
TRUNCATE t.td, t.po;
INSERT INTO t.td SELECT ord, lsn, data FROM pg_logical_slot_get_changes('types_td', NULL, NULL)
	WITH ORDINALITY AS c(lsn, xid, data, ord);
INSERT INTO t.po SELECT ord, lsn, data FROM pg_logical_slot_get_binary_changes('types_po', NULL, NULL,
	'proto_version', '1', 'publication_names', 'oltp_sim') WITH ORDINALITY AS c(lsn, xid, data, ord);
CREATE VIEW t.td_changes AS
	SELECT substring(data FROM '^table public\.(\w+):') AS tab,
		   lower(substring(data FROM '^table [^:]+: (INSERT|UPDATE|DELETE):')) AS kind, data
	FROM t.td WHERE data LIKE 'table public.%';
CREATE VIEW t.po_changes AS
	SELECT r.relname AS tab, CASE chr(get_byte(p.data, 0)) WHEN 'I' THEN 'insert' WHEN 'U' THEN 'update'
		   WHEN 'D' THEN 'delete' END AS kind
	FROM t.po p JOIN pg_class r ON r.oid = t.po_int(p.data, 1, 4)::oid
	WHERE chr(get_byte(p.data, 0)) IN ('I', 'U', 'D');
-- every kind the set's operations write, on every table of the set
SELECT tab, kind, n > 0 AS changed FROM t.changes_delta
WHERE tab IN (SELECT table_name FROM oltp_tables() WHERE table_set = 'types') AND kind IN ('insert', 'update')
ORDER BY 1, 2;
SELECT count(*) AS table_kinds,
	   bool_and(d.n = (SELECT count(*) FROM t.td_changes c WHERE c.tab = d.tab AND c.kind = d.kind))
		FILTER (WHERE d.kind <> 'truncate') AS test_decoding_matches,
	   bool_and(d.n = (SELECT count(*) FROM t.po_changes c WHERE c.tab = d.tab AND c.kind = d.kind))
		FILTER (WHERE d.kind <> 'truncate') AS pgoutput_matches,
	   sum(d.n) FILTER (WHERE d.kind = 'truncate') AS truncates
FROM t.changes_delta d;
-- every value the stream wrote in the set's tables, as both decoders send
-- it in inserts and updates, casts back to its type and prints the same
CREATE FUNCTION t.casts_back(tab text, col text, val text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
	same boolean;
BEGIN
	EXECUTE format('SELECT concat($1::%s) = $1',
				   (SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
					WHERE a.attrelid = format('public.%I', tab)::regclass AND a.attname = col))
		INTO same USING val;
	RETURN same;
END
$$;
CREATE TABLE t.streamed AS
	SELECT 'test_decoding' AS decoder, c.tab, v.col, v.val
	FROM t.td_changes c, t.td_values(c.data) v
	WHERE c.kind IN ('insert', 'update')
	  AND c.tab IN (SELECT table_name FROM oltp_tables() WHERE table_set = 'types')
	UNION ALL
	SELECT 'pgoutput', r.relname, r.col, v.val
	FROM t.po p, t.po_tuple(p.data) v
	JOIN (SELECT DISTINCT r.* FROM t.po, t.po_relation(data) r WHERE get_byte(data, 0) = ascii('R')) r
	  ON r.relid = v.relid AND r.attno = v.attno
	WHERE chr(get_byte(p.data, 0)) IN ('I', 'U')
	  AND r.relname IN (SELECT table_name FROM oltp_tables() WHERE table_set = 'types');
SELECT decoder, count(DISTINCT tab || '.' || col) AS columns, count(*) > 1000 AS values,
	   bool_and(val IS NULL OR t.casts_back(tab, col, val)) AS all_cast_back
FROM t.streamed GROUP BY 1 ORDER BY 1;

-- the table without a key: its updates and deletes carry the whole old row
SELECT count(*) FILTER (WHERE kind = 'update') > 0 AS updates,
	   bool_and(data ~ '(DELETE: |old-key: )paciente_id\[bigint\]:\d+ leitos\[int4range\]:.* updated_at\[') AS whole_old_row
FROM t.td_changes WHERE tab = 'reservas_leito' AND kind IN ('update', 'delete');

-- a value added to the enum while the stream writes invoices: the events
-- after it carry it, none before
SELECT format('ALTER SYSTEM SET oltp_sim.weight_%s = %s', operation,
			  CASE WHEN operation IN ('insert_fatura', 'update_fatura') THEN 1 ELSE 0 END)
FROM oltp_operations() ORDER BY 1 \gexec
SELECT reload();
SELECT 'created' FROM pg_create_logical_replication_slot('types_enum', 'test_decoding');
SELECT snap('start');
SELECT oltp_start();
SELECT wait_until($$SELECT sum(o.committed - s.committed) >= 100 FROM oltp_operations() o
					 JOIN t.snaps s ON s.operation = o.operation AND s.label = 'start'$$);
BEGIN;
ALTER TYPE status_fatura ADD VALUE 'estornada';
SELECT pg_current_xact_id()::xid AS added_by \gset
COMMIT;
SELECT snap('added');
SELECT wait_until($$SELECT sum(o.committed - s.committed) >= 200 FROM oltp_operations() o
					 JOIN t.snaps s ON s.operation = o.operation AND s.label = 'added'$$);
SELECT oltp_stop();
SELECT wait_until($q$SELECT state = 'paused' FROM oltp_status()$q$);
SELECT snap('enum');
SELECT sum(errors) AS errors FROM delta WHERE label = 'enum';
-- the stream is in commit order: the transaction that added the value
-- divides it
CREATE TABLE t.enum AS
	SELECT ord, xid, data FROM pg_logical_slot_get_changes('types_enum', NULL, NULL)
	WITH ORDINALITY AS c(lsn, xid, data, ord);
SELECT e.ord > (SELECT ord FROM t.enum WHERE xid = :'added_by' AND data LIKE 'COMMIT%') AS after_the_value_was_added,
	   count(*) > 0 AS changes, count(*) FILTER (WHERE e.data LIKE '%status[status_fatura]:''estornada''%') > 0 AS carry_it
FROM t.enum e
WHERE e.data ~ '^table public\.faturas: (INSERT|UPDATE):'
GROUP BY 1 ORDER BY 1;
SELECT count(*) > 0 AS estornadas FROM faturas WHERE status = 'estornada';
SELECT format('ALTER SYSTEM RESET oltp_sim.weight_%s', operation) FROM oltp_operations() ORDER BY 1 \gexec
ALTER SYSTEM RESET oltp_sim.profile;
SELECT reload();

-- oltp_run twice from the same seeded data and seeds: the same rows in the
-- set's tables, which the run changed (the audit timestamps keep the wall
-- clock and are left out)
SELECT format('ALTER SYSTEM SET oltp_sim.weight_%s = %s', operation,
			  CASE WHEN table_name ~ '(sinais_vitais|faturas|prontuarios|dispositivos|reservas_leito)'
				   THEN 1 ELSE 0 END)
FROM oltp_operations() ORDER BY 1 \gexec
SELECT reload();
CREATE FUNCTION t.sums() RETURNS TABLE (table_name text, row_count bigint, digest numeric)
LANGUAGE sql AS $$
	SELECT c.* FROM oltp_checksums(exclude_columns => '{created_at,updated_at,data_cadastro}') c
	JOIN oltp_tables() m USING (table_name) WHERE m.table_set = 'types'
$$;
SELECT count(*) FROM oltp_reset(scale => 0.1, seed => 1, anchor => '2026-01-15');
CREATE TABLE t.seeded AS SELECT * FROM t.sums();
CALL oltp_run(ops => 300, seed => 2, anchor => '2026-01-15 08:00');
CREATE TABLE t.first AS SELECT * FROM t.sums();
SELECT count(*) FROM oltp_reset(scale => 0.1, seed => 1, anchor => '2026-01-15');
CALL oltp_run(ops => 300, seed => 2, anchor => '2026-01-15 08:00');
SELECT f.table_name, f.digest <> s.digest AS changed_by_the_run, f.row_count = a.row_count AND f.digest = a.digest
	AS same_rows
FROM t.first f JOIN t.seeded s USING (table_name) JOIN t.sums() a USING (table_name)
ORDER BY 1;
SELECT format('ALTER SYSTEM RESET oltp_sim.weight_%s', operation) FROM oltp_operations() ORDER BY 1 \gexec
SELECT reload();

-- dropped and added again with the same seed: the same rows
SELECT table_name, dropped_rows > 0 AS had_rows FROM oltp_drop_tables('types');
SELECT count(*) AS tables_left FROM pg_class WHERE relname IN ('sinais_vitais', 'faturas', 'prontuarios',
	'dispositivos', 'reservas_leito', 'sinais_vitais_id_seq', 'dispositivos_id_seq');
SELECT count(*) AS types_left FROM pg_type
WHERE typname IN ('status_fatura', 'percentual') AND typnamespace = 'public'::regnamespace;
SELECT table_name FROM oltp_add_tables('types', seed => 7) ORDER BY 1;
CREATE TABLE t.again AS SELECT * FROM t.sums();
SELECT table_name FROM oltp_drop_tables('types') ORDER BY 1;
SELECT table_name FROM oltp_add_tables('types', seed => 7) ORDER BY 1;
SELECT count(*) AS tables, bool_and(a.row_count = b.row_count AND a.digest = b.digest) AS same_rows
FROM t.again a JOIN t.sums() b USING (table_name);
-- a column of the user's own of the set's enum: the drop is refused, whole
CREATE TABLE public.uso_externo (s status_fatura);
SELECT * FROM oltp_drop_tables('types');
SELECT count(*) AS tables_kept FROM oltp_counts()
WHERE table_name IN (SELECT table_name FROM oltp_tables() WHERE table_set = 'types');
DROP TABLE public.uso_externo;
SELECT table_name FROM oltp_drop_tables('types') ORDER BY 1;

SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
WHERE slot_name LIKE 'types\_%' ORDER BY slot_name;
DROP EXTENSION oltp_sim CASCADE;
DROP PUBLICATION oltp_sim;
SET client_min_messages = warning;
DROP SCHEMA t CASCADE;
