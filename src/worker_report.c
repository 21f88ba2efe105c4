/*-------------------------------------------------------------------------
 *
 * worker_report.c
 *		What a streaming worker tells its line of oltp_status() and the
 *		server log: why it waits, the errors of its operations, the
 *		operations it skips, and its state, lag and rate.
 *
 * The log hears of a reason to wait once, however long it lasts, and of
 * failed operations at most every ERROR_LOG_INTERVAL_MS: a worker that
 * repeats itself thousands of times a second would drown the log it is
 * meant to explain.  An error that made the worker wait is the last error
 * only until the worker streams again.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "port/atomics.h"
#include "storage/lwlock.h"
#include "utils/elog.h"
#include "utils/errcodes.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

#include "guc.h"
#include "model.h"
#include "op.h"
#include "schema.h"
#include "shmem.h"
#include "worker_state.h"

#define ERROR_LOG_INTERVAL_MS	10000

/*
 * Show the state waiting, with reason as the detail; true when the log has
 * not heard of this reason yet (the caller then says it, once).
 */
bool
worker_waiting(WorkerState *ws, const char *reason)
{
	oltp_slot_set_state(ws->slot, OLTP_STATE_WAITING, reason);
	ws->published = OLTP_STATE_WAITING;
	if (strcmp(ws->logged, reason) == 0)
		return false;
	strlcpy(ws->logged, reason, sizeof(ws->logged));
	return true;
}

/*
 * What the schema check found (schema.c words it).  Every worker waits for
 * the same tables: the first one speaks for all.
 */
void
worker_report_problem(WorkerState *ws, const OltpSchemaProblem *problem)
{
	if (worker_waiting(ws, problem->message) && ws->index == 0)
		/* an empty errdetail() would still print an empty DETAIL line */
		ereport(LOG,
				(errcode(problem->sqlerrcode),
				 errmsg("oltp_sim is waiting: %s", problem->message),
				 problem->detail && problem->detail[0] ? errdetail_internal("%s", problem->detail) : 0,
				 problem->hint && problem->hint[0] ? errhint("%s", problem->hint) : 0));
}

/* nothing to pick: say so once and wait for a reload to bring weights */
void
worker_report_no_weights(WorkerState *ws)
{
	if (worker_waiting(ws, oltp_no_weight_reason) && ws->index == 0)
		oltp_ops_report_no_weights(LOG, oltp_sim_weights, oltp_sim_profile, true);
}

/*
 * A transaction failed outside any one operation (at commit, say, or in
 * preparing the statements): the worker waits WAIT_RECHECK_MS and tries
 * again.  The error is the last error until the worker streams again.
 */
void
worker_report_failed(WorkerState *ws, ErrorData *edata)
{
	const char *message = edata->message ? edata->message : "unknown error";
	char	   *reason = psprintf("a transaction failed: %s", message);

	if (worker_waiting(ws, reason) && ws->index == 0)
		ereport(LOG,
				(errcode(edata->sqlerrcode),
				 errmsg("oltp_sim is waiting: a transaction failed: %s", message),
				 edata->detail ? errdetail("%s", edata->detail) : 0,
				 errhint("The worker retries every %d s and says nothing more until the error changes.",
						 WAIT_RECHECK_MS / 1000)));
	LWLockAcquire(oltp_shared->status_lock, LW_EXCLUSIVE);
	strlcpy(oltp_shared->last_error, reason, sizeof(oltp_shared->last_error));
	oltp_shared->last_error_at = GetCurrentTimestamp();
	oltp_shared->last_error_waits = true;
	LWLockRelease(oltp_shared->status_lock);
	pfree(reason);
}

/*
 * The tables are there but empty (a new extension, say): the stream picks
 * its rows' parents from the seeded rows, so it waits for oltp_seed().
 */
void
worker_report_unseeded(WorkerState *ws, OltpTable empty)
{
	char	   *reason = psprintf("the tables of extension \"oltp_sim\" in schema \"%s\" are not seeded",
								  ws->schema.nspname);

	if (worker_waiting(ws, reason) && ws->index == 0)
		ereport(LOG,
				(errmsg("oltp_sim is waiting: the tables of extension \"oltp_sim\" in schema \"%s\" are not seeded",
						ws->schema.nspname),
				 errdetail("Table %s is empty; the stream's operations pick the patients, doctors and insurers their rows refer to.",
						   oltp_schema_qualify(&ws->schema, empty)),
				 errhint("Run SELECT oltp_seed(); in database \"%s\". The worker starts streaming by itself.",
						 ws->target.dbname)));
	pfree(reason);
}

/*
 * Errors of one operation: counted at once, kept as the last error, logged
 * at most every ERROR_LOG_INTERVAL_MS with the number left unlogged.
 * Returns true for an error that says the tables changed under the worker,
 * which is to look at them again.
 */
bool
worker_record_error(WorkerState *ws, int op, ErrorData *edata)
{
	TimestampTz now = GetCurrentTimestamp();
	const char *message = edata->message ? edata->message : "unknown error";
	bool		recheck = false;

	switch (edata->sqlerrcode)
	{
		case ERRCODE_UNDEFINED_TABLE:
		case ERRCODE_UNDEFINED_COLUMN:
		case ERRCODE_UNDEFINED_OBJECT:
		case ERRCODE_UNDEFINED_FUNCTION:
		case ERRCODE_AMBIGUOUS_FUNCTION:	/* another role's overload */
		case ERRCODE_DATATYPE_MISMATCH:
		case ERRCODE_WRONG_OBJECT_TYPE:
		case ERRCODE_INSUFFICIENT_PRIVILEGE:
			recheck = true;
			break;
		default:
			break;
	}

	pg_atomic_fetch_add_u64(&oltp_shared->ops[op].errors, 1);
	LWLockAcquire(oltp_shared->status_lock, LW_EXCLUSIVE);
	snprintf(oltp_shared->last_error, sizeof(oltp_shared->last_error), "%s: %s",
			 oltp_ops[op]->name, message);
	oltp_shared->last_error_at = now;
	/* the tables changed under it: the schema check says why it waits */
	oltp_shared->last_error_waits = recheck;
	LWLockRelease(oltp_shared->status_lock);

	if (TimestampDifferenceExceeds(ws->last_error_log, now, ERROR_LOG_INTERVAL_MS))
	{
		ereport(LOG,
				(errmsg("oltp_sim operation %s failed: %s", oltp_ops[op]->name, message),
				 ws->errors_unlogged > 0 ?
				 errdetail("%llu other failed operations were not logged in the last %d s.",
						   (unsigned long long) ws->errors_unlogged,
						   ERROR_LOG_INTERVAL_MS / 1000) : 0));
		ws->last_error_log = now;
		ws->errors_unlogged = 0;
	}
	else
		ws->errors_unlogged++;
	return recheck;
}

/*
 * The worker streams again after waiting: the error that made it wait, if
 * it is still the last one, is gone with its cause.
 */
void
worker_clear_error(void)
{
	LWLockAcquire(oltp_shared->status_lock, LW_EXCLUSIVE);
	if (oltp_shared->last_error_waits)
	{
		oltp_shared->last_error[0] = '\0';
		oltp_shared->last_error_at = 0;
		oltp_shared->last_error_waits = false;
	}
	LWLockRelease(oltp_shared->status_lock);
}

/*
 * An operation whose tables are not there (a set not added) is skipped;
 * each worker says so once per operation, naming the call that adds them,
 * until the tables come or go.
 */
void
worker_skip_missing(WorkerState *ws, int op)
{
	OltpTable	missing = OLTP_PACIENTES;
	bool		foreign;

	if (ws->said_missing[op])
		return;
	ws->said_missing[op] = true;
	(void) oltp_op_runnable(oltp_ops[op], &ws->schema, &missing);
	/* another role's table of the name: the set is not added all the same */
	foreign = OidIsValid(get_relname_relid(oltp_model[missing].name, ws->schema.nspoid));
	ereport(LOG,
			(errmsg("oltp_sim skips operation %s: table \"%s.%s\" %s",
					oltp_ops[op]->name, ws->schema.nspname, oltp_model[missing].name,
					foreign ? "is not the extension's" : "does not exist"),
			 errdetail("Table %s belongs to the set %s, which is not added%s",
					   oltp_model[missing].name, oltp_model[missing].set,
					   foreign ? "; the table of that name, another role's, is left alone." : "."),
			 errhint("%sSELECT oltp_add_tables('%s'); creates it, or set oltp_sim.weight_%s = 0.",
					 foreign ? "Rename or drop that table; then " : "",
					 oltp_model[missing].set, oltp_ops[op]->name)));
}

/*
 * Refresh this worker's line of oltp_status(): at once when the state
 * changes or when forced, otherwise at most every PUBLISH_INTERVAL_MS, so
 * a worker running flat out does not take the lock the others publish
 * under at every transaction.  A worker publishes (forced) before it
 * sleeps or blocks, so the schedule position oltp_status() reads then is
 * exact, and published_at is when it fell asleep; see there.
 */
void
worker_publish(WorkerState *ws, OltpWorkerState state, const char *detail,
			   double lag_ms, bool force)
{
	TimestampTz now = GetCurrentTimestamp();
	long		secs;
	int			usecs;
	bool		window_done;
	TimestampTz next_due;

	if (!force && state == ws->published &&
		!TimestampDifferenceExceeds(ws->last_publish, now, PUBLISH_INTERVAL_MS))
		return;
	ws->published = state;
	ws->last_publish = now;
	TimestampDifference(ws->window_start, now, &secs, &usecs);
	window_done = secs >= 1;
	/* flat out, or not streaming: no schedule to fall behind */
	next_due = ws->running &&
		(worker_scheduled() || oltp_sim_rate > 0 || oltp_sim_interval > 0 ||
		 oltp_sim_jitter > 0) ? ws->next_due : 0;

	LWLockAcquire(oltp_shared->status_lock, LW_EXCLUSIVE);
	ws->slot->state = state;
	strlcpy(ws->slot->detail, detail ? detail : "", sizeof(ws->slot->detail));
	ws->slot->lag_ms = lag_ms;
	ws->slot->published_at = now;
	ws->slot->next_due = next_due;
	ws->slot->rate_divisor = ws->rate_divisor;
	if (state != OLTP_STATE_RUNNING)
		ws->slot->ops_per_sec = 0;
	else if (window_done)
	{
		ws->slot->ops_per_sec = ws->window_ops / (secs + usecs / 1000000.0);
		ws->slot->window_start = ws->window_start;
		ws->slot->window_end = now;
	}
	LWLockRelease(oltp_shared->status_lock);

	if (window_done)
	{
		ws->window_start = now;
		ws->window_ops = 0;
	}
}
