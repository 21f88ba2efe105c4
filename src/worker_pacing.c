/*-------------------------------------------------------------------------
 *
 * worker_pacing.c
 *		When a streaming worker's next transaction is due: by the phases of
 *		oltp_sim.schedule, by oltp_sim.rate shared among the running
 *		workers, or by oltp_sim.interval and jitter.
 *
 * Due times are absolute: the worker adds a period to the time the last
 * transaction was due, not to when it finished, so a slow transaction is
 * caught up on instead of shifting every later one.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "port/atomics.h"
#include "utils/timestamp.h"

#include "compat.h"
#include "guc.h"
#include "schedule.h"
#include "shmem.h"
#include "worker_state.h"

/*
 * The longest period between transactions: a century.  A tiny
 * oltp_sim.rate gives a tiny rate, with the schedule's timestamps far from
 * overflowing.
 */
#define MAX_PERIOD_USECS		((double) 100 * 365 * USECS_PER_DAY)

/*
 * Microseconds until the next transaction is due, after this one.  The
 * rate is shared among the workers the launcher has running, not the ones
 * configured: with fewer slots than oltp_sim.workers, the rate is still
 * met.  Computed in double and clamped, since a tiny rate would overflow
 * int64 and read as "flat out".
 */
int64
worker_period(WorkerState *ws)
{
	int			k = oltp_sim_ops_per_transaction;

	if (oltp_sim_rate > 0)
	{
		double		usecs;

		ws->rate_divisor = Max(1, (int) pg_atomic_read_u32(&oltp_shared->nrunning));
		usecs = (double) k * ws->rate_divisor * 1000000.0 / oltp_sim_rate;
		return usecs >= MAX_PERIOD_USECS ? (int64) MAX_PERIOD_USECS : Max((int64) usecs, 1);
	}
	else
	{
		int64		total = 0;

		ws->rate_divisor = 0;
		for (int i = 0; i < k; i++)
		{
			int64		d = (int64) oltp_sim_interval * 1000;

			if (oltp_sim_jitter > 0)
				d += (int64) pg_prng_uint64_range(&ws->rng, 0, (uint64) oltp_sim_jitter * 2000) -
					(int64) oltp_sim_jitter * 1000;
			total += Max(d, 0);
		}
		return total;
	}
}

/* the phases of oltp_sim.schedule pace the stream (else rate or interval) */
bool
worker_scheduled(void)
{
	return oltp_sim_schedule_parsed != NULL && oltp_sim_schedule_parsed->nphases > 0;
}

/*
 * When the next transaction is due, after the one due at ws->next_due; 0
 * for "now", flat out.  Under a schedule: when the phases have asked for
 * this worker's share of ops_per_transaction more operations, the rate
 * being shared among the running workers as oltp_sim.rate is.
 */
TimestampTz
worker_next_due(WorkerState *ws)
{
	int64		period;

	if (worker_scheduled())
	{
		ws->rate_divisor = Max(1, (int) pg_atomic_read_u32(&oltp_shared->nrunning));
		return oltp_schedule_advance(oltp_sim_schedule_parsed, ws->next_due,
									 (double) oltp_sim_ops_per_transaction * ws->rate_divisor);
	}
	period = worker_period(ws);
	return period > 0 ? ws->next_due + period : 0;
}
