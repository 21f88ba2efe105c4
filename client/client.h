/*-------------------------------------------------------------------------
 *
 * client.h
 *		The client program's own interface: its connection, how it runs a
 *		statement of its own, its settings and its errors (backend.c,
 *		spi.c, oltp_sim_client.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_CLIENT_H
#define OLTP_SIM_CLIENT_H

#include "libpq-fe.h"
#include "utils/elog.h"

/* the connection every statement goes to, the engine's included */
extern PGconn *client_conn;

/* pgbench's exit codes: 1 before the work starts, 2 when it fails */
#define CLIENT_EXIT_BAD_INPUT	1
#define CLIENT_EXIT_RUN_FAILED	2

/*
 * A statement with text parameters (NULL for none), its result checked:
 * a server error becomes an ereport(ERROR) with the server's SQLSTATE,
 * message, detail and hint, which the caller's PG_TRY catches.
 */
extern PGresult *client_query(const char *sql, int nparams, const char *const *values);
extern void client_command(const char *sql);
extern PGresult *client_query_named(const char *name, bool *prepared, const char *sql,
									int nparams, const char *const *values);
extern void client_throw(PGresult *res);

/*
 * The elements of an array construct_md_array built (backend.c), and
 * their NULL flags, or NULL for none
 */
struct ArrayType;
extern Datum *client_array_data(const struct ArrayType *array);
extern bool *client_array_nulls(const struct ArrayType *array);

/* where the rows of the engine's SQL functions go (tuplestore_putvalues) */
typedef void (*ClientRowPrinter) (const Datum *values, const bool *isnull);
extern ClientRowPrinter client_row_printer;

/* the schema of the tables (--schema) */
extern const char *client_schema_name;

/* the extension's install scripts (--scripts) */
extern const char *client_scripts_dir;

/* a new transaction: no savepoint of the last one is open */
extern void client_subxact_reset(void);

/*
 * The client's transactions (spi.c): begin one, end it (unless SPI_commit
 * or SPI_rollback ended it, the next one not begun yet), or roll back
 * whatever is open after a failure.
 */
extern void client_begin(void);
extern bool client_end(bool commit);
extern void client_abandon(void);
extern bool client_xact_used(void);
extern void client_xact_restart(void);
extern bool client_defer_commit;
extern void client_flush_commit(void);
extern void client_prepare_session(void);
extern bool client_nextval_prefetch;

/*
 * The stream's transactions of one operation run alone (xact_op.c sets
 * client_xact_alone around it): implicit, without BEGIN and COMMIT
 * (spi.c); a savepoint turns one into a transaction block first
 */
extern bool client_xact_alone;
extern void client_xact_explicit(void);
extern bool client_subxact_none_sent(void);

/*
 * The stream's: how many such transactions may be in flight, their
 * operation's last statement sent and its answer not read, while the
 * next is drawn (spi.c's client_op_defer); 0 for none
 */
#define CLIENT_MAX_IN_FLIGHT	16
#define CLIENT_IN_FLIGHT_DEFAULT	2
extern int	client_in_flight;

/* the stream's and run's: sequence values drawn this many at a time (backend.c) */
#define CLIENT_NEXTVAL_CACHE	32
extern bool client_nextval_cache;
extern void client_nextval_settle(void);

/* a statement, with the pending BEGIN (spi.c) */
extern PGresult *client_exec_params(const char *sql, int n, const Oid *types,
									const char *const *values, const int *lengths,
									const int *formats);

/* the session's search_path, set at connection: only pg_catalog resolves */
#define CLIENT_SEARCH_PATH	"pg_catalog, pg_temp"

/* the settings the engine defines (guc.c, op.c), set as the server would */
extern bool client_setting_set(const char *name, const char *value);
extern void client_settings_print(FILE *out);

/* notices are not printed (a stream's oltp_run calls each say one) */
extern bool client_notices_quiet;

/* an error as psql prints it, with its DETAIL and HINT */
extern void client_print_error(const ErrorData *edata);
extern const char *client_progname;

#endif							/* OLTP_SIM_CLIENT_H */
