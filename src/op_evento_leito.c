/*-------------------------------------------------------------------------
 *
 * op_evento_leito.c
 *		The bed events of the set partitions (eventos_leito, partitioned by
 *		month on ocorrido_em, with a default partition): rows written,
 *		changed and moved to another month's partition, and the partitions
 *		themselves created, detached, attached again, truncated and
 *		dropped.  Weighted only under the profile partitions.
 *
 * What a decoder sees of each (docs/partitions.md):
 *   - an insert or update is one change, of the partition under
 *     publish_via_partition_root = false, of eventos_leito under true;
 *   - an update that moves a row to another partition (move_evento_leito:
 *     an old month's event re-dated now) is a DELETE from the old one and
 *     an INSERT into the new one (that is what the executor
 *     does, and what both publication modes and test_decoding carry); it
 *     is counted so, and as an update when the row stays where it was;
 *   - DETACH: the partition's rows leave the table with no DELETE event;
 *     ATTACH of a table the stream detached: its rows come back with no
 *     INSERT event; DROP of an attached partition: its rows leave with no
 *     event; creating a partition changes no row.  None is counted as a
 *     change of a row;
 *   - TRUNCATE of a partition is one TRUNCATE event of that partition
 *     under publish_via_partition_root = false, and nothing at all under
 *     true (pgoutput sends no partition's TRUNCATE through the root): it is
 *     counted as one TRUNCATE, which only the first mode carries.
 *
 * Each partition operation is announced (announce.c) in its transaction:
 * a message of prefix oltp_sim.schema naming the change (create_partition,
 * detach_partition, ...) with the partition in its detail and, when rows
 * appeared or vanished without row events, how many (rows_silent) and the
 * table's checksum after the change; counted as one "schema" change of
 * eventos_leito, which the decoded message equals.
 *
 * The partition operations run the set's functions
 * (sql/oltp_sim_partitions--0.3.0.sql), which build the DDL from the
 * month with its identifiers quoted, take their locks waiting at most
 * lock_timeout (100 ms), and choose among the partitions of months before
 * the operation's own ("today"): the months it writes stay.  A lock not
 * granted in time (lock_not_available) or a default partition holding
 * rows of the month a partition is created or attached for
 * (check_violation) costs the operation, counted as skipped, as
 * clear_triagem's TRUNCATE does.  Created partitions are dropped again:
 * create makes the next month's, or else one of the four months up to
 * today's that is missing, and no other; drop takes the oldest, and so a
 * run of days keeps the table's partitions bounded.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/timestamp.h"

#include "announce.h"
#include "generate.h"
#include "op.h"

/* the row the pick locked: statement 0's id, ocorrido_em and partition */
static Datum
op_picked(OltpOpContext *ctx, int col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(ctx->results[0].tuptable->vals[0],
								  ctx->results[0].tuptable->tupdesc, col, &isnull);

	if (isnull)
		elog(ERROR, "\"%s\" returned NULL in column %d", ctx->sql[0], col);
	return d;
}

static OltpOpResult
op_insert_evento_leito(OltpOpContext *ctx)
{
	OltpEventoLeito row;
	Datum		args[4];
	char		nulls[4] = {' ', ' ', ' ', ' '};

	oltp_gen_evento_leito(ctx->rng, ctx->now, OLTP_GEN_LIVE, &row);
	args[0] = CStringGetTextDatum(row.leito);
	args[1] = CStringGetTextDatum(row.evento);
	args[2] = TimestampGetDatum(row.ocorrido_em);
	args[3] = row.observacao ? CStringGetTextDatum(row.observacao) : (Datum) 0;
	if (row.observacao == NULL)
		nulls[3] = 'n';
	return oltp_op_last(ctx, 0, args, nulls, OLTP_CHECK_INSERTED);
}

const OltpOpDef oltp_op_insert_evento_leito = {
	"insert_evento_leito", WEIGHTS_PARTITIONS(20), {
		{"INSERT INTO %1$s.eventos_leito (leito, evento, ocorrido_em, observacao) "
			"VALUES ($1, $2, $3, $4)",
			4, {TEXTOID, TEXTOID, TIMESTAMPOID, TEXTOID},
		CHANGES(OLTP_EVENTOS_LEITO, INSERT)},
	},
	{0}, op_insert_evento_leito
};

/*
 * A row another stream moved to another partition (move_evento_leito)
 * while this one waited for it: PostgreSQL cannot follow it there and
 * says "tuple to be locked was already moved to another partition due to
 * concurrent update" (serialization_failure), where a row updated in its
 * partition would be read again.  The operation lost the race: skipped.
 */
#define MOVED_ERRORS	{ERRCODE_T_R_SERIALIZATION_FAILURE}

#define PICK_EVENTO \
	PICK_CANDIDATE("eventos_leito", "id, ocorrido_em, tableoid", "true")

/* what happened to the bed is corrected: the row stays in its partition */
static OltpOpResult
op_update_evento_leito(OltpOpContext *ctx)
{
	OltpEventoLeito row;
	Datum		args[4];
	char		nulls[4] = {' ', ' ', ' ', ' '};

	if (!oltp_op_pick(ctx))
		return OLTP_OP_SKIPPED;
	oltp_gen_evento_leito(ctx->rng, ctx->now, OLTP_GEN_LIVE, &row);
	args[0] = op_picked(ctx, 1);
	args[1] = op_picked(ctx, 2);
	args[2] = CStringGetTextDatum(row.evento);
	args[3] = row.observacao ? CStringGetTextDatum(row.observacao) : (Datum) 0;
	if (row.observacao == NULL)
		nulls[3] = 'n';
	return oltp_op_last(ctx, 1, args, nulls, OLTP_CHECK_ONE);
}

const OltpOpDef oltp_op_update_evento_leito = {
	"update_evento_leito", WEIGHTS_PARTITIONS(20), {
		{PICK_EVENTO, 1, {FLOAT8OID}},
		{"UPDATE %1$s.eventos_leito SET evento = $3, observacao = $4 "
			"WHERE id OPERATOR(pg_catalog.=) $1 AND ocorrido_em OPERATOR(pg_catalog.=) $2",
			4, {INT8OID, TIMESTAMPOID, TEXTOID, TEXTOID},
		CHANGES(OLTP_EVENTOS_LEITO, UPDATE)},
	},
	MOVED_ERRORS, op_update_evento_leito
};

/*
 * An event of an old month that was entered with the wrong date: it
 * happened now, and moves to this month's partition.  The pick takes a row
 * of a month before this one (in its partition or the default one), so the
 * row always changes partitions, and the default partition is drained of
 * the late entries it got.  Declared an update, which locks the table as
 * an update does; what the executor does, and a decoder receives, is a
 * delete and an insert, and the count says so (an update when the row
 * stayed where it was, which only a month without a partition of its own
 * can make happen).
 */
static OltpOpResult
op_move_evento_leito(OltpOpContext *ctx)
{
	Datum		args[3];
	Oid			from;
	Oid			to;
	bool		isnull;

	/* from a random point, then from the start, as oltp_op_pick does */
	args[0] = oltp_op_fraction(ctx);
	args[1] = TimestampGetDatum(oltp_gen_month_start(ctx->now));
	if (oltp_op_exec(ctx, 0, args, NULL) == 0)
	{
		args[0] = Float8GetDatum(0.0);
		if (oltp_op_exec(ctx, 0, args, NULL) == 0)
			return OLTP_OP_SKIPPED;
	}
	from = DatumGetObjectId(op_picked(ctx, 3));
	args[0] = op_picked(ctx, 1);
	args[1] = op_picked(ctx, 2);
	args[2] = TimestampGetDatum(ctx->now);
	oltp_op_one(ctx, 1, oltp_op_exec(ctx, 1, args, NULL));
	to = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	if (to != from)
	{
		ctx->changes->rows[OLTP_EVENTOS_LEITO][OLTP_CHANGE_UPDATE] -= 1;
		ctx->changes->rows[OLTP_EVENTOS_LEITO][OLTP_CHANGE_DELETE] += 1;
		ctx->changes->rows[OLTP_EVENTOS_LEITO][OLTP_CHANGE_INSERT] += 1;
	}
	return OLTP_OP_DONE;
}

const OltpOpDef oltp_op_move_evento_leito = {
	"move_evento_leito", WEIGHTS_PARTITIONS(5), {
		{PICK_CANDIDATE("eventos_leito", "id, ocorrido_em, tableoid",
						"ocorrido_em OPERATOR(pg_catalog.<) $2"), 2, {FLOAT8OID, TIMESTAMPOID}},
		{"UPDATE %1$s.eventos_leito SET ocorrido_em = $3 "
			"WHERE id OPERATOR(pg_catalog.=) $1 AND ocorrido_em OPERATOR(pg_catalog.=) $2 "
			"RETURNING tableoid",
			3, {INT8OID, TIMESTAMPOID, TIMESTAMPOID},
		CHANGES(OLTP_EVENTOS_LEITO, UPDATE)},
	},
	MOVED_ERRORS, op_move_evento_leito
};

/*
 * The partition operations: statement 0 calls the set's function, with the
 * operation's date when dated; no row back means nothing to do.
 */
static bool
op_partition(OltpOpContext *ctx, bool dated)
{
	Datum		today = DateADTGetDatum(ctx->today);

	return oltp_op_exec(ctx, 0, dated ? &today : NULL, NULL) == 1;
}

/*
 * Announce the change the function made, from its row: the partition
 * (column 1), the rows it held (column 2, when rows_col), which appeared
 * or vanished with no row event when silent; note, if any, says what a
 * sink receives instead.
 */
static void
op_announce(OltpOpContext *ctx, const char *change, bool rows_col, bool silent,
			const char *note)
{
	char	   *partition = oltp_op_result_text(ctx, 0, 1);
	int64		rows = rows_col ? oltp_op_result_int8(ctx, 0, 2) : 0;
	StringInfoData detail;
	OltpAnnouncement a = {0};

	initStringInfo(&detail);
	appendStringInfoString(&detail, "{\"partition\": ");
	escape_json(&detail, partition);
	if (rows_col)
		appendStringInfo(&detail, ", \"rows\": " INT64_FORMAT, rows);
	if (note)
	{
		appendStringInfoString(&detail, ", \"events\": ");
		escape_json(&detail, note);
	}
	appendStringInfoChar(&detail, '}');

	a.table = OLTP_EVENTOS_LEITO;
	a.change = change;
	a.detail = detail.data;
	a.silent = silent && rows > 0;
	a.rows_silent = a.silent ? rows : 0;
	a.changes = ctx->changes;
	oltp_announce(&a);
}

/*
 * The next month's partition, made before its first row, or else a month
 * dropped or detached before (of the four up to today's); NULL: none is
 * missing that can be made
 */
static OltpOpResult
op_create_partition(OltpOpContext *ctx)
{
	bool		isnull;

	op_partition(ctx, true);
	SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
		return OLTP_OP_SKIPPED;
	op_announce(ctx, "create_partition", false, false, NULL);
	return OLTP_OP_DONE;
}

/*
 * A lock not granted in time, a default partition holding the month's
 * rows, a deadlock, or another stream first on the same partition: the
 * one the function picked dropped before it could lock it, made by the
 * other meanwhile ("relation ... already exists"), or attached by it
 * ("... is already a partition"), each seen once the other commits
 */
#define PARTITION_ERRORS \
	{ERRCODE_LOCK_NOT_AVAILABLE, ERRCODE_CHECK_VIOLATION, ERRCODE_T_R_DEADLOCK_DETECTED, \
	ERRCODE_UNDEFINED_TABLE, ERRCODE_DUPLICATE_TABLE, ERRCODE_WRONG_OBJECT_TYPE}

const OltpOpDef oltp_op_create_partition = {
	"create_partition", WEIGHTS_PARTITIONS(2), {
		{"SELECT %1$s.oltp_sim_eventos_leito_create_next($1)", 1, {DATEOID},
		REQUIRES(OLTP_EVENTOS_LEITO)},
	},
	PARTITION_ERRORS, op_create_partition
};

/* the oldest month's partition detached: its rows vanish, no DELETE */
static OltpOpResult
op_detach_partition(OltpOpContext *ctx)
{
	if (!op_partition(ctx, true))
		return OLTP_OP_SKIPPED;
	op_announce(ctx, "detach_partition", true, true, "none: the rows leave with no DELETE");
	return OLTP_OP_DONE;
}

const OltpOpDef oltp_op_detach_partition = {
	"detach_partition", WEIGHTS_PARTITIONS(2), {
		{"SELECT particao, linhas FROM %1$s.oltp_sim_eventos_leito_detach($1)", 1, {DATEOID},
		REQUIRES(OLTP_EVENTOS_LEITO)},
	},
	PARTITION_ERRORS, op_detach_partition
};

/* the newest table detached, attached again: its rows appear, no INSERT */
static OltpOpResult
op_attach_partition(OltpOpContext *ctx)
{
	if (!op_partition(ctx, false))
		return OLTP_OP_SKIPPED;
	op_announce(ctx, "attach_partition", true, true, "none: the rows come with no INSERT");
	return OLTP_OP_DONE;
}

const OltpOpDef oltp_op_attach_partition = {
	"attach_partition", WEIGHTS_PARTITIONS(2), {
		{"SELECT particao, linhas FROM %1$s.oltp_sim_eventos_leito_attach()", 0, {0},
		REQUIRES(OLTP_EVENTOS_LEITO)},
	},
	PARTITION_ERRORS, op_attach_partition
};

/*
 * The oldest old month's partition emptied (an empty one too): one
 * TRUNCATE event, of the partition
 */
static OltpOpResult
op_truncate_partition(OltpOpContext *ctx)
{
	if (!op_partition(ctx, true))
		return OLTP_OP_SKIPPED;
	oltp_op_count_cascade(ctx, OLTP_EVENTOS_LEITO, OLTP_CHANGE_TRUNCATE, 1);
	op_announce(ctx, "truncate_partition", true, true,
				"a TRUNCATE of the partition under publish_via_partition_root = false, none under true");
	return OLTP_OP_DONE;
}

const OltpOpDef oltp_op_truncate_partition = {
	"truncate_partition", WEIGHTS_PARTITIONS(1), {
		{"SELECT particao, linhas FROM %1$s.oltp_sim_eventos_leito_truncate($1)", 1, {DATEOID},
		REQUIRES(OLTP_EVENTOS_LEITO)},
	},
	PARTITION_ERRORS, op_truncate_partition
};

/* the oldest partition (or table detached) dropped: no event at all */
static OltpOpResult
op_drop_partition(OltpOpContext *ctx)
{
	bool		isnull;
	bool		attached;

	if (!op_partition(ctx, true))
		return OLTP_OP_SKIPPED;
	attached = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull));
	/* a table detached before: its rows left the table then */
	op_announce(ctx, attached ? "drop_partition" : "drop_detached", true, attached,
				attached ? "none: the rows leave with no DELETE" : NULL);
	return OLTP_OP_DONE;
}

const OltpOpDef oltp_op_drop_partition = {
	"drop_partition", WEIGHTS_PARTITIONS(1), {
		{"SELECT particao, linhas, anexada FROM %1$s.oltp_sim_eventos_leito_drop($1)", 1, {DATEOID},
		REQUIRES(OLTP_EVENTOS_LEITO)},
	},
	PARTITION_ERRORS, op_drop_partition
};
