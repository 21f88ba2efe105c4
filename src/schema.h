/*-------------------------------------------------------------------------
 *
 * schema.h
 *		The extension's tables as found in the database, and the checks
 *		that they are the extension's own, still match the model, and are
 *		controlled by no other role (schema.c against model.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_SCHEMA_H
#define OLTP_SIM_SCHEMA_H

#include "model.h"

typedef struct OltpSchema
{
	Oid			extoid;
	Oid			extowner;		/* the role that created the extension */
	Oid			nspoid;
	char		nspname[NAMEDATALEN];
	Oid			touch_fn;		/* oltp_sim_touch_updated_at(), the member */
	Oid			relids[OLTP_NTABLES];
	Oid			seqids[OLTP_NTABLES];	/* each table's id sequence */
	bool		present[OLTP_NTABLES];	/* false: an opt-in set not added */
	Oid			tableext[OLTP_NTABLES]; /* the extension each is a member of */
} OltpSchema;

/* what is wrong, worded for errmsg / errdetail / errhint */
typedef struct OltpSchemaProblem
{
	int			sqlerrcode;
	const char *message;		/* translated, palloc'd in the caller's */
	const char *detail;			/* memory context; detail and hint may */
	const char *hint;			/* be NULL */
} OltpSchemaProblem;

/* for what reads or writes the tables' rows: the worker, the functions */
extern bool oltp_schema_lookup(OltpSchema *schema, OltpSchemaProblem *problem);
extern void oltp_schema_require(OltpSchema *schema);

/* for what only alters or publishes the tables: membership is enough */
extern void oltp_schema_require_members(OltpSchema *schema);

/* the extension and its schema alone, tables unchecked */
extern void oltp_schema_require_extension(OltpSchema *schema);

/* for a session acting over several transactions: look again? */
extern bool oltp_schema_changed(void);

extern bool oltp_schema_is_member(const OltpSchema *schema, Oid classid, Oid objid);
extern Oid	oltp_schema_set_extension(const char *set);
extern Oid	oltp_schema_member_type(const OltpSchema *schema, const char *name);
extern void oltp_schema_claim_name(const OltpSchema *schema, const char *name,
								   bool as_type, const char *caller);
extern char *oltp_schema_qualify(const OltpSchema *schema, OltpTable table);
extern void oltp_schema_lock_tables(const bool *wanted);

#endif							/* OLTP_SIM_SCHEMA_H */
