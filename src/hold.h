/*-------------------------------------------------------------------------
 *
 * hold.h
 *		Transactions held open on a process of their own (hold.c): what a
 *		streaming worker hands over, and what it learns back.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_HOLD_H
#define OLTP_SIM_HOLD_H

#include "fmgr.h"
#include "postmaster/bgworker.h"

#include "shmem.h"
#include "worker_target.h"

/* a worker's side of its hand-overs, kept in its own memory */
typedef struct OltpHolds
{
	int			out;			/* handed over by this process, not yet freed */
	BackgroundWorkerHandle *handles[OLTP_MAX_HOLDS];
	int			said_full;		/* "no slot is free" logged: 1 + the bound then,
								 * or -1 for no background worker slot */
} OltpHolds;

extern bool oltp_hold_wanted(int op);
extern bool oltp_hold_hand_over(OltpHolds *holds, int worker, const WorkerTarget *target,
								int op, uint64 seed);
extern void oltp_hold_reap(OltpHolds *holds, int worker, uint64 *ops, OltpChanges *rows);
extern const char *oltp_hold_state_name(OltpHoldState state);
extern PGDLLEXPORT void oltp_hold_main(Datum main_arg);

#endif							/* OLTP_SIM_HOLD_H */
