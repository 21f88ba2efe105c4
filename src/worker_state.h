/*-------------------------------------------------------------------------
 *
 * worker_state.h
 *		A streaming worker's own state, shared by the files that make up
 *		the worker: the loop (worker.c), its pacing (worker_pacing.c) and
 *		what it tells oltp_status() and the log (worker_report.c).  Private
 *		to them; the launcher sees only worker.h.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_WORKER_STATE_H
#define OLTP_SIM_WORKER_STATE_H

#include "utils/elog.h"
#include "utils/palloc.h"
#include "utils/timestamp.h"

#include "compat.h"
#include "hold.h"
#include "op.h"
#include "schema.h"
#include "shmem.h"
#include "worker_target.h"

/* operations a worker puts off at most while their tables are locked */
#define WORKER_MAX_DEFERRED		64

/* how often a running worker refreshes its line of oltp_status() */
#define PUBLISH_INTERVAL_MS		250

typedef struct WorkerState
{
	int			index;
	OltpWorkerSlot *slot;
	WorkerTarget target;
	pg_prng_state rng;
	MemoryContext loop_cxt;

	/* schema and statements */
	OltpSchema	schema;
	OltpPlans	plans;
	bool		schema_ok;
	bool		plans_stale;	/* the tables are new: prepare again */
	bool		plans_partial;	/* only the operations in stale_ops */
	bool		stale_ops[OLTP_MAX_OPS];
	bool		seeded;			/* the parents of the stream's rows have rows */
	char		logged[256];	/* why it waits, as last told to the log */
	bool		said_missing[OLTP_MAX_OPS]; /* "its tables are missing" logged */

	/* the mix */
	int			cumulative[OLTP_MAX_OPS];
	int			total_weight;
	bool		carrying;		/* carried begins the next transaction: an */
	int			carried;		/* operation that aborts, picked after others */
	/* put off while a table each needs was locked (oltp_sim.lock_defer) */
	struct
	{
		int			op;
		TimestampTz at;			/* since when */
	}			deferred[WORKER_MAX_DEFERRED];	/* the oldest first */
	int			ndeferred;

	/* pacing */
	bool		running;
	TimestampTz next_due;
	int			rate_divisor;	/* workers the rate was last shared among */

	/* transactions handed over to be held (hold.c) */
	OltpHolds	holds;

	/* reporting */
	uint64		committed_total;	/* since it started, held ones included */
	OltpChanges committed_rows; /* for the log summary */
	uint64		next_log_at;	/* the next multiple of oltp_sim.log_every */
	bool		resumed;		/* streams again after a wait: the error that
								 * made it wait goes once this commits */
	TimestampTz window_start;
	uint64		window_ops;
	TimestampTz last_publish;
	OltpWorkerState published;
	TimestampTz last_error_log;
	uint64		errors_unlogged;
} WorkerState;

/* worker_pacing.c */
extern int64 worker_period(WorkerState *ws);
extern bool worker_scheduled(void);
extern TimestampTz worker_next_due(WorkerState *ws);

/* worker_report.c */
extern bool worker_waiting(WorkerState *ws, const char *reason);
extern void worker_report_problem(WorkerState *ws, const OltpSchemaProblem *problem);
extern void worker_report_no_weights(WorkerState *ws);
extern void worker_report_failed(WorkerState *ws, ErrorData *edata);
extern void worker_report_unseeded(WorkerState *ws, OltpTable empty);
extern bool worker_record_error(WorkerState *ws, int op, ErrorData *edata);
extern void worker_clear_error(void);
extern void worker_skip_missing(WorkerState *ws, int op);
extern void worker_publish(WorkerState *ws, OltpWorkerState state, const char *detail,
						   double lag_ms, bool force);

#endif							/* OLTP_SIM_WORKER_STATE_H */
