/*-------------------------------------------------------------------------
 *
 * worker_opaque.h
 *		Included before run.c in the client (the Makefile's -include): the
 *		workers' shared state (shmem.h, ledger.h) is the server's alone, and
 *		frontend code cannot include it (atomics, spinlocks, LWLocks).  Its
 *		include guards are set here, so xact.h's declarations that name its
 *		types see them as opaque, and run.c, which counts in no shared
 *		counter, uses none of it.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_CLIENT_WORKER_OPAQUE_H
#define OLTP_SIM_CLIENT_WORKER_OPAQUE_H

#include "postgres.h"

#include "changes.h"

#define OLTP_SIM_SHMEM_H
#define OLTP_SIM_LEDGER_H

typedef struct OltpWorkerSlot OltpWorkerSlot;
typedef struct OltpTally OltpTally;

#endif							/* OLTP_SIM_CLIENT_WORKER_OPAQUE_H */
