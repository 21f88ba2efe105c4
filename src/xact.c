/*-------------------------------------------------------------------------
 *
 * xact.c
 *		The bracket around one operation of a worker's transaction: run it,
 *		and if it fails take back its changes and hand the error to the
 *		caller instead of letting it end the process.
 *
 * With several operations per transaction each runs in an internal
 * subtransaction (the pattern of plpy_spi.c: save the memory context and
 * resource owner, CopyErrorData, FlushErrorState, roll back, restore), so
 * a failure takes back only its own changes.  Alone in its transaction an
 * operation needs none: a failure aborts the whole transaction, which held
 * nothing else.  That spares every one-operation transaction a
 * subtransaction id, its assignment record in the WAL and the bookkeeping
 * of a nested commit.  What the error means (a race the operation expects,
 * or a fault) is the worker's to decide.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "utils/memutils.h"
#include "utils/resowner.h"

#include "xact.h"

/*
 * Run operation op.  NULL when it ran (*result says done or skipped,
 * *changes what it changed); else the error, in the caller's context with
 * a subtransaction, in err_cxt once the transaction is aborted, and
 * *changes is zero: what it had changed was rolled back with it.
 */
ErrorData *
oltp_xact_run_op(bool subxact, MemoryContext err_cxt, int op, OltpPlans *plans,
				 const OltpSchema *schema, pg_prng_state *rng, OltpChanges *changes,
				 OltpOpResult *result)
{
	MemoryContext oldcontext = CurrentMemoryContext;
	ResourceOwner oldowner = CurrentResourceOwner;
	ErrorData  *volatile edata = NULL;

	if (subxact)
	{
		BeginInternalSubTransaction(NULL);
		MemoryContextSwitchTo(oldcontext);
	}
	PG_TRY();
	{
		*result = oltp_op_run(op, plans, schema, rng, changes);
		if (subxact)
		{
			ReleaseCurrentSubTransaction();
			MemoryContextSwitchTo(oldcontext);
			CurrentResourceOwner = oldowner;
		}
	}
	PG_CATCH();
	{
		/* the transaction's memory goes with it: keep the error outside */
		MemoryContextSwitchTo(subxact ? oldcontext : err_cxt);
		edata = CopyErrorData();
		FlushErrorState();
		if (subxact)
		{
			RollbackAndReleaseCurrentSubTransaction();
			MemoryContextSwitchTo(oldcontext);
			CurrentResourceOwner = oldowner;
		}
		else
		{
			AbortCurrentTransaction();
			MemoryContextSwitchTo(err_cxt);
		}
		memset(changes, 0, sizeof(*changes));
	}
	PG_END_TRY();
	return edata;
}
