/*-------------------------------------------------------------------------
 *
 * checksum.h
 *		A table's row count and order-independent digest (checksum.c), as
 *		oltp_checksums() computes them.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_CHECKSUM_H
#define OLTP_SIM_CHECKSUM_H

#include "model.h"
#include "schema.h"

/* SELECT count, digest of table t, the excluded columns left out */
extern char *oltp_checksum_table_sql(const OltpSchema *schema, OltpTable t, char **excluded,
									 int nexcluded);

#endif							/* OLTP_SIM_CHECKSUM_H */
