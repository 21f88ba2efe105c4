/*-------------------------------------------------------------------------
 *
 * schedule.c
 *		oltp_sim.schedule: the parser its check hook calls, and the pacing
 *		arithmetic over the parsed phases.  Server-free: plain C on
 *		timestamps and doubles, no allocation, no error thrown.
 *
 * A schedule is "duration@rate" phases separated by commas, repeated
 * forever: '5min@50, 30s@2000, 10min@0, 2min@50->500'.  A rate is in
 * operations per second for the whole stream; 0 is idle; "a->b" ramps
 * linearly over the phase.
 *
 * The cycle is anchored to the Unix epoch (1970-01-01 00:00 UTC): phase
 * boundaries are fixed points in time, the same for every worker and every
 * backend that reads oltp_status(), whatever the load, the reloads or the
 * restarts.  A cycle that divides a day repeats at the same UTC times each
 * day.
 *
 * The workers pace by the integral of the rate: the next transaction is
 * due when the schedule has asked for as many operations as the last one
 * ran (times the workers sharing the stream), so a ramp is followed
 * exactly and an idle phase is crossed without a single transaction.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>
#include <math.h>

#include "schedule.h"

/* 1970-01-01 in PostgreSQL's timestamps, which count from 2000-01-01 */
#define SCHEDULE_UNIX_EPOCH \
	((int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY)

/* the furthest a due time is set: a century, as for oltp_sim.rate */
#define SCHEDULE_NEVER_USECS	((int64) 100 * 365 * USECS_PER_DAY)

/* ---------------------------------------------------------------------------
 * Parsing
 * ---------------------------------------------------------------------------
 */

typedef struct ScheduleParser
{
	const char *text;
	const char *p;
	int			phase;			/* from 1, for the messages */
	char	   *error;
	size_t		errorlen;
} ScheduleParser;

static bool
schedule_fail(ScheduleParser *ps, const char *at, const char *reason)
{
	snprintf(ps->error, ps->errorlen, "At character %d (phase %d): %s.",
			 (int) (at - ps->text) + 1, ps->phase, reason);
	return false;
}

static void
schedule_skip_space(ScheduleParser *ps)
{
	while (isspace((unsigned char) *ps->p))
		ps->p++;
}

/*
 * An unsigned decimal number, digits with an optional fraction: no sign,
 * no exponent, no "inf" or "nan", whatever strtod would take.
 */
static bool
schedule_number(ScheduleParser *ps, double *value)
{
	const char *p = ps->p;
	double		v = 0;
	bool		digits = false;

	while (isdigit((unsigned char) *p))
	{
		v = v * 10 + (*p++ - '0');
		digits = true;
	}
	if (*p == '.' && isdigit((unsigned char) p[1]))
	{
		double		scale = 0.1;

		for (p++; isdigit((unsigned char) *p); p++, scale /= 10)
			v += (*p - '0') * scale;
		digits = true;
	}
	if (!digits)
		return false;
	ps->p = p;
	*value = v;
	return true;
}

static const struct
{
	const char *name;
	int64		usecs;
}			schedule_units[] =
{
	/* longest names first: "ms" before "s", "min" before "m" would be */
	{"min", USECS_PER_MINUTE},
	{"ms", 1000},
	{"s", USECS_PER_SEC},
	{"h", USECS_PER_HOUR},
	{"d", USECS_PER_DAY},
};

#define UNITS "ms, s, min, h or d"

static bool
schedule_duration(ScheduleParser *ps, int64 *usecs)
{
	const char *start = ps->p;
	const char *unit;
	double		v;
	int			len = 0;

	if (!schedule_number(ps, &v))
		return schedule_fail(ps, start, "expected a duration such as 30s or 5min");
	schedule_skip_space(ps);
	unit = ps->p;
	while (isalpha((unsigned char) unit[len]))
		len++;
	if (len == 0)
		return schedule_fail(ps, unit, "expected a unit after the duration (" UNITS ")");
	for (int i = 0; i < lengthof(schedule_units); i++)
	{
		if (strlen(schedule_units[i].name) != len ||
			strncmp(schedule_units[i].name, unit, len) != 0)
			continue;
		ps->p = unit + len;
		if (v * schedule_units[i].usecs > (double) OLTP_SCHEDULE_MAX_CYCLE)
			return schedule_fail(ps, start, "a phase lasts at most 366 days");
		*usecs = (int64) rint(v * schedule_units[i].usecs);
		if (*usecs < 1000)
			return schedule_fail(ps, start, "a phase lasts at least 1 ms");
		return true;
	}
	{
		char		reason[128];

		snprintf(reason, sizeof(reason), "unknown unit \"%.*s\" (" UNITS ")",
				 Min(len, 16), unit);
		return schedule_fail(ps, unit, reason);
	}
}

static bool
schedule_rate(ScheduleParser *ps, double *rate)
{
	const char *start = ps->p;

	if (!schedule_number(ps, rate))
		return schedule_fail(ps, start, "expected a rate in operations per second, 0 for idle");
	if (*rate > OLTP_SCHEDULE_MAX_RATE)
		return schedule_fail(ps, start, "a rate is at most 1000000 operations per second");
	return true;
}

static bool
schedule_phase(ScheduleParser *ps, OltpPhase *phase)
{
	const char *start = ps->p;
	const char *end;
	int			len;

	if (!schedule_duration(ps, &phase->usecs))
		return false;
	schedule_skip_space(ps);
	if (*ps->p != '@')
		return schedule_fail(ps, ps->p, "expected \"@\" and a rate after the duration");
	ps->p++;
	schedule_skip_space(ps);
	if (!schedule_rate(ps, &phase->from))
		return false;
	phase->to = phase->from;
	schedule_skip_space(ps);
	if (ps->p[0] == '-' && ps->p[1] == '>')
	{
		ps->p += 2;
		schedule_skip_space(ps);
		if (!schedule_rate(ps, &phase->to))
			return false;
	}
	end = ps->p;
	while (end > start && isspace((unsigned char) end[-1]))
		end--;
	len = (int) (end - start);
	if (len >= OLTP_SCHEDULE_PHASE_TEXT)
		return schedule_fail(ps, start, "a phase is written in at most 63 characters");
	memcpy(phase->text, start, len);
	phase->text[len] = '\0';
	return true;
}

/*
 * Parse text into *schedule; an empty (or blank) text is no schedule.  On
 * a malformed one, false with the position and the reason in error, a
 * sentence for GUC_check_errdetail.
 */
bool
oltp_schedule_parse(const char *text, OltpSchedule *schedule, char *error,
					size_t errorlen)
{
	ScheduleParser ps;

	memset(schedule, 0, sizeof(*schedule));
	ps.text = text ? text : "";
	ps.p = ps.text;
	ps.phase = 1;
	ps.error = error;
	ps.errorlen = errorlen;

	schedule_skip_space(&ps);
	if (*ps.p == '\0')
		return true;
	for (;;)
	{
		OltpPhase  *phase;

		if (schedule->nphases == OLTP_SCHEDULE_MAX_PHASES)
			return schedule_fail(&ps, ps.p, "a schedule has at most 64 phases");
		phase = &schedule->phases[schedule->nphases];
		if (!schedule_phase(&ps, phase))
			return false;
		phase->start = schedule->cycle_usecs;
		schedule->cycle_usecs += phase->usecs;
		if (schedule->cycle_usecs > OLTP_SCHEDULE_MAX_CYCLE)
			return schedule_fail(&ps, ps.p, "the phases last more than 366 days together");
		schedule->cycle_ops += (phase->from + phase->to) / 2 * phase->usecs / USECS_PER_SEC;
		schedule->nphases++;
		ps.phase++;
		schedule_skip_space(&ps);
		if (*ps.p == '\0')
			return true;
		if (*ps.p != ',')
		{
			ps.phase--;
			return schedule_fail(&ps, ps.p, "expected \",\" before the next phase");
		}
		ps.p++;
		schedule_skip_space(&ps);
	}
}

/* ---------------------------------------------------------------------------
 * Arithmetic
 * ---------------------------------------------------------------------------
 */

/* the phase t falls in, and since when (schedule has phases) */
void
oltp_schedule_locate(const OltpSchedule *schedule, TimestampTz t, OltpPhasePosition *pos)
{
	int64		since_epoch = t + SCHEDULE_UNIX_EPOCH;
	int64		in_cycle = since_epoch % schedule->cycle_usecs;
	int			i = 0;

	if (in_cycle < 0)
		in_cycle += schedule->cycle_usecs;
	while (i < schedule->nphases - 1 && schedule->phases[i + 1].start <= in_cycle)
		i++;
	pos->phase = i;
	pos->offset = in_cycle - schedule->phases[i].start;
	pos->phase_start = t - pos->offset;
}

/* the target of the whole stream, in ops/s, at that moment */
double
oltp_schedule_rate_at(const OltpSchedule *schedule, const OltpPhasePosition *pos)
{
	const OltpPhase *ph = &schedule->phases[pos->phase];

	return ph->from + (ph->to - ph->from) * pos->offset / ph->usecs;
}

/* operations phase ph asks for from offset x (in seconds) to its end */
static double
schedule_area_left(const OltpPhase *ph, double x)
{
	double		d = ph->usecs / (double) USECS_PER_SEC;
	double		slope = (ph->to - ph->from) / d;
	double		r = ph->from + slope * x;

	return (r + ph->to) / 2 * (d - x);
}

/*
 * Seconds after offset x at which phase ph has asked for ops more
 * operations (at most what is left of it).  With the rate r + slope * y,
 * the operations asked for by y are r y + slope y^2 / 2; the root is
 * written in the form that stays exact when the slope is tiny or zero.
 */
static double
schedule_solve(const OltpPhase *ph, double x, double ops)
{
	double		d = ph->usecs / (double) USECS_PER_SEC;
	double		slope = (ph->to - ph->from) / d;
	double		r = ph->from + slope * x;
	double		disc = Max(r * r + 2 * slope * ops, 0);
	double		denom = r + sqrt(disc);

	return denom > 0 ? Min(2 * ops / denom, d - x) : d - x;
}

/*
 * When the schedule, from "from" on, has asked for ops more operations:
 * the due time of the next transaction after one due at "from".  A
 * schedule whose phases are all idle never asks: the answer is then a
 * century away, and a reload wakes the worker before that.
 */
TimestampTz
oltp_schedule_advance(const OltpSchedule *schedule, TimestampTz from, double ops)
{
	OltpPhasePosition pos;
	TimestampTz start;
	double		x;

	if (schedule->cycle_ops <= 0 || ops / schedule->cycle_ops * schedule->cycle_usecs >
		(double) SCHEDULE_NEVER_USECS)
		return from + SCHEDULE_NEVER_USECS;
	/* whole cycles first: any cycle-long stretch asks for cycle_ops */
	if (ops >= schedule->cycle_ops)
	{
		double		cycles = floor(ops / schedule->cycle_ops);

		from += (int64) cycles * schedule->cycle_usecs;
		ops -= cycles * schedule->cycle_ops;
	}
	oltp_schedule_locate(schedule, from, &pos);
	start = pos.phase_start;
	x = pos.offset / (double) USECS_PER_SEC;
	/* one lap and a bit covers what is left, rounding included */
	for (int i = 0; i <= schedule->nphases; i++)
	{
		const OltpPhase *ph = &schedule->phases[pos.phase];
		double		left = schedule_area_left(ph, x);

		if (left >= ops && left > 0)
			return start + (int64) rint((x + schedule_solve(ph, x, ops)) * USECS_PER_SEC);
		ops -= left;
		start += ph->usecs;
		x = 0;
		pos.phase = (pos.phase + 1) % schedule->nphases;
	}
	return start;
}

/*
 * The due time a worker waits for, given the one its pace computed: a
 * debt from an earlier phase is forgiven (each phase is judged on its own
 * rate, and a backlog must not spill into an idle phase), and a due time
 * in an idle phase moves to where the next busy phase begins.
 */
TimestampTz
oltp_schedule_resume(const OltpSchedule *schedule, TimestampTz due, TimestampTz now)
{
	OltpPhasePosition pos;

	oltp_schedule_locate(schedule, now, &pos);
	if (due < pos.phase_start)
		due = pos.phase_start;
	oltp_schedule_locate(schedule, due, &pos);
	for (int i = 0; i < schedule->nphases; i++)
	{
		const OltpPhase *ph = &schedule->phases[pos.phase];

		if (ph->from > 0 || ph->to > 0)
			return due;
		due = pos.phase_start + ph->usecs;
		pos.phase_start = due;
		pos.phase = (pos.phase + 1) % schedule->nphases;
	}
	return now + SCHEDULE_NEVER_USECS;
}
