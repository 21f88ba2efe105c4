/*-------------------------------------------------------------------------
 *
 * op_stream.c
 *		Operations about the transaction rather than a table: a load of
 *		exams large enough that a decoder with streaming on receives it
 *		before the commit, made in chunks under savepoints, some rolled
 *		back and some failing inside; and the same load in a transaction
 *		rolled back once it is made.
 *
 * stream_exames loads oltp_sim.batch_rows exams in one transaction, in
 * chunks of a tenth of the batch (at most STREAM_CHUNK_MAX rows), each an
 * INSERT ... SELECT under a savepoint of its own (subxact.c).  Chunk i ends
 * as i mod 5 says:
 *
 *   1: rolled back (ROLLBACK TO SAVEPOINT): its rows were written, and a
 *      streaming decoder may have sent them, then they are discarded;
 *   3: fails inside: its last row names a patient that does not exist, the
 *      foreign key check at the end of the INSERT raises, and the savepoint
 *      is rolled back with every row of the chunk;
 *   0, 2, 4: released; their rows commit with the transaction.
 *
 * The runner counts each INSERT's rows; a chunk rolled back takes its count
 * back with it, so what is counted is what a decoder delivers at the
 * commit.  Each INSERT computes its rows in the statement (patients spread
 * over their id range, exam types of the dictionary, the operation's clock,
 * from a salt of the operation's random state): nothing comes back, the
 * worker's memory stays flat whatever the batch, and the same seed loads
 * the same rows.
 *
 * stream_exames_aborted is the same load, its transaction then held open
 * for oltp_sim.abort_hold and rolled back (OltpOpDef.aborts): a decoder
 * that streamed it while it was open gets a stream abort; nothing of it
 * counts as committed.  (A decoder that reaches the load only once the
 * abort is known skips it whole, streaming or not: that is why it is held.)
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

#include "compat.h"
#include "dict_ptbr.h"
#include "guc.h"
#include "op.h"
#include "subxact.h"

/* chunks a batch is cut into, and the most rows one INSERT writes */
#define STREAM_CHUNKS		10
#define STREAM_CHUNK_MAX	10000

/* how a chunk's savepoint ends (the header comment) */
typedef enum StreamEnd
{
	STREAM_RELEASED,
	STREAM_ROLLED_BACK,
	STREAM_FAILS
} StreamEnd;

static StreamEnd
stream_end(int64 chunk)
{
	switch (chunk % 5)
	{
		case 1:
			return STREAM_ROLLED_BACK;
		case 3:
			return STREAM_FAILS;
		default:
			return STREAM_RELEASED;
	}
}

/*
 * $2 exams numbered 1 .. $2, each for the patient at hash position of the
 * id range and of an exam type of $3 (the salt $1 picks both), dated $4;
 * with $5, the last one for min(id) - 1, a patient that does not exist.
 * OPERATOR() binds left to right at one level, hence the parentheses.
 */
#define STREAM_INSERT \
	"INSERT INTO %1$s.exames (paciente_id, tipo_exame, data) " \
	"SELECT CASE WHEN $5 AND g.i OPERATOR(pg_catalog.=) $2 " \
	"THEN r.lo OPERATOR(pg_catalog.-) 1::pg_catalog.int8 " \
	"ELSE (SELECT p.id FROM %1$s.pacientes p WHERE p.id OPERATOR(pg_catalog.>=) " \
	"(r.lo OPERATOR(pg_catalog.+) pg_catalog.mod(h.h, r.n)) ORDER BY p.id LIMIT 1) END, " \
	"$3[pg_catalog.mod(h.h OPERATOR(pg_catalog./) 1024::pg_catalog.int8, " \
	"pg_catalog.cardinality($3)::pg_catalog.int8)::pg_catalog.int4 OPERATOR(pg_catalog.+) 1], " \
	"$4 " \
	"FROM (SELECT pg_catalog.min(id) AS lo, pg_catalog.max(id) OPERATOR(pg_catalog.-) " \
	"pg_catalog.min(id) OPERATOR(pg_catalog.+) 1::pg_catalog.int8 AS n " \
	"FROM %1$s.pacientes) r, " \
	"pg_catalog.generate_series(1::pg_catalog.int8, $2) g(i), " \
	"LATERAL (SELECT pg_catalog.hashint8extended(g.i, $1) OPERATOR(pg_catalog.&) " \
	"9223372036854775807::pg_catalog.int8 AS h) h " \
	"WHERE r.lo IS NOT NULL"

/* one chunk's INSERT, as the savepoint runs it */
typedef struct StreamChunk
{
	OltpOpContext *ctx;
	Datum	   *args;
} StreamChunk;

static void
stream_chunk(void *arg)
{
	StreamChunk *chunk = (StreamChunk *) arg;

	(void) oltp_op_exec(chunk->ctx, 0, chunk->args, NULL);
}

/* the dictionary's exam types, as a text[] */
static Datum
stream_exam_types(void)
{
	Datum	   *tipos = palloc(sizeof(Datum) * oltp_dict_n_tipos_exame);

	for (int i = 0; i < oltp_dict_n_tipos_exame; i++)
		tipos[i] = CStringGetTextDatum(oltp_dict_tipos_exame[i].name);
	return PointerGetDatum(construct_array(tipos, oltp_dict_n_tipos_exame, TEXTOID, -1, false,
										   TYPALIGN_INT));
}

/*
 * The load (the header comment).  A chunk meant to be released that fails
 * (a patient erased under it, say) fails the operation; the chunk meant to
 * fail may only fail on its foreign key, and if it does not fail (the
 * patient it names was made in between) its rows are kept and counted.
 * Skipped when no row was kept: there are no patients.
 */
static OltpOpResult
op_stream_exames(OltpOpContext *ctx)
{
	int64		rows = oltp_sim_batch_rows;
	int64		size = Min(Max((rows + STREAM_CHUNKS - 1) / STREAM_CHUNKS, 1),
						   STREAM_CHUNK_MAX);
	uint64		salt = pg_prng_uint64(ctx->rng);
	Datum		args[5];
	StreamChunk chunk = {ctx, args};
	uint64		kept = 0;

	args[2] = stream_exam_types();
	args[3] = TimestampGetDatum(ctx->now);
	for (int64 i = 0, done = 0; done < rows; i++)
	{
		int64		n = Min(size, rows - done);
		StreamEnd	end = stream_end(i);
		OltpChanges before = *ctx->changes;
		ErrorData  *edata;

		CHECK_FOR_INTERRUPTS();
		args[0] = Int64GetDatum((int64) (salt + (uint64) i));
		args[1] = Int64GetDatum(n);
		args[4] = BoolGetDatum(end == STREAM_FAILS);
		edata = oltp_subxact_call(stream_chunk, &chunk, end != STREAM_ROLLED_BACK);
		if (edata != NULL &&
			(end != STREAM_FAILS || edata->sqlerrcode != ERRCODE_FOREIGN_KEY_VIOLATION))
			ReThrowError(edata);
		if (edata != NULL || end == STREAM_ROLLED_BACK)
			*ctx->changes = before;
		else
			kept += ctx->results[0].processed;
		if (edata != NULL)
			FreeErrorData(edata);
		done += n;
	}
	return kept > 0 ? OLTP_OP_DONE : OLTP_OP_SKIPPED;
}

#define STREAM_STMTS \
	{ \
		{STREAM_INSERT, 5, {INT8OID, INT8OID, TEXTARRAYOID, TIMESTAMPOID, BOOLOID}, \
		CHANGES(OLTP_EXAMES, INSERT)}, \
	}

/*
 * A patient erased between a row's pick and its foreign key check fails a
 * released chunk, and the operation: a race, as for insert_exame.
 */
const OltpOpDef oltp_op_stream_exames = {
	"stream_exames", WEIGHTS_DECODING(2), STREAM_STMTS,
	{ERRCODE_FOREIGN_KEY_VIOLATION, ERRCODE_T_R_DEADLOCK_DETECTED}, op_stream_exames
};

const OltpOpDef oltp_op_stream_exames_aborted = {
	"stream_exames_aborted", WEIGHTS_DECODING(1), STREAM_STMTS,
	{ERRCODE_FOREIGN_KEY_VIOLATION, ERRCODE_T_R_DEADLOCK_DETECTED}, op_stream_exames,
	&oltp_sim_abort_hold, true
};
