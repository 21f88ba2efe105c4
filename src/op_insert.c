/*-------------------------------------------------------------------------
 *
 * op_insert.c
 *		The inserts of the stream: new patients, consultations, exams and
 *		admissions.
 *
 * A new row references a random existing parent, picked in the INSERT
 * itself (PICK in op.h): a rank in the id range, drawn uniformly or, under
 * oltp_sim.skew, towards the hot ranks (oltp_op_fraction), placed at a
 * point between min(id) and max(id) by a fixed permutation of the range,
 * then the first row at or after that point.  The pick costs one probe of
 * the primary key at any table size and needs no round trip.  When the parent table is
 * empty the INSERT ... SELECT inserts nothing, and the operation is
 * skipped, not failed.
 *
 * The pick reads without a lock, so a parent deleted by another session
 * between the pick and the insert's foreign key check makes the insert
 * fail with foreign_key_violation.  That is a race the stream expects,
 * not a fault: the operation declares it, and the worker counts it as
 * skipped.  So is deadlock_detected: the foreign key check waits for a
 * parent another transaction holds (an update, erasure or renumbering of
 * that patient), and with several operations per transaction that one may
 * come to wait for a parent this transaction's earlier insert holds.  The
 * waits are the inserts', so one of them is the one cancelled.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "generate.h"
#include "op.h"

/* what an INSERT ... SELECT of one row did: nothing when no parent exists */
static OltpOpResult
op_inserted(uint64 n)
{
	return n == 1 ? OLTP_OP_DONE : OLTP_OP_SKIPPED;
}

/* the CPF derives from the id, so the id is drawn first, from the sequence */
static OltpOpResult
op_insert_paciente(OltpOpContext *ctx)
{
	OltpPaciente row;
	Datum		args[OLTP_PACIENTE_NCOLS];
	int64		id;

	id = oltp_next_natural_id(ctx->schema->seqids[OLTP_PACIENTES],
							  oltp_model[OLTP_PACIENTES].name, OLTP_CPF_CAPACITY);
	oltp_gen_paciente(ctx->rng, id, ctx->today, &row);
	oltp_paciente_datums(id, &row, args);
	return op_inserted(oltp_op_exec(ctx, 0, args, NULL));
}

const OltpOpDef oltp_op_insert_paciente = {
	"insert_paciente", WEIGHTS(7, 70, 70), {
		{"INSERT INTO %1$s.pacientes (id, nome, nascimento, cpf, telefone, endereco) "
			"VALUES ($1, $2, $3, $4, $5, $6)",
			6, {INT8OID, TEXTOID, DATEOID, TEXTOID, TEXTOID, TEXTOID},
		CHANGES(OLTP_PACIENTES, INSERT)},
	},
	{0}, op_insert_paciente
};

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
	return op_inserted(oltp_op_exec(ctx, 0, args, NULL));
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

static OltpOpResult
op_insert_exame(OltpOpContext *ctx)
{
	OltpExame	row;
	Datum		args[3];

	args[0] = oltp_op_fraction(ctx);
	oltp_gen_exame(ctx->rng, ctx->now, OLTP_GEN_LIVE, &row);
	args[1] = CStringGetTextDatum(row.tipo);
	args[2] = TimestampGetDatum(row.data);
	return op_inserted(oltp_op_exec(ctx, 0, args, NULL));
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
op_insert_internacao(OltpOpContext *ctx)
{
	OltpInternacao row;
	Datum		args[4];

	args[0] = oltp_op_fraction(ctx);
	oltp_gen_internacao(ctx->rng, ctx->now, OLTP_GEN_LIVE, &row);
	args[1] = TimestampGetDatum(row.entrada);
	args[2] = CStringGetTextDatum(row.motivo);
	args[3] = CStringGetTextDatum(row.quarto);
	return op_inserted(oltp_op_exec(ctx, 0, args, NULL));
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
