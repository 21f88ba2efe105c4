/*-------------------------------------------------------------------------
 *
 * worker.c
 *		The streaming workers the launcher (launcher.c) starts.
 *
 * A streaming worker connects to the database and runs the weighted
 * operations of op.c: one transaction per oltp_sim.ops_per_transaction
 * operations, a failure costing that operation only (each runs in its own
 * subtransaction when there are several).  It paces itself against
 * absolute time: the phases of oltp_sim.schedule, or oltp_sim.rate (both
 * shared by the workers), or oltp_sim.interval +/- jitter, catching up
 * after a stall.  When the
 * extension is missing or its tables no longer match, it says so once and
 * waits for them.
 *
 * oltp_status() reads what each worker publishes in its slot: the state
 * (with the table and process when it is blocked on a lock), the rate of
 * the last window and the schedule's position, from which it computes the
 * lag live, so a worker stuck in a statement still shows it falling behind.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_extension.h"
#include "commands/dbcommands.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "replication/message.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/lmgr.h"
#include "storage/lock.h"
#include "storage/proc.h"
#include "storage/sinval.h"
#include "tcop/tcopprot.h"
#include "utils/acl.h"
#include "utils/backend_status.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/guc.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/resowner.h"
#include "utils/snapmgr.h"
#include "utils/wait_event.h"

#include "ledger.h"
#include "oltp_sim.h"
#include "schedule.h"
#include "schema.h"
#include "worker.h"
#include "worker_state.h"
#include "xact.h"

#define PAUSED_POLL_MS			10000	/* oltp_start() sets the latch anyway */
#define MAX_SLEEP_MS			60000	/* WaitLatch's timeout is an int inside */



volatile bool worker_recheck_schema = true;
static WorkerState *worker_state;


static void
worker_detach(int code, Datum arg)
{
	OltpWorkerSlot *slot = &oltp_shared->workers[DatumGetInt32(arg)];

	SpinLockAcquire(&oltp_shared->mutex);
	slot->pid = 0;
	slot->latch = NULL;
	slot->state = OLTP_STATE_STOPPED;
	slot->detail[0] = '\0';
	slot->ops_per_sec = 0;
	slot->lag_ms = 0;
	slot->next_due = 0;
	slot->rate_divisor = 0;
	SpinLockRelease(&oltp_shared->mutex);
}

/*
 * Any invalidation of one of our tables (or of all) means: look again.  So
 * does one of a table we do not know while a set is not added: it may be
 * one of the set's, just created (the callback cannot read the catalog to
 * tell, and a look costs a few cache lookups).
 */
static void
worker_relcache_callback(Datum arg, Oid relid)
{
	bool		known = false;
	bool		all_present = true;

	if (!OidIsValid(relid) || worker_state == NULL || !worker_state->schema_ok)
	{
		worker_recheck_schema = true;
		return;
	}
	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		if (worker_state->schema.relids[t] == relid)
			known = true;
		if (!worker_state->schema.present[t])
			all_present = false;
	}
	if (known || !all_present)
		worker_recheck_schema = true;
}

/*
 * What a worker says when every weight is zero.  No check hook refuses that
 * (see op.c): the worker judges the whole set once it is applied, the same
 * at server start as on reload.
 */

static void
worker_apply_settings(WorkerState *ws)
{
	ws->total_weight = oltp_ops_cumulative(ws->cumulative);
	/* weights back: a later zero set is news again, worth a log line */
	if (ws->total_weight > 0 && strcmp(ws->logged, NO_WEIGHT_MESSAGE) == 0)
		ws->logged[0] = '\0';
	SpinLockAcquire(&oltp_shared->mutex);
	for (int i = 0; i < oltp_nops; i++)
		oltp_shared->weights[i] = oltp_ops_weight(i);
	SpinLockRelease(&oltp_shared->mutex);
	/* a new pace starts now rather than catching up under the old one */
	ws->next_due = 0;
	ws->next_log_at = ws->committed_total + (uint64) oltp_sim_log_every;
	SpinLockAcquire(&oltp_shared->mutex);
	ws->slot->settings_at = GetCurrentTimestamp();
	SpinLockRelease(&oltp_shared->mutex);
}

/*
 * The names of the database and role this worker is connected to.  The
 * launcher chose them from its own settings, which may not have taken a
 * reload yet when this worker, started after it, already has.
 */
static void
worker_read_target(WorkerState *ws)
{
	char	   *dbname;
	char	   *rolename = NULL;

	StartTransactionCommand();
	dbname = get_database_name(MyDatabaseId);
	if (OidIsValid(ws->target.roleoid))
		rolename = GetUserNameFromId(ws->target.roleoid, true);
	strlcpy(ws->target.dbname, dbname ? dbname : "", NAMEDATALEN);
	strlcpy(ws->target.rolename, rolename ? rolename : "", NAMEDATALEN);
	CommitTransactionCommand();
}

/* is the connection still the one oltp_sim.database and oltp_sim.role name */
static bool
worker_target_current(WorkerState *ws)
{
	return strcmp(oltp_sim_database, ws->target.dbname) == 0 &&
		strcmp(oltp_sim_role, ws->target.rolename) == 0;
}

/*
 * Leave, flagged so that the launcher starts this worker again at once (no
 * crash backoff), connected as the settings now say.
 */
static void
worker_exit_to_reconnect(WorkerState *ws)
{
	ereport(LOG,
			(errmsg("oltp_sim worker %d exits to reconnect: oltp_sim.database or oltp_sim.role changed",
					ws->index)));
	SpinLockAcquire(&oltp_shared->mutex);
	ws->slot->reconnecting = true;
	SpinLockRelease(&oltp_shared->mutex);
	proc_exit(0);
}

/*
 * Sleep until the timeout or the latch.  Like an idle backend, keep up with
 * the invalidation queue while asleep: a worker that fell behind would have
 * its caches reset and rebuild them all on its next operation.
 */
static void
worker_wait(int64 timeout_ms)
{
	(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
					 (long) Min(Max(timeout_ms, 1), MAX_SLEEP_MS), PG_WAIT_EXTENSION);
	ResetLatch(MyLatch);
	if (catchupInterruptPending)
		ProcessCatchupInterrupt();
}





/* how one operation ended, as the transaction counts it */
typedef enum WorkerOpOutcome
{
	WORKER_OP_DONE,				/* committed with the transaction */
	WORKER_OP_SKIPPED,			/* nothing to do, or a race it expects */
	WORKER_OP_FAILED			/* an error: counted and logged */
} WorkerOpOutcome;

/*
 * Run one operation (xact.c brackets it); *changes receives what it
 * changed when it succeeds, and *rolled_back says whether a failure took
 * back its changes.  An error whose SQLSTATE the operation declares (a
 * parent deleted under its insert, say) is counted as skipped: it is the
 * workload's own concurrency, not something to fix.
 */
static WorkerOpOutcome
worker_run_op(WorkerState *ws, int op, bool subxact, OltpChanges *changes,
			  bool *rolled_back)
{
	OltpOpResult result;
	ErrorData  *edata;
	WorkerOpOutcome outcome;

	edata = oltp_xact_run_op(subxact, ws->loop_cxt, op, &ws->plans, &ws->schema,
							 &ws->rng, GetSQLLocalTimestamp(-1), changes, &result);
	if (edata == NULL)
		return result == OLTP_OP_SKIPPED ? WORKER_OP_SKIPPED : WORKER_OP_DONE;
	*rolled_back = true;
	if (oltp_op_expects(oltp_ops[op], edata->sqlerrcode))
		outcome = WORKER_OP_SKIPPED;
	else
	{
		worker_record_error(ws, op, edata);
		outcome = WORKER_OP_FAILED;
	}
	FreeErrorData(edata);
	return outcome;
}

/*
 * Check the schema inside the current transaction; (re)prepare the
 * statements if the extension is new.  False if the worker must wait.
 */
static bool
worker_check_schema(WorkerState *ws)
{
	OltpSchemaProblem problem;

	worker_recheck_schema = false;
	if (!oltp_schema_lookup(&ws->schema, &problem))
	{
		ws->schema_ok = false;
		worker_report_problem(ws, &problem);
		return false;
	}
	if (!oltp_plans_current(&ws->plans, &ws->schema))
	{
		oltp_plans_prepare(&ws->plans, &ws->schema);
		/* tables came or went: a missing one is news again */
		memset(ws->said_missing, 0, sizeof(ws->said_missing));
	}
	ws->schema_ok = true;
	if (ws->logged[0] != '\0')
	{
		if (ws->index == 0)
			ereport(LOG,
					(errmsg("oltp_sim is streaming into database \"%s\", schema \"%s\"",
							ws->target.dbname, ws->schema.nspname)));
		ws->logged[0] = '\0';
	}
	return true;
}

/* how far behind the schedule the worker is now, in ms; 0 when ahead */
static double
worker_lag_ms(WorkerState *ws)
{
	TimestampTz now = GetCurrentTimestamp();

	return ws->next_due > 0 && now > ws->next_due ? (now - ws->next_due) / 1000.0 : 0;
}

/*
 * The process holding a lock that conflicts with mode on tag, for the
 * detail of a blocked worker; 0 when none holds one (the request then
 * queues behind another waiter).  Called only once a lock was not granted at
 * once, so the cost of reading the whole lock table does not matter.
 */
static int
worker_lock_holder(const LOCKTAG *tag, LOCKMODE mode)
{
	LockData   *locks = GetLockStatusData();

	for (int i = 0; i < locks->nelements; i++)
	{
		LockInstanceData *lock = &locks->locks[i];

		if (lock->pid == MyProcPid || memcmp(&lock->locktag, tag, sizeof(LOCKTAG)) != 0)
			continue;
		for (LOCKMODE m = 1; m <= MaxLockMode; m++)
			if ((lock->holdMask & LOCKBIT_ON(m)) && DoLockModesConflict(m, mode))
				return lock->pid;
	}
	return 0;
}

/* about to wait for a lock: say which and whose in oltp_status() first */
static void
worker_publish_blocked(WorkerState *ws, const LOCKTAG *tag, LOCKMODE mode,
					   const char *what)
{
	char		detail[256];
	int			pid = worker_lock_holder(tag, mode);

	if (pid != 0)
		snprintf(detail, sizeof(detail), "waiting for a lock on %s held by process %d", what, pid);
	else
		snprintf(detail, sizeof(detail), "waiting for a lock on %s behind another request", what);
	worker_publish(ws, OLTP_STATE_BLOCKED, detail, worker_lag_ms(ws), true);
}

/*
 * The extension first: DROP EXTENSION locks it before anything it drops
 * (the trigger function goes before the tables), so it waits for this
 * transaction instead of pulling the function from under an UPDATE.
 *
 * Each lock is tried without waiting first.  One that is not granted at
 * once (LOCK TABLE, a long ALTER, a reset) would leave oltp_status() saying
 * "running" for as long as it takes; instead the worker publishes that it
 * is blocked, and by whom, then waits.
 */
static void
worker_lock_tables(WorkerState *ws)
{
	bool		blocked = false;
	LOCKTAG		tag;

	/* LockDatabaseObject, tried first without waiting */
	SET_LOCKTAG_OBJECT(tag, MyDatabaseId, ExtensionRelationId, ws->schema.extoid, 0);
	if (LockAcquire(&tag, AccessShareLock, false, true) == LOCKACQUIRE_NOT_AVAIL)
	{
		worker_publish_blocked(ws, &tag, AccessShareLock, "extension \"oltp_sim\"");
		(void) LockAcquire(&tag, AccessShareLock, false, false);
		blocked = true;
	}
	AcceptInvalidationMessages();
	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		/* an opt-in set not added has nothing to lock */
		if (!ws->schema.present[t] ||
			ConditionalLockRelationOid(ws->schema.relids[t], RowExclusiveLock))
			continue;
		SET_LOCKTAG_RELATION(tag, MyDatabaseId, ws->schema.relids[t]);
		worker_publish_blocked(ws, &tag, RowExclusiveLock,
							   psprintf("table %s", oltp_schema_qualify(&ws->schema, t)));
		LockRelationOid(ws->schema.relids[t], RowExclusiveLock);
		blocked = true;
	}
	if (blocked)
		worker_publish(ws, OLTP_STATE_RUNNING, NULL, worker_lag_ms(ws), true);
}

/*
 * One transaction of ops_per_transaction operations.  Returns false when the
 * schema is not usable (the caller waits).
 */
static bool
worker_transaction(WorkerState *ws, double lag_ms)
{
	OltpTally	tally;
	bool		usable = true;
	bool		wrote_watermark = false;
	bool		subxact = oltp_sim_ops_per_transaction > 1;
	bool		aborted = false;
	int			nops = oltp_sim_ops_per_transaction;

	/* the last transaction before oltp_sim.max_ops stops exactly at it */
	if (oltp_sim_max_ops > 0)
		nops = (int) Min((uint64) nops, (uint64) oltp_sim_max_ops - ws->committed_total);

	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	SPI_connect();
	PushActiveSnapshot(GetTransactionSnapshot());

	/*
	 * Take the extension's and every table's lock up front, the tables in
	 * the order TRUNCATE (oltp_reset) takes them, so a reset or a DROP waits
	 * for this transaction instead of deadlocking with it halfway.  Taking
	 * them also brings in any DROP or ALTER committed since the last one.
	 */
	if (ws->schema_ok)
		worker_lock_tables(ws);
	AcceptInvalidationMessages();

	/*
	 * Checked again until no change came in while the locks were being
	 * taken: a trigger created between the check and the lock would
	 * otherwise run in this transaction unchecked.
	 */
	while (usable && (worker_recheck_schema || !ws->schema_ok))
	{
		usable = worker_check_schema(ws);
		if (usable)
			worker_lock_tables(ws);
	}

	memset(&tally, 0, sizeof(tally));
	for (int k = 0; usable && k < nops; k++)
	{
		int			op = oltp_ops_pick(&ws->rng, ws->cumulative, ws->total_weight);
		OltpChanges changes;
		WorkerOpOutcome outcome;
		bool		rolled_back = false;

		if (!oltp_plans_runnable(&ws->plans, op))
		{
			worker_skip_missing(ws, op);
			memset(&changes, 0, sizeof(changes));
			oltp_tally_op(&tally, op, false, &changes);
			continue;
		}
		pgstat_report_activity(STATE_RUNNING, oltp_plans_activity(&ws->plans, op));
		outcome = worker_run_op(ws, op, subxact, &changes, &rolled_back);

		/* without a subtransaction a rollback ended the transaction */
		aborted = rolled_back && !subxact;
		if (outcome == WORKER_OP_FAILED)
		{
			if (aborted || worker_recheck_schema)
				break;
			continue;
		}
		oltp_tally_op(&tally, op, outcome == WORKER_OP_DONE, &changes);
		if (aborted)
			break;
	}

	/* an aborted transaction ran one operation, which failed: nothing done */
	if (usable && !aborted)
		wrote_watermark = oltp_ledger_watermark(ws->slot, ws->index, &tally);

	if (!aborted)
	{
		SPI_finish();
		PopActiveSnapshot();
		CommitTransactionCommand();
	}
	/* flushes at most once a second, so pg_stat_user_tables follows closely */
	pgstat_report_stat(false);
	pgstat_report_activity(STATE_IDLE, NULL);

	/* counted once committed */
	oltp_ledger_count(ws->slot, &tally, !aborted, wrote_watermark);
	if (!aborted)
		oltp_changes_add(&ws->committed_rows, &tally.rows);
	if (usable)
		pg_atomic_fetch_add_u64(&oltp_shared->transactions, 1);
	ws->committed_total += tally.ndone;
	ws->window_ops += tally.ndone;
	if (oltp_sim_log_every > 0 && ws->committed_total >= ws->next_log_at)
	{
		oltp_ledger_log_summary(ws->index, ws->committed_total, &ws->committed_rows, lag_ms);
		ws->next_log_at = ws->committed_total + oltp_sim_log_every;
	}
	return usable;
}

/*
 * worker_transaction, with any error it lets through (at commit, say, or in
 * preparing the statements) turned into a wait: the transaction is aborted,
 * the error is said once and the statements are prepared again next time.
 * A worker that exited instead would be restarted into the same error.
 */
static bool
worker_transaction_guarded(WorkerState *ws, double lag_ms)
{
	MemoryContext cxt = CurrentMemoryContext;
	volatile bool ok = true;

	PG_TRY();
	{
		ok = worker_transaction(ws, lag_ms);
	}
	PG_CATCH();
	{
		ErrorData  *edata;
		OltpSchemaProblem problem;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		AbortCurrentTransaction();
		MemoryContextSwitchTo(cxt);
		pgstat_report_activity(STATE_IDLE, NULL);

		memset(&problem, 0, sizeof(problem));
		problem.sqlerrcode = edata->sqlerrcode;
		snprintf(problem.message, sizeof(problem.message), "a transaction failed: %s",
				 edata->message ? edata->message : "unknown error");
		strlcpy(problem.detail, edata->detail ? edata->detail : "", sizeof(problem.detail));
		snprintf(problem.hint, sizeof(problem.hint),
				 "The worker retries every %d s and says nothing more until the error changes.",
				 WAIT_RECHECK_MS / 1000);
		worker_report_problem(ws, &problem);
		SpinLockAcquire(&oltp_shared->mutex);
		strlcpy(oltp_shared->last_error, problem.message, sizeof(oltp_shared->last_error));
		oltp_shared->last_error_at = GetCurrentTimestamp();
		SpinLockRelease(&oltp_shared->mutex);
		FreeErrorData(edata);

		ws->schema_ok = false;
		ws->plans.extoid = InvalidOid;
		ok = false;
	}
	PG_END_TRY();
	return ok;
}





void
oltp_worker_main(Datum main_arg)
{
	WorkerState *ws;
	uint64		seed;

	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();

	ws = MemoryContextAllocZero(TopMemoryContext, sizeof(WorkerState));
	worker_state = ws;
	ws->index = DatumGetInt32(main_arg);
	{
		WorkerTargetOids oids;

		memcpy(&oids, MyBgworkerEntry->bgw_extra, sizeof(oids));
		ws->target.dboid = oids.dboid;
		ws->target.roleoid = oids.roleoid;
	}
	ws->slot = &oltp_shared->workers[ws->index];

	BackgroundWorkerInitializeConnectionByOid(ws->target.dboid, ws->target.roleoid, 0);
	worker_read_target(ws);
	if (!worker_target_current(ws))
		worker_exit_to_reconnect(ws);
	/*
	 * Whatever search_path the role or the database sets: a session value
	 * outranks theirs and a reload, and functions' own SET still apply.
	 */
	SetConfigOption("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION);

	SpinLockAcquire(&oltp_shared->mutex);
	ws->slot->pid = MyProcPid;
	ws->slot->latch = MyLatch;
	ws->slot->state = OLTP_STATE_STARTING;
	ws->slot->started_at = GetCurrentTimestamp();
	SpinLockRelease(&oltp_shared->mutex);
	before_shmem_exit(worker_detach, Int32GetDatum(ws->index));
	CacheRegisterRelcacheCallback(worker_relcache_callback, (Datum) 0);

	if (oltp_sim_seed != 0)
		seed = (uint64) oltp_sim_seed + (uint64) ws->index * UINT64CONST(0x9E3779B97F4A7C15);
	else if (!pg_strong_random(&seed, sizeof(seed)))
		seed = (uint64) GetCurrentTimestamp() ^ (uint64) MyProcPid;
	pg_prng_seed(&ws->rng, seed);

	ws->loop_cxt = AllocSetContextCreate(TopMemoryContext, "oltp_sim worker loop",
										 ALLOCSET_DEFAULT_SIZES);
	ws->window_start = GetCurrentTimestamp();
	worker_apply_settings(ws);

	for (;;)
	{
		TimestampTz now;
		double		lag_ms;

		MemoryContextReset(ws->loop_cxt);
		MemoryContextSwitchTo(ws->loop_cxt);
		CHECK_FOR_INTERRUPTS();

		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
			if (!worker_target_current(ws))
				worker_exit_to_reconnect(ws);
			worker_apply_settings(ws);
		}

		if (!oltp_run_wanted())
		{
			if (ws->running)
				pgstat_report_stat(true);
			ws->running = false;
			worker_publish(ws, OLTP_STATE_PAUSED, NULL, 0, false);
			worker_wait(PAUSED_POLL_MS);
			continue;
		}

		/* a reload sets the latch, so the poll interval only bounds a miss */
		if (ws->total_weight == 0)
		{
			ws->running = false;
			worker_report_no_weights(ws);
			worker_wait(PAUSED_POLL_MS);
			continue;
		}

		if (oltp_sim_max_ops > 0 && ws->committed_total >= (uint64) oltp_sim_max_ops)
		{
			if (ws->running)
				pgstat_report_stat(true);
			if (ws->published != OLTP_STATE_FINISHED)
				ereport(LOG,
						(errmsg("oltp_sim worker %d finished: " UINT64_FORMAT " operations committed, oltp_sim.max_ops is %d",
								ws->index, ws->committed_total, oltp_sim_max_ops)));
			ws->running = false;
			worker_publish(ws, OLTP_STATE_FINISHED,
						   psprintf("committed oltp_sim.max_ops = %d operations", oltp_sim_max_ops),
						   0, false);
			worker_wait(PAUSED_POLL_MS);
			continue;
		}

		now = GetCurrentTimestamp();
		if (!ws->running || ws->next_due == 0)
			ws->next_due = now;
		/* an idle phase is slept through: no transaction, no WAL at all */
		if (worker_scheduled())
			ws->next_due = oltp_schedule_resume(oltp_sim_schedule_parsed, ws->next_due, now);
		ws->running = true;
		if (now < ws->next_due)
		{
			/* about to sleep a while: leave no table statistics pending */
			if (ws->next_due - now >= USECS_PER_SEC)
				pgstat_report_stat(true);
			/* a long sleep leaves the schedule position exact in the slot */
			worker_publish(ws, OLTP_STATE_RUNNING, NULL, 0,
						   ws->next_due - now >= PUBLISH_INTERVAL_MS * 1000);
			/* a signal, a reload or oltp_stop() sets the latch: sleep till due */
			worker_wait((ws->next_due - now + 999) / 1000);
			continue;
		}
		lag_ms = (double) (now - ws->next_due) / 1000.0;

		if (!worker_transaction_guarded(ws, lag_ms))
		{
			ws->running = false;
			worker_wait(WAIT_RECHECK_MS);
			continue;
		}
		{
			TimestampTz due = worker_next_due(ws);

			/* flat out has no schedule to fall behind */
			ws->next_due = due != 0 ? due : GetCurrentTimestamp();
			if (due == 0)
				lag_ms = 0;
		}
		worker_publish(ws, OLTP_STATE_RUNNING, NULL, lag_ms, false);
	}
}
