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
 * Every operation runs in a subtransaction, so one that loses a race
 * (its expected SQLSTATE) is rolled back alone and counted as skipped;
 * any other error ends the call, with the transactions committed before
 * it kept.  The call counts in no shared counter: oltp_changes() and the
 * watermarks are the workers'.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "utils/date.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "oltp_sim.h"
#include "op.h"
#include "xact.h"

/* the statements, prepared once per session (again for a new extension) */
static OltpPlans run_plans;

PG_FUNCTION_INFO_V1(oltp_run);

Datum
oltp_run(PG_FUNCTION_ARGS)
{
	int64		ops;
	int64		seed;
	Timestamp	anchor;
	int			cumulative[OLTP_MAX_OPS];
	int			total;
	int			per_xact = oltp_sim_ops_per_transaction;
	OltpSchema	schema;
	pg_prng_state rng;
	MemoryContext run_cxt;
	int64		done = 0,
				skipped = 0,
				xacts = 0;

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
	ops = PG_GETARG_INT64(0);
	/* midnight today, as the seed's anchor: the same call all day */
	anchor = PG_ARGISNULL(2) ?
		(Timestamp) GetSQLCurrentDate() * USECS_PER_DAY : PG_GETARG_TIMESTAMP(2);
	if (TIMESTAMP_NOT_FINITE(anchor))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("anchor must be a finite timestamp"),
				 errhint("Leave it out for midnight today.")));

	/* the clock ticks one second per operation, and must stay a timestamp */
	if (ops > (END_TIMESTAMP - anchor) / USECS_PER_SEC)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ops => " INT64_FORMAT " is more operations than the clock can count from the anchor", ops),
				 errdetail("Operation i of the run happens at anchor + i seconds, which must stay before 294277 AD."),
				 errhint("Use fewer operations or an earlier anchor.")));

	if (PG_ARGISNULL(1))
	{
		seed = (int64) (pg_prng_uint64(&pg_global_prng_state) & PG_INT64_MAX);
		ereport(NOTICE,
				(errmsg("oltp_run: using seed " INT64_FORMAT, seed),
				 errhint("Pass seed => " INT64_FORMAT " to run the same operations again.", seed)));
	}
	else
		seed = PG_GETARG_INT64(1);

	total = oltp_ops_cumulative(cumulative);
	if (total == 0)
		oltp_ops_report_no_weights(ERROR, false);

	SPI_connect_ext(SPI_OPT_NONATOMIC);
	oltp_schema_require(&schema);
	/* tables of an opt-in set added or dropped since: planned again */
	if (!oltp_plans_current(&run_plans, &schema))
		oltp_plans_prepare(&run_plans, &schema);
	pg_prng_seed(&rng, (uint64) seed);
	run_cxt = AllocSetContextCreate(CurrentMemoryContext, "oltp_run transaction",
									ALLOCSET_DEFAULT_SIZES);

	for (int64 i = 0; i < ops; xacts++)
	{
		MemoryContext oldcxt = MemoryContextSwitchTo(run_cxt);
		int			nestlevel = NewGUCNestLevel();

		/* the search_path the worker has; undone before each commit */
		(void) set_config_option("search_path", "pg_catalog, pg_temp",
								 PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE,
								 true, 0, false);
		for (int k = 0; k < per_xact && i < ops; k++, i++)
		{
			int			op = oltp_ops_pick(&rng, cumulative, total);
			Timestamp	now = anchor + i * USECS_PER_SEC;
			OltpChanges changes;
			OltpOpResult result;
			ErrorData  *edata;

			CHECK_FOR_INTERRUPTS();
			/* its tables are of a set not added: skipped, as the worker does */
			if (!oltp_plans_runnable(&run_plans, op))
			{
				skipped++;
				continue;
			}
			edata = oltp_xact_run_op(true, run_cxt, op, &run_plans, &schema, &rng, now,
									 &changes, &result);
			if (edata == NULL)
			{
				if (result == OLTP_OP_DONE)
					done++;
				else
					skipped++;
			}
			else if (oltp_op_expects(oltp_ops[op], edata->sqlerrcode))
				skipped++;
			else
				ReThrowError(edata);
		}
		AtEOXact_GUC(true, nestlevel);
		MemoryContextSwitchTo(oldcxt);
		SPI_commit();
		MemoryContextReset(run_cxt);
	}
	SPI_finish();

	ereport(NOTICE,
			(errmsg("oltp_run: " INT64_FORMAT " operations done, " INT64_FORMAT " skipped, in " INT64_FORMAT " transactions",
					done, skipped, xacts)));
	PG_RETURN_VOID();
}
