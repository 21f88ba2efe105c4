/*-------------------------------------------------------------------------
 *
 * ops.h
 *		The operation table: every kind of change the stream makes, with its
 *		weight GUC, its statements and the function that runs it (ops.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_OPS_H
#define OLTP_SIM_OPS_H

#include "executor/spi.h"
#include "utils/date.h"

#include "compat.h"
#include "schema.h"

#define OLTP_MAX_OPS		32	/* room in shared memory for future ops */
#define OLTP_OP_MAX_STMTS	2

typedef enum OltpOpKind
{
	OLTP_OP_INSERT,
	OLTP_OP_UPDATE
} OltpOpKind;

typedef enum OltpOpResult
{
	OLTP_OP_DONE,				/* changed exactly what it says */
	OLTP_OP_SKIPPED				/* nothing to change (no candidate row) */
} OltpOpResult;

/* what an operation runs with: prepared plans, randomness, "now" */
typedef struct OltpOpContext
{
	pg_prng_state *rng;
	Timestamp	now;
	DateADT		today;
	const OltpSchema *schema;
	SPIPlanPtr	plans[OLTP_OP_MAX_STMTS];
	const char *sql[OLTP_OP_MAX_STMTS];
} OltpOpContext;

typedef OltpOpResult (*OltpOpRun) (OltpOpContext *ctx);

typedef struct OltpStmtDef
{
	const char *sql;			/* %1$s stands for the quoted schema name */
	int			nargs;
	Oid			argtypes[8];
} OltpStmtDef;

typedef struct OltpOpDef
{
	const char *name;
	OltpTable	table;
	OltpOpKind	kind;
	int			default_weight;
	OltpStmtDef stmts[OLTP_OP_MAX_STMTS];
	OltpOpRun	run;
} OltpOpDef;

extern const OltpOpDef oltp_ops[];
extern const int oltp_nops;
extern int	oltp_sim_weights[OLTP_MAX_OPS];

extern void oltp_ops_define_gucs(void);
extern int	oltp_ops_pick(pg_prng_state *rng, const int *cumulative, int total);
extern int	oltp_ops_cumulative(int *cumulative);

/* the prepared statements of one schema, kept across transactions */
typedef struct OltpPlans
{
	Oid			extoid;
	SPIPlanPtr	plans[OLTP_MAX_OPS][OLTP_OP_MAX_STMTS];
	char	   *sql[OLTP_MAX_OPS][OLTP_OP_MAX_STMTS];
} OltpPlans;

extern void oltp_plans_prepare(OltpPlans *plans, const OltpSchema *schema);
extern void oltp_plans_release(OltpPlans *plans);
extern OltpOpResult oltp_op_run(int op, OltpPlans *plans, const OltpSchema *schema,
								pg_prng_state *rng);

#endif							/* OLTP_SIM_OPS_H */
