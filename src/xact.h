/*-------------------------------------------------------------------------
 *
 * xact.h
 *		The bracket around a transaction of the stream (xact.c): the tables
 *		it locks up front, its operations run with their errors caught and
 *		their changes taken back, and its commit, counted.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_XACT_H
#define OLTP_SIM_XACT_H

#include "storage/lockdefs.h"

#include "ledger.h"
#include "model.h"
#include "op.h"
#include "schema.h"

/* the lock a transaction takes on each table up front; NoLock: none */
typedef struct OltpLockSet
{
	LOCKMODE	modes[OLTP_NTABLES];
} OltpLockSet;

/* told, before a wait for a lock, what the wait is for (its detail) */
typedef void (*OltpXactBlocked) (void *arg, const char *detail);

/* what a try of a transaction's locks found (oltp_xact_try_lock) */
typedef enum OltpXactTry
{
	OLTP_XACT_LOCKED,			/* every lock taken, and held */
	OLTP_XACT_TABLE_BUSY,		/* a table's held or waited for by another */
	OLTP_XACT_EXTENSION_BUSY,	/* an extension's: being dropped or remade */
} OltpXactTry;

extern void oltp_lockset_add_op(OltpLockSet *set, int op);
extern void oltp_lockset_all(OltpLockSet *set);
extern bool oltp_plans_stale_ops(const OltpPlans *plans, const OltpSchema *schema, bool *stale);
extern void oltp_xact_begin(void);
extern bool oltp_xact_lock(const OltpSchema *schema, const OltpLockSet *set,
						   OltpXactBlocked blocked, void *arg);
extern OltpXactTry oltp_xact_try_lock(const OltpSchema *schema, const OltpLockSet *set,
									  OltpTable *table);
extern ErrorData *oltp_xact_run_op(bool subxact, MemoryContext err_cxt, int op,
								   OltpPlans *plans, const OltpSchema *schema,
								   pg_prng_state *rng, Timestamp now,
								   OltpChanges *changes, OltpOpResult *result);
extern ErrorData *oltp_xact_run_op_alone(MemoryContext err_cxt, int op, OltpPlans *plans,
										 const OltpSchema *schema, pg_prng_state *rng,
										 Timestamp now, OltpChanges *changes,
										 OltpOpResult *result);
extern void oltp_xact_rollback(void);
extern void oltp_xact_commit(OltpWorkerSlot *slot, int worker, const OltpTally *tally,
							 bool serialize);

#endif							/* OLTP_SIM_XACT_H */
