/*-------------------------------------------------------------------------
 *
 * ops.c
 *		The operation table of the stream: each operation's name, weight
 *		GUC, statements and the function that runs it.
 *
 * A new kind of change is one more row in oltp_ops[] and one run function;
 * the worker, the counters and oltp_status pick it up from here.
 *
 * Finding a row to update costs the same at any table size: a random point
 * between min(id) and max(id) (both read from the primary key), then the
 * first candidate at or after it through a partial index on the candidates.
 * If there is none past the point, the search starts again from the
 * beginning.  FOR UPDATE SKIP LOCKED keeps concurrent workers off each
 * other's rows.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "generate.h"
#include "ops.h"

int			oltp_sim_weights[OLTP_MAX_OPS];

/*
 * Every operator and function below is pg_catalog's, named so, with
 * arguments of the exact types it takes: nothing in a schema another role
 * can write to is ever a candidate, whatever the search_path.  OPERATOR()
 * binds looser than + and *, hence the parentheses.
 */

/* the id at fraction $N of the id range: min + floor($N * (max - min + 1)) */
#define PICK_POINT(N) \
	"pg_catalog.min(id) OPERATOR(pg_catalog.+) pg_catalog.floor($" N \
	" OPERATOR(pg_catalog.*) ((pg_catalog.max(id) OPERATOR(pg_catalog.-) pg_catalog.min(id)" \
	" OPERATOR(pg_catalog.+) 1)::pg_catalog.float8))::pg_catalog.int8"

/* a random existing id of table T at fraction $N of its id range */
#define PICK(T, N) \
	"(SELECT id FROM %1$s." T " WHERE id OPERATOR(pg_catalog.>=) " \
	"(SELECT " PICK_POINT(N) " FROM %1$s." T ") ORDER BY id LIMIT 1)"

/* the first candidate of T (WHERE C) at or after fraction $1, locked */
#define PICK_CANDIDATE(T, COLS, C) \
	"SELECT " COLS " FROM %1$s." T " WHERE " C " AND id OPERATOR(pg_catalog.>=) " \
	"(SELECT " PICK_POINT("1") " FROM %1$s." T ") " \
	"ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED"

/* the predicate of index oltp_sim_consultas_agendadas, written the same way */
#define AGENDADA \
	"status::pg_catalog.text OPERATOR(pg_catalog.=) 'agendada'::pg_catalog.text"

static OltpOpResult op_insert_paciente(OltpOpContext *ctx);
static OltpOpResult op_insert_consulta(OltpOpContext *ctx);
static OltpOpResult op_insert_exame(OltpOpContext *ctx);
static OltpOpResult op_insert_internacao(OltpOpContext *ctx);
static OltpOpResult op_update_paciente(OltpOpContext *ctx);
static OltpOpResult op_update_consulta(OltpOpContext *ctx);
static OltpOpResult op_update_exame(OltpOpContext *ctx);
static OltpOpResult op_update_internacao(OltpOpContext *ctx);

const OltpOpDef oltp_ops[] = {
	{"insert_paciente", OLTP_PACIENTES, OLTP_OP_INSERT, 7, {
			{"INSERT INTO %1$s.pacientes (id, nome, nascimento, cpf, telefone, endereco) "
				"VALUES ($1, $2, $3, $4, $5, $6)",
			6, {INT8OID, TEXTOID, DATEOID, TEXTOID, TEXTOID, TEXTOID}},
	}, op_insert_paciente},
	{"insert_consulta", OLTP_CONSULTAS, OLTP_OP_INSERT, 35, {
			{"INSERT INTO %1$s.consultas (paciente_id, medico_id, data, motivo, status) "
				"SELECT p.id, m.id, $3, $4, $5 FROM " PICK("pacientes", "1") " p, "
				PICK("medicos", "2") " m",
			5, {FLOAT8OID, FLOAT8OID, TIMESTAMPOID, TEXTOID, TEXTOID}},
	}, op_insert_consulta},
	{"insert_exame", OLTP_EXAMES, OLTP_OP_INSERT, 18, {
			{"INSERT INTO %1$s.exames (paciente_id, tipo_exame, data) "
				"SELECT p.id, $2, $3 FROM " PICK("pacientes", "1") " p",
			3, {FLOAT8OID, TEXTOID, TIMESTAMPOID}},
	}, op_insert_exame},
	{"insert_internacao", OLTP_INTERNACOES, OLTP_OP_INSERT, 10, {
			{"INSERT INTO %1$s.internacoes (paciente_id, data_entrada, motivo, quarto) "
				"SELECT p.id, $2, $3, $4 FROM " PICK("pacientes", "1") " p",
			4, {FLOAT8OID, TIMESTAMPOID, TEXTOID, TEXTOID}},
	}, op_insert_internacao},
	{"update_paciente", OLTP_PACIENTES, OLTP_OP_UPDATE, 5, {
			{"SELECT id, telefone FROM %1$s.pacientes WHERE id OPERATOR(pg_catalog.>=) "
				"(SELECT " PICK_POINT("1") " FROM %1$s.pacientes) "
				"ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
			1, {FLOAT8OID}},
			{"UPDATE %1$s.pacientes SET telefone = $2, endereco = coalesce($3, endereco) "
				"WHERE id OPERATOR(pg_catalog.=) $1",
			3, {INT8OID, TEXTOID, TEXTOID}},
	}, op_update_paciente},
	{"update_consulta", OLTP_CONSULTAS, OLTP_OP_UPDATE, 12, {
			{PICK_CANDIDATE("consultas", "id", AGENDADA), 1, {FLOAT8OID}},
			{"UPDATE %1$s.consultas SET status = $2, "
				"data = CASE WHEN $2 OPERATOR(pg_catalog.=) 'cancelada'::pg_catalog.text "
				"THEN data ELSE least(data, $3) END "
				"WHERE id OPERATOR(pg_catalog.=) $1 AND " AGENDADA,
			3, {INT8OID, TEXTOID, TIMESTAMPOID}},
	}, op_update_consulta},
	{"update_exame", OLTP_EXAMES, OLTP_OP_UPDATE, 8, {
			{PICK_CANDIDATE("exames", "id, tipo_exame", "resultado IS NULL"), 1, {FLOAT8OID}},
			{"UPDATE %1$s.exames SET resultado = $2, data = least(data, $3) "
				"WHERE id OPERATOR(pg_catalog.=) $1 AND resultado IS NULL",
			3, {INT8OID, TEXTOID, TIMESTAMPOID}},
	}, op_update_exame},
	{"update_internacao", OLTP_INTERNACOES, OLTP_OP_UPDATE, 5, {
			{PICK_CANDIDATE("internacoes", "id", "data_saida IS NULL"), 1, {FLOAT8OID}},
			{"UPDATE %1$s.internacoes SET data_saida = greatest(data_entrada, $2) "
				"WHERE id OPERATOR(pg_catalog.=) $1 AND data_saida IS NULL",
			2, {INT8OID, TIMESTAMPOID}},
	}, op_update_internacao},
};
const int	oltp_nops = lengthof(oltp_ops);

StaticAssertDecl(lengthof(oltp_ops) <= OLTP_MAX_OPS, "too many operations");

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
 * The GUC machinery keeps the description pointers it is given, for the
 * life of the process: they live in TopMemoryContext, as the postmaster's
 * own context is freed in every child.
 */
void
oltp_ops_define_gucs(void)
{
	MemoryContext oldcxt = MemoryContextSwitchTo(TopMemoryContext);

	for (int i = 0; i < oltp_nops; i++)
	{
		const OltpOpDef *op = &oltp_ops[i];
		char	   *name = psprintf("oltp_sim.weight_%s", op->name);

		DefineCustomIntVariable(name,
								psprintf("Relative weight of the %s operation in the stream.",
										 op->name),
								"The stream picks each operation with probability weight / sum of weights. 0 leaves it out.",
								&oltp_sim_weights[i],
								op->default_weight,
								0, 1000000,
								PGC_SIGHUP,
								0,
								NULL, NULL, NULL);
		/* the name, unlike the descriptions, is copied */
		pfree(name);
	}
	MemoryContextSwitchTo(oldcxt);
}

/* cumulative weights of the current settings; returns their sum */
int
oltp_ops_cumulative(int *cumulative)
{
	int			sum = 0;

	for (int i = 0; i < oltp_nops; i++)
	{
		sum += oltp_sim_weights[i];
		cumulative[i] = sum;
	}
	return sum;
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

/* ---------------------------------------------------------------------------
 * Statements
 * ---------------------------------------------------------------------------
 */

void
oltp_plans_prepare(OltpPlans *plans, const OltpSchema *schema)
{
	const char *nsp = quote_identifier(schema->nspname);

	oltp_plans_release(plans);
	for (int i = 0; i < oltp_nops; i++)
		for (int s = 0; s < OLTP_OP_MAX_STMTS && oltp_ops[i].stmts[s].sql; s++)
		{
			const OltpStmtDef *def = &oltp_ops[i].stmts[s];
			char	   *sql = psprintf(def->sql, nsp);
			/*
			 * Generic plans: the statements probe indexes by parameter, so
			 * the best plan does not depend on the values, and planning
			 * once saves it on every execution.
			 */
			SPIPlanPtr	plan = SPI_prepare_cursor(sql, def->nargs, (Oid *) def->argtypes,
												  CURSOR_OPT_GENERIC_PLAN);

			if (plan == NULL)
				elog(ERROR, "could not prepare \"%s\": %s", sql,
					 SPI_result_code_string(SPI_result));
			if (SPI_keepplan(plan) != 0)
				elog(ERROR, "could not keep the plan of \"%s\"", sql);
			plans->plans[i][s] = plan;
			plans->sql[i][s] = MemoryContextStrdup(TopMemoryContext, sql);
			pfree(sql);
		}
	plans->extoid = schema->extoid;
}

void
oltp_plans_release(OltpPlans *plans)
{
	for (int i = 0; i < OLTP_MAX_OPS; i++)
		for (int s = 0; s < OLTP_OP_MAX_STMTS; s++)
		{
			if (plans->plans[i][s])
				SPI_freeplan(plans->plans[i][s]);
			if (plans->sql[i][s])
				pfree(plans->sql[i][s]);
			plans->plans[i][s] = NULL;
			plans->sql[i][s] = NULL;
		}
	plans->extoid = InvalidOid;
}

/*
 * Run operation op once, in the caller's transaction (and SPI connection).
 * Errors propagate: the caller decides what one failed operation costs.
 */
OltpOpResult
oltp_op_run(int op, OltpPlans *plans, const OltpSchema *schema, pg_prng_state *rng)
{
	OltpOpContext ctx;

	ctx.rng = rng;
	ctx.now = GetSQLLocalTimestamp(-1);
	ctx.today = GetSQLCurrentDate();
	ctx.schema = schema;
	for (int s = 0; s < OLTP_OP_MAX_STMTS; s++)
	{
		ctx.plans[s] = plans->plans[op][s];
		ctx.sql[s] = plans->sql[op][s];
	}
	return oltp_ops[op].run(&ctx);
}

/* ---------------------------------------------------------------------------
 * The operations
 * ---------------------------------------------------------------------------
 */

static uint64
ops_exec(OltpOpContext *ctx, int stmt, Datum *args, const char *nulls, int expect)
{
	int			rc = SPI_execute_plan(ctx->plans[stmt], args, nulls, false,
									  expect == SPI_OK_SELECT ? 1 : 0);

	if (rc != expect)
		elog(ERROR, "\"%s\" returned %s", ctx->sql[stmt], SPI_result_code_string(rc));
	return SPI_processed;
}

/* an UPDATE by id after a pick must change exactly the one row picked */
static OltpOpResult
ops_updated_one(OltpOpContext *ctx, uint64 n)
{
	if (n != 1)
		elog(ERROR, "\"%s\" changed " UINT64_FORMAT " rows instead of 1", ctx->sql[1], n);
	return OLTP_OP_DONE;
}

static OltpOpResult
ops_inserted(uint64 n)
{
	/* INSERT ... SELECT inserts nothing when there is no row to reference */
	return n == 1 ? OLTP_OP_DONE : OLTP_OP_SKIPPED;
}

static Datum
ops_fraction(OltpOpContext *ctx)
{
	return Float8GetDatum(pg_prng_double(ctx->rng));
}

static OltpOpResult
op_insert_paciente(OltpOpContext *ctx)
{
	OltpPaciente row;
	Datum		args[OLTP_PACIENTE_NCOLS];
	int64		id;

	/* the CPF derives from the id, so the id is drawn first */
	id = oltp_next_natural_id(ctx->schema->seqids[OLTP_PACIENTES],
							  oltp_model[OLTP_PACIENTES].name, OLTP_CPF_CAPACITY);
	oltp_gen_paciente(ctx->rng, id, ctx->today, &row);
	oltp_paciente_datums(id, &row, args);
	return ops_inserted(ops_exec(ctx, 0, args, NULL, SPI_OK_INSERT));
}

static OltpOpResult
op_insert_consulta(OltpOpContext *ctx)
{
	OltpConsulta row;
	Datum		args[5];

	args[0] = ops_fraction(ctx);
	args[1] = ops_fraction(ctx);
	oltp_gen_consulta(ctx->rng, ctx->now, OLTP_GEN_LIVE, &row);
	args[2] = TimestampGetDatum(row.data);
	args[3] = CStringGetTextDatum(row.motivo);
	args[4] = CStringGetTextDatum(row.status);
	return ops_inserted(ops_exec(ctx, 0, args, NULL, SPI_OK_INSERT));
}

static OltpOpResult
op_insert_exame(OltpOpContext *ctx)
{
	OltpExame	row;
	Datum		args[3];

	args[0] = ops_fraction(ctx);
	oltp_gen_exame(ctx->rng, ctx->now, OLTP_GEN_LIVE, &row);
	args[1] = CStringGetTextDatum(row.tipo);
	args[2] = TimestampGetDatum(row.data);
	return ops_inserted(ops_exec(ctx, 0, args, NULL, SPI_OK_INSERT));
}

static OltpOpResult
op_insert_internacao(OltpOpContext *ctx)
{
	OltpInternacao row;
	Datum		args[4];

	args[0] = ops_fraction(ctx);
	oltp_gen_internacao(ctx->rng, ctx->now, OLTP_GEN_LIVE, &row);
	args[1] = TimestampGetDatum(row.entrada);
	args[2] = CStringGetTextDatum(row.motivo);
	args[3] = CStringGetTextDatum(row.quarto);
	return ops_inserted(ops_exec(ctx, 0, args, NULL, SPI_OK_INSERT));
}

/*
 * Pick a candidate with statement 0: from a random point, then from the
 * start.  Returns false when there is none (or all are locked by others).
 */
static bool
ops_pick(OltpOpContext *ctx, int64 *id, char **col2)
{
	Datum		arg;
	bool		isnull;

	arg = ops_fraction(ctx);
	if (ops_exec(ctx, 0, &arg, NULL, SPI_OK_SELECT) == 0)
	{
		arg = Float8GetDatum(0.0);
		if (ops_exec(ctx, 0, &arg, NULL, SPI_OK_SELECT) == 0)
			return false;
	}
	*id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc,
									  1, &isnull));
	if (col2)
		*col2 = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	return true;
}

/* half move house (new address and phone), half change only the number */
static OltpOpResult
op_update_paciente(OltpOpContext *ctx)
{
	char		telefone[21];
	char		endereco[201];
	char	   *old_phone = NULL;
	int64		id;
	Datum		args[3];
	char		nulls[3] = {' ', ' ', ' '};
	int			ddd;

	if (!ops_pick(ctx, &id, &old_phone))
		return OLTP_OP_SKIPPED;
	if (pg_prng_bool(ctx->rng))
	{
		int			state = oltp_gen_address(ctx->rng, endereco, sizeof(endereco));

		oltp_gen_phone(ctx->rng, state, telefone, sizeof(telefone));
		args[2] = CStringGetTextDatum(endereco);
	}
	else
	{
		/* keep the area code of "(DD) 9NNNN-NNNN" */
		if (old_phone != NULL && sscanf(old_phone, "(%d)", &ddd) == 1 && ddd >= 11 && ddd <= 99)
			oltp_gen_phone_in_area(ctx->rng, ddd, telefone, sizeof(telefone));
		else
		{
			int			state = oltp_gen_address(ctx->rng, endereco, sizeof(endereco));

			oltp_gen_phone(ctx->rng, state, telefone, sizeof(telefone));
		}
		nulls[2] = 'n';
		args[2] = (Datum) 0;
	}
	args[0] = Int64GetDatum(id);
	args[1] = CStringGetTextDatum(telefone);
	return ops_updated_one(ctx, ops_exec(ctx, 1, args, nulls, SPI_OK_UPDATE));
}

/* a scheduled consultation happens, is cancelled or is missed */
static OltpOpResult
op_update_consulta(OltpOpContext *ctx)
{
	int64		id;
	Datum		args[3];

	if (!ops_pick(ctx, &id, NULL))
		return OLTP_OP_SKIPPED;
	args[0] = Int64GetDatum(id);
	args[1] = CStringGetTextDatum(oltp_gen_consulta_outcome(ctx->rng));
	args[2] = TimestampGetDatum(ctx->now);
	return ops_updated_one(ctx, ops_exec(ctx, 1, args, NULL, SPI_OK_UPDATE));
}

/* a pending exam gets its result (and is done by now, if it was ahead) */
static OltpOpResult
op_update_exame(OltpOpContext *ctx)
{
	int64		id;
	char	   *tipo;
	Datum		args[3];

	if (!ops_pick(ctx, &id, &tipo))
		return OLTP_OP_SKIPPED;
	args[0] = Int64GetDatum(id);
	args[1] = CStringGetTextDatum(oltp_gen_exam_result(ctx->rng, tipo));
	args[2] = TimestampGetDatum(ctx->now);
	return ops_updated_one(ctx, ops_exec(ctx, 1, args, NULL, SPI_OK_UPDATE));
}

/* an open admission is discharged now (never before it began) */
static OltpOpResult
op_update_internacao(OltpOpContext *ctx)
{
	int64		id;
	Datum		args[2];

	if (!ops_pick(ctx, &id, NULL))
		return OLTP_OP_SKIPPED;
	args[0] = Int64GetDatum(id);
	args[1] = TimestampGetDatum(ctx->now);
	return ops_updated_one(ctx, ops_exec(ctx, 1, args, NULL, SPI_OK_UPDATE));
}
