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
 *   - memory is in contexts (memory.c), reset where the server resets them;
 *   - a subtransaction is a SAVEPOINT, released or rolled back by name;
 *   - a setting is defined as guc.c and op.c define it, and set with the
 *     same bounds, check hooks and messages (client_setting_set).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <signal.h>
#include <sys/time.h>
#include <unistd.h>

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/sequence.h"
#include "common/keywords.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "nodes/pg_list.h"
#include "miscadmin.h"
#include "replication/message.h"
#include "utils/array.h"
#include "utils/backend_status.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/datum.h"
#include "utils/guc.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/resowner.h"
#include "utils/timestamp.h"

#include "backend.h"
#include "client.h"
#include "compat.h"

/* ---------------------------------------------------------------------------
 * Errors
 * ---------------------------------------------------------------------------
 */

sigjmp_buf *PG_exception_stack = NULL;
bool		client_notices_quiet = false;
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
		if (!client_notices_quiet || be_error.elevel >= WARNING)
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
 * Resource owners: the client has none (memory contexts are memory.c's)
 * ---------------------------------------------------------------------------
 */

ResourceOwner CurrentResourceOwner = NULL;

/* no process but this one, no query text to show in pg_stat_activity */
int			MyProcPid;
const char *debug_query_string = NULL;

void
pgstat_report_activity(BackendState state, const char *cmd_str)
{
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
 *
 * With NULLs (construct_md_array), their flags follow the Datums and
 * dataoffset says where.
 */
ArrayType *
construct_md_array(Datum *elems, bool *nulls, int ndims, int *dims, int *lbs, Oid elmtype,
				   int elmlen, bool elmbyval, char elmalign)
{
	int			nelems = dims[0];
	Size		datasize = sizeof(Datum) * nelems;
	Size		size = ARR_OVERHEAD_NONULLS(1) + datasize + (nulls ? nelems : 0);
	ArrayType  *array;

	if (ndims != 1)
		elog(ERROR, "the client builds one-dimensional arrays only");
	array = palloc0(size);
	SET_VARSIZE(array, size);
	array->ndim = 1;
	array->dataoffset = nulls ? (int32) (ARR_OVERHEAD_NONULLS(1) + datasize) : 0;
	array->elemtype = elmtype;
	ARR_DIMS(array)[0] = nelems;
	ARR_LBOUND(array)[0] = lbs[0];
	memcpy(client_array_data(array), elems, datasize);
	if (nulls)
		memcpy((char *) array + array->dataoffset, nulls, nelems);
	return array;
}

ArrayType *
construct_array(Datum *elems, int nelems, Oid elmtype, int elmlen, bool elmbyval,
				char elmalign)
{
	int			dims[1] = {nelems};
	int			lbs[1] = {1};

	return construct_md_array(elems, NULL, 1, dims, lbs, elmtype, elmlen, elmbyval, elmalign);
}

Datum *
client_array_data(const ArrayType *array)
{
	return (Datum *) ((char *) array + ARR_OVERHEAD_NONULLS(1));
}

bool *
client_array_nulls(const ArrayType *array)
{
	return array->dataoffset ? (bool *) ((char *) array + array->dataoffset) : NULL;
}

void
deconstruct_array(OLTP_CONST_SINCE_19 ArrayType *array, Oid elmtype, int elmlen, bool elmbyval, char elmalign,
				  Datum **elemsp, bool **nullsp, int *nelemsp)
{
	int			n = ARR_DIMS(array)[0];
	bool	   *nulls = client_array_nulls(array);

	*nelemsp = n;
	*elemsp = palloc(sizeof(Datum) * Max(n, 1));
	memcpy(*elemsp, client_array_data(array), sizeof(Datum) * n);
	if (nullsp)
	{
		*nullsp = palloc0(Max(n, 1));
		if (nulls)
			memcpy(*nullsp, nulls, n);
	}
}

/* the client's values are never toasted: what it built, or read as text */
struct varlena *
pg_detoast_datum(struct varlena *datum)
{
	return datum;
}

/* the array types of the element types the seed binds */
Oid
get_array_type(Oid typid)
{
	switch (typid)
	{
		case INT8OID:
			return INT8ARRAYOID;
		case INT4OID:
			return INT4ARRAYOID;
		case TEXTOID:
			return TEXTARRAYOID;
		case DATEOID:
			return DATEARRAYOID;
		case TIMESTAMPOID:
			return TIMESTAMPARRAYOID;
		case BOOLOID:
			return BOOLARRAYOID;
	}
	elog(ERROR, "the client has no array type of type %u", typid);
	return InvalidOid;
}

void
get_typlenbyvalalign(Oid typid, int16 *typlen, bool *typbyval, char *typalign)
{
	switch (typid)
	{
		case INT8OID:
		case TIMESTAMPOID:
			*typlen = 8;
			*typbyval = true;
			*typalign = TYPALIGN_DOUBLE;
			return;
		case INT4OID:
		case DATEOID:
			*typlen = 4;
			*typbyval = true;
			*typalign = TYPALIGN_INT;
			return;
		case BOOLOID:
			*typlen = 1;
			*typbyval = true;
			*typalign = TYPALIGN_CHAR;
			return;
		default:
			*typlen = -1;
			*typbyval = false;
			*typalign = TYPALIGN_INT;
	}
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

/* the server's varlenas are never short or compressed in the client */
struct varlena *
pg_detoast_datum_packed(struct varlena *datum)
{
	return datum;
}

/* the clock, as the server's GetCurrentTimestamp reads it */
TimestampTz
GetCurrentTimestamp(void)
{
	struct timeval tp;

	gettimeofday(&tp, NULL);
	return (TimestampTz) (tp.tv_sec - ((POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY)) *
		USECS_PER_SEC + tp.tv_usec;
}

bool
TimestampDifferenceExceeds(TimestampTz start_time, TimestampTz stop_time, int msec)
{
	return stop_time - start_time >= (int64) msec * 1000;
}

/* today, the server's: the anchor's default */
DateADT
GetSQLCurrentDate(void)
{
	PGresult   *res = client_query("SELECT CURRENT_DATE OPERATOR(pg_catalog.-) '2000-01-01'::pg_catalog.date",
								   0, NULL);
	DateADT		today = (DateADT) strtol(PQgetvalue(res, 0, 0), NULL, 10);

	PQclear(res);
	return today;
}

/*
 * A timestamp's fields, for the anchor's messages (gen_anchor.c): the
 * proleptic Gregorian calendar from day 0 = 2000-01-01 (civil_from_days).
 */
int
timestamp2tm(Timestamp dt, int *tzp, struct pg_tm *tm, fsec_t *fsec, const char **tzn,
			 pg_tz *attimezone)
{
	int64		days = dt / USECS_PER_DAY;
	int64		time = dt % USECS_PER_DAY;
	int64		z,
				era,
				doe,
				yoe,
				doy,
				mp;

	if (time < 0)
	{
		time += USECS_PER_DAY;
		days--;
	}
	z = days + 730425;			/* days from 0000-03-01 */
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	tm->tm_mday = (int) (doy - (153 * mp + 2) / 5 + 1);
	tm->tm_mon = (int) (mp < 10 ? mp + 3 : mp - 9);
	tm->tm_year = (int) (yoe + era * 400 + (tm->tm_mon <= 2));
	tm->tm_hour = (int) (time / USECS_PER_HOUR);
	tm->tm_min = (int) (time / USECS_PER_MINUTE % 60);
	tm->tm_sec = (int) (time / USECS_PER_SEC % 60);
	*fsec = (fsec_t) (time % USECS_PER_SEC);
	return 0;
}

/*
 * The Julian day of a date and back, for the month arithmetic of
 * generate.c: the day numbers of the server's date2j and j2date (the
 * proleptic Gregorian calendar, day 0 = 4714-11-24 BC), computed with
 * days_from_civil and civil_from_days as timestamp2tm above.
 */
int
date2j(int year, int month, int day)
{
	int64		y = month <= 2 ? (int64) year - 1 : year;
	int64		era = (y >= 0 ? y : y - 399) / 400;
	int64		yoe = y - era * 400;
	int64		doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
	int64		doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	/* days from 0000-03-01, then from 2000-01-01, then the Julian day */
	return (int) (era * 146097 + doe - 730425 + POSTGRES_EPOCH_JDATE);
}

void
j2date(int jd, int *year, int *month, int *day)
{
	struct pg_tm tm;
	fsec_t		fsec;

	timestamp2tm((Timestamp) (jd - POSTGRES_EPOCH_JDATE) * USECS_PER_DAY, NULL, &tm, &fsec,
				 NULL, NULL);
	*year = tm.tm_year;
	*month = tm.tm_mon;
	*day = tm.tm_mday;
}

/* ISO, with BC for the years before 1, as the server writes them */
void
EncodeDateOnly(struct pg_tm *tm, int style, char *str)
{
	if (tm->tm_year > 0)
		sprintf(str, "%04d-%02d-%02d", tm->tm_year, tm->tm_mon, tm->tm_mday);
	else
		sprintf(str, "%04d-%02d-%02d BC", -(tm->tm_year - 1), tm->tm_mon, tm->tm_mday);
}

void
EncodeDateTime(struct pg_tm *tm, fsec_t fsec, bool print_tz, int tz, const char *tzn,
			   int style, char *str)
{
	char		date[MAXDATELEN + 1];
	bool		bc = tm->tm_year <= 0;

	EncodeDateOnly(tm, style, date);
	if (bc)
		date[strlen(date) - 3] = '\0';
	if (fsec != 0)
		sprintf(str, "%s %02d:%02d:%02d.%06d%s", date, tm->tm_hour, tm->tm_min, tm->tm_sec,
				(int) fsec, bc ? " BC" : "");
	else
		sprintf(str, "%s %02d:%02d:%02d%s", date, tm->tm_hour, tm->tm_min, tm->tm_sec,
				bc ? " BC" : "");
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

/* schema.name, each quoted as quote_identifier quotes it */
char *
quote_qualified_identifier(const char *qualifier, const char *ident)
{
	return qualifier ? psprintf("%s.%s", quote_identifier(qualifier), quote_identifier(ident)) :
		pstrdup(quote_identifier(ident));
}

/* str as a JSON string, quoted and escaped, as the server's escape_json */
void
escape_json(StringInfo buf, const char *str)
{
	appendStringInfoCharMacro(buf, '"');
	for (const char *p = str; *p; p++)
	{
		switch (*p)
		{
			case '\b':
				appendStringInfoString(buf, "\\b");
				break;
			case '\f':
				appendStringInfoString(buf, "\\f");
				break;
			case '\n':
				appendStringInfoString(buf, "\\n");
				break;
			case '\r':
				appendStringInfoString(buf, "\\r");
				break;
			case '\t':
				appendStringInfoString(buf, "\\t");
				break;
			case '"':
				appendStringInfoString(buf, "\\\"");
				break;
			case '\\':
				appendStringInfoString(buf, "\\\\");
				break;
			default:
				if ((unsigned char) *p < ' ')
					appendStringInfo(buf, "\\u%04x", (int) *p);
				else
					appendStringInfoCharMacro(buf, *p);
				break;
		}
	}
	appendStringInfoCharMacro(buf, '"');
}

/* a string literal as the server's quote_literal_cstr quotes it */
char *
quote_literal_cstr(const char *rawstr)
{
	char	   *result = palloc(strlen(rawstr) * 2 + 3 + 1);
	char	   *optr = result;

	if (strchr(rawstr, '\\') != NULL)
		*optr++ = 'E';
	*optr++ = '\'';
	for (const char *p = rawstr; *p; p++)
	{
		if (*p == '\'' || *p == '\\')
			*optr++ = *p;
		*optr++ = *p;
	}
	*optr++ = '\'';
	*optr = '\0';
	return result;
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
 * The engine's SQL entry points the client calls as the server would
 * (oltp_reset, oltp_checksums): their arguments come from the client,
 * never as jsonb (oltp_reset's volumes are left NULL); their rows go to
 * the command's printer
 * ---------------------------------------------------------------------------
 */

void
InitMaterializedSRF(FunctionCallInfo fcinfo, uint32 flags)
{
}

/* each row the function returns goes to the command's printer */
ClientRowPrinter client_row_printer = NULL;

void
tuplestore_putvalues(Tuplestorestate *state, TupleDesc tdesc,
					 OLTP_CONST_SINCE_17 Datum *values, OLTP_CONST_SINCE_17 bool *isnull)
{
	if (client_row_printer)
		client_row_printer(values, isnull);
}

/* a value read as text (spi.c), copied */
Datum
datumCopy(Datum value, bool typByVal, int typLen)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(value);
	struct varlena *copy;

	if (typByVal)
		return value;
	copy = palloc(VARSIZE_ANY(v));
	memcpy(copy, v, VARSIZE_ANY(v));
	return PointerGetDatum(copy);
}

JsonbIterator *
JsonbIteratorInit(JsonbContainer *container)
{
	elog(ERROR, "the client passes no jsonb");
	return NULL;
}

JsonbIteratorToken
JsonbIteratorNext(JsonbIterator **it, JsonbValue *val, bool skipNested)
{
	elog(ERROR, "the client passes no jsonb");
	return WJB_DONE;
}

Datum
numeric_out(PG_FUNCTION_ARGS)
{
	elog(ERROR, "the client passes no numeric");
	return (Datum) 0;
}

/* ---------------------------------------------------------------------------
 * Sequences, subtransactions, logical messages: statements of the session
 * ---------------------------------------------------------------------------
 */

/* a statement of every new patient's: prepared once in the session */
static bool be_nextval_prepared = false;

/*
 * In the seed (client_nextval_prefetch), a sequence's values are drawn a
 * block at a time, in one statement, not one round trip per row: the
 * seed runs after TRUNCATE ... RESTART IDENTITY, which holds every
 * sequence of the tables exclusively until the seed commits, so nobody
 * else draws from them meanwhile.  What was drawn and not used is given
 * back before the commit (client_nextval_settle): each sequence then
 * gives next what it would have given had the values been drawn one by
 * one, as the server's oltp_reset draws them.
 *
 * In the stream and in run (client_nextval_cache), a connection draws a
 * sequence's values CLIENT_NEXTVAL_CACHE at a time too, so that most new
 * patients cost their INSERT's round trip alone, but gives nothing back:
 * other sessions draw from the sequence meanwhile.  That is what a
 * sequence with CACHE does per session: each connection uses the values
 * it drew in order, other connections' values come between them, and
 * what a connection drew and did not use when it ends is a gap, as a
 * rolled-back nextval's is.  With one connection the ids are the server's
 * one by one, in the same order: run gives the ids CALL oltp_run gives.
 * A sequence restarted by another session (oltp_reset, seed) reaches a
 * connection at its next block, as setval reaches a session's CACHE.
 */
#define BE_SEQ_SLOTS		32
#define BE_SEQ_FIRST_BLOCK	64
#define BE_SEQ_MAX_BLOCK	8192

typedef struct BeSeqValues
{
	Oid			relid;
	int64	   *values;			/* drawn, in the order the server gave them */
	int			n;
	int			next;			/* the first not used */
	int			block;			/* the last block's size; doubles to the max */
} BeSeqValues;

bool		client_nextval_prefetch = false;
bool		client_nextval_cache = false;
static BeSeqValues be_seqs[BE_SEQ_SLOTS];
static int	be_nseqs = 0;
static bool be_nextvals_prepared = false;

static BeSeqValues *
be_seq_values(Oid relid)
{
	for (int i = 0; i < be_nseqs; i++)
		if (be_seqs[i].relid == relid)
			return &be_seqs[i];
	if (be_nseqs == BE_SEQ_SLOTS)
		return NULL;
	memset(&be_seqs[be_nseqs], 0, sizeof(BeSeqValues));
	be_seqs[be_nseqs].relid = relid;
	return &be_seqs[be_nseqs++];
}

static int64
be_nextval_block(BeSeqValues *sv)
{
	if (sv->next == sv->n)
	{
		char		oid[16];
		char		count[16];
		const char *values[2] = {oid, count};
		PGresult   *res;

		if (!client_nextval_prefetch)
			sv->block = CLIENT_NEXTVAL_CACHE;
		else
			sv->block = sv->block == 0 ? BE_SEQ_FIRST_BLOCK : Min(sv->block * 2, BE_SEQ_MAX_BLOCK);
		snprintf(oid, sizeof(oid), "%u", sv->relid);
		snprintf(count, sizeof(count), "%d", sv->block);
		res = client_query_named("oltp_sim_nextvals", &be_nextvals_prepared,
								 "SELECT pg_catalog.nextval($1::pg_catalog.oid::pg_catalog.regclass) "
								 "FROM pg_catalog.generate_series(1, $2::pg_catalog.int4)",
								 2, values);
		if (PQntuples(res) != sv->block)
			elog(ERROR, "drawing %d values of sequence %u gave %d", sv->block, sv->relid,
				 PQntuples(res));
		if (sv->values)
			pfree(sv->values);
		sv->values = MemoryContextAlloc(TopMemoryContext, sizeof(int64) * sv->block);
		for (int i = 0; i < sv->block; i++)
			sv->values[i] = strtoll(PQgetvalue(res, i, 0), NULL, 10);
		PQclear(res);
		sv->n = sv->block;
		sv->next = 0;
	}
	return sv->values[sv->next++];
}

/* the values drawn and not used given back, before the seed commits */
void
client_nextval_settle(void)
{
	static bool prepared = false;

	for (int i = 0; i < be_nseqs; i++)
	{
		BeSeqValues *sv = &be_seqs[i];

		if (sv->next < sv->n)
		{
			char		oid[16];
			char		value[32];
			const char *values[2] = {oid, value};

			snprintf(oid, sizeof(oid), "%u", sv->relid);
			snprintf(value, sizeof(value), INT64_FORMAT, sv->values[sv->next]);
			PQclear(client_query_named("oltp_sim_setval", &prepared,
									   "SELECT pg_catalog.setval($1::pg_catalog.oid::pg_catalog.regclass, "
									   "$2::pg_catalog.int8, false)",
									   2, values));
		}
		if (sv->values)
			pfree(sv->values);
	}
	be_nseqs = 0;
}

int64
nextval_internal(Oid relid, bool check_permissions)
{
	char		oid[16];
	const char *values[1] = {oid};
	PGresult   *res;
	int64		id;

	if (client_nextval_prefetch || client_nextval_cache)
	{
		BeSeqValues *sv = be_seq_values(relid);

		if (sv != NULL)
			return be_nextval_block(sv);
	}
	snprintf(oid, sizeof(oid), "%u", relid);
	res = client_query_named("oltp_sim_nextval", &be_nextval_prepared,
							 "SELECT pg_catalog.nextval($1::pg_catalog.oid::pg_catalog.regclass)",
							 1, values);
	id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return id;
}

/*
 * Savepoints s1, s2, ... one per open subtransaction.  The first of a
 * transaction in which nothing ran yet is not sent: rolling back to it is
 * rolling the transaction back and beginning it again, and releasing it
 * nothing, so an operation alone in its transaction (CALL oltp_run's,
 * the stream's, with ops_per_transaction 1) costs two round trips fewer.
 */
#define MAX_SUBXACT_DEPTH	64
static int	be_subxact_depth = 0;
static bool be_subxact_virtual[MAX_SUBXACT_DEPTH + 1];

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
	if (be_subxact_depth >= MAX_SUBXACT_DEPTH)
		elog(ERROR, "too many subtransactions");
	be_subxact_depth++;
	be_subxact_virtual[be_subxact_depth] = be_subxact_depth == 1 && !client_xact_used();
	if (!be_subxact_virtual[be_subxact_depth])
	{
		/* no savepoint in an implicit transaction: a block from here on */
		client_xact_explicit();
		be_savepoint("SAVEPOINT");
	}
}

void
ReleaseCurrentSubTransaction(void)
{
	if (!be_subxact_virtual[be_subxact_depth])
		be_savepoint("RELEASE SAVEPOINT");
	be_subxact_depth--;
}

void
RollbackAndReleaseCurrentSubTransaction(void)
{
	if (be_subxact_virtual[be_subxact_depth])
		client_xact_restart();
	else
	{
		be_savepoint("ROLLBACK TO SAVEPOINT");
		be_savepoint("RELEASE SAVEPOINT");
	}
	be_subxact_depth--;
}

/* no savepoint sent: none open, or only the transaction's first, not sent */
bool
client_subxact_none_sent(void)
{
	return be_subxact_depth == 0 || (be_subxact_depth == 1 && be_subxact_virtual[1]);
}

/* a new transaction has no savepoint open */
void
client_subxact_reset(void)
{
	be_subxact_depth = 0;
}

XLogRecPtr
LogLogicalMessage(const char *prefix, const char *message, size_t size,
				  bool transactional OLTP_LOGICAL_MESSAGE_FLUSH_ARG)
{
	const char *values[3];
	int			lengths[3];
	int			formats[3] = {0, 0, 1};
	Oid			types[3] = {BOOLOID, TEXTOID, BYTEAOID};
	PGresult   *res;
	uint32		hi;
	uint32		lo;

	values[0] = transactional ? "t" : "f";
	values[1] = prefix;
	values[2] = message;
	lengths[0] = lengths[1] = 0;
	lengths[2] = (int) size;
	res = client_exec_params("SELECT pg_catalog.pg_logical_emit_message($1, $2, $3)",
							 3, types, values, lengths, formats);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		client_throw(res);
	/* the record's end, as the server's returns it: "X/X" */
	if (sscanf(PQgetvalue(res, 0, 0), "%X/%X", &hi, &lo) != 2)
		elog(ERROR, "pg_logical_emit_message returned \"%s\"", PQgetvalue(res, 0, 0));
	PQclear(res);
	return ((XLogRecPtr) hi << 32) | lo;
}

/*
 * The server's lappend (nodes/list.c), for the lists of names op_schema.c
 * keeps: the cells in one array, grown by doubling, which pg_list.h's
 * macros (foreach, lfirst) read as they read the server's
 */
List *
lappend(List *list, void *datum)
{
	if (list == NIL)
	{
		list = palloc0(sizeof(List));
		list->type = T_List;
	}
	if (list->length == list->max_length)
	{
		int			size = Max(8, list->max_length * 2);

		list->elements = list->elements ? repalloc(list->elements, sizeof(ListCell) * size) :
			palloc(sizeof(ListCell) * size);
		list->max_length = size;
	}
	lfirst(&list->elements[list->length++]) = datum;
	return list;
}
