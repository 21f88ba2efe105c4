/*-------------------------------------------------------------------------
 *
 * stream.c
 *		oltp_sim_client stream: what the workers do, from the client.
 *
 * Each connection is a process of its own (pgbench's -c), which runs one
 * transaction after another until --ops, --time or Ctrl-C: each is
 * CALL oltp_run's code for oltp_sim.ops_per_transaction operations, drawn
 * from the connection's own seed, on the server's wall clock (the op's
 * "now", as the worker gives it).  The pace is the workers': due times are
 * absolute, oltp_sim.rate shared among the connections, or the phases of
 * oltp_sim.schedule (schedule.c); with neither, flat out.
 *
 * With oltp_sim.watermark_every, a connection writes the workers'
 * watermark messages (watermark.c), numbered as worker i from 0, with what
 * it committed.  A connection publishes its counts in shared memory after
 * each transaction; the parent prints a progress line every --progress
 * seconds, as pgbench -P does, and the summary once every connection has
 * stopped.  Ctrl-C stops each connection after its transaction: nothing
 * is cut in half, and the summary counts what was committed.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fmgr.h"
#include "nodes/parsenodes.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "backend.h"
#include "client.h"
#include "compat.h"
#include "guc.h"
#include "model.h"
#include "schedule.h"
#include "stream.h"

/* the extension's procedure (run.c) */
extern Datum oltp_run(PG_FUNCTION_ARGS);

/* what a connection has done, as the parent reads it */
typedef struct StreamSlot
{
	ClientTally tally;
	double		lag_ms;			/* behind its due time, at its last transaction */
	bool		stopped;
} StreamSlot;

static StreamSlot *stream_slots;
static volatile sig_atomic_t stream_stop = false;

/* the parent's: the connections it started, to pass a stop on to */
static pid_t *stream_pids = NULL;
static volatile int stream_npids = 0;

/*
 * A stop for everyone: a Ctrl-C at a terminal reaches every process of the
 * group, a kill -INT the parent only, which passes it on.
 */
static void
stream_sigint(SIGNAL_ARGS)
{
	int			save_errno = errno;

	stream_stop = true;
	for (int i = 0; i < stream_npids; i++)
		if (stream_pids[i] > 0)
			kill(stream_pids[i], SIGINT);
	errno = save_errno;
}

/* the server's local time minus this clock's, in microseconds */
static int64
stream_clock_offset(void)
{
	PGresult   *res = client_query("SELECT ((pg_catalog.date_part('epoch', LOCALTIMESTAMP)::pg_catalog.numeric "
								   "OPERATOR(pg_catalog.-) 946684800) OPERATOR(pg_catalog.*) 1000000)::pg_catalog.int8",
								   0, NULL);
	int64		server = strtoll(PQgetvalue(res, 0, 0), NULL, 10);

	PQclear(res);
	return server - GetCurrentTimestamp();
}

/* sleep until due, or until asked to stop */
static void
stream_wait_until(TimestampTz due)
{
	for (;;)
	{
		TimestampTz now = GetCurrentTimestamp();
		int64		us = due - now;
		struct timespec ts;

		if (us <= 0 || stream_stop)
			return;
		us = Min(us, 100 * 1000);
		ts.tv_sec = us / USECS_PER_SEC;
		ts.tv_nsec = (us % USECS_PER_SEC) * 1000;
		nanosleep(&ts, NULL);
	}
}

/*
 * The watermarks, as connection i's (oltp_sim.watermark_every), if the
 * role may call pg_logical_emit_message; else none, said once in a line.
 */
static void
stream_watermarks(int i)
{
	PGresult   *res;
	bool		may;

	if (oltp_sim_watermark_every <= 0)
		return;
	res = client_query("SELECT pg_catalog.has_function_privilege("
					   "'pg_catalog.pg_logical_emit_message(pg_catalog.bool, pg_catalog.text, pg_catalog.text)', "
					   "'EXECUTE')", 0, NULL);
	may = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (may)
		client_watermark_worker = i;
	else if (i == 0)
		printf("note: no watermarks: role %s may not call pg_logical_emit_message\n",
			   PQuser(client_conn));
}

/* one transaction's operations: CALL oltp_run(ops => k, seed, anchor => now) */
static void
stream_transaction(int k, int64 seed, Timestamp now)
{
	LOCAL_FCINFO(fcinfo, 5);
	CallContext call;

	memset(&call, 0, sizeof(call));
	call.type = T_CallContext;
	InitFunctionCallInfoData(*fcinfo, NULL, 5, InvalidOid, (Node *) &call, NULL);
	fcinfo->args[0].value = Int64GetDatum(k);
	fcinfo->args[1].value = Int64GetDatum(seed);
	fcinfo->args[2].value = TimestampGetDatum(now);
	for (int a = 0; a < 3; a++)
		fcinfo->args[a].isnull = false;
	fcinfo->args[3].isnull = fcinfo->args[4].isnull = true;
	client_begin();
	(void) oltp_run(fcinfo);
	client_end(true);
}

/*
 * The transaction, its failure caught: said in one line, as the worker's
 * LOG, counted, rolled back.  False when it failed.
 */
static bool
stream_try(int n, int64 seed, Timestamp now)
{
	volatile bool ok = true;
	uint64		before = client_tally_ops();

	PG_TRY();
	{
		uint64		counted;

		stream_transaction(n, seed, now);
		/*
		 * run.c skips an operation whose tables are of a set not created
		 * before running it: counted here, as CALL oltp_run counts it
		 */
		counted = client_tally_ops() - before;
		if (counted < (uint64) n)
			client_tally_skipped((uint64) n - counted);
	}
	PG_CATCH();
	{
		ErrorData  *edata = CopyErrorData();

		FlushErrorState();
		client_print_error(edata);
		client_tally_error();
		client_abandon();
		ok = false;
	}
	PG_END_TRY();
	return ok;
}

/* connection i: transactions until its share of ops, the time or a stop */
static void
stream_connection(const StreamOptions *so, int i, void (*connect) (void))
{
	StreamSlot *slot = &stream_slots[i];
	int			k = oltp_sim_ops_per_transaction;
	int64		ops = so->ops / so->clients + (i < so->ops % so->clients ? 1 : 0);
	int64		done = 0;
	pg_prng_state rng;
	TimestampTz start;
	TimestampTz end;
	TimestampTz next_due;
	int64		offset;
	MemoryContext cxt = AllocSetContextCreate(TopMemoryContext, "stream transaction",
											  ALLOCSET_DEFAULT_SIZES);
	bool		paced = oltp_sim_rate > 0 ||
		(oltp_sim_schedule_parsed != NULL && oltp_sim_schedule_parsed->nphases > 0);

	connect();
	client_notices_quiet = true;
	/* each COMMIT sent with the next transaction's first statement (spi.c) */
	client_defer_commit = true;
	/* new patients' ids a block at a time per connection (backend.c) */
	client_nextval_cache = true;
	client_prepare_session();
	offset = stream_clock_offset();
	stream_watermarks(i);
	/*
	 * operations' last statements sent ahead of their answers (spi.c), but
	 * not with watermarks: one carries what was committed before it
	 */
	client_in_flight = client_watermark_worker >= 0 ? 0 : so->in_flight;
	/* the workers' seeds: one stream per connection */
	if (so->seed_given)
		pg_prng_seed(&rng, (uint64) so->seed + (uint64) i * UINT64CONST(0x9E3779B97F4A7C15));
	else if (!pg_prng_strong_seed(&rng))
		pg_prng_seed(&rng, (uint64) GetCurrentTimestamp() ^ (uint64) getpid());
	start = next_due = GetCurrentTimestamp();
	end = so->seconds > 0 ? start + (int64) so->seconds * USECS_PER_SEC : 0;

	while (!stream_stop && (so->ops == 0 || done < ops))
	{
		TimestampTz now;
		int			n = so->ops == 0 ? k : (int) Min((int64) k, ops - done);
		MemoryContext old;

		if (paced)
		{
			/*
			 * ahead of its due time, the last transaction's COMMIT is not
			 * held open over the pause (its locks, its commit time): sent
			 * now, on its own
			 */
			if (GetCurrentTimestamp() < next_due)
			{
				client_flush_commit();
				slot->tally = *client_tally();
			}
			stream_wait_until(next_due);
		}
		now = GetCurrentTimestamp();
		if (stream_stop || (end > 0 && now >= end))
			break;
		slot->lag_ms = paced && now > next_due ? (now - next_due) / 1000.0 : 0;

		old = MemoryContextSwitchTo(cxt);
		(void) stream_try(n, (int64) (pg_prng_uint64(&rng) >> 1), now + offset);
		MemoryContextSwitchTo(old);
		MemoryContextReset(cxt);
		/* a lost connection ends it (what was in flight was counted failed) */
		if (PQstatus(client_conn) != CONNECTION_OK)
			break;
		done += n;
		slot->tally = *client_tally();

		/* the next is due a period after this one was, not after it ended */
		if (oltp_sim_schedule_parsed != NULL && oltp_sim_schedule_parsed->nphases > 0)
			next_due = oltp_schedule_advance(oltp_sim_schedule_parsed, next_due,
											 (double) k * so->clients);
		else if (oltp_sim_rate > 0)
			next_due += (int64) ((double) k * so->clients * USECS_PER_SEC / oltp_sim_rate);
	}
	/* the last COMMIT, still to be sent: what it committed counted */
	client_flush_commit();
	slot->tally = *client_tally();
	slot->stopped = true;
}

/* every connection's counts added up */
static void
stream_sum(int clients, ClientTally *sum, double *lag_ms, int *running)
{
	memset(sum, 0, sizeof(*sum));
	*lag_ms = 0;
	*running = 0;
	for (int i = 0; i < clients; i++)
	{
		ClientTally t = stream_slots[i].tally;

		sum->done += t.done;
		sum->skipped += t.skipped;
		sum->aborted += t.aborted;
		sum->errors += t.errors;
		sum->xacts += t.xacts;
		for (int r = 0; r < OLTP_NTABLES; r++)
			for (int c = 0; c < OLTP_NCHANGE_KINDS; c++)
				sum->rows.rows[r][c] += t.rows.rows[r][c];
		for (int m = 0; m < OLTP_NMESSAGE_MODES; m++)
			sum->rows.messages[m] += t.rows.messages[m];
		*lag_ms = Max(*lag_ms, stream_slots[i].lag_ms);
		if (!stream_slots[i].stopped)
			(*running)++;
	}
}

static void
stream_summary(const StreamOptions *so, double secs)
{
	ClientTally sum;
	double		lag;
	int			running;

	stream_sum(so->clients, &sum, &lag, &running);
	printf("connections: %d\n", so->clients);
	printf("duration: %.1f s\n", secs);
	printf("operations committed: " UINT64_FORMAT " (%.1f per second)\n", sum.done,
		   secs > 0 ? sum.done / secs : 0);
	printf("operations skipped: " UINT64_FORMAT "\n", sum.skipped);
	printf("operations rolled back on purpose: " UINT64_FORMAT "\n", sum.aborted);
	printf("transactions committed: " UINT64_FORMAT "\n", sum.xacts);
	printf("transactions failed: " UINT64_FORMAT "\n", sum.errors);
	printf("rows committed (table|kind|rows):\n");
	for (int t = 0; t < OLTP_NTABLES; t++)
		for (int k = 0; k < OLTP_NCHANGE_KINDS; k++)
			if (sum.rows.rows[t][k] > 0)
				printf("%s|%s|" UINT64_FORMAT "\n", oltp_model[t].name,
					   oltp_change_kind_names[k], sum.rows.rows[t][k]);
	if (sum.rows.messages[OLTP_MESSAGE_TRANSACTIONAL] + sum.rows.messages[OLTP_MESSAGE_NONTRANSACTIONAL] > 0)
		printf("logical messages written: " UINT64_FORMAT " transactional (committed), " UINT64_FORMAT " not\n",
			   sum.rows.messages[OLTP_MESSAGE_TRANSACTIONAL],
			   sum.rows.messages[OLTP_MESSAGE_NONTRANSACTIONAL]);
}

/*
 * The connections, a process each, and the parent watching them: exit 0
 * when they all stopped with nothing failed, 2 otherwise.
 */
int
client_stream(const StreamOptions *so, void (*connect) (void))
{
	pid_t	   *pids = palloc0(sizeof(pid_t) * so->clients);
	TimestampTz start = GetCurrentTimestamp();
	TimestampTz next_report;
	int			failed = 0;
	int			alive = so->clients;
	uint64		last_done = 0;
	TimestampTz last_at = start;

	stream_slots = mmap(NULL, sizeof(StreamSlot) * so->clients, PROT_READ | PROT_WRITE,
						MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (stream_slots == MAP_FAILED)
	{
		fprintf(stderr, "%s: error: could not map shared memory: %m\n", client_progname);
		return CLIENT_EXIT_RUN_FAILED;
	}
	memset(stream_slots, 0, sizeof(StreamSlot) * so->clients);
	stream_pids = pids;
	pqsignal(SIGINT, stream_sigint);
	pqsignal(SIGTERM, stream_sigint);
	fflush(stdout);
	fflush(stderr);
	for (int i = 0; i < so->clients; i++)
	{
		pids[i] = fork();
		if (pids[i] < 0)
		{
			fprintf(stderr, "%s: error: could not fork: %m\n", client_progname);
			stream_stop = true;
			alive = i;
			break;
		}
		stream_npids = i + 1;
		if (pids[i] == 0)
		{
			stream_npids = 0;
			stream_connection(so, i, connect);
			PQfinish(client_conn);
			exit(0);
		}
	}

	next_report = start + (int64) so->progress * USECS_PER_SEC;
	while (alive > 0)
	{
		int			status;
		pid_t		pid = waitpid(-1, &status, WNOHANG);

		if (pid > 0)
		{
			alive--;
			if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
				failed++;
			continue;
		}
		if (so->progress > 0 && GetCurrentTimestamp() >= next_report)
		{
			ClientTally sum;
			double		lag;
			int			running;
			TimestampTz now = GetCurrentTimestamp();

			char		phase[OLTP_SCHEDULE_PHASE_TEXT + 16] = "";

			stream_sum(so->clients, &sum, &lag, &running);
			/* under a schedule, the phase the pace is in now */
			if (oltp_sim_schedule_parsed != NULL && oltp_sim_schedule_parsed->nphases > 0)
			{
				OltpPhasePosition pos;

				oltp_schedule_locate(oltp_sim_schedule_parsed, now, &pos);
				snprintf(phase, sizeof(phase), ", phase %s",
						 oltp_sim_schedule_parsed->phases[pos.phase].text);
			}
			fprintf(stderr, "progress: %.1f s, %.1f ops/s, lag %.1f ms, " UINT64_FORMAT " failed, %d running%s\n",
					(now - start) / 1000000.0,
					(sum.done - last_done) * 1000000.0 / Max(now - last_at, 1),
					lag, sum.errors, running, phase);
			last_done = sum.done;
			last_at = now;
			next_report += (int64) so->progress * USECS_PER_SEC;
		}
		pg_usleep(20 * 1000);
	}
	stream_summary(so, (GetCurrentTimestamp() - start) / 1000000.0);
	if (failed > 0)
	{
		fprintf(stderr, "%s: error: %d of %d connections failed\n", client_progname, failed,
				so->clients);
		return CLIENT_EXIT_RUN_FAILED;
	}
	return 0;
}
