/*-------------------------------------------------------------------------
 *
 * generate.h
 *		The row generator shared by oltp_seed and the streaming worker.
 *
 * Each oltp_gen_* function fills one row's values from a pg_prng state.
 * The natural keys (CPF, CNPJ, CRM) are a fixed bijection of the row id,
 * so they are unique by construction for as long as ids are.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_GENERATE_H
#define OLTP_SIM_GENERATE_H

#include "compat.h"
#include "datatype/timestamp.h"
#include "utils/date.h"

#include "model.h"

/* how many distinct natural keys each table can get; ids run from 1 */
#define OLTP_CPF_CAPACITY	INT64CONST(999999990)	/* 10^9 less 10 repdigits */
#define OLTP_CNPJ_CAPACITY	INT64CONST(100000000)	/* 8-digit root, branch 0001 */
#define OLTP_CRM_CAPACITY	INT64CONST(27000000)	/* 6 digits in each of 27 UFs */

/*
 * How far from the anchor (the seed's; "now" for the stream) the dates are
 * drawn.  gen_anchor.c derives the range of valid anchors from these, so a
 * generator draws with them and never with a number of its own.
 */
#define OLTP_AGE_MAX_DAYS		36525	/* patients are born 0 to 100 years back */
#define OLTP_CARD_PAST_DAYS		30	/* an insurance card is valid from last month */
#define OLTP_CARD_FUTURE_DAYS	(3 * 365)	/* ... to up to 3 years on */
#define OLTP_PAST_DAYS			365 /* the seed's past: consultations, exams, stays */
#define OLTP_BOOKED_DAYS		90	/* seeded consultations booked up to 90 days on */
#define OLTP_CANCELLED_DAYS		60	/* ... cancelled ones were up to 60 days on */
#define OLTP_EXAM_DAYS			30	/* exams scheduled up to 30 days on */
#define OLTP_STAY_DAYS			30	/* a stay lasts 4 hours to 30 days */
#define OLTP_LIVE_BOOKED_DAYS	60	/* the stream books up to 60 days on */
#define OLTP_TRIAGE_HOURS		2	/* seeded patients wait at triage up to 2 hours */
#define OLTP_BED_EVENT_DAYS		90	/* seeded bed events: the 90 days before the anchor */
/* office hours, in quarter hours after midnight: 07:00 to 18:45 */
#define OLTP_OFFICE_FIRST_QUARTER	(7 * 4)
#define OLTP_OFFICE_LAST_QUARTER	(18 * 4 + 3)

/* consultas.status values and their weights in generated data */
#define OLTP_STATUS_AGENDADA	"agendada"
#define OLTP_STATUS_REALIZADA	"realizada"
#define OLTP_STATUS_CANCELADA	"cancelada"
#define OLTP_STATUS_FALTOU		"faltou"

typedef struct OltpPaciente
{
	char		nome[OLTP_PACIENTES_NOME_LEN + 1];
	DateADT		nascimento;
	char		cpf[OLTP_PACIENTES_CPF_LEN + 1];
	char		telefone[OLTP_PACIENTES_TELEFONE_LEN + 1];
	char		endereco[OLTP_PACIENTES_ENDERECO_LEN + 1];
} OltpPaciente;

typedef struct OltpMedico
{
	char		nome[OLTP_MEDICOS_NOME_LEN + 1];
	char		crm[OLTP_MEDICOS_CRM_LEN + 1];
	const char *especialidade;
	char		telefone[OLTP_MEDICOS_TELEFONE_LEN + 1];
} OltpMedico;

typedef struct OltpConvenio
{
	char		nome[OLTP_CONVENIOS_NOME_LEN + 1];
	char		cnpj[OLTP_CONVENIOS_CNPJ_LEN + 1];
	const char *tipo;
	const char *cobertura;
} OltpConvenio;

typedef struct OltpCarteira
{
	char		numero[OLTP_CARTEIRA_NUMERO_LEN + 1];
	DateADT		validade;
} OltpCarteira;

typedef struct OltpConsulta
{
	Timestamp	data;
	const char *motivo;
	const char *status;
} OltpConsulta;

typedef struct OltpExame
{
	const char *tipo;
	Timestamp	data;
	const char *resultado;		/* NULL while the exam is pending */
} OltpExame;

typedef struct OltpInternacao
{
	Timestamp	entrada;
	Timestamp	saida;
	bool		aberta;			/* still admitted: saida is NULL */
	const char *motivo;
	char		quarto[OLTP_INTERNACOES_QUARTO_LEN + 1];
} OltpInternacao;

/* an event of a bed (the set partitions): occupied, freed, cleaned, ... */
typedef struct OltpEventoLeito
{
	char		leito[OLTP_EVENTOS_LEITO_LEITO_LEN + 1];
	const char *evento;
	Timestamp	ocorrido_em;
	const char *observacao;		/* or NULL */
} OltpEventoLeito;

/*
 * "history" rows (the seed) spread around the anchor, with the past already
 * settled; "live" rows (the stream) happen at the anchor or after it.
 */
typedef enum OltpGenMode
{
	OLTP_GEN_HISTORY,
	OLTP_GEN_LIVE
} OltpGenMode;

extern void oltp_gen_paciente(pg_prng_state *rng, int64 id, DateADT today,
							  OltpPaciente *out);
extern void oltp_gen_medico(pg_prng_state *rng, int64 id, OltpMedico *out);
extern void oltp_gen_convenio(pg_prng_state *rng, int64 id, OltpConvenio *out);
extern void oltp_gen_carteira(pg_prng_state *rng, DateADT today,
							  OltpCarteira *out);
extern void oltp_gen_consulta(pg_prng_state *rng, Timestamp anchor,
							  OltpGenMode mode, OltpConsulta *out);
extern void oltp_gen_exame(pg_prng_state *rng, Timestamp anchor,
						   OltpGenMode mode, OltpExame *out);
extern void oltp_gen_internacao(pg_prng_state *rng, Timestamp anchor,
								OltpGenMode mode, OltpInternacao *out);
extern void oltp_gen_evento_leito(pg_prng_state *rng, Timestamp anchor,
								  OltpGenMode mode, OltpEventoLeito *out);

/*
 * A patient as the values of (id, nome, nascimento, cpf, telefone,
 * endereco), the column order of both the seed's and the stream's INSERT.
 */
#define OLTP_PACIENTE_NCOLS 6
extern void oltp_paciente_datums(int64 id, const OltpPaciente *row, Datum *values);

extern Timestamp oltp_gen_day_start(Timestamp ts);
extern Timestamp oltp_gen_month_start(Timestamp ts);

/* pieces the stream's updates use on their own */
extern int	oltp_gen_address(pg_prng_state *rng, char *buf, size_t len);
extern void oltp_gen_phone(pg_prng_state *rng, int state, char *buf, size_t len);
extern void oltp_gen_phone_in_area(pg_prng_state *rng, int ddd, char *buf,
								   size_t len);
extern const char *oltp_gen_exame_resultado(pg_prng_state *rng, const char *tipo);
extern const char *oltp_gen_consulta_outcome(pg_prng_state *rng);

/*
 * The next id of a table whose natural key derives from it (seqid is its
 * id sequence), or an error once the key space is used up.
 */
extern int64 oltp_next_natural_id(Oid seqid, const char *table, int64 capacity);

#endif							/* OLTP_SIM_GENERATE_H */
