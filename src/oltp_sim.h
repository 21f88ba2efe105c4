/*-------------------------------------------------------------------------
 *
 * oltp_sim.h
 *		Declarations shared across oltp_sim: GUC variables, the shared state
 *		of the workers and their counters, and the module's entry points.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_H
#define OLTP_SIM_H

#include "fmgr.h"
#include "port/atomics.h"
#include "postmaster/bgworker.h"
#include "storage/latch.h"
#include "storage/lwlock.h"
#include "storage/spin.h"
#include "utils/timestamp.h"

#include "compat.h"
#include "op.h"

#define OLTP_MAX_WORKERS 64

extern void _PG_init(void);

/* guc.c */
extern char *oltp_sim_database;
extern char *oltp_sim_role;
extern bool oltp_sim_enabled;
extern int	oltp_sim_interval;
extern int	oltp_sim_jitter;
extern double oltp_sim_rate;
extern int	oltp_sim_ops_per_transaction;
extern int	oltp_sim_workers;
extern int	oltp_sim_seed;
extern int	oltp_sim_log_every;
extern int	oltp_sim_watermark_every;
extern int	oltp_sim_max_ops;
extern char *oltp_sim_schedule;
extern struct OltpSchedule *oltp_sim_schedule_parsed;	/* NULL or no phases: none */
extern double oltp_sim_skew;

/* prefix of the logical decoding messages the worker writes */
#define OLTP_WATERMARK_PREFIX "oltp_sim"

extern void oltp_guc_define_reloadable(void);
extern void oltp_guc_define_postmaster(void);

/* shmem.c */

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
} OltpOpCounters;

typedef struct OltpWorkerSlot
{
	/* written by the process itself, under the shared mutex */
	pid_t		pid;
	Latch	   *latch;
	OltpWorkerState state;
	char		detail[256];
	TimestampTz started_at;
	double		ops_per_sec;	/* over the window that ended at published_at */
	double		lag_ms;			/* behind next_due, as of published_at */
	TimestampTz published_at;	/* when the three lines above were written */
	TimestampTz window_start;	/* start of the window ops_per_sec measures */
	TimestampTz next_due;		/* the schedule's position; 0 when unpaced */
	int			rate_divisor;	/* workers oltp_sim.rate was shared among; 0
								 * when pacing by interval */
	bool		reconnecting;	/* exited on purpose, to reconnect */
	TimestampTz settings_at;	/* when it last applied the settings */
	/* what the worker in this slot committed, across its restarts */
	uint64		wm_seq;			/* watermarks written */
	uint64		wm_ops;			/* operations committed */
	uint64		wm_changes[OLTP_MAX_TABLES][OLTP_NCHANGE_KINDS];	/* rows */
} OltpWorkerSlot;

typedef struct OltpShared
{
	slock_t		mutex;
	OltpRunSwitch run_switch;
	LWLock	   *switch_lock;	/* serializes the run switch with its file */
	int			nworkers;
	pg_atomic_uint32 nrunning;	/* workers the launcher has running */
	int			weights[OLTP_MAX_OPS];	/* as the workers apply them */
	char		last_error[512];
	TimestampTz last_error_at;
	pg_atomic_uint64 transactions;
	OltpOpCounters ops[OLTP_MAX_OPS];
	/* committed rows per table and kind: what the decoded stream holds */
	pg_atomic_uint64 changes[OLTP_MAX_TABLES][OLTP_NCHANGE_KINDS];
	OltpWorkerSlot launcher;
	OltpWorkerSlot workers[FLEXIBLE_ARRAY_MEMBER];
} OltpShared;

/*
 * A running worker publishes at least this often while it keeps up (see
 * worker_publish); a slot older than this means it is stuck in a statement,
 * and oltp_status() computes its lag and rate from the time gone by.
 */
#define OLTP_STALE_MS	1000

extern OltpShared *oltp_shared;

extern void oltp_shmem_request(void);
extern void oltp_shmem_startup(void);
extern OltpShared *oltp_shmem_require(void);
extern void oltp_slot_set_state(OltpWorkerSlot *slot, OltpWorkerState state,
								const char *detail);
extern void oltp_wake_all(void);
extern bool oltp_run_wanted(void);
extern void oltp_switch_set(OltpRunSwitch sw);
extern const char *oltp_state_name(OltpWorkerState state);

/* launcher.c */
extern void oltp_register_launcher(void);
extern PGDLLEXPORT void oltp_launcher_main(Datum main_arg);

/* worker.c */
extern PGDLLEXPORT void oltp_worker_main(Datum main_arg);

#endif							/* OLTP_SIM_H */
