/*-------------------------------------------------------------------------
 *
 * xact.h
 *		One operation run inside the worker's transaction, with its errors
 *		caught and its changes taken back (xact.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_XACT_H
#define OLTP_SIM_XACT_H

#include "op.h"

extern ErrorData *oltp_xact_run_op(bool subxact, MemoryContext err_cxt, int op,
								   OltpPlans *plans, const OltpSchema *schema,
								   pg_prng_state *rng, Timestamp now,
								   OltpChanges *changes, OltpOpResult *result);

#endif							/* OLTP_SIM_XACT_H */
