/*-------------------------------------------------------------------------
 *
 * subxact.c
 *		A savepoint from C: a function run in an internal subtransaction of
 *		its own, which is then released (RELEASE SAVEPOINT) or rolled back
 *		(ROLLBACK TO SAVEPOINT); an error inside rolls it back and is handed
 *		to the caller instead of ending the transaction.
 *
 * SPI cannot run SAVEPOINT, so a savepoint is the pattern of PostgreSQL's
 * src/pl/plpython/plpy_spi.c: remember the memory context and resource
 * owner, begin the subtransaction, and restore both whichever way it ends.
 * The error is copied into the caller's memory context, which outlives the
 * subtransaction.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "utils/memutils.h"
#include "utils/resowner.h"

#include "subxact.h"

/*
 * Run fn(arg) in a subtransaction; release it if keep, else roll it back.
 * NULL when fn returned; else its error, the subtransaction rolled back.
 */
ErrorData *
oltp_subxact_call(OltpSubxactFn fn, void *arg, bool keep)
{
	MemoryContext oldcontext = CurrentMemoryContext;
	ResourceOwner oldowner = CurrentResourceOwner;
	ErrorData  *volatile edata = NULL;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(oldcontext);
	PG_TRY();
	{
		fn(arg);
		if (keep)
			ReleaseCurrentSubTransaction();
		else
			RollbackAndReleaseCurrentSubTransaction();
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(oldcontext);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
	}
	PG_END_TRY();
	MemoryContextSwitchTo(oldcontext);
	CurrentResourceOwner = oldowner;
	return edata;
}
