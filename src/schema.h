/*-------------------------------------------------------------------------
 *
 * schema.h
 *		The extension's tables as found in the database, and the check that
 *		they still match the model (schema.c against model.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_SCHEMA_H
#define OLTP_SIM_SCHEMA_H

#include "model.h"

typedef struct OltpSchema
{
	Oid			extoid;
	Oid			nspoid;
	char		nspname[NAMEDATALEN];
	Oid			relids[OLTP_NTABLES];
	Oid			seqids[OLTP_NTABLES];	/* each table's id sequence */
	bool		present[OLTP_NTABLES];	/* false: an opt-in set not added */
} OltpSchema;

/* what is wrong, worded for errmsg / errdetail / errhint */
typedef struct OltpSchemaProblem
{
	int			sqlerrcode;
	char		message[256];
	char		detail[256];
	char		hint[256];
} OltpSchemaProblem;

extern bool oltp_schema_lookup(OltpSchema *schema, OltpSchemaProblem *problem);
extern void oltp_schema_require(OltpSchema *schema);
extern char *oltp_schema_qualify(const OltpSchema *schema, OltpTable table);

#endif							/* OLTP_SIM_SCHEMA_H */
