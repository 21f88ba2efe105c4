/*-------------------------------------------------------------------------
 *
 * privilege.h
 *		The privilege check of the functions that show the stream's state
 *		(privilege.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_PRIVILEGE_H
#define OLTP_SIM_PRIVILEGE_H

#include "fmgr.h"

extern void oltp_require_reader(FunctionCallInfo fcinfo);

#endif							/* OLTP_SIM_PRIVILEGE_H */
