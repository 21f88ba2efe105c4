/*-------------------------------------------------------------------------
 *
 * schedule.h
 *		oltp_sim.schedule: a repeating list of phases, each a duration and a
 *		target rate (constant, 0 for idle, or a ramp), parsed once by the
 *		setting's check hook, and the arithmetic the workers pace by and
 *		oltp_status() reports (schedule.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_SCHEDULE_H
#define OLTP_SIM_SCHEDULE_H

#include "datatype/timestamp.h"

#define OLTP_SCHEDULE_MAX_PHASES	64
#define OLTP_SCHEDULE_PHASE_TEXT	64
#define OLTP_SCHEDULE_MAX_RATE		1000000.0
/* the longest cycle: a year (and a day, for leap years) */
#define OLTP_SCHEDULE_MAX_CYCLE		((int64) 366 * USECS_PER_DAY)

typedef struct OltpPhase
{
	int64		start;			/* offset in the cycle, microseconds */
	int64		usecs;			/* length */
	double		from;			/* ops/s at its start ... */
	double		to;				/* ... and at its end (= from unless a ramp) */
	char		text[OLTP_SCHEDULE_PHASE_TEXT]; /* as written, trimmed */
} OltpPhase;

/* one flat block: the GUC machinery frees a check hook's extra with one free */
typedef struct OltpSchedule
{
	int			nphases;		/* 0: no schedule, rate or interval pace */
	int64		cycle_usecs;
	double		cycle_ops;		/* operations one whole cycle asks for */
	OltpPhase	phases[OLTP_SCHEDULE_MAX_PHASES];
} OltpSchedule;

/* where a moment falls: the phase, when this occurrence of it began */
typedef struct OltpPhasePosition
{
	int			phase;			/* from 0 */
	TimestampTz phase_start;
	int64		offset;			/* microseconds since phase_start */
} OltpPhasePosition;

extern bool oltp_schedule_parse(const char *text, OltpSchedule *schedule,
								char *error, size_t errorlen);
extern void oltp_schedule_locate(const OltpSchedule *schedule, TimestampTz t,
								 OltpPhasePosition *pos);
extern double oltp_schedule_rate_at(const OltpSchedule *schedule,
									const OltpPhasePosition *pos);
extern TimestampTz oltp_schedule_advance(const OltpSchedule *schedule,
										 TimestampTz from, double ops);
extern TimestampTz oltp_schedule_resume(const OltpSchedule *schedule,
										TimestampTz due, TimestampTz now);

#endif							/* OLTP_SIM_SCHEDULE_H */
