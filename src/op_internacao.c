/*-------------------------------------------------------------------------
 *
 * op_internacao.c
 *		The operations on admissions: a patient is admitted, and an open
 *		admission ends.  An admission with its exams and consultation as
 *		one business transaction is the patient's (admit_paciente, in
 *		op_paciente.c).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "generate.h"
#include "op.h"

static OltpOpResult
op_insert_internacao(OltpOpContext *ctx)
{
	OltpInternacao row;
	Datum		args[4];

	args[0] = oltp_op_fraction(ctx);
	oltp_gen_internacao(ctx->rng, ctx->now, OLTP_GEN_LIVE, &row);
	args[1] = TimestampGetDatum(row.entrada);
	args[2] = CStringGetTextDatum(row.motivo);
	args[3] = CStringGetTextDatum(row.quarto);
	return oltp_op_last(ctx, 0, args, NULL, OLTP_CHECK_INSERTED);
}

const OltpOpDef oltp_op_insert_internacao = {
	"insert_internacao", WEIGHTS(10, 100, 100), {
		{"INSERT INTO %1$s.internacoes (paciente_id, data_entrada, motivo, quarto) "
			"SELECT p.id, $2, $3, $4 FROM " PICK("pacientes", "1") " p",
			4, {FLOAT8OID, TIMESTAMPOID, TEXTOID, TEXTOID},
		CHANGES(OLTP_INTERNACOES, INSERT)},
	},
	{ERRCODE_FOREIGN_KEY_VIOLATION, ERRCODE_T_R_DEADLOCK_DETECTED}, op_insert_internacao
};

/* an open admission is discharged now (never before it began), in one UPDATE */
static OltpOpResult
op_update_internacao(OltpOpContext *ctx)
{
	Datum		args[2];

	args[0] = oltp_op_fraction(ctx);
	args[1] = TimestampGetDatum(ctx->now);
	return oltp_op_last(ctx, 0, args, NULL, OLTP_CHECK_PICKED);
}

const OltpOpDef oltp_op_update_internacao = {
	"update_internacao", WEIGHTS(5, 50, 50), {
		{"UPDATE %1$s.internacoes SET data_saida = greatest(data_entrada, $2) "
			"WHERE id OPERATOR(pg_catalog.=) " PICKED("internacoes", "data_saida IS NULL")
			" AND data_saida IS NULL",
			2, {FLOAT8OID, TIMESTAMPOID},
		CHANGES(OLTP_INTERNACOES, UPDATE)},
	},
	{0}, op_update_internacao
};
