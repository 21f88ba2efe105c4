/*-------------------------------------------------------------------------
 *
 * seed.c
 *		oltp_seed() and oltp_reset(): their arguments, the checks made before
 *		anything is written, and the bulk insert loop.
 *
 * Rows are produced in C a batch at a time, handed to one prepared
 * INSERT ... SELECT FROM unnest($1, $2, ...) per batch as typed arrays, and
 * the batch's memory is released before the next, so memory stays bounded
 * at any scale.
 *
 * The volumes come as one jsonb object keyed by table name, the tables
 * left out taking their default volume from the model: a table added to
 * the model shifts no argument and needs no new parameter.  References
 * are drawn from the parents' ids (seed_ids.c), the insurers of each
 * patient by selection sampling (seed_pairs.c), the rows by one producer
 * per table (seed_rows.c).
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
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "args.h"
#include "compat.h"
#include "gen_anchor.h"
#include "generate.h"
#include "progress.h"
#include "publication.h"
#include "seed.h"
#include "seed_state.h"
#include "seed_types.h"

/* ---------------------------------------------------------------------------
 * The bulk insert loop
 * ---------------------------------------------------------------------------
 */

/*
 * INSERT ... SELECT FROM ROWS FROM (unnest($1), unnest($2), ...): one
 * array per column, so a batch of 10,000 rows is one statement, one plan
 * and one executor start.  ROWS FROM keeps each unnest pg_catalog's by
 * name, where a multi-argument unnest() would leave it to the search_path.
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

/*
 * Insert nrows rows of one table, a batch at a time.  The column arrays
 * are allocated once and refilled; each batch's values live in batch_cxt,
 * reset after every INSERT, so a million rows cost the memory of one
 * batch.  A producer may end a batch early (see seed_rows.c).
 */
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
		int			want = (int) Min((int64) (spec->batch > 0 ? spec->batch : SEED_BATCH),
									 nrows - done);
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
			/* the natural key derives from the id: draw the id first */
			if (spec->natural_key)
				id = oltp_next_natural_id(st->schema.seqids[spec->table],
										  oltp_model[spec->table].name,
										  spec->capacity);
			if (!spec->fill(st, id, row, rownulls))
				break;
			for (int c = 0; c < spec->ncols; c++)
			{
				values[c][got] = row[c];
				nulls[c][got] = rownulls[c];
			}
			/* new parents are at once referable by the children after them */
			if (spec->natural_key)
				seed_runs_append(&st->ids[spec->table], id, id);
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
			/* every row or none: anything else would be a bug, not bad input */
			rc = SPI_execute_plan(plan, args, argnulls, false, 0);
			if (rc != SPI_OK_INSERT || SPI_processed != (uint64) got)
				elog(ERROR, "bulk insert into %s returned %s with " UINT64_FORMAT " rows, expected %d",
					 oltp_model[spec->table].name, SPI_result_code_string(rc),
					 SPI_processed, got);
		}
		MemoryContextSwitchTo(old);
		MemoryContextReset(batch_cxt);
		done += got;
		oltp_progress_report(&st->progress, "%s " INT64_FORMAT " of " INT64_FORMAT " rows",
							 oltp_model[spec->table].name, done, nrows);
	}
	SPI_freeplan(plan);
	return done;
}

/* ---------------------------------------------------------------------------
 * Arguments
 * ---------------------------------------------------------------------------
 */

/* the rows argument's value for one table, as a whole number */
static int64
seed_parse_volume(const char *table, JsonbValue *v)
{
	char	   *text;
	int64		n = 0;
	OltpWhole	whole;

	if (v->type == jbvNull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("argument \"%s\" must not be null", table),
				 errhint("Leave %s out of rows to use its default volume.", table)));
	if (v->type != jbvNumeric)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the volume of %s must be a number of rows", table),
				 errhint("Write it as a JSON number, as in '{\"%s\": 100}'.", table)));

	whole = oltp_json_whole(v, &n, &text);
	if (whole == OLTP_NOT_WHOLE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the volume of %s must be a whole number of rows, not %s", table, text),
				 errhint("Pass the number of %s rows to add, or leave it out for the default.",
						 table)));
	if (whole == OLTP_WHOLE_TOO_LARGE)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s => %s is more rows than oltp_sim can count", table, text),
				 errhint("Use a smaller scale or volume.")));
	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be zero or more, not " INT64_FORMAT, table, n),
				 errhint("Pass the number of %s rows to add, or leave it out for the default.",
						 table)));
	return n;
}

/*
 * 0.1.0 declared oltp_seed(pacientes, medicos, convenios,
 * pacientes_convenios, consultas, exames, internacoes, scale, seed), all
 * bound to this C function.  Between installing this library and ALTER
 * EXTENSION oltp_sim UPDATE, those declarations still call it: their
 * volumes are read by the names of that signature, never by the model's
 * order, so the model may grow without changing what they mean.
 */
static const char *const seed_v010_tables[] = {
	"pacientes", "medicos", "convenios", "pacientes_convenios",
	"consultas", "exames", "internacoes",
};

#define SEED_V010_NARGS		(lengthof(seed_v010_tables) + 2)

static void
seed_parse_v010_volumes(FunctionCallInfo fcinfo, int64 *base)
{
	for (int i = 0; i < lengthof(seed_v010_tables); i++)
	{
		int			t = oltp_model_lookup(seed_v010_tables[i]);

		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("argument \"%s\" must not be null", seed_v010_tables[i]),
					 errhint("Leave the argument out to use its default.")));
		if (PG_GETARG_INT64(i) < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s must be zero or more, not " INT64_FORMAT,
							seed_v010_tables[i], PG_GETARG_INT64(i)),
					 errhint("Pass the number of %s rows to add, or leave it out for the default.",
							 seed_v010_tables[i])));
		Assert(t >= 0);
		base[t] = PG_GETARG_INT64(i);
	}
}

/*
 * oltp_seed(rows jsonb, scale float8, seed bigint, anchor timestamp).
 * rows maps table names to volumes; every table it leaves out gets its
 * default.  A name that is not a table is refused rather than ignored: a
 * typo would otherwise seed the default volume silently.
 */
static void
seed_parse_args(FunctionCallInfo fcinfo, SeedArgs *args)
{
	int64		base[OLTP_NTABLES];
	double		scale;
	int			argscale = 1;	/* the position of scale; seed follows it */

	for (int t = 0; t < OLTP_NTABLES; t++)
		base[t] = oltp_model[t].default_rows;

	if (PG_NARGS() == SEED_V010_NARGS)
	{
		seed_parse_v010_volumes(fcinfo, base);
		argscale = SEED_V010_NARGS - 2;
	}
	else if (!PG_ARGISNULL(0))
	{
		Jsonb	   *rows = PG_GETARG_JSONB_P(0);
		JsonbIterator *it;
		JsonbValue	v;
		JsonbIteratorToken tok;

		if (!JB_ROOT_IS_OBJECT(rows))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("rows must be a JSON object of table names and volumes"),
					 errhint("For instance rows => '{\"pacientes\": 100, \"consultas\": 500}'; the tables left out get their default volume.")));
		it = JsonbIteratorInit(&rows->root);
		while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
		{
			char	   *key;
			int			t;

			if (tok != WJB_KEY)
				continue;
			key = pnstrdup(v.val.string.val, v.val.string.len);
			t = oltp_model_lookup(key);
			if (t < 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("\"%s\" is not an oltp_sim table", key),
						 errhint("The tables are %s.", oltp_model_table_list())));
			tok = JsonbIteratorNext(&it, &v, true);
			Assert(tok == WJB_VALUE);
			base[t] = seed_parse_volume(key, &v);
			/* a table no producer fills (the set schema_changes) */
			if (base[t] > 0 && oltp_seed_specs[t].columns == NULL && !seed_types_has(t))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("oltp_seed does not seed table \"%s\"", key),
						 errdetail("The tables of set \"%s\" start empty: the stream writes their rows.",
								   oltp_model[t].set),
						 errhint("Give it 0 rows, or leave it out.")));
		}
	}

	if (PG_ARGISNULL(argscale))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("argument \"scale\" must not be null"),
				 errhint("Leave the argument out to use its default.")));
	scale = PG_GETARG_FLOAT8(argscale);
	if (isnan(scale) || scale < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("scale must be zero or more, not %g", scale),
				 errhint("scale multiplies every volume: 1 gives the default volumes, 10 ten times as many rows.")));

	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		double		n = rint((double) base[t] * scale);

		/* well inside int64 so sums and ids cannot overflow either */
		if (!(n <= (double) PG_INT64_MAX / 4))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("%s => " INT64_FORMAT " at scale %g is more rows than oltp_sim can count",
							oltp_model[t].name, base[t], scale),
					 errhint("Use a smaller scale or volume.")));
		args->rows[t] = (int64) n;
	}

	/*
	 * Insurers are a small catalogue: scaled down, it would leave patients
	 * unable to hold the insurers they are given.  Keep at least three.
	 */
	if (scale > 0)
		args->rows[OLTP_CONVENIOS] = Max(args->rows[OLTP_CONVENIOS],
										 Min(base[OLTP_CONVENIOS], SEED_MAX_CONVENIOS));
	oltp_seed_choose(args, !PG_ARGISNULL(argscale + 1),
					 PG_ARGISNULL(argscale + 1) ? 0 : PG_GETARG_INT64(argscale + 1));

	if (PG_NARGS() > argscale + 2 && !PG_ARGISNULL(argscale + 2))
	{
		args->anchor = PG_GETARG_TIMESTAMP(argscale + 2);
		/* every date drawn around it must be one PostgreSQL reads back */
		oltp_anchor_check(args->anchor);
	}
}

/*
 * The seed given, or a random one (said in a NOTICE when the rows are
 * seeded); the anchor at midnight today, so the same seed gives the same
 * rows all day.
 */
void
oltp_seed_choose(SeedArgs *args, bool have_seed, int64 seed)
{
	args->have_seed = have_seed;
	if (have_seed)
		args->seed = seed;
	else
	{
		pg_prng_state tmp;

		if (!pg_prng_strong_seed(&tmp))
			pg_prng_seed(&tmp, (uint64) GetCurrentTimestamp() ^ (uint64) MyProcPid);
		args->seed = (int64) (pg_prng_uint64(&tmp) >> 1);
	}
	args->anchor = (Timestamp) GetSQLCurrentDate() * USECS_PER_DAY;
}

/* ---------------------------------------------------------------------------
 * Parents and children, from the model's foreign keys
 * ---------------------------------------------------------------------------
 */

static bool
seed_references(OltpTable child, OltpTable parent)
{
	for (int f = 0; f < OLTP_MAX_FKEYS && oltp_model[child].fkeys[f].column; f++)
		if (oltp_model[child].fkeys[f].references == parent)
			return true;
	return false;
}

/*
 * The order the tables are seeded in: each after the tables it references,
 * otherwise in the model's order.
 */
static void
seed_order(OltpTable *order)
{
	bool		seeded[OLTP_NTABLES] = {0};

	for (int n = 0; n < OLTP_NTABLES; n++)
	{
		int			t;

		for (t = 0; t < OLTP_NTABLES; t++)
		{
			bool		ready = !seeded[t];

			for (int p = 0; p < OLTP_NTABLES && ready; p++)
				ready = seeded[p] || !seed_references(t, p);
			if (ready)
				break;
		}
		if (t == OLTP_NTABLES)
			elog(ERROR, "the foreign keys of the model form a cycle");
		seeded[t] = true;
		order[n] = t;
	}
}

/*
 * "cannot add a, b or c without parent": children sorted by name, so the
 * message is the same whatever the model's order.
 */
static void
seed_refuse_orphans(OltpTable parent, const char *what, const char **children, int n)
{
	const char *name = oltp_model[parent].name;
	StringInfoData list;

	qsort(children, n, sizeof(const char *), pg_qsort_strcmp);
	initStringInfo(&list);
	for (int i = 0; i < n; i++)
		appendStringInfo(&list, "%s%s", i == 0 ? "" : i < n - 1 ? ", " : " or ", children[i]);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cannot add %s without %s", list.data, what ? what : name),
			 n > 1 ?
			 errhint("Add %s in the same call (rows => '{\"%s\": N, ...}') or set those volumes to 0.",
					 name, name) :
			 errhint("Add %s in the same call (rows => '{\"%s\": N, ...}') or set %s to 0.",
					 name, name, list.data)));
}

/*
 * A child needs a parent to reference.  The parents whose ids the seed
 * draws itself (natural_key) are counted before anything is written, as
 * the rows they have plus those asked for.  The core tables that would
 * lack one are named together, since a reset asks for all of them; a
 * table of an opt-in set is named alone.
 */
static void
seed_check_parents(SeedState *st, const int64 *rows)
{
	for (int p = 0; p < OLTP_NTABLES; p++)
	{
		const char *core[OLTP_NTABLES];
		int			ncore = 0;
		bool		core_rows = false;

		if (!oltp_seed_specs[p].natural_key || !st->schema.present[p] ||
			st->ids[p].total + rows[p] > 0)
			continue;
		for (int c = 0; c < OLTP_NTABLES; c++)
			if (st->schema.present[c] && seed_references(c, p) &&
				strcmp(oltp_model[c].set, OLTP_SET_CORE) == 0)
			{
				core[ncore++] = oltp_model[c].name;
				core_rows |= rows[c] > 0;
			}
		if (core_rows)
			seed_refuse_orphans(p, NULL, core, ncore);
		for (int c = 0; c < OLTP_NTABLES; c++)
			if (st->schema.present[c] && seed_references(c, p) && rows[c] > 0 &&
				strcmp(oltp_model[c].set, OLTP_SET_CORE) != 0)
			{
				const char *child = oltp_model[c].name;

				seed_refuse_orphans(p, NULL, &child, 1);
			}
	}
}

/*
 * Just before a child is seeded, the ids of its parents that the seed does
 * not draw itself, read now that they are seeded (those the child may
 * reference: SeedSpec.parent_where).
 */
static void
seed_read_parents(SeedState *st, OltpTable child)
{
	const SeedSpec *spec = &oltp_seed_specs[child];
	const char *name = oltp_model[child].name;

	for (int f = 0; f < OLTP_MAX_FKEYS && oltp_model[child].fkeys[f].column; f++)
	{
		OltpTable	p = oltp_model[child].fkeys[f].references;

		if (oltp_seed_specs[p].natural_key)
			continue;
		seed_runs_load(st, p, spec->parent_where);
		if (st->ids[p].total == 0)
			seed_refuse_orphans(p, spec->parent_what, &name, 1);
	}
}

/*
 * Refuse, before writing anything, what cannot be done: a seed that failed
 * halfway would leave the caller to guess what it wrote.  Each check is
 * made against the rows there will be, those present plus those asked for.
 */
static void
seed_check_feasible(SeedState *st, const SeedArgs *args)
{
	const int64 *rows = args->rows;

	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		const IdRuns *r = &st->ids[t];
		int64		top = r->n > 0 ? r->hi[r->n - 1] : 0;

		if (!oltp_seed_specs[t].natural_key || !st->schema.present[t])
			continue;
		if (rows[t] > oltp_seed_specs[t].capacity - top)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("cannot add " INT64_FORMAT " %s: at most " INT64_FORMAT " more fit",
							rows[t], oltp_model[t].name, oltp_seed_specs[t].capacity - top),
					 errdetail("Each %s row gets a unique key derived from its id, for ids 1 to " INT64_FORMAT ".",
							   oltp_model[t].name, oltp_seed_specs[t].capacity),
					 errhint("Use a smaller volume or scale, or oltp_reset() to start the ids again.")));
	}

	seed_check_parents(st, rows);

	for (int t = 0; t < OLTP_NTABLES; t++)
		if (oltp_seed_specs[t].check && st->schema.present[t] && rows[t] > 0)
			oltp_seed_specs[t].check(st, rows);
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

/*
 * Seed the present tables of schema as args says, after emptying them
 * (reset); inserted and elapsed receive each table's rows and time.  The
 * caller is connected to SPI and has checked the schema: oltp_seed and
 * oltp_reset, or oltp_add_tables for the tables it created (it calls this
 * C function, never oltp_seed by name: an overload made by another role
 * could make that call ambiguous).
 */
/*
 * A partitioned table (the set partitions) gets, before its rows, the
 * partitions of the months they are drawn in and of the month after the
 * anchor, those missing, from its set's function
 * oltp_sim_<table>_prepare(date, date): a row of a month without one would
 * go to the default partition.  A reset first drops the partitions the
 * table had and the tables detached from it (oltp_sim_<table>_reset()), so
 * that it leaves the same partitions whatever the stream did before.
 */
static void
seed_partitions(const SeedState *st, OltpTable t, bool reset)
{
	Oid			argtypes[2] = {TIMESTAMPOID, INT4OID};
	Datum		args[2];
	char	   *sql;

	if (reset)
	{
		sql = psprintf("SELECT %s()",
					   quote_qualified_identifier(st->schema.nspname,
												  psprintf("oltp_sim_%s_reset", oltp_model[t].name)));
		if (SPI_execute(sql, false, 0) != SPI_OK_SELECT)
			elog(ERROR, "could not drop the partitions of table %s", oltp_model[t].name);
	}

	args[0] = TimestampGetDatum(st->anchor);
	args[1] = Int32GetDatum(OLTP_BED_EVENT_DAYS);
	sql = psprintf("SELECT %s(($1 OPERATOR(pg_catalog.-) pg_catalog.make_interval(days => $2))::pg_catalog.date, "
				   "($1 OPERATOR(pg_catalog.+) '1 mon'::pg_catalog.interval)::pg_catalog.date)",
				   quote_qualified_identifier(st->schema.nspname,
											  psprintf("oltp_sim_%s_prepare", oltp_model[t].name)));
	if (SPI_execute_with_args(sql, 2, argtypes, args, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not create the partitions of table %s", oltp_model[t].name);
}

static void
seed_tables(const OltpSchema *schema, const SeedArgs *argsp, bool reset,
			int64 *inserted, double *elapsed)
{
	SeedArgs	args = *argsp;
	SeedState  *st;
	OltpTable	order[OLTP_NTABLES];
	MemoryContext batch_cxt;

	st = palloc0(sizeof(SeedState));
	st->schema = *schema;
	oltp_progress_begin(&st->progress, "oltp_seed");
	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		st->ids[t].cxt = CurrentMemoryContext;
		inserted[t] = 0;
		elapsed[t] = 0;
	}

	/*
	 * One TRUNCATE of every table at once: the foreign keys allow no other
	 * order, and it takes the locks in the order the worker takes them, so
	 * a reset while the stream runs waits for a transaction, never
	 * deadlocks with one.
	 */
	if (reset)
	{
		StringInfoData sql;

		initStringInfo(&sql);
		appendStringInfoString(&sql, "TRUNCATE TABLE ");
		for (int t = 0, n = 0; t < OLTP_NTABLES; t++)
			if (st->schema.present[t])
				appendStringInfo(&sql, "%s%s", n++ > 0 ? ", " : "",
								 oltp_schema_qualify(&st->schema, t));
		appendStringInfoString(&sql, " RESTART IDENTITY");
		if (SPI_execute(sql.data, false, 0) != SPI_OK_UTILITY)
			elog(ERROR, "could not empty the oltp_sim tables");
	}

	/*
	 * The ids the seed draws itself: their top bounds the room left for
	 * keys, and the children pick from them, new ones included.
	 */
	for (int t = 0; t < OLTP_NTABLES; t++)
		if (oltp_seed_specs[t].natural_key && st->schema.present[t])
			seed_runs_load(st, t, NULL);
	seed_check_feasible(st, &args);

	if (!args.have_seed)
		ereport(NOTICE,
				(errmsg("oltp_seed: using seed " INT64_FORMAT, args.seed),
				 errhint("Pass seed => " INT64_FORMAT " to generate the same rows again.",
						 args.seed)));

	st->anchor = args.anchor;
	st->today = DatumGetDateADT(DirectFunctionCall1(timestamp_date,
													TimestampGetDatum(st->anchor)));
	st->new_pac_pos = st->ids[OLTP_PACIENTES].total;
	batch_cxt = AllocSetContextCreate(CurrentMemoryContext, "oltp_seed batch",
									  ALLOCSET_DEFAULT_SIZES);

	seed_order(order);
	for (int n = 0; n < OLTP_NTABLES; n++)
	{
		OltpTable	t = order[n];
		const SeedSpec *spec = &oltp_seed_specs[t];
		TimestampTz t0 = GetCurrentTimestamp();

		/* an opt-in set not added is seeded when it is created */
		if (!st->schema.present[t])
			continue;

		pg_prng_seed(&st->rng, seed_table_seed(args.seed, t));
		if (args.rows[t] > 0)
		{
			if (oltp_model[t].partitioned_by)
				seed_partitions(st, t, reset);
			seed_read_parents(st, t);
			if (spec->begin)
				spec->begin(st, args.rows);
			if (seed_types_has(t))
				inserted[t] = seed_types_table(st, t, args.rows[t],
											   seed_table_seed(args.seed, t));
			else
				inserted[t] = seed_table(st, spec, args.rows[t], batch_cxt);
		}
		elapsed[t] = (double) (GetCurrentTimestamp() - t0) / 1000.0;
	}
	if (TimestampDifferenceExceeds(st->progress.started, GetCurrentTimestamp(),
								   OLTP_PROGRESS_NOTICE_MS))
		ereport(NOTICE,
				(errmsg("oltp_seed: done in %.1f s",
						(double) (GetCurrentTimestamp() - st->progress.started) / 1000000.0)));
}

/* pg_stat_activity shows the progress while it runs, the statement after */
void
oltp_seed_tables(const OltpSchema *schema, const SeedArgs *args, bool reset,
				 int64 *inserted, double *elapsed)
{
	PG_TRY();
	{
		seed_tables(schema, args, reset, inserted, elapsed);
	}
	PG_CATCH();
	{
		oltp_progress_restore();
		PG_RE_THROW();
	}
	PG_END_TRY();
	oltp_progress_restore();
}

static Datum
seed_run(FunctionCallInfo fcinfo, bool reset)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	SeedArgs	args;
	OltpSchema	schema;
	double		elapsed[OLTP_NTABLES];
	int64		inserted[OLTP_NTABLES];

	seed_parse_args(fcinfo, &args);
	InitMaterializedSRF(fcinfo, 0);

	SPI_connect();
	oltp_sets_hold_schema_changes(reset);
	oltp_schema_require(&schema);
	if (reset && schema.present[OLTP_PRECOS])
	{
		oltp_sets_remake_schema_changes(&schema);
		oltp_schema_require(&schema);
	}
	/* CREATE EXTENSION makes no publication (see publication.c) */
	oltp_publication_ensure(&schema, reset ? "oltp_reset" : "oltp_seed");
	oltp_seed_tables(&schema, &args, reset, inserted, elapsed);
	SPI_finish();

	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		if (!schema.present[t])
			continue;

		values[0] = CStringGetTextDatum(oltp_model[t].name);
		values[1] = Int64GetDatum(inserted[t]);
		values[2] = Float8GetDatum(elapsed[t]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
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
