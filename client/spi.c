/*-------------------------------------------------------------------------
 *
 * spi.c
 *		SPI over libpq: the statements of the engine's operations (op.c
 *		prepares and runs them through SPI) as prepared statements of the
 *		client's connection.
 *
 * A plan is a libpq prepared statement with the operation's argument
 * types.  The arguments arrive as the server would take them, Datums of
 * those types; each goes out in the binary format of its type (integers,
 * float8, timestamp, date, bool, arrays of them and of text) or as text
 * (text itself, and the values the client read back as text to send them
 * again: bpchar, uuid, tid).  Results come back as text: SPI_getbinval
 * gives the integers as integers and any other value as text, which is
 * what an operation sends back (op_types.c passes a row's key on).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "port/pg_bswap.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/memutils.h"
#include "utils/pg_lsn.h"

#include "backend.h"
#include "client.h"
#include "op.h"
#include "stream.h"

#define SPI_MAX_ARGS	16

struct _SPI_plan
{
	char		name[32];
	int			nargs;
	Oid			argtypes[SPI_MAX_ARGS];
	bool		needs_block;	/* legal only in a transaction block */
	char	   *src;			/* its text, for an error about a deferred answer */
	PGresult   *res;			/* the last execution's, until the next */
	SPITupleTable table;
};

/* a row of a result, as SPITupleTable.vals points to it */
typedef struct ClientRow
{
	PGresult   *res;
	int			row;
} ClientRow;

uint64		SPI_processed = 0;
SPITupleTable *SPI_tuptable = NULL;
int			SPI_result = 0;

static int	spi_nplans = 0;

/*
 * The client's transaction: begun (client_begin, or after SPI_commit and
 * SPI_rollback, as a non-atomic SPI connection goes on) by a BEGIN sent in
 * one pipeline with its first statement, so beginning costs no round trip
 * of its own, and a transaction nothing follows none at all.
 *
 * In the stream (client_defer_commit), a COMMIT is not waited for either:
 * it goes in the same pipeline, before the next transaction's BEGIN and
 * first statement, and its result is read with theirs.  The transaction's
 * tally waits for it (client_tally_defer): counted once COMMIT succeeded,
 * as a failed transaction if it did not.  client_flush_commit sends one
 * still waiting, at the end of a stream and before a ROLLBACK.
 */
static bool spi_begin_pending = false;
static bool spi_commit_pending = false;
static bool spi_xact_used = false;	/* a statement ran since it began */
bool		client_defer_commit = false;

/*
 * What was sent and not read yet, oldest first: the Syncs of implicit
 * transactions (below), each after the last statement of its operation
 * when that was deferred (client_op_defer), and a deferred COMMIT once it
 * went out.  Each is a pipeline segment of its own, ended by its Sync: an
 * error aborts that transaction only.  Their answers come in this order,
 * and are read in it, before any later statement's.
 */
typedef enum SpiInflightKind
{
	SPI_INFLIGHT_SYNC,			/* an implicit transaction's Sync */
	SPI_INFLIGHT_LAST,			/* its operation's last statement, then its Sync */
	SPI_INFLIGHT_COMMIT			/* COMMIT, then a Sync */
} SpiInflightKind;

typedef struct SpiInflight
{
	SpiInflightKind kind;
	/* SPI_INFLIGHT_LAST: the statement, and how its rows say the outcome */
	const OltpOpDef *def;
	int			stmt;
	SPIPlanPtr	plan;
	OltpOpCheck check;
} SpiInflight;

#define SPI_MAX_INFLIGHT	(CLIENT_MAX_IN_FLIGHT + 2)
static SpiInflight spi_inflight[SPI_MAX_INFLIGHT];
static int	spi_inflight_first = 0;
static int	spi_ninflight = 0;

/* the stream's: transactions whose last statement may be in flight (stream.c) */
int			client_in_flight = 0;

/* the running transaction's last statement and Sync went out (client_op_defer) */
static bool spi_last_sent = false;

/*
 * A failure read after its transaction went on (a deferred COMMIT's, a
 * Sync's, a deferred statement's): said as a failed transaction is; res
 * freed.  Its SQLSTATE returned.
 */
static int
spi_print_failure(PGresult *given)
{
	PGresult   *volatile res = given;
	volatile int code = 0;

	if (res == NULL)
		res = PQmakeEmptyPGresult(client_conn, PGRES_FATAL_ERROR);

	PG_TRY();
	{
		if (PQresultStatus(res) == PGRES_COMMAND_OK)
		{
			/* COMMIT of a transaction that had failed: ROLLBACK */
			PQclear(res);
			ereport(ERROR,
					(errcode(ERRCODE_IN_FAILED_SQL_TRANSACTION),
					 errmsg("the transaction was rolled back at COMMIT")));
		}
		client_throw(res);
	}
	PG_CATCH();
	{
		ErrorData  *edata = CopyErrorData();

		FlushErrorState();
		code = edata->sqlerrcode;
		client_print_error(edata);
		FreeErrorData(edata);
	}
	PG_END_TRY();
	return code;
}

/* a deferred COMMIT that failed: said as a failed transaction is, counted */
static void
spi_commit_failed(PGresult *given)
{
	(void) spi_print_failure(given);
	client_tally_resolve(false);
}

/* a deferred COMMIT's result: the transaction's tally counted or failed */
static void
spi_commit_result(PGresult *res)
{
	if (res != NULL && PQresultStatus(res) == PGRES_COMMAND_OK &&
		strcmp(PQcmdStatus(res), "COMMIT") == 0)
	{
		PQclear(res);
		client_tally_resolve(true);
	}
	else
		spi_commit_failed(res);
}

/*
 * BEGIN and COMMIT prepared once in the session (client_prepare_session),
 * not parsed again for every transaction; sent unnamed until then
 */
static bool spi_session_prepared = false;

void
client_prepare_session(void)
{
	PGresult   *res = PQprepare(client_conn, "oltp_sim_begin", "BEGIN", 0, NULL);

	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		client_throw(res);
	PQclear(res);
	res = PQprepare(client_conn, "oltp_sim_commit", "COMMIT", 0, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		client_throw(res);
	PQclear(res);
	spi_session_prepared = true;
}

/* BEGIN or COMMIT into the pipeline */
static int
spi_send_command(bool begin)
{
	if (spi_session_prepared)
		return PQsendQueryPrepared(client_conn, begin ? "oltp_sim_begin" : "oltp_sim_commit",
								   0, NULL, NULL, NULL, 0);
	return PQsendQueryParams(client_conn, begin ? "BEGIN" : "COMMIT", 0, NULL, NULL, NULL, NULL, 0);
}

/*
 * An implicit transaction (spi_implicit): in the stream, a transaction of
 * one operation (oltp_sim.ops_per_transaction = 1) that does not roll back
 * on purpose (client_xact_alone) and has sent no savepoint (the first of a
 * transaction is not sent, backend.c) sends no BEGIN and no COMMIT, as a
 * pgbench statement does: its statements go in one pipeline, each followed
 * by a flush request so that its result is read before the next is sent,
 * and the Sync that ends the pipeline commits them.  That Sync is sent as
 * the transaction ends, and its result read with the next transaction's
 * first statement's, or by client_flush_commit (SPI_INFLIGHT_SYNC); the
 * connection stays in pipeline mode until it is read.  A savepoint asked
 * for in such a transaction turns it into a transaction block first
 * (client_xact_explicit): BEGIN after statements of an implicit
 * transaction takes them in.
 *
 * The operation's last statement (oltp_op_last) goes out with the Sync,
 * its answer not waited for (client_op_defer, SPI_INFLIGHT_LAST): the
 * stream draws and sends the next operations while the server runs it,
 * up to client_in_flight transactions unread, and reads the answers in
 * order, its operation's outcome and changes counted then
 * (client_tally_resolve_last).  Whatever else a transaction sends first
 * reads every answer in flight before its own: nothing it draws depends
 * on them, and no statement of an implicit transaction is ever sent while
 * an earlier transaction's answer is unread but its own last.
 */
bool		client_xact_alone = false;
static bool spi_implicit = false;

/*
 * A statement the server refuses outside a transaction block (LOCK TABLE,
 * the savepoints' commands, DECLARE): the transaction that runs it is
 * not implicit.  Set for a prepared statement's execution by
 * SPI_execute_plan.
 */
static bool spi_stmt_needs_block = false;

static bool
spi_needs_block(const char *sql)
{
	static const char *const verbs[] = {"LOCK", "SAVEPOINT", "RELEASE", "ROLLBACK", "DECLARE"};

	while (isspace((unsigned char) *sql))
		sql++;
	for (int i = 0; i < lengthof(verbs); i++)
	{
		size_t		n = strlen(verbs[i]);

		if (pg_strncasecmp(sql, verbs[i], n) == 0 &&
			(sql[n] == '\0' || isspace((unsigned char) sql[n])))
			return true;
	}
	return false;
}

/* one statement's result in pipeline mode: the result, then a NULL */
static PGresult *
spi_read_one(void)
{
	PGresult   *res = PQgetResult(client_conn);
	PGresult   *r;

	if (res == NULL)
		return PQmakeEmptyPGresult(client_conn, PGRES_FATAL_ERROR);
	while ((r = PQgetResult(client_conn)) != NULL)
		PQclear(r);
	return res;
}

/*
 * The results up to the next Sync's: the first of them in *first (NULL if
 * none came before the Sync's own); false if the Sync's never came
 */
static bool
spi_read_sync(PGresult **first)
{
	*first = NULL;
	for (;;)
	{
		PGresult   *r = PQgetResult(client_conn);

		if (r == NULL)
		{
			if (PQstatus(client_conn) != CONNECTION_OK)
				return false;
			continue;
		}
		if (PQresultStatus(r) == PGRES_PIPELINE_SYNC)
		{
			PQclear(r);
			return true;
		}
		if (*first == NULL)
			*first = r;
		else
			PQclear(r);
	}
}

/* what a result's command tag says it was, as SPI would return it */
static int
spi_status_rc(PGresult *res)
{
	const char *status = PQcmdStatus(res);

	if (strncmp(status, "INSERT", 6) == 0)
		return PQnfields(res) > 0 ? SPI_OK_INSERT_RETURNING : SPI_OK_INSERT;
	if (strncmp(status, "UPDATE", 6) == 0)
		return PQnfields(res) > 0 ? SPI_OK_UPDATE_RETURNING : SPI_OK_UPDATE;
	if (strncmp(status, "DELETE", 6) == 0)
		return PQnfields(res) > 0 ? SPI_OK_DELETE_RETURNING : SPI_OK_DELETE;
	if (strncmp(status, "SELECT", 6) == 0)
		return SPI_OK_SELECT;
	return SPI_OK_UTILITY;
}

/* a deferred Sync's results: its implicit transaction counted or failed */
static void
spi_sync_result(bool synced, PGresult *first)
{
	if (!synced)
	{
		if (first)
			PQclear(first);
		spi_commit_failed(NULL);
	}
	else if (first != NULL && PQresultStatus(first) == PGRES_FATAL_ERROR)
		spi_commit_failed(first);
	else
	{
		if (first)
			PQclear(first);
		client_tally_resolve(true);
	}
}

/* out of pipeline mode, once everything sent was read */
static void
spi_exit_pipeline(void)
{
	if (PQpipelineStatus(client_conn) != PQ_PIPELINE_OFF && !PQexitPipelineMode(client_conn))
		ereport(ERROR,
				(errcode(ERRCODE_CONNECTION_FAILURE),
				 errmsg_internal("%s", PQerrorMessage(client_conn))));
}

/* a transaction sent, its answers to read after those before it */
static SpiInflight *
spi_push(SpiInflightKind kind)
{
	SpiInflight *e;

	if (spi_ninflight == SPI_MAX_INFLIGHT)
		elog(ERROR, "more than %d transactions in flight", SPI_MAX_INFLIGHT);
	e = &spi_inflight[(spi_inflight_first + spi_ninflight) % SPI_MAX_INFLIGHT];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	spi_ninflight++;
	return e;
}

/*
 * The outcome of a deferred last statement, by the rows it changed (what
 * oltp_op_last does with them in the server): a fault is said as the
 * server's error is, and is the operation's error
 */
static ClientLastOutcome
spi_last_outcome(const SpiInflight *e, int rc, uint64 n)
{
	volatile	ClientLastOutcome how = CLIENT_LAST_FAULT;

	PG_TRY();
	{
		if (!oltp_op_result_ok(&e->def->stmts[e->stmt], rc))
			elog(ERROR, "\"%s\" returned %s", e->plan->src, SPI_result_code_string(rc));
		how = oltp_op_checked(e->plan->src, e->check, n) == OLTP_OP_DONE ?
			CLIENT_LAST_DONE : CLIENT_LAST_SKIPPED;
	}
	PG_CATCH();
	{
		ErrorData  *edata = CopyErrorData();

		FlushErrorState();
		client_print_error(edata);
		FreeErrorData(edata);
	}
	PG_END_TRY();
	return how;
}

/*
 * A deferred last statement's answer (res) and its Sync's (synced, first):
 * the operation's outcome, its transaction committed or not, counted.  An
 * error the operation expects (a race) is a skipped operation, as when
 * the server raises it; another is said and counted as a failed
 * transaction, as the stream says one; either way the Sync ended the
 * implicit transaction the error aborted.
 */
static void
spi_last_result(const SpiInflight *e, PGresult *res, bool synced, PGresult *first)
{
	const OltpStmtDef *stmt = &e->def->stmts[e->stmt];
	ExecStatusType status = PQresultStatus(res);
	ClientLastOutcome how;
	uint64		n;
	bool		committed;

	if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
	{
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		int			code = 0;

		if (first)
			PQclear(first);
		if (state && strlen(state) == 5)
			code = MAKE_SQLSTATE(state[0], state[1], state[2], state[3], state[4]);
		if (code != 0 && oltp_op_expects(e->def, code))
		{
			PQclear(res);
			how = CLIENT_LAST_RACE;
		}
		else
		{
			(void) spi_print_failure(res);
			how = CLIENT_LAST_ERROR;
		}
		client_tally_resolve_last(how, stmt->table, stmt->kind, 0, false);
		return;
	}
	n = strtoull(PQcmdTuples(res), NULL, 10);
	how = spi_last_outcome(e, spi_status_rc(res), n);
	PQclear(res);
	committed = synced && (first == NULL || PQresultStatus(first) != PGRES_FATAL_ERROR);
	if (!committed)
		(void) spi_print_failure(first);
	else if (first)
		PQclear(first);
	client_tally_resolve_last(how, stmt->table, stmt->kind, n, committed);
}

/* the oldest transaction in flight: its answers read, its tally resolved */
static void
spi_resolve_oldest(void)
{
	SpiInflight e = spi_inflight[spi_inflight_first];
	PGresult   *res = NULL;
	PGresult   *first;
	bool		synced;

	spi_inflight_first = (spi_inflight_first + 1) % SPI_MAX_INFLIGHT;
	spi_ninflight--;
	if (e.kind == SPI_INFLIGHT_LAST)
		res = spi_read_one();
	synced = spi_read_sync(&first);
	switch (e.kind)
	{
		case SPI_INFLIGHT_SYNC:
			spi_sync_result(synced, first);
			break;
		case SPI_INFLIGHT_LAST:
			spi_last_result(&e, res, synced, first);
			break;
		case SPI_INFLIGHT_COMMIT:
			if (!synced)
			{
				if (first)
					PQclear(first);
				spi_commit_failed(NULL);
			}
			else
				spi_commit_result(first);
			break;
	}
}

/* every transaction in flight read, oldest first */
static void
spi_drain_inflight(void)
{
	while (spi_ninflight > 0)
		spi_resolve_oldest();
}

/* a statement of the open implicit transaction: sent, its result read */
static PGresult *
spi_pipeline_statement(const char *sql, bool prepared, int n, const Oid *types,
					   const char *const *values, const int *lengths, const int *formats)
{
	if (!(prepared ?
		  PQsendQueryPrepared(client_conn, sql, n, values, lengths, formats, 0) :
		  PQsendQueryParams(client_conn, sql, n, types, values, lengths, formats, 0)) ||
		!PQsendFlushRequest(client_conn) || PQflush(client_conn) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_CONNECTION_FAILURE),
				 errmsg_internal("%s", PQerrorMessage(client_conn))));
	return spi_read_one();
}

/*
 * The open implicit transaction rolled back: ROLLBACK and the Sync (after
 * a failed statement the server skips ROLLBACK, and the Sync ends the
 * failed transaction), out of pipeline mode.  The server warns that no
 * transaction block is in progress; the stream's notices are quiet.
 */
static void
spi_implicit_rollback(void)
{
	PGresult   *first;

	spi_implicit = false;
	if (PQstatus(client_conn) != CONNECTION_OK)
		return;
	if (PQsendQueryParams(client_conn, "ROLLBACK", 0, NULL, NULL, NULL, NULL, 0) &&
		PQpipelineSync(client_conn) && spi_read_sync(&first) && first != NULL)
		PQclear(first);
	spi_exit_pipeline();
}

/*
 * A savepoint is asked for: an implicit transaction becomes a transaction
 * block (BEGIN takes in the statements before it), out of pipeline mode;
 * its COMMIT deferred as any other
 */
void
client_xact_explicit(void)
{
	PGresult   *res;

	if (!spi_implicit)
		return;
	res = spi_pipeline_statement("BEGIN", false, 0, NULL, NULL, NULL, NULL);
	spi_implicit = false;
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
	{
		spi_implicit_rollback();
		client_throw(res);
	}
	PQclear(res);
	spi_exit_pipeline();
}

/*
 * What was in flight read, and the connection found lost meanwhile (an
 * answer in flight said so): an error of the statement that waited for
 * them, not a synchronous call refused in pipeline mode
 */
static void
spi_flush_before(void)
{
	client_flush_commit();
	if (PQstatus(client_conn) != CONNECTION_OK)
		ereport(ERROR,
				(errcode(ERRCODE_CONNECTION_FAILURE),
				 errmsg("the connection to the server was lost")));
}

/* a statement prepared as name, in the open implicit transaction's pipeline if one is */
static void
spi_prepare(const char *name, const char *sql, int n, const Oid *types)
{
	PGresult   *res;

	/* not in a deferred Sync's transaction: what is in flight is read first */
	if (spi_commit_pending || (spi_ninflight > 0 && !spi_implicit))
		spi_flush_before();
	if (spi_implicit)
	{
		if (!PQsendPrepare(client_conn, name, sql, n, types) ||
			!PQsendFlushRequest(client_conn) || PQflush(client_conn) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_CONNECTION_FAILURE),
					 errmsg_internal("%s", PQerrorMessage(client_conn))));
		res = spi_read_one();
	}
	else
		res = PQprepare(client_conn, name, sql, n, types);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		client_throw(res);
	PQclear(res);
}

/*
 * What is in flight read, oldest first, and the deferred COMMIT, if one
 * waits, sent and its result read; out of pipeline mode then
 */
void
client_flush_commit(void)
{
	if (!spi_commit_pending && spi_ninflight == 0)
		return;
	Assert(!spi_implicit);
	spi_drain_inflight();
	if (PQstatus(client_conn) != CONNECTION_OK)
	{
		if (spi_commit_pending)
		{
			spi_commit_pending = false;
			spi_commit_failed(NULL);
		}
		return;
	}
	spi_exit_pipeline();
	if (!spi_commit_pending)
		return;
	spi_commit_pending = false;
	spi_commit_result(spi_session_prepared ?
					  PQexecPrepared(client_conn, "oltp_sim_commit", 0, NULL, NULL, NULL, 0) :
					  PQexecParams(client_conn, "COMMIT", 0, NULL, NULL, NULL, NULL, 0));
}

/* a send that failed: the connection's message, as an error */
static void
spi_send_failed(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_CONNECTION_FAILURE),
			 errmsg_internal("%s", pstrdup(PQerrorMessage(client_conn)))));
}

/*
 * Statement sql (prepared: its name), its arguments as PQexecParams takes
 * them; with the BEGIN first when one is pending, and the last
 * transaction's COMMIT (and a Sync) before that when it is deferred: one
 * round trip, the server's replies in one packet.  The Sync after the
 * last transaction's end keeps a COMMIT that fails from aborting what
 * follows it: the statement's failure stays its own transaction's.  An
 * implicit transaction's first statement goes without BEGIN, followed by
 * a flush request instead of a Sync.  The answers of what was in flight
 * before it (earlier transactions' Syncs, deferred last statements, the
 * COMMIT) are read before its own.
 */
static PGresult *
spi_exec(const char *sql, bool prepared, int n, const Oid *types, const char *const *values,
		 const int *lengths, const int *formats)
{
	PGresult   *begin = NULL;
	PGresult   *res;
	PGresult   *first = NULL;
	bool		commit;
	bool		implicit;
	bool		needs_block = prepared ? spi_stmt_needs_block : spi_needs_block(sql);

	/* a statement outside a transaction after what is in flight: that read first */
	if ((spi_commit_pending || spi_ninflight > 0) && !spi_begin_pending && !spi_implicit)
		spi_flush_before();
	spi_xact_used = true;
	/* a statement only a transaction block takes: the implicit one made one */
	if (spi_implicit && needs_block)
		client_xact_explicit();
	if (spi_implicit)
		return spi_pipeline_statement(sql, prepared, n, types, values, lengths, formats);
	if (!spi_begin_pending)
		return prepared ?
			PQexecPrepared(client_conn, sql, n, values, lengths, formats, 0) :
			PQexecParams(client_conn, sql, n, types, values, lengths, formats, 0);

	spi_begin_pending = false;
	commit = spi_commit_pending;
	spi_commit_pending = false;
	implicit = client_defer_commit && client_xact_alone && client_subxact_none_sent() &&
		!needs_block;
	if (PQpipelineStatus(client_conn) == PQ_PIPELINE_OFF && !PQenterPipelineMode(client_conn))
	{
		if (commit)
			spi_commit_failed(NULL);
		spi_send_failed();
	}
	if (commit)
	{
		if (!spi_send_command(false) || !PQpipelineSync(client_conn))
		{
			spi_commit_failed(NULL);
			spi_send_failed();
		}
		(void) spi_push(SPI_INFLIGHT_COMMIT);
	}
	if ((!implicit && !spi_send_command(true)) ||
		!(prepared ?
		  PQsendQueryPrepared(client_conn, sql, n, values, lengths, formats, 0) :
		  PQsendQueryParams(client_conn, sql, n, types, values, lengths, formats, 0)) ||
		!(implicit ? (PQsendFlushRequest(client_conn) && PQflush(client_conn) == 0) :
		  PQpipelineSync(client_conn)))
		spi_send_failed();

	/* the transactions before it, up to the last one's Sync */
	spi_drain_inflight();
	if (implicit)
	{
		/* the statement's result; the pipeline stays open until the Sync */
		spi_implicit = true;
		return spi_read_one();
	}
	/* BEGIN's, the statement's, the Sync */
	begin = spi_read_one();
	res = spi_read_one();
	if (spi_read_sync(&first) && first)
		PQclear(first);
	spi_exit_pipeline();
	if (PQresultStatus(begin) != PGRES_COMMAND_OK)
	{
		PQclear(res);
		client_throw(begin);
	}
	PQclear(begin);
	return res;
}

SPIPlanPtr
SPI_prepare_cursor(const char *src, int nargs, Oid *argtypes, int cursorOptions)
{
	/* kept until freed, as SPI_keepplan keeps the server's */
	SPIPlanPtr	plan = MemoryContextAllocZero(TopMemoryContext, sizeof(struct _SPI_plan));

	if (nargs > SPI_MAX_ARGS)
		elog(ERROR, "too many arguments for \"%s\"", src);
	snprintf(plan->name, sizeof(plan->name), "oltp_sim_%d", ++spi_nplans);
	plan->nargs = nargs;
	memcpy(plan->argtypes, argtypes, sizeof(Oid) * nargs);
	plan->needs_block = spi_needs_block(src);
	plan->src = MemoryContextStrdup(TopMemoryContext, src);
	spi_prepare(plan->name, src, nargs, argtypes);
	return plan;
}

int
SPI_keepplan(SPIPlanPtr plan)
{
	return 0;
}

int
SPI_freeplan(SPIPlanPtr plan)
{
	char		sql[64];

	snprintf(sql, sizeof(sql), "DEALLOCATE %s", plan->name);
	client_command(sql);
	if (plan->res)
		PQclear(plan->res);
	pfree(plan->src);
	pfree(plan);
	return 0;
}

/* ---------------------------------------------------------------------------
 * Arguments
 * ---------------------------------------------------------------------------
 */

static void
spi_put_int64(StringInfo buf, int64 v)
{
	uint64		n = pg_hton64((uint64) v);

	appendBinaryStringInfo(buf, (char *) &n, 8);
}

static void
spi_put_int32(StringInfo buf, int32 v)
{
	uint32		n = pg_hton32((uint32) v);

	appendBinaryStringInfo(buf, (char *) &n, 4);
}

/*
 * A scalar of type typid in binary into buf; false for a type sent as
 * text (a varlena holding its text).
 */
static bool
spi_put_binary(StringInfo buf, Oid typid, Datum d)
{
	switch (typid)
	{
		case INT8OID:
		case TIMESTAMPOID:
		case TIMESTAMPTZOID:
			spi_put_int64(buf, DatumGetInt64(d));
			return true;
		case INT4OID:
		case DATEOID:
			spi_put_int32(buf, DatumGetInt32(d));
			return true;
		case OIDOID:
			spi_put_int32(buf, (int32) DatumGetObjectId(d));
			return true;
		case LSNOID:
			spi_put_int64(buf, (int64) DatumGetLSN(d));
			return true;
		case FLOAT8OID:
			{
				double		f = DatumGetFloat8(d);
				int64		bits;

				memcpy(&bits, &f, 8);
				spi_put_int64(buf, bits);
				return true;
			}
		case BOOLOID:
			appendStringInfoChar(buf, DatumGetBool(d) ? 1 : 0);
			return true;
		case TEXTOID:
		case VARCHAROID:
			appendBinaryStringInfo(buf, VARDATA_ANY(DatumGetPointer(d)),
								   VARSIZE_ANY_EXHDR(DatumGetPointer(d)));
			return true;
		default:
			return false;
	}
}

/* the array types the engine binds, whose elements spi_put_binary sends */
static bool
spi_is_array(Oid typid)
{
	return typid == TEXTARRAYOID || typid == INT4ARRAYOID || typid == INT8ARRAYOID ||
		typid == TIMESTAMPARRAYOID || typid == DATEARRAYOID || typid == BOOLARRAYOID;
}

/* an array built by construct_array (backend.c), in the binary array format */
static void
spi_put_array(StringInfo buf, ArrayType *array)
{
	Oid			elemtype = array->elemtype;
	int			n = ARR_DIMS(array)[0];
	Datum	   *elems = client_array_data(array);
	bool	   *nulls = client_array_nulls(array);

	spi_put_int32(buf, 1);		/* dimensions */
	spi_put_int32(buf, nulls != NULL);
	spi_put_int32(buf, (int32) elemtype);
	spi_put_int32(buf, n);
	spi_put_int32(buf, 1);		/* lower bound */
	for (int i = 0; i < n; i++)
	{
		int			lenpos = buf->len;
		int32		len;

		if (nulls && nulls[i])
		{
			spi_put_int32(buf, -1);
			continue;
		}
		spi_put_int32(buf, 0);
		if (!spi_put_binary(buf, elemtype, elems[i]))
			elog(ERROR, "the client cannot send an array of type %u", elemtype);
		len = pg_hton32((uint32) (buf->len - lenpos - 4));
		memcpy(buf->data + lenpos, &len, 4);
	}
}

/* the arguments of a statement, as PQexecPrepared and PQexecParams take them */
typedef struct SpiParams
{
	StringInfoData bufs[SPI_MAX_ARGS];
	const char *values[SPI_MAX_ARGS];
	int			lengths[SPI_MAX_ARGS];
	int			formats[SPI_MAX_ARGS];
} SpiParams;

static void
spi_params(SpiParams *p, int nargs, const Oid *argtypes, Datum *Values, const char *Nulls)
{
	if (nargs > SPI_MAX_ARGS)
		elog(ERROR, "too many arguments: %d", nargs);
	for (int i = 0; i < nargs; i++)
	{
		Oid			typid = argtypes[i];

		p->values[i] = NULL;
		p->lengths[i] = 0;
		p->formats[i] = 1;
		if (Nulls && Nulls[i] == 'n')
			continue;
		initStringInfo(&p->bufs[i]);
		if (spi_is_array(typid))
			spi_put_array(&p->bufs[i], (ArrayType *) DatumGetPointer(Values[i]));
		else if (!spi_put_binary(&p->bufs[i], typid, Values[i]))
		{
			/* bpchar, uuid, tid: the text the client read them as */
			appendStringInfoString(&p->bufs[i], text_to_cstring((text *) DatumGetPointer(Values[i])));
			p->formats[i] = 0;
		}
		p->values[i] = p->bufs[i].data;
		p->lengths[i] = p->bufs[i].len;
	}
}

static void
spi_params_free(SpiParams *p, int nargs)
{
	for (int i = 0; i < nargs; i++)
		if (p->values[i])
			pfree(p->bufs[i].data);
}

/*
 * The result of a statement, checked, kept in *keep (the previous one
 * freed) for SPI_tuptable to read; what the server's SPI would return.
 */
static int
spi_result(PGresult *res, PGresult **keep, SPITupleTable *table)
{
	if (PQresultStatus(res) != PGRES_TUPLES_OK && PQresultStatus(res) != PGRES_COMMAND_OK)
		client_throw(res);
	if (*keep)
		PQclear(*keep);
	*keep = res;
	SPI_processed = strtoull(PQcmdTuples(res), NULL, 10);
	SPI_tuptable = NULL;
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
	{
		int			n = PQntuples(res);
		ClientRow  *rows = palloc(sizeof(ClientRow) * Max(n, 1));

		table->numvals = n;
		table->tupdesc = (TupleDesc) res;
		table->vals = palloc(sizeof(HeapTuple) * Max(n, 1));
		for (int i = 0; i < n; i++)
		{
			rows[i].res = res;
			rows[i].row = i;
			table->vals[i] = (HeapTuple) &rows[i];
		}
		SPI_tuptable = table;
		SPI_processed = n;
	}
	return spi_status_rc(res);
}

int
SPI_execute_plan(SPIPlanPtr plan, Datum *Values, const char *Nulls, bool read_only,
				 long tcount)
{
	SpiParams	p;
	PGresult   *res;

	spi_params(&p, plan->nargs, plan->argtypes, Values, Nulls);
	spi_stmt_needs_block = plan->needs_block;
	res = spi_exec(plan->name, true, plan->nargs, NULL, p.values, p.lengths, p.formats);
	spi_stmt_needs_block = false;
	spi_params_free(&p, plan->nargs);
	return spi_result(res, &plan->res, &plan->table);
}

/*
 * op.h's: an operation's last statement (oltp_op_last) sent with its
 * transaction's Sync, its answer read later, when the transaction allows:
 * in the stream (client_in_flight), an implicit transaction of one
 * operation (begun, or begun by this statement) that rolls nothing back
 * on purpose and holds nothing open, no savepoint sent, no watermark to
 * write (stream.c sets client_in_flight to 0 then), no COMMIT of an
 * explicit transaction before it waiting, and a statement that inserts,
 * updates or deletes.  Then its changes and outcome are counted when its
 * answer is read (spi_last_result), the oldest answers read once more
 * than client_in_flight transactions are in flight.  False otherwise: the
 * caller runs it now.
 */
bool
client_op_defer(OltpOpContext *ctx, int stmt, Datum *args, const char *nulls, OltpOpCheck check)
{
	SPIPlanPtr	plan = ctx->plans[stmt];
	const OltpStmtDef *def = &ctx->def->stmts[stmt];
	SpiInflight *e;
	SpiParams	p;
	bool		sent;

	if (client_in_flight <= 0 || plan == NULL || plan->needs_block || !client_xact_alone ||
		ctx->def->hold != NULL || ctx->def->aborts || !client_subxact_none_sent() ||
		!def->changes || (def->kind != OLTP_CHANGE_INSERT && def->kind != OLTP_CHANGE_UPDATE &&
						  def->kind != OLTP_CHANGE_DELETE))
		return false;
	/* an implicit transaction, or one this statement begins implicit (spi_exec) */
	if (!spi_implicit && !(spi_begin_pending && client_defer_commit && !spi_commit_pending))
		return false;
	Assert(!spi_implicit || spi_ninflight == 0);

	spi_params(&p, plan->nargs, plan->argtypes, args, nulls);
	spi_begin_pending = false;
	spi_xact_used = true;
	/* until its Sync is out, a failure rolls it back (client_xact_restart) */
	spi_implicit = true;
	sent = (PQpipelineStatus(client_conn) != PQ_PIPELINE_OFF || PQenterPipelineMode(client_conn)) &&
		PQsendQueryPrepared(client_conn, plan->name, plan->nargs, p.values, p.lengths,
							p.formats, 0) &&
		PQpipelineSync(client_conn);
	spi_params_free(&p, plan->nargs);
	if (!sent)
		spi_send_failed();
	spi_implicit = false;
	spi_last_sent = true;
	e = spi_push(SPI_INFLIGHT_LAST);
	e->def = ctx->def;
	e->stmt = stmt;
	e->plan = plan;
	e->check = check;
	client_tally_expect_last();
	/* no more than client_in_flight while the next is drawn */
	while (spi_ninflight > client_in_flight)
		spi_resolve_oldest();
	return true;
}

/* a statement not prepared: its result lives until the next one */
static PGresult *spi_unplanned_res = NULL;
static SPITupleTable spi_unplanned_table;

int
SPI_execute_with_args(const char *src, int nargs, Oid *argtypes, Datum *Values,
					  const char *Nulls, bool read_only, long tcount)
{
	SpiParams	p;
	PGresult   *res;

	spi_params(&p, nargs, argtypes, Values, Nulls);
	res = spi_exec(src, false, nargs, argtypes, p.values, p.lengths, p.formats);
	spi_params_free(&p, nargs);
	return spi_result(res, &spi_unplanned_res, &spi_unplanned_table);
}

int
SPI_execute(const char *src, bool read_only, long tcount)
{
	return SPI_execute_with_args(src, 0, NULL, NULL, NULL, read_only, tcount);
}

SPIPlanPtr
SPI_prepare(const char *src, int nargs, Oid *argtypes)
{
	return SPI_prepare_cursor(src, nargs, argtypes, 0);
}

/* the client has one connection, open for the whole run */
int
SPI_connect(void)
{
	return SPI_OK_CONNECT;
}

int
SPI_connect_ext(int options)
{
	return SPI_OK_CONNECT;
}

int
SPI_finish(void)
{
	return SPI_OK_FINISH;
}

void
client_begin(void)
{
	spi_begin_pending = true;
	spi_xact_used = false;
}

/*
 * The transaction's end, unless nothing ran in it (none was sent); a
 * COMMIT deferred in the stream (client_defer_commit): true then
 */
bool
client_end(bool commit)
{
	bool		deferred = false;

	if (spi_begin_pending)
		spi_begin_pending = false;
	else if (spi_last_sent)
	{
		/* its last statement went with its Sync (client_op_defer) */
		Assert(commit);
		spi_last_sent = false;
		deferred = true;
	}
	else if (spi_implicit && commit)
	{
		/*
		 * its Sync sent now, the server committing while the next
		 * transaction is drawn; its result read with the next statement's
		 * (or by client_flush_commit), the pipeline left open till then
		 */
		Assert(!spi_commit_pending);
		if (!PQpipelineSync(client_conn))
			spi_send_failed();
		spi_implicit = false;
		(void) spi_push(SPI_INFLIGHT_SYNC);
		deferred = true;
	}
	else if (spi_implicit)
		spi_implicit_rollback();
	else if (commit && client_defer_commit)
	{
		/* a statement ran: the last transaction's COMMIT went with it */
		Assert(!spi_commit_pending);
		spi_commit_pending = deferred = true;
	}
	else
		client_command(commit ? "COMMIT" : "ROLLBACK");
	spi_xact_used = false;
	client_subxact_reset();
	return deferred;
}

/* after a failure: whatever is open rolled back, the error already said */
void
client_abandon(void)
{
	spi_begin_pending = false;
	spi_xact_used = false;
	/* a last statement sent: its transaction's answer counted when read */
	if (spi_last_sent)
	{
		spi_last_sent = false;
		client_tally_defer();
	}
	/* an implicit transaction's statements rolled back, not committed by a Sync */
	if (spi_implicit)
		spi_implicit_rollback();
	/* the last transaction's COMMIT first, if it is still to be sent */
	client_flush_commit();
	if (PQstatus(client_conn) == CONNECTION_OK)
		PQclear(PQexec(client_conn, "ROLLBACK"));
	client_subxact_reset();
}

PGresult *
client_exec_params(const char *sql, int n, const Oid *types, const char *const *values,
				   const int *lengths, const int *formats)
{
	return spi_exec(sql, false, n, types, values, lengths, formats);
}

/* has a statement run in this transaction? */
bool
client_xact_used(void)
{
	return spi_xact_used;
}

/* roll back what the transaction did, and begin it again (its savepoints kept) */
void
client_xact_restart(void)
{
	if (spi_implicit)
		spi_implicit_rollback();
	else if (!spi_begin_pending)
		client_command("ROLLBACK");
	spi_begin_pending = true;
	spi_xact_used = false;
}

void
SPI_commit(void)
{
	client_watermark();
	if (client_end(true))
		client_tally_defer();
	else
		client_tally_end(true);
	client_begin();
}

void
SPI_rollback(void)
{
	client_end(false);
	client_tally_end(false);
	client_begin();
}

/* ---------------------------------------------------------------------------
 * Results
 * ---------------------------------------------------------------------------
 */

/* an int8[] in text, {1,2,3}, as construct_array builds one */
static ArrayType *
spi_int8_array(const char *v)
{
	int			n = 0;
	Datum	   *elems = palloc(sizeof(Datum) * (strlen(v) / 2 + 1));
	const char *p = v + 1;

	while (*p && *p != '}')
	{
		char	   *end;

		elems[n++] = Int64GetDatum(strtoll(p, &end, 10));
		p = (*end == ',') ? end + 1 : end;
	}
	return construct_array(elems, n, INT8OID, 8, true, TYPALIGN_DOUBLE);
}

/*
 * A date or timestamp as the session writes it (DateStyle ISO, set at
 * connection: "2026-01-31" or "2026-01-31 12:34:56.789"), in the server's
 * units, so that a row's key read back is sent again as the same value
 */
static Timestamp
spi_timestamp(const char *v)
{
	int			y,
				mo,
				d,
				h = 0,
				mi = 0,
				sec = 0,
				n = 0;
	int64		usec = 0;

	if (sscanf(v, "%d-%d-%d%n", &y, &mo, &d, &n) != 3)
		elog(ERROR, "\"%s\" is not a date as DateStyle ISO writes it", v);
	if (v[n] == ' ')
	{
		int			m = 0;

		if (sscanf(v + n, " %d:%d:%d%n", &h, &mi, &sec, &m) != 3)
			elog(ERROR, "\"%s\" is not a timestamp as DateStyle ISO writes it", v);
		n += m;
		if (v[n] == '.')
		{
			int			digits = 0;

			for (n++; isdigit((unsigned char) v[n]); n++, digits++)
				usec = usec * 10 + (v[n] - '0');
			for (; digits < 6; digits++)
				usec *= 10;
		}
	}
	if (v[n] != '\0')
		elog(ERROR, "\"%s\" is not a date or timestamp the client reads", v);
	return (Timestamp) (date2j(y, mo, d) - POSTGRES_EPOCH_JDATE) * USECS_PER_DAY +
		((int64) (h * 60 + mi) * 60 + sec) * USECS_PER_SEC + usec;
}

Datum
SPI_getbinval(HeapTuple tuple, TupleDesc tupdesc, int fnumber, bool *isnull)
{
	ClientRow  *row = (ClientRow *) tuple;
	const char *v;

	*isnull = PQgetisnull(row->res, row->row, fnumber - 1);
	if (*isnull)
		return (Datum) 0;
	v = PQgetvalue(row->res, row->row, fnumber - 1);
	switch (PQftype(row->res, fnumber - 1))
	{
		case INT8OID:
			return Int64GetDatum(strtoll(v, NULL, 10));
		case INT4OID:
		case INT2OID:
			return Int32GetDatum((int32) strtol(v, NULL, 10));
		case INT8ARRAYOID:
			return PointerGetDatum(spi_int8_array(v));
		case OIDOID:
			return ObjectIdGetDatum((Oid) strtoul(v, NULL, 10));
		case BOOLOID:
			return BoolGetDatum(v[0] == 't');
		case DATEOID:
			return DateADTGetDatum((DateADT) (spi_timestamp(v) / USECS_PER_DAY));
		case TIMESTAMPOID:
			return TimestampGetDatum(spi_timestamp(v));
		default:
			return PointerGetDatum(cstring_to_text(v));
	}
}

char *
SPI_getvalue(HeapTuple tuple, TupleDesc tupdesc, int fnumber)
{
	ClientRow  *row = (ClientRow *) tuple;

	if (PQgetisnull(row->res, row->row, fnumber - 1))
		return NULL;
	return pstrdup(PQgetvalue(row->res, row->row, fnumber - 1));
}

void
SPI_freetuptable(SPITupleTable *tuptable)
{
}

const char *
SPI_result_code_string(int code)
{
	static char buf[32];

	snprintf(buf, sizeof(buf), "SPI result %d", code);
	return buf;
}

/* ---------------------------------------------------------------------------
 * The client's own statements
 * ---------------------------------------------------------------------------
 */

/* a server error, thrown as the server would throw it */
void
client_throw(PGresult *res)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	const char *hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
	int			code = ERRCODE_CONNECTION_FAILURE;
	char	   *m = pstrdup(msg ? msg : PQerrorMessage(client_conn));
	char	   *d = detail ? pstrdup(detail) : NULL;
	char	   *h = hint ? pstrdup(hint) : NULL;

	if (state && strlen(state) == 5)
		code = MAKE_SQLSTATE(state[0], state[1], state[2], state[3], state[4]);
	PQclear(res);
	/* a lost connection says so with a newline at the end */
	if (m[0] && m[strlen(m) - 1] == '\n')
		m[strlen(m) - 1] = '\0';
	ereport(ERROR,
			(errcode(code),
			 errmsg_internal("%s", m),
			 d ? errdetail_internal("%s", d) : 0,
			 h ? errhint("%s", h) : 0));
}

PGresult *
client_query(const char *sql, int nparams, const char *const *values)
{
	PGresult   *res = spi_exec(sql, false, nparams, NULL, values, NULL, NULL);


	if (PQresultStatus(res) != PGRES_TUPLES_OK && PQresultStatus(res) != PGRES_COMMAND_OK)
		client_throw(res);
	return res;
}

/*
 * The same, for a statement the session runs again and again: prepared as
 * name on its first use (*prepared remembers it), then only bound and run
 */
PGresult *
client_query_named(const char *name, bool *prepared, const char *sql, int nparams,
				   const char *const *values)
{
	PGresult   *res;

	if (!*prepared)
	{
		spi_prepare(name, sql, nparams, NULL);
		*prepared = true;
	}
	res = spi_exec(name, true, nparams, NULL, values, NULL, NULL);
	if (PQresultStatus(res) != PGRES_TUPLES_OK && PQresultStatus(res) != PGRES_COMMAND_OK)
		client_throw(res);
	return res;
}

void
client_command(const char *sql)
{
	PQclear(client_query(sql, 0, NULL));
}
