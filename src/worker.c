/*-------------------------------------------------------------------------
 *
 * worker.c
 *		The streaming workers the launcher (launcher.c) starts.
 *
 * A streaming worker connects to the database and runs the weighted
 * operations of op.c: one transaction per oltp_sim.ops_per_transaction
 * operations, a failure costing that operation only (each runs in its own
 * subtransaction when there are several).  The transaction locks the
 * tables its operations touch before its first statement (xact.c).  An
 * operation that wants its transaction held open is handed over to a
 * process of its own (hold.c), and the stream goes on.  The worker paces
 * itself against absolute time: the phases of oltp_sim.schedule, or
 * oltp_sim.rate (both shared by the workers), or oltp_sim.interval +/-
 * jitter, catching up after a stall.  When the extension is missing, its
 * tables no longer match or are not seeded, it says so once and waits for
 * them.
 *
 * oltp_status() reads what each worker publishes in its slot: the state
 * (with the table and process when it is blocked on a lock), the rate of
 * the last window and the schedule's position, from which it computes the
 * lag live, so a worker stuck in a statement still shows it falling behind.
 * The state is published before a transaction starts, so it is true from
 * the first one on, however long that one takes.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/dbcommands.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "port/atomics.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/lwlock.h"
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
#include "utils/timestamp.h"
#include "utils/wait_event.h"

#include "guc.h"
#include "hold.h"
#include "ledger.h"
#include "model.h"
#include "schedule.h"
#include "schema.h"
#include "shmem.h"
#include "worker.h"
#include "worker_state.h"
#include "xact.h"

#define PAUSED_POLL_MS			10000	/* oltp_start() sets the latch anyway */
#define MAX_SLEEP_MS			60000	/* WaitLatch's timeout is an int inside */

/* set when the tables may have changed: the next transaction looks again */
static volatile bool worker_recheck_schema = true;
static WorkerState *worker_state;

static void
worker_detach(int code, Datum arg)
{
	OltpWorkerSlot *slot = &oltp_shared->workers[DatumGetInt32(arg)];

	LWLockAcquire(oltp_shared->status_lock, LW_EXCLUSIVE);
	slot->pid = 0;
	slot->latch = NULL;
	slot->state = OLTP_STATE_STOPPED;
	slot->detail[0] = '\0';
	slot->ops_per_sec = 0;
	slot->lag_ms = 0;
	slot->next_due = 0;
	slot->rate_divisor = 0;
	LWLockRelease(oltp_shared->status_lock);
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

/* the operations put off: op put back first, or last */
static void
worker_defer_push(WorkerState *ws, int op, TimestampTz at, bool first)
{
	int			i = first ? 0 : ws->ndeferred;

	Assert(ws->ndeferred < WORKER_MAX_DEFERRED);
	if (first)
		memmove(&ws->deferred[1], &ws->deferred[0], sizeof(ws->deferred[0]) * ws->ndeferred);
	ws->deferred[i].op = op;
	ws->deferred[i].at = at;
	ws->ndeferred++;
}

/* the oldest operation put off, taken from the others; since when */
static TimestampTz
worker_defer_pop(WorkerState *ws, int *op)
{
	TimestampTz at = ws->deferred[0].at;

	*op = ws->deferred[0].op;
	ws->ndeferred--;
	memmove(&ws->deferred[0], &ws->deferred[1], sizeof(ws->deferred[0]) * ws->ndeferred);
	return at;
}

/*
 * New settings: an operation put off whose weight is now 0 is not owed any
 * more; with more than one operation a transaction none is put off, and
 * the ones still waiting run as they come (worker_defer_locked)
 */
static void
worker_defer_settings(WorkerState *ws)
{
	int			n = 0;

	for (int i = 0; i < ws->ndeferred; i++)
		if (oltp_sim_ops_per_transaction == 1 && oltp_ops_weight(ws->deferred[i].op) != 0)
			ws->deferred[n++] = ws->deferred[i];
	ws->ndeferred = n;
}

/*
 * The settings just read.  No check hook refuses every weight at zero (see
 * op.c): the worker judges the whole set once it is applied, the same at
 * server start as on reload.
 */
static void
worker_apply_settings(WorkerState *ws)
{
	int			weights[OLTP_MAX_OPS] = {0};
	TimestampTz now = GetCurrentTimestamp();

	ws->total_weight = oltp_ops_cumulative(ws->cumulative);
	/* weights back: a later zero set is news again, worth a log line */
	if (ws->total_weight > 0 && strcmp(ws->logged, oltp_no_weight_reason) == 0)
		ws->logged[0] = '\0';
	for (int i = 0; i < oltp_nops; i++)
		weights[i] = oltp_ops_weight(i);
	/* a new pace starts now rather than catching up under the old one */
	ws->next_due = 0;
	worker_defer_settings(ws);
	/* the summary comes at each multiple of log_every, whatever it was */
	if (oltp_sim_log_every > 0)
		ws->next_log_at = (ws->committed_total / oltp_sim_log_every + 1) * oltp_sim_log_every;

	LWLockAcquire(oltp_shared->status_lock, LW_EXCLUSIVE);
	memcpy(oltp_shared->weights, weights, sizeof(weights));
	ws->slot->settings_at = now;
	LWLockRelease(oltp_shared->status_lock);
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
	LWLockAcquire(oltp_shared->status_lock, LW_EXCLUSIVE);
	ws->slot->reconnecting = true;
	LWLockRelease(oltp_shared->status_lock);
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

/*
 * The log summary, each time the operations committed since the worker
 * started reach a multiple of oltp_sim.log_every: after the transaction
 * (or the held one) that brings them there, so with several operations per
 * transaction the count may pass the multiple by up to
 * ops_per_transaction - 1.
 */
static void
worker_log_progress(WorkerState *ws, double lag_ms)
{
	if (oltp_sim_log_every <= 0 || ws->committed_total < ws->next_log_at)
		return;
	oltp_ledger_log_summary(ws->index, ws->committed_total, &ws->committed_rows, lag_ms);
	ws->next_log_at = (ws->committed_total / oltp_sim_log_every + 1) * oltp_sim_log_every;
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
		if (worker_record_error(ws, op, edata))
			worker_recheck_schema = true;
		outcome = WORKER_OP_FAILED;
	}
	FreeErrorData(edata);
	return outcome;
}

/*
 * Look the schema up inside the current transaction, before any table
 * lock: new tables (a new extension, a set added or dropped) are to be
 * prepared for, which locks them all (worker_transaction).  False if the
 * worker must wait.
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
	ws->plans_stale = !oltp_plans_current(&ws->plans, &ws->schema);
	ws->plans_partial = ws->plans_stale &&
		oltp_plans_stale_ops(&ws->plans, &ws->schema, ws->stale_ops);
	ws->schema_ok = true;
	return true;
}

/* the statements of every operation the tables allow, once they are locked */
static void
worker_prepare(WorkerState *ws)
{
	if (ws->plans_partial)
	{
		/* a set's tables changed: its operations' plans, the rest kept */
		oltp_plans_prepare_ops(&ws->plans, &ws->schema, ws->stale_ops);
		ws->plans_stale = false;
		memset(ws->said_missing, 0, sizeof(ws->said_missing));
		return;
	}
	oltp_plans_prepare(&ws->plans, &ws->schema);
	ws->plans_stale = false;
	/* tables came or went: a missing one is news again, and may be empty */
	memset(ws->said_missing, 0, sizeof(ws->said_missing));
	ws->seeded = false;
}

/*
 * Are the tables seeded: have the core tables that other core tables
 * reference (the patients, doctors and insurers every operation picks its
 * rows' parents from) rows?  A new extension has empty tables, into which
 * the stream would insert patients without doctors, and skip or fail the
 * rest.  Asked with the locks taken, and again only for new tables.
 */
static bool
worker_check_seeded(WorkerState *ws)
{
	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		bool		parent = false;
		bool		isnull;
		char	   *sql;

		if (strcmp(oltp_model[t].set, OLTP_SET_CORE) != 0)
			continue;
		for (int c = 0; c < OLTP_NTABLES && !parent; c++)
			for (int f = 0; f < OLTP_MAX_FKEYS && oltp_model[c].fkeys[f].column; f++)
				if (oltp_model[c].fkeys[f].references == t &&
					strcmp(oltp_model[c].set, OLTP_SET_CORE) == 0)
					parent = true;
		if (!parent)
			continue;
		sql = psprintf("SELECT EXISTS (SELECT FROM %s)", oltp_schema_qualify(&ws->schema, t));
		if (SPI_execute(sql, true, 0) != SPI_OK_SELECT || SPI_processed != 1)
			elog(ERROR, "could not look for rows in %s", oltp_model[t].name);
		if (!DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1,
										&isnull)))
		{
			worker_report_unseeded(ws, (OltpTable) t);
			return false;
		}
	}
	ws->seeded = true;
	return true;
}

/* how far behind the schedule the worker is now, in ms; 0 when ahead */
static double
worker_lag_ms(WorkerState *ws)
{
	TimestampTz now = GetCurrentTimestamp();

	return ws->next_due > 0 && now > ws->next_due ? (now - ws->next_due) / 1000.0 : 0;
}

/* what the transactions this worker handed over committed, once they end */
static void
worker_reap_holds(WorkerState *ws)
{
	uint64		ops = 0;

	oltp_hold_reap(&ws->holds, ws->index, &ops, &ws->committed_rows);
	ws->committed_total += ops;
	ws->window_ops += ops;
	worker_log_progress(ws, worker_lag_ms(ws));
}

/* xact.c's report of a lock not granted at once: blocked, and on what */
static void
worker_blocked(void *arg, const char *detail)
{
	WorkerState *ws = (WorkerState *) arg;

	worker_publish(ws, OLTP_STATE_BLOCKED, detail, worker_lag_ms(ws), true);
}

/* the transaction's locks; a wait for one is shown while it lasts */
static void
worker_lock(WorkerState *ws, const OltpLockSet *locks)
{
	if (oltp_xact_lock(&ws->schema, locks, worker_blocked, ws))
		worker_publish(ws, OLTP_STATE_RUNNING, NULL, worker_lag_ms(ws), true);
}

/*
 * The transaction can run: if the worker was waiting, it says it streams
 * again; its state is running before the first operation, however long
 * that one takes (an import, a wait in a statement).
 */
static void
worker_streaming(WorkerState *ws, double lag_ms)
{
	if (ws->logged[0] != '\0')
	{
		if (ws->index == 0)
			ereport(LOG,
					(errmsg("oltp_sim is streaming into database \"%s\", schema \"%s\"",
							ws->target.dbname, ws->schema.nspname)));
		ws->logged[0] = '\0';
		ws->resumed = true;
	}
	if (ws->published != OLTP_STATE_RUNNING)
		worker_publish(ws, OLTP_STATE_RUNNING, NULL, lag_ms, true);
}

/*
 * The transaction's one operation, ops[0], whose locks are in locks, put
 * off since *since (0: just picked): when another transaction holds (or
 * waits for) a table it needs, as a change of precos, a TRUNCATE or a
 * user's LOCK TABLE does, it is put off and another one picked, until one's
 * locks are all granted at once; the stream goes on with the other tables
 * instead of stopping behind the lock.  The ones put off come first again,
 * the oldest first, in the next transactions, so each still runs and the
 * mix keeps its weights.  For at most oltp_sim.lock_defer since the oldest
 * was put off, and WORKER_MAX_DEFERRED of them; nor behind an extension's
 * lock (being dropped or made again): then the operation in hand waits for
 * its locks as any other would (worker_lock), and the state says so.  True
 * when the locks are held.
 */
static bool
worker_defer_locked(WorkerState *ws, int *ops, OltpLockSet *locks, TimestampTz *since)
{
	OltpTable	table;

	for (;;)
	{
		TimestampTz now;
		TimestampTz oldest;

		switch (oltp_xact_try_lock(&ws->schema, locks, &table))
		{
			case OLTP_XACT_LOCKED:
				return true;
			case OLTP_XACT_EXTENSION_BUSY:
				return false;
			case OLTP_XACT_TABLE_BUSY:
				break;
		}
		now = GetCurrentTimestamp();
		oldest = *since != 0 ? *since : ws->ndeferred > 0 ? ws->deferred[0].at : now;
		if (oltp_sim_lock_defer == 0 || ws->ndeferred >= WORKER_MAX_DEFERRED ||
			TimestampDifferenceExceeds(oldest, now, oltp_sim_lock_defer))
			return false;
		/* one put off again keeps its place, first */
		worker_defer_push(ws, ops[0], *since != 0 ? *since : now, *since != 0);
		ops[0] = oltp_ops_pick(&ws->rng, ws->cumulative, ws->total_weight);
		*since = 0;
		memset(locks, 0, sizeof(*locks));
		if (!oltp_hold_wanted(ops[0]))
			oltp_lockset_add_op(locks, ops[0]);
	}
}

/*
 * One transaction of ops_per_transaction operations.  Returns false when the
 * schema is not usable (the caller waits).
 */
static bool
worker_transaction(WorkerState *ws, double lag_ms)
{
	OltpTally	tally;
	OltpLockSet locks;
	int		   *ops;
	bool		usable = true;
	bool		subxact = oltp_sim_ops_per_transaction > 1;
	bool		aborted = false;
	int			nops = oltp_sim_ops_per_transaction;
	TimestampTz deferred_since = 0; /* ops[0]'s, when it was put off */
	bool		locked = false;

	/*
	 * The last transaction before oltp_sim.max_ops stops exactly at it,
	 * counting the held transactions not yet ended as if they commit
	 */
	if (oltp_sim_max_ops > 0)
		nops = (int) Min((uint64) nops,
						 (uint64) oltp_sim_max_ops - ws->committed_total - ws->holds.out);

	/*
	 * The operations first, so the transaction can lock what they touch
	 * before its first statement; a handed over one touches nothing here.
	 */
	ops = palloc(sizeof(int) * Max(nops, 1));
	memset(&locks, 0, sizeof(locks));
	for (int k = 0; k < nops; k++)
	{
		if (k == 0 && ws->carrying)
		{
			ops[k] = ws->carried;
			ws->carrying = false;
		}
		else if (k == 0 && oltp_sim_ops_per_transaction == 1 && ws->ndeferred > 0)
			deferred_since = worker_defer_pop(ws, &ops[k]);	/* worker_defer_locked */
		else
			ops[k] = oltp_ops_pick(&ws->rng, ws->cumulative, ws->total_weight);

		/*
		 * An operation that rolls its transaction back, unless it is held
		 * (and rolled back) elsewhere, has the transaction to itself: it ends
		 * the list, and one picked after others begins the next.
		 */
		if (oltp_ops[ops[k]]->aborts && !oltp_hold_wanted(ops[k]) && k > 0)
		{
			ws->carried = ops[k];
			ws->carrying = true;
			nops = k;
			break;
		}
		if (!oltp_hold_wanted(ops[k]))
			oltp_lockset_add_op(&locks, ops[k]);
		if (oltp_ops[ops[k]]->aborts && !oltp_hold_wanted(ops[k]))
		{
			nops = 1;
			subxact = false;
			break;
		}
	}

	/*
	 * The schema first when it may have changed; then the locks, which
	 * bring in any DROP or ALTER committed since, and a second look if one
	 * came.  Preparing every statement, or looking for rows in the parent
	 * tables, touches every table: then every table is locked, still in
	 * the one order.
	 */
	oltp_xact_begin();
	if (worker_recheck_schema || !ws->schema_ok)
		usable = worker_check_schema(ws);
	/* the locks held already when the try took them all */
	if (usable && nops == 1 && oltp_sim_ops_per_transaction == 1 && ws->seeded && !ws->plans_stale)
		locked = worker_defer_locked(ws, ops, &locks, &deferred_since);
	for (int look = 1; usable; look++)
	{
		if (!ws->seeded || (ws->plans_stale && !ws->plans_partial))
			oltp_lockset_all(&locks);
		else if (ws->plans_stale)
		{
			/* what the operations to prepare again touch */
			for (int op = 0; op < oltp_nops; op++)
				if (ws->stale_ops[op])
					oltp_lockset_add_op(&locks, op);
		}
		if (!locked)
			worker_lock(ws, &locks);
		locked = false;
		AcceptInvalidationMessages();
		/* a change still coming after three looks: the next transaction */
		if (!worker_recheck_schema || look == 3)
			break;
		usable = worker_check_schema(ws);
	}
	if (usable && ws->plans_stale)
		worker_prepare(ws);
	if (usable && !ws->seeded)
		usable = worker_check_seeded(ws);
	if (usable)
		worker_streaming(ws, lag_ms);

	memset(&tally, 0, sizeof(tally));
	for (int k = 0; usable && k < nops; k++)
	{
		int			op = ops[k];
		OltpChanges changes;
		WorkerOpOutcome outcome;
		bool		rolled_back = false;

		memset(&changes, 0, sizeof(changes));
		if (!oltp_plans_runnable(&ws->plans, op))
		{
			worker_skip_missing(ws, op);
			oltp_tally_op(&tally, op, false, &changes);
			continue;
		}
		/* its transaction is held elsewhere, and counted there */
		if (oltp_hold_wanted(op))
		{
			if (!oltp_hold_hand_over(&ws->holds, ws->index, &ws->target, op,
									 pg_prng_uint64(&ws->rng)))
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
		if (outcome == WORKER_OP_DONE && oltp_ops[op]->aborts)
		{
			/* rolled back on purpose, once its changes were made */
			oltp_tally_aborted(&tally, op, &changes);
			oltp_xact_rollback();
			aborted = true;
			break;
		}
		oltp_tally_op(&tally, op, outcome == WORKER_OP_DONE, &changes);
		if (aborted)
			break;
	}

	/*
	 * An aborted transaction ran one operation, which failed or rolled it
	 * back on purpose: nothing done
	 */
	if (!aborted)
		oltp_xact_commit(ws->slot, ws->index, &tally,
						 pg_atomic_read_u32(&ws->slot->holds_active) > 0);
	else
		oltp_ledger_count(ws->slot, &tally, false, false);
	/* flushes at most once a second, so pg_stat_user_tables follows closely */
	pgstat_report_stat(false);
	pgstat_report_activity(STATE_IDLE, NULL);

	if (!aborted)
	{
		oltp_changes_add(&ws->committed_rows, &tally.rows);
		if (usable && ws->resumed)
		{
			worker_clear_error();
			ws->resumed = false;
		}
	}
	if (usable)
		pg_atomic_fetch_add_u64(&oltp_shared->transactions, 1);
	ws->committed_total += tally.ndone;
	ws->window_ops += tally.ndone;
	worker_log_progress(ws, lag_ms);
	/* an operation put off and not run: still owed, first */
	if (!usable && deferred_since != 0 && ws->ndeferred < WORKER_MAX_DEFERRED)
		worker_defer_push(ws, ops[0], deferred_since, true);
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

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		AbortCurrentTransaction();
		MemoryContextSwitchTo(cxt);
		pgstat_report_activity(STATE_IDLE, NULL);

		worker_report_failed(ws, edata);
		FreeErrorData(edata);

		ws->schema_ok = false;
		ws->plans.extoid = InvalidOid;
		ok = false;
	}
	PG_END_TRY();
	return ok;
}

/*
 * oltp_sim.max_ops reached, or about to be by the transactions held open:
 * true when the worker must not start another transaction now.
 */
static bool
worker_at_max_ops(WorkerState *ws)
{
	if (oltp_sim_max_ops <= 0 ||
		ws->committed_total + ws->holds.out < (uint64) oltp_sim_max_ops)
		return false;
	if (ws->running)
		pgstat_report_stat(true);
	ws->running = false;
	/* the held transactions decide: their ends set the latch */
	if (ws->committed_total < (uint64) oltp_sim_max_ops)
	{
		worker_publish(ws, OLTP_STATE_RUNNING, NULL, 0, false);
		return true;
	}
	if (ws->published != OLTP_STATE_FINISHED)
		ereport(LOG,
				(errmsg("oltp_sim worker %d finished: " UINT64_FORMAT " operations committed, oltp_sim.max_ops is %d",
						ws->index, ws->committed_total, oltp_sim_max_ops)));
	worker_publish(ws, OLTP_STATE_FINISHED,
				   psprintf("committed oltp_sim.max_ops = %d operations", oltp_sim_max_ops),
				   0, false);
	return true;
}

void
oltp_worker_main(Datum main_arg)
{
	WorkerState *ws;
	uint64		seed;
	WorkerTargetOids oids;

	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();

	ws = MemoryContextAllocZero(TopMemoryContext, sizeof(WorkerState));
	worker_state = ws;
	ws->index = DatumGetInt32(main_arg);
	memcpy(&oids, MyBgworkerEntry->bgw_extra, sizeof(oids));
	ws->target.dboid = oids.dboid;
	ws->target.roleoid = oids.roleoid;
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

	LWLockAcquire(oltp_shared->status_lock, LW_EXCLUSIVE);
	ws->slot->pid = MyProcPid;
	ws->slot->latch = MyLatch;
	ws->slot->state = OLTP_STATE_STARTING;
	ws->slot->started_at = GetCurrentTimestamp();
	LWLockRelease(oltp_shared->status_lock);
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
		TimestampTz due;
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
		worker_reap_holds(ws);

		/*
		 * Paused once the transactions it handed over have ended: the stop
		 * woke them, and each commits at once and sets this latch as it ends
		 */
		if (!oltp_run_wanted())
		{
			if (ws->running)
				pgstat_report_stat(true);
			ws->running = false;
			worker_publish(ws, ws->holds.out > 0 ? OLTP_STATE_RUNNING : OLTP_STATE_PAUSED,
						   NULL, 0, false);
			worker_wait(ws->holds.out > 0 ? WAIT_RECHECK_MS : PAUSED_POLL_MS);
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

		if (worker_at_max_ops(ws))
		{
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

		/* flat out has no schedule to fall behind */
		due = worker_next_due(ws);
		ws->next_due = due != 0 ? due : GetCurrentTimestamp();
		if (due == 0)
			lag_ms = 0;
		worker_publish(ws, OLTP_STATE_RUNNING, NULL, lag_ms, false);
	}
}
