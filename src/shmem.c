/*-------------------------------------------------------------------------
 *
 * shmem.c
 *		The state the workers share with the SQL functions: the run switch,
 *		each process's state, the per-operation counters and the committed
 *		rows per table and kind.
 *
 * Counters are atomics, added to once per committed transaction, so the
 * hot path takes no lock.  What the processes publish for oltp_status()
 * (states, details, pace, hold slots) is under an LWLock, as autoprewarm
 * keeps its state: readers loop over the slots.
 *
 * The run switch (oltp_start() / oltp_stop()) also lives in a small file in
 * the data directory, with the value of oltp_sim.enabled it overrode: shared
 * memory is created again after a crash, and the switch must outlast that.
 * A server that starts with oltp_sim.enabled still at that value takes the
 * switch back; one that starts with another value drops it, as a reload
 * changing the setting would.  A file that cannot be read or written is
 * said once in the log, and the functions still switch: the switch then
 * holds until the server stops.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <errno.h>
#include <unistd.h>

#include "miscadmin.h"
#include "port/atomics.h"
#include "storage/fd.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"

#include "guc.h"
#include "shmem.h"

OltpShared *oltp_shared = NULL;

/* in the data directory, like autoprewarm's autoprewarm.blocks */
#define SWITCH_FILE		"oltp_sim.switch"
#define SWITCH_TEMP		SWITCH_FILE ".tmp"

static Size
shmem_size(void)
{
	return add_size(offsetof(OltpShared, workers),
					mul_size(sizeof(OltpWorkerSlot), oltp_sim_workers));
}

void
oltp_shmem_request(void)
{
	RequestAddinShmemSpace(shmem_size());
	RequestNamedLWLockTranche("oltp_sim", 1);
	RequestNamedLWLockTranche("oltp_sim status", 1);
}

/*
 * The switch the file holds, if the server starts with oltp_sim.enabled at
 * the value it overrode; otherwise the file is stale and goes.  A file that
 * cannot be read goes too, said once in the log (a directory in its place
 * cannot go: it is said at every start).  Runs in the postmaster, at start
 * and after a crash, so plain stdio: no transaction, no error may escape.
 */
static OltpRunSwitch
switch_read(void)
{
	FILE	   *f = fopen(SWITCH_FILE, "r");
	char		sw[16];
	char		enabled[8];
	OltpRunSwitch result = OLTP_SWITCH_FOLLOW_GUC;
	int			read_errno = 0;

	if (f == NULL && errno == ENOENT)
		return result;
	if (f == NULL)
		read_errno = errno;
	else
	{
		if (fscanf(f, "%15s %7s", sw, enabled) == 2 &&
			(strcmp(enabled, "on") == 0) == oltp_sim_enabled)
		{
			if (strcmp(sw, "started") == 0)
				result = OLTP_SWITCH_STARTED;
			else if (strcmp(sw, "stopped") == 0)
				result = OLTP_SWITCH_STOPPED;
		}
		else if (ferror(f))
			read_errno = errno;
		fclose(f);
	}
	if (read_errno != 0)
	{
		errno = read_errno;
		ereport(LOG,
				(errcode_for_file_access(),
				 errmsg("oltp_sim could not read its run switch \"%s\": %m", SWITCH_FILE),
				 errdetail("The stream follows oltp_sim.enabled (%s), as if oltp_start() and oltp_stop() had not been called.",
						   oltp_sim_enabled ? "on" : "off"),
				 errhint("oltp_start() and oltp_stop() write the file again; anything else of that name in the data directory must be removed first.")));
	}
	if (result == OLTP_SWITCH_FOLLOW_GUC)
		(void) unlink(SWITCH_FILE);
	else
		ereport(LOG,
				(errmsg("oltp_sim keeps the stream %s, as %s() left it",
						result == OLTP_SWITCH_STARTED ? "started" : "stopped",
						result == OLTP_SWITCH_STARTED ? "oltp_start" : "oltp_stop"),
				 errdetail("oltp_sim.enabled is still %s, the value it overrode; changing it drops the switch.",
						   oltp_sim_enabled ? "on" : "off")));
	return result;
}

/*
 * Attach to the shared state, creating it if this is the first process to
 * come; returns true when it was created.  Its weights are then zero: the
 * caller, which knows the operations, fills them in.
 */
bool
oltp_shmem_startup(void)
{
	bool		found;

	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	oltp_shared = ShmemInitStruct("oltp_sim", shmem_size(), &found);
	if (!found)
	{
		memset(oltp_shared, 0, shmem_size());
		SpinLockInit(&oltp_shared->mutex);
		oltp_shared->run_switch = switch_read();
		oltp_shared->switch_lock = &(GetNamedLWLockTranche("oltp_sim"))->lock;
		oltp_shared->status_lock = &(GetNamedLWLockTranche("oltp_sim status"))->lock;
		oltp_shared->nworkers = oltp_sim_workers;
		pg_atomic_init_u32(&oltp_shared->nrunning, 0);
		pg_atomic_init_u64(&oltp_shared->transactions, 0);
		for (int i = 0; i < OLTP_MAX_OPS; i++)
		{
			pg_atomic_init_u64(&oltp_shared->ops[i].committed, 0);
			pg_atomic_init_u64(&oltp_shared->ops[i].skipped, 0);
			pg_atomic_init_u64(&oltp_shared->ops[i].errors, 0);
		}
		for (int t = 0; t < OLTP_MAX_TABLES; t++)
			for (int k = 0; k < OLTP_NCHANGE_KINDS; k++)
				pg_atomic_init_u64(&oltp_shared->changes[t][k], 0);
		for (int i = 0; i < oltp_sim_workers; i++)
			pg_atomic_init_u32(&oltp_shared->workers[i].holds_active, 0);
	}
	LWLockRelease(AddinShmemInitLock);
	return !found;
}

/* the shared state, or an error saying how to get it */
OltpShared *
oltp_shmem_require(void)
{
	if (oltp_shared == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("oltp_sim is not loaded through shared_preload_libraries"),
				 errdetail("The streaming worker and its counters exist only when the server starts with the library preloaded."),
				 errhint("Add oltp_sim to shared_preload_libraries in postgresql.conf and restart the server.")));
	return oltp_shared;
}

void
oltp_slot_set_state(OltpWorkerSlot *slot, OltpWorkerState state, const char *detail)
{
	LWLockAcquire(oltp_shared->status_lock, LW_EXCLUSIVE);
	slot->state = state;
	strlcpy(slot->detail, detail ? detail : "", sizeof(slot->detail));
	/* a process that does not stream has no rate and no schedule to show */
	if (state != OLTP_STATE_RUNNING)
	{
		slot->ops_per_sec = 0;
		slot->lag_ms = 0;
		slot->next_due = 0;
	}
	LWLockRelease(oltp_shared->status_lock);
}

/*
 * Wake the launcher, every worker and every held transaction, after the
 * switch or the settings change (oltp_stop() ends a hold at once).
 */
void
oltp_wake_all(void)
{
	LWLockAcquire(oltp_shared->status_lock, LW_SHARED);
	if (oltp_shared->launcher.latch)
		SetLatch(oltp_shared->launcher.latch);
	for (int i = 0; i < oltp_shared->nworkers; i++)
		if (oltp_shared->workers[i].latch)
			SetLatch(oltp_shared->workers[i].latch);
	for (int i = 0; i < OLTP_MAX_HOLDS; i++)
		if (oltp_shared->holds[i].latch)
			SetLatch(oltp_shared->holds[i].latch);
	LWLockRelease(oltp_shared->status_lock);
}

/*
 * oltp_start() / oltp_stop(): the switch, written to a temporary name,
 * synced and renamed over the old one, so a crash leaves the old switch or
 * the new.  (rename() replaces a file whatever its permissions, where
 * durable_rename() would first open it to sync it.)  A switch that cannot
 * be written holds all the same, until the server stops: one WARNING says
 * so and why, the temporary file goes, and so does the old switch, so that
 * a restart follows oltp_sim.enabled as the WARNING says.
 */
static void
switch_write(OltpRunSwitch sw)
{
	FILE	   *f = AllocateFile(SWITCH_TEMP, PG_BINARY_W);
	bool		ok = (f != NULL);
	int			save_errno;

	if (ok)
	{
		fprintf(f, "%s %s\n", sw == OLTP_SWITCH_STARTED ? "started" : "stopped",
				oltp_sim_enabled ? "on" : "off");
		ok = fflush(f) == 0 && !ferror(f) && pg_fsync(fileno(f)) == 0;
		save_errno = errno;
		if (FreeFile(f) != 0 && ok)
			ok = false;
		else
			errno = save_errno;
	}
	if (ok)
		ok = rename(SWITCH_TEMP, SWITCH_FILE) == 0;
	if (ok)
	{
		(void) fsync_fname_ext(".", true, false, LOG);
		return;
	}

	save_errno = errno;
	(void) unlink(SWITCH_TEMP);
	(void) unlink(SWITCH_FILE);
	errno = save_errno;
	ereport(WARNING,
			(errcode_for_file_access(),
			 errmsg("could not write the run switch \"%s\": %m", SWITCH_FILE),
			 errdetail("%s() holds until the server stops; after a restart the stream follows oltp_sim.enabled.",
					   sw == OLTP_SWITCH_STARTED ? "oltp_start" : "oltp_stop"),
			 errhint("Make \"%s\" in the data directory a file the server can write, or remove what stands there.",
					 SWITCH_FILE)));
}

/*
 * Set the switch: on disk first, then in shared memory, under a lock that
 * keeps two callers from leaving the two saying different things.
 * OLTP_SWITCH_FOLLOW_GUC (oltp_sim.enabled changed) comes from the
 * launcher, which must not die of an I/O error: a file that cannot be
 * removed is only logged, and would count again only at a start with
 * oltp_sim.enabled back at the value it recorded.
 */
void
oltp_switch_set(OltpRunSwitch sw)
{
	LWLockAcquire(oltp_shared->switch_lock, LW_EXCLUSIVE);
	if (sw != OLTP_SWITCH_FOLLOW_GUC)
		switch_write(sw);
	else if (access(SWITCH_FILE, F_OK) == 0)
		(void) durable_unlink(SWITCH_FILE, LOG);
	SpinLockAcquire(&oltp_shared->mutex);
	oltp_shared->run_switch = sw;
	SpinLockRelease(&oltp_shared->mutex);
	LWLockRelease(oltp_shared->switch_lock);
}

/* should the stream run now: the switch, or oltp_sim.enabled when it defers */
bool
oltp_run_wanted(void)
{
	OltpRunSwitch sw;

	SpinLockAcquire(&oltp_shared->mutex);
	sw = oltp_shared->run_switch;
	SpinLockRelease(&oltp_shared->mutex);
	if (sw == OLTP_SWITCH_FOLLOW_GUC)
		return oltp_sim_enabled;
	return sw == OLTP_SWITCH_STARTED;
}

const char *
oltp_state_name(OltpWorkerState state)
{
	switch (state)
	{
		case OLTP_STATE_STOPPED:
			return "stopped";
		case OLTP_STATE_STARTING:
			return "starting";
		case OLTP_STATE_WAITING:
			return "waiting";
		case OLTP_STATE_PAUSED:
			return "paused";
		case OLTP_STATE_FINISHED:
			return "finished";
		case OLTP_STATE_BLOCKED:
			return "blocked";
		case OLTP_STATE_RUNNING:
			return "running";
	}
	return "unknown";
}
