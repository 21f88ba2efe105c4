/*-------------------------------------------------------------------------
 *
 * worker.h
 *		The streaming worker's entry point (worker.c), registered by the
 *		launcher.  What the worker's own files share is worker_state.h.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_WORKER_H
#define OLTP_SIM_WORKER_H

#include "fmgr.h"

extern PGDLLEXPORT void oltp_worker_main(Datum main_arg);

#endif							/* OLTP_SIM_WORKER_H */
