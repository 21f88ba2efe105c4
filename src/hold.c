/*-------------------------------------------------------------------------
 *
 * hold.c
 *		Transactions held open on a process of their own: the hand-over
 *		from a streaming worker, the process ("oltp_sim hold") that runs the
 *		operation, keeps its transaction open and commits it, and what the
 *		worker learns back.
 *
 * An operation may want its transaction kept open once its changes are
 * made (OltpOpDef.hold: long_transaction, for oltp_sim.long_transaction).
 * Held by the worker that picked it, that transaction would stop the
 * worker's share of the stream for as long: a process has one
 * transaction at a time.  So the worker hands the operation over to a
 * dynamic background worker and goes on.  That process connects as the
 * worker did, runs the operation from a seed the worker drew (so a fixed
 * oltp_sim.seed still fixes its choices), waits on its latch until the
 * hold is over or the stream is stopped (oltp_stop() sets the latch), and
 * commits; an operation that aborts (OltpOpDef.aborts, held for
 * oltp_sim.abort_hold) is rolled back instead, and counted as aborted.
 * What it commits counts as its worker's, in the worker's slot
 * and its watermarks (under the slot's commit lock, xact.c), and only
 * once it commits: a hold that is terminated or fails counts nothing.
 * CALL oltp_run does not hand over: it commits at once, on its own clock.
 *
 * Each hold takes a background worker slot for as long as it lasts, so
 * they are bounded: at most oltp_sim.max_held_transactions at once (and
 * OLTP_MAX_HOLDS).  An operation that finds no slot free, or no background
 * worker slot, is skipped, and its worker says so once, and again only if
 * the cause or the bound changes.
 *
 * The worker that handed a slot over (or the next process of its worker
 * slot) frees it once its process has ended, and learns then whether it
 * committed, for oltp_sim.max_ops and its log summary.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "port/atomics.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/lwlock.h"
#include "tcop/tcopprot.h"
#include "utils/backend_status.h"
#include "utils/date.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/wait_event.h"

#include "compat.h"
#include "guc.h"
#include "hold.h"
#include "ledger.h"
#include "op.h"
#include "schema.h"
#include "shmem.h"
#include "xact.h"

/* does operation op want its transaction held, with the settings now? */
bool
oltp_hold_wanted(int op)
{
	const int  *ms = oltp_ops[op]->hold;

	return ms != NULL && *ms > 0;
}

const char *
oltp_hold_state_name(OltpHoldState state)
{
	switch (state)
	{
		case OLTP_HOLD_FREE:
			return "free";
		case OLTP_HOLD_STARTING:
			return "starting";
		case OLTP_HOLD_RUNNING:
			return "running";
		case OLTP_HOLD_BLOCKED:
			return "blocked";
		case OLTP_HOLD_HOLDING:
			return "holding";
		case OLTP_HOLD_DONE:
			return "done";
	}
	return "unknown";
}

/* ---------------------------------------------------------------------------
 * The worker's side
 * ---------------------------------------------------------------------------
 */

/*
 * No slot for operation op: said once by each worker, and again only when
 * the cause or the bound changes.
 */
static void
hold_say_full(OltpHolds *holds, int op, int used, bool no_bgworker)
{
	int			said = no_bgworker ? -1 : 1 + oltp_sim_max_held_transactions;

	if (holds->said_full == said)
		return;
	holds->said_full = said;
	if (no_bgworker)
		ereport(LOG,
				(errmsg("oltp_sim skips operation %s: no background worker slot is free to hold its transaction",
						oltp_ops[op]->name),
				 errdetail("A held transaction runs in a background worker of its own; %d are held now. The operation is skipped whenever this happens; this worker says so again only if the cause changes.",
						   used),
				 errhint("Raise max_worker_processes and restart the server, or lower oltp_sim.max_held_transactions or oltp_sim.long_transaction.")));
	else
		ereport(LOG,
				(errmsg("oltp_sim skips operation %s: no slot is free to hold its transaction",
						oltp_ops[op]->name),
				 errdetail("%d transactions are held open, and oltp_sim.max_held_transactions is %d. The operation is skipped whenever this happens; this worker says so again only if the setting or the cause changes.",
						   used, oltp_sim_max_held_transactions),
				 errhint("Raise oltp_sim.max_held_transactions (at most %d; each held transaction takes a max_worker_processes slot), or shorten oltp_sim.long_transaction.",
						 OLTP_MAX_HOLDS)));
}

/*
 * Hand operation op over to a hold process of its own, its random choices
 * seeded with seed.  False when no slot is free (op is then skipped).
 */
bool
oltp_hold_hand_over(OltpHolds *holds, int worker, const WorkerTarget *target, int op,
					uint64 seed)
{
	OltpWorkerSlot *wslot = &oltp_shared->workers[worker];
	BackgroundWorker bgw;
	WorkerTargetOids oids = {target->dboid, target->roleoid};
	MemoryContext oldcxt;
	bool		registered;
	int			slot = -1;
	int			used = 0;

	LWLockAcquire(oltp_shared->status_lock, LW_EXCLUSIVE);
	for (int i = 0; i < OLTP_MAX_HOLDS; i++)
	{
		if (oltp_shared->holds[i].state != OLTP_HOLD_FREE)
			used++;
		else if (slot < 0)
			slot = i;
	}
	if (used >= oltp_sim_max_held_transactions)
		slot = -1;
	if (slot >= 0)
	{
		OltpHoldSlot *hs = &oltp_shared->holds[slot];

		memset(hs, 0, sizeof(*hs));
		hs->state = OLTP_HOLD_STARTING;
		hs->worker = worker;
		hs->owner_pid = MyProcPid;
		hs->op = op;
		hs->seed = seed;
		hs->handed_at = GetCurrentTimestamp();
		pg_atomic_fetch_add_u32(&wslot->holds_active, 1);
	}
	LWLockRelease(oltp_shared->status_lock);
	if (slot < 0)
	{
		hold_say_full(holds, op, used, false);
		return false;
	}

	memset(&bgw, 0, sizeof(bgw));
	bgw.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	bgw.bgw_start_time = BgWorkerStart_RecoveryFinished;
	bgw.bgw_restart_time = BGW_NEVER_RESTART;
	strlcpy(bgw.bgw_library_name, "oltp_sim", BGW_MAXLEN);
	strlcpy(bgw.bgw_function_name, "oltp_hold_main", BGW_MAXLEN);
	snprintf(bgw.bgw_name, BGW_MAXLEN, "oltp_sim hold %d of worker %d", slot, worker);
	strlcpy(bgw.bgw_type, "oltp_sim hold", BGW_MAXLEN);
	bgw.bgw_main_arg = Int32GetDatum(slot);
	/* its exit sets this worker's latch: the slot is freed promptly */
	bgw.bgw_notify_pid = MyProcPid;
	memcpy(bgw.bgw_extra, &oids, sizeof(oids));

	/* the handle outlives the transaction the worker is in */
	oldcxt = MemoryContextSwitchTo(TopMemoryContext);
	registered = RegisterDynamicBackgroundWorker(&bgw, &holds->handles[slot]);
	MemoryContextSwitchTo(oldcxt);
	if (!registered)
	{
		holds->handles[slot] = NULL;
		LWLockAcquire(oltp_shared->status_lock, LW_EXCLUSIVE);
		oltp_shared->holds[slot].state = OLTP_HOLD_FREE;
		pg_atomic_fetch_sub_u32(&wslot->holds_active, 1);
		LWLockRelease(oltp_shared->status_lock);
		hold_say_full(holds, op, used, true);
		return false;
	}
	holds->out++;
	return true;
}

/*
 * Free the hold slots of worker whose process has ended; add to *ops and
 * *rows what those this process handed over committed.  A slot still
 * starting whose process has stopped never ran (it could not start): it
 * committed nothing.
 */
void
oltp_hold_reap(OltpHolds *holds, int worker, uint64 *ops, OltpChanges *rows)
{
	OltpWorkerSlot *wslot = &oltp_shared->workers[worker];
	bool		stopped[OLTP_MAX_HOLDS] = {0};

	if (pg_atomic_read_u32(&wslot->holds_active) == 0)
		return;
	for (int i = 0; i < OLTP_MAX_HOLDS; i++)
	{
		pid_t		pid;

		if (holds->handles[i] != NULL &&
			GetBackgroundWorkerPid(holds->handles[i], &pid) == BGWH_STOPPED)
			stopped[i] = true;
	}

	LWLockAcquire(oltp_shared->status_lock, LW_EXCLUSIVE);
	for (int i = 0; i < OLTP_MAX_HOLDS; i++)
	{
		OltpHoldSlot *hs = &oltp_shared->holds[i];

		if (hs->state == OLTP_HOLD_FREE || hs->worker != worker)
			continue;
		if (hs->state == OLTP_HOLD_STARTING && stopped[i] && hs->owner_pid == MyProcPid)
			hs->state = OLTP_HOLD_DONE;
		if (hs->state != OLTP_HOLD_DONE)
			continue;
		if (hs->owner_pid == MyProcPid)
		{
			if (hs->committed)
			{
				*ops += 1;
				oltp_changes_add(rows, &hs->changes);
			}
			holds->out--;
			/* its handle is of no more use, its process gone or going */
			stopped[i] = true;
		}
		hs->state = OLTP_HOLD_FREE;
		pg_atomic_fetch_sub_u32(&wslot->holds_active, 1);
	}
	LWLockRelease(oltp_shared->status_lock);

	for (int i = 0; i < OLTP_MAX_HOLDS; i++)
		if (holds->handles[i] != NULL && stopped[i])
		{
			pfree(holds->handles[i]);
			holds->handles[i] = NULL;
		}
}

/* ---------------------------------------------------------------------------
 * The hold process
 * ---------------------------------------------------------------------------
 */

/* the slot is done, whatever ended the process; its worker is woken */
static void
hold_detach(int code, Datum arg)
{
	OltpHoldSlot *hs = &oltp_shared->holds[DatumGetInt32(arg)];

	LWLockAcquire(oltp_shared->status_lock, LW_EXCLUSIVE);
	hs->state = OLTP_HOLD_DONE;
	hs->pid = 0;
	hs->latch = NULL;
	if (oltp_shared->workers[hs->worker].pid == hs->owner_pid &&
		oltp_shared->workers[hs->worker].latch != NULL)
		SetLatch(oltp_shared->workers[hs->worker].latch);
	LWLockRelease(oltp_shared->status_lock);
}

static void
hold_set_state(OltpHoldSlot *hs, OltpHoldState state, const char *detail)
{
	LWLockAcquire(oltp_shared->status_lock, LW_EXCLUSIVE);
	hs->state = state;
	strlcpy(hs->detail, detail ? detail : "", sizeof(hs->detail));
	LWLockRelease(oltp_shared->status_lock);
}

/* xact.c's report of a lock not granted at once */
static void
hold_blocked(void *arg, const char *detail)
{
	hold_set_state((OltpHoldSlot *) arg, OLTP_HOLD_BLOCKED, detail);
}

/* an error of the operation, unexpected: counted, kept as the last, logged */
static void
hold_record_error(int op, ErrorData *edata)
{
	const char *message = edata->message ? edata->message : "unknown error";

	pg_atomic_fetch_add_u64(&oltp_shared->ops[op].errors, 1);
	LWLockAcquire(oltp_shared->status_lock, LW_EXCLUSIVE);
	snprintf(oltp_shared->last_error, sizeof(oltp_shared->last_error), "%s: %s",
			 oltp_ops[op]->name, message);
	oltp_shared->last_error_at = GetCurrentTimestamp();
	oltp_shared->last_error_waits = false;
	LWLockRelease(oltp_shared->status_lock);
	ereport(LOG,
			(errmsg("oltp_sim operation %s failed: %s", oltp_ops[op]->name, message)));
}

/*
 * The hold: on the latch until ms have passed or the stream is stopped (a
 * reload that turns oltp_sim.enabled off stops it too).  An interrupt
 * (pg_terminate_backend, a shutdown) ends the process and rolls the
 * transaction back.
 */
static void
hold_wait(OltpHoldSlot *hs, int ms)
{
	TimestampTz since = GetCurrentTimestamp();
	TimestampTz until = TimestampTzPlusMilliseconds(since, ms);

	LWLockAcquire(oltp_shared->status_lock, LW_EXCLUSIVE);
	hs->state = OLTP_HOLD_HOLDING;
	hs->since = since;
	hs->until = until;
	LWLockRelease(oltp_shared->status_lock);

	for (;;)
	{
		long		remaining;

		CHECK_FOR_INTERRUPTS();
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
		}
		if (!oltp_run_wanted())
			break;
		remaining = TimestampDifferenceMilliseconds(GetCurrentTimestamp(), until);
		if (remaining <= 0)
			break;
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 remaining, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
	}
}

/*
 * Run operation op in a transaction of this process, hold it, commit it
 * (or roll it back, for an operation that aborts) and count it as
 * worker's.  Anything that keeps it from running (the
 * tables changed, its set dropped since the hand-over) skips it: its
 * worker finds the same and says why.
 */
static void
hold_run(OltpHoldSlot *hs, int worker, int op, pg_prng_state *rng)
{
	OltpWorkerSlot *wslot = &oltp_shared->workers[worker];
	MemoryContext cxt = CurrentMemoryContext;
	OltpSchema	schema;
	OltpSchemaProblem problem;
	OltpPlans	plans;
	OltpLockSet locks;
	OltpTally	tally;
	OltpChanges changes;
	OltpOpResult result;
	ErrorData  *edata;

	oltp_xact_begin();
	memset(&plans, 0, sizeof(plans));
	if (oltp_schema_lookup(&schema, &problem))
	{
		memset(&locks, 0, sizeof(locks));
		oltp_lockset_add_op(&locks, op);
		(void) oltp_xact_lock(&schema, &locks, hold_blocked, hs);
		oltp_plans_prepare_op(&plans, &schema, op);
	}
	if (!oltp_plans_runnable(&plans, op))
	{
		pg_atomic_fetch_add_u64(&oltp_shared->ops[op].skipped, 1);
		AbortCurrentTransaction();
		return;
	}
	hold_set_state(hs, OLTP_HOLD_RUNNING, NULL);

	pgstat_report_activity(STATE_RUNNING, oltp_plans_activity(&plans, op));
	edata = oltp_xact_run_op(false, cxt, op, &plans, &schema, rng, GetSQLLocalTimestamp(-1),
							 &changes, &result);
	pg_atomic_fetch_add_u64(&oltp_shared->transactions, 1);
	if (edata != NULL)
	{
		if (oltp_op_expects(oltp_ops[op], edata->sqlerrcode))
			pg_atomic_fetch_add_u64(&oltp_shared->ops[op].skipped, 1);
		else
			hold_record_error(op, edata);
		pgstat_report_activity(STATE_IDLE, NULL);
		return;
	}

	memset(&tally, 0, sizeof(tally));
	/* nothing done (no patient to pick): nothing to hold */
	if (result == OLTP_OP_DONE)
		hold_wait(hs, *oltp_ops[op]->hold);
	if (result == OLTP_OP_DONE && oltp_ops[op]->aborts)
	{
		/* held, then rolled back on purpose: nothing committed */
		oltp_tally_aborted(&tally, op, &changes);
		oltp_xact_rollback();
		oltp_ledger_count(wslot, &tally, false, false);
	}
	else
	{
		oltp_tally_op(&tally, op, result == OLTP_OP_DONE, &changes);
		oltp_xact_commit(wslot, worker, &tally, true);
	}
	pgstat_report_stat(true);
	pgstat_report_activity(STATE_IDLE, NULL);

	LWLockAcquire(oltp_shared->status_lock, LW_EXCLUSIVE);
	hs->committed = tally.ndone > 0;
	hs->changes = tally.rows;
	LWLockRelease(oltp_shared->status_lock);
}

void
oltp_hold_main(Datum main_arg)
{
	int			index = DatumGetInt32(main_arg);
	OltpHoldSlot *hs = &oltp_shared->holds[index];
	WorkerTargetOids oids;
	pg_prng_state rng;
	int			worker;
	int			op;

	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	before_shmem_exit(hold_detach, main_arg);

	memcpy(&oids, MyBgworkerEntry->bgw_extra, sizeof(oids));
	BackgroundWorkerInitializeConnectionByOid(oids.dboid, oids.roleoid, 0);
	/* as the worker: a session value outranks the role's and database's */
	SetConfigOption("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION);

	LWLockAcquire(oltp_shared->status_lock, LW_EXCLUSIVE);
	hs->pid = MyProcPid;
	hs->latch = MyLatch;
	hs->state = OLTP_HOLD_RUNNING;
	worker = hs->worker;
	op = hs->op;
	pg_prng_seed(&rng, hs->seed);
	LWLockRelease(oltp_shared->status_lock);

	hold_run(hs, worker, op, &rng);
	proc_exit(0);
}
