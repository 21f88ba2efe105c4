/*-------------------------------------------------------------------------
 *
 * subxact.h
 *		A function run in an internal subtransaction of its own, released or
 *		rolled back, its error caught (subxact.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_SUBXACT_H
#define OLTP_SIM_SUBXACT_H

#include "utils/elog.h"

typedef void (*OltpSubxactFn) (void *arg);

extern ErrorData *oltp_subxact_call(OltpSubxactFn fn, void *arg, bool keep);

#endif							/* OLTP_SIM_SUBXACT_H */
