/*-------------------------------------------------------------------------
 *
 * seed_pairs.c
 *		The patients' insurers (pacientes_convenios) during oltp_seed.
 *
 * A patient holds at most SEED_MAX_CONVENIOS insurers, never one twice.
 * Selection sampling over the free "insurer slots" places exactly the
 * number of pairs asked for, spread uniformly, without ever drawing a
 * duplicate: first over the patients this call created (none of them holds
 * an insurer yet, so no query is needed), then, if pairs remain, over the
 * older patients, read in keyset batches with the insurers they hold.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "seed_state.h"

/*
 * Refuse, before anything is written, more pairs than the patients there
 * will be can hold.  That there will be patients and insurers at all is
 * the foreign keys' rule, checked in seed.c.
 */
void
seed_pairs_check(SeedState *st, const int64 *rows)
{
	int64		pacientes = st->ids[OLTP_PACIENTES].total + rows[OLTP_PACIENTES];
	int64		convenios = st->ids[OLTP_CONVENIOS].total + rows[OLTP_CONVENIOS];
	int64		cap_per = Min(convenios, SEED_MAX_CONVENIOS);
	int64		existing = 0;

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
						   pacientes, convenios, SEED_MAX_CONVENIOS),
				 errhint("Add pacientes or convenios in the same call, or ask for fewer pacientes_convenios.")));
}

/*
 * Once the patients and insurers are seeded: the pairs start with the
 * patients this call created, if any, which hold no insurer yet.
 */
void
seed_pairs_begin(SeedState *st, const int64 *rows)
{
	PairProducer *pp = &st->pairs;
	int64		npac = st->ids[OLTP_PACIENTES].total;

	if (npac > st->new_pac_pos)
	{
		st->first_new_pac = seed_runs_at(&st->ids[OLTP_PACIENTES], st->new_pac_pos);
		st->last_new_pac = seed_runs_at(&st->ids[OLTP_PACIENTES], npac - 1);
	}
	pp->cap_per = (int) Min(st->ids[OLTP_CONVENIOS].total, SEED_MAX_CONVENIOS);
	pp->remaining = rows[OLTP_PACIENTES_CONVENIOS];
	pp->new_pos = st->new_pac_pos;
	pp->free_left = (npac - st->new_pac_pos) * pp->cap_per;
}

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
	int64		taken[2 * SEED_MAX_CONVENIOS];
	int			ntaken = 0;

	for (int i = 0; i < nexclude; i++)
	{
		int64		pos = seed_runs_position(conv, exclude[i]);

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
		out[c] = seed_runs_at(conv, r);
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

/*
 * Start a pass over the patients older than this call (outside
 * [first_new_pac, last_new_pac]).  Selection sampling needs the number of
 * free slots ahead before it visits the first patient, so they are counted
 * first, in one query; none free means the request cannot be met.
 */
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
						   SEED_MAX_CONVENIOS),
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
		pp->scan = palloc(SEED_SCAN_BATCH * sizeof(ScanPaciente));
	}
	pp->old_phase = true;
	pp->scan_after = 0;
	pp->scan_n = pp->scan_pos = 0;
	pp->scan_done = false;
	pp->placed_in_pass = 0;
}

/*
 * The next SEED_SCAN_BATCH older patients with the insurers they hold, by
 * keyset (id after the last one read): a million patients are read in
 * bounded memory, and each batch costs an index range scan.
 */
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
		ScanPaciente *sp = &pp->scan[i];
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
		for (int j = 0; j < Min(nelems, SEED_MAX_CONVENIOS); j++)
			sp->conv[j] = DatumGetInt64(elems[j]);
		pp->scan_after = sp->id;
	}
	SPI_freetuptable(SPI_tuptable);
}

/*
 * The next (patient, insurer) pair.  A patient visited gets all its pairs
 * at once (so they can exclude each other), handed out one per call.
 * PAIR_FLUSH ends the batch when a pass over the older patients ends, so
 * the next pass, which counts free slots in the table, sees the pairs
 * chosen in this one.
 */
PairResult
seed_pairs_next(SeedState *st, int64 *pac, int64 *conv)
{
	PairProducer *pp = &st->pairs;

	while (pp->npending == 0)
	{
		if (!pp->old_phase)
		{
			int64		new_end = st->first_new_pac ? st->ids[OLTP_PACIENTES].total : 0;

			if (pp->new_pos < new_end && pp->remaining > 0)
			{
				pairs_visit(st, seed_runs_at(&st->ids[OLTP_PACIENTES], pp->new_pos++),
							NULL, 0);
				continue;
			}
			pairs_start_old_pass(st);
			continue;
		}
		if (pp->scan_pos < pp->scan_n)
		{
			ScanPaciente *sp = &pp->scan[pp->scan_pos++];

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

