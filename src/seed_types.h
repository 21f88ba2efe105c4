/*-------------------------------------------------------------------------
 *
 * seed_types.h
 *		What the rest of the extension asks of the types set's seed
 *		(seed_types.c): which tables it seeds by one INSERT ... SELECT, and
 *		how many edge rows a table needs to carry every edge value.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_SEED_TYPES_H
#define OLTP_SIM_SEED_TYPES_H

#include "model.h"

extern bool seed_types_has(OltpTable table);
extern int	seed_types_edge_rows(OltpTable table);

#endif							/* OLTP_SIM_SEED_TYPES_H */
