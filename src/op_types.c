/*-------------------------------------------------------------------------
 *
 * op_types.c
 *		The operations of the set types: an insert and an update on each of
 *		its tables, writing the values the seed writes (types_sql.h), one
 *		in eight an edge value.
 *
 * An insert draws one row of the table's SELECT, an update draws one and
 * sets the row's non-key columns from it.  The enum's value is picked from
 * enum_range() when the statement runs, so a value added with ALTER TYPE
 * ... ADD VALUE while the stream runs is written by the operations after
 * it (their plans need no refresh: the range is read, not planned).
 *
 * The rows to update are picked like the other updates' (PICK_CANDIDATE,
 * FOR UPDATE SKIP LOCKED), each by its own key: a composite one, a uuid,
 * and for reservas_leito, which has none, the ctid of the row the pick
 * locked, which nothing can move before the update.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/timestamp.h"

#include "op.h"
#include "types_sql.h"

/* one edge row in this many */
#define OP_TYPES_EDGE_SHARE		8

/*
 * The rows of one insert: g is the one row, its edge row $4 (or NULL), p
 * the patient at fraction $1; $2 the draw's seed, $3 now.
 */
#define INSERT_ROWS(base) \
	"WITH s AS (SELECT COALESCE((" base "), 0)::pg_catalog.int8 AS base), " \
	"p AS (SELECT ARRAY[x.id] AS ids FROM " PICK("pacientes", "1") " x), " \
	"g AS (SELECT 1::pg_catalog.int8 AS i, s.base, $4 AS e FROM s) "
#define INSERT_TYPES(T, t) \
	INSERT_ROWS(TYPES_##T##_BASE) "INSERT INTO %1$s." t " (" TYPES_##T##_COLUMNS ") " \
	TYPES_##T##_SELECT

/* an update draws no patient: the row keeps its own */
#define UPDATE_ROWS \
	"WITH p AS (SELECT NULL::pg_catalog.int8[] AS ids), " \
	"g AS (SELECT 1::pg_catalog.int8 AS i, 0::pg_catalog.int8 AS base, $4 AS e) "
/* set COLS (named as the SELECT names them: SRC) of the row WHERE says */
#define UPDATE_TYPES(T, t, COLS, SRC, WHERE) \
	UPDATE_ROWS "UPDATE %1$s." t " SET (" COLS ") = (SELECT " SRC " FROM (" \
	TYPES_##T##_SELECT ") n) WHERE " WHERE

#define DRAW_ARGS	FLOAT8OID, INT8OID, TIMESTAMPOID, INT8OID

/* $1 a fraction, $2 the draw's seed, $3 now, $4 the edge row or NULL */
static void
op_types_draw(OltpOpContext *ctx, int edges, Datum *args, char *nulls)
{
	args[0] = oltp_op_fraction(ctx);
	args[1] = Int64GetDatum((int64) (pg_prng_uint64(ctx->rng) >> 1));
	args[2] = TimestampGetDatum(ctx->now);
	memset(nulls, ' ', 4);
	if (pg_prng_uint64_range(ctx->rng, 1, OP_TYPES_EDGE_SHARE) == 1)
		args[3] = Int64GetDatum((int64) pg_prng_uint64_range(ctx->rng, 1, edges));
	else
		nulls[3] = 'n';
}

static OltpOpResult
op_types_insert(OltpOpContext *ctx, int edges)
{
	Datum		args[4];
	char		nulls[5] = {0};

	op_types_draw(ctx, edges, args, nulls);
	/* no patient to draw: nothing inserted */
	return oltp_op_exec(ctx, 0, args, nulls) == 1 ? OLTP_OP_DONE : OLTP_OP_SKIPPED;
}

/*
 * Pick a row with statement 0 and update it with statement 1, the row's
 * key (nkey columns of what the pick returned) as $5 on.
 */
static OltpOpResult
op_types_update(OltpOpContext *ctx, int edges, int nkey)
{
	Datum		args[4 + 2];
	char		nulls[4 + 2 + 1] = {0};
	OltpStmtResult *picked = &ctx->results[0];

	if (!oltp_op_pick(ctx))
		return OLTP_OP_SKIPPED;
	op_types_draw(ctx, edges, args, nulls);
	for (int k = 0; k < nkey; k++)
	{
		bool		isnull;

		args[4 + k] = SPI_getbinval(picked->tuptable->vals[0], picked->tuptable->tupdesc,
									k + 1, &isnull);
		nulls[4 + k] = isnull ? 'n' : ' ';
	}
	return oltp_op_one(ctx, 1, oltp_op_exec(ctx, 1, args, nulls));
}

/* the races an insert expects: its patient erased, or another insert's key */
#define INSERT_EXPECTS \
	{ERRCODE_FOREIGN_KEY_VIOLATION, ERRCODE_UNIQUE_VIOLATION, ERRCODE_T_R_DEADLOCK_DETECTED}

/* vital signs */
static OltpOpResult
op_insert_sinais_vitais(OltpOpContext *ctx)
{
	return op_types_insert(ctx, TYPES_SINAIS_VITAIS_EDGES);
}

const OltpOpDef oltp_op_insert_sinais_vitais = {
	"insert_sinais_vitais", WEIGHTS(0, 0, 3), {
		{INSERT_TYPES(SINAIS_VITAIS, "sinais_vitais"), 4, {DRAW_ARGS},
		CHANGES(OLTP_SINAIS_VITAIS, INSERT)},
	},
	INSERT_EXPECTS, op_insert_sinais_vitais
};

static OltpOpResult
op_update_sinais_vitais(OltpOpContext *ctx)
{
	return op_types_update(ctx, TYPES_SINAIS_VITAIS_EDGES, 1);
}

#define SINAIS_VITAIS_SET \
	"medido_em, temperatura, saturacao, glicemia, leituras, duracao, observacoes"

const OltpOpDef oltp_op_update_sinais_vitais = {
	"update_sinais_vitais", WEIGHTS(0, 0, 2), {
		{PICK_CANDIDATE("sinais_vitais", "id", "true"), 1, {FLOAT8OID}},
		{UPDATE_TYPES(SINAIS_VITAIS, "sinais_vitais", SINAIS_VITAIS_SET, SINAIS_VITAIS_SET,
					  "id OPERATOR(pg_catalog.=) $5"),
			5, {DRAW_ARGS, INT8OID},
		CHANGES(OLTP_SINAIS_VITAIS, UPDATE)},
	},
	{0}, op_update_sinais_vitais
};

/*
 * Invoices: the number goes on from the highest (idx_faturas_numero); two
 * workers drawing the same one is a unique violation the insert expects.
 */
static OltpOpResult
op_insert_fatura(OltpOpContext *ctx)
{
	return op_types_insert(ctx, TYPES_FATURAS_EDGES);
}

const OltpOpDef oltp_op_insert_fatura = {
	"insert_fatura", WEIGHTS(0, 0, 3), {
		{INSERT_TYPES(FATURAS, "faturas"), 4, {DRAW_ARGS}, CHANGES(OLTP_FATURAS, INSERT)},
	},
	INSERT_EXPECTS, op_insert_fatura
};

/* a payment, a renegotiation, a cancellation: new value, due date, status */
static OltpOpResult
op_update_fatura(OltpOpContext *ctx)
{
	return op_types_update(ctx, TYPES_FATURAS_EDGES, 2);
}

#define FATURAS_SET		"valor, desconto, vencimento, status"
#define FATURAS_FROM	"pg_catalog.min(numero) OPERATOR(pg_catalog.+) pg_catalog.floor($1 " \
	"OPERATOR(pg_catalog.*) (pg_catalog.max(numero) OPERATOR(pg_catalog.-) pg_catalog.min(numero) " \
	"OPERATOR(pg_catalog.+) 1)::pg_catalog.float8)::pg_catalog.int4"

const OltpOpDef oltp_op_update_fatura = {
	"update_fatura", WEIGHTS(0, 0, 2), {
		{"SELECT serie, numero FROM %1$s.faturas WHERE numero OPERATOR(pg_catalog.>=) "
			"(SELECT " FATURAS_FROM " FROM %1$s.faturas) "
			"ORDER BY numero, serie LIMIT 1 FOR UPDATE SKIP LOCKED", 1, {FLOAT8OID}},
		{UPDATE_TYPES(FATURAS, "faturas", FATURAS_SET, FATURAS_SET,
					  "serie OPERATOR(pg_catalog.=) $5 AND numero OPERATOR(pg_catalog.=) $6"),
			6, {DRAW_ARGS, BPCHAROID, INT4OID},
		CHANGES(OLTP_FATURAS, UPDATE)},
	},
	{0}, op_update_fatura
};

/* medical records: the uuid comes from the draw's seed */
static OltpOpResult
op_insert_prontuario(OltpOpContext *ctx)
{
	return op_types_insert(ctx, TYPES_PRONTUARIOS_EDGES);
}

const OltpOpDef oltp_op_insert_prontuario = {
	"insert_prontuario", WEIGHTS(0, 0, 3), {
		{INSERT_ROWS("0") "INSERT INTO %1$s.prontuarios (" TYPES_PRONTUARIOS_COLUMNS ") "
			TYPES_PRONTUARIOS_SELECT, 4, {DRAW_ARGS}, CHANGES(OLTP_PRONTUARIOS, INSERT)},
	},
	INSERT_EXPECTS, op_insert_prontuario
};

/* a new version of the record and its attachment */
static OltpOpResult
op_update_prontuario(OltpOpContext *ctx)
{
	return op_types_update(ctx, TYPES_PRONTUARIOS_EDGES, 1);
}

#define PRONTUARIOS_SET	"dados, dados_origem, anexo"
/* the uuid at fraction $1 of the uuids' range */
#define PRONTUARIOS_FROM \
	"pg_catalog.concat(pg_catalog.lpad(pg_catalog.to_hex(pg_catalog.floor($1 " \
	"OPERATOR(pg_catalog.*) 4294967295::pg_catalog.float8)::pg_catalog.int8), 8, '0'), " \
	"'-0000-0000-0000-000000000000')::pg_catalog.uuid"

const OltpOpDef oltp_op_update_prontuario = {
	"update_prontuario", WEIGHTS(0, 0, 2), {
		{"SELECT id FROM %1$s.prontuarios WHERE id OPERATOR(pg_catalog.>=) " PRONTUARIOS_FROM
			" ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED", 1, {FLOAT8OID}},
		{UPDATE_TYPES(PRONTUARIOS, "prontuarios", PRONTUARIOS_SET, PRONTUARIOS_SET,
					  "id OPERATOR(pg_catalog.=) $5"),
			5, {DRAW_ARGS, UUIDOID},
		CHANGES(OLTP_PRONTUARIOS, UPDATE)},
	},
	{0}, op_update_prontuario
};

/* devices */
static OltpOpResult
op_insert_dispositivo(OltpOpContext *ctx)
{
	return op_types_insert(ctx, TYPES_DISPOSITIVOS_EDGES);
}

const OltpOpDef oltp_op_insert_dispositivo = {
	"insert_dispositivo", WEIGHTS(0, 0, 2), {
		{INSERT_TYPES(DISPOSITIVOS, "dispositivos"), 4, {DRAW_ARGS},
		CHANGES(OLTP_DISPOSITIVOS, INSERT)},
	},
	INSERT_EXPECTS, op_insert_dispositivo
};

/* moved to another network, serviced: addresses, alarms, times */
static OltpOpResult
op_update_dispositivo(OltpOpContext *ctx)
{
	return op_types_update(ctx, TYPES_DISPOSITIVOS_EDGES, 1);
}

#define DISPOSITIVOS_SET	"ip, rede, mac, alarmes, capacidades, manutencao, janela"

const OltpOpDef oltp_op_update_dispositivo = {
	"update_dispositivo", WEIGHTS(0, 0, 2), {
		{PICK_CANDIDATE("dispositivos", "id", "true"), 1, {FLOAT8OID}},
		{UPDATE_TYPES(DISPOSITIVOS, "dispositivos", DISPOSITIVOS_SET, DISPOSITIVOS_SET,
					  "id OPERATOR(pg_catalog.=) $5"),
			5, {DRAW_ARGS, INT8OID},
		CHANGES(OLTP_DISPOSITIVOS, UPDATE)},
	},
	{0}, op_update_dispositivo
};

/* bed reservations */
static OltpOpResult
op_insert_reserva_leito(OltpOpContext *ctx)
{
	return op_types_insert(ctx, TYPES_RESERVAS_LEITO_EDGES);
}

const OltpOpDef oltp_op_insert_reserva_leito = {
	"insert_reserva_leito", WEIGHTS(0, 0, 3), {
		{INSERT_TYPES(RESERVAS_LEITO, "reservas_leito"), 4, {DRAW_ARGS},
		CHANGES(OLTP_RESERVAS_LEITO, INSERT)},
	},
	INSERT_EXPECTS, op_insert_reserva_leito
};

/* another bed, another period: the row has no key, the pick's ctid is its */
static OltpOpResult
op_update_reserva_leito(OltpOpContext *ctx)
{
	return op_types_update(ctx, TYPES_RESERVAS_LEITO_EDGES, 1);
}

#define RESERVAS_LEITO_SET	"leitos, periodo, observacao"
#define RESERVAS_LEITO_FROM	"pg_catalog.min(paciente_id) OPERATOR(pg_catalog.+) pg_catalog.floor($1 " \
	"OPERATOR(pg_catalog.*) (pg_catalog.max(paciente_id) OPERATOR(pg_catalog.-) " \
	"pg_catalog.min(paciente_id) OPERATOR(pg_catalog.+) 1)::pg_catalog.float8)::pg_catalog.int8"

const OltpOpDef oltp_op_update_reserva_leito = {
	"update_reserva_leito", WEIGHTS(0, 0, 2), {
		{"SELECT ctid FROM %1$s.reservas_leito WHERE paciente_id OPERATOR(pg_catalog.>=) "
			"(SELECT " RESERVAS_LEITO_FROM " FROM %1$s.reservas_leito) "
			"ORDER BY paciente_id LIMIT 1 FOR UPDATE SKIP LOCKED", 1, {FLOAT8OID}},
		{UPDATE_TYPES(RESERVAS_LEITO, "reservas_leito", RESERVAS_LEITO_SET, RESERVAS_LEITO_SET,
					  "ctid OPERATOR(pg_catalog.=) $5"),
			5, {DRAW_ARGS, TIDOID},
		CHANGES(OLTP_RESERVAS_LEITO, UPDATE)},
	},
	{0}, op_update_reserva_leito
};
