/*-------------------------------------------------------------------------
 *
 * xact.c
 *		The bracket around one operation of a worker's transaction.
 *
 * With several operations per transaction each runs in an internal
 * subtransaction (as plpy_spi.c does), so a failure takes back only its
 * own changes.  Alone in its transaction an operation needs none: a
 * failure aborts the transaction, which held nothing else, and every
 * one-operation transaction is spared a subtransaction id and its WAL.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "utils/memutils.h"
#include "utils/resowner.h"

#include "xact.h"

/* NULL if op ran; else its error (in err_cxt once aborted), *changes zeroed */
ErrorData *
oltp_xact_run_op(bool subxact, MemoryContext err_cxt, int op, OltpPlans *plans,
				 const OltpSchema *schema, pg_prng_state *rng, Timestamp now,
				 OltpChanges *changes, OltpOpResult *result)
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
		*result = oltp_op_run(op, plans, schema, rng, now, changes);
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
