/*-------------------------------------------------------------------------
 *
 * op_triagem.c
 *		The triage queue of the edge_cases set: patients arrive one by one,
 *		and the queue is emptied with TRUNCATE, which logical decoding
 *		emits as one event per table (Debezium skips it unless
 *		skipped.operations says otherwise).
 *
 * TRUNCATE needs the table's ACCESS EXCLUSIVE lock, which conflicts with
 * any other transaction using the queue (a transaction locks the tables
 * its operations touch for as long as it lasts, xact.c).  Waiting for it
 * could deadlock: two workers clearing at once, or one clearing while
 * another waits on a row the first holds.  So the lock is asked for
 * without waiting; when another transaction is using the queue right then
 * the clear is skipped (lock_not_available is expected), and a later one
 * empties it.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "gen_text.h"
#include "op.h"

static OltpOpResult
op_enqueue_triagem(OltpOpContext *ctx)
{
	OltpTriagem row;
	Datum		args[4];

	args[0] = oltp_op_fraction(ctx);
	oltp_gen_triagem(ctx->rng, &row);
	args[1] = CStringGetTextDatum(row.prioridade);
	args[2] = CStringGetTextDatum(row.queixa);
	args[3] = TimestampGetDatum(ctx->now);
	return oltp_op_last(ctx, 0, args, NULL, OLTP_CHECK_INSERTED);
}

const OltpOpDef oltp_op_enqueue_triagem = {
	"enqueue_triagem", WEIGHTS(0, 5, 5), {
		{"INSERT INTO %1$s.fila_triagem (paciente_id, prioridade, queixa, chegada) "
			"SELECT p.id, $2, $3, $4 FROM " PICK("pacientes", "1") " p",
			4, {FLOAT8OID, TEXTOID, TEXTOID, TIMESTAMPOID},
		CHANGES(OLTP_FILA_TRIAGEM, INSERT)},
	},
	{ERRCODE_FOREIGN_KEY_VIOLATION, ERRCODE_T_R_DEADLOCK_DETECTED}, op_enqueue_triagem
};

static OltpOpResult
op_clear_triagem(OltpOpContext *ctx)
{
	oltp_op_exec(ctx, 0, NULL, NULL);
	oltp_op_exec(ctx, 1, NULL, NULL);
	return OLTP_OP_DONE;
}

const OltpOpDef oltp_op_clear_triagem = {
	"clear_triagem", WEIGHTS(0, 1, 1), {
		{"LOCK TABLE %1$s.fila_triagem IN ACCESS EXCLUSIVE MODE NOWAIT", 0, {0}},
		{"TRUNCATE TABLE %1$s.fila_triagem", 0, {0},
		CHANGES(OLTP_FILA_TRIAGEM, TRUNCATE)},
	},
	{ERRCODE_LOCK_NOT_AVAILABLE}, op_clear_triagem
};
