/*-------------------------------------------------------------------------
 *
 * bounds.h
 *		The fixed bounds of oltp_sim: how many workers, held transactions
 *		and operations shared memory has room for, and the intervals the
 *		processes look again at.  The settings (guc.c) take their upper
 *		bounds from here, shared memory (shmem.h) its sizes.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_BOUNDS_H
#define OLTP_SIM_BOUNDS_H

#define OLTP_MAX_WORKERS 64
#define OLTP_MAX_HOLDS 32		/* oltp_sim.max_held_transactions at most */
#define OLTP_MAX_OPS		32	/* room in shared memory for future ops */

/*
 * A running worker publishes at least this often while it keeps up (see
 * worker_publish); a slot older than this means it is stuck in a statement,
 * and oltp_status() computes its lag and rate from the time gone by.
 */
#define OLTP_STALE_MS	1000

/* how often a waiting process looks again at what it waits for */
#define WAIT_RECHECK_MS			5000

#endif							/* OLTP_SIM_BOUNDS_H */
