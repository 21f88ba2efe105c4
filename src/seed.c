/*-------------------------------------------------------------------------
 *
 * seed.c
 *		oltp_seed() and oltp_reset(): bulk inserts built from the generator.
 *
 * Rows are produced in C a batch at a time, handed to one prepared
 * INSERT ... SELECT FROM unnest($1, $2, ...) per batch as typed arrays, and
 * the batch's memory is released before the next, so memory stays bounded
 * at any scale.
 *
 * References are drawn from the ids that exist: each parent table's ids are
 * kept as a list of contiguous runs (usually one), so picking a random
 * existing patient costs a binary search and never a query.  Patients get
 * their insurers by selection sampling over free "insurer slots" (at most 3
 * per patient), which places exactly the number of pairs asked for without
 * ever creating a duplicate pair.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "compat.h"
#include "generate.h"
#include "oltp_sim.h"
#include "schema.h"

#define SEED_BATCH			10000	/* rows per INSERT */
#define SEED_SCAN_BATCH		5000	/* existing patients read per query */
#define SEED_NOTICE_MS		5000	/* progress NOTICE at most this often */
#define SEED_MAX_COLS		6
#define SEED_MAX_INSURERS	3

/* the ids of a table, as ascending runs lo..hi */
typedef struct IdRuns
{
	int			n;
	int			cap;
	int64	   *lo;
	int64	   *hi;
	int64	   *before;			/* ids in the runs before this one */
	int64		total;
	MemoryContext cxt;			/* outlives the batches that append */
} IdRuns;

/* a patient of the current scan with the insurers it already has */
typedef struct ScanPatient
{
	int64		id;
	int			nconv;
	int64		conv[SEED_MAX_INSURERS];
} ScanPatient;

typedef struct PairProducer
{
	int			cap_per;		/* insurers a patient may hold */
	int64		remaining;		/* pairs still to place */
	int64		free_left;		/* free slots among patients not yet visited */
	bool		old_phase;		/* new patients done; scanning older ones */
	int64		new_pos;		/* next new patient, as an index into runs */
	/* old phase: one batch of existing patients */
	ScanPatient *scan;
	int			scan_n;
	int			scan_pos;
	int64		scan_after;		/* keyset: last id read */
	bool		scan_done;
	int64		placed_in_pass;
	/* pairs chosen for the current patient, handed out one by one */
	int64		pending_pac;
	int64		pending[SEED_MAX_INSURERS];
	int			npending;
} PairProducer;

typedef struct SeedState
{
	OltpSchema	schema;
	pg_prng_state rng;
	DateADT		today;
	Timestamp	anchor;
	IdRuns		ids[OLTP_NTABLES];	/* only parents are kept */
	int64		first_new_pac;	/* ids this call gave to patients, or 0 */
	int64		last_new_pac;
	int64		new_pac_pos;	/* index of first_new_pac in ids[PACIENTES] */
	PairProducer pairs;
	SPIPlanPtr	scan_plan;
	TimestampTz last_notice;
} SeedState;

typedef bool (*SeedFill) (SeedState *st, int64 id, Datum *values, bool *nulls);

typedef struct SeedSpec
{
	OltpTable	table;
	const char *columns;
	int			ncols;
	Oid			types[SEED_MAX_COLS];
	bool		natural_key;	/* id drawn here: the natural key derives from it */
	int64		capacity;
	SeedFill	fill;
} SeedSpec;

/* ---------------------------------------------------------------------------
 * Id runs
 * ---------------------------------------------------------------------------
 */

static void
runs_append(IdRuns *r, int64 lo, int64 hi)
{
	if (r->n > 0 && lo == r->hi[r->n - 1] + 1)
	{
		r->hi[r->n - 1] = hi;
		r->total += hi - lo + 1;
		return;
	}
	if (r->n > 0 && lo <= r->hi[r->n - 1])
		elog(ERROR, "id " INT64_FORMAT " is not above the last known id", lo);
	if (r->n == r->cap)
	{
		if (r->cap == 0)
		{
			r->cap = 16;
			r->lo = MemoryContextAlloc(r->cxt, r->cap * sizeof(int64));
			r->hi = MemoryContextAlloc(r->cxt, r->cap * sizeof(int64));
			r->before = MemoryContextAlloc(r->cxt, r->cap * sizeof(int64));
		}
		else
		{
			r->cap *= 2;
			r->lo = repalloc(r->lo, r->cap * sizeof(int64));
			r->hi = repalloc(r->hi, r->cap * sizeof(int64));
			r->before = repalloc(r->before, r->cap * sizeof(int64));
		}
	}
	r->lo[r->n] = lo;
	r->hi[r->n] = hi;
	r->before[r->n] = r->total;
	r->n++;
	r->total += hi - lo + 1;
}

/* the id at position pos (0-based) */
static int64
runs_at(const IdRuns *r, int64 pos)
{
	int			lo = 0,
				hi = r->n - 1;

	Assert(pos >= 0 && pos < r->total);
	while (lo < hi)
	{
		int			mid = (lo + hi + 1) / 2;

		if (r->before[mid] <= pos)
			lo = mid;
		else
			hi = mid - 1;
	}
	return r->lo[lo] + (pos - r->before[lo]);
}

/* the position of id, or -1 */
static int64
runs_position(const IdRuns *r, int64 id)
{
	int			lo = 0,
				hi = r->n - 1;

	while (lo <= hi)
	{
		int			mid = (lo + hi) / 2;

		if (id < r->lo[mid])
			hi = mid - 1;
		else if (id > r->hi[mid])
			lo = mid + 1;
		else
			return r->before[mid] + (id - r->lo[mid]);
	}
	return -1;
}

static int64
runs_pick(const IdRuns *r, pg_prng_state *rng)
{
	return runs_at(r, (int64) pg_prng_uint64_range(rng, 0, (uint64) r->total - 1));
}

static int64
seed_fetch_int8(int row, int col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc,
								  col, &isnull);

	return isnull ? 0 : DatumGetInt64(d);
}

/* read the ids a table has now, as runs: one query, two if there are gaps */
static void
runs_load(SeedState *st, OltpTable table)
{
	IdRuns	   *r = &st->ids[table];
	char	   *rel = oltp_schema_qualify(&st->schema, table);
	StringInfoData sql;
	int64		count,
				min,
				max;

	initStringInfo(&sql);
	appendStringInfo(&sql, "SELECT pg_catalog.count(*), pg_catalog.min(id), pg_catalog.max(id) FROM %s",
					 rel);
	if (SPI_execute(sql.data, true, 0) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not read the ids of %s", rel);
	count = seed_fetch_int8(0, 1);
	min = seed_fetch_int8(0, 2);
	max = seed_fetch_int8(0, 3);
	if (count == 0)
		return;
	if (max - min + 1 == count)
	{
		runs_append(r, min, max);
		return;
	}
	resetStringInfo(&sql);
	appendStringInfo(&sql,
					 "SELECT pg_catalog.min(id), pg_catalog.max(id) FROM "
					 "(SELECT id, id OPERATOR(pg_catalog.-) pg_catalog.row_number() OVER (ORDER BY id) "
					 "AS g FROM %s) s "
					 "GROUP BY g ORDER BY 1", rel);
	if (SPI_execute(sql.data, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the id runs of %s", rel);
	for (uint64 i = 0; i < SPI_processed; i++)
		runs_append(r, seed_fetch_int8(i, 1), seed_fetch_int8(i, 2));
}

/* ---------------------------------------------------------------------------
 * Patients' insurers
 * ---------------------------------------------------------------------------
 */

/*
 * Choose k insurers for a patient that holds none of exclude[]: the j-th
 * choice is a uniform index among the insurers not yet excluded, mapped past
 * the excluded ones, so no pair can repeat.
 */
static int
pairs_choose(SeedState *st, const int64 *exclude, int nexclude, int k,
			 int64 *out)
{
	const IdRuns *conv = &st->ids[OLTP_CONVENIOS];
	int64		taken[2 * SEED_MAX_INSURERS];
	int			ntaken = 0;

	for (int i = 0; i < nexclude; i++)
	{
		int64		pos = runs_position(conv, exclude[i]);

		if (pos >= 0)
			taken[ntaken++] = pos;
	}
	/* keep taken[] sorted */
	for (int i = 1; i < ntaken; i++)
		for (int j = i; j > 0 && taken[j - 1] > taken[j]; j--)
		{
			int64		t = taken[j];

			taken[j] = taken[j - 1];
			taken[j - 1] = t;
		}

	for (int c = 0; c < k; c++)
	{
		int64		r = (int64) pg_prng_uint64_range(&st->rng, 0,
													 (uint64) (conv->total - ntaken - 1));
		int			at = 0;

		while (at < ntaken && taken[at] <= r)
		{
			r++;
			at++;
		}
		memmove(&taken[at + 1], &taken[at], (ntaken - at) * sizeof(int64));
		taken[at] = r;
		ntaken++;
		out[c] = runs_at(conv, r);
	}
	return k;
}

/* selection sampling: each free slot is taken with p = remaining / free_left */
static void
pairs_visit(SeedState *st, int64 pac, const int64 *existing, int nexisting)
{
	PairProducer *pp = &st->pairs;
	int			free = Max(0, pp->cap_per - nexisting);
	int			k = 0;

	for (int s = 0; s < free && pp->free_left > 0; s++)
	{
		if ((double) pp->remaining > pg_prng_double(&st->rng) * (double) pp->free_left)
		{
			k++;
			pp->remaining--;
		}
		pp->free_left--;
	}
	pp->pending_pac = pac;
	pp->npending = pairs_choose(st, existing, nexisting, k, pp->pending);
	pp->placed_in_pass += k;
}

/* patients older than this call: outside [first_new_pac, last_new_pac] */
static void
pairs_start_old_pass(SeedState *st)
{
	PairProducer *pp = &st->pairs;
	char	   *pac = oltp_schema_qualify(&st->schema, OLTP_PACIENTES);
	char	   *pc = oltp_schema_qualify(&st->schema, OLTP_PACIENTES_CONVENIOS);
	StringInfoData sql;
	Oid			types[3] = {INT4OID, INT8OID, INT8OID};
	Datum		args[3];

	initStringInfo(&sql);
	appendStringInfo(&sql,
					 "SELECT coalesce(pg_catalog.sum(greatest(0, $1 OPERATOR(pg_catalog.-) "
					 "(SELECT pg_catalog.count(*) FROM %s pc "
					 "WHERE pc.paciente_id OPERATOR(pg_catalog.=) p.id))), 0)::pg_catalog.int8 "
					 "FROM %s p "
					 "WHERE p.id OPERATOR(pg_catalog.<) $2 OR p.id OPERATOR(pg_catalog.>) $3",
					 pc, pac);
	args[0] = Int32GetDatum(pp->cap_per);
	args[1] = Int64GetDatum(st->first_new_pac ? st->first_new_pac : PG_INT64_MAX);
	args[2] = Int64GetDatum(st->first_new_pac ? st->last_new_pac : PG_INT64_MAX);
	if (SPI_execute_with_args(sql.data, 3, types, args, NULL, true, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "could not count the free insurer slots");
	pp->free_left = seed_fetch_int8(0, 1);
	if (pp->free_left <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("not enough pacientes to hold " INT64_FORMAT " more pacientes_convenios",
						pp->remaining),
				 errdetail("A patient holds each convenio at most once and at most %d convenios; every patient is full.",
						   SEED_MAX_INSURERS),
				 errhint("Add pacientes or convenios in the same call, or ask for fewer pacientes_convenios.")));

	if (st->scan_plan == NULL)
	{
		Oid			scan_types[4] = {INT8OID, INT8OID, INT8OID, INT4OID};

		resetStringInfo(&sql);
		appendStringInfo(&sql,
						 "SELECT p.id, ARRAY(SELECT pc.convenio_id FROM %s pc "
						 "WHERE pc.paciente_id OPERATOR(pg_catalog.=) p.id ORDER BY 1) FROM %s p "
						 "WHERE p.id OPERATOR(pg_catalog.>) $1 "
						 "AND (p.id OPERATOR(pg_catalog.<) $2 OR p.id OPERATOR(pg_catalog.>) $3) "
						 "ORDER BY p.id LIMIT $4", pc, pac);
		st->scan_plan = SPI_prepare(sql.data, 4, scan_types);
		if (st->scan_plan == NULL)
			elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		pp->scan = palloc(SEED_SCAN_BATCH * sizeof(ScanPatient));
	}
	pp->old_phase = true;
	pp->scan_after = 0;
	pp->scan_n = pp->scan_pos = 0;
	pp->scan_done = false;
	pp->placed_in_pass = 0;
}

static void
pairs_scan_next_batch(SeedState *st)
{
	PairProducer *pp = &st->pairs;
	Datum		args[4];

	args[0] = Int64GetDatum(pp->scan_after);
	args[1] = Int64GetDatum(st->first_new_pac ? st->first_new_pac : PG_INT64_MAX);
	args[2] = Int64GetDatum(st->first_new_pac ? st->last_new_pac : PG_INT64_MAX);
	args[3] = Int32GetDatum(SEED_SCAN_BATCH);
	if (SPI_execute_plan(st->scan_plan, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read existing pacientes");

	pp->scan_n = (int) SPI_processed;
	pp->scan_pos = 0;
	pp->scan_done = (pp->scan_n < SEED_SCAN_BATCH);
	for (int i = 0; i < pp->scan_n; i++)
	{
		ScanPatient *sp = &pp->scan[i];
		bool		isnull;
		ArrayType  *arr;
		Datum	   *elems;
		int			nelems;

		sp->id = seed_fetch_int8(i, 1);
		arr = DatumGetArrayTypeP(SPI_getbinval(SPI_tuptable->vals[i],
											   SPI_tuptable->tupdesc, 2, &isnull));
		deconstruct_array(arr, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
						  &elems, NULL, &nelems);
		/* a patient with a full set is skipped: only its count matters */
		sp->nconv = nelems;
		for (int j = 0; j < Min(nelems, SEED_MAX_INSURERS); j++)
			sp->conv[j] = DatumGetInt64(elems[j]);
		pp->scan_after = sp->id;
	}
	SPI_freetuptable(SPI_tuptable);
}

typedef enum PairResult
{
	PAIR_READY,
	PAIR_FLUSH					/* a pass ended: insert what we have first */
} PairResult;

static PairResult
pairs_next(SeedState *st, int64 *pac, int64 *conv)
{
	PairProducer *pp = &st->pairs;

	while (pp->npending == 0)
	{
		if (!pp->old_phase)
		{
			int64		new_end = st->first_new_pac ? st->ids[OLTP_PACIENTES].total : 0;

			if (pp->new_pos < new_end && pp->remaining > 0)
			{
				pairs_visit(st, runs_at(&st->ids[OLTP_PACIENTES], pp->new_pos++),
							NULL, 0);
				continue;
			}
			pairs_start_old_pass(st);
			continue;
		}
		if (pp->scan_pos < pp->scan_n)
		{
			ScanPatient *sp = &pp->scan[pp->scan_pos++];

			if (sp->nconv < pp->cap_per)
				pairs_visit(st, sp->id, sp->conv, sp->nconv);
			continue;
		}
		if (!pp->scan_done)
		{
			pairs_scan_next_batch(st);
			continue;
		}
		/* the pass is over but rows remain: only a concurrent change does that */
		if (pp->placed_in_pass == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("not enough pacientes to hold " INT64_FORMAT " more pacientes_convenios",
							pp->remaining),
					 errhint("Add pacientes or convenios in the same call, or ask for fewer pacientes_convenios.")));
		pp->old_phase = false;
		pp->new_pos = PG_INT64_MAX;
		return PAIR_FLUSH;
	}
	*pac = pp->pending_pac;
	*conv = pp->pending[--pp->npending];
	return PAIR_READY;
}

/* ---------------------------------------------------------------------------
 * Row producers, one per table
 * ---------------------------------------------------------------------------
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

	if (pairs_next(st, &pac, &conv) == PAIR_FLUSH)
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

	v[0] = Int64GetDatum(runs_pick(&st->ids[OLTP_PACIENTES], &st->rng));
	v[1] = Int64GetDatum(runs_pick(&st->ids[OLTP_MEDICOS], &st->rng));
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

	v[0] = Int64GetDatum(runs_pick(&st->ids[OLTP_PACIENTES], &st->rng));
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

	v[0] = Int64GetDatum(runs_pick(&st->ids[OLTP_PACIENTES], &st->rng));
	oltp_gen_internacao(&st->rng, st->anchor, OLTP_GEN_HISTORY, &row);
	v[1] = TimestampGetDatum(row.entrada);
	n[2] = row.aberta;
	v[2] = row.aberta ? (Datum) 0 : TimestampGetDatum(row.saida);
	v[3] = CStringGetTextDatum(row.motivo);
	v[4] = CStringGetTextDatum(row.quarto);
	return true;
}

static const SeedSpec seed_specs[OLTP_NTABLES] = {
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
	{INT8OID, INT8OID, TEXTOID, DATEOID}, false, 0, fill_paciente_convenio},
	{OLTP_CONSULTAS, "paciente_id, medico_id, data, motivo, status", 5,
	{INT8OID, INT8OID, TIMESTAMPOID, TEXTOID, TEXTOID}, false, 0, fill_consulta},
	{OLTP_EXAMES, "paciente_id, tipo_exame, data, resultado", 4,
	{INT8OID, TEXTOID, TIMESTAMPOID, TEXTOID}, false, 0, fill_exame},
	{OLTP_INTERNACOES, "paciente_id, data_entrada, data_saida, motivo, quarto", 5,
	{INT8OID, TIMESTAMPOID, TIMESTAMPOID, TEXTOID, TEXTOID}, false, 0, fill_internacao},
};

/* ---------------------------------------------------------------------------
 * The bulk insert loop
 * ---------------------------------------------------------------------------
 */

static SPIPlanPtr
seed_prepare(SeedState *st, const SeedSpec *spec)
{
	StringInfoData sql;
	Oid			argtypes[SEED_MAX_COLS];
	SPIPlanPtr	plan;

	initStringInfo(&sql);
	appendStringInfo(&sql, "INSERT INTO %s (%s) SELECT * FROM ROWS FROM (",
					 oltp_schema_qualify(&st->schema, spec->table), spec->columns);
	for (int c = 0; c < spec->ncols; c++)
	{
		appendStringInfo(&sql, "%spg_catalog.unnest($%d)", c > 0 ? ", " : "", c + 1);
		argtypes[c] = get_array_type(spec->types[c]);
	}
	appendStringInfoChar(&sql, ')');
	plan = SPI_prepare(sql.data, spec->ncols, argtypes);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql.data,
			 SPI_result_code_string(SPI_result));
	return plan;
}

static void
seed_progress(SeedState *st, const SeedSpec *spec, int64 done, int64 total)
{
	TimestampTz now = GetCurrentTimestamp();

	if (TimestampDifferenceExceeds(st->last_notice, now, SEED_NOTICE_MS))
	{
		ereport(NOTICE,
				(errmsg("oltp_seed: %s " INT64_FORMAT " of " INT64_FORMAT " rows",
						oltp_table_names[spec->table], done, total)));
		st->last_notice = now;
	}
}

static int64
seed_table(SeedState *st, const SeedSpec *spec, int64 nrows, MemoryContext batch_cxt)
{
	SPIPlanPtr	plan = seed_prepare(st, spec);
	Datum	  **values = palloc(spec->ncols * sizeof(Datum *));
	bool	  **nulls = palloc(spec->ncols * sizeof(bool *));
	int16		typlen[SEED_MAX_COLS];
	bool		typbyval[SEED_MAX_COLS];
	char		typalign[SEED_MAX_COLS];
	int64		done = 0;

	for (int c = 0; c < spec->ncols; c++)
	{
		values[c] = palloc(SEED_BATCH * sizeof(Datum));
		nulls[c] = palloc(SEED_BATCH * sizeof(bool));
		get_typlenbyvalalign(spec->types[c], &typlen[c], &typbyval[c], &typalign[c]);
	}

	while (done < nrows)
	{
		MemoryContext old = MemoryContextSwitchTo(batch_cxt);
		int			want = (int) Min((int64) SEED_BATCH, nrows - done);
		int			got = 0;
		Datum		args[SEED_MAX_COLS];
		char		argnulls[SEED_MAX_COLS];
		Datum		row[SEED_MAX_COLS];
		bool		rownulls[SEED_MAX_COLS];
		int			rc;

		CHECK_FOR_INTERRUPTS();
		while (got < want)
		{
			int64		id = 0;

			memset(rownulls, 0, sizeof(rownulls));
			if (spec->natural_key)
				id = oltp_next_natural_id(st->schema.seqids[spec->table],
										  oltp_table_names[spec->table],
										  spec->capacity);
			if (!spec->fill(st, id, row, rownulls))
				break;
			for (int c = 0; c < spec->ncols; c++)
			{
				values[c][got] = row[c];
				nulls[c][got] = rownulls[c];
			}
			if (spec->natural_key)
				runs_append(&st->ids[spec->table], id, id);
			got++;
		}

		if (got > 0)
		{
			for (int c = 0; c < spec->ncols; c++)
			{
				int			dims[1] = {got};
				int			lbs[1] = {1};

				args[c] = PointerGetDatum(construct_md_array(values[c], nulls[c], 1,
															 dims, lbs, spec->types[c],
															 typlen[c], typbyval[c],
															 typalign[c]));
				argnulls[c] = ' ';
			}
			rc = SPI_execute_plan(plan, args, argnulls, false, 0);
			if (rc != SPI_OK_INSERT || SPI_processed != (uint64) got)
				elog(ERROR, "bulk insert into %s returned %s with " UINT64_FORMAT " rows, expected %d",
					 oltp_table_names[spec->table], SPI_result_code_string(rc),
					 SPI_processed, got);
		}
		MemoryContextSwitchTo(old);
		MemoryContextReset(batch_cxt);
		done += got;
		seed_progress(st, spec, done, nrows);
	}
	SPI_freeplan(plan);
	return done;
}

/* ---------------------------------------------------------------------------
 * Arguments
 * ---------------------------------------------------------------------------
 */

typedef struct SeedArgs
{
	int64		rows[OLTP_NTABLES];
	bool		have_seed;
	int64		seed;
} SeedArgs;

static void
seed_parse_args(FunctionCallInfo fcinfo, SeedArgs *args)
{
	double		scale;

	for (int i = 0; i <= OLTP_NTABLES; i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("argument \"%s\" must not be null",
							i < OLTP_NTABLES ? oltp_table_names[i] : "scale"),
					 errhint("Leave the argument out to use its default.")));

	scale = PG_GETARG_FLOAT8(OLTP_NTABLES);
	if (isnan(scale) || scale < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("scale must be zero or more, not %g", scale),
				 errhint("scale multiplies every volume: 1 gives the default volumes, 10 ten times as many rows.")));

	for (int i = 0; i < OLTP_NTABLES; i++)
	{
		int64		v = PG_GETARG_INT64(i);
		double		n;

		if (v < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s must be zero or more, not " INT64_FORMAT,
							oltp_table_names[i], v),
					 errhint("Pass the number of %s rows to add, or leave it out for the default.",
							 oltp_table_names[i])));
		n = rint((double) v * scale);
		/* well inside int64 so sums and ids cannot overflow either */
		if (!(n <= (double) PG_INT64_MAX / 4))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("%s => " INT64_FORMAT " at scale %g is more rows than oltp_sim can count",
							oltp_table_names[i], v, scale),
					 errhint("Use a smaller scale or volume.")));
		args->rows[i] = (int64) n;
	}

	/*
	 * Insurers are a small catalogue: scaled down, it would leave patients
	 * unable to hold the insurers they are given.  Keep at least three.
	 */
	if (scale > 0)
		args->rows[OLTP_CONVENIOS] = Max(args->rows[OLTP_CONVENIOS],
										 Min(PG_GETARG_INT64(OLTP_CONVENIOS),
											 SEED_MAX_INSURERS));
	args->have_seed = !PG_ARGISNULL(OLTP_NTABLES + 1);
	if (args->have_seed)
		args->seed = PG_GETARG_INT64(OLTP_NTABLES + 1);
	else
	{
		pg_prng_state tmp;

		if (!pg_prng_strong_seed(&tmp))
			pg_prng_seed(&tmp, (uint64) GetCurrentTimestamp() ^ (uint64) MyProcPid);
		args->seed = (int64) (pg_prng_uint64(&tmp) >> 1);
	}
}

/* refuse, before writing anything, what cannot be done */
static void
seed_check_feasible(SeedState *st, const SeedArgs *args)
{
	static const OltpTable parents[] = {OLTP_PACIENTES, OLTP_MEDICOS, OLTP_CONVENIOS};
	const int64 *rows = args->rows;
	int64		pacientes = st->ids[OLTP_PACIENTES].total + rows[OLTP_PACIENTES];
	int64		medicos = st->ids[OLTP_MEDICOS].total + rows[OLTP_MEDICOS];
	int64		convenios = st->ids[OLTP_CONVENIOS].total + rows[OLTP_CONVENIOS];

	for (int i = 0; i < lengthof(parents); i++)
	{
		OltpTable	t = parents[i];
		const IdRuns *r = &st->ids[t];
		int64		top = r->n > 0 ? r->hi[r->n - 1] : 0;

		if (rows[t] > seed_specs[t].capacity - top)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("cannot add " INT64_FORMAT " %s: at most " INT64_FORMAT " more fit",
							rows[t], oltp_table_names[t], seed_specs[t].capacity - top),
					 errdetail("Each %s row gets a unique key derived from its id, for ids 1 to " INT64_FORMAT ".",
							   oltp_table_names[t], seed_specs[t].capacity),
					 errhint("Use a smaller volume or scale, or oltp_reset() to start the ids again.")));
	}

	if (pacientes == 0 &&
		(rows[OLTP_PACIENTES_CONVENIOS] > 0 || rows[OLTP_CONSULTAS] > 0 ||
		 rows[OLTP_EXAMES] > 0 || rows[OLTP_INTERNACOES] > 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot add consultas, exames, internacoes or pacientes_convenios without pacientes"),
				 errhint("Add pacientes in the same call (pacientes => N) or set those volumes to 0.")));
	if (medicos == 0 && rows[OLTP_CONSULTAS] > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot add consultas without medicos"),
				 errhint("Add medicos in the same call (medicos => N) or set consultas => 0.")));
	if (rows[OLTP_PACIENTES_CONVENIOS] > 0)
	{
		int64		cap_per = Min(convenios, SEED_MAX_INSURERS);
		int64		existing = 0;

		if (convenios == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot add pacientes_convenios without convenios"),
					 errhint("Add convenios in the same call (convenios => N) or set pacientes_convenios => 0.")));
		if (st->ids[OLTP_PACIENTES].total > 0)
		{
			StringInfoData sql;

			initStringInfo(&sql);
			appendStringInfo(&sql, "SELECT pg_catalog.count(*) FROM %s",
							 oltp_schema_qualify(&st->schema, OLTP_PACIENTES_CONVENIOS));
			if (SPI_execute(sql.data, true, 0) != SPI_OK_SELECT)
				elog(ERROR, "could not count pacientes_convenios");
			existing = seed_fetch_int8(0, 1);
		}
		if (rows[OLTP_PACIENTES_CONVENIOS] > pacientes * cap_per - existing)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot add " INT64_FORMAT " pacientes_convenios: at most " INT64_FORMAT " more fit",
							rows[OLTP_PACIENTES_CONVENIOS], Max(0, pacientes * cap_per - existing)),
					 errdetail("There will be " INT64_FORMAT " pacientes and " INT64_FORMAT " convenios; a patient holds each convenio at most once and at most %d in all.",
							   pacientes, convenios, SEED_MAX_INSURERS),
					 errhint("Add pacientes or convenios in the same call, or ask for fewer pacientes_convenios.")));
	}
}

/* ---------------------------------------------------------------------------
 * Entry points
 * ---------------------------------------------------------------------------
 */

static uint64
seed_table_seed(int64 seed, OltpTable table)
{
	/* each table its own stream: changing one volume leaves the others alone */
	return (uint64) seed ^ (UINT64CONST(0x9E3779B97F4A7C15) * (uint64) (table + 1));
}

static Datum
seed_run(FunctionCallInfo fcinfo, bool reset)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	SeedArgs	args;
	SeedState  *st;
	MemoryContext batch_cxt;
	double		elapsed[OLTP_NTABLES];
	int64		inserted[OLTP_NTABLES];
	TimestampTz started = GetCurrentTimestamp();

	seed_parse_args(fcinfo, &args);
	InitMaterializedSRF(fcinfo, 0);

	SPI_connect();
	st = palloc0(sizeof(SeedState));
	oltp_schema_require(&st->schema);
	for (int t = 0; t < OLTP_NTABLES; t++)
		st->ids[t].cxt = CurrentMemoryContext;

	if (reset)
	{
		StringInfoData sql;

		initStringInfo(&sql);
		appendStringInfoString(&sql, "TRUNCATE TABLE ");
		for (int t = 0; t < OLTP_NTABLES; t++)
			appendStringInfo(&sql, "%s%s", t > 0 ? ", " : "",
							 oltp_schema_qualify(&st->schema, t));
		appendStringInfoString(&sql, " RESTART IDENTITY");
		if (SPI_execute(sql.data, false, 0) != SPI_OK_UTILITY)
			elog(ERROR, "could not empty the oltp_sim tables");
	}

	runs_load(st, OLTP_PACIENTES);
	runs_load(st, OLTP_MEDICOS);
	runs_load(st, OLTP_CONVENIOS);
	seed_check_feasible(st, &args);

	if (!args.have_seed)
		ereport(NOTICE,
				(errmsg("oltp_seed: using seed " INT64_FORMAT, args.seed),
				 errhint("Pass seed => " INT64_FORMAT " to generate the same rows again.",
						 args.seed)));

	st->today = GetSQLCurrentDate();
	st->anchor = (Timestamp) st->today * USECS_PER_DAY;
	st->last_notice = started;
	st->new_pac_pos = st->ids[OLTP_PACIENTES].total;
	batch_cxt = AllocSetContextCreate(CurrentMemoryContext, "oltp_seed batch",
									  ALLOCSET_DEFAULT_SIZES);

	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		TimestampTz t0 = GetCurrentTimestamp();

		pg_prng_seed(&st->rng, seed_table_seed(args.seed, t));
		if (t == OLTP_PACIENTES_CONVENIOS)
		{
			PairProducer *pp = &st->pairs;
			int64		npac = st->ids[OLTP_PACIENTES].total;

			if (npac > st->new_pac_pos)
			{
				st->first_new_pac = runs_at(&st->ids[OLTP_PACIENTES], st->new_pac_pos);
				st->last_new_pac = runs_at(&st->ids[OLTP_PACIENTES], npac - 1);
			}
			pp->cap_per = (int) Min(st->ids[OLTP_CONVENIOS].total, SEED_MAX_INSURERS);
			pp->remaining = args.rows[t];
			pp->new_pos = st->new_pac_pos;
			pp->free_left = (npac - st->new_pac_pos) * pp->cap_per;
		}
		inserted[t] = args.rows[t] > 0 ?
			seed_table(st, &seed_specs[t], args.rows[t], batch_cxt) : 0;
		elapsed[t] = (double) (GetCurrentTimestamp() - t0) / 1000.0;
	}

	SPI_finish();

	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = CStringGetTextDatum(oltp_table_names[t]);
		values[1] = Int64GetDatum(inserted[t]);
		values[2] = Float8GetDatum(elapsed[t]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	if (TimestampDifferenceExceeds(started, GetCurrentTimestamp(), SEED_NOTICE_MS))
		ereport(NOTICE,
				(errmsg("oltp_seed: done in %.1f s",
						(double) (GetCurrentTimestamp() - started) / 1000000.0)));
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(oltp_seed);
PG_FUNCTION_INFO_V1(oltp_reset);

Datum
oltp_seed(PG_FUNCTION_ARGS)
{
	return seed_run(fcinfo, false);
}

Datum
oltp_reset(PG_FUNCTION_ARGS)
{
	return seed_run(fcinfo, true);
}
