/*-------------------------------------------------------------------------
 *
 * publication.c
 *		The CDC set-up functions: oltp_publication(name), the publication
 *		of the extension's tables, and oltp_replica_identity(mode, tables),
 *		what their UPDATE and DELETE events carry; and the publication
 *		oltp_sim that oltp_seed, oltp_reset and oltp_add_tables create when
 *		there is none.
 *
 * Both act on the tables the schema check (schema.c) finds to be the
 * extension's members, never on a table found by name alone: another
 * role's table called fila_triagem is neither published nor altered.
 * They were PL/pgSQL until 0.3.0, calling oltp_tables() by name, which an
 * overload made by another role in the extension's schema could make
 * ambiguous; in C they call nothing by name.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_class.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_publication.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/formatting.h"
#include "utils/syscache.h"
#include "utils/tuplestore.h"

#include "model.h"
#include "publication.h"
#include "schema.h"

PG_FUNCTION_INFO_V1(oltp_publication);
PG_FUNCTION_INFO_V1(oltp_replica_identity);

static void
publication_exec(const char *sql)
{
	int			rc = SPI_execute(sql, false, 0);

	if (rc != SPI_OK_UTILITY)
		elog(ERROR, "\"%s\" returned %s", sql, SPI_result_code_string(rc));
}

/*
 * The present tables of the model, ", " between them; with published, only
 * those a publication carries (not the set audit's, model.h)
 */
static char *
publication_table_list(const OltpSchema *schema, bool qualified, bool published)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (int t = 0; t < OLTP_NTABLES; t++)
		if (schema->present[t] && !(published && oltp_model[t].unpublished))
			appendStringInfo(&buf, "%s%s", buf.len > 0 ? ", " : "",
							 qualified ? oltp_schema_qualify(schema, t) : oltp_model[t].name);
	return buf.data;
}

/*
 * A publication found by name: its owner could change what it publishes,
 * so it is used only when it belongs to the caller or a superuser.
 */
static void
publication_check_owner(const char *name, Oid owner, const char *caller)
{
	if (owner != GetUserId() && !superuser_arg(owner))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("publication \"%s\" belongs to role \"%s\"", name,
						GetUserNameFromId(owner, false)),
				 errdetail("That role could change what the publication publishes; %s uses an existing publication only when it belongs to the caller or a superuser.",
						   caller),
				 errhint("Drop or rename that publication, or name another one.")));
}

/*
 * oltp_publication(name text): create the publication of the extension's
 * tables (the core set and any set added, but the set audit's, which no
 * publication of oltp_sim's carries), or make an existing one of that name
 * publish exactly them, if it belongs to the caller or a superuser.
 * Returns the name.
 *
 * oltp_publication(name text, via_partition_root boolean): the same, with
 * publish_via_partition_root set as asked: true publishes the changes of a
 * partitioned table's partitions (the set partitions' eventos_leito) under
 * the partitioned table's name, false under each partition's.  The
 * one-argument form leaves that parameter as it is (false on a publication
 * it creates, as CREATE PUBLICATION has it).
 */
Datum
oltp_publication(PG_FUNCTION_ARGS)
{
	text	   *arg = PG_GETARG_TEXT_PP(0);
	char	   *name = text_to_cstring(arg);
	int			len = strlen(name);
	OltpSchema	schema;
	char	   *tables;
	HeapTuple	tuple;
	bool		set_root = PG_NARGS() > 1;
	bool		via_root = set_root && PG_GETARG_BOOL(1);

	if (len == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("publication name must not be empty"),
				 errhint("Leave the argument out for the default, oltp_sim.")));
	/* PostgreSQL would truncate it: the publication would not have the name asked for */
	if (len > NAMEDATALEN - 1)
		ereport(ERROR,
				(errcode(ERRCODE_NAME_TOO_LONG),
				 errmsg("publication name \"%s\" is too long", name),
				 errdetail("A name has at most %d bytes; this one has %d.", NAMEDATALEN - 1, len),
				 errhint("Choose a shorter publication name.")));

	SPI_connect();
	oltp_schema_require_members(&schema);
	tables = publication_table_list(&schema, true, true);
	tuple = SearchSysCache1(PUBLICATIONNAME, CStringGetDatum(name));
	if (!HeapTupleIsValid(tuple))
		publication_exec(psprintf("CREATE PUBLICATION %s FOR TABLE %s", quote_identifier(name), tables));
	else
	{
		Oid			owner = ((Form_pg_publication) GETSTRUCT(tuple))->pubowner;

		ReleaseSysCache(tuple);
		publication_check_owner(name, owner, "oltp_publication");
		publication_exec(psprintf("ALTER PUBLICATION %s SET TABLE %s", quote_identifier(name), tables));
	}
	if (set_root)
		publication_exec(psprintf("ALTER PUBLICATION %s SET (publish_via_partition_root = %s)",
								  quote_identifier(name), via_root ? "true" : "false"));
	SPI_finish();
	PG_RETURN_TEXT_P(arg);
}

/*
 * The publication oltp_sim, for oltp_seed, oltp_reset and oltp_add_tables:
 * created, publishing the extension's tables, when there is none; one that
 * exists is left as it is (a restored database's says what it published),
 * if it belongs to the caller or a superuser.  CREATE EXTENSION makes none,
 * so that restoring a dump, which creates it, does not collide with it.
 * The caller is connected to SPI and has looked at the schema.
 */
void
oltp_publication_ensure(const OltpSchema *schema, const char *caller)
{
	HeapTuple	tuple = SearchSysCache1(PUBLICATIONNAME, CStringGetDatum(OLTP_PUBLICATION));

	if (HeapTupleIsValid(tuple))
	{
		Oid			owner = ((Form_pg_publication) GETSTRUCT(tuple))->pubowner;

		ReleaseSysCache(tuple);
		publication_check_owner(OLTP_PUBLICATION, owner, caller);
		return;
	}
	publication_exec(psprintf("CREATE PUBLICATION %s FOR TABLE %s",
							  quote_identifier(OLTP_PUBLICATION),
							  publication_table_list(schema, true, true)));
}

/* what pg_class.relreplident means, as oltp_replica_identity says it */
static const char *
publication_identity_name(char relreplident)
{
	switch (relreplident)
	{
		case REPLICA_IDENTITY_DEFAULT:
			return "default";
		case REPLICA_IDENTITY_FULL:
			return "full";
		case REPLICA_IDENTITY_INDEX:
			return "index";
		default:
			return "nothing";
	}
}

/* a text argument as the error messages quote it: 'x', or NULL */
static const char *
publication_quoted(text *value)
{
	return value ? quote_literal_cstr(text_to_cstring(value)) : "NULL";
}

/*
 * oltp_replica_identity(mode text, tables text[]): REPLICA IDENTITY
 * DEFAULT or FULL on the tables named (all of the extension's by
 * default); a table without a primary key stays FULL.  One row per table
 * of the extension, in the model's order, with its setting.
 */
Datum
oltp_replica_identity(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	text	   *mode = PG_ARGISNULL(0) ? NULL : PG_GETARG_TEXT_PP(0);
	char	   *lower = NULL;
	bool		full;
	bool		wanted[OLTP_NTABLES] = {0};
	OltpSchema	schema;

	if (mode != NULL)
		lower = str_tolower(VARDATA_ANY(mode), VARSIZE_ANY_EXHDR(mode), DEFAULT_COLLATION_OID);
	if (lower == NULL || (strcmp(lower, "default") != 0 && strcmp(lower, "full") != 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("replica identity must be \"default\" or \"full\", not %s", publication_quoted(mode)),
				 errhint("default sends the key of updated rows; full sends the whole old row as well.")));
	full = strcmp(lower, "full") == 0;

	InitMaterializedSRF(fcinfo, 0);
	SPI_connect();
	oltp_schema_require_members(&schema);

	if (PG_ARGISNULL(1))
		memcpy(wanted, schema.present, sizeof(wanted));
	else
	{
		Datum	   *elems;
		bool	   *nulls;
		int			n;

		deconstruct_array(PG_GETARG_ARRAYTYPE_P(1), TEXTOID, -1, false, TYPALIGN_INT,
						  &elems, &nulls, &n);
		for (int i = 0; i < n; i++)
		{
			int			t = nulls[i] ? -1 : oltp_model_lookup(TextDatumGetCString(elems[i]));

			if (t < 0 || !schema.present[t])
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s is not an oltp_sim table",
								publication_quoted(nulls[i] ? NULL : DatumGetTextPP(elems[i]))),
						 errhint("The tables are %s.", publication_table_list(&schema, false, false))));
			wanted[t] = true;
		}
	}

	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		if (!wanted[t])
			continue;
		/* a table without a key has no default identity to fall back on */
		if (!full && oltp_model[t].primary_key == NULL)
		{
			ereport(NOTICE,
					(errmsg("table %s has no primary key: its replica identity stays FULL",
							oltp_model[t].name),
					 errhint("A consumer identifies its updated and deleted rows by the whole old row.")));
			continue;
		}
		publication_exec(psprintf("ALTER TABLE %s REPLICA IDENTITY %s",
								  oltp_schema_qualify(&schema, t), full ? "FULL" : "DEFAULT"));
	}
	SPI_finish();

	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		HeapTuple	tuple;
		Datum		values[2];
		bool		nulls[2] = {false, false};

		if (!schema.present[t])
			continue;
		tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(schema.relids[t]));
		if (!HeapTupleIsValid(tuple))
			elog(ERROR, "cache lookup failed for relation %u", schema.relids[t]);
		values[0] = CStringGetTextDatum(oltp_model[t].name);
		values[1] = CStringGetTextDatum(publication_identity_name(((Form_pg_class) GETSTRUCT(tuple))->relreplident));
		ReleaseSysCache(tuple);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
