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

/* an update draws no patient: the row keeps its own */
#define UPDATE_ROWS \
	"WITH p AS (SELECT NULL::pg_catalog.int8[] AS ids), " \
	"g AS (SELECT 1::pg_catalog.int8 AS i, 0::pg_catalog.int8 AS base, $4 AS e) "
/* set COLS (named so by the SELECT too) of the row WHERE says */
#define UPDATE_TYPES(T, t, COLS, WHERE) \
	UPDATE_ROWS "UPDATE %1$s." t " SET (" COLS ") = (SELECT " COLS " FROM (" \
	TYPES_##T##_SELECT ") n) WHERE " WHERE

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
	return oltp_op_exec(ctx, 0, args, nulls) == 1 ? OLTP_OP_DONE : OLTP_OP_SKIPPED;
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
	return oltp_op_one(ctx, 1, oltp_op_exec(ctx, 1, args, nulls));
}

/*
 * An insert of table T (t) whose keys go on from BASE; the races it
 * expects: its patient erased, or another insert's key.
 */
#define INSERT_OP(name, weight, T, t, BASE) \
	const OltpOpDef oltp_op_##name = { \
		#name, WEIGHTS(0, 0, weight), { \
			{INSERT_ROWS(BASE) "INSERT INTO %1$s." t " (" TYPES_##T##_COLUMNS ") " \
				TYPES_##T##_SELECT, DRAW_NARGS, {DRAW_ARGS}, CHANGES(OLTP_##T, INSERT)}, \
		}, \
		{ERRCODE_FOREIGN_KEY_VIOLATION, ERRCODE_UNIQUE_VIOLATION, ERRCODE_T_R_DEADLOCK_DETECTED}, \
		op_types_insert \
	}

/* an update of COLS of the row PICK returns the key of, of the key's types */
#define UPDATE_OP(name, weight, T, t, PICK_SQL, COLS, WHERE, ...) \
	const OltpOpDef oltp_op_##name = { \
		#name, WEIGHTS(0, 0, weight), { \
			{PICK_SQL, 1, {FLOAT8OID}}, \
			{UPDATE_TYPES(T, t, COLS, WHERE), \
				DRAW_NARGS + lengthof(((Oid[]) {__VA_ARGS__})), {DRAW_ARGS, __VA_ARGS__}, \
			CHANGES(OLTP_##T, UPDATE)}, \
		}, \
		{0}, op_types_update \
	}

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
INSERT_OP(insert_sinais_vitais, 3, SINAIS_VITAIS, "sinais_vitais", TYPES_SINAIS_VITAIS_BASE);
UPDATE_OP(update_sinais_vitais, 2, SINAIS_VITAIS, "sinais_vitais",
		  PICK_CANDIDATE("sinais_vitais", "id", "true"),
		  "medido_em, temperatura, saturacao, glicemia, leituras, duracao, observacoes",
		  "id OPERATOR(pg_catalog.=) $5", INT8OID);

/*
 * Invoices: the number goes on from the highest (idx_faturas_numero); two
 * workers drawing the same one is a unique violation the insert expects.
 * An update is a payment, a renegotiation, a cancellation.
 */
INSERT_OP(insert_fatura, 3, FATURAS, "faturas", TYPES_FATURAS_BASE);
UPDATE_OP(update_fatura, 2, FATURAS, "faturas",
		  PICK_BY("faturas", "serie, numero", "numero", "int4"),
		  "valor, desconto, vencimento, status",
		  "serie OPERATOR(pg_catalog.=) $5 AND numero OPERATOR(pg_catalog.=) $6",
		  BPCHAROID, INT4OID);

/*
 * Medical records: the uuid comes from the draw's seed (a count of the
 * table, as the seed takes, would cost a scan per insert).  An update is a
 * new version of the record and its attachment.
 */
#define PRONTUARIOS_FROM \
	"pg_catalog.concat(pg_catalog.lpad(pg_catalog.to_hex(pg_catalog.floor($1 " \
	"OPERATOR(pg_catalog.*) 4294967295::pg_catalog.float8)::pg_catalog.int8), 8, '0'), " \
	"'-0000-0000-0000-000000000000')::pg_catalog.uuid"

INSERT_OP(insert_prontuario, 3, PRONTUARIOS, "prontuarios", "0");
UPDATE_OP(update_prontuario, 2, PRONTUARIOS, "prontuarios",
		  "SELECT id FROM %1$s.prontuarios WHERE id OPERATOR(pg_catalog.>=) " PRONTUARIOS_FROM
		  " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
		  "dados, dados_origem, anexo", "id OPERATOR(pg_catalog.=) $5", UUIDOID);

/* devices: moved to another network, serviced */
INSERT_OP(insert_dispositivo, 2, DISPOSITIVOS, "dispositivos", TYPES_DISPOSITIVOS_BASE);
UPDATE_OP(update_dispositivo, 2, DISPOSITIVOS, "dispositivos",
		  PICK_CANDIDATE("dispositivos", "id", "true"),
		  "ip, rede, mac, alarmes, capacidades, manutencao, janela",
		  "id OPERATOR(pg_catalog.=) $5", INT8OID);

/* bed reservations: another bed, another period; the pick's ctid is the key */
INSERT_OP(insert_reserva_leito, 3, RESERVAS_LEITO, "reservas_leito", TYPES_RESERVAS_LEITO_BASE);
UPDATE_OP(update_reserva_leito, 2, RESERVAS_LEITO, "reservas_leito",
		  PICK_BY("reservas_leito", "ctid", "paciente_id", "int8"),
		  "leitos, periodo, observacao", "ctid OPERATOR(pg_catalog.=) $5", TIDOID);
