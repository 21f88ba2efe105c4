/*-------------------------------------------------------------------------
 *
 * op_patient.c
 *		Operations on a patient and everything that references them: an
 *		LGPD erasure, a renumbering, an admission as one business
 *		transaction.
 *
 * Erasure and renumbering lock the patient FOR UPDATE SKIP LOCKED, so two
 * workers never take the same patient and a patient another transaction
 * is referencing right now (its foreign key check holds KEY SHARE) is
 * passed over.  Once the patient is locked nobody can add a row referencing
 * it: a concurrent insert waits for the patient's KEY SHARE lock and, once
 * the patient is gone or renumbered, fails its foreign key check, a race
 * the inserts expect.  The rows already referencing the patient are then
 * locked FOR UPDATE NOWAIT before anything changes: a row another
 * transaction holds (an exam getting its result, say) ends the operation
 * with lock_not_available, declared and counted as skipped, instead of a
 * wait that could close a cycle with that transaction's next insert for
 * this patient.  Holding every row it touches before its first change,
 * the operation never waits, so it never deadlocks.
 *
 * Children go first: every reference is ON DELETE RESTRICT, so the erasure
 * deletes the rows referencing the patient, then the patient, and is never
 * refused.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "generate.h"
#include "op.h"

/* the rows of child table T referencing patient $1, locked without waiting */
#define LOCK_CHILD(T) \
	T " AS (SELECT 1 FROM %1$s." T " WHERE paciente_id OPERATOR(pg_catalog.=) $1 " \
	"FOR UPDATE NOWAIT)"
#define COUNT_CHILD(T)	"(SELECT pg_catalog.count(*) FROM " T ")"

/*
 * The rows of four child tables referencing patient $1, locked; one count
 * per table, in their order.  A CTE not read is not run: the SELECT reads
 * all.
 */
#define LOCK_FOUR_CHILDREN(A, B, C, D) \
	"WITH " LOCK_CHILD(A) ", " LOCK_CHILD(B) ", " LOCK_CHILD(C) ", " LOCK_CHILD(D) \
	" SELECT " COUNT_CHILD(A) ", " COUNT_CHILD(B) ", " COUNT_CHILD(C) ", " COUNT_CHILD(D)

/* every row of the core set referencing the patient, in op_children's order */
#define LOCK_CHILDREN \
	LOCK_FOUR_CHILDREN("pacientes_convenios", "consultas", "exames", "internacoes")

/* the tables referencing pacientes, in LOCK_CHILDREN's order */
static const OltpTable op_children[] = {
	OLTP_PACIENTES_CONVENIOS, OLTP_CONSULTAS, OLTP_EXAMES, OLTP_INTERNACOES,
};

/*
 * With the edge_cases set the patient also has rows in the triage queue,
 * and their exams reports; statements on those tables run only when the
 * set exists (IF_PRESENT).
 */
#define LAUDOS_OF_PACIENTE \
	"exame_id OPERATOR(pg_catalog.=) ANY (SELECT e.id FROM %1$s.exames e " \
	"WHERE e.paciente_id OPERATOR(pg_catalog.=) $1)"
#define LOCK_LAUDOS \
	"SELECT pg_catalog.count(*) FROM (SELECT 1 FROM %1$s.laudos WHERE " LAUDOS_OF_PACIENTE \
	" FOR UPDATE NOWAIT) l"
#define LOCK_FILA_TRIAGEM \
	"SELECT pg_catalog.count(*) FROM (SELECT 1 FROM %1$s.fila_triagem " \
	"WHERE paciente_id OPERATOR(pg_catalog.=) $1 FOR UPDATE NOWAIT) f"

/*
 * With the set types, the patient's vital signs, invoices, records and bed
 * reservations, one count per table in the order of op_types_children.
 */
#define LOCK_TYPES \
	LOCK_FOUR_CHILDREN("sinais_vitais", "faturas", "prontuarios", "reservas_leito")

static const OltpTable op_types_children[] = {
	OLTP_SINAIS_VITAIS, OLTP_FATURAS, OLTP_PRONTUARIOS, OLTP_RESERVAS_LEITO,
};

/* lock a patient with statement 0; false when every patient is taken */
static bool
op_lock_paciente(OltpOpContext *ctx, Datum *id)
{
	if (!oltp_op_pick(ctx))
		return false;
	*id = Int64GetDatum(oltp_op_result_int8(ctx, 0, 1));
	return true;
}

/* run statements from .. to - 1 that exist (an absent set's are not prepared) */
static void
op_exec_present(OltpOpContext *ctx, int from, int to, Datum *id)
{
	for (int s = from; s < to; s++)
		if (oltp_op_has(ctx, s))
			oltp_op_exec(ctx, s, id, NULL);
}

/*
 * LGPD erasure: every row referencing the patient is locked (statements 1
 * to 4), then deleted, reports, queue entries and the set types' rows
 * before the exams and the patient (5 to 14), then the patient (15).
 */
static OltpOpResult
op_erase_paciente(OltpOpContext *ctx)
{
	Datum		id;

	if (!op_lock_paciente(ctx, &id))
		return OLTP_OP_SKIPPED;
	op_exec_present(ctx, 1, 15, &id);
	return oltp_op_one(ctx, 15, oltp_op_exec(ctx, 15, &id, NULL));
}

#define DELETE_CHILD(T, TABLE) \
	{"DELETE FROM %1$s." T " WHERE paciente_id OPERATOR(pg_catalog.=) $1", \
		1, {INT8OID}, CHANGES(TABLE, DELETE)}
#define DELETE_CHILD_IF_PRESENT(T, TABLE) \
	{"DELETE FROM %1$s." T " WHERE paciente_id OPERATOR(pg_catalog.=) $1", \
		1, {INT8OID}, CHANGES_IF_PRESENT(TABLE, DELETE)}

const OltpOpDef oltp_op_erase_paciente = {
	"erase_paciente", WEIGHTS(0, 2, 2), {
		{PICK_LOCKED("pacientes", "UPDATE"), 1, {FLOAT8OID}},
		{LOCK_CHILDREN, 1, {INT8OID}},
		{LOCK_LAUDOS, 1, {INT8OID}, READS_IF_PRESENT(OLTP_LAUDOS)},
		{LOCK_FILA_TRIAGEM, 1, {INT8OID}, READS_IF_PRESENT(OLTP_FILA_TRIAGEM)},
		{LOCK_TYPES, 1, {INT8OID}, READS_IF_PRESENT(OLTP_SINAIS_VITAIS)},
		{"DELETE FROM %1$s.laudos WHERE " LAUDOS_OF_PACIENTE,
			1, {INT8OID}, CHANGES_IF_PRESENT(OLTP_LAUDOS, DELETE)},
		DELETE_CHILD_IF_PRESENT("fila_triagem", OLTP_FILA_TRIAGEM),
		DELETE_CHILD_IF_PRESENT("sinais_vitais", OLTP_SINAIS_VITAIS),
		DELETE_CHILD_IF_PRESENT("faturas", OLTP_FATURAS),
		DELETE_CHILD_IF_PRESENT("prontuarios", OLTP_PRONTUARIOS),
		DELETE_CHILD_IF_PRESENT("reservas_leito", OLTP_RESERVAS_LEITO),
		DELETE_CHILD("pacientes_convenios", OLTP_PACIENTES_CONVENIOS),
		DELETE_CHILD("consultas", OLTP_CONSULTAS),
		DELETE_CHILD("exames", OLTP_EXAMES),
		DELETE_CHILD("internacoes", OLTP_INTERNACOES),
		{"DELETE FROM %1$s.pacientes WHERE id OPERATOR(pg_catalog.=) $1",
			1, {INT8OID}, CHANGES(OLTP_PACIENTES, DELETE)},
	},
	{ERRCODE_LOCK_NOT_AVAILABLE}, op_erase_paciente
};

/*
 * Renumbering: the new id comes from the patients' own sequence, so no
 * later insert is ever handed it (nor the CPF derived from it).  The
 * foreign keys' ON UPDATE CASCADE rewrites every row referencing the
 * patient, each decoded as an update of its table: the rows statements 1
 * to 3 locked, counted here.  Reports reference exams, whose ids stay.
 */
static OltpOpResult
op_rekey_paciente(OltpOpContext *ctx)
{
	Datum		args[2];

	if (!op_lock_paciente(ctx, &args[0]))
		return OLTP_OP_SKIPPED;
	op_exec_present(ctx, 1, 4, &args[0]);
	args[1] = Int64GetDatum(oltp_next_natural_id(ctx->schema->seqids[OLTP_PACIENTES],
												 oltp_model[OLTP_PACIENTES].name,
												 OLTP_CPF_CAPACITY));
	oltp_op_one(ctx, 4, oltp_op_exec(ctx, 4, args, NULL));
	for (int c = 0; c < (int) lengthof(op_children); c++)
		oltp_op_count_cascade(ctx, op_children[c], OLTP_CHANGE_UPDATE,
							  (uint64) oltp_op_result_int8(ctx, 1, c + 1));
	if (oltp_op_has(ctx, 2))
		oltp_op_count_cascade(ctx, OLTP_FILA_TRIAGEM, OLTP_CHANGE_UPDATE,
							  (uint64) oltp_op_result_int8(ctx, 2, 1));
	if (oltp_op_has(ctx, 3))
		for (int c = 0; c < (int) lengthof(op_types_children); c++)
			oltp_op_count_cascade(ctx, op_types_children[c], OLTP_CHANGE_UPDATE,
								  (uint64) oltp_op_result_int8(ctx, 3, c + 1));
	return OLTP_OP_DONE;
}

const OltpOpDef oltp_op_rekey_paciente = {
	"rekey_paciente", WEIGHTS(0, 2, 2), {
		{PICK_LOCKED("pacientes", "UPDATE"), 1, {FLOAT8OID}},
		{LOCK_CHILDREN, 1, {INT8OID}},
		{LOCK_FILA_TRIAGEM, 1, {INT8OID}, READS_IF_PRESENT(OLTP_FILA_TRIAGEM)},
		{LOCK_TYPES, 1, {INT8OID}, READS_IF_PRESENT(OLTP_SINAIS_VITAIS)},
		{"UPDATE %1$s.pacientes SET id = $2 WHERE id OPERATOR(pg_catalog.=) $1",
			2, {INT8OID, INT8OID}, CHANGES(OLTP_PACIENTES, UPDATE)},
	},
	{ERRCODE_LOCK_NOT_AVAILABLE}, op_rekey_paciente
};

/*
 * An admission: the stay, one to five exams ordered on arrival and a
 * consultation, for one patient, in one transaction.  The patient is held
 * FOR KEY SHARE from the pick, as the foreign key checks would hold it, so
 * an erasure or a renumbering passes it over instead of pulling it away
 * between the statements.
 */
static OltpOpResult
op_admit_paciente(OltpOpContext *ctx)
{
	OltpInternacao stay;
	Datum		args[4];
	Datum		tipos[5];
	Datum		datas[5];
	int			nexams = (int) pg_prng_uint64_range(ctx->rng, 1, 5);

	if (!op_lock_paciente(ctx, &args[0]))
		return OLTP_OP_SKIPPED;

	oltp_gen_internacao(ctx->rng, ctx->now, OLTP_GEN_LIVE, &stay);
	args[1] = TimestampGetDatum(stay.entrada);
	args[2] = CStringGetTextDatum(stay.motivo);
	args[3] = CStringGetTextDatum(stay.quarto);
	oltp_op_one(ctx, 1, oltp_op_exec(ctx, 1, args, NULL));

	for (int i = 0; i < nexams; i++)
	{
		OltpExame	exam;

		oltp_gen_exame(ctx->rng, ctx->now, OLTP_GEN_LIVE, &exam);
		tipos[i] = CStringGetTextDatum(exam.tipo);
		datas[i] = TimestampGetDatum(exam.data);
	}
	args[1] = PointerGetDatum(construct_array(tipos, nexams, TEXTOID, -1, false, TYPALIGN_INT));
	args[2] = PointerGetDatum(construct_array(datas, nexams, TIMESTAMPOID, sizeof(Timestamp),
											  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	if (oltp_op_exec(ctx, 2, args, NULL) != (uint64) nexams)
		elog(ERROR, "\"%s\" did not insert %d exams", ctx->sql[2], nexams);

	/* no doctor at all leaves the consultation out, not the admission */
	oltp_op_insert_consulta_of(ctx, 3, args[0]);
	return OLTP_OP_DONE;
}

const OltpOpDef oltp_op_admit_paciente = {
	"admit_paciente", WEIGHTS(0, 3, 3), {
		{PICK_LOCKED("pacientes", "KEY SHARE"), 1, {FLOAT8OID}},
		{"INSERT INTO %1$s.internacoes (paciente_id, data_entrada, motivo, quarto) "
			"VALUES ($1, $2, $3, $4)",
			4, {INT8OID, TIMESTAMPOID, TEXTOID, TEXTOID},
		CHANGES(OLTP_INTERNACOES, INSERT)},
		{"INSERT INTO %1$s.exames (paciente_id, tipo_exame, data) "
			"SELECT $1, x.tipo, x.data FROM ROWS FROM (pg_catalog.unnest($2), "
			"pg_catalog.unnest($3)) AS x(tipo, data)",
			3, {INT8OID, TEXTARRAYOID, TIMESTAMPARRAYOID},
		CHANGES(OLTP_EXAMES, INSERT)},
		{INSERT_CONSULTA_OF_PACIENTE,
			5, {INT8OID, FLOAT8OID, TIMESTAMPOID, TEXTOID, TEXTOID},
		CHANGES(OLTP_CONSULTAS, INSERT)},
	},
	{0}, op_admit_paciente
};
