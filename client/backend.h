/*-------------------------------------------------------------------------
 *
 * backend.h
 *		What the client gives the engine's files in place of the server:
 *		included before each of them (the Makefile's -include), for the
 *		declarations PostgreSQL's headers keep from frontend code.
 *		backend.c and spi.c define them; client.h is the client's own
 *		interface to them.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_CLIENT_BACKEND_H
#define OLTP_SIM_CLIENT_BACKEND_H

#include "postgres.h"

/* palloc.h has it inline for the server only; the client's contexts are one */
extern MemoryContext MemoryContextSwitchTo(MemoryContext context);

#endif							/* OLTP_SIM_CLIENT_BACKEND_H */
