/*-------------------------------------------------------------------------
 *
 * seed_types.c
 *		The seed of the set types: one INSERT ... SELECT per table, the
 *		values drawn by the SELECTs of gen_types.h from a hash of the row's
 *		number and the table's seed, so the same seed gives the same rows.
 *
 * Row i of n is the e-th edge row when it falls on the e-th multiple of
 * n / k (k edge rows): every edge value is seeded as soon as a table gets
 * k rows, spread through the table rather than packed at its start.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"

#include "gen_types.h"
#include "seed_state.h"
#include "seed_types.h"

/*
 * The rows of a seed: g.i from 1 to $1, of which $4 carry the edge rows,
 * g.base what the table held before (a key drawn from the row number stays
 * unique across calls), p.ids every patient; $2 is the table's seed, $3
 * the anchor.
 */
#define ROWS(base) \
	"WITH s AS (SELECT GREATEST(1::pg_catalog.int8, $1" TYPES_OP("/") "$4) AS stride," \
	" COALESCE((" base "), 0)::pg_catalog.int8 AS base), " \
	"p AS (SELECT pg_catalog.array_agg(id ORDER BY id) AS ids FROM %1$s.pacientes), " \
	"g AS (SELECT i, s.base, CASE WHEN pg_catalog.mod(i" TYPES_OP("-") "1, s.stride)" TYPES_OP("=") "0" \
	" AND (i" TYPES_OP("-") "1)" TYPES_OP("/") "s.stride" TYPES_OP("<") "$4" \
	" THEN (i" TYPES_OP("-") "1)" TYPES_OP("/") "s.stride" TYPES_OP("+") "1 END AS e" \
	" FROM s, pg_catalog.generate_series(1::pg_catalog.int8, $1) i) "
#define SEED_TYPES(T, t) \
	ROWS(TYPES_##T##_BASE) "INSERT INTO %1$s." t " (" TYPES_##T##_COLUMNS ") " TYPES_##T##_SELECT

typedef struct SeedTypesTable
{
	const char *sql;
	int			edge_rows;
} SeedTypesTable;

static const SeedTypesTable seed_types_tables[OLTP_NTABLES] = {
	[OLTP_SINAIS_VITAIS] = {SEED_TYPES(SINAIS_VITAIS, "sinais_vitais"), TYPES_SINAIS_VITAIS_EDGES},
	[OLTP_FATURAS] = {SEED_TYPES(FATURAS, "faturas"), TYPES_FATURAS_EDGES},
	[OLTP_PRONTUARIOS] = {SEED_TYPES(PRONTUARIOS, "prontuarios"), TYPES_PRONTUARIOS_EDGES},
	[OLTP_DISPOSITIVOS] = {SEED_TYPES(DISPOSITIVOS, "dispositivos"), TYPES_DISPOSITIVOS_EDGES},
	[OLTP_RESERVAS_LEITO] = {SEED_TYPES(RESERVAS_LEITO, "reservas_leito"), TYPES_RESERVAS_LEITO_EDGES},
};

/* is table seeded here rather than by a row producer of seed_rows.c? */
bool
seed_types_has(OltpTable table)
{
	return seed_types_tables[table].sql != NULL;
}

/* the rows a table needs to carry every edge value of its types */
int
seed_types_edge_rows(OltpTable table)
{
	return seed_types_tables[table].edge_rows;
}

/* insert nrows rows into table, drawn from seed around anchor */
int64
seed_types_table(SeedState *st, OltpTable table, int64 nrows, uint64 seed)
{
	Oid			argtypes[4] = {INT8OID, INT8OID, TIMESTAMPOID, INT8OID};
	Datum		args[4];
	char	   *sql;
	int			rc;

	sql = psprintf(seed_types_tables[table].sql,
				   quote_identifier(st->schema.nspname));
	args[0] = Int64GetDatum(nrows);
	args[1] = Int64GetDatum((int64) seed);
	args[2] = TimestampGetDatum(st->anchor);
	args[3] = Int64GetDatum(seed_types_tables[table].edge_rows);
	rc = SPI_execute_with_args(sql, 4, argtypes, args, NULL, false, 0);
	if (rc != SPI_OK_INSERT || SPI_processed != (uint64) nrows)
		elog(ERROR, "seeding %s returned %s with " UINT64_FORMAT " rows, expected " INT64_FORMAT,
			 oltp_model[table].name, SPI_result_code_string(rc), SPI_processed, nrows);
	return nrows;
}
