/*-------------------------------------------------------------------------
 *
 * op_delete.c
 *		The deletes of the stream: an exam request cancelled before
 *		collection, a cancelled consultation removed.  Off under the
 *		hospital profile; under edge_cases they give a CDC pipeline its
 *		DELETE events (and Debezium its tombstones).
 *
 * Like the updates, each picks a candidate, locked (FOR UPDATE SKIP
 * LOCKED: two workers never wait on each other's rows), then deletes it
 * by id, with the candidate's condition repeated.  Nothing references a
 * consultation.  An exam is referenced by its reports (laudos): the stream
 * writes them only for exams with a result, and deletes only pending
 * exams, but a report written by hand would make the delete fail its
 * foreign key.  So when the edge_cases set is added, an exam with a report
 * is left alone (skipped); a report written in between is a race the
 * delete expects.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"

#include "op.h"

/* statement 0 picks, the last one deletes the row picked */
static OltpOpResult
op_delete_picked(OltpOpContext *ctx, int delete)
{
	Datum		arg;

	if (!oltp_op_pick(ctx))
		return OLTP_OP_SKIPPED;
	arg = Int64GetDatum(oltp_op_result_int8(ctx, 0, 1));
	/* an exam with a report, where reports exist, stays */
	if (delete == 2 && oltp_op_has(ctx, 1) && oltp_op_exec(ctx, 1, &arg, NULL) > 0)
		return OLTP_OP_SKIPPED;
	return oltp_op_one(ctx, delete, oltp_op_exec(ctx, delete, &arg, NULL));
}

static OltpOpResult
op_delete_exame(OltpOpContext *ctx)
{
	return op_delete_picked(ctx, 2);
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

static OltpOpResult
op_delete_consulta(OltpOpContext *ctx)
{
	return op_delete_picked(ctx, 1);
}

#define CANCELADA \
	"status::pg_catalog.text OPERATOR(pg_catalog.=) 'cancelada'::pg_catalog.text"

const OltpOpDef oltp_op_delete_consulta = {
	"delete_consulta", WEIGHTS(0, 3, 3), {
		{PICK_CANDIDATE("consultas", "id", CANCELADA), 1, {FLOAT8OID}},
		{"DELETE FROM %1$s.consultas WHERE id OPERATOR(pg_catalog.=) $1 AND " CANCELADA,
			1, {INT8OID},
		CHANGES(OLTP_CONSULTAS, DELETE)},
	},
	{0}, op_delete_consulta
};
