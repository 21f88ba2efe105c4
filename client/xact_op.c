/*-------------------------------------------------------------------------
 *
 * xact_op.c
 *		The client's oltp_xact_run_op (xact.h), for run.c: one operation in
 *		a savepoint of its own, its error caught, as the server's runs it
 *		in an internal subtransaction.  The rest of xact.c (the locks, the
 *		watermarks, the counters) is the workers'.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"

#include "backend.h"
#include "client.h"
#include "xact.h"

/* NULL if op ran; else its error, its savepoint (or transaction) rolled back */
ErrorData *
oltp_xact_run_op(bool subxact, MemoryContext err_cxt, int op, OltpPlans *plans,
				 const OltpSchema *schema, pg_prng_state *rng, Timestamp now,
				 OltpChanges *changes, OltpOpResult *result)
{
	ErrorData  *volatile edata = NULL;

	if (subxact)
		BeginInternalSubTransaction(NULL);
	PG_TRY();
	{
		*result = oltp_op_run(op, plans, schema, rng, now, changes);
		if (subxact)
			ReleaseCurrentSubTransaction();
	}
	PG_CATCH();
	{
		edata = CopyErrorData();
		FlushErrorState();
		if (subxact)
			RollbackAndReleaseCurrentSubTransaction();
		else
		{
			client_command("ROLLBACK");
			client_command("BEGIN");
			client_subxact_reset();
		}
		memset(changes, 0, sizeof(*changes));
	}
	PG_END_TRY();
	return edata;
}

/* the client sees no invalidation: the tables it found stay its tables */
bool
oltp_schema_changed(void)
{
	return false;
}
