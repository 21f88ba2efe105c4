/*-------------------------------------------------------------------------
 *
 * shmem.c
 *		The state the workers share with the SQL functions: the run switch,
 *		each process's state, the per-operation counters and the committed
 *		rows per table and kind.
 *
 * Counters are atomics, added to once per committed transaction, so the
 * hot path takes no lock; the few text fields take a spinlock.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"
#include "storage/ipc.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"

#include "oltp_sim.h"

OltpShared *oltp_shared = NULL;

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
}

void
oltp_shmem_startup(void)
{
	bool		found;

	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	oltp_shared = ShmemInitStruct("oltp_sim", shmem_size(), &found);
	if (!found)
	{
		memset(oltp_shared, 0, shmem_size());
		SpinLockInit(&oltp_shared->mutex);
		oltp_shared->run_switch = OLTP_SWITCH_FOLLOW_GUC;
		oltp_shared->nworkers = oltp_sim_workers;
		pg_atomic_init_u64(&oltp_shared->transactions, 0);
		for (int i = 0; i < OLTP_MAX_OPS; i++)
		{
			pg_atomic_init_u64(&oltp_shared->ops[i].committed, 0);
			pg_atomic_init_u64(&oltp_shared->ops[i].skipped, 0);
			pg_atomic_init_u64(&oltp_shared->ops[i].errors, 0);
			oltp_shared->weights[i] = i < oltp_nops ? oltp_sim_weights[i] : 0;
		}
		for (int t = 0; t < OLTP_MAX_TABLES; t++)
			for (int k = 0; k < OLTP_NCHANGE_KINDS; k++)
				pg_atomic_init_u64(&oltp_shared->changes[t][k], 0);
	}
	LWLockRelease(AddinShmemInitLock);
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
	SpinLockAcquire(&oltp_shared->mutex);
	slot->state = state;
	strlcpy(slot->detail, detail ? detail : "", sizeof(slot->detail));
	/* a process that does not run streams nothing: no rate to show */
	if (state != OLTP_STATE_RUNNING)
		slot->ops_per_sec = 0;
	SpinLockRelease(&oltp_shared->mutex);
}

/* wake the launcher and every worker, after the switch or settings change */
void
oltp_wake_all(void)
{
	Latch	   *latches[OLTP_MAX_WORKERS + 1];
	int			n = 0;

	SpinLockAcquire(&oltp_shared->mutex);
	if (oltp_shared->launcher.latch)
		latches[n++] = oltp_shared->launcher.latch;
	for (int i = 0; i < oltp_shared->nworkers; i++)
		if (oltp_shared->workers[i].latch)
			latches[n++] = oltp_shared->workers[i].latch;
	SpinLockRelease(&oltp_shared->mutex);
	for (int i = 0; i < n; i++)
		SetLatch(latches[i]);
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
		case OLTP_STATE_RUNNING:
			return "running";
	}
	return "unknown";
}
