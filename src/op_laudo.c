/*-------------------------------------------------------------------------
 *
 * op_laudo.c
 *		The exam reports of the edge_cases set: a report is written for an
 *		exam with a result, signed, and amended.
 *
 * The text of a report is 4 to 64 kB, stored out of line and
 * uncompressed (STORAGE EXTERNAL).  sign_laudo changes only the signature
 * columns: the text is then an unchanged TOASTed value, which logical
 * decoding does not send under REPLICA IDENTITY DEFAULT (Debezium puts
 * its unavailable.value.placeholder there) and sends whole under FULL.
 * amend_laudo rewrites the text, which takes the signature away: an
 * amended report is signed again.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "gen_text.h"
#include "op.h"

/*
 * The exam is picked in the INSERT, like the inserts' parents: the first
 * exam with a result at or after a random point of the id range.  An exam
 * deleted between the pick and the foreign key check (erase_paciente) is a
 * race the operation expects.
 */
static OltpOpResult
op_insert_laudo(OltpOpContext *ctx)
{
	Datum		args[2];

	args[0] = oltp_op_fraction(ctx);
	args[1] = CStringGetTextDatum(oltp_gen_laudo_text(ctx->rng, NULL));
	return oltp_op_last(ctx, 0, args, NULL, OLTP_CHECK_INSERTED);
}

const OltpOpDef oltp_op_insert_laudo = {
	"insert_laudo", WEIGHTS(0, 5, 5), {
		{"INSERT INTO %1$s.laudos (exame_id, texto) "
			"SELECT e.id, $2 FROM %1$s.exames e WHERE e.resultado IS NOT NULL "
			"AND e.id OPERATOR(pg_catalog.>=) (SELECT " PICK_POINT("1") " FROM " PICK_BOUNDS("exames") ") "
			"ORDER BY e.id LIMIT 1",
			2, {FLOAT8OID, TEXTOID},
		CHANGES(OLTP_LAUDOS, INSERT)},
	},
	{ERRCODE_FOREIGN_KEY_VIOLATION, ERRCODE_T_R_DEADLOCK_DETECTED}, op_insert_laudo
};

/* an unsigned report is signed by a random doctor, now */
static OltpOpResult
op_sign_laudo(OltpOpContext *ctx)
{
	Datum		args[3];

	if (!oltp_op_pick(ctx))
		return OLTP_OP_SKIPPED;
	args[0] = Int64GetDatum(oltp_op_result_int8(ctx, 0, 1));
	args[1] = oltp_op_fraction(ctx);
	args[2] = TimestampGetDatum(ctx->now);
	/* no doctor to sign: nothing changed */
	return oltp_op_last(ctx, 1, args, NULL, OLTP_CHECK_INSERTED);
}

const OltpOpDef oltp_op_sign_laudo = {
	"sign_laudo", WEIGHTS(0, 4, 4), {
		{PICK_CANDIDATE("laudos", "id", "assinado_em IS NULL"), 1, {FLOAT8OID}},
		{"UPDATE %1$s.laudos l SET assinado_por = m.nome, assinado_crm = m.crm, assinado_em = $3 "
			"FROM %1$s.medicos m WHERE l.id OPERATOR(pg_catalog.=) $1 AND l.assinado_em IS NULL "
			"AND m.id OPERATOR(pg_catalog.=) " PICK("medicos", "2"),
			3, {INT8OID, FLOAT8OID, TIMESTAMPOID},
		CHANGES(OLTP_LAUDOS, UPDATE)},
	},
	{0}, op_sign_laudo
};

/* any report gets a new text and version, and loses its signature */
static OltpOpResult
op_amend_laudo(OltpOpContext *ctx)
{
	Datum		args[2];

	if (!oltp_op_pick(ctx))
		return OLTP_OP_SKIPPED;
	args[0] = Int64GetDatum(oltp_op_result_int8(ctx, 0, 1));
	args[1] = CStringGetTextDatum(oltp_gen_laudo_text(ctx->rng, NULL));
	return oltp_op_last(ctx, 1, args, NULL, OLTP_CHECK_ONE);
}

const OltpOpDef oltp_op_amend_laudo = {
	"amend_laudo", WEIGHTS(0, 2, 2), {
		{PICK_CANDIDATE("laudos", "id", "true"), 1, {FLOAT8OID}},
		{"UPDATE %1$s.laudos SET texto = $2, versao = versao OPERATOR(pg_catalog.+) 1, "
			"assinado_por = NULL, assinado_crm = NULL, assinado_em = NULL "
			"WHERE id OPERATOR(pg_catalog.=) $1",
			2, {INT8OID, TEXTOID},
		CHANGES(OLTP_LAUDOS, UPDATE)},
	},
	{0}, op_amend_laudo
};
