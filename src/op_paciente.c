/*-------------------------------------------------------------------------
 *
 * op_paciente.c
 *		The operations on a patient and on everything that references
 *		them: a new patient, a move or a new phone number, an LGPD erasure,
 *		a renumbering, an admission as one business transaction, and a
 *		transaction kept open while the stream commits others.
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
 * long_transaction makes its changes and says (OltpOpDef.hold) that its
 * transaction is to stay open for oltp_sim.long_transaction before it
 * commits.  It does not wait itself: a worker hands it to a process of
 * its own that holds the transaction (hold.c) while the stream goes on,
 * and CALL oltp_run commits it at once.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "generate.h"
#include "guc.h"
#include "model.h"
#include "op.h"

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
	return oltp_op_last(ctx, 0, args, NULL, OLTP_CHECK_INSERTED);
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

/*
 * Half move house (new address and phone), half change only the number.
 * A move draws nothing from the patient, so it is one UPDATE that picks
 * the patient (statement 2); a new number keeps the patient's area code,
 * so it reads the patient first (statement 0) and updates it by id
 * (statement 1).  The coin is drawn first.
 */
static OltpOpResult
op_update_paciente(OltpOpContext *ctx)
{
	char		telefone[OLTP_PACIENTES_TELEFONE_LEN + 1];
	char		endereco[OLTP_PACIENTES_ENDERECO_LEN + 1];
	char	   *old_phone;
	Datum		args[3];
	char		nulls[3] = {' ', ' ', 'n'};
	int			ddd;

	if (pg_prng_bool(ctx->rng))
	{
		int			state;

		args[0] = oltp_op_fraction(ctx);
		state = oltp_gen_address(ctx->rng, endereco, sizeof(endereco));
		oltp_gen_phone(ctx->rng, state, telefone, sizeof(telefone));
		args[1] = CStringGetTextDatum(telefone);
		args[2] = CStringGetTextDatum(endereco);
		return oltp_op_last(ctx, 2, args, NULL, OLTP_CHECK_PICKED);
	}

	if (!oltp_op_pick(ctx))
		return OLTP_OP_SKIPPED;
	args[0] = Int64GetDatum(oltp_op_result_int8(ctx, 0, 1));
	old_phone = oltp_op_result_text(ctx, 0, 2);
	/* keep the area code of "(DD) 9NNNN-NNNN" */
	if (old_phone != NULL && sscanf(old_phone, "(%d)", &ddd) == 1 && ddd >= 11 && ddd <= 99)
		oltp_gen_phone_in_area(ctx->rng, ddd, telefone, sizeof(telefone));
	else
	{
		int			state = oltp_gen_address(ctx->rng, endereco, sizeof(endereco));

		oltp_gen_phone(ctx->rng, state, telefone, sizeof(telefone));
	}
	args[1] = CStringGetTextDatum(telefone);
	args[2] = (Datum) 0;
	return oltp_op_last(ctx, 1, args, nulls, OLTP_CHECK_ONE);
}

const OltpOpDef oltp_op_update_paciente = {
	"update_paciente", WEIGHTS(5, 50, 50), {
		{"SELECT id, telefone FROM %1$s.pacientes WHERE id OPERATOR(pg_catalog.>=) "
			"(SELECT " PICK_POINT("1") " FROM " PICK_BOUNDS("pacientes") ") "
			"ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
		1, {FLOAT8OID}},
		{"UPDATE %1$s.pacientes SET telefone = $2, endereco = coalesce($3, endereco) "
			"WHERE id OPERATOR(pg_catalog.=) $1",
			3, {INT8OID, TEXTOID, TEXTOID},
		CHANGES(OLTP_PACIENTES, UPDATE)},
		{"UPDATE %1$s.pacientes SET telefone = $2, endereco = $3 "
			"WHERE id OPERATOR(pg_catalog.=) " PICKED_ANY("pacientes"),
			3, {FLOAT8OID, TEXTOID, TEXTOID},
		CHANGES(OLTP_PACIENTES, UPDATE)},
	},
	{0}, op_update_paciente
};

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
	return oltp_op_last(ctx, 15, &id, NULL, OLTP_CHECK_ONE);
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
	int			nexames = (int) pg_prng_uint64_range(ctx->rng, 1, 5);

	if (!op_lock_paciente(ctx, &args[0]))
		return OLTP_OP_SKIPPED;

	oltp_gen_internacao(ctx->rng, ctx->now, OLTP_GEN_LIVE, &stay);
	args[1] = TimestampGetDatum(stay.entrada);
	args[2] = CStringGetTextDatum(stay.motivo);
	args[3] = CStringGetTextDatum(stay.quarto);
	oltp_op_one(ctx, 1, oltp_op_exec(ctx, 1, args, NULL));

	for (int i = 0; i < nexames; i++)
	{
		OltpExame	exame;

		oltp_gen_exame(ctx->rng, ctx->now, OLTP_GEN_LIVE, &exame);
		tipos[i] = CStringGetTextDatum(exame.tipo);
		datas[i] = TimestampGetDatum(exame.data);
	}
	args[1] = PointerGetDatum(construct_array(tipos, nexames, TEXTOID, -1, false, TYPALIGN_INT));
	args[2] = PointerGetDatum(construct_array(datas, nexames, TIMESTAMPOID, sizeof(Timestamp),
											  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	if (oltp_op_exec(ctx, 2, args, NULL) != (uint64) nexames)
		elog(ERROR, "\"%s\" did not insert %d exams", ctx->sql[2], nexames);

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

/*
 * A consultation and an exame for one patient; its definition asks for the
 * transaction to be held open for oltp_sim.long_transaction, which its
 * caller does (hold.c).  The patient is held FOR KEY SHARE from the pick,
 * so an erasure or a renumbering passes it over for as long as the
 * transaction stays open.
 */
static OltpOpResult
op_long_transaction(OltpOpContext *ctx)
{
	OltpExame	exame;
	Datum		args[3];

	if (!oltp_op_pick(ctx))
		return OLTP_OP_SKIPPED;
	args[0] = Int64GetDatum(oltp_op_result_int8(ctx, 0, 1));
	oltp_op_insert_consulta_of(ctx, 1, args[0]);

	oltp_gen_exame(ctx->rng, ctx->now, OLTP_GEN_LIVE, &exame);
	args[1] = CStringGetTextDatum(exame.tipo);
	args[2] = TimestampGetDatum(exame.data);
	oltp_op_exec(ctx, 2, args, NULL);
	return OLTP_OP_DONE;
}

const OltpOpDef oltp_op_long_transaction = {
	"long_transaction", WEIGHTS(0, 1, 1), {
		{PICK_LOCKED("pacientes", "KEY SHARE"), 1, {FLOAT8OID}},
		{INSERT_CONSULTA_OF_PACIENTE,
			5, {INT8OID, FLOAT8OID, TIMESTAMPOID, TEXTOID, TEXTOID},
		CHANGES(OLTP_CONSULTAS, INSERT)},
		{"INSERT INTO %1$s.exames (paciente_id, tipo_exame, data) VALUES ($1, $2, $3)",
			3, {INT8OID, TEXTOID, TIMESTAMPOID},
		CHANGES(OLTP_EXAMES, INSERT)},
	},
	{0}, op_long_transaction, &oltp_sim_long_transaction
};
