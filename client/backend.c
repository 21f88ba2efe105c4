/*-------------------------------------------------------------------------
 *
 * backend.c
 *		The server functions the engine's files call, for the client
 *		program: errors (ereport, PG_TRY), memory contexts, the settings'
 *		definitions, interrupts, subtransactions, sequences, logical
 *		messages and the few data type helpers, each over libpq or the
 *		frontend libraries.  The statements themselves go through spi.c.
 *
 * pg_waldump and pg_rewind compile server files with FRONTEND defined the
 * same way, supplying what those files call.  Here the engine's model,
 * generators, settings and operations compile unchanged; what they ask of
 * the server is done in the client's one session:
 *
 *   - an error is an ErrorData thrown to the innermost PG_TRY, as in the
 *     server (PG_exception_stack); with none, the program prints it and
 *     exits;
 *   - memory has one context, libpgcommon's palloc: MemoryContextSwitchTo
 *     is a no-op;
 *   - a subtransaction is a SAVEPOINT, released or rolled back by name;
 *   - a setting is defined as guc.c and op.c define it, and set with the
 *     same bounds, check hooks and messages (client_setting_set).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <signal.h>

#include "access/xact.h"
#include "commands/sequence.h"
#include "common/keywords.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "replication/message.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/resowner.h"
#include "utils/timestamp.h"

#include "backend.h"
#include "client.h"

/* ---------------------------------------------------------------------------
 * Errors
 * ---------------------------------------------------------------------------
 */

sigjmp_buf *PG_exception_stack = NULL;
ErrorContextCallback *error_context_stack = NULL;

/* the error being built (errstart .. errfinish) or thrown */
static ErrorData be_error;
static bool be_error_pending = false;

bool
errstart(int elevel, const char *domain)
{
	/* what the server would only log stays quiet */
	if (elevel < WARNING && elevel != NOTICE && elevel != INFO)
		return false;
	memset(&be_error, 0, sizeof(be_error));
	be_error.elevel = elevel;
	be_error.sqlerrcode = elevel >= ERROR ? ERRCODE_INTERNAL_ERROR : 0;
	return true;
}

bool
errstart_cold(int elevel, const char *domain)
{
	return errstart(elevel, domain);
}

void
errfinish(const char *filename, int lineno, const char *funcname)
{
	be_error.filename = filename;
	be_error.lineno = lineno;
	be_error.funcname = funcname;
	if (be_error.elevel < ERROR)
	{
		client_print_error(&be_error);
		return;
	}
	be_error_pending = true;
	pg_re_throw();
}

void
pg_re_throw(void)
{
	if (PG_exception_stack != NULL)
		siglongjmp(*PG_exception_stack, 1);
	client_print_error(&be_error);
	exit(CLIENT_EXIT_RUN_FAILED);
}

#define BE_FORMAT(field, fmt) \
	do { \
		va_list		args; \
		StringInfoData buf; \
		initStringInfo(&buf); \
		for (;;) \
		{ \
			int			needed; \
			va_start(args, fmt); \
			needed = appendStringInfoVA(&buf, _(fmt), args); \
			va_end(args); \
			if (needed == 0) \
				break; \
			enlargeStringInfo(&buf, needed); \
		} \
		field = buf.data; \
	} while (0)

int
errcode(int sqlerrcode)
{
	be_error.sqlerrcode = sqlerrcode;
	return 0;
}

int
errmsg(const char *fmt,...)
{
	BE_FORMAT(be_error.message, fmt);
	return 0;
}

int
errmsg_internal(const char *fmt,...)
{
	BE_FORMAT(be_error.message, fmt);
	return 0;
}

int
errdetail(const char *fmt,...)
{
	BE_FORMAT(be_error.detail, fmt);
	return 0;
}

int
errdetail_internal(const char *fmt,...)
{
	BE_FORMAT(be_error.detail, fmt);
	return 0;
}

int
errhint(const char *fmt,...)
{
	BE_FORMAT(be_error.hint, fmt);
	return 0;
}

ErrorData *
CopyErrorData(void)
{
	ErrorData  *copy = palloc(sizeof(ErrorData));

	*copy = be_error;
	return copy;
}

void
FlushErrorState(void)
{
	be_error_pending = false;
	memset(&be_error, 0, sizeof(be_error));
}

void
ReThrowError(ErrorData *edata)
{
	be_error = *edata;
	be_error_pending = true;
	pg_re_throw();
}

void
FreeErrorData(ErrorData *edata)
{
	pfree(edata);
}

/* the check hooks' GUC_check_errdetail and friends */
char	   *GUC_check_errmsg_string;
char	   *GUC_check_errdetail_string;
char	   *GUC_check_errhint_string;

void
pre_format_elog_string(int errnumber, const char *domain)
{
}

char *
format_elog_string(const char *fmt,...)
{
	char	   *result;

	BE_FORMAT(result, fmt);
	return result;
}

/* ---------------------------------------------------------------------------
 * Memory: one context, palloc's
 * ---------------------------------------------------------------------------
 */

MemoryContext CurrentMemoryContext = NULL;
MemoryContext TopMemoryContext = NULL;
ResourceOwner CurrentResourceOwner = NULL;

MemoryContext
MemoryContextSwitchTo(MemoryContext context)
{
	MemoryContext old = CurrentMemoryContext;

	CurrentMemoryContext = context;
	return old;
}

char *
MemoryContextStrdup(MemoryContext context, const char *string)
{
	return pstrdup(string);
}

/* ---------------------------------------------------------------------------
 * Interrupts: Ctrl-C ends the operation under way as a cancel would
 * ---------------------------------------------------------------------------
 */

volatile sig_atomic_t InterruptPending = false;
volatile sig_atomic_t QueryCancelPending = false;

void
ProcessInterrupts(void)
{
	InterruptPending = false;
	if (QueryCancelPending)
	{
		QueryCancelPending = false;
		ereport(ERROR,
				(errcode(ERRCODE_QUERY_CANCELED),
				 errmsg("canceling the operation on request")));
	}
}

/* ---------------------------------------------------------------------------
 * Data types
 * ---------------------------------------------------------------------------
 */

text *
cstring_to_text(const char *s)
{
	return cstring_to_text_with_len(s, strlen(s));
}

text *
cstring_to_text_with_len(const char *s, int len)
{
	text	   *result = (text *) palloc(len + VARHDRSZ);

	SET_VARSIZE(result, len + VARHDRSZ);
	memcpy(VARDATA(result), s, len);
	return result;
}

char *
text_to_cstring(const text *t)
{
	return pnstrdup(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
}

/*
 * A one-dimensional array as spi.c sends it: the header says the element
 * type and count, the elements follow as Datums (spi.c reads them by the
 * statement's argument type, as the server would by elmtype).
 */
ArrayType *
construct_array(Datum *elems, int nelems, Oid elmtype, int elmlen, bool elmbyval,
				char elmalign)
{
	Size		size = ARR_OVERHEAD_NONULLS(1) + sizeof(Datum) * nelems;
	ArrayType  *array = palloc0(size);

	SET_VARSIZE(array, size);
	array->ndim = 1;
	array->dataoffset = 0;
	array->elemtype = elmtype;
	ARR_DIMS(array)[0] = nelems;
	ARR_LBOUND(array)[0] = 1;
	memcpy(ARR_DATA_PTR(array), elems, sizeof(Datum) * nelems);
	return array;
}

/* the one fmgr call the engine makes: timestamp_date, in oltp_op_run */
Datum
DirectFunctionCall1Coll(PGFunction func, Oid collation, Datum arg1)
{
	LOCAL_FCINFO(fcinfo, 1);
	Datum		result;

	InitFunctionCallInfoData(*fcinfo, NULL, 1, collation, NULL, NULL);
	fcinfo->args[0].value = arg1;
	fcinfo->args[0].isnull = false;
	result = (*func) (fcinfo);
	if (fcinfo->isnull)
		elog(ERROR, "function %p returned NULL", (void *) func);
	return result;
}

/* the day of a timestamp, as the server's timestamp_date computes it */
Datum
timestamp_date(PG_FUNCTION_ARGS)
{
	Timestamp	ts = PG_GETARG_TIMESTAMP(0);
	int64		days;

	if (TIMESTAMP_IS_NOBEGIN(ts))
		PG_RETURN_DATEADT(DATEVAL_NOBEGIN);
	if (TIMESTAMP_IS_NOEND(ts))
		PG_RETURN_DATEADT(DATEVAL_NOEND);
	days = ts / USECS_PER_DAY;
	if (ts < 0 && ts % USECS_PER_DAY != 0)
		days--;
	PG_RETURN_DATEADT((DateADT) days);
}

/* an identifier as the server's quote_identifier quotes it */
const char *
quote_identifier(const char *ident)
{
	bool		safe = (ident[0] >= 'a' && ident[0] <= 'z') || ident[0] == '_';
	int			nquotes = 0;
	char	   *result;
	char	   *optr;

	for (const char *p = ident; *p; p++)
	{
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			safe = false;
		if (*p == '"')
			nquotes++;
	}
	if (safe)
	{
		int			kw = ScanKeywordLookup(ident, &ScanKeywords);

		if (kw >= 0 && ScanKeywordCategories[kw] != UNRESERVED_KEYWORD)
			safe = false;
	}
	if (safe)
		return ident;
	result = palloc(strlen(ident) + nquotes + 3);
	optr = result;
	*optr++ = '"';
	for (const char *p = ident; *p; p++)
	{
		if (*p == '"')
			*optr++ = '"';
		*optr++ = *p;
	}
	*optr++ = '"';
	*optr = '\0';
	return result;
}

/* model.c's, for the catalog comparison the client does not make */
char *
format_type_with_typemod(Oid type_oid, int32 typemod)
{
	elog(ERROR, "the client program does not name types by OID (type %u)", type_oid);
	return NULL;
}

/* ---------------------------------------------------------------------------
 * Sequences, subtransactions, logical messages: statements of the session
 * ---------------------------------------------------------------------------
 */

int64
nextval_internal(Oid relid, bool check_permissions)
{
	char		oid[16];
	const char *values[1] = {oid};
	PGresult   *res;
	int64		id;

	snprintf(oid, sizeof(oid), "%u", relid);
	res = client_query("SELECT pg_catalog.nextval($1::pg_catalog.oid::pg_catalog.regclass)",
					   1, values);
	id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return id;
}

/* savepoints s1, s2, ... one per open subtransaction */
static int	be_subxact_depth = 0;

static void
be_savepoint(const char *verb)
{
	char		sql[64];

	snprintf(sql, sizeof(sql), "%s oltp_sim_s%d", verb, be_subxact_depth);
	client_command(sql);
}

void
BeginInternalSubTransaction(const char *name)
{
	be_subxact_depth++;
	be_savepoint("SAVEPOINT");
}

void
ReleaseCurrentSubTransaction(void)
{
	be_savepoint("RELEASE SAVEPOINT");
	be_subxact_depth--;
}

void
RollbackAndReleaseCurrentSubTransaction(void)
{
	be_savepoint("ROLLBACK TO SAVEPOINT");
	be_savepoint("RELEASE SAVEPOINT");
	be_subxact_depth--;
}

/* a new transaction has no savepoint open */
void
client_subxact_reset(void)
{
	be_subxact_depth = 0;
}

XLogRecPtr
LogLogicalMessage(const char *prefix, const char *message, size_t size,
				  bool transactional)
{
	const char *values[3];
	int			lengths[3];
	int			formats[3] = {0, 0, 1};
	Oid			types[3] = {BOOLOID, TEXTOID, BYTEAOID};
	PGresult   *res;

	values[0] = transactional ? "t" : "f";
	values[1] = prefix;
	values[2] = message;
	lengths[0] = lengths[1] = 0;
	lengths[2] = (int) size;
	res = PQexecParams(client_conn,
					   "SELECT pg_catalog.pg_logical_emit_message($1, $2, $3)",
					   3, types, values, lengths, formats, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		client_throw(res);
	PQclear(res);
	return InvalidXLogRecPtr;
}
