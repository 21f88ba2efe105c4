/*-------------------------------------------------------------------------
 *
 * functions.c
 *		SQL-callable functions that only read: oltp_counts().
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "executor/spi.h"
#include "funcapi.h"
#include "utils/builtins.h"

#include "oltp_sim.h"
#include "schema.h"

PG_FUNCTION_INFO_V1(oltp_counts);

/* exact row counts, one row per table, in the fixed table order */
Datum
oltp_counts(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	OltpSchema	schema;
	int64		counts[OLTP_NTABLES];

	InitMaterializedSRF(fcinfo, 0);
	SPI_connect();
	oltp_schema_require(&schema);
	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		char	   *sql = psprintf("SELECT count(*) FROM %s",
								   oltp_schema_qualify(&schema, t));
		bool		isnull;

		if (SPI_execute(sql, true, 0) != SPI_OK_SELECT || SPI_processed != 1)
			elog(ERROR, "could not count %s", oltp_table_names[t]);
		counts[t] = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0],
												SPI_tuptable->tupdesc, 1, &isnull));
	}
	SPI_finish();

	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		values[0] = CStringGetTextDatum(oltp_table_names[t]);
		values[1] = Int64GetDatum(counts[t]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
