/*-------------------------------------------------------------------------
 *
 * guc.c
 *		The oltp_sim.* settings (the profile and the per-operation weights
 *		live with the operations, in op.c) and the check hooks that explain
 *		bad values.
 *
 * Almost everything is PGC_SIGHUP: a CDC pipeline under test should not
 * need a server restart to change the pace or the target, and the worker
 * applies a reload within one interval.  Only oltp_sim.workers is fixed at
 * start, since it sizes shared memory.
 *
 * A check hook judges one value on its own: during a reload settings are
 * applied one by one, and at start the others may still hold defaults, so
 * a cross-setting check would answer differently at start and on reload.
 * The worker judges the applied combination (every weight zero, say).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <limits.h>
#include <math.h>

#include "utils/guc.h"

#include "bounds.h"
#include "compat.h"
#include "guc.h"
#include "schedule.h"

char	   *oltp_sim_database = NULL;
char	   *oltp_sim_role = NULL;
bool		oltp_sim_enabled = false;
int			oltp_sim_interval = 2000;
int			oltp_sim_jitter = 400;
double		oltp_sim_rate = 0;
int			oltp_sim_ops_per_transaction = 1;
int			oltp_sim_workers = 1;
int			oltp_sim_seed = 0;
int			oltp_sim_log_every = 1000;
int			oltp_sim_watermark_every = 0;
int			oltp_sim_batch_rows = 1000;
int			oltp_sim_long_transaction = 30000;
int			oltp_sim_abort_hold = 1000;
int			oltp_sim_max_held_transactions = 4;
int			oltp_sim_max_ops = 0;
int			oltp_sim_lock_defer = 100;
char	   *oltp_sim_schedule = NULL;
OltpSchedule *oltp_sim_schedule_parsed = NULL;
double		oltp_sim_skew = 0;

/*
 * An empty name would reach the launcher as a lookup that can never
 * succeed; a name longer than NAMEDATALEN would be truncated by the
 * catalogs and silently name another database.  Both are refused here,
 * with the reason, rather than found later as a puzzling wait.
 */
static bool
guc_check_database(char **newval, void **extra, GucSource source)
{
	if (*newval == NULL || (*newval)[0] == '\0')
	{
		GUC_check_errdetail("oltp_sim.database must name the database the worker streams into.");
		return false;
	}
	if (strlen(*newval) >= NAMEDATALEN)
	{
		GUC_check_errdetail("Database names are at most %d bytes long.", NAMEDATALEN - 1);
		return false;
	}
	return true;
}

/* empty is allowed (the bootstrap superuser); too long would be truncated */
static bool
guc_check_role(char **newval, void **extra, GucSource source)
{
	if (*newval != NULL && strlen(*newval) >= NAMEDATALEN)
	{
		GUC_check_errdetail("Role names are at most %d bytes long.", NAMEDATALEN - 1);
		return false;
	}
	return true;
}

/*
 * The bounds refuse negative rates; NaN passes them (every comparison with
 * it is false) and would make every period NaN.  A tiny positive rate is
 * fine: the worker computes the period in double and clamps it, so it never
 * overflows into "flat out".
 */
static bool
guc_check_rate(double *newval, void **extra, GucSource source)
{
	if (isnan(*newval))
	{
		GUC_check_errdetail("oltp_sim.rate is a number of operations per second, or 0 to pace by oltp_sim.interval.");
		return false;
	}
	return true;
}

/*
 * The schedule is parsed here, once, and handed to the assign hook as the
 * setting's extra: the workers never parse, and a malformed schedule is
 * refused (with the character and the reason) before it replaces the one
 * in effect, on reload as with ALTER SYSTEM.
 */
static bool
guc_check_schedule(char **newval, void **extra, GucSource source)
{
	OltpSchedule *schedule = oltp_guc_malloc(sizeof(OltpSchedule));
	char		error[256];

	if (schedule == NULL)
		return false;
	if (!oltp_schedule_parse(*newval, schedule, error, sizeof(error)))
	{
		GUC_check_errdetail("%s", error);
		GUC_check_errhint("A schedule is phases \"duration@rate\" separated by commas, such as '5min@50, 30s@2000, 10min@0, 2min@50->500'.");
		oltp_guc_free(schedule);
		return false;
	}
	*extra = schedule;
	return true;
}

static void
guc_assign_schedule(const char *newval, void *extra)
{
	oltp_sim_schedule_parsed = (OltpSchedule *) extra;
}

/* settings that take effect on reload; defined whether or not preloaded */
void
oltp_guc_define_reloadable(void)
{
	DefineCustomStringVariable("oltp_sim.database",
							   "Database the oltp_sim worker streams into.",
							   "The extension must be created there; the worker waits until it is.",
							   &oltp_sim_database,
							   "postgres",
							   PGC_SIGHUP, 0,
							   guc_check_database, NULL, NULL);

	DefineCustomStringVariable("oltp_sim.role",
							   "Role the oltp_sim worker connects as.",
							   "Empty means the bootstrap superuser. A non-superuser that owns the tables is enough.",
							   &oltp_sim_role,
							   "",
							   PGC_SIGHUP, 0,
							   guc_check_role, NULL, NULL);

	DefineCustomBoolVariable("oltp_sim.enabled",
							 "Whether the oltp_sim worker streams changes.",
							 "oltp_start() and oltp_stop() override it until it is changed again.",
							 &oltp_sim_enabled,
							 false,
							 PGC_SIGHUP, 0,
							 NULL, NULL, NULL);

	/* GUC_UNIT_MS takes '2s' and '400ms' alike; an hour is plenty */
	DefineCustomIntVariable("oltp_sim.interval",
							"Mean time between operations of each worker when oltp_sim.rate is 0.",
							"With oltp_sim.jitter also 0, the worker runs flat out.",
							&oltp_sim_interval,
							2000, 0, 3600 * 1000,
							PGC_SIGHUP, GUC_UNIT_MS,
							NULL, NULL, NULL);

	DefineCustomIntVariable("oltp_sim.jitter",
							"Random spread around oltp_sim.interval, in either direction.",
							NULL,
							&oltp_sim_jitter,
							400, 0, 3600 * 1000,
							PGC_SIGHUP, GUC_UNIT_MS,
							NULL, NULL, NULL);

	/*
	 * 0 is not a rate but "use interval pacing": by default the stream
	 * comes at a human pace with some jitter, and a benchmark can still
	 * ask for an exact throughput.
	 */
	DefineCustomRealVariable("oltp_sim.rate",
							 "Target operations per second, shared by the workers running; 0 paces by interval and jitter.",
							 "Operations are scheduled against absolute time: after a stall the workers catch up. Any positive rate is honoured; the longest wait between two transactions is a century.",
							 &oltp_sim_rate,
							 0, 0, 1000000,
							 PGC_SIGHUP, 0,
							 guc_check_rate, NULL, NULL);

	/* 1 gives one CDC transaction per operation */
	DefineCustomIntVariable("oltp_sim.ops_per_transaction",
							"Operations committed together in one transaction.",
							NULL,
							&oltp_sim_ops_per_transaction,
							1, 1, 10000,
							PGC_SIGHUP, 0,
							NULL, NULL, NULL);

	/*
	 * A change of precos, a TRUNCATE or a user's LOCK TABLE holds one table:
	 * the worker goes on with the others meanwhile instead of stopping
	 * behind it (worker.c)
	 */
	DefineCustomIntVariable("oltp_sim.lock_defer",
							"How long a worker runs other operations while a table the next one needs is locked by another transaction, before it waits for the lock; 0 waits at once.",
							"The operations put off run first once the lock is free, so the mix keeps its weights. Applies with oltp_sim.ops_per_transaction = 1.",
							&oltp_sim_lock_defer,
							100, 0, 60 * 1000,
							PGC_SIGHUP, GUC_UNIT_MS,
							NULL, NULL, NULL);

	DefineCustomIntVariable("oltp_sim.seed",
							"Seed of the workers' random choices; 0 draws a new one at each start.",
							"With one worker and a fixed seed, the same sequence of operations is produced.",
							&oltp_sim_seed,
							0, 0, INT_MAX,
							PGC_SIGHUP, 0,
							NULL, NULL, NULL);

	DefineCustomIntVariable("oltp_sim.max_ops",
							"Committed operations after which each worker stops, in state finished; 0 for no limit.",
							"Counted since the worker started; raising it (and reloading) lets the worker go on.",
							&oltp_sim_max_ops,
							0, 0, INT_MAX,
							PGC_SIGHUP, 0,
							NULL, NULL, NULL);

	DefineCustomIntVariable("oltp_sim.log_every",
							"Committed operations between the worker's summary log lines; 0 for none.",
							NULL,
							&oltp_sim_log_every,
							1000, 0, INT_MAX,
							PGC_SIGHUP, 0,
							NULL, NULL, NULL);

	DefineCustomIntVariable("oltp_sim.watermark_every",
							"Committed operations between the worker's watermark messages; 0 for none.",
							"Each watermark is a transactional logical decoding message with prefix \"" OLTP_WATERMARK_PREFIX "\" carrying the worker's sequence number and its committed changes per table.",
							&oltp_sim_watermark_every,
							0, 0, INT_MAX,
							PGC_SIGHUP, 0,
							NULL, NULL, NULL);

	/* import_resultados: a million rows is one large transaction, still flat in memory */
	DefineCustomIntVariable("oltp_sim.batch_rows",
							"Rows of a batch: the pending exams import_resultados gives results, the exams stream_exames loads, the access log entries write_logs_acesso writes, in one transaction.",
							NULL,
							&oltp_sim_batch_rows,
							1000, 1, 1000000,
							PGC_SIGHUP, 0,
							NULL, NULL, NULL);

	DefineCustomIntVariable("oltp_sim.long_transaction",
							"How long long_transaction keeps its transaction open before committing.",
							"A process of its own holds it while the stream goes on; oltp_stop() ends the wait early, and the transaction then commits.",
							&oltp_sim_long_transaction,
							30000, 0, 3600000,
							PGC_SIGHUP, GUC_UNIT_MS,
							NULL, NULL, NULL);

	DefineCustomIntVariable("oltp_sim.abort_hold",
							"How long stream_exames_aborted and emit_messages_aborted keep their transaction open before rolling it back.",
							"A process of its own holds it, so that a decoder with streaming on receives the transaction before its abort; oltp_stop() ends the wait early. 0 rolls back at once, in the worker's own transaction.",
							&oltp_sim_abort_hold,
							1000, 0, 3600000,
							PGC_SIGHUP, GUC_UNIT_MS,
							NULL, NULL, NULL);

	/* each held transaction is a background worker: bounded, below max_worker_processes */
	DefineCustomIntVariable("oltp_sim.max_held_transactions",
							"Transactions held open at once, each on a background worker of its own.",
							"A long_transaction that finds them all taken is skipped. Each takes a max_worker_processes slot while it lasts.",
							&oltp_sim_max_held_transactions,
							4, 0, OLTP_MAX_HOLDS,
							PGC_SIGHUP, 0,
							NULL, NULL, NULL);

	DefineCustomStringVariable("oltp_sim.schedule",
							   "Repeating phases of the stream's rate: duration@ops/s, 0 for idle, a->b for a ramp.",
							   "For example '5min@50, 30s@2000, 10min@0, 2min@50->500'. Anchored to the Unix epoch; empty paces by oltp_sim.rate or oltp_sim.interval.",
							   &oltp_sim_schedule,
							   "",
							   PGC_SIGHUP, 0,
							   guc_check_schedule, guc_assign_schedule, NULL);

	DefineCustomRealVariable("oltp_sim.skew",
							 "How concentrated the row picks are: 0 is uniform, up to 0.99.",
							 "The hottest fraction p of the rows gets the share p^(1 - skew) of the picks; the hottest rows are spread over the first 1024 ids and stay the same while the table grows.",
							 &oltp_sim_skew,
							 0, 0, 0.99,
							 PGC_SIGHUP, 0,
							 NULL, NULL, NULL);
}

/*
 * Settings read once, when the server starts: the number of workers sizes
 * the shared slots (shmem.c) and is only defined when the library is
 * preloaded, since without shared memory there are no workers to count.
 */
void
oltp_guc_define_postmaster(void)
{
	DefineCustomIntVariable("oltp_sim.workers",
							"Number of oltp_sim streaming workers.",
							"They share oltp_sim.rate. Each takes a max_worker_processes slot.",
							&oltp_sim_workers,
							1, 0, OLTP_MAX_WORKERS,
							PGC_POSTMASTER, 0,
							NULL, NULL, NULL);
}
