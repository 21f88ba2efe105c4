/*-------------------------------------------------------------------------
 *
 * launcher.c
 *		The launcher: a background worker registered when the library is
 *		preloaded, which starts and restarts the streaming workers.
 *
 * The launcher connects to no database.  It checks that oltp_sim.database
 * and oltp_sim.role exist and that the role may connect to the database
 * (saying once in the log when not, then waiting), and keeps
 * oltp_sim.workers streaming workers running, restarting one that exits
 * after a delay that grows while it keeps failing.  A missing database or
 * role, or a role without CONNECT, therefore costs one log line, never a
 * restart loop.  A worker that exits on purpose, to reconnect after
 * oltp_sim.database or oltp_sim.role changed, is started again at once.
 *
 * Workers that find no free background worker slot are tried again
 * quietly; the launcher says how many are missing once, and again only
 * when that number changes.  It keeps the number running in shared memory,
 * since oltp_sim.rate is shared among the workers that actually run.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_authid.h"
#include "catalog/pg_database.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/lwlock.h"
#include "tcop/tcopprot.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/wait_event.h"

#include "compat.h"
#include "guc.h"
#include "launcher.h"
#include "shmem.h"
#include "worker_target.h"

#define LAUNCHER_POLL_MS		1000
#define RESTART_MIN_MS			1000
#define RESTART_MAX_MS			60000
#define HEALTHY_RUN_MS			10000	/* a worker that ran this long restarts fast */

void
oltp_register_launcher(void)
{
	BackgroundWorker worker;

	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = 10;
	strlcpy(worker.bgw_library_name, "oltp_sim", BGW_MAXLEN);
	strlcpy(worker.bgw_function_name, "oltp_launcher_main", BGW_MAXLEN);
	strlcpy(worker.bgw_name, "oltp_sim launcher", BGW_MAXLEN);
	strlcpy(worker.bgw_type, "oltp_sim launcher", BGW_MAXLEN);
	RegisterBackgroundWorker(&worker);
}

static void
launcher_detach(int code, Datum arg)
{
	LWLockAcquire(oltp_shared->status_lock, LW_EXCLUSIVE);
	oltp_shared->launcher.pid = 0;
	oltp_shared->launcher.latch = NULL;
	oltp_shared->launcher.state = OLTP_STATE_STOPPED;
	oltp_shared->launcher.detail[0] = '\0';
	LWLockRelease(oltp_shared->status_lock);
}

/*
 * Find a row of a shared catalog by name with a plain heap scan: with no
 * database selected, only the shared catalogs themselves can be read, not
 * their indexes.  Returns a copy of the tuple, or NULL.
 */
static HeapTuple
launcher_find_shared(Oid catalog, AttrNumber name_attr, const char *name)
{
	Relation	rel = table_open(catalog, AccessShareLock);
	TableScanDesc scan = table_beginscan_catalog(rel, 0, NULL);
	HeapTuple	tuple;
	HeapTuple	result = NULL;

	while ((tuple = heap_getnext(scan, ForwardScanDirection)) != NULL)
	{
		bool		isnull;
		Datum		d = heap_getattr(tuple, name_attr, RelationGetDescr(rel), &isnull);

		if (!isnull && strcmp(NameStr(*DatumGetName(d)), name) == 0)
		{
			result = heap_copytuple(tuple);
			break;
		}
	}
	table_endscan(scan);
	table_close(rel, AccessShareLock);
	return result;
}

/*
 * Resolve oltp_sim.database and oltp_sim.role, and check what the worker's
 * connection would check, raising the error it would raise.  Called inside
 * a transaction by launcher_resolve.
 */
static void
launcher_check_target(WorkerTarget *target)
{
	HeapTuple	tuple;
	Form_pg_authid role;

	tuple = launcher_find_shared(DatabaseRelationId, Anum_pg_database_datname,
								 target->dbname);
	if (tuple == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_DATABASE),
				 errmsg("database \"%s\" does not exist", target->dbname),
				 errhint("Create it, or set oltp_sim.database to an existing database and reload.")));
	target->dboid = ((Form_pg_database) GETSTRUCT(tuple))->oid;
	if (!((Form_pg_database) GETSTRUCT(tuple))->datallowconn)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("database \"%s\" does not allow connections", target->dbname),
				 errhint("Set oltp_sim.database to another database and reload.")));

	/* the bootstrap superuser (empty oltp_sim.role) needs no check */
	if (target->rolename[0] == '\0')
		return;
	tuple = launcher_find_shared(AuthIdRelationId, Anum_pg_authid_rolname,
								 target->rolename);
	if (tuple == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("role \"%s\" does not exist", target->rolename),
				 errhint("Create it (with LOGIN), or set oltp_sim.role to an existing role and reload.")));
	role = (Form_pg_authid) GETSTRUCT(tuple);
	target->roleoid = role->oid;
	if (!role->rolcanlogin)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION),
				 errmsg("role \"%s\" is not permitted to log in", target->rolename),
				 errhint("Run ALTER ROLE %s LOGIN;, or set oltp_sim.role to another role and reload.",
						 quote_identifier(target->rolename))));

	/*
	 * The shared catalogs the check reads (pg_database, pg_authid,
	 * pg_auth_members) are readable without a database.
	 */
	if (oltp_database_aclcheck(target->dboid, target->roleoid, ACL_CONNECT) != ACLCHECK_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("role \"%s\" has no CONNECT privilege on database \"%s\"",
						target->rolename, target->dbname),
				 errhint("Run GRANT CONNECT ON DATABASE %s TO %s;, or set oltp_sim.role to another role and reload.",
						 quote_identifier(target->dbname), quote_identifier(target->rolename))));
}

/*
 * Fill *target from the settings; NULL when a worker can connect with it,
 * else the error its connection would meet, so that a refusal is said
 * once here instead of as a FATAL at every restart of the worker.  The
 * error is the caller's to free.
 */
static ErrorData *
launcher_resolve(WorkerTarget *target)
{
	MemoryContext cxt = CurrentMemoryContext;
	ErrorData  *volatile edata = NULL;

	memset(target, 0, sizeof(*target));
	strlcpy(target->dbname, oltp_sim_database, NAMEDATALEN);
	strlcpy(target->rolename, oltp_sim_role, NAMEDATALEN);

	StartTransactionCommand();
	(void) GetTransactionSnapshot();
	PG_TRY();
	{
		launcher_check_target(target);
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
	}
	PG_END_TRY();
	if (edata != NULL)
		AbortCurrentTransaction();
	else
		CommitTransactionCommand();
	MemoryContextSwitchTo(cxt);
	return edata;
}

typedef struct LaunchSlot
{
	BackgroundWorkerHandle *handle;
	TimestampTz started;
	TimestampTz next_start;
	int			delay_ms;
	bool		no_slot;		/* the last try found no free worker slot */
} LaunchSlot;

static bool
launcher_slot_alive(LaunchSlot *ls, int i)
{
	pid_t		pid;

	if (ls->handle != NULL &&
		GetBackgroundWorkerPid(ls->handle, &pid) != BGWH_STOPPED)
		return true;
	/* a worker started by a previous launcher has no handle here */
	LWLockAcquire(oltp_shared->status_lock, LW_SHARED);
	pid = oltp_shared->workers[i].pid;
	LWLockRelease(oltp_shared->status_lock);
	return pid != 0;
}

static void
launcher_start_worker(LaunchSlot *ls, int i, const WorkerTarget *target)
{
	BackgroundWorker worker;
	TimestampTz now = GetCurrentTimestamp();
	bool		reconnecting;

	/* read and reset, so it speaks of the last exit only */
	LWLockAcquire(oltp_shared->status_lock, LW_EXCLUSIVE);
	reconnecting = oltp_shared->workers[i].reconnecting;
	oltp_shared->workers[i].reconnecting = false;
	LWLockRelease(oltp_shared->status_lock);

	if (ls->handle != NULL && reconnecting)
	{
		/* it left on purpose, for a new database or role: no trouble */
		pfree(ls->handle);
		ls->handle = NULL;
		ls->delay_ms = 0;
		ls->next_start = now;
	}
	else if (ls->handle != NULL)
	{
		/* it stopped: a short run means trouble, so wait longer each time */
		if (TimestampDifferenceExceeds(ls->started, now, HEALTHY_RUN_MS))
			ls->delay_ms = RESTART_MIN_MS;
		else
			ls->delay_ms = Min(Max(ls->delay_ms * 2, RESTART_MIN_MS), RESTART_MAX_MS);
		pfree(ls->handle);
		ls->handle = NULL;
		ls->next_start = TimestampTzPlusMilliseconds(now, ls->delay_ms);
		if (ls->delay_ms >= 8000)
			ereport(LOG,
					(errmsg("oltp_sim worker %d keeps exiting; starting it again in %d s",
							i, ls->delay_ms / 1000),
					 errhint("The server log above says why it exited.")));
	}
	if (now < ls->next_start)
		return;

	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = BGW_NEVER_RESTART;
	strlcpy(worker.bgw_library_name, "oltp_sim", BGW_MAXLEN);
	strlcpy(worker.bgw_function_name, "oltp_worker_main", BGW_MAXLEN);
	snprintf(worker.bgw_name, BGW_MAXLEN, "oltp_sim worker %d", i);
	strlcpy(worker.bgw_type, "oltp_sim worker", BGW_MAXLEN);
	worker.bgw_main_arg = Int32GetDatum(i);
	worker.bgw_notify_pid = MyProcPid;
	{
		WorkerTargetOids oids = {target->dboid, target->roleoid};

		memcpy(worker.bgw_extra, &oids, sizeof(oids));
	}

	/*
	 * No free slot is not this worker's fault: no backoff, no log line here
	 * (launcher_report_missing speaks for all of them), a quiet retry.
	 */
	if (!RegisterDynamicBackgroundWorker(&worker, &ls->handle))
	{
		ls->handle = NULL;
		ls->no_slot = true;
		ls->next_start = TimestampTzPlusMilliseconds(now, WAIT_RECHECK_MS);
		return;
	}
	ls->no_slot = false;
	ls->started = now;
}

/*
 * Say how many workers could not start, once per change of that number,
 * and show it in oltp_status() (the launcher's detail).
 */
static void
launcher_report_missing(int missing, int running, int *logged_missing)
{
	char		detail[256] = "";

	if (missing > 0)
		snprintf(detail, sizeof(detail),
				 "%d of %d workers could not start: no background worker slot is free",
				 missing, oltp_shared->nworkers);
	oltp_slot_set_state(&oltp_shared->launcher, OLTP_STATE_RUNNING, detail);
	if (missing == *logged_missing)
		return;
	if (missing > 0)
		ereport(LOG,
				(errmsg("oltp_sim could not start %d of %d workers: no background worker slot is free",
						missing, oltp_shared->nworkers),
				 errdetail("%d workers run and share oltp_sim.rate. The launcher tries again every %d s and says more only when the number missing changes.",
						   running, WAIT_RECHECK_MS / 1000),
				 errhint("Raise max_worker_processes (oltp_sim needs oltp_sim.workers + 1) and restart the server, or lower oltp_sim.workers.")));
	else
		ereport(LOG,
				(errmsg("oltp_sim started all %d workers", oltp_shared->nworkers)));
	*logged_missing = missing;
}

/*
 * Start every worker that is not running and whose restart is due; lower
 * *timeout to the next one due.  Then publish how many run, the divisor of
 * oltp_sim.rate the workers read at each period, and say how many are
 * missing.
 */
static void
launcher_keep_workers(LaunchSlot *slots, const WorkerTarget *target,
					  long *timeout, int *logged_missing)
{
	int			running = 0;
	int			missing = 0;

	for (int i = 0; i < oltp_shared->nworkers; i++)
	{
		if (!launcher_slot_alive(&slots[i], i))
		{
			launcher_start_worker(&slots[i], i, target);
			if (slots[i].handle == NULL)
				*timeout = Min(*timeout,
							   Max(10, (long) (slots[i].next_start - GetCurrentTimestamp()) / 1000));
		}
		if (slots[i].no_slot)
			missing++;
		else if (launcher_slot_alive(&slots[i], i))
			running++;
	}
	pg_atomic_write_u32(&oltp_shared->nrunning, running);
	launcher_report_missing(missing, running, logged_missing);
}

void
oltp_launcher_main(Datum main_arg)
{
	LaunchSlot	slots[OLTP_MAX_WORKERS];
	char		logged[256] = "";
	int			logged_missing = 0;
	bool		prev_enabled;

	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnection(NULL, NULL, 0);

	memset(slots, 0, sizeof(slots));
	LWLockAcquire(oltp_shared->status_lock, LW_EXCLUSIVE);
	oltp_shared->launcher.pid = MyProcPid;
	oltp_shared->launcher.latch = MyLatch;
	oltp_shared->launcher.started_at = GetCurrentTimestamp();
	LWLockRelease(oltp_shared->status_lock);
	before_shmem_exit(launcher_detach, (Datum) 0);
	prev_enabled = oltp_sim_enabled;

	for (;;)
	{
		WorkerTarget target;
		ErrorData  *problem;
		long		timeout = LAUNCHER_POLL_MS;

		CHECK_FOR_INTERRUPTS();
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
			/* a change of oltp_sim.enabled takes over from oltp_start/stop */
			if (oltp_sim_enabled != prev_enabled)
			{
				oltp_switch_set(OLTP_SWITCH_FOLLOW_GUC);
				prev_enabled = oltp_sim_enabled;
				oltp_wake_all();
			}
		}

		problem = launcher_resolve(&target);
		if (problem != NULL)
		{
			if (strcmp(problem->message, logged) != 0)
			{
				ereport(LOG,
						(errcode(problem->sqlerrcode),
						 errmsg("oltp_sim is waiting: %s", problem->message),
						 problem->hint ? errhint("%s", problem->hint) : 0));
				strlcpy(logged, problem->message, sizeof(logged));
			}
			oltp_slot_set_state(&oltp_shared->launcher, OLTP_STATE_WAITING, problem->message);
			FreeErrorData(problem);
			timeout = WAIT_RECHECK_MS;
		}
		else
		{
			if (logged[0] != '\0')
			{
				ereport(LOG,
						(errmsg("oltp_sim is no longer waiting: starting %d workers in database \"%s\"",
								oltp_shared->nworkers, target.dbname)));
				logged[0] = '\0';
			}
			launcher_keep_workers(slots, &target, &timeout, &logged_missing);
		}

		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 timeout, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
	}
}
