/*-------------------------------------------------------------------------
 *
 * funcapi.h (client)
 *		What the engine's set-returning entry points use of the server's
 *		funcapi.h, for the client program, which calls oltp_reset's C
 *		function itself (seed.c) and reads its rows (backend.c): the
 *		server's header pulls in the executor, which frontend code cannot
 *		include.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_CLIENT_FUNCAPI_H
#define OLTP_SIM_CLIENT_FUNCAPI_H

#include "fmgr.h"
#include "access/tupdesc.h"
#include "utils/tuplestore.h"

/* the fields the engine reads; the client fills them (backend.c) */
typedef struct ReturnSetInfo
{
	NodeTag		type;
	Tuplestorestate *setResult;
	TupleDesc	setDesc;
} ReturnSetInfo;

/* bits32, a uint32, until 18; uint32 since 19 */
extern void InitMaterializedSRF(FunctionCallInfo fcinfo, uint32 flags);

#endif							/* OLTP_SIM_CLIENT_FUNCAPI_H */
