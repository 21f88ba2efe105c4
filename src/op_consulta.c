/*-------------------------------------------------------------------------
 *
 * op_consulta.c
 *		The operations on consultations: one is scheduled, happens (or is
 *		cancelled or missed), and a cancelled one is removed.  Removal is
 *		off under the hospital profile; under edge_cases it gives a CDC
 *		pipeline its DELETE events (and Debezium its tombstones).
 *
 * Nothing references a consultation, so its removal is never refused.
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
op_insert_consulta(OltpOpContext *ctx)
{
	OltpConsulta row;
	Datum		args[5];

	args[0] = oltp_op_fraction(ctx);
	args[1] = oltp_op_fraction(ctx);
	oltp_gen_consulta(ctx->rng, ctx->now, OLTP_GEN_LIVE, &row);
	args[2] = TimestampGetDatum(row.data);
	args[3] = CStringGetTextDatum(row.motivo);
	args[4] = CStringGetTextDatum(row.status);
	return oltp_op_last(ctx, 0, args, NULL, OLTP_CHECK_INSERTED);
}

const OltpOpDef oltp_op_insert_consulta = {
	"insert_consulta", WEIGHTS(35, 350, 350), {
		{"INSERT INTO %1$s.consultas (paciente_id, medico_id, data, motivo, status) "
			"SELECT p.id, m.id, $3, $4, $5 FROM " PICK("pacientes", "1") " p, "
			PICK("medicos", "2") " m",
			5, {FLOAT8OID, FLOAT8OID, TIMESTAMPOID, TEXTOID, TEXTOID},
		CHANGES(OLTP_CONSULTAS, INSERT)},
	},
	{ERRCODE_FOREIGN_KEY_VIOLATION, ERRCODE_T_R_DEADLOCK_DETECTED}, op_insert_consulta
};

/*
 * A scheduled consultation happens, is cancelled or is missed: the outcome
 * is drawn first (it does not depend on the consultation), then one
 * UPDATE picks the consultation and records it.
 */
static OltpOpResult
op_update_consulta(OltpOpContext *ctx)
{
	Datum		args[3];

	args[0] = oltp_op_fraction(ctx);
	args[1] = CStringGetTextDatum(oltp_gen_consulta_outcome(ctx->rng));
	args[2] = TimestampGetDatum(ctx->now);
	return oltp_op_last(ctx, 0, args, NULL, OLTP_CHECK_PICKED);
}

const OltpOpDef oltp_op_update_consulta = {
	"update_consulta", WEIGHTS(12, 120, 120), {
		{"UPDATE %1$s.consultas SET status = $2, "
			"data = CASE WHEN $2 OPERATOR(pg_catalog.=) 'cancelada'::pg_catalog.text "
			"THEN data ELSE least(data, $3) END "
			"WHERE id OPERATOR(pg_catalog.=) " PICKED("consultas", AGENDADA) " AND " AGENDADA,
			3, {FLOAT8OID, TEXTOID, TIMESTAMPOID},
		CHANGES(OLTP_CONSULTAS, UPDATE)},
	},
	{0}, op_update_consulta
};

static OltpOpResult
op_delete_consulta(OltpOpContext *ctx)
{
	return oltp_op_delete_picked(ctx, 1);
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
