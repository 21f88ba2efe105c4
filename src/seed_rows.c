/*-------------------------------------------------------------------------
 *
 * seed_rows.c
 *		oltp_seed's row producers, one per table, and the column list each
 *		fills.
 *
 * A producer turns one generated row (generate.c) into the Datums of the
 * seed's INSERT; the table's references are drawn from the parents' id
 * runs.  Returning false ends the batch early: the insurer pairs do so
 * when a pass over the patients ends, so the pairs already chosen are
 * inserted before the older patients are read again.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"

#include "dict_ptbr.h"
#include "gen_text.h"
#include "generate.h"
#include "seed_state.h"

/*
 * Parents: the id is drawn by the caller (SeedSpec.natural_key), because
 * the natural key (CPF, CRM, CNPJ) is a bijection of it.  The stream's
 * insert_paciente builds the same Datums, so seeded and streamed patients
 * cannot differ in form.
 */
static bool
fill_paciente(SeedState *st, int64 id, Datum *v, bool *n)
{
	OltpPaciente row;

	oltp_gen_paciente(&st->rng, id, st->today, &row);
	oltp_paciente_datums(id, &row, v);
	return true;
}

static bool
fill_medico(SeedState *st, int64 id, Datum *v, bool *n)
{
	OltpMedico	row;

	oltp_gen_medico(&st->rng, id, &row);
	v[0] = Int64GetDatum(id);
	v[1] = CStringGetTextDatum(row.nome);
	v[2] = CStringGetTextDatum(row.crm);
	v[3] = CStringGetTextDatum(row.especialidade);
	v[4] = CStringGetTextDatum(row.telefone);
	return true;
}

static bool
fill_convenio(SeedState *st, int64 id, Datum *v, bool *n)
{
	OltpConvenio row;

	oltp_gen_convenio(&st->rng, id, &row);
	v[0] = Int64GetDatum(id);
	v[1] = CStringGetTextDatum(row.nome);
	v[2] = CStringGetTextDatum(row.cnpj);
	v[3] = CStringGetTextDatum(row.tipo);
	v[4] = CStringGetTextDatum(row.cobertura);
	return true;
}

static bool
fill_paciente_convenio(SeedState *st, int64 id, Datum *v, bool *n)
{
	OltpCarteira row;
	int64		pac,
				conv;

	if (seed_pairs_next(st, &pac, &conv) == PAIR_FLUSH)
		return false;
	oltp_gen_carteira(&st->rng, st->today, &row);
	v[0] = Int64GetDatum(pac);
	v[1] = Int64GetDatum(conv);
	v[2] = CStringGetTextDatum(row.numero);
	v[3] = DateADTGetDatum(row.validade);
	return true;
}

static bool
fill_consulta(SeedState *st, int64 id, Datum *v, bool *n)
{
	OltpConsulta row;

	v[0] = Int64GetDatum(seed_runs_pick(&st->ids[OLTP_PACIENTES], &st->rng));
	v[1] = Int64GetDatum(seed_runs_pick(&st->ids[OLTP_MEDICOS], &st->rng));
	oltp_gen_consulta(&st->rng, st->anchor, OLTP_GEN_HISTORY, &row);
	v[2] = TimestampGetDatum(row.data);
	v[3] = CStringGetTextDatum(row.motivo);
	v[4] = CStringGetTextDatum(row.status);
	return true;
}

static bool
fill_exame(SeedState *st, int64 id, Datum *v, bool *n)
{
	OltpExame	row;

	v[0] = Int64GetDatum(seed_runs_pick(&st->ids[OLTP_PACIENTES], &st->rng));
	oltp_gen_exame(&st->rng, st->anchor, OLTP_GEN_HISTORY, &row);
	v[1] = CStringGetTextDatum(row.tipo);
	v[2] = TimestampGetDatum(row.data);
	n[3] = (row.resultado == NULL);
	v[3] = n[3] ? (Datum) 0 : CStringGetTextDatum(row.resultado);
	return true;
}

static bool
fill_internacao(SeedState *st, int64 id, Datum *v, bool *n)
{
	OltpInternacao row;

	v[0] = Int64GetDatum(seed_runs_pick(&st->ids[OLTP_PACIENTES], &st->rng));
	oltp_gen_internacao(&st->rng, st->anchor, OLTP_GEN_HISTORY, &row);
	v[1] = TimestampGetDatum(row.entrada);
	n[2] = row.aberta;
	v[2] = row.aberta ? (Datum) 0 : TimestampGetDatum(row.saida);
	v[3] = CStringGetTextDatum(row.motivo);
	v[4] = CStringGetTextDatum(row.quarto);
	return true;
}

/* a report on an exam with a result, unsigned (signing is the stream's) */
static bool
fill_laudo(SeedState *st, int64 id, Datum *v, bool *n)
{
	v[0] = Int64GetDatum(seed_runs_pick(&st->ids[OLTP_EXAMES], &st->rng));
	v[1] = CStringGetTextDatum(oltp_gen_laudo_text(&st->rng, NULL));
	return true;
}

/*
 * Patients waiting at triage, arrived in the two hours before the seed's
 * anchor (midnight, so a seed gives the same rows all day).
 */
static bool
fill_triagem(SeedState *st, int64 id, Datum *v, bool *n)
{
	OltpTriagem row;

	v[0] = Int64GetDatum(seed_runs_pick(&st->ids[OLTP_PACIENTES], &st->rng));
	oltp_gen_triagem(&st->rng, &row);
	v[1] = CStringGetTextDatum(row.prioridade);
	v[2] = CStringGetTextDatum(row.queixa);
	v[3] = TimestampGetDatum(st->anchor - (Timestamp) pg_prng_uint64_range(&st->rng, 0,
																		  OLTP_TRIAGE_HOURS * USECS_PER_HOUR));
	return true;
}

/* a bed's event of the OLTP_BED_EVENT_DAYS before the anchor */
static bool
fill_evento_leito(SeedState *st, int64 id, Datum *v, bool *n)
{
	OltpEventoLeito row;

	oltp_gen_evento_leito(&st->rng, st->anchor, OLTP_GEN_HISTORY, &row);
	v[0] = CStringGetTextDatum(row.leito);
	v[1] = CStringGetTextDatum(row.evento);
	v[2] = TimestampGetDatum(row.ocorrido_em);
	n[3] = (row.observacao == NULL);
	v[3] = n[3] ? (Datum) 0 : CStringGetTextDatum(row.observacao);
	return true;
}

/*
 * An access of the last 30 days (set audit): a login of a role, what it
 * did to which part of a patient's record.  With no patients, an entry
 * names none, as the log has no foreign key.
 */
static bool
fill_log_acesso(SeedState *st, int64 id, Datum *v, bool *n)
{
	const IdRuns *pacientes = &st->ids[OLTP_PACIENTES];

	n[0] = pacientes->total == 0;
	v[0] = n[0] ? (Datum) 0 : Int64GetDatum(seed_runs_pick(pacientes, &st->rng));
	v[1] = CStringGetTextDatum(psprintf("%s.%04d",
										oltp_dict_access_roles[pg_prng_uint64_range(&st->rng, 0, oltp_dict_n_access_roles - 1)],
										(int) pg_prng_uint64_range(&st->rng, 0, 9999)));
	v[2] = CStringGetTextDatum(oltp_dict_access_actions[pg_prng_uint64_range(&st->rng, 0, oltp_dict_n_access_actions - 1)]);
	v[3] = CStringGetTextDatum(oltp_dict_access_resources[pg_prng_uint64_range(&st->rng, 0, oltp_dict_n_access_resources - 1)]);
	v[4] = TimestampGetDatum(st->anchor - (Timestamp) pg_prng_uint64_range(&st->rng, 0, 30 * USECS_PER_DAY));
	return true;
}

/*
 * The column list and the types of each table's bulk INSERT, in the
 * model's order; seed.c seeds them parents first, as the foreign keys
 * say.  The children's ids come from their sequences (the columns leave
 * id out).
 */
const SeedSpec oltp_seed_specs[OLTP_NTABLES] = {
	{OLTP_PACIENTES, "id, nome, nascimento, cpf, telefone, endereco", OLTP_PACIENTE_NCOLS,
	{INT8OID, TEXTOID, DATEOID, TEXTOID, TEXTOID, TEXTOID}, true,
	OLTP_CPF_CAPACITY, fill_paciente},
	{OLTP_MEDICOS, "id, nome, crm, especialidade, telefone", 5,
	{INT8OID, TEXTOID, TEXTOID, TEXTOID, TEXTOID}, true,
	OLTP_CRM_CAPACITY, fill_medico},
	{OLTP_CONVENIOS, "id, nome, cnpj, tipo, cobertura", 5,
	{INT8OID, TEXTOID, TEXTOID, TEXTOID, TEXTOID}, true,
	OLTP_CNPJ_CAPACITY, fill_convenio},
	{OLTP_PACIENTES_CONVENIOS, "paciente_id, convenio_id, numero_carteira, validade", 4,
	{INT8OID, INT8OID, TEXTOID, DATEOID}, false, 0, fill_paciente_convenio,
	.check = seed_pairs_check, .begin = seed_pairs_begin},
	{OLTP_CONSULTAS, "paciente_id, medico_id, data, motivo, status", 5,
	{INT8OID, INT8OID, TIMESTAMPOID, TEXTOID, TEXTOID}, false, 0, fill_consulta},
	{OLTP_EXAMES, "paciente_id, tipo_exame, data, resultado", 4,
	{INT8OID, TEXTOID, TIMESTAMPOID, TEXTOID}, false, 0, fill_exame},
	{OLTP_INTERNACOES, "paciente_id, data_entrada, data_saida, motivo, quarto", 5,
	{INT8OID, TIMESTAMPOID, TIMESTAMPOID, TEXTOID, TEXTOID}, false, 0, fill_internacao},
	{OLTP_LAUDOS, "exame_id, texto", 2,
	{INT8OID, TEXTOID}, false, 0, fill_laudo, 200,
	.parent_where = "resultado IS NOT NULL", .parent_what = "exames that have a result"},
	{OLTP_FILA_TRIAGEM, "paciente_id, prioridade, queixa, chegada", 4,
	{INT8OID, TEXTOID, TEXTOID, TIMESTAMPOID}, false, 0, fill_triagem},
	/* the set types is seeded in SQL (seed_types.c) */
	{OLTP_SINAIS_VITAIS}, {OLTP_FATURAS}, {OLTP_PRONTUARIOS}, {OLTP_DISPOSITIVOS},
	{OLTP_RESERVAS_LEITO},
	{OLTP_LOGS_ACESSO, "paciente_id, usuario, acao, recurso, acessado_em", 5,
	{INT8OID, TEXTOID, TEXTOID, TEXTOID, TIMESTAMPOID}, false, 0, fill_log_acesso},
	{OLTP_EVENTOS_LEITO, "leito, evento, ocorrido_em, observacao", 4,
	{TEXTOID, TEXTOID, TIMESTAMPOID, TEXTOID}, false, 0, fill_evento_leito},
	/* the set schema_changes starts empty: the stream writes its rows */
	{OLTP_PRECOS},
	/* made and filled by the stream only */
	{OLTP_PRECOS_LOTE},
};

