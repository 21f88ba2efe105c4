/*-------------------------------------------------------------------------
 *
 * launcher.h
 *		The launcher (launcher.c): registered by _PG_init, it starts and
 *		keeps the streaming workers.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_LAUNCHER_H
#define OLTP_SIM_LAUNCHER_H

#include "fmgr.h"

extern void oltp_register_launcher(void);
extern PGDLLEXPORT void oltp_launcher_main(Datum main_arg);

#endif							/* OLTP_SIM_LAUNCHER_H */
