/*-------------------------------------------------------------------------
 *
 * op.c
 *		The registry of the stream's operations, their weight settings, the
 *		prepared statements, and the runner that executes an operation's
 *		statements and counts what they changed.
 *
 * An operation is data (op.h) plus a function that draws the values and
 * runs the statements through oltp_op_exec.  The runner, not the
 * operation, counts: every statement declaring a change adds its
 * SPI_processed, so the counters say what the statements did, whatever
 * the operation meant to do, and an operation changing several rows or
 * tables needs no accounting of its own.
 *
 * A new operation is its definition, in the op_*.c file of the table it is
 * about, and one line in op_list.h; its weight setting, counters and share
 * of the watermarks follow.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "generate.h"
#include "guc.h"
#include "op.h"

/* the registry: the operations of op_list.h, in its order */
const OltpOpDef *const oltp_ops[] = {
#define OLTP_OP(def)	&def,
#include "op_list.h"
#undef OLTP_OP
};
const int	oltp_nops = lengthof(oltp_ops);

StaticAssertDecl(lengthof(oltp_ops) <= OLTP_MAX_OPS, "too many operations");

int			oltp_sim_weights[OLTP_MAX_OPS];
int			oltp_sim_profile = OLTP_PROFILE_HOSPITAL;

const char *const oltp_profile_names[OLTP_NPROFILES] = {
	"hospital", "edge_cases", "everything", "decoding",
	"noisy_neighbour", "partitions", "schema_changes",
};

static const struct config_enum_entry op_profile_options[] = {
	{"hospital", OLTP_PROFILE_HOSPITAL, false},
	{"edge_cases", OLTP_PROFILE_EDGE_CASES, false},
	{"everything", OLTP_PROFILE_EVERYTHING, false},
	{"decoding", OLTP_PROFILE_DECODING, false},
	{"noisy_neighbour", OLTP_PROFILE_NOISY_NEIGHBOUR, false},
	{"partitions", OLTP_PROFILE_PARTITIONS, false},
	{"schema_changes", OLTP_PROFILE_SCHEMA_CHANGES, false},
	{NULL, 0, false}
};

StaticAssertDecl(lengthof(op_profile_options) == OLTP_NPROFILES + 1,
				 "every profile has a setting value");

/* ---------------------------------------------------------------------------
 * Weights
 * ---------------------------------------------------------------------------
 */

/*
 * No check hook compares a weight with the others: at server start the
 * others still hold their defaults and on reload they are applied one by
 * one, so such a check would judge against different values each time.
 * The worker looks at the whole set once it is applied, and waits while
 * every weight is zero.
 *
 * A weight left at -1 follows oltp_sim.profile, so switching profiles is
 * one setting, and a weight set to 0 or more holds under any profile.
 *
 * The GUC machinery keeps the description pointers it is given, for the
 * life of the process: they live in TopMemoryContext, as the postmaster's
 * own context is freed in every child.
 */
void
oltp_ops_define_gucs(void)
{
	MemoryContext oldcxt = MemoryContextSwitchTo(TopMemoryContext);

	DefineCustomEnumVariable("oltp_sim.profile",
							 "Which operations the stream runs, and how often, for the weights left at -1.",
							 "hospital: the eight inserts and updates; edge_cases: those and the cases that break CDC pipelines; everything: all operations but the decoder's; decoding: hospital and the streamed, rolled back and message operations; noisy_neighbour: only the writes to the access log, which is not published.",
							 &oltp_sim_profile,
							 OLTP_PROFILE_HOSPITAL,
							 op_profile_options,
							 PGC_SIGHUP,
							 0,
							 NULL, NULL, NULL);

	for (int i = 0; i < oltp_nops; i++)
	{
		const OltpOpDef *op = oltp_ops[i];
		char	   *name = psprintf("oltp_sim.weight_%s", op->name);

		DefineCustomIntVariable(name,
								psprintf("Relative weight of the %s operation in the stream.",
										 op->name),
								"The stream picks each operation with probability weight / sum of weights. 0 leaves it out; -1 takes the weight of oltp_sim.profile.",
								&oltp_sim_weights[i],
								-1,
								-1, OLTP_WEIGHT_MAX,
								PGC_SIGHUP,
								0,
								NULL, NULL, NULL);
		/* the name, unlike the descriptions, is copied */
		pfree(name);
	}
	MemoryContextSwitchTo(oldcxt);
}

/* the weight in effect: the setting, or the profile's when it is -1 */
static int
op_weight(int op, const int *settings, int profile)
{
	if (settings[op] >= 0)
		return settings[op];
	return oltp_ops[op]->weights[profile];
}

int
oltp_ops_weight(int op)
{
	return op_weight(op, oltp_sim_weights, oltp_sim_profile);
}

/*
 * Cumulative weights of settings (one per operation, -1 for the profile's
 * weight) under profile; returns their sum.  The stream passes the
 * oltp_sim.* settings, CALL oltp_run its own arguments over them.
 */
int
oltp_ops_cumulative_of(const int *settings, int profile, int *cumulative)
{
	int			sum = 0;

	for (int i = 0; i < oltp_nops; i++)
	{
		sum += op_weight(i, settings, profile);
		cumulative[i] = sum;
	}
	return sum;
}

/* cumulative weights of the current settings; returns their sum */
int
oltp_ops_cumulative(int *cumulative)
{
	return oltp_ops_cumulative_of(oltp_sim_weights, oltp_sim_profile, cumulative);
}

/* why the stream has nothing to pick; a waiting worker's detail */
const char *const oltp_no_weight_reason =
gettext_noop("every operation's weight in effect is zero");

/*
 * Every weight in effect is zero: say so at elevel, the same for a worker
 * (waiting, LOG) and for CALL oltp_run (ERROR), naming what makes each
 * zero: a weight set to 0, or one left at -1 under a profile that gives
 * that operation nothing.  settings and profile are the worker's settings,
 * or oltp_run's arguments over them.
 */
void
oltp_ops_report_no_weights(int elevel, const int *settings, int profile, bool worker)
{
	int			set_zero = 0;
	int			profile_zero = 0;
	const char *name = oltp_profile_names[profile];

	for (int i = 0; i < oltp_nops; i++)
	{
		if (settings[i] == 0)
			set_zero++;
		else if (settings[i] < 0)
			profile_zero++;
	}
	if (worker)
		ereport(elevel,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("oltp_sim is waiting: %s", _(oltp_no_weight_reason)),
				 profile_zero == 0 ?
				 errdetail("Every oltp_sim.weight_* setting is 0.") :
				 set_zero == 0 ?
				 errdetail("Every oltp_sim.weight_* setting is left at -1, and profile \"%s\" (oltp_sim.profile) gives each of those operations weight 0.",
						   name) :
				 errdetail("%d oltp_sim.weight_* settings are 0, and profile \"%s\" (oltp_sim.profile) gives weight 0 to the %d operations whose setting is left at -1.",
						   set_zero, name, profile_zero),
				 errhint("Give at least one operation a positive weight, or choose a profile that weights the operations left at -1, and reload; to pause the stream, use oltp_stop() or oltp_sim.enabled = off.")));
	else
		ereport(elevel,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s", _(oltp_no_weight_reason)),
				 profile_zero == 0 ?
				 errdetail("Every operation's weight is 0, in the weights argument or its oltp_sim.weight_* setting.") :
				 set_zero == 0 ?
				 errdetail("Every operation's weight is left at -1, and profile \"%s\" gives each of them weight 0.",
						   name) :
				 errdetail("%d operations have weight 0, in the weights argument or their oltp_sim.weight_* setting, and profile \"%s\" gives weight 0 to the %d left at -1.",
						   set_zero, name, profile_zero),
				 errhint("Give at least one operation a positive weight, or choose a profile that weights the operations left at -1: with the weights and profile arguments, or in postgresql.conf (or ALTER SYSTEM) and a reload.")));
}

int
oltp_ops_pick(pg_prng_state *rng, const int *cumulative, int total)
{
	int			r = (int) pg_prng_uint64_range(rng, 0, (uint64) total - 1);
	int			lo = 0,
				hi = oltp_nops - 1;

	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (cumulative[mid] > r)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* is sqlerrcode one the operation expects (a race, not a fault)? */
bool
oltp_op_expects(const OltpOpDef *def, int sqlerrcode)
{
	for (int i = 0; i < OLTP_OP_MAX_EXPECTED && def->expected[i] != 0; i++)
		if (def->expected[i] == sqlerrcode)
			return true;
	return false;
}

/*
 * The tables (kinds false) or the kinds (kinds true) an operation's
 * statements declare, each once, in statement order: "consultas" and
 * "insert" for most, "exames, consultas" for one that changes two tables.
 */
char *
oltp_op_describe(const OltpOpDef *def, bool kinds)
{
	StringInfoData buf;
	bool		seen[OLTP_MAX_TABLES] = {0};	/* room for either */

	initStringInfo(&buf);
	for (int s = 0; s < OLTP_OP_MAX_STMTS && def->stmts[s].sql; s++)
	{
		const OltpStmtDef *stmt = &def->stmts[s];
		int			key = kinds ? (int) stmt->kind : (int) stmt->table;

		if (!stmt->changes || seen[key])
			continue;
		seen[key] = true;
		appendStringInfo(&buf, "%s%s", buf.len > 0 ? ", " : "",
						 kinds ? oltp_change_kind_names[key] : oltp_model[key].name);
	}
	return buf.data;
}

/*
 * Can the operation run on this schema: is every table its statements
 * declare there (IF_PRESENT ones aside)?  An operation on a set not added
 * is not; *missing then names its first absent table.
 */
bool
oltp_op_runnable(const OltpOpDef *def, const OltpSchema *schema, OltpTable *missing)
{
	for (int s = 0; s < OLTP_OP_MAX_STMTS && def->stmts[s].sql; s++)
		if ((def->stmts[s].changes || def->stmts[s].requires) && !def->stmts[s].optional &&
			!schema->present[def->stmts[s].table])
		{
			if (missing)
				*missing = def->stmts[s].table;
			return false;
		}
	return true;
}

/* ---------------------------------------------------------------------------
 * Statements
 * ---------------------------------------------------------------------------
 */

/*
 * Prepare the statements of operation op, if the schema can run it; else
 * it keeps no plan (oltp_plans_runnable says which), since its tables do
 * not exist to plan against.
 */
void
oltp_plans_prepare_op(OltpPlans *plans, const OltpSchema *schema, int op)
{
	const char *nsp = quote_identifier(schema->nspname);

	if (!oltp_op_runnable(oltp_ops[op], schema, NULL))
		return;
	plans->runnable[op] = true;
	for (int s = 0; s < OLTP_OP_MAX_STMTS && oltp_ops[op]->stmts[s].sql; s++)
	{
		const OltpStmtDef *def = &oltp_ops[op]->stmts[s];
		char	   *sql;
		SPIPlanPtr	plan;

		if (def->optional && !schema->present[def->table])
			continue;
		sql = psprintf(def->sql, nsp);

		/*
		 * Generic plans: the statements probe indexes by parameter, so the
		 * best plan does not depend on the values, and planning once saves
		 * it on every execution.
		 */
		plan = SPI_prepare_cursor(sql, def->nargs, (Oid *) def->argtypes,
								  CURSOR_OPT_GENERIC_PLAN);

		if (plan == NULL)
			elog(ERROR, "could not prepare \"%s\": %s", sql,
				 SPI_result_code_string(SPI_result));
		if (SPI_keepplan(plan) != 0)
			elog(ERROR, "could not keep the plan of \"%s\"", sql);
		plans->plans[op][s] = plan;
		plans->sql[op][s] = MemoryContextStrdup(TopMemoryContext, sql);
		pfree(sql);
	}
}

/* the statements of every operation the schema can run */
void
oltp_plans_prepare(OltpPlans *plans, const OltpSchema *schema)
{
	oltp_plans_release(plans);
	for (int i = 0; i < oltp_nops; i++)
		oltp_plans_prepare_op(plans, schema, i);
	plans->extoid = schema->extoid;
	memcpy(plans->relids, schema->relids, sizeof(plans->relids));
}

/*
 * Prepare again the statements of the operations marked in ops, for the
 * tables as they are now, the others' plans kept: a change of the tables
 * of one set (a table made, dropped or swapped for another) makes only
 * those operations' plans stale (oltp_plans_stale_ops, xact.c)
 */
/* operation op's plans and statements freed */
static void
plans_free_op(OltpPlans *plans, int op)
{
	for (int s = 0; s < OLTP_OP_MAX_STMTS; s++)
	{
		if (plans->plans[op][s])
			SPI_freeplan(plans->plans[op][s]);
		if (plans->sql[op][s])
			pfree(plans->sql[op][s]);
		plans->plans[op][s] = NULL;
		plans->sql[op][s] = NULL;
	}
}

void
oltp_plans_prepare_ops(OltpPlans *plans, const OltpSchema *schema, const bool *ops)
{
	for (int i = 0; i < oltp_nops; i++)
	{
		if (!ops[i])
			continue;
		plans_free_op(plans, i);
		plans->runnable[i] = false;
		oltp_plans_prepare_op(plans, schema, i);
	}
	memcpy(plans->relids, schema->relids, sizeof(plans->relids));
}

/* were the plans prepared for this schema: the same extension and tables? */
bool
oltp_plans_current(const OltpPlans *plans, const OltpSchema *schema)
{
	return plans->extoid == schema->extoid &&
		memcmp(plans->relids, schema->relids, sizeof(plans->relids)) == 0;
}

/* has operation op its plans (are its tables there)? */
bool
oltp_plans_runnable(const OltpPlans *plans, int op)
{
	return plans->runnable[op];
}

void
oltp_plans_release(OltpPlans *plans)
{
	for (int i = 0; i < OLTP_MAX_OPS; i++)
		plans_free_op(plans, i);
	plans->extoid = InvalidOid;
	memset(plans->relids, 0, sizeof(plans->relids));
	memset(plans->runnable, 0, sizeof(plans->runnable));
}

/* the statement oltp_status shows while the operation runs: its first change */
const char *
oltp_plans_activity(const OltpPlans *plans, int op)
{
	for (int s = 0; s < OLTP_OP_MAX_STMTS && oltp_ops[op]->stmts[s].sql; s++)
		if (oltp_ops[op]->stmts[s].changes && plans->sql[op][s])
			return plans->sql[op][s];
	return plans->sql[op][0];
}

/* ---------------------------------------------------------------------------
 * The runner
 * ---------------------------------------------------------------------------
 */

/*
 * Run operation op once, in the caller's transaction (and SPI connection),
 * at time now; *changes receives what its statements changed.  Errors propagate: the
 * caller decides what one failed operation costs, and whether its SQLSTATE
 * was expected (oltp_op_expects).
 */
OltpOpResult
oltp_op_run(int op, OltpPlans *plans, const OltpSchema *schema, pg_prng_state *rng,
			Timestamp now, OltpChanges *changes)
{
	OltpOpContext ctx;

	memset(&ctx, 0, sizeof(ctx));
	memset(changes, 0, sizeof(*changes));
	ctx.rng = rng;
	ctx.now = now;
	ctx.today = DatumGetDateADT(DirectFunctionCall1(timestamp_date, TimestampGetDatum(now)));
	ctx.schema = schema;
	ctx.def = oltp_ops[op];
	ctx.changes = changes;
	for (int s = 0; s < OLTP_OP_MAX_STMTS; s++)
	{
		ctx.plans[s] = plans->plans[op][s];
		ctx.sql[s] = plans->sql[op][s];
	}
	return ctx.def->run(&ctx);
}

/* the SPI result a statement must return: its kind's, or a query's */
bool
oltp_op_result_ok(const OltpStmtDef *stmt, int rc)
{
	/* a statement that changes nothing reads, or locks (LOCK TABLE) */
	if (!stmt->changes)
		return rc == SPI_OK_SELECT || rc == SPI_OK_UTILITY;
	switch (stmt->kind)
	{
		case OLTP_CHANGE_INSERT:
			return rc == SPI_OK_INSERT || rc == SPI_OK_INSERT_RETURNING;
		case OLTP_CHANGE_UPDATE:
			return rc == SPI_OK_UPDATE || rc == SPI_OK_UPDATE_RETURNING;
		case OLTP_CHANGE_DELETE:
			return rc == SPI_OK_DELETE || rc == SPI_OK_DELETE_RETURNING;
		case OLTP_CHANGE_TRUNCATE:
			return rc == SPI_OK_UTILITY;
		/*
		 * DDL (and its LOCK TABLE): SPI_processed is 0, the change is
		 * counted by its announcement (oltp_announce)
		 */
		case OLTP_CHANGE_SCHEMA:
			return rc == SPI_OK_UTILITY;
		case OLTP_NCHANGE_KINDS:
			break;
	}
	return false;
}

/*
 * Execute statement stmt of the running operation and keep its result for
 * the statements after it.  A statement declaring a change adds what it
 * changed to the operation's count: SPI_processed rows, or one TRUNCATE
 * event per table, as test_decoding and pgoutput emit one per table.
 */
uint64
oltp_op_exec(OltpOpContext *ctx, int stmt, Datum *args, const char *nulls)
{
	const OltpStmtDef *def = &ctx->def->stmts[stmt];
	int			rc;

	if (ctx->plans[stmt] == NULL)
		elog(ERROR, "statement %d of operation %s was not prepared: its table does not exist",
			 stmt, ctx->def->name);
	rc = SPI_execute_plan(ctx->plans[stmt], args, nulls, false, 0);

	if (!oltp_op_result_ok(def, rc))
		elog(ERROR, "\"%s\" returned %s", ctx->sql[stmt], SPI_result_code_string(rc));
	ctx->results[stmt].tuptable = SPI_tuptable;
	ctx->results[stmt].processed = SPI_processed;
	if (def->changes)
		ctx->changes->rows[def->table][def->kind] +=
			def->kind == OLTP_CHANGE_TRUNCATE ? 1 : SPI_processed;
	return SPI_processed;
}

/*
 * Rows a statement changed through a foreign key's ON UPDATE CASCADE:
 * logical decoding emits each as a change of its own table, which
 * SPI_processed of the statement does not count.  The operation knows them
 * (it locked them first) and adds them here.
 */
void
oltp_op_count_cascade(OltpOpContext *ctx, OltpTable table, OltpChangeKind kind, uint64 n)
{
	ctx->changes->rows[table][kind] += n;
}

/*
 * Pick a candidate with statement 0 (PICK_CANDIDATE or PICK_LOCKED): from
 * a random point, then from the start, which a fraction of 0 means (not a
 * rank: PICK_POINT in op.h).  False when there is none (or all are locked
 * by others); else statement 0's result holds the row, id first.
 */
bool
oltp_op_pick(OltpOpContext *ctx)
{
	Datum		arg;

	arg = oltp_op_fraction(ctx);
	if (oltp_op_exec(ctx, 0, &arg, NULL) == 0)
	{
		arg = Float8GetDatum(0.0);
		if (oltp_op_exec(ctx, 0, &arg, NULL) == 0)
			return false;
	}
	return true;
}

/*
 * What an INSERT ... SELECT of one row did: nothing when no parent exists.
 *
 * A new row references a random existing parent, picked in the INSERT
 * itself (PICK in op.h): a rank in the id range, drawn uniformly or, under
 * oltp_sim.skew, towards the hot ranks (oltp_op_fraction), placed at a
 * point between min(id) and max(id) by a fixed permutation of the range,
 * then the first row at or after that point.  The pick costs one probe of
 * the primary key at any table size and needs no round trip.  When the
 * parent table is empty the INSERT ... SELECT inserts nothing, and the
 * operation is skipped, not failed.
 *
 * The pick reads without a lock, so a parent deleted by another session
 * between the pick and the insert's foreign key check makes the insert
 * fail with foreign_key_violation.  That is a race the stream expects,
 * not a fault: the operation declares it, and the worker counts it as
 * skipped.  So is deadlock_detected: the foreign key check waits for a
 * parent another transaction holds (an update, erasure or renumbering of
 * that patient), and with several operations per transaction that one may
 * come to wait for a parent this transaction's earlier insert holds.  The
 * waits are the inserts', so one of them is the one cancelled.
 */
OltpOpResult
oltp_op_inserted(uint64 n)
{
	return n == 1 ? OLTP_OP_DONE : OLTP_OP_SKIPPED;
}

/*
 * A delete: statement 0 picks a candidate, locked (FOR UPDATE SKIP LOCKED:
 * two workers never wait on each other's rows); the statements before
 * delete_stmt, where prepared, look for what keeps the row (a report of an
 * exam): one that finds a row leaves the candidate alone (skipped);
 * statement delete_stmt deletes it by id, with the candidate's condition
 * repeated.
 */
OltpOpResult
oltp_op_delete_picked(OltpOpContext *ctx, int delete_stmt)
{
	Datum		arg;

	if (!oltp_op_pick(ctx))
		return OLTP_OP_SKIPPED;
	arg = Int64GetDatum(oltp_op_result_int8(ctx, 0, 1));
	for (int s = 1; s < delete_stmt; s++)
		if (oltp_op_has(ctx, s) && oltp_op_exec(ctx, s, &arg, NULL) > 0)
			return OLTP_OP_SKIPPED;
	return oltp_op_last(ctx, delete_stmt, &arg, NULL, OLTP_CHECK_ONE);
}

/* run statement stmt, an INSERT_CONSULTA_OF_PACIENTE, for a new consultation of paciente */
uint64
oltp_op_insert_consulta_of(OltpOpContext *ctx, int stmt, Datum paciente)
{
	OltpConsulta visit;
	Datum		args[5];

	oltp_gen_consulta(ctx->rng, ctx->now, OLTP_GEN_LIVE, &visit);
	args[0] = paciente;
	args[1] = oltp_op_fraction(ctx);
	args[2] = TimestampGetDatum(visit.data);
	args[3] = CStringGetTextDatum(visit.motivo);
	args[4] = CStringGetTextDatum(visit.status);
	return oltp_op_exec(ctx, stmt, args, NULL);
}

/*
 * Statement stmt, run on the row the pick locked, changed n rows: it must
 * be that one row, as nothing else can have taken it.  Anything else is a
 * fault in the statements, not a race.
 */
OltpOpResult
oltp_op_one(OltpOpContext *ctx, int stmt, uint64 n)
{
	return oltp_op_checked(ctx->sql[stmt], OLTP_CHECK_ONE, n);
}

/*
 * Statement stmt, an UPDATE of the row its own pick locked (PICKED in op.h),
 * changed n rows: none when the pick found no candidate (skipped), else
 * that one row; more is a fault in the statement, as in oltp_op_one.
 */
OltpOpResult
oltp_op_picked(OltpOpContext *ctx, int stmt, uint64 n)
{
	return oltp_op_checked(ctx->sql[stmt], OLTP_CHECK_PICKED, n);
}

/*
 * The outcome of statement sql, which changed n rows, as check says
 * (oltp_op_inserted, oltp_op_picked, oltp_op_one); a fault is an error
 */
OltpOpResult
oltp_op_checked(const char *sql, OltpOpCheck check, uint64 n)
{
	switch (check)
	{
		case OLTP_CHECK_INSERTED:
			return oltp_op_inserted(n);
		case OLTP_CHECK_PICKED:
			if (n == 0)
				return OLTP_OP_SKIPPED;
			break;
		case OLTP_CHECK_ONE:
			break;
	}
	if (n != 1)
		elog(ERROR, "\"%s\" changed " UINT64_FORMAT " rows instead of 1", sql, n);
	return OLTP_OP_DONE;
}

/*
 * The operation's last statement, stmt: nothing the operation draws or
 * runs after it depends on its answer, so its outcome is check applied to
 * the rows it changed.  The server runs it and checks it at once, as
 * oltp_op_exec and oltp_op_inserted, oltp_op_picked or oltp_op_one do.
 * The client may send it with its transaction's end and read the answer
 * while it draws the next operations (client_op_defer): the operation is
 * then OLTP_OP_PENDING, and the client counts its changes and its outcome
 * once it has read them (docs/client.md, Round trips).
 */
OltpOpResult
oltp_op_last(OltpOpContext *ctx, int stmt, Datum *args, const char *nulls, OltpOpCheck check)
{
#ifdef FRONTEND
	if (client_op_defer(ctx, stmt, args, nulls, check))
		return OLTP_OP_PENDING;
#endif
	return oltp_op_checked(ctx->sql[stmt], check, oltp_op_exec(ctx, stmt, args, nulls));
}

/* was statement stmt prepared (an IF_PRESENT one only when its table exists)? */
bool
oltp_op_has(OltpOpContext *ctx, int stmt)
{
	return ctx->plans[stmt] != NULL;
}

/*
 * The argument of the PICK statements: a rank fraction, which PICK_POINT
 * (op.h) turns into a row.  Uniform with oltp_sim.skew = 0; with skew s,
 * u^(1 / (1 - s)) for a uniform u, whose distribution is
 * P(fraction < x) = x^(1 - s): the hottest share p of the ranks gets
 * p^(1 - s) of the picks (the hottest 1% gets 10% at s = 0.5, 40% at 0.8,
 * 63% at 0.9), and rank r of n gets ((r + 1) / n)^(1 - s) - (r / n)^(1 - s),
 * Zipf's law with exponent s.  PICK_POINT keeps the hottest ranks on the
 * same rows while the table grows.  It costs the same at any table size:
 * the statement still probes the primary key once.
 */
Datum
oltp_op_fraction(OltpOpContext *ctx)
{
	double		u = pg_prng_double(ctx->rng);

	if (oltp_sim_skew > 0)
		u = pow(u, 1.0 / (1.0 - oltp_sim_skew));
	return Float8GetDatum(u);
}

/* column col (from 1) of the first row statement stmt returned */
int64
oltp_op_result_int8(OltpOpContext *ctx, int stmt, int col)
{
	OltpStmtResult *res = &ctx->results[stmt];
	bool		isnull;
	Datum		d;

	if (res->tuptable == NULL || res->processed == 0)
		elog(ERROR, "\"%s\" returned no row to read", ctx->sql[stmt]);
	d = SPI_getbinval(res->tuptable->vals[0], res->tuptable->tupdesc, col, &isnull);
	if (isnull)
		elog(ERROR, "\"%s\" returned NULL in column %d", ctx->sql[stmt], col);
	return DatumGetInt64(d);
}

/* the same as text, NULL for a NULL */
char *
oltp_op_result_text(OltpOpContext *ctx, int stmt, int col)
{
	OltpStmtResult *res = &ctx->results[stmt];

	if (res->tuptable == NULL || res->processed == 0)
		elog(ERROR, "\"%s\" returned no row to read", ctx->sql[stmt]);
	return SPI_getvalue(res->tuptable->vals[0], res->tuptable->tupdesc, col);
}
