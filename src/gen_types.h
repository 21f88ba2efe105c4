/*-------------------------------------------------------------------------
 *
 * gen_types.h
 *		The values of the set types, as SQL: one SELECT per table drawing
 *		realistic rows from a hash of the row's number and a seed, with the
 *		edge values of each type in rows of their own.  The seed
 *		(seed_types.c) inserts many rows with it; the stream's operations
 *		(op_types.c) insert one, or update a row with a new draw.
 *
 * The values are built in SQL rather than in C: they are of types whose
 * text form is the very thing under test (money, intervals, ranges, bit
 * strings, json as written), and the edge values are written once, as the
 * literals a reader checks against the README's list.
 *
 * Each SELECT reads the CTEs the caller puts before it: g (i the row's
 * number, base what the table held before, e the edge row the row carries
 * or NULL) and p (ids, the patients to draw from); and the parameters $2
 * a seed (int8) and $3 the time the rows are drawn around (a timestamp;
 * timestamptz values are its wall clock in America/Sao_Paulo, whatever
 * the session's TimeZone).  Each value is named after its edge column, so
 * an update can take the columns it sets from it.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_GEN_TYPES_H
#define OLTP_SIM_GEN_TYPES_H

/*
 * Operators and the draws, every name pg_catalog's (see op.h).  OPERATOR()
 * gives every operator the same precedence, left to right: the macros
 * parenthesize.
 */
#define TYPES_OP(o)		" OPERATOR(pg_catalog." o ") "
/* a non-negative 63-bit draw for column k of row g.i */
#define TYPES_HASH(k) \
	"pg_catalog.int8and(pg_catalog.hashint8extended(g.i" TYPES_OP("*") "16" TYPES_OP("+") #k \
	", $2), 9223372036854775807)"
/* a whole number from 0 to n - 1, as int8 (n may be a macro of a number) */
#define TYPES_UNIFORM(k, n)		"pg_catalog.mod(" TYPES_HASH(k) ", " CppAsString2(n) "::pg_catalog.int8)"
/* the same as int4, for the functions that take one */
#define TYPES_UNIFORM4(k, n)	TYPES_UNIFORM(k, n) "::pg_catalog.int4"
/*
 * How far from the anchor the values are drawn: gen_anchor.c derives the
 * range of valid anchors from these (timestamptz values are also up to a
 * few hours later in UTC than the wall clock they are drawn on).
 */
#define TYPES_MEASURED_SECS		7776000 /* vital signs, reservations: 90 days back */
#define TYPES_ISSUED_SECS		15552000	/* invoices: 180 days back */
#define TYPES_DUE_DAYS			30	/* an invoice is due 30 days after it is issued */
#define TYPES_RESERVED_DAYS		14	/* a bed is reserved for 1 to 14 days */

/* less than n seconds before the anchor */
#define TYPES_BEFORE(k, n) \
	"($3" TYPES_OP("-") "('1 second'::pg_catalog.interval" TYPES_OP("*") TYPES_UNIFORM(k, n) "::pg_catalog.float8))"
/* the same wall clock in Sao Paulo */
#define TYPES_BEFORE_TZ(k, n) \
	"pg_catalog.timezone('America/Sao_Paulo'::pg_catalog.text, " TYPES_BEFORE(k, n) ")"
/* the realistic value, or the edge row's */
#define TYPES_VALUE(real, col)	"CASE WHEN x.e IS NULL THEN " real " ELSE x." col " END AS " col

#define TYPES_FROM_ROWS(edges, cols) \
	" FROM g CROSS JOIN p LEFT JOIN (VALUES " edges ") x(e, " cols ")" \
	" ON x.e" TYPES_OP("=") "g.e ORDER BY g.i"
/* the same for a table that references no patient */
#define TYPES_FROM_ROWS_ALONE(edges, cols) \
	" FROM g LEFT JOIN (VALUES " edges ") x(e, " cols ")" \
	" ON x.e" TYPES_OP("=") "g.e ORDER BY g.i"
/* a patient drawn for the row */
#define TYPES_PACIENTE \
	"p.ids[1" TYPES_OP("+") "pg_catalog.mod(" TYPES_HASH(0) ", pg_catalog.cardinality(p.ids)::pg_catalog.int8)]"
/* an element of a text array literal, drawn with column k */
#define TYPES_PICK_TEXT(k, list) \
	"('" list "'::pg_catalog.text[])[1" TYPES_OP("+") "pg_catalog.mod(" TYPES_HASH(k) \
	", pg_catalog.cardinality('" list "'::pg_catalog.text[])::pg_catalog.int8)]"
#define TYPES_DECIMAL(expr, unit) \
	"((" expr ")::pg_catalog.numeric" TYPES_OP("*") unit "::pg_catalog.numeric)"

/* vital signs: numerics with and without scale, a domain, arrays, intervals */
#define TYPES_SINAIS_VITAIS_EDGES	5
#define TYPES_SINAIS_VITAIS_BASE	"0"
#define TYPES_SINAIS_VITAIS_COLUMNS \
	"paciente_id, medido_em, temperatura, saturacao, glicemia, leituras, duracao, observacoes"
#define TYPES_SINAIS_VITAIS_SELECT \
	"SELECT "TYPES_PACIENTE ", " \
	TYPES_VALUE(TYPES_BEFORE_TZ(1, TYPES_MEASURED_SECS), "medido_em") ", " \
	TYPES_VALUE(TYPES_DECIMAL(TYPES_UNIFORM(2, 60) TYPES_OP("+") "350", "0.1"), "temperatura") ", " \
	TYPES_VALUE(TYPES_DECIMAL(TYPES_UNIFORM(3, 1000) TYPES_OP("+") "9000", "0.01") "::%1$s.percentual", "saturacao") ", " \
	TYPES_VALUE("CASE WHEN " TYPES_UNIFORM(4, 10) TYPES_OP("=") "0 THEN NULL ELSE " \
		TYPES_DECIMAL(TYPES_UNIFORM(5, 130000000) TYPES_OP("+") "70000000", "0.000001") " END", "glicemia") ", " \
	TYPES_VALUE("ARRAY[" TYPES_DECIMAL(TYPES_UNIFORM(6, 40) TYPES_OP("+") "60", "1") ", " TYPES_DECIMAL(TYPES_UNIFORM(7, 40) TYPES_OP("+") "60", "1") ", " \
		TYPES_DECIMAL(TYPES_UNIFORM(8, 40) TYPES_OP("+") "60", "1") "]", "leituras") ", " \
	TYPES_VALUE("'00:00:00.000001'::pg_catalog.interval" TYPES_OP("*") TYPES_UNIFORM(9, 3600000000) "::pg_catalog.float8", \
		"duracao") ", " \
	TYPES_VALUE("ARRAY[" TYPES_PICK_TEXT(10, "{\"paciente estável\",\"dor leve\",\"em jejum\",\"pós-operatório\"," \
							   "\"febril\",\"sem queixas\",\"sonolento\"}") ", " \
		TYPES_PICK_TEXT(11, "{\"monitor multiparamétrico\",\"aferição manual\",\"oxímetro de pulso\"}") \
		"]", "observacoes") \
	TYPES_FROM_ROWS( \
		"(1::pg_catalog.int8, 'infinity'::pg_catalog.timestamptz, 36.5::pg_catalog.numeric(4,1)," \
		" 100::%1$s.percentual, 'NaN'::pg_catalog.numeric, '{98.6,NULL,101.2}'::pg_catalog.numeric[]," \
		" '00:00:00.000001'::pg_catalog.interval," \
		" '{\"paciente estável\",NULL}'::pg_catalog.text[]), " \
		"(2, '-infinity', -99.9, 0, 'Infinity', '{}', '-00:00:00.000001', '{}'), " \
		"(3, '0044-03-15 12:00:00+00 BC', 999.9, 99.99, '-Infinity', '{{1.5,2.25},{NULL,-3}}'," \
		" '1 year 2 mons 3 days 04:05:06.789012', '{{\"a,b\",\"c\\\"d\"},{\"{e}\",\"NULL\"}}'), " \
		"(4, '2026-01-01 00:00:00+00', NULL, NULL," \
		" '-12345678901234567890.123456789012345678901234567890'," \
		" '{NaN,Infinity,-Infinity,0.000000000000000000001}', '-1 mons +1 day -00:00:01'," \
		" '{\"vírgula, aspas \\\" e chaves {}\",\"ação 😀\",\"  espaços  \",\"\"}'), " \
		"(5, '1999-12-31 23:59:59.999999-03', 0.0, 50.5, '0.000000000000000000000000000001'," \
		" '{NULL}', '1 mon -30 days', NULL)", \
		"medido_em, temperatura, saturacao, glicemia, leituras, duracao, observacoes")

/*
 * Invoices: money at both limits and negative, numeric with scale, dates
 * and timestamps infinite and BC, the enum's values as the type has them
 * now, a composite key whose char(5) half is stored blank-padded.  The
 * numbers go on from the highest there is.
 */
#define TYPES_FATURAS_EDGES	4
#define TYPES_FATURAS_BASE	"SELECT pg_catalog.max(numero) FROM %1$s.faturas"
#define TYPES_FATURAS_COLUMNS \
	"serie, numero, paciente_id, valor, desconto, emitida_em, vencimento, status"
#define TYPES_FATURAS_SELECT \
	"SELECT " TYPES_VALUE(TYPES_PICK_TEXT(1, "{A,B,NF,SUS,2026}"), "serie") ", " \
	"(g.base" TYPES_OP("+") "g.i)::pg_catalog.int4, "TYPES_PACIENTE ", " \
	TYPES_VALUE(TYPES_DECIMAL(TYPES_UNIFORM(2, 2000000) TYPES_OP("+") "5000", "0.01") "::pg_catalog.money", "valor") ", " \
	TYPES_VALUE("CASE WHEN " TYPES_UNIFORM(3, 10) TYPES_OP("<") "3 THEN NULL ELSE " TYPES_DECIMAL(TYPES_UNIFORM(4, 50000), "0.01") " END", \
		"desconto") ", " \
	TYPES_VALUE(TYPES_BEFORE(5, TYPES_ISSUED_SECS), "emitida_em") ", " \
	TYPES_VALUE(TYPES_BEFORE(5, TYPES_ISSUED_SECS) "::pg_catalog.date" TYPES_OP("+") CppAsString2(TYPES_DUE_DAYS), \
		"vencimento") ", " \
	TYPES_VALUE("(pg_catalog.enum_range(NULL::%1$s.status_fatura))[1" TYPES_OP("+") "pg_catalog.mod(" TYPES_HASH(6) \
		", pg_catalog.cardinality(pg_catalog.enum_range(NULL::%1$s.status_fatura))::pg_catalog.int8)]", \
		"status") \
	TYPES_FROM_ROWS( \
		"(1::pg_catalog.int8, 'A'::pg_catalog.bpchar," \
		" '-92233720368547758.08'::pg_catalog.numeric::pg_catalog.money," \
		" -0.01::pg_catalog.numeric(12,2), 'infinity'::pg_catalog.timestamp," \
		" 'infinity'::pg_catalog.date, 'aberta'::%1$s.status_fatura), " \
		"(2, 'SERIE', '92233720368547758.07'::pg_catalog.numeric::pg_catalog.money, 9999999999.99," \
		" '-infinity', '-infinity', 'paga'), " \
		"(3, 'A B', '-1234.56'::pg_catalog.numeric::pg_catalog.money, NULL, '0001-01-01 00:00:00 BC'," \
		" '4713-01-01 BC', 'vencida'), " \
		"(4, 'B', '0.00'::pg_catalog.numeric::pg_catalog.money, 0.00, '294276-12-31 23:59:59.999999'," \
		" '5874897-12-31', 'cancelada')", \
		"serie, valor, desconto, emitida_em, vencimento, status")

/*
 * The medical record: jsonb (normalized: key order, duplicates, escapes
 * resolved), json kept as written, bytea empty and with every byte value;
 * the uuid is drawn from the seed and the row's place.
 */
#define TYPES_PRONTUARIOS_EDGES	5
#define TYPES_PRONTUARIOS_BASE	"SELECT pg_catalog.count(*) FROM %1$s.prontuarios"
#define TYPES_PRONTUARIOS_COLUMNS \
	"id, paciente_id, dados, dados_origem, anexo"
#define TYPES_PRONTUARIOS_SELECT \
	"SELECT pg_catalog.md5(pg_catalog.concat($2, ':', g.base" TYPES_OP("+") "g.i))::pg_catalog.uuid, " \
	TYPES_PACIENTE ", " \
	TYPES_VALUE("pg_catalog.jsonb_build_object('pressao', pg_catalog.concat(" TYPES_UNIFORM(1, 60) TYPES_OP("+") "100, '/', " \
		TYPES_UNIFORM(2, 40) TYPES_OP("+") "60), 'peso_kg', " TYPES_DECIMAL(TYPES_UNIFORM(3, 900) TYPES_OP("+") "400", "0.1") ", 'alergias', " \
		"pg_catalog.jsonb_build_array(" TYPES_PICK_TEXT(4, "{dipirona,penicilina,látex,nenhuma}") "), " \
		"'tipo_sanguineo', " TYPES_PICK_TEXT(5, "{A+,A-,B+,O+,O-,AB+}") ")", "dados") ", " \
	TYPES_VALUE("CASE WHEN " TYPES_UNIFORM(6, 4) TYPES_OP("=") "0 THEN NULL ELSE pg_catalog.json_build_object('origem', " \
		TYPES_PICK_TEXT(7, "{\"pronto-socorro\",ambulatório,internação}") ", 'versao', " TYPES_UNIFORM(8, 5) \
		TYPES_OP("+") "1) END", "dados_origem") ", " \
	TYPES_VALUE("CASE WHEN " TYPES_UNIFORM(9, 3) TYPES_OP("=") "0 THEN NULL ELSE pg_catalog.decode(pg_catalog.md5(" \
		"pg_catalog.concat($2, '/', g.base" TYPES_OP("+") "g.i)), 'hex') END", "anexo") \
	TYPES_FROM_ROWS( \
		"(1::pg_catalog.int8, '{\"b\": 1, \"a\": 2, \"aa\": [3, 2, 1], \"a \": null}'::pg_catalog.jsonb," \
		" '{\"b\": 1, \"a\": 2}'::pg_catalog.json, ''::pg_catalog.bytea), " \
		"(2, '{\"nome\": \"Jos\\u00e9\", \"emoji\": \"\\ud83d\\ude00\", \"tab\": \"\\t\"}'," \
		" '{\"nome\": \"Jos\\u00e9\", \"controle\": \"\\u001f\"}'," \
		" (SELECT pg_catalog.decode(pg_catalog.string_agg(pg_catalog.lpad(pg_catalog.to_hex(b)," \
		" 2, '0'), '' ORDER BY b), 'hex') FROM pg_catalog.generate_series(0, 255) b)), " \
		"(3, (SELECT pg_catalog.concat(pg_catalog.repeat('{\"n\": [', 60), '0'," \
		" pg_catalog.repeat(']}', 60))::pg_catalog.jsonb)," \
		" '{\"a\": 1, \"a\": 2, \"a\": {\"a\": 3, \"a\": 4}}', NULL), " \
		"(4, '{}', '  {  \"espaços\" :  [ 1 , 2 ]  ,\"z\":true}  ', '\\x00'), " \
		"(5, '{\"grande\": 1e400, \"zero\": -0.0, \"lista\": [], \"texto\": \"\"}', 'null', '\\xff')", \
		"dados, dados_origem, anexo")

/*
 * Devices: quoted identifiers, network addresses of both families with and
 * without a prefix, bit strings (an empty varbit), 24:00:00 and times with
 * offsets other than UTC.
 */
#define TYPES_DISPOSITIVOS_EDGES	5
#define TYPES_DISPOSITIVOS_BASE	"0"
#define TYPES_DISPOSITIVOS_COLUMNS \
	"\"NumeroSerie\", \"sala de instalacao\", \"user\", ip, rede, mac, alarmes, capacidades, manutencao, janela"
#define TYPES_DISPOSITIVOS_SELECT \
	"SELECT " TYPES_VALUE("pg_catalog.concat('DX-', pg_catalog.upper(pg_catalog.lpad(pg_catalog.to_hex(" \
				  TYPES_UNIFORM(1, 4294967296) "), 8, '0')))", "numero_serie") ", " \
	TYPES_VALUE("pg_catalog.concat(" TYPES_PICK_TEXT(2, "{UTI,\"Centro Cirúrgico\",Enfermaria,\"Pronto-Socorro\"}") \
		", ' - leito ', " TYPES_UNIFORM(3, 40) TYPES_OP("+") "1)", "sala") ", " \
	TYPES_VALUE(TYPES_PICK_TEXT(4, "{enf.maria,dr.silva,tec.joao,biomedica.ana,NULL}"), "usuario") ", " \
	TYPES_VALUE("pg_catalog.concat('10.', " TYPES_UNIFORM(5, 256) ", '.', " TYPES_UNIFORM(6, 256) ", '.', " TYPES_UNIFORM(7, 254) TYPES_OP("+") \
		"1)::pg_catalog.inet", "ip") ", " \
	TYPES_VALUE("pg_catalog.network(pg_catalog.concat('10.', " TYPES_UNIFORM(5, 256) ", '.', " TYPES_UNIFORM(6, 256) \
		", '.0/24')::pg_catalog.inet)", "rede") ", " \
	TYPES_VALUE("pg_catalog.concat('08002b', pg_catalog.\"substring\"(pg_catalog.md5(pg_catalog.concat($2," \
		" '#', g.i)), 1, 6))::pg_catalog.macaddr", "mac") ", " \
	TYPES_VALUE(TYPES_UNIFORM4(8, 256) "::pg_catalog.bit(8)", "alarmes") ", " \
	TYPES_VALUE("pg_catalog.\"substring\"(" TYPES_HASH(9) "::pg_catalog.bit(64), 1, " TYPES_UNIFORM4(10, 64) TYPES_OP("+") "1)", \
		"capacidades") ", " \
	TYPES_VALUE("pg_catalog.make_time(" TYPES_UNIFORM4(11, 24) ", " TYPES_UNIFORM4(12, 4) TYPES_OP("*") "15, 0::pg_catalog.float8)", \
		"manutencao") ", " \
	TYPES_VALUE("pg_catalog.concat(pg_catalog.make_time(" TYPES_UNIFORM4(13, 24) ", 0, 0::pg_catalog.float8), " \
		TYPES_PICK_TEXT(14, "{-03,-03,-02,-04,-05,+00}") ")::pg_catalog.timetz", "janela") \
	TYPES_FROM_ROWS_ALONE( \
		"(1::pg_catalog.int8, 'DX-0001'::pg_catalog.text, 'UTI \"Adulto\" 1'::pg_catalog.text," \
		" 'user'::pg_catalog.text, '192.168.10.25/24'::pg_catalog.inet," \
		" '192.168.10.0/24'::pg_catalog.cidr, '08:00:2b:01:02:03'::pg_catalog.macaddr," \
		" B'00000000'::pg_catalog.bit(8), B''::pg_catalog.varbit, '24:00:00'::pg_catalog.time," \
		" '08:00:00-03'::pg_catalog.timetz), " \
		"(2, 'dx-0001', NULL, 'Robert''); DROP TABLE alunos;--', '2001:db8::1', '2001:db8::/32'," \
		" 'ff:ff:ff:ff:ff:ff', B'11111111', B'1', '00:00:00', '23:30:00+05:30'), " \
		"(3, 'Série Ω', 'Sala de Recuperação', NULL, '::ffff:10.0.0.1/128', '0.0.0.0/0'," \
		" '00:00:00:00:00:00', B'10100101', B'1111111111111111111111111111111111111111111111111111111111111111'," \
		" '23:59:59.999999', '00:00:00+14'), " \
		"(4, 'DX 0004', '', '', '10.0.0.1', '10.0.0.0/8', NULL, NULL, B'0101'," \
		" '12:34:56.789012', '12:00:00-12'), " \
		"(5, 'dx\\\\0005', 'Sala 5', 'root', '::1', '::/0', '01:23:45:67:89:ab', B'00000001', B'0'," \
		" NULL, '12:00:00+00')", \
		"numero_serie, sala, usuario, ip, rede, mac, alarmes, capacidades, manutencao, janela")

/*
 * Bed reservations: ranges empty, unbounded on either side, up to
 * infinity; the table has no key.
 */
#define TYPES_RESERVAS_LEITO_EDGES	5
#define TYPES_RESERVAS_LEITO_BASE	"0"
#define TYPES_RESERVAS_LEITO_COLUMNS \
	"paciente_id, leitos, periodo, observacao"
#define TYPES_RESERVAS_LEITO_SELECT \
	"SELECT "TYPES_PACIENTE ", " \
	TYPES_VALUE("pg_catalog.int4range(" TYPES_UNIFORM4(1, 400) TYPES_OP("+") "100, " TYPES_UNIFORM4(1, 400) TYPES_OP("+") "101)", "leitos") ", " \
	TYPES_VALUE("pg_catalog.tstzrange(" TYPES_BEFORE_TZ(2, TYPES_MEASURED_SECS) ", " \
		TYPES_BEFORE_TZ(2, TYPES_MEASURED_SECS) TYPES_OP("+") "('1 day'::pg_catalog.interval" TYPES_OP("*") \
		"(" TYPES_UNIFORM(3, TYPES_RESERVED_DAYS) TYPES_OP("+") "1)::pg_catalog.float8))", \
		"periodo") ", " \
	TYPES_VALUE(TYPES_PICK_TEXT(4, "{\"pós-operatório\",isolamento,\"aguardando vaga\",NULL,\"alta prevista\"}"), \
		"observacao") \
	TYPES_FROM_ROWS( \
		"(1::pg_catalog.int8, 'empty'::pg_catalog.int4range, 'empty'::pg_catalog.tstzrange," \
		" NULL::pg_catalog.text), " \
		"(2, '[5,)', '(,)', 'sem fim'), " \
		"(3, '(,)', '[2026-01-01 00:00:00+00,infinity)', 'até segunda ordem'), " \
		"(4, '[101,102)', '(,2026-01-01 00:00:00+00)', ''), " \
		"(5, '[1,2]', '[2026-03-01 08:00:00-03,2026-03-01 08:00:00-03]', 'um instante')", \
		"leitos, periodo, observacao")

#endif							/* OLTP_SIM_GEN_TYPES_H */
