/*-------------------------------------------------------------------------
 *
 * oltp_sim.c
 *		Module entry: PG_MODULE_MAGIC and _PG_init.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"

#include "oltp_sim.h"

PG_MODULE_MAGIC;

void
_PG_init(void)
{
}
