/*-------------------------------------------------------------------------
 *
 * oltp_sim.h
 *		Declarations shared across oltp_sim: GUC variables, module entry
 *		points and the compatibility shims every file needs.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_H
#define OLTP_SIM_H

#include "fmgr.h"

#include "compat.h"

#define OLTP_SIM_VERSION "0.1.0"

extern void _PG_init(void);

#endif							/* OLTP_SIM_H */
