/*-------------------------------------------------------------------------
 *
 * schema.c
 *		Finds the extension's schema and checks that the tables of the model in it
 *		still have the columns and types oltp_sim writes.
 *
 * Everything that writes (oltp_seed, oltp_reset, the worker) calls this
 * first, so a table renamed, dropped or altered by hand gives one clear
 * message naming the table and the column, with the way back, instead of
 * an SPI error from deep inside a statement.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/skey.h"
#include "access/table.h"
#include "catalog/dependency.h"
#include "catalog/indexing.h"
#include "catalog/namespace.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_type.h"
#include "commands/dbcommands.h"
#include "commands/extension.h"
#include "miscadmin.h"
#include "nodes/pg_list.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"

#include "compat.h"
#include "model.h"
#include "schema.h"

#define RECREATE_HINT \
	"To recreate the tables (their rows are lost), run DROP EXTENSION oltp_sim CASCADE; then CREATE EXTENSION oltp_sim;."

static Oid
schema_extension_namespace(Oid extoid)
{
#ifdef OLTP_HAVE_GET_EXTENSION_SCHEMA
	return get_extension_schema(extoid);
#else
	Oid			result = InvalidOid;
	Relation	rel;
	SysScanDesc scan;
	HeapTuple	tuple;
	ScanKeyData key;

	rel = table_open(ExtensionRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_extension_oid, BTEqualStrategyNumber, F_OIDEQ,
				ObjectIdGetDatum(extoid));
	scan = systable_beginscan(rel, ExtensionOidIndexId, true, NULL, 1, &key);
	tuple = systable_getnext(scan);
	if (HeapTupleIsValid(tuple))
		result = ((Form_pg_extension) GETSTRUCT(tuple))->extnamespace;
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return result;
#endif
}

/*
 * The OID a column of the model must have: a set's own type (an enum, a
 * domain) is looked up by name in the extension's schema, InvalidOid if
 * it is not there (the column then has the wrong type, and says so).
 */
static Oid
schema_column_type(const OltpSchema *schema, const OltpColumnDef *col)
{
	if (col->typname == NULL)
		return col->type;
	return GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
						   CStringGetDatum(col->typname),
						   ObjectIdGetDatum(schema->nspoid));
}

static bool
schema_problem(OltpSchemaProblem *problem, int sqlerrcode, const char *hint,
			   const char *fmt,...) pg_attribute_printf(4, 5);

static bool
schema_problem(OltpSchemaProblem *problem, int sqlerrcode, const char *hint,
			   const char *fmt,...)
{
	va_list		args;

	problem->sqlerrcode = sqlerrcode;
	va_start(args, fmt);
	vsnprintf(problem->detail, sizeof(problem->detail), fmt, args);
	va_end(args);
	strlcpy(problem->hint, hint, sizeof(problem->hint));
	return false;
}

/*
 * Fill *schema for the current database.  Returns false, with *problem
 * describing it, if the extension is missing or a table no longer matches.
 * Must run inside a transaction.
 */
bool
oltp_schema_lookup(OltpSchema *schema, OltpSchemaProblem *problem)
{
	char	   *nspname;

	memset(schema, 0, sizeof(*schema));
	schema->extoid = get_extension_oid("oltp_sim", true);
	if (!OidIsValid(schema->extoid))
	{
		snprintf(problem->message, sizeof(problem->message),
				 "extension \"oltp_sim\" is not installed in database \"%s\"",
				 get_database_name(MyDatabaseId));
		return schema_problem(problem, ERRCODE_UNDEFINED_OBJECT,
							  "Run CREATE EXTENSION oltp_sim; in this database.",
							  "The hospital tables are created by the extension.");
	}
	schema->nspoid = schema_extension_namespace(schema->extoid);
	nspname = get_namespace_name(schema->nspoid);
	if (nspname == NULL)
		elog(ERROR, "cache lookup failed for namespace %u", schema->nspoid);
	strlcpy(schema->nspname, nspname, sizeof(schema->nspname));

	snprintf(problem->message, sizeof(problem->message),
			 "the tables of extension \"oltp_sim\" in schema \"%s\" were changed by hand",
			 schema->nspname);

	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		const OltpTableDef *def = &oltp_model[t];
		const char *relname = def->name;
		Oid			relid = get_relname_relid(relname, schema->nspoid);
		List	   *seqs;

		if (!OidIsValid(relid) || get_rel_relkind(relid) != RELKIND_RELATION)
		{
			/*
			 * A table of an opt-in set is there only once its set was added:
			 * its absence is a state, not damage.  A core table missing is.
			 */
			if (!OidIsValid(relid) && strcmp(def->set, OLTP_SET_CORE) != 0)
				continue;
			return schema_problem(problem, ERRCODE_UNDEFINED_TABLE, RECREATE_HINT,
								  "Table \"%s.%s\" is missing.",
								  schema->nspname, relname);
		}
		schema->relids[t] = relid;

		for (int c = 0; c < OLTP_MAX_COLUMNS && def->columns[c].name; c++)
		{
			const OltpColumnDef *col = &def->columns[c];
			AttrNumber	attnum = get_attnum(relid, col->name);
			Oid			type;
			int32		typmod;
			Oid			collation;

			if (attnum == InvalidAttrNumber)
				return schema_problem(problem, ERRCODE_UNDEFINED_COLUMN, RECREATE_HINT,
									  "Column \"%s\" of table \"%s.%s\" is missing.",
									  col->name, schema->nspname, relname);
			get_atttypetypmodcoll(relid, attnum, &type, &typmod, &collation);
			if (type != schema_column_type(schema, col) ||
				(col->typmod >= 0 && typmod != col->typmod))
				return schema_problem(problem, ERRCODE_DATATYPE_MISMATCH, RECREATE_HINT,
									  "Column \"%s\" of table \"%s.%s\" has type %s, expected %s.",
									  col->name, schema->nspname, relname,
									  format_type_with_typemod(type, typmod),
									  oltp_model_column_type(col));
		}

		/* the stream draws natural keys from it: it must still be owned */
		if (def->sequence == NULL)
		{
			schema->present[t] = true;
			continue;
		}
		seqs = getOwnedSequences(relid);
		if (seqs == NIL)
			return schema_problem(problem, ERRCODE_UNDEFINED_OBJECT, RECREATE_HINT,
								  "Column \"%s\" of table \"%s.%s\" no longer has its sequence.",
								  def->primary_key, schema->nspname, relname);
		schema->seqids[t] = linitial_oid(seqs);
		schema->present[t] = true;
	}
	return true;
}

/* oltp_schema_lookup for SQL functions: a problem is an ERROR */
void
oltp_schema_require(OltpSchema *schema)
{
	OltpSchemaProblem problem;

	if (!oltp_schema_lookup(schema, &problem))
		ereport(ERROR,
				(errcode(problem.sqlerrcode),
				 errmsg("%s", problem.message),
				 errdetail("%s", problem.detail),
				 errhint("%s", problem.hint)));
}

/* "schema"."table", quoted as needed, palloc'd in the current context */
char *
oltp_schema_qualify(const OltpSchema *schema, OltpTable table)
{
	return quote_qualified_identifier(schema->nspname, oltp_model[table].name);
}
