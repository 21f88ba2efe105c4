/*-------------------------------------------------------------------------
 *
 * seed_ids.c
 *		The ids of the parent tables during oltp_seed, kept as runs.
 *
 * Children reference a random existing parent.  Reading the parents' ids
 * into memory as runs (one per contiguous range) makes each pick a binary
 * search: a million consultations cost no query for their patients, and
 * the memory is a few words per gap, not per row.  The ids this call
 * inserts are appended as they are drawn, so new children can reference
 * new parents in the same call.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "seed_state.h"

/*
 * Add lo..hi after the last run, merging when it follows on: ids drawn one
 * by one from a sequence then cost nothing but a bound moved.  Ids must
 * come in ascending order, which the sequence and the load's ORDER BY give.
 */
void
seed_runs_append(IdRuns *r, int64 lo, int64 hi)
{
	if (r->n > 0 && lo == r->hi[r->n - 1] + 1)
	{
		r->hi[r->n - 1] = hi;
		r->total += hi - lo + 1;
		return;
	}
	if (r->n > 0 && lo <= r->hi[r->n - 1])
		elog(ERROR, "id " INT64_FORMAT " is not above the last known id", lo);
	/* the arrays live in r->cxt: batches come and go, the runs stay */
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
int64
seed_runs_at(const IdRuns *r, int64 pos)
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
int64
seed_runs_position(const IdRuns *r, int64 id)
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

int64
seed_runs_pick(const IdRuns *r, pg_prng_state *rng)
{
	return seed_runs_at(r, (int64) pg_prng_uint64_range(rng, 0, (uint64) r->total - 1));
}

int64
seed_fetch_int8(int row, int col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc,
								  col, &isnull);

	return isnull ? 0 : DatumGetInt64(d);
}

/*
 * Read the ids a table has now (those matching where, if not NULL), as
 * runs, in place of what was known: one query, two if there are gaps.  Not
 * read-only: a fresh snapshot sees the rows this call inserted (the exams
 * reports are seeded for).
 */
void
seed_runs_load(SeedState *st, OltpTable table, const char *where)
{
	IdRuns	   *r = &st->ids[table];
	char	   *rel = oltp_schema_qualify(&st->schema, table);
	StringInfoData sql;
	int64		count,
				min,
				max;

	r->n = 0;
	r->total = 0;
	initStringInfo(&sql);
	appendStringInfo(&sql, "SELECT pg_catalog.count(*), pg_catalog.min(id), pg_catalog.max(id) FROM %s",
					 rel);
	if (where)
		appendStringInfo(&sql, " WHERE %s", where);
	if (SPI_execute(sql.data, false, 0) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not read the ids of %s", rel);
	count = seed_fetch_int8(0, 1);
	min = seed_fetch_int8(0, 2);
	max = seed_fetch_int8(0, 3);
	if (count == 0)
		return;
	if (max - min + 1 == count)
	{
		seed_runs_append(r, min, max);
		return;
	}
	resetStringInfo(&sql);
	appendStringInfo(&sql,
					 "SELECT pg_catalog.min(id), pg_catalog.max(id) FROM "
					 "(SELECT id, id OPERATOR(pg_catalog.-) pg_catalog.row_number() OVER (ORDER BY id) "
					 "AS g FROM %s%s%s) s "
					 "GROUP BY g ORDER BY 1", rel, where ? " WHERE " : "", where ? where : "");
	if (SPI_execute(sql.data, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the id runs of %s", rel);
	for (uint64 i = 0; i < SPI_processed; i++)
		seed_runs_append(r, seed_fetch_int8(i, 1), seed_fetch_int8(i, 2));
}

