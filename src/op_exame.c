/*-------------------------------------------------------------------------
 *
 * op_exame.c
 *		The operations on exams: one is ordered, gets its result, a
 *		laboratory's batch of results comes in at once, and a request
 *		cancelled before collection is removed.
 *
 * import_resultados gives results to oltp_sim.batch_rows pending exams in
 * one transaction, in UPDATEs of at most IMPORT_CHUNK rows each: the values
 * are computed in the statement from the exam type and the id, and only
 * the ids updated come back (to know where the next chunk starts), so the
 * worker's memory stays flat whatever the batch.  The exams' foreign key
 * triggers queue nothing for an update that leaves the key alone.
 * update_exame is the same UPDATE for the one exam it picks, in the
 * statement (RESULT_UPDATE): its result is chosen as the batch's are.
 *
 * delete_exame removes only pending exams.  An exam is referenced by its
 * reports (laudos): the stream writes them only for exams with a result,
 * but a report written by hand would make the delete fail its foreign key.
 * So when the edge_cases set is added, an exam with a report is left alone
 * (skipped); a report written in between is a race the delete expects.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "dict_ptbr.h"
#include "generate.h"
#include "guc.h"
#include "op.h"

static OltpOpResult
op_insert_exame(OltpOpContext *ctx)
{
	OltpExame	row;
	Datum		args[3];

	args[0] = oltp_op_fraction(ctx);
	oltp_gen_exame(ctx->rng, ctx->now, OLTP_GEN_LIVE, &row);
	args[1] = CStringGetTextDatum(row.tipo);
	args[2] = TimestampGetDatum(row.data);
	return oltp_op_last(ctx, 0, args, NULL, OLTP_CHECK_INSERTED);
}

const OltpOpDef oltp_op_insert_exame = {
	"insert_exame", WEIGHTS(18, 180, 180), {
		{"INSERT INTO %1$s.exames (paciente_id, tipo_exame, data) "
			"SELECT p.id, $2, $3 FROM " PICK("pacientes", "1") " p",
			3, {FLOAT8OID, TEXTOID, TIMESTAMPOID},
		CHANGES(OLTP_EXAMES, INSERT)},
	},
	{ERRCODE_FOREIGN_KEY_VIOLATION, ERRCODE_T_R_DEADLOCK_DETECTED}, op_insert_exame
};

static OltpOpResult
op_delete_exame(OltpOpContext *ctx)
{
	return oltp_op_delete_picked(ctx, 2);
}

const OltpOpDef oltp_op_delete_exame = {
	"delete_exame", WEIGHTS(0, 3, 3), {
		{PICK_CANDIDATE("exames", "id", "resultado IS NULL"), 1, {FLOAT8OID}},
		{"SELECT 1 FROM %1$s.laudos WHERE exame_id OPERATOR(pg_catalog.=) $1 LIMIT 1",
			1, {INT8OID},
		READS_IF_PRESENT(OLTP_LAUDOS)},
		{"DELETE FROM %1$s.exames WHERE id OPERATOR(pg_catalog.=) $1 AND resultado IS NULL",
			1, {INT8OID},
		CHANGES(OLTP_EXAMES, DELETE)},
	},
	{ERRCODE_FOREIGN_KEY_VIOLATION}, op_delete_exame
};

/*
 * The result of exam e: of the results of its type (positions lo .. lo +
 * n - 1 of $7, located through the type's position in $4), the one the
 * hash of its id and the batch's salt $8 points at; any type's when the
 * type is not in the dictionary.  The statement is a format: %% is the
 * modulo.
 */
#define IMPORT_RESULT \
	"$7[(p.lo::pg_catalog.int8 OPERATOR(pg_catalog.+) " \
	"((pg_catalog.hashint8(e.id OPERATOR(pg_catalog.#) $8)::pg_catalog.int8 " \
	"OPERATOR(pg_catalog.+) 2147483648) OPERATOR(pg_catalog.%%) p.n::pg_catalog.int8))" \
	"::pg_catalog.int4]"

/* the dictionary's exam types and results, as import_resultados binds them */
static void
op_exame_resultados(Datum *args)
{
	int			nresults = 0;
	Datum	   *tipos = palloc(sizeof(Datum) * oltp_dict_n_tipos_exame);
	Datum	   *los = palloc(sizeof(Datum) * oltp_dict_n_tipos_exame);
	Datum	   *ns = palloc(sizeof(Datum) * oltp_dict_n_tipos_exame);
	Datum	   *results = palloc(sizeof(Datum) * oltp_dict_n_tipos_exame * OLTP_MAX_RESULTS);

	for (int i = 0; i < oltp_dict_n_tipos_exame; i++)
	{
		const OltpTipoExame *tipo = &oltp_dict_tipos_exame[i];
		int			n = 0;

		tipos[i] = CStringGetTextDatum(tipo->name);
		los[i] = Int32GetDatum(nresults + 1);
		while (n < OLTP_MAX_RESULTS && tipo->results[n] != NULL)
			results[nresults++] = CStringGetTextDatum(tipo->results[n++]);
		ns[i] = Int32GetDatum(n);
	}
	args[0] = PointerGetDatum(construct_array(tipos, oltp_dict_n_tipos_exame, TEXTOID, -1, false,
											  TYPALIGN_INT));
	args[1] = PointerGetDatum(construct_array(los, oltp_dict_n_tipos_exame, INT4OID, sizeof(int32),
											  true, TYPALIGN_INT));
	args[2] = PointerGetDatum(construct_array(ns, oltp_dict_n_tipos_exame, INT4OID, sizeof(int32),
											  true, TYPALIGN_INT));
	args[3] = PointerGetDatum(construct_array(results, nresults, TEXTOID, -1, false,
											  TYPALIGN_INT));
}

/*
 * Rows per UPDATE of a batch.  PostgreSQL 15 keeps about 32 bytes per row
 * updated in a table with a BEFORE UPDATE row trigger (exames has
 * updated_at's) until the statement ends: ExecBRUpdateTriggers calls
 * ExecUpdateLockMode, which copies the table's key columns into the
 * query's memory for every row.  One UPDATE of a million rows grew the
 * worker by 31 MB; statements of 10,000 rows hold a third of a megabyte,
 * and the batch stays one transaction.
 */
#define IMPORT_CHUNK	10000

/*
 * An UPDATE giving each pending exam that PENDING (the WHERE clause of a
 * scan of exames, and what follows it) selects a result of its type
 * (IMPORT_RESULT, $4 to $8: op_exame_result_args) and a date no later than
 * $3.
 */
#define RESULT_UPDATE(PENDING) \
	"UPDATE %1$s.exames e SET resultado = " IMPORT_RESULT ", data = least(e.data, $3) " \
	"FROM (SELECT x.id, coalesce($5[x.k], 1) AS lo, " \
	"coalesce($6[x.k], pg_catalog.cardinality($7)) AS n " \
	"FROM (SELECT id, pg_catalog.array_position($4, tipo_exame::pg_catalog.text) AS k " \
	"FROM %1$s.exames WHERE " PENDING ") x) p " \
	"WHERE e.id OPERATOR(pg_catalog.=) p.id AND e.resultado IS NULL"

/*
 * The batch's UPDATE of the pending exams from START on, in id order: the
 * first chunk starts at the random point of fraction $1, the next ones at
 * id $1, just past the previous chunk's last.
 */
#define IMPORT_UPDATE(START) \
	RESULT_UPDATE("resultado IS NULL AND id OPERATOR(pg_catalog.>=) " START " " \
				  "ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED") " RETURNING e.id"

/* $4 to $8 of a RESULT_UPDATE: the dictionary, and the salt drawn for it */
static void
op_exame_result_args(OltpOpContext *ctx, Datum *args)
{
	op_exame_resultados(&args[3]);
	args[7] = Int64GetDatum((int64) pg_prng_uint64_range(ctx->rng, 0, PG_INT32_MAX));
}

/* the highest id statement stmt updated; its rows are freed */
static int64
op_import_last_id(OltpOpContext *ctx, int stmt)
{
	OltpStmtResult *res = &ctx->results[stmt];
	int64		last = PG_INT64_MIN;

	for (uint64 i = 0; i < res->processed; i++)
	{
		bool		isnull;
		int64		id = DatumGetInt64(SPI_getbinval(res->tuptable->vals[i],
													 res->tuptable->tupdesc, 1, &isnull));

		last = Max(last, id);
	}
	if (res->tuptable != NULL)
		SPI_freetuptable(res->tuptable);
	res->tuptable = NULL;
	return last;
}

/*
 * A batch of oltp_sim.batch_rows pending exams from a random point; when
 * fewer are pending past it, the rest from the start (the exams just given
 * a result are no longer pending).  Whatever is pending and free, up to the
 * batch, gets a result; none at all is a skip.  A chunk that comes back
 * short has found every pending exam past its start.
 */
static OltpOpResult
op_import_resultados(OltpOpContext *ctx)
{
	Datum		args[8];
	int64		left = oltp_sim_batch_rows;
	uint64		done = 0;
	int			stmt = 0;
	bool		wrapped = false;

	args[0] = oltp_op_fraction(ctx);
	args[2] = TimestampGetDatum(ctx->now);
	op_exame_result_args(ctx, args);
	while (left > 0)
	{
		int64		n = Min(left, IMPORT_CHUNK);
		uint64		got;
		int64		last;

		CHECK_FOR_INTERRUPTS();
		args[1] = Int64GetDatum(n);
		got = oltp_op_exec(ctx, stmt, args, NULL);
		last = op_import_last_id(ctx, stmt);
		done += got;
		left -= (int64) got;
		if (got == (uint64) n && last < PG_INT64_MAX)
			args[0] = Int64GetDatum(last + 1);
		else if (!wrapped)
		{
			wrapped = true;
			args[0] = Int64GetDatum(PG_INT64_MIN);
		}
		else
			break;
		stmt = 1;
	}
	return done > 0 ? OLTP_OP_DONE : OLTP_OP_SKIPPED;
}

const OltpOpDef oltp_op_import_resultados = {
	"import_resultados", WEIGHTS(0, 1, 1), {
		{IMPORT_UPDATE("(SELECT " PICK_POINT("1") " FROM " PICK_BOUNDS("exames") ")"),
			8, {FLOAT8OID, INT8OID, TIMESTAMPOID, TEXTARRAYOID, INT4ARRAYOID, INT4ARRAYOID,
			TEXTARRAYOID, INT8OID},
		CHANGES(OLTP_EXAMES, UPDATE)},
		{IMPORT_UPDATE("$1"),
			8, {INT8OID, INT8OID, TIMESTAMPOID, TEXTARRAYOID, INT4ARRAYOID, INT4ARRAYOID,
			TEXTARRAYOID, INT8OID},
		CHANGES(OLTP_EXAMES, UPDATE)},
	},
	{0}, op_import_resultados
};

/*
 * A pending exam gets a result of its type (and is done by now, if ahead),
 * in one UPDATE that picks it: the result is import_resultados', the one
 * the hash of the exam's id and a salt drawn first points at among its
 * type's, computed in the statement from the exam's type.  $2 (an
 * import's chunk size) is not used here: it is bound NULL.
 */
static OltpOpResult
op_update_exame(OltpOpContext *ctx)
{
	Datum		args[8];
	char		nulls[8] = {' ', 'n', ' ', ' ', ' ', ' ', ' ', ' '};

	args[0] = oltp_op_fraction(ctx);
	args[1] = (Datum) 0;
	args[2] = TimestampGetDatum(ctx->now);
	op_exame_result_args(ctx, args);
	return oltp_op_last(ctx, 0, args, nulls, OLTP_CHECK_PICKED);
}

const OltpOpDef oltp_op_update_exame = {
	"update_exame", WEIGHTS(8, 80, 80), {
		{RESULT_UPDATE("id OPERATOR(pg_catalog.=) " PICKED("exames", "resultado IS NULL")
					   " AND resultado IS NULL"),
			8, {FLOAT8OID, INT8OID, TIMESTAMPOID, TEXTARRAYOID, INT4ARRAYOID, INT4ARRAYOID,
			TEXTARRAYOID, INT8OID},
		CHANGES(OLTP_EXAMES, UPDATE)},
	},
	{0}, op_update_exame
};
