/*-------------------------------------------------------------------------
 *
 * generate.c
 *		Value generators: names, CPF/CNPJ/CRM with their check digits,
 *		phones, addresses, dates and the hospital rows built from them.
 *
 * Everything draws from a caller's pg_prng state, so the same seed gives
 * the same rows.  The natural keys are not drawn at all: they are a fixed
 * permutation of the row id (a small Feistel network walked until it lands
 * inside the key space), which makes them unique without ever looking at
 * the table and still looks random to a reader.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "commands/sequence.h"
#include "utils/builtins.h"
#include "utils/datetime.h"

#include "dict_ptbr.h"
#include "generate.h"

#define SECS_PER_MINUTE_T	INT64CONST(60)
#define USECS_PER_MINUTE_T	(SECS_PER_MINUTE_T * USECS_PER_SEC)

static inline uint64
gen_range(pg_prng_state *rng, uint64 lo, uint64 hi)
{
	return pg_prng_uint64_range(rng, lo, hi);
}

static inline int
gen_index(pg_prng_state *rng, int n)
{
	return (int) pg_prng_uint64_range(rng, 0, (uint64) n - 1);
}

#define gen_pick(rng, arr, n) ((arr)[gen_index((rng), (n))])

/* ---------------------------------------------------------------------------
 * Natural keys
 * ---------------------------------------------------------------------------
 */

static inline uint64
gen_mix(uint64 x)
{
	x ^= x >> 33;
	x *= UINT64CONST(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64CONST(0xc4ceb9fe1a85ec53);
	x ^= x >> 33;
	return x;
}

/*
 * A bijection of [0, n) onto itself: a four-round Feistel network over
 * 2 * halfbits bits, applied again until the value falls back inside [0, n)
 * (cycle walking).  n must not exceed 2^(2 * halfbits).
 */
static uint64
gen_permute(uint64 x, uint64 n, int halfbits, uint64 key)
{
	uint64		mask = (UINT64CONST(1) << halfbits) - 1;

	Assert(x < n);
	do
	{
		uint64		l = x >> halfbits;
		uint64		r = x & mask;

		for (int round = 0; round < 4; round++)
		{
			uint64		f = gen_mix(r ^ key ^ ((uint64) round << 56)) & mask;
			uint64		t = r;

			r = l ^ f;
			l = t;
		}
		x = (l << halfbits) | r;
	} while (x >= n);
	return x;
}

static void
gen_digits(uint64 v, int ndigits, int *digits)
{
	for (int i = ndigits - 1; i >= 0; i--)
	{
		digits[i] = (int) (v % 10);
		v /= 10;
	}
}

/* modulo-11 check digit with the given weights, as CPF and CNPJ use it */
static int
gen_mod11(const int *digits, const int *weights, int n)
{
	int			sum = 0;
	int			r;

	for (int i = 0; i < n; i++)
		sum += digits[i] * weights[i];
	r = sum % 11;
	return r < 2 ? 0 : 11 - r;
}

/*
 * CPF: nine digits from the id, then two check digits.  The ten repdigit
 * roots (000000000, 111111111, ...) pass the arithmetic but every validator
 * rejects them, so the key space skips them.
 */
static void
oltp_gen_cpf(int64 id, char *buf, size_t len)
{
	static const int w1[9] = {10, 9, 8, 7, 6, 5, 4, 3, 2};
	static const int w2[10] = {11, 10, 9, 8, 7, 6, 5, 4, 3, 2};
	uint64		root;
	int			d[11];

	Assert(id >= 1 && id <= OLTP_CPF_CAPACITY);
	root = gen_permute((uint64) (id - 1), (uint64) OLTP_CPF_CAPACITY, 15,
					   UINT64CONST(0x43504621));
	for (int rep = 0; rep <= 9; rep++)
		if (root >= (uint64) rep * 111111111)
			root++;
	gen_digits(root, 9, d);
	d[9] = gen_mod11(d, w1, 9);
	d[10] = gen_mod11(d, w2, 10);
	snprintf(buf, len, "%d%d%d.%d%d%d.%d%d%d-%d%d",
			 d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10]);
}

/* CNPJ: an eight-digit root from the id, branch 0001, two check digits */
static void
oltp_gen_cnpj(int64 id, char *buf, size_t len)
{
	static const int w1[12] = {5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2};
	static const int w2[13] = {6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2};
	uint64		root;
	int			d[14];

	Assert(id >= 1 && id <= OLTP_CNPJ_CAPACITY);
	root = gen_permute((uint64) (id - 1), (uint64) OLTP_CNPJ_CAPACITY, 14,
					   UINT64CONST(0x434e504a));
	gen_digits(root, 8, d);
	d[8] = 0;
	d[9] = 0;
	d[10] = 0;
	d[11] = 1;
	d[12] = gen_mod11(d, w1, 12);
	d[13] = gen_mod11(d, w2, 13);
	snprintf(buf, len, "%d%d.%d%d%d.%d%d%d/%d%d%d%d-%d%d",
			 d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7],
			 d[8], d[9], d[10], d[11], d[12], d[13]);
}

/*
 * CRM: six digits and the state of the regional council.  Returns the state
 * index, so the doctor's phone can use an area code from the same state.
 */
static int
oltp_gen_crm(int64 id, char *buf, size_t len)
{
	uint64		v;
	int			state;

	Assert(id >= 1 && id <= OLTP_CRM_CAPACITY);
	v = gen_permute((uint64) (id - 1), (uint64) OLTP_CRM_CAPACITY, 13,
					UINT64CONST(0x43524d));
	state = (int) (v / 1000000);
	snprintf(buf, len, "%06d%s", (int) (v % 1000000), oltp_dict_ufs[state].uf);
	return state;
}

int64
oltp_next_natural_id(Oid seqid, const char *table, int64 capacity)
{
	int64		id = nextval_internal(seqid, true);

	if (id < 1 || id > capacity)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s has run out of natural keys", table),
				 errdetail("Its id sequence reached " INT64_FORMAT "; oltp_sim derives a unique key from ids 1 to " INT64_FORMAT ".",
						   id, capacity),
				 errhint("Run oltp_reset() to start the ids again.")));
	return id;
}

/* ---------------------------------------------------------------------------
 * People and places
 * ---------------------------------------------------------------------------
 */

static void
gen_person_name(pg_prng_state *rng, char *buf, size_t len)
{
	const char *first;
	const char *s1 = gen_pick(rng, oltp_dict_surnames, oltp_dict_n_surnames);

	if (pg_prng_uint64(rng) & 1)
		first = gen_pick(rng, oltp_dict_first_names_female,
						 oltp_dict_n_first_names_female);
	else
		first = gen_pick(rng, oltp_dict_first_names_male,
						 oltp_dict_n_first_names_male);

	/* most Brazilians carry two surnames, mother's then father's */
	if (gen_range(rng, 0, 9) < 7)
	{
		const char *s2 = gen_pick(rng, oltp_dict_surnames, oltp_dict_n_surnames);

		snprintf(buf, len, "%s %s %s", first, s1, s2);
	}
	else
		snprintf(buf, len, "%s %s", first, s1);
}

static int
gen_ddd(pg_prng_state *rng, int state)
{
	const int  *ddd = oltp_dict_ufs[state].ddd;
	int			n = 0;

	while (n < OLTP_MAX_DDD && ddd[n] != 0)
		n++;
	return ddd[gen_index(rng, n)];
}

void
oltp_gen_phone_in_area(pg_prng_state *rng, int ddd, char *buf, size_t len)
{
	snprintf(buf, len, "(%02d) 9%04d-%04d", ddd,
			 (int) gen_range(rng, 0, 9999), (int) gen_range(rng, 0, 9999));
}

/* a mobile number, (DD) 9NNNN-NNNN, with an area code of the given state */
void
oltp_gen_phone(pg_prng_state *rng, int state, char *buf, size_t len)
{
	oltp_gen_phone_in_area(rng, gen_ddd(rng, state), buf, len);
}

/* "Rua X, 123 - City, UF"; returns the state index */
int
oltp_gen_address(pg_prng_state *rng, char *buf, size_t len)
{
	int			state = gen_index(rng, oltp_dict_n_ufs);
	const OltpUf *st = &oltp_dict_ufs[state];
	int			ncities = 0;

	while (ncities < OLTP_MAX_CITIES && st->cities[ncities] != NULL)
		ncities++;
	snprintf(buf, len, "%s %s, %d - %s, %s",
			 gen_pick(rng, oltp_dict_street_kinds, oltp_dict_n_street_kinds),
			 gen_pick(rng, oltp_dict_street_names, oltp_dict_n_street_names),
			 (int) gen_range(rng, 1, 4999),
			 st->cities[gen_index(rng, ncities)], st->uf);
	return state;
}

/* ---------------------------------------------------------------------------
 * Dates
 * ---------------------------------------------------------------------------
 */

/* a time of day in office hours, 07:00 to 18:45, on a quarter hour */
static int64
gen_office_time(pg_prng_state *rng)
{
	return (int64) gen_range(rng, OLTP_OFFICE_FIRST_QUARTER, OLTP_OFFICE_LAST_QUARTER) *
		15 * USECS_PER_MINUTE_T;
}

/* midnight of ts's day, for timestamps before 2000 (negative) too */
Timestamp
oltp_gen_day_start(Timestamp ts)
{
	int64		days = ts / USECS_PER_DAY;

	if (ts < 0 && ts % USECS_PER_DAY != 0)
		days--;
	return days * USECS_PER_DAY;
}

/* midnight of the first day of ts's month */
Timestamp
oltp_gen_month_start(Timestamp ts)
{
	int			year,
				month,
				day;

	j2date((int) (oltp_gen_day_start(ts) / USECS_PER_DAY) + POSTGRES_EPOCH_JDATE,
		   &year, &month, &day);
	return (Timestamp) (date2j(year, month, 1) - POSTGRES_EPOCH_JDATE) * USECS_PER_DAY;
}

/* a slot between min_days and max_days after the anchor's day, office hours */
static Timestamp
gen_slot(pg_prng_state *rng, Timestamp anchor, int min_days, int max_days)
{
	int64		day = (int64) min_days +
		(int64) gen_range(rng, 0, (uint64) (max_days - min_days));

	return oltp_gen_day_start(anchor) + day * USECS_PER_DAY + gen_office_time(rng);
}

/* a moment between lo and hi microseconds after the anchor, to the minute */
static Timestamp
gen_after(pg_prng_state *rng, Timestamp anchor, int64 lo, int64 hi)
{
	int64		lo_min = lo / USECS_PER_MINUTE_T;
	int64		minutes = lo_min +
		(int64) gen_range(rng, 0, (uint64) (hi / USECS_PER_MINUTE_T - lo_min));

	return anchor + minutes * USECS_PER_MINUTE_T;
}

/* ---------------------------------------------------------------------------
 * Rows
 * ---------------------------------------------------------------------------
 */

void
oltp_gen_paciente(pg_prng_state *rng, int64 id, DateADT today,
				  OltpPaciente *out)
{
	int			state;

	gen_person_name(rng, out->nome, sizeof(out->nome));
	out->nascimento = today - (DateADT) gen_range(rng, 0, OLTP_AGE_MAX_DAYS);
	oltp_gen_cpf(id, out->cpf, sizeof(out->cpf));
	state = oltp_gen_address(rng, out->endereco, sizeof(out->endereco));
	oltp_gen_phone(rng, state, out->telefone, sizeof(out->telefone));
}

void
oltp_paciente_datums(int64 id, const OltpPaciente *row, Datum *values)
{
	values[0] = Int64GetDatum(id);
	values[1] = CStringGetTextDatum(row->nome);
	values[2] = DateADTGetDatum(row->nascimento);
	values[3] = CStringGetTextDatum(row->cpf);
	values[4] = CStringGetTextDatum(row->telefone);
	values[5] = CStringGetTextDatum(row->endereco);
}

void
oltp_gen_medico(pg_prng_state *rng, int64 id, OltpMedico *out)
{
	int			state;

	gen_person_name(rng, out->nome, sizeof(out->nome));
	state = oltp_gen_crm(id, out->crm, sizeof(out->crm));
	out->especialidade = gen_pick(rng, oltp_dict_specialties,
								  oltp_dict_n_specialties);
	oltp_gen_phone(rng, state, out->telefone, sizeof(out->telefone));
}

void
oltp_gen_convenio(pg_prng_state *rng, int64 id, OltpConvenio *out)
{
	snprintf(out->nome, sizeof(out->nome), "%s %s",
			 gen_pick(rng, oltp_dict_convenio_names, oltp_dict_n_convenio_names),
			 gen_pick(rng, oltp_dict_plan_tiers, oltp_dict_n_plan_tiers));
	oltp_gen_cnpj(id, out->cnpj, sizeof(out->cnpj));
	out->tipo = gen_pick(rng, oltp_dict_convenio_types, oltp_dict_n_convenio_types);
	out->cobertura = gen_pick(rng, oltp_dict_coverages, oltp_dict_n_coverages);
}

/* an ANS-style 16-digit card number and a validity from last month to 3 years */
void
oltp_gen_carteira(pg_prng_state *rng, DateADT today, OltpCarteira *out)
{
	snprintf(out->numero, sizeof(out->numero), "%04d %04d %04d %04d",
			 (int) gen_range(rng, 0, 9999), (int) gen_range(rng, 0, 9999),
			 (int) gen_range(rng, 0, 9999), (int) gen_range(rng, 0, 9999));
	out->validade = today - OLTP_CARD_PAST_DAYS +
		(DateADT) gen_range(rng, 0, OLTP_CARD_FUTURE_DAYS + OLTP_CARD_PAST_DAYS);
}

/* 55% agendada, 35% realizada, 5% cancelada, 5% faltou */
static const char *
gen_consulta_status(pg_prng_state *rng)
{
	int			r = (int) gen_range(rng, 0, 99);

	if (r < 55)
		return OLTP_STATUS_AGENDADA;
	if (r < 90)
		return OLTP_STATUS_REALIZADA;
	if (r < 95)
		return OLTP_STATUS_CANCELADA;
	return OLTP_STATUS_FALTOU;
}

/* what becomes of a scheduled consultation: 35 : 5 : 5, as in the seed */
const char *
oltp_gen_consulta_outcome(pg_prng_state *rng)
{
	int			r = (int) gen_range(rng, 0, 44);

	if (r < 35)
		return OLTP_STATUS_REALIZADA;
	if (r < 40)
		return OLTP_STATUS_CANCELADA;
	return OLTP_STATUS_FALTOU;
}

/*
 * History: scheduled consultations lie ahead (1 to 90 days), the others in
 * the past year (cancellations also up to 60 days ahead).  Live: scheduled
 * from an hour to 60 days on; any other status is recorded now.
 */
void
oltp_gen_consulta(pg_prng_state *rng, Timestamp anchor, OltpGenMode mode,
				  OltpConsulta *out)
{
	const char *status = gen_consulta_status(rng);

	out->status = status;
	out->motivo = gen_pick(rng, oltp_dict_consult_reasons,
						   oltp_dict_n_consult_reasons);
	if (mode == OLTP_GEN_LIVE)
	{
		if (strcmp(status, OLTP_STATUS_AGENDADA) == 0)
			out->data = gen_after(rng, anchor, USECS_PER_HOUR,
								  OLTP_LIVE_BOOKED_DAYS * USECS_PER_DAY);
		else
			out->data = anchor;
	}
	else if (strcmp(status, OLTP_STATUS_AGENDADA) == 0)
		out->data = gen_slot(rng, anchor, 1, OLTP_BOOKED_DAYS);
	else if (strcmp(status, OLTP_STATUS_CANCELADA) == 0)
		out->data = gen_slot(rng, anchor, -OLTP_PAST_DAYS, OLTP_CANCELLED_DAYS);
	else
		out->data = gen_slot(rng, anchor, -OLTP_PAST_DAYS, -1);
}

/*
 * History: from a year back to 30 days ahead; those already done have their
 * result.  Live: scheduled from an hour to 30 days on, result pending.
 */
void
oltp_gen_exame(pg_prng_state *rng, Timestamp anchor, OltpGenMode mode,
			   OltpExame *out)
{
	out->tipo = oltp_dict_tipos_exame[gen_index(rng, oltp_dict_n_tipos_exame)].name;
	if (mode == OLTP_GEN_LIVE)
		out->data = gen_after(rng, anchor, USECS_PER_HOUR, OLTP_EXAM_DAYS * USECS_PER_DAY);
	else
		out->data = gen_slot(rng, anchor, -OLTP_PAST_DAYS, OLTP_EXAM_DAYS);
	out->resultado = out->data < anchor ? oltp_gen_exame_resultado(rng, out->tipo) : NULL;
}

/* a result that fits the exam type (any type's results if it is unknown) */
const char *
oltp_gen_exame_resultado(pg_prng_state *rng, const char *tipo)
{
	const OltpTipoExame *exam = NULL;
	int			n = 0;

	for (int i = 0; i < oltp_dict_n_tipos_exame; i++)
		if (tipo != NULL && strcmp(oltp_dict_tipos_exame[i].name, tipo) == 0)
			exam = &oltp_dict_tipos_exame[i];
	if (exam == NULL)
		exam = &oltp_dict_tipos_exame[gen_index(rng, oltp_dict_n_tipos_exame)];
	while (n < OLTP_MAX_RESULTS && exam->results[n] != NULL)
		n++;
	return exam->results[gen_index(rng, n)];
}

/*
 * History: 70% discharged (admitted 31 days to a year back, stayed 4 hours
 * to 30 days, so discharge is in the past and after admission), 30% still
 * admitted (admitted in the last 30 days).  Live: admitted now, open.
 */
void
oltp_gen_internacao(pg_prng_state *rng, Timestamp anchor, OltpGenMode mode,
					OltpInternacao *out)
{
	out->motivo = gen_pick(rng, oltp_dict_admission_reasons,
						   oltp_dict_n_admission_reasons);
	snprintf(out->quarto, sizeof(out->quarto), "%d%02d-%c",
			 (int) gen_range(rng, 1, 9), (int) gen_range(rng, 1, 40),
			 (int) ('A' + gen_range(rng, 0, 3)));
	out->saida = 0;
	if (mode == OLTP_GEN_LIVE)
	{
		out->entrada = anchor;
		out->aberta = true;
	}
	else if (gen_range(rng, 0, 99) < 70)
	{
		out->entrada = gen_after(rng, oltp_gen_day_start(anchor), -OLTP_PAST_DAYS * USECS_PER_DAY,
								 -(OLTP_STAY_DAYS + 1) * USECS_PER_DAY);
		out->saida = gen_after(rng, out->entrada, 4 * USECS_PER_HOUR,
							   OLTP_STAY_DAYS * USECS_PER_DAY);
		out->aberta = false;
	}
	else
	{
		out->entrada = gen_after(rng, oltp_gen_day_start(anchor), -OLTP_STAY_DAYS * USECS_PER_DAY,
								 -USECS_PER_MINUTE_T);
		out->aberta = true;
	}
}

/* ---------------------------------------------------------------------------
 * Bed events (the set partitions)
 * ---------------------------------------------------------------------------
 */

static const char *const gen_bed_events[] = {
	"ocupado", "liberado", "higienizacao", "manutencao", "reservado", "bloqueado",
};

static const char *const gen_bed_notes[] = {
	"troca de roupa de cama", "limpeza terminal", "aguardando maqueiro",
	"isolamento de contato", "colchao substituido", "paciente transferido",
};

/*
 * A bed (ward letter, room, bed), what happened to it and when.  History:
 * in the OLTP_BED_EVENT_DAYS before the anchor, so the seed fills the
 * months of the partitions it made for them.  Live: now, or one time in
 * four an event entered late, up to OLTP_BED_EVENT_DAYS back (it goes to
 * an older month's partition, or the default one).  Half the events carry
 * a note.
 */
void
oltp_gen_evento_leito(pg_prng_state *rng, Timestamp anchor, OltpGenMode mode,
					  OltpEventoLeito *out)
{
	snprintf(out->leito, sizeof(out->leito), "%c%d%02d-%d",
			 (int) ('A' + gen_range(rng, 0, 5)), (int) gen_range(rng, 1, 9),
			 (int) gen_range(rng, 1, 40), (int) gen_range(rng, 1, 4));
	out->evento = gen_pick(rng, gen_bed_events, lengthof(gen_bed_events));
	out->observacao = gen_range(rng, 0, 1) == 0 ? NULL :
		gen_pick(rng, gen_bed_notes, lengthof(gen_bed_notes));
	if (mode == OLTP_GEN_LIVE && gen_range(rng, 0, 3) > 0)
		out->ocorrido_em = anchor;
	else
		out->ocorrido_em = gen_after(rng, anchor, -OLTP_BED_EVENT_DAYS * USECS_PER_DAY,
									 -USECS_PER_MINUTE_T);
}
