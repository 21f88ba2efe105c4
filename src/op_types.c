/*-------------------------------------------------------------------------
 *
 * op_types.c
 *		The operations of the set types: an insert and an update on each of
 *		its tables, writing the values the seed writes (gen_types.h), one
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
#include "gen_types.h"

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

/*
 * The rows of one update: the same, without a patient (the row keeps its
 * own).  The columns it sets are named so by the SELECT too.
 */
#define UPDATE_ROWS \
	"WITH p AS (SELECT NULL::pg_catalog.int8[] AS ids), " \
	"g AS (SELECT 1::pg_catalog.int8 AS i, 0::pg_catalog.int8 AS base, $4 AS e) "

#define DRAW_ARGS	FLOAT8OID, INT8OID, TIMESTAMPOID, INT8OID
#define DRAW_NARGS	4

static const int op_types_edges[OLTP_NTABLES] = {
	[OLTP_SINAIS_VITAIS] = TYPES_SINAIS_VITAIS_EDGES,
	[OLTP_FATURAS] = TYPES_FATURAS_EDGES,
	[OLTP_PRONTUARIOS] = TYPES_PRONTUARIOS_EDGES,
	[OLTP_DISPOSITIVOS] = TYPES_DISPOSITIVOS_EDGES,
	[OLTP_RESERVAS_LEITO] = TYPES_RESERVAS_LEITO_EDGES,
};

/* $1 a fraction, $2 the draw's seed, $3 now, $4 the edge row of table or NULL */
static void
op_types_draw(OltpOpContext *ctx, OltpTable table, Datum *args, char *nulls)
{
	args[0] = oltp_op_fraction(ctx);
	args[1] = Int64GetDatum((int64) (pg_prng_uint64(ctx->rng) >> 1));
	args[2] = TimestampGetDatum(ctx->now);
	memset(nulls, ' ', DRAW_NARGS);
	if (pg_prng_uint64_range(ctx->rng, 1, OP_TYPES_EDGE_SHARE) == 1)
		args[3] = Int64GetDatum((int64) pg_prng_uint64_range(ctx->rng, 1, op_types_edges[table]));
	else
		nulls[3] = 'n';
}

/* statement 0 inserts one row */
static OltpOpResult
op_types_insert(OltpOpContext *ctx)
{
	Datum		args[DRAW_NARGS];
	char		nulls[DRAW_NARGS + 1] = {0};

	op_types_draw(ctx, ctx->def->stmts[0].table, args, nulls);
	/* no patient to draw: nothing inserted */
	return oltp_op_last(ctx, 0, args, nulls, OLTP_CHECK_INSERTED);
}

/*
 * Statement 0 picks a row, statement 1 updates it: the row's key, the
 * columns the pick returned, follows the draw's arguments.
 */
static OltpOpResult
op_types_update(OltpOpContext *ctx)
{
	const OltpStmtDef *update = &ctx->def->stmts[1];
	OltpStmtResult *picked = &ctx->results[0];
	Datum		args[OLTP_OP_MAX_ARGS];
	char		nulls[OLTP_OP_MAX_ARGS + 1] = {0};

	if (!oltp_op_pick(ctx))
		return OLTP_OP_SKIPPED;
	op_types_draw(ctx, update->table, args, nulls);
	for (int a = DRAW_NARGS; a < update->nargs; a++)
	{
		bool		isnull;

		args[a] = SPI_getbinval(picked->tuptable->vals[0], picked->tuptable->tupdesc,
								a - DRAW_NARGS + 1, &isnull);
		nulls[a] = isnull ? 'n' : ' ';
	}
	return oltp_op_last(ctx, 1, args, nulls, OLTP_CHECK_ONE);
}

/*
 * Each insert draws one row of its table's SELECT (gen_types.h) into the
 * table; the races it expects: its patient erased, or another insert's
 * key.  Each update picks a row, locked, and sets the columns it names
 * from a draw of the same SELECT, by the row's key (the arguments after
 * the draw's).
 */
#define INSERT_EXPECTED \
	{ERRCODE_FOREIGN_KEY_VIOLATION, ERRCODE_UNIQUE_VIOLATION, ERRCODE_T_R_DEADLOCK_DETECTED}

/*
 * The first row of table t at or after fraction $1 of the range of col
 * (of type TYPE), locked unless others hold it: PICK_CANDIDATE for a table
 * without an id.
 */
#define PICK_BY(t, COLS, col, TYPE) \
	"SELECT " COLS " FROM %1$s." t " WHERE " col " OPERATOR(pg_catalog.>=) (SELECT " \
	"pg_catalog.min(" col ") OPERATOR(pg_catalog.+) pg_catalog.floor($1 OPERATOR(pg_catalog.*) " \
	"(pg_catalog.max(" col ") OPERATOR(pg_catalog.-) pg_catalog.min(" col ") OPERATOR(pg_catalog.+) 1)" \
	"::pg_catalog.float8)::pg_catalog." TYPE " FROM %1$s." t ") " \
	"ORDER BY " col " LIMIT 1 FOR UPDATE SKIP LOCKED"

/* vital signs */
const OltpOpDef oltp_op_insert_sinais_vitais = {
	"insert_sinais_vitais", WEIGHTS(0, 0, 3), {
		{INSERT_ROWS(TYPES_SINAIS_VITAIS_BASE)
			"INSERT INTO %1$s.sinais_vitais (" TYPES_SINAIS_VITAIS_COLUMNS ") "
			TYPES_SINAIS_VITAIS_SELECT,
			DRAW_NARGS, {DRAW_ARGS},
		CHANGES(OLTP_SINAIS_VITAIS, INSERT)},
	},
	INSERT_EXPECTED, op_types_insert
};

#define SINAIS_VITAIS_SET \
	"medido_em, temperatura, saturacao, glicemia, leituras, duracao, observacoes"

const OltpOpDef oltp_op_update_sinais_vitais = {
	"update_sinais_vitais", WEIGHTS(0, 0, 2), {
		{PICK_CANDIDATE("sinais_vitais", "id", "true"), 1, {FLOAT8OID}},
		{UPDATE_ROWS "UPDATE %1$s.sinais_vitais SET (" SINAIS_VITAIS_SET ") = (SELECT "
			SINAIS_VITAIS_SET " FROM (" TYPES_SINAIS_VITAIS_SELECT ") n) "
			"WHERE id OPERATOR(pg_catalog.=) $5",
			DRAW_NARGS + 1, {DRAW_ARGS, INT8OID},
		CHANGES(OLTP_SINAIS_VITAIS, UPDATE)},
	},
	{0}, op_types_update
};

/*
 * Invoices: the number goes on from the highest (idx_faturas_numero); two
 * workers drawing the same one is a unique violation the insert expects.
 * An update is a payment, a renegotiation, a cancellation.
 */
const OltpOpDef oltp_op_insert_fatura = {
	"insert_fatura", WEIGHTS(0, 0, 3), {
		{INSERT_ROWS(TYPES_FATURAS_BASE)
			"INSERT INTO %1$s.faturas (" TYPES_FATURAS_COLUMNS ") " TYPES_FATURAS_SELECT,
			DRAW_NARGS, {DRAW_ARGS},
		CHANGES(OLTP_FATURAS, INSERT)},
	},
	INSERT_EXPECTED, op_types_insert
};

#define FATURAS_SET		"valor, desconto, vencimento, status"

const OltpOpDef oltp_op_update_fatura = {
	"update_fatura", WEIGHTS(0, 0, 2), {
		{PICK_BY("faturas", "serie, numero", "numero", "int4"), 1, {FLOAT8OID}},
		{UPDATE_ROWS "UPDATE %1$s.faturas SET (" FATURAS_SET ") = (SELECT "
			FATURAS_SET " FROM (" TYPES_FATURAS_SELECT ") n) "
			"WHERE serie OPERATOR(pg_catalog.=) $5 AND numero OPERATOR(pg_catalog.=) $6",
			DRAW_NARGS + 2, {DRAW_ARGS, BPCHAROID, INT4OID},
		CHANGES(OLTP_FATURAS, UPDATE)},
	},
	{0}, op_types_update
};

/*
 * Medical records: the uuid comes from the draw's seed (a count of the
 * table, as the seed takes, would cost a scan per insert).  An update is a
 * new version of the record and its attachment.
 */
const OltpOpDef oltp_op_insert_prontuario = {
	"insert_prontuario", WEIGHTS(0, 0, 3), {
		{INSERT_ROWS("0")
			"INSERT INTO %1$s.prontuarios (" TYPES_PRONTUARIOS_COLUMNS ") "
			TYPES_PRONTUARIOS_SELECT,
			DRAW_NARGS, {DRAW_ARGS},
		CHANGES(OLTP_PRONTUARIOS, INSERT)},
	},
	INSERT_EXPECTED, op_types_insert
};

#define PRONTUARIOS_FROM \
	"pg_catalog.concat(pg_catalog.lpad(pg_catalog.to_hex(pg_catalog.floor($1 " \
	"OPERATOR(pg_catalog.*) 4294967295::pg_catalog.float8)::pg_catalog.int8), 8, '0'), " \
	"'-0000-0000-0000-000000000000')::pg_catalog.uuid"
#define PRONTUARIOS_SET	"dados, dados_origem, anexo"

const OltpOpDef oltp_op_update_prontuario = {
	"update_prontuario", WEIGHTS(0, 0, 2), {
		{"SELECT id FROM %1$s.prontuarios WHERE id OPERATOR(pg_catalog.>=) " PRONTUARIOS_FROM
			" ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED", 1, {FLOAT8OID}},
		{UPDATE_ROWS "UPDATE %1$s.prontuarios SET (" PRONTUARIOS_SET ") = (SELECT "
			PRONTUARIOS_SET " FROM (" TYPES_PRONTUARIOS_SELECT ") n) "
			"WHERE id OPERATOR(pg_catalog.=) $5",
			DRAW_NARGS + 1, {DRAW_ARGS, UUIDOID},
		CHANGES(OLTP_PRONTUARIOS, UPDATE)},
	},
	{0}, op_types_update
};

/* devices: moved to another network, serviced */
const OltpOpDef oltp_op_insert_dispositivo = {
	"insert_dispositivo", WEIGHTS(0, 0, 2), {
		{INSERT_ROWS(TYPES_DISPOSITIVOS_BASE)
			"INSERT INTO %1$s.dispositivos (" TYPES_DISPOSITIVOS_COLUMNS ") "
			TYPES_DISPOSITIVOS_SELECT,
			DRAW_NARGS, {DRAW_ARGS},
		CHANGES(OLTP_DISPOSITIVOS, INSERT)},
	},
	INSERT_EXPECTED, op_types_insert
};

#define DISPOSITIVOS_SET	"ip, rede, mac, alarmes, capacidades, manutencao, janela"

const OltpOpDef oltp_op_update_dispositivo = {
	"update_dispositivo", WEIGHTS(0, 0, 2), {
		{PICK_CANDIDATE("dispositivos", "id", "true"), 1, {FLOAT8OID}},
		{UPDATE_ROWS "UPDATE %1$s.dispositivos SET (" DISPOSITIVOS_SET ") = (SELECT "
			DISPOSITIVOS_SET " FROM (" TYPES_DISPOSITIVOS_SELECT ") n) "
			"WHERE id OPERATOR(pg_catalog.=) $5",
			DRAW_NARGS + 1, {DRAW_ARGS, INT8OID},
		CHANGES(OLTP_DISPOSITIVOS, UPDATE)},
	},
	{0}, op_types_update
};

/* bed reservations: another bed, another period; the pick's ctid is the key */
const OltpOpDef oltp_op_insert_reserva_leito = {
	"insert_reserva_leito", WEIGHTS(0, 0, 3), {
		{INSERT_ROWS(TYPES_RESERVAS_LEITO_BASE)
			"INSERT INTO %1$s.reservas_leito (" TYPES_RESERVAS_LEITO_COLUMNS ") "
			TYPES_RESERVAS_LEITO_SELECT,
			DRAW_NARGS, {DRAW_ARGS},
		CHANGES(OLTP_RESERVAS_LEITO, INSERT)},
	},
	INSERT_EXPECTED, op_types_insert
};

#define RESERVAS_LEITO_SET	"leitos, periodo, observacao"

const OltpOpDef oltp_op_update_reserva_leito = {
	"update_reserva_leito", WEIGHTS(0, 0, 2), {
		{PICK_BY("reservas_leito", "ctid", "paciente_id", "int8"), 1, {FLOAT8OID}},
		{UPDATE_ROWS "UPDATE %1$s.reservas_leito SET (" RESERVAS_LEITO_SET ") = (SELECT "
			RESERVAS_LEITO_SET " FROM (" TYPES_RESERVAS_LEITO_SELECT ") n) "
			"WHERE ctid OPERATOR(pg_catalog.=) $5",
			DRAW_NARGS + 1, {DRAW_ARGS, TIDOID},
		CHANGES(OLTP_RESERVAS_LEITO, UPDATE)},
	},
	{0}, op_types_update
};
