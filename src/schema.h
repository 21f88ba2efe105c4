/*-------------------------------------------------------------------------
 *
 * schema.h
 *		The seven hospital tables as oltp_sim expects them, and the check
 *		that the ones in the database still match (schema.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_SCHEMA_H
#define OLTP_SIM_SCHEMA_H

typedef enum OltpTable
{
	OLTP_PACIENTES,
	OLTP_MEDICOS,
	OLTP_CONVENIOS,
	OLTP_PACIENTES_CONVENIOS,
	OLTP_CONSULTAS,
	OLTP_EXAMES,
	OLTP_INTERNACOES,
	OLTP_NTABLES
} OltpTable;

/* table names, in the fixed order oltp_counts() reports them */
extern const char *const oltp_table_names[OLTP_NTABLES];

typedef struct OltpSchema
{
	Oid			extoid;
	Oid			nspoid;
	char		nspname[NAMEDATALEN];
	Oid			relids[OLTP_NTABLES];
	Oid			seqids[OLTP_NTABLES];	/* each table's id sequence */
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
