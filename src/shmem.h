/*-------------------------------------------------------------------------
 *
 * shmem.h
 *		The state the processes share (shmem.c): the run switch, each
 *		process's slot, the hold slots and the counters.  It sits below
 *		everything but the model and the bounds: nothing here knows what
 *		an operation is, only how many there can be.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_SHMEM_H
#define OLTP_SIM_SHMEM_H

#include "port/atomics.h"
#include "storage/latch.h"
#include "storage/lwlock.h"
#include "storage/spin.h"
#include "utils/timestamp.h"

#include "bounds.h"
#include "changes.h"
#include "model.h"

/* oltp_start() / oltp_stop() override oltp_sim.enabled until it changes */
typedef enum OltpRunSwitch
{
	OLTP_SWITCH_FOLLOW_GUC,
	OLTP_SWITCH_STARTED,
	OLTP_SWITCH_STOPPED
} OltpRunSwitch;

typedef enum OltpWorkerState
{
	OLTP_STATE_STOPPED,			/* no process */
	OLTP_STATE_STARTING,
	OLTP_STATE_WAITING,			/* cannot stream; detail says why */
	OLTP_STATE_PAUSED,			/* oltp_sim.enabled off or oltp_stop() */
	OLTP_STATE_FINISHED,		/* committed oltp_sim.max_ops operations */
	OLTP_STATE_BLOCKED,			/* waiting for a table lock; detail says whose */
	OLTP_STATE_RUNNING
} OltpWorkerState;

typedef struct OltpOpCounters
{
	pg_atomic_uint64 committed;
	pg_atomic_uint64 skipped;
	pg_atomic_uint64 errors;
	pg_atomic_uint64 aborted;	/* rolled back on purpose (OltpOpDef.aborts) */
} OltpOpCounters;

typedef struct OltpWorkerSlot
{
	/* written by the process itself, under status_lock */
	pid_t		pid;
	Latch	   *latch;
	OltpWorkerState state;
	char		detail[256];
	TimestampTz started_at;
	double		ops_per_sec;	/* over window_start .. window_end */
	double		lag_ms;			/* behind next_due, as of published_at */
	TimestampTz published_at;	/* when state, detail and lag were written */
	TimestampTz window_start;	/* the window ops_per_sec measures */
	TimestampTz window_end;
	TimestampTz next_due;		/* the schedule's position; 0 when unpaced */
	int			rate_divisor;	/* workers oltp_sim.rate was shared among; 0
								 * when pacing by interval */
	bool		reconnecting;	/* exited on purpose, to reconnect */
	TimestampTz settings_at;	/* when it last applied the settings */
	/* hold slots (holds[]) handed over from this slot and not yet freed */
	pg_atomic_uint32 holds_active;
	/*
	 * What the worker in this slot committed, across its restarts, its held
	 * transactions included: written by the worker, and by a held
	 * transaction under the slot's commit lock (xact.c)
	 */
	uint64		wm_seq;			/* watermarks written */
	uint64		wm_ops;			/* operations committed */
	uint64		wm_changes[OLTP_MAX_TABLES][OLTP_NCHANGE_KINDS];	/* rows */
} OltpWorkerSlot;

/*
 * A transaction held open on a process of its own (hold.c): an operation
 * that wants its transaction kept open once its changes are made
 * (OltpOpDef.hold) is handed over by the worker that picked it, which
 * goes on streaming.
 */
typedef enum OltpHoldState
{
	OLTP_HOLD_FREE,
	OLTP_HOLD_STARTING,			/* handed over; its process not running yet */
	OLTP_HOLD_RUNNING,			/* running the operation's statements */
	OLTP_HOLD_BLOCKED,			/* waiting for a table lock; detail says whose */
	OLTP_HOLD_HOLDING,			/* changes made, open until `until` */
	OLTP_HOLD_DONE				/* its process ended; committed says how */
} OltpHoldState;

typedef struct OltpHoldSlot
{
	/* under status_lock */
	OltpHoldState state;
	int			worker;			/* the slot of the worker that handed it over */
	pid_t		owner_pid;		/* that worker's process */
	int			op;
	uint64		seed;			/* of the operation's random choices */
	pid_t		pid;			/* its own process, once running */
	Latch	   *latch;
	TimestampTz handed_at;
	TimestampTz since;			/* holding since: its changes are made */
	TimestampTz until;			/* when it commits, unless stopped first */
	bool		committed;		/* once DONE */
	OltpChanges changes;		/* once DONE and committed: its rows */
	char		detail[256];	/* BLOCKED: on what */
} OltpHoldSlot;

/*
 * mutex covers the run switch, a few instructions at a time.  status_lock
 * covers what the processes publish (their slots, the hold slots, the
 * weights applied, the last error): readers loop over the slots and call
 * helpers, which no spinlock may cover.
 */
typedef struct OltpShared
{
	slock_t		mutex;
	OltpRunSwitch run_switch;
	LWLock	   *switch_lock;	/* serializes the run switch with its file */
	LWLock	   *status_lock;
	int			nworkers;
	pg_atomic_uint32 nrunning;	/* workers the launcher has running */
	int			weights[OLTP_MAX_OPS];	/* as the workers apply them */
	char		last_error[512];
	TimestampTz last_error_at;
	bool		last_error_waits;	/* made a worker wait: cleared once it streams */
	pg_atomic_uint64 transactions;
	OltpOpCounters ops[OLTP_MAX_OPS];
	/* committed rows per table and kind: what the decoded stream holds */
	pg_atomic_uint64 changes[OLTP_MAX_TABLES][OLTP_NCHANGE_KINDS];
	/* logical messages the decoded stream holds, and their payload bytes */
	pg_atomic_uint64 messages[OLTP_NMESSAGE_MODES];
	pg_atomic_uint64 message_bytes[OLTP_NMESSAGE_MODES];
	OltpHoldSlot holds[OLTP_MAX_HOLDS];
	OltpWorkerSlot launcher;
	OltpWorkerSlot workers[FLEXIBLE_ARRAY_MEMBER];
} OltpShared;

extern OltpShared *oltp_shared;

extern void oltp_shmem_request(void);
extern bool oltp_shmem_startup(void);
extern OltpShared *oltp_shmem_require(void);
extern void oltp_slot_set_state(OltpWorkerSlot *slot, OltpWorkerState state,
								const char *detail);
extern void oltp_wake_all(void);
extern bool oltp_run_wanted(void);
extern void oltp_switch_set(OltpRunSwitch sw);
extern const char *oltp_state_name(OltpWorkerState state);

#endif							/* OLTP_SIM_SHMEM_H */
