/*-------------------------------------------------------------------------
 *
 * op_update.c
 *		The updates of the stream: a patient moves or changes number, a
 *		scheduled consultation happens, a pending exam gets its result, an
 *		open admission ends.
 *
 * Each is two statements: a pick of a candidate row, locked, then an
 * UPDATE of that row by id.  Finding a candidate costs the same at any
 * table size: a point between min(id) and max(id) (both read from the
 * primary key; the rank is uniform or skewed and permuted over the range
 * as for the inserts), then the first candidate at or after it through a
 * partial index on the candidates; when there is none past the point, the
 * search starts again from the beginning.  FOR UPDATE SKIP LOCKED keeps
 * concurrent workers off each other's rows, so a candidate all others hold
 * means "nothing to do" (skipped), never a wait.
 *
 * The row is locked from the pick on, so the UPDATE must change exactly
 * that row: anything else is a fault in the statements, not a race.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "generate.h"
#include "op.h"

/* half move house (new address and phone), half change only the number */
static OltpOpResult
op_update_paciente(OltpOpContext *ctx)
{
	char		telefone[21];
	char		endereco[201];
	char	   *old_phone;
	Datum		args[3];
	char		nulls[3] = {' ', ' ', ' '};
	int			ddd;

	if (!oltp_op_pick(ctx))
		return OLTP_OP_SKIPPED;
	args[0] = Int64GetDatum(oltp_op_result_int8(ctx, 0, 1));
	old_phone = oltp_op_result_text(ctx, 0, 2);
	if (pg_prng_bool(ctx->rng))
	{
		int			state = oltp_gen_address(ctx->rng, endereco, sizeof(endereco));

		oltp_gen_phone(ctx->rng, state, telefone, sizeof(telefone));
		args[2] = CStringGetTextDatum(endereco);
	}
	else
	{
		/* keep the area code of "(DD) 9NNNN-NNNN" */
		if (old_phone != NULL && sscanf(old_phone, "(%d)", &ddd) == 1 && ddd >= 11 && ddd <= 99)
			oltp_gen_phone_in_area(ctx->rng, ddd, telefone, sizeof(telefone));
		else
		{
			int			state = oltp_gen_address(ctx->rng, endereco, sizeof(endereco));

			oltp_gen_phone(ctx->rng, state, telefone, sizeof(telefone));
		}
		nulls[2] = 'n';
		args[2] = (Datum) 0;
	}
	args[1] = CStringGetTextDatum(telefone);
	return oltp_op_one(ctx, 1, oltp_op_exec(ctx, 1, args, nulls));
}

const OltpOpDef oltp_op_update_paciente = {
	"update_paciente", WEIGHTS(5, 50, 50), {
		{"SELECT id, telefone FROM %1$s.pacientes WHERE id OPERATOR(pg_catalog.>=) "
			"(SELECT " PICK_POINT("1") " FROM %1$s.pacientes) "
			"ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
		1, {FLOAT8OID}},
		{"UPDATE %1$s.pacientes SET telefone = $2, endereco = coalesce($3, endereco) "
			"WHERE id OPERATOR(pg_catalog.=) $1",
			3, {INT8OID, TEXTOID, TEXTOID},
		CHANGES(OLTP_PACIENTES, UPDATE)},
	},
	{0}, op_update_paciente
};

/* a scheduled consultation happens, is cancelled or is missed */
static OltpOpResult
op_update_consulta(OltpOpContext *ctx)
{
	Datum		args[3];

	if (!oltp_op_pick(ctx))
		return OLTP_OP_SKIPPED;
	args[0] = Int64GetDatum(oltp_op_result_int8(ctx, 0, 1));
	args[1] = CStringGetTextDatum(oltp_gen_consulta_outcome(ctx->rng));
	args[2] = TimestampGetDatum(ctx->now);
	return oltp_op_one(ctx, 1, oltp_op_exec(ctx, 1, args, NULL));
}

const OltpOpDef oltp_op_update_consulta = {
	"update_consulta", WEIGHTS(12, 120, 120), {
		{PICK_CANDIDATE("consultas", "id", AGENDADA), 1, {FLOAT8OID}},
		{"UPDATE %1$s.consultas SET status = $2, "
			"data = CASE WHEN $2 OPERATOR(pg_catalog.=) 'cancelada'::pg_catalog.text "
			"THEN data ELSE least(data, $3) END "
			"WHERE id OPERATOR(pg_catalog.=) $1 AND " AGENDADA,
			3, {INT8OID, TEXTOID, TIMESTAMPOID},
		CHANGES(OLTP_CONSULTAS, UPDATE)},
	},
	{0}, op_update_consulta
};

/* a pending exam gets a result of its type (and is done by now, if ahead) */
static OltpOpResult
op_update_exame(OltpOpContext *ctx)
{
	Datum		args[3];

	if (!oltp_op_pick(ctx))
		return OLTP_OP_SKIPPED;
	args[0] = Int64GetDatum(oltp_op_result_int8(ctx, 0, 1));
	args[1] = CStringGetTextDatum(oltp_gen_exam_result(ctx->rng,
													   oltp_op_result_text(ctx, 0, 2)));
	args[2] = TimestampGetDatum(ctx->now);
	return oltp_op_one(ctx, 1, oltp_op_exec(ctx, 1, args, NULL));
}

const OltpOpDef oltp_op_update_exame = {
	"update_exame", WEIGHTS(8, 80, 80), {
		{PICK_CANDIDATE("exames", "id, tipo_exame", "resultado IS NULL"), 1, {FLOAT8OID}},
		{"UPDATE %1$s.exames SET resultado = $2, data = least(data, $3) "
			"WHERE id OPERATOR(pg_catalog.=) $1 AND resultado IS NULL",
			3, {INT8OID, TEXTOID, TIMESTAMPOID},
		CHANGES(OLTP_EXAMES, UPDATE)},
	},
	{0}, op_update_exame
};

/* an open admission is discharged now (never before it began) */
static OltpOpResult
op_update_internacao(OltpOpContext *ctx)
{
	Datum		args[2];

	if (!oltp_op_pick(ctx))
		return OLTP_OP_SKIPPED;
	args[0] = Int64GetDatum(oltp_op_result_int8(ctx, 0, 1));
	args[1] = TimestampGetDatum(ctx->now);
	return oltp_op_one(ctx, 1, oltp_op_exec(ctx, 1, args, NULL));
}

const OltpOpDef oltp_op_update_internacao = {
	"update_internacao", WEIGHTS(5, 50, 50), {
		{PICK_CANDIDATE("internacoes", "id", "data_saida IS NULL"), 1, {FLOAT8OID}},
		{"UPDATE %1$s.internacoes SET data_saida = greatest(data_entrada, $2) "
			"WHERE id OPERATOR(pg_catalog.=) $1 AND data_saida IS NULL",
			2, {INT8OID, TIMESTAMPOID},
		CHANGES(OLTP_INTERNACOES, UPDATE)},
	},
	{0}, op_update_internacao
};
