/*-------------------------------------------------------------------------
 *
 * run.c
 *		CALL oltp_run(ops, seed, anchor): a bounded, reproducible run of the
 *		stream's operations in the calling session, no worker needed.
 *
 * It picks ops operations by the current weights, as a worker does, and
 * commits every oltp_sim.ops_per_transaction of them, so a consumer sees
 * the transactions a worker would write.  Everything an operation writes
 * comes from the seed and from a clock that starts at the anchor
 * (midnight today by default) and ticks one second per operation: on the
 * same seeded data (oltp_reset with a seed and an anchor), the same call
 * writes the same rows on any machine, any day.  Only the audit columns
 * (created_at, updated_at, data_cadastro) keep the wall clock.
 *
 * An operation that loses a race (its expected SQLSTATE) is rolled back
 * alone and counted as skipped; any other error ends the call, with the
 * transactions committed before it kept.  With several operations per
 * transaction each runs in a subtransaction; alone in its transaction an
 * operation needs none, as in a worker (xact.c): its transaction, which
 * holds nothing else, is rolled back instead, and every one-operation
 * transaction is spared a subtransaction and its id.  An operation that rolls its transaction back on purpose
 * (OltpOpDef.aborts) runs in a transaction of its own, rolled back.  The call counts in no shared counter: oltp_changes() and the
 * watermarks are the workers'.  It says where it is as oltp_seed does
 * (progress.c): a NOTICE every few seconds, and in pg_stat_activity.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "args.h"
#include "gen_anchor.h"
#include "guc.h"
#include "op.h"
#include "progress.h"
#include "shmem.h"
#include "xact.h"

/* the statements, prepared once per session (again for a new extension) */
static OltpPlans run_plans;

/* the profile argument: one of oltp_profile_names */
static int
run_parse_profile(const char *name)
{
	StringInfoData list;

	for (int p = 0; p < OLTP_NPROFILES; p++)
		if (strcmp(name, oltp_profile_names[p]) == 0)
			return p;
	initStringInfo(&list);
	for (int p = 0; p < OLTP_NPROFILES; p++)
		appendStringInfo(&list, "%s%s", p == 0 ? "" : p == OLTP_NPROFILES - 1 ? " and " : ", ",
						 oltp_profile_names[p]);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("\"%s\" is not an oltp_sim profile", name),
			 errhint("The profiles are %s.", list.data)));
	return -1;					/* keep the compiler quiet */
}

/*
 * The weights argument, over the settings in weights[]: a jsonb object of
 * operation names and weights; the operations left out keep the setting.
 */
static void
run_parse_weights(Jsonb *arg, int *weights)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;

	if (!JB_ROOT_IS_OBJECT(arg))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weights must be a JSON object of operation names and weights"),
				 errhint("For instance weights => '{\"insert_paciente\": 10, \"update_exame\": 0}'; the operations left out keep their weight in effect.")));
	it = JsonbIteratorInit(&arg->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		char	   *name;
		char	   *text;
		int64		w = -1;
		int			op = -1;

		if (tok != WJB_KEY)
			continue;
		name = pnstrdup(v.val.string.val, v.val.string.len);
		for (int i = 0; i < oltp_nops && op < 0; i++)
			if (strcmp(name, oltp_ops[i]->name) == 0)
				op = i;
		if (op < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("\"%s\" is not an oltp_sim operation", name),
					 errhint("oltp_operations() lists them.")));
		tok = JsonbIteratorNext(&it, &v, true);
		Assert(tok == WJB_VALUE);
		if (v.type != jbvNumeric)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the weight of %s must be a number", name),
					 errhint("Write it as a JSON number, as in '{\"%s\": 10}'.", name)));
		if (oltp_json_whole(&v, &w, &text) != OLTP_WHOLE || w < 0 || w > OLTP_WEIGHT_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the weight of %s must be a whole number from 0 to %d, not %s",
							name, OLTP_WEIGHT_MAX, text),
					 errhint("0 leaves the operation out of the run.")));
		weights[op] = (int) w;
	}
}

/* one call: what it runs with, and what it has done */
typedef struct RunState
{
	int64		ops;
	Timestamp	anchor;
	int			cumulative[OLTP_MAX_OPS];
	int			total;
	OltpSchema	schema;
	pg_prng_state rng;
	MemoryContext cxt;			/* one transaction's, reset after each */
	OltpProgress progress;
	int64		done;
	int64		skipped;
	int64		aborted;		/* rolled back on purpose (OltpOpDef.aborts) */
	int64		xacts;
	bool		carrying;		/* carried begins the next transaction: an */
	int			carried;		/* operation that aborts, picked after others */
} RunState;

/* the operations, committed every oltp_sim.ops_per_transaction */
static void
run_loop(RunState *rs)
{
	int			per_xact = oltp_sim_ops_per_transaction;

	for (int64 i = 0; i < rs->ops; rs->xacts++)
	{
		MemoryContext oldcxt = MemoryContextSwitchTo(rs->cxt);
		int			nestlevel = NewGUCNestLevel();
		bool		rollback = false;

		/*
		 * A table changed between two transactions (a trigger added, an
		 * owner changed) is checked before anything more is written.
		 */
		if (oltp_schema_changed())
		{
			oltp_schema_require(&rs->schema);
			if (!oltp_plans_current(&run_plans, &rs->schema))
				oltp_plans_prepare(&run_plans, &rs->schema);
		}
		/* the search_path the worker has; undone before each commit */
		(void) set_config_option("search_path", "pg_catalog, pg_temp",
								 PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE,
								 true, 0, false);
		for (int k = 0; k < per_xact && i < rs->ops; k++, i++)
		{
			int			op;
			Timestamp	now = rs->anchor + i * USECS_PER_SEC;
			OltpChanges changes;
			OltpOpResult result;
			ErrorData  *edata;

			CHECK_FOR_INTERRUPTS();
			if (k == 0 && rs->carrying)
			{
				op = rs->carried;
				rs->carrying = false;
			}
			else
				op = oltp_ops_pick(&rs->rng, rs->cumulative, rs->total);

			/*
			 * An operation that rolls its transaction back has it to itself,
			 * as in a worker: one picked after others begins the next.
			 */
			if (oltp_ops[op]->aborts && k > 0)
			{
				rs->carried = op;
				rs->carrying = true;
				break;
			}
			/* its tables are of a set not added: skipped, as the worker does */
			if (!oltp_plans_runnable(&run_plans, op))
			{
				rs->skipped++;
				continue;
			}
			/*
			 * Alone, without a subtransaction, unless it expects an error:
			 * one raised in a function its statement calls (the set
			 * partitions' PL/pgSQL, refusing an ATTACH) leaves that
			 * function's SPI connection and portal, which only a
			 * subtransaction's abort cleans up before SPI_rollback
			 */
			if (per_xact == 1 && oltp_ops[op]->expected[0] == 0)
				edata = oltp_xact_run_op_alone(rs->cxt, op, &run_plans, &rs->schema, &rs->rng,
											   now, &changes, &result);
			else
				edata = oltp_xact_run_op(true, rs->cxt, op, &run_plans, &rs->schema, &rs->rng,
										 now, &changes, &result);
			if (edata == NULL && result == OLTP_OP_DONE && oltp_ops[op]->aborts)
			{
				/* rolled back on purpose, once its changes were made */
				rs->aborted++;
				rollback = true;
				i++;
				break;
			}
			else if (edata == NULL)
			{
				if (result == OLTP_OP_DONE)
					rs->done++;
				else if (result == OLTP_OP_SKIPPED)
					rs->skipped++;
				/*
				 * else OLTP_OP_PENDING, in the client's stream only: its
				 * answer read, and counted there, later (oltp_op_last)
				 */
			}
			else if (oltp_op_expects(oltp_ops[op], edata->sqlerrcode))
			{
				rs->skipped++;
				/* alone, its transaction failed with it */
				if (per_xact == 1)
					rollback = true;
			}
			else
				ReThrowError(edata);
		}
		AtEOXact_GUC(!rollback, nestlevel);
		MemoryContextSwitchTo(oldcxt);
		if (rollback)
			SPI_rollback();
		else
			SPI_commit();
		MemoryContextReset(rs->cxt);
		oltp_progress_report(&rs->progress,
							 INT64_FORMAT " of " INT64_FORMAT " operations, " INT64_FORMAT " done, " INT64_FORMAT " skipped",
							 i, rs->ops, rs->done, rs->skipped);
	}
}

PG_FUNCTION_INFO_V1(oltp_run);

/*
 * Everything is checked before anything is said or run: a call refused
 * prints its error alone.
 */
Datum
oltp_run(PG_FUNCTION_ARGS)
{
	RunState   *rs = palloc0(sizeof(RunState));
	int64		seed;
	const char *last_day;
	int			settings[OLTP_MAX_OPS];
	int			profile = oltp_sim_profile;

	/* COMMIT needs a CALL of its own, not one inside a transaction block */
	if (fcinfo->context == NULL || !IsA(fcinfo->context, CallContext) ||
		castNode(CallContext, fcinfo->context)->atomic)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TRANSACTION_TERMINATION),
				 errmsg("oltp_run cannot commit here"),
				 errdetail("It commits every oltp_sim.ops_per_transaction operations, which a CALL inside a transaction block or a function cannot."),
				 errhint("Run CALL oltp_run(...) as a statement of its own, outside BEGIN ... COMMIT.")));

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("argument \"ops\" must not be null"),
				 errhint("ops is the number of operations to run, for instance CALL oltp_run(ops => 1000, seed => 1).")));
	if (PG_GETARG_INT64(0) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ops must be zero or more"),
				 errhint("ops is the number of operations to run, for instance CALL oltp_run(ops => 1000, seed => 1).")));
	rs->ops = PG_GETARG_INT64(0);
	/* midnight today, as the seed's anchor: the same call all day */
	rs->anchor = PG_ARGISNULL(2) ?
		(Timestamp) GetSQLCurrentDate() * USECS_PER_DAY : PG_GETARG_TIMESTAMP(2);
	oltp_anchor_check(rs->anchor);

	/* the clock ticks one second per operation: every tick is an anchor */
	if (rs->ops > 0 && rs->ops - 1 > oltp_anchor_seconds_left(rs->anchor, &last_day))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ops => " INT64_FORMAT " is more operations than the clock can count from the anchor",
						rs->ops),
				 errdetail("Operation i of the run happens at anchor + i seconds, which must stay an anchor oltp_seed accepts, on %s at the latest.",
						   last_day),
				 errhint("Use fewer operations or an earlier anchor.")));

	/* a profile and weights of its own (0.2.0 declared neither) */
	memcpy(settings, oltp_sim_weights, sizeof(settings));
	if (PG_NARGS() > 3 && !PG_ARGISNULL(3))
		profile = run_parse_profile(text_to_cstring(PG_GETARG_TEXT_PP(3)));
	if (PG_NARGS() > 4 && !PG_ARGISNULL(4))
		run_parse_weights(PG_GETARG_JSONB_P(4), settings);
	rs->total = oltp_ops_cumulative_of(settings, profile, rs->cumulative);
	if (rs->total == 0)
		oltp_ops_report_no_weights(ERROR, settings, profile, false);

	if (PG_ARGISNULL(1))
	{
		seed = (int64) (pg_prng_uint64(&pg_global_prng_state) & PG_INT64_MAX);
		ereport(NOTICE,
				(errmsg("oltp_run: using seed " INT64_FORMAT, seed),
				 errhint("Pass seed => " INT64_FORMAT " to run the same operations again.", seed)));
	}
	else
		seed = PG_GETARG_INT64(1);

	SPI_connect_ext(SPI_OPT_NONATOMIC);
	(void) oltp_schema_changed();
	oltp_schema_require(&rs->schema);
	/* tables of an opt-in set added or dropped since: planned again */
	if (!oltp_plans_current(&run_plans, &rs->schema))
		oltp_plans_prepare(&run_plans, &rs->schema);
	pg_prng_seed(&rs->rng, (uint64) seed);
	rs->cxt = AllocSetContextCreate(CurrentMemoryContext, "oltp_run transaction",
									ALLOCSET_DEFAULT_SIZES);
	oltp_progress_begin(&rs->progress, "oltp_run");

	/* pg_stat_activity shows the progress while it runs, the CALL after */
	PG_TRY();
	{
		run_loop(rs);
	}
	PG_CATCH();
	{
		oltp_progress_restore();
		PG_RE_THROW();
	}
	PG_END_TRY();
	oltp_progress_restore();
	SPI_finish();

	if (rs->aborted == 0)
		ereport(NOTICE,
				(errmsg("oltp_run: " INT64_FORMAT " operations done, " INT64_FORMAT " skipped, in " INT64_FORMAT " transactions",
						rs->done, rs->skipped, rs->xacts)));
	else
		ereport(NOTICE,
				(errmsg("oltp_run: " INT64_FORMAT " operations done, " INT64_FORMAT " skipped, " INT64_FORMAT " rolled back on purpose, in " INT64_FORMAT " transactions",
						rs->done, rs->skipped, rs->aborted, rs->xacts)));
	PG_RETURN_VOID();
}
