/*-------------------------------------------------------------------------
 *
 * spi.h (client)
 *		The part of PostgreSQL's Server Programming Interface the engine's
 *		operations call, for the client program: the same names and
 *		signatures, implemented over libpq (client/spi.c).
 *
 * The client compiles the extension's operation files (src/op*.c) as they
 * are; this header, first on the client's include path, stands in for the
 * server's executor/spi.h, which frontend code cannot include (it pulls in
 * shared memory and locks).  A prepared statement is a libpq prepared
 * statement; a result is a libpq result, whose rows SPI_getbinval and
 * SPI_getvalue read.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_CLIENT_SPI_H
#define OLTP_SIM_CLIENT_SPI_H

#include "access/htup.h"
#include "access/tupdesc.h"
#include "nodes/parsenodes.h"

/* SPI's result codes, with the server's values */
#define SPI_ERROR_ARGUMENT		(-6)
#define SPI_OK_CONNECT			1
#define SPI_OK_FINISH			2
#define SPI_OK_UTILITY			4
#define SPI_OK_SELECT			5
#define SPI_OK_INSERT			7
#define SPI_OK_DELETE			8
#define SPI_OK_UPDATE			9
#define SPI_OK_INSERT_RETURNING 11
#define SPI_OK_DELETE_RETURNING 12
#define SPI_OK_UPDATE_RETURNING 13

#define SPI_OPT_NONATOMIC		(1 << 0)

typedef struct _SPI_plan *SPIPlanPtr;

/*
 * A statement's rows: vals[i] stands for row i and tupdesc for the
 * result; only SPI_getbinval and SPI_getvalue look inside.
 */
typedef struct SPITupleTable
{
	TupleDesc	tupdesc;
	HeapTuple  *vals;
	uint64		numvals;
} SPITupleTable;

extern PGDLLIMPORT uint64 SPI_processed;
extern PGDLLIMPORT SPITupleTable *SPI_tuptable;
extern PGDLLIMPORT int SPI_result;

extern SPIPlanPtr SPI_prepare_cursor(const char *src, int nargs, Oid *argtypes,
									 int cursorOptions);
extern int	SPI_connect(void);
extern int	SPI_connect_ext(int options);
extern void SPI_commit(void);
extern void SPI_rollback(void);
extern int	SPI_finish(void);
extern SPIPlanPtr SPI_prepare(const char *src, int nargs, Oid *argtypes);
extern int	SPI_execute(const char *src, bool read_only, long tcount);
extern int	SPI_execute_with_args(const char *src, int nargs, Oid *argtypes,
								  Datum *Values, const char *Nulls,
								  bool read_only, long tcount);
extern int	SPI_keepplan(SPIPlanPtr plan);
extern int	SPI_freeplan(SPIPlanPtr plan);
extern int	SPI_execute_plan(SPIPlanPtr plan, Datum *Values, const char *Nulls,
							 bool read_only, long tcount);
extern Datum SPI_getbinval(HeapTuple tuple, TupleDesc tupdesc, int fnumber, bool *isnull);
extern char *SPI_getvalue(HeapTuple tuple, TupleDesc tupdesc, int fnumber);
extern void SPI_freetuptable(SPITupleTable *tuptable);
extern const char *SPI_result_code_string(int code);

#endif							/* OLTP_SIM_CLIENT_SPI_H */
