/*-------------------------------------------------------------------------
 *
 * checksum.c
 *		oltp_checksums(): per table, the row count and an order-independent
 *		digest of the rows, which a sink without the extension computes
 *		with a plain SQL query (README, "Checksums").
 *
 * The canonical text of a row is the record text of ROW(its columns,
 * sorted by name bytewise, the excluded ones left out): the order of the
 * columns in a sink's copy does not matter, and the record text tells NULL
 * (nothing between the commas) from an empty string ("").  The text of
 * each value depends on a few settings (DateStyle, TimeZone, ...), which
 * the function's SET clauses pin (sql/oltp_sim--0.2.0.sql) and the
 * README's query sets first.  A row hashes to hashtextextended(text, 0), a
 * bigint; the digest is the sum of the hashes modulo 2^64.  A sum, unlike
 * XOR, does not cancel a row present twice, and no order of the rows, nor
 * their place on disk, changes it.
 *
 * The statement computes what the README's query computes, qualified
 * (tests compare the two): the same expression on both sides is what makes
 * the digests comparable.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/table.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/tuplestore.h"

#include "checksum.h"
#include "compat.h"
#include "model.h"
#include "schema.h"

/* 2^64: the hashes are summed as numeric, then reduced to [0, 2^64) */
#define CHECKSUM_MODULUS "18446744073709551616"

/*
 * The first %s is the row's columns (t.a, t.b, ...), the second the table.
 * OPERATOR() binds as loosely as any named operator, so the parentheses
 * say the order.
 */
#define CHECKSUM_SQL \
	"SELECT pg_catalog.count(*), COALESCE(((pg_catalog.sum(" \
	"pg_catalog.hashtextextended(ROW(%s)::pg_catalog.text, 0)" \
	") OPERATOR(pg_catalog.%%) " CHECKSUM_MODULUS \
	") OPERATOR(pg_catalog.+) " CHECKSUM_MODULUS ") OPERATOR(pg_catalog.%%) " CHECKSUM_MODULUS \
	", 0::pg_catalog.numeric) FROM %s t"

/* the text elements of a text[] argument; a NULL element is an error */
static int
checksum_text_array(ArrayType *arr, const char *argname, char ***out)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;

	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	*out = palloc(sizeof(char *) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not contain NULL", argname),
					 errhint("Leave the argument out (or pass NULL) for its default.")));
		(*out)[i] = TextDatumGetCString(elems[i]);
	}
	return n;
}

static int
checksum_name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/*
 * The row's columns as the canonical form lists them: every column of the
 * table but the excluded ones, sorted by name bytewise (strcmp compares
 * unsigned bytes, as COLLATE "C" does), each as t.name.
 */
static char *
checksum_row_columns(Oid relid, char **excluded, int nexcluded)
{
	Relation	rel = table_open(relid, AccessShareLock);
	TupleDesc	desc = RelationGetDescr(rel);
	char	  **cols = palloc(sizeof(char *) * Max(desc->natts, 1));
	int			ncols = 0;
	StringInfoData buf;

	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		bool		skip = att->attisdropped;

		for (int e = 0; e < nexcluded && !skip; e++)
			skip = strcmp(NameStr(att->attname), excluded[e]) == 0;
		if (!skip)
			cols[ncols++] = pstrdup(NameStr(att->attname));
	}
	/* the lock stays until the transaction ends: the columns cannot change under the statement */
	table_close(rel, NoLock);
	qsort(cols, ncols, sizeof(char *), checksum_name_cmp);

	initStringInfo(&buf);
	for (int i = 0; i < ncols; i++)
		appendStringInfo(&buf, "%st.%s", i > 0 ? ", " : "", quote_identifier(cols[i]));
	return buf.data;
}

/*
 * The statement that gives table t's row count and digest, the excluded
 * columns left out; also the checksum of an announcement the client
 * writes (client/tables.c), the server's calling oltp_checksums()
 */
char *
oltp_checksum_table_sql(const OltpSchema *schema, OltpTable t, char **excluded, int nexcluded)
{
	return psprintf(CHECKSUM_SQL, checksum_row_columns(schema->relids[t], excluded, nexcluded),
					oltp_schema_qualify(schema, t));
}

PG_FUNCTION_INFO_V1(oltp_checksums);

Datum
oltp_checksums(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext outer = CurrentMemoryContext;
	OltpSchema	schema;
	bool		wanted[OLTP_NTABLES];
	char	  **names = NULL;
	int			nnames = 0;
	char	  **excluded = NULL;
	int			nexcluded = 0;
	int64		counts[OLTP_NTABLES];
	Datum		digests[OLTP_NTABLES];

	if (!PG_ARGISNULL(0))
		nnames = checksum_text_array(PG_GETARG_ARRAYTYPE_P(0), "tables", &names);
	if (!PG_ARGISNULL(1))
		nexcluded = checksum_text_array(PG_GETARG_ARRAYTYPE_P(1), "exclude_columns",
										&excluded);

	for (int t = 0; t < OLTP_NTABLES; t++)
		wanted[t] = PG_ARGISNULL(0);
	for (int i = 0; i < nnames; i++)
	{
		int			t = oltp_model_lookup(names[i]);

		if (t < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("\"%s\" is not an oltp_sim table", names[i]),
					 errhint("The tables are %s.", oltp_model_table_list())));
		wanted[t] = true;
	}

	InitMaterializedSRF(fcinfo, 0);
	SPI_connect();
	oltp_schema_lock_tables(wanted);
	/* a clear error if the tables were changed, rather than SPI's */
	oltp_schema_require(&schema);

	for (int t = 0; t < OLTP_NTABLES; t++)
		if (wanted[t] && !schema.present[t])
		{
			/* by default, only the tables there are */
			if (PG_ARGISNULL(0))
				wanted[t] = false;
			else
				ereport(ERROR,
						(errcode(ERRCODE_UNDEFINED_TABLE),
						 errmsg("oltp_sim table \"%s\" does not exist", oltp_model[t].name),
						 errdetail("It belongs to the set \"%s\", which this database does not have.",
								   oltp_model[t].set)));
		}

	/*
	 * An excluded column no table has is a typo, not a column to skip; one
	 * list serves every table, so a column of one table only is fine.
	 */
	for (int i = 0; i < nexcluded; i++)
	{
		bool		found = false;

		for (int t = 0; t < OLTP_NTABLES && !found; t++)
			found = schema.present[t] && get_attnum(schema.relids[t], excluded[i]) > 0;
		if (!found)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("no oltp_sim table has a column \"%s\"", excluded[i]),
					 errhint("exclude_columns names columns of the tables (see oltp_columns()); created_at and updated_at are the ones a sink usually lacks or rewrites.")));
	}

	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		char	   *sql;
		bool		isnull;
		MemoryContext spicxt;

		if (!wanted[t])
			continue;

		sql = oltp_checksum_table_sql(&schema, t, excluded, nexcluded);
		if (SPI_execute(sql, true, 0) != SPI_OK_SELECT || SPI_processed != 1)
			elog(ERROR, "could not checksum %s", oltp_model[t].name);
		counts[t] = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0],
												SPI_tuptable->tupdesc, 1, &isnull));
		/* the numeric must outlive SPI_finish */
		spicxt = MemoryContextSwitchTo(outer);
		digests[t] = datumCopy(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc,
											 2, &isnull), false, -1);
		MemoryContextSwitchTo(spicxt);
		pfree(sql);
	}
	SPI_finish();

	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		if (!wanted[t])
			continue;
		values[0] = CStringGetTextDatum(oltp_model[t].name);
		values[1] = Int64GetDatum(counts[t]);
		values[2] = digests[t];
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
