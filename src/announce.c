/*-------------------------------------------------------------------------
 *
 * announce.c
 *		Announcing a change of a table's schema or partitions: one
 *		transactional logical message (prefix OLTP_ANNOUNCE_PREFIX) written
 *		in the change's transaction, the same recorded in the history table
 *		oltp_sim_announcements with the message's LSN, and one count of kind
 *		"schema" for the table; oltp_announcements() lists the history, and
 *		oltp_announce_change() announces a change made by hand.
 *
 * pgoutput sends no DDL: a sink learns of a new column from the Relation
 * message before the next row, and of rows rewritten by ALTER TABLE
 * (a volatile default, a type change) not at all.  The announcement tells
 * it, at the change's place in the stream, what the table is now and
 * whether its rows changed without events (silent), and then the table's
 * checksum as oltp_checksums() computes it, which a sink compares with
 * its copy.  The message is a JSON object (docs/schema_changes.md):
 *
 *   {"table": ..., "schema": ..., "change": ..., "columns": [{"name": ...,
 *    "type": ...}, ...], "silent": ..., "rows_silent": ..., "checksum":
 *    {"row_count": ..., "digest": ...} or null, "detail": {...} or null}
 *
 * written as jsonb writes it (keys by length, then bytes), so the
 * message's text and the history's message column are the same object.
 * Being transactional, the message is decoded with its transaction, before
 * any row event written after it, or never: a change rolled back leaves no
 * message, no history row and no count.
 *
 * The LSN returned and recorded is the message record's end, as
 * pg_logical_emit_message() returns it: the one test_decoding and pgoutput
 * report for the decoded message.
 *
 * The client program (client/) compiles this file too, without the SQL
 * function oltp_announce_change: the message is built, written and
 * recorded by the same statements, in the history table the client
 * creates from the same script; what it does its own way is finding the
 * table (no membership to check) and the table's checksum (no
 * oltp_checksums() to call), oltp_announce_open and oltp_announce_checksum, in
 * client/tables.c.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "replication/message.h"
#include "utils/builtins.h"
#ifndef FRONTEND
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#endif
#include "utils/pg_lsn.h"
#include "utils/timestamp.h"

#include "announce.h"
#include "compat.h"
#include "schema.h"

#define ANNOUNCE_HISTORY	OLTP_ANNOUNCE_HISTORY

/*
 * The message, built by the server's jsonb: the columns as the catalog has
 * them now ($1 the table's OID), in their order, dropped ones left out.
 * The checksum and the detail come as text ($7, $8), made jsonb here.
 */
#define ANNOUNCE_MESSAGE_SQL \
	"SELECT pg_catalog.jsonb_build_object(" \
	"'table', $2, 'schema', $3, 'change', $4, " \
	"'columns', (SELECT COALESCE(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(" \
	"'name', a.attname::pg_catalog.text, " \
	"'type', pg_catalog.format_type(a.atttypid, a.atttypmod)) ORDER BY a.attnum), " \
	"'[]'::pg_catalog.jsonb) " \
	"FROM pg_catalog.pg_attribute a WHERE a.attrelid OPERATOR(pg_catalog.=) $1 " \
	"AND a.attnum OPERATOR(pg_catalog.>) 0::pg_catalog.int2 AND NOT a.attisdropped), " \
	"'silent', $5, 'rows_silent', $6, 'checksum', $7::pg_catalog.jsonb, " \
	"'detail', $8::pg_catalog.jsonb)::pg_catalog.text"

#define ANNOUNCE_INSERT_SQL \
	"INSERT INTO %s." ANNOUNCE_HISTORY \
	" (lsn, at, table_name, change, silent, rows_silent, message) " \
	"VALUES ($1, $2, $3, $4, $5, $6, $7::pg_catalog.jsonb)"

#ifndef FRONTEND
/* the table's checksum as oltp_checksums() computes it, with its settings */
#define ANNOUNCE_CHECKSUM_SQL \
	"SELECT " OLTP_ANNOUNCE_CHECKSUM_OBJECT " FROM %s.oltp_checksums(ARRAY[$1]) c"
#endif

/* a kind is a word of lower-case letters, digits and underscores */
static bool
announce_kind_ok(const char *change)
{
	if (change == NULL || *change == '\0' || strlen(change) >= NAMEDATALEN)
		return false;
	for (const char *c = change; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_'))
			return false;
	return true;
}

/*
 * A statement of the announcement, run with its arguments.  The server
 * keeps each one planned (in *plan, for the schema the text names, nsp):
 * parsed and planned at every change they cost it about 0.3 ms, with the
 * table's lock held (docs/schema_changes.md), and the plan cache plans one
 * again when what it reads changes.  The client runs them as they are.
 */
typedef struct AnnounceStmt
{
	SPIPlanPtr	plan;
	char		nsp[NAMEDATALEN];	/* the schema its text names, if any */
} AnnounceStmt;

#ifndef FRONTEND
static AnnounceStmt announce_message_stmt;
static AnnounceStmt announce_insert_stmt;
static AnnounceStmt announce_checksum_stmt;

#define ANNOUNCE_MESSAGE_STMT	(&announce_message_stmt)
#define ANNOUNCE_INSERT_STMT	(&announce_insert_stmt)
#else
#define ANNOUNCE_MESSAGE_STMT	NULL
#define ANNOUNCE_INSERT_STMT	NULL
#endif

static int
announce_run(AnnounceStmt *stmt, const char *nsp, const char *sql, int nargs, Oid *types,
			 Datum *values, const char *nulls, long tcount)
{
#ifndef FRONTEND
	if (stmt->plan != NULL && strcmp(stmt->nsp, nsp ? nsp : "") != 0)
	{
		SPI_freeplan(stmt->plan);
		stmt->plan = NULL;
	}
	if (stmt->plan == NULL)
	{
		SPIPlanPtr	plan = SPI_prepare(sql, nargs, types);

		if (plan == NULL || SPI_keepplan(plan) != 0)
			elog(ERROR, "could not prepare \"%s\": %s", sql, SPI_result_code_string(SPI_result));
		stmt->plan = plan;
		strlcpy(stmt->nsp, nsp ? nsp : "", sizeof(stmt->nsp));
	}
	return SPI_execute_plan(stmt->plan, values, nulls, false, tcount);
#else
	return SPI_execute_with_args(sql, nargs, types, values, nulls, false, tcount);
#endif
}

/* the first column of the one row a query returns, as text */
static char *
announce_query_text(AnnounceStmt *stmt, const char *nsp, const char *sql, int nargs, Oid *types,
					Datum *values, const char *nulls)
{
	bool		isnull;

	if (announce_run(stmt, nsp, sql, nargs, types, values, nulls, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "could not run \"%s\"", sql);
	(void) SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
		elog(ERROR, "\"%s\" returned NULL", sql);
	return SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
}

#ifndef FRONTEND
/*
 * The table as the extension has it: in its schema and a member of
 * oltp_sim or of its set's extension.  Found by name, checked by
 * membership; the columns are not compared with the model, since a
 * schema change is what is being announced.  The server always announces.
 */
bool
oltp_announce_open(OltpSchema *schema, OltpTable table, Oid *relid)
{
	oltp_schema_require_extension(schema);
	*relid = get_relname_relid(oltp_model[table].name, schema->nspoid);
	if (!OidIsValid(*relid) || !oltp_schema_is_member(schema, RelationRelationId, *relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("oltp_sim table \"%s\" does not exist", oltp_model[table].name),
				 errdetail("Schema \"%s\" has no table of that name that is a member of oltp_sim or of its set's extension.",
						   schema->nspname)));
	return true;
}

/* the table's checksum, a JSON object as text, from oltp_checksums() */
char *
oltp_announce_checksum(const OltpSchema *schema, OltpTable table)
{
	Oid			ctype = TEXTOID;
	Datum		cvalue = CStringGetTextDatum(oltp_model[table].name);

	return announce_query_text(&announce_checksum_stmt, schema->nspname,
							   psprintf(ANNOUNCE_CHECKSUM_SQL, quote_identifier(schema->nspname)),
							   1, &ctype, &cvalue, NULL);
}
#endif							/* !FRONTEND */

XLogRecPtr
oltp_announce(const OltpAnnouncement *a)
{
	OltpSchema	schema;
	Oid			relid;
	char	   *nsp;
	char	   *checksum = NULL;
	char	   *message;
	XLogRecPtr	lsn;
	Oid			types[8] = {OIDOID, TEXTOID, TEXTOID, TEXTOID, BOOLOID, INT8OID,
	TEXTOID, TEXTOID};
	Datum		values[8];
	char		nulls[8] = {' ', ' ', ' ', ' ', ' ', ' ', 'n', 'n'};
	Oid			htypes[7] = {LSNOID, TIMESTAMPTZOID, TEXTOID, TEXTOID, BOOLOID, INT8OID,
	TEXTOID};
	Datum		hvalues[7];
	char		hnulls[7] = {' ', ' ', ' ', ' ', ' ', ' ', ' '};

	if (a->table < 0 || a->table >= OLTP_NTABLES)
		elog(ERROR, "announced table %d is not in the model", (int) a->table);
	if (!announce_kind_ok(a->change))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("\"%s\" is not a kind of change", a->change ? a->change : ""),
				 errdetail("A kind is a word of lower-case letters, digits and underscores, such as add_column.")));
	if (a->rows_silent < -1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("rows_silent must not be negative"),
				 errhint("Pass NULL (or -1 from C) when the number is not known.")));

	/* a client whose role may not write the message announces nothing */
	if (!oltp_announce_open(&schema, a->table, &relid))
		return InvalidXLogRecPtr;
	nsp = pstrdup(quote_identifier(schema.nspname));

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");

	if (a->silent)
	{
		checksum = oltp_announce_checksum(&schema, a->table);
		values[6] = CStringGetTextDatum(checksum);
		nulls[6] = ' ';
	}
	values[0] = ObjectIdGetDatum(relid);
	values[1] = CStringGetTextDatum(oltp_model[a->table].name);
	values[2] = CStringGetTextDatum(schema.nspname);
	values[3] = CStringGetTextDatum(a->change);
	values[4] = BoolGetDatum(a->silent);
	values[5] = Int64GetDatum(a->rows_silent);
	if (a->rows_silent < 0)
		nulls[5] = 'n';
	if (a->detail != NULL)
	{
		values[7] = CStringGetTextDatum(a->detail);
		nulls[7] = ' ';
	}
	message = announce_query_text(ANNOUNCE_MESSAGE_STMT, NULL, ANNOUNCE_MESSAGE_SQL, 8, types, values,
								  nulls);

	/* the record's end: the LSN a decoder gives the message */
	lsn = oltp_log_logical_message(OLTP_ANNOUNCE_PREFIX, message, strlen(message), true);

	hvalues[0] = LSNGetDatum(lsn);
	hvalues[1] = TimestampTzGetDatum(GetCurrentTimestamp());
	hvalues[2] = values[1];
	hvalues[3] = values[3];
	hvalues[4] = values[4];
	hvalues[5] = values[5];
	hnulls[5] = nulls[5];
	hvalues[6] = CStringGetTextDatum(message);
	if (announce_run(ANNOUNCE_INSERT_STMT, schema.nspname, psprintf(ANNOUNCE_INSERT_SQL, nsp), 7,
					 htypes, hvalues, hnulls, 0) != SPI_OK_INSERT || SPI_processed != 1)
		elog(ERROR, "could not record the announcement in %s." ANNOUNCE_HISTORY, nsp);

	SPI_finish();

	if (a->changes != NULL)
		a->changes->rows[a->table][OLTP_CHANGE_SCHEMA]++;
	return lsn;
}

#ifndef FRONTEND
PG_FUNCTION_INFO_V1(oltp_announce_change);

/*
 * A change made by hand, announced as the stream's own are, in the
 * caller's transaction: its LSN.  Counted nowhere, as the counters count
 * what the workers commit.
 */
Datum
oltp_announce_change(PG_FUNCTION_ARGS)
{
	OltpAnnouncement a = {0};
	char	   *name;
	int			t;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("table_name, change and silent must not be NULL")));
	name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	t = oltp_model_lookup(name);
	if (t < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("\"%s\" is not an oltp_sim table", name),
				 errhint("The tables are %s.", oltp_model_table_list())));
	a.table = (OltpTable) t;
	a.change = text_to_cstring(PG_GETARG_TEXT_PP(1));
	if (!PG_ARGISNULL(2))
	{
		Jsonb	   *detail = PG_GETARG_JSONB_P(2);

		if (!JB_ROOT_IS_OBJECT(detail) || JB_ROOT_IS_SCALAR(detail))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("detail must be a JSON object"),
					 errdetail("The kind's own fields go in an object, such as {\"column\": \"x\"}.")));
		a.detail = JsonbToCString(NULL, &detail->root, VARSIZE(detail));
	}
	a.silent = PG_GETARG_BOOL(3);
	/* not silent: no row changed without events */
	a.rows_silent = PG_ARGISNULL(4) ? (a.silent ? -1 : 0) : PG_GETARG_INT64(4);
	if (!a.silent && a.rows_silent > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("rows_silent is %lld but silent is false", (long long) a.rows_silent),
				 errhint("Rows changed without events make the change silent: pass silent => true.")));
	PG_RETURN_LSN(oltp_announce(&a));
}
#endif							/* !FRONTEND */
