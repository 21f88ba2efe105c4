/*-------------------------------------------------------------------------
 *
 * worker_report.c
 *		What a streaming worker tells its line of oltp_status() and the
 *		server log: why it waits, the errors of its operations, the
 *		operations it skips, and its state, lag and rate.
 *
 * The log hears of a problem once, however long it lasts, and of failed
 * operations at most every ERROR_LOG_INTERVAL_MS: a worker that repeats
 * itself thousands of times a second would drown the log it is meant to
 * explain.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "port/atomics.h"
#include "storage/spin.h"
#include "utils/elog.h"
#include "utils/errcodes.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

#include "model.h"
#include "oltp_sim.h"
#include "op.h"
#include "worker_state.h"

#define ERROR_LOG_INTERVAL_MS	10000

/* one LOG line per problem, however long it lasts */
void
worker_report_problem(WorkerState *ws, const OltpSchemaProblem *problem)
{
	oltp_slot_set_state(ws->slot, OLTP_STATE_WAITING, problem->message);
	ws->published = OLTP_STATE_WAITING;
	if (strcmp(ws->logged, problem->message) != 0)
	{
		/* an empty errdetail() would still print an empty DETAIL line */
		if (ws->index == 0)
			ereport(LOG,
					(errmsg("oltp_sim is waiting: %s", problem->message),
					 problem->detail[0] ? errdetail("%s", problem->detail) : 0,
					 problem->hint[0] ? errhint("%s", problem->hint) : 0));
		strlcpy(ws->logged, problem->message, sizeof(ws->logged));
	}
}

/* nothing to pick from: say so once and wait for a reload to bring weights */
void
worker_report_no_weights(WorkerState *ws)
{
	OltpSchemaProblem problem;

	memset(&problem, 0, sizeof(problem));
	strlcpy(problem.message, NO_WEIGHT_MESSAGE, sizeof(problem.message));
	snprintf(problem.detail, sizeof(problem.detail),
			 "An oltp_sim.weight_* left at -1 takes the weight of profile \"%s\" (oltp_sim.profile); no operation has a positive weight, so the stream has nothing to pick.",
			 oltp_profile_names[oltp_sim_profile]);
	strlcpy(problem.hint, "Give at least one operation a positive weight, or choose a profile that weights the operations left at -1, and reload; to pause the stream, use oltp_stop() or oltp_sim.enabled = off.",
			sizeof(problem.hint));
	worker_report_problem(ws, &problem);
}

/*
 * Errors of one operation: counted at once, kept as the last error, logged
 * at most every ERROR_LOG_INTERVAL_MS with the number left unlogged.
 */
void
worker_record_error(WorkerState *ws, int op, ErrorData *edata)
{
	TimestampTz now = GetCurrentTimestamp();

	pg_atomic_fetch_add_u64(&oltp_shared->ops[op].errors, 1);
	SpinLockAcquire(&oltp_shared->mutex);
	snprintf(oltp_shared->last_error, sizeof(oltp_shared->last_error), "%s: %s",
			 oltp_ops[op]->name, edata->message ? edata->message : "unknown error");
	oltp_shared->last_error_at = now;
	SpinLockRelease(&oltp_shared->mutex);

	switch (edata->sqlerrcode)
	{
		case ERRCODE_UNDEFINED_TABLE:
		case ERRCODE_UNDEFINED_COLUMN:
		case ERRCODE_UNDEFINED_OBJECT:
		case ERRCODE_UNDEFINED_FUNCTION:
		case ERRCODE_DATATYPE_MISMATCH:
		case ERRCODE_WRONG_OBJECT_TYPE:
		case ERRCODE_INSUFFICIENT_PRIVILEGE:
			worker_recheck_schema = true;
			break;
		default:
			break;
	}

	if (TimestampDifferenceExceeds(ws->last_error_log, now, ERROR_LOG_INTERVAL_MS))
	{
		ereport(LOG,
				(errmsg("oltp_sim operation %s failed: %s", oltp_ops[op]->name,
						edata->message ? edata->message : "unknown error"),
				 ws->errors_unlogged > 0 ?
				 errdetail("%llu other failed operations were not logged in the last %d s.",
						   (unsigned long long) ws->errors_unlogged,
						   ERROR_LOG_INTERVAL_MS / 1000) : 0));
		ws->last_error_log = now;
		ws->errors_unlogged = 0;
	}
	else
		ws->errors_unlogged++;
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
 * a worker running flat out does not bounce the shared cache line with the
 * others.  A worker publishes (forced) before it sleeps or blocks, so the
 * schedule position oltp_status() reads then is exact; see there.
 */
void
worker_publish(WorkerState *ws, OltpWorkerState state, const char *detail,
			   double lag_ms, bool force)
{
	TimestampTz now = GetCurrentTimestamp();
	long		secs;
	int			usecs;
	bool		window_done;

	if (!force && state == ws->published &&
		!TimestampDifferenceExceeds(ws->last_publish, now, PUBLISH_INTERVAL_MS))
		return;
	ws->published = state;
	ws->last_publish = now;
	TimestampDifference(ws->window_start, now, &secs, &usecs);
	window_done = secs >= 1;

	SpinLockAcquire(&oltp_shared->mutex);
	ws->slot->state = state;
	strlcpy(ws->slot->detail, detail ? detail : "", sizeof(ws->slot->detail));
	ws->slot->lag_ms = lag_ms;
	ws->slot->published_at = now;
	/* flat out, or not streaming: no schedule to fall behind */
	ws->slot->next_due = ws->running &&
		(worker_scheduled() || oltp_sim_rate > 0 || oltp_sim_interval > 0 ||
		 oltp_sim_jitter > 0) ? ws->next_due : 0;
	ws->slot->rate_divisor = ws->rate_divisor;
	if (state != OLTP_STATE_RUNNING)
		ws->slot->ops_per_sec = 0;
	else if (window_done)
		ws->slot->ops_per_sec = ws->window_ops / (secs + usecs / 1000000.0);
	SpinLockRelease(&oltp_shared->mutex);

	if (window_done)
	{
		ws->window_start = now;
		ws->window_ops = 0;
	}
}
