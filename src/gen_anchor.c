/*-------------------------------------------------------------------------
 *
 * gen_anchor.c
 *		The range of anchors: oltp_seed's and oltp_run's dates are drawn
 *		around an anchor, and must stay dates and timestamps PostgreSQL can
 *		read back (a timestamp from 4714-11-24 BC to 294276 AD, a date from
 *		the same day on).
 *
 * The table below says, for every value drawn around the anchor, how far
 * before and after it the value can fall, from the very constants the
 * generators draw with (generate.h, gen_types.h): a generator that draws
 * farther changes the range with it.  An anchor outside the range is
 * refused before anything is written; one inside it gives values that all
 * read back.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "datatype/timestamp.h"
#include "miscadmin.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "gen_anchor.h"
#include "gen_types.h"
#include "generate.h"

typedef enum AnchorKind
{
	ANCHOR_DATE,
	ANCHOR_TIMESTAMP,
	ANCHOR_TIMESTAMPTZ
} AnchorKind;

typedef struct AnchorReach
{
	const char *what;
	AnchorKind	kind;
	int64		before;			/* farthest before the anchor, in us */
	int64		after;			/* farthest after it */
} AnchorReach;

#define DAYS(n)		((int64) (n) * USECS_PER_DAY)
#define SECS(n)		((int64) (n) * USECS_PER_SEC)
/* the last office-hours slot of a day, after its midnight */
#define OFFICE_CLOSE	SECS((int64) OLTP_OFFICE_LAST_QUARTER * 15 * 60)

/*
 * What is drawn around the anchor, the seed's and the stream's (whose
 * anchor is oltp_run's clock).  Spans that start at the anchor's midnight
 * are measured from it: the range of anchors starts at a midnight, so
 * every anchor in it has its midnight in it too.
 */
static const AnchorReach anchor_reaches[] = {
	{"birth dates of patients", ANCHOR_DATE, DAYS(OLTP_AGE_MAX_DAYS), 0},
	{"validity of insurance cards", ANCHOR_DATE,
	DAYS(OLTP_CARD_PAST_DAYS), DAYS(OLTP_CARD_FUTURE_DAYS)},
	{"consultations", ANCHOR_TIMESTAMP,
	DAYS(OLTP_PAST_DAYS), DAYS(OLTP_BOOKED_DAYS) + OFFICE_CLOSE},
	{"consultations the stream books", ANCHOR_TIMESTAMP, 0, DAYS(OLTP_LIVE_BOOKED_DAYS)},
	{"exams", ANCHOR_TIMESTAMP, DAYS(OLTP_PAST_DAYS), DAYS(OLTP_EXAM_DAYS) + OFFICE_CLOSE},
	{"admissions", ANCHOR_TIMESTAMP, DAYS(OLTP_PAST_DAYS), 0},
	{"arrivals at triage", ANCHOR_TIMESTAMP, OLTP_TRIAGE_HOURS * USECS_PER_HOUR, 0},
	/* the types set */
	{"vital signs", ANCHOR_TIMESTAMPTZ, SECS(TYPES_MEASURED_SECS), 0},
	{"invoices", ANCHOR_TIMESTAMP, SECS(TYPES_ISSUED_SECS), 0},
	{"due dates of invoices", ANCHOR_DATE, SECS(TYPES_ISSUED_SECS), DAYS(TYPES_DUE_DAYS)},
	{"bed reservations", ANCHOR_TIMESTAMPTZ,
	SECS(TYPES_MEASURED_SECS), DAYS(TYPES_RESERVED_DAYS)},
};

/*
 * A timestamptz is drawn on Sao Paulo's wall clock: in UTC it is up to
 * 3 h 06 min 28 s later (the city's local mean time, before 1914), and
 * interval arithmetic in the session's time zone can move it an hour at a
 * change of daylight saving time.  A day covers both.
 */
#define ANCHOR_TZ_MARGIN	USECS_PER_DAY

/* a date's first day is a timestamp's: one lower limit serves both */
StaticAssertDecl(MIN_TIMESTAMP == (DATETIME_MIN_JULIAN - POSTGRES_EPOCH_JDATE) * USECS_PER_DAY,
				 "dates and timestamps start on the same day");

/*
 * The first and last anchor allowed, and the values that set them.  The
 * first is a midnight, the last a day's last microsecond: whole days.
 */
static void
anchor_range(Timestamp *first, Timestamp *last,
			 const AnchorReach **back, const AnchorReach **ahead)
{
	int64		before = 0;
	int64		after = 0;

	*back = *ahead = &anchor_reaches[0];
	for (int i = 0; i < lengthof(anchor_reaches); i++)
	{
		const AnchorReach *r = &anchor_reaches[i];
		int64		margin = r->kind == ANCHOR_TIMESTAMPTZ ? ANCHOR_TZ_MARGIN : 0;

		if (r->before + margin > before)
		{
			before = r->before + margin;
			*back = r;
		}

		/*
		 * A date runs to 5874897 AD, thousands of centuries past the last
		 * timestamp: no anchor can bring one near its end.
		 */
		Assert(r->kind != ANCHOR_DATE ||
			   TIMESTAMP_END_JULIAN + r->after / USECS_PER_DAY < DATE_END_JULIAN);
		if (r->kind != ANCHOR_DATE && r->after + margin > after)
		{
			after = r->after + margin;
			*ahead = r;
		}
	}
	*first = oltp_gen_day_start(MIN_TIMESTAMP + before + USECS_PER_DAY - 1);
	*last = oltp_gen_day_start(END_TIMESTAMP - after) - 1;
}

/* a timestamp as ISO text, whatever the session's DateStyle */
static char *
anchor_text(Timestamp ts, bool date_only)
{
	struct pg_tm tm;
	fsec_t		fsec;
	char		buf[MAXDATELEN + 1];

	if (timestamp2tm(ts, NULL, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	if (date_only)
		EncodeDateOnly(&tm, USE_ISO_DATES, buf);
	else
		EncodeDateTime(&tm, fsec, false, 0, NULL, USE_ISO_DATES, buf);
	return pstrdup(buf);
}

/* a span as days, and hours:minutes when it has them */
static char *
anchor_span(int64 us)
{
	int64		days = us / USECS_PER_DAY;
	int64		minutes = (us % USECS_PER_DAY) / (60 * USECS_PER_SEC);

	if (minutes == 0)
		return psprintf(INT64_FORMAT " days", days);
	return psprintf(INT64_FORMAT " days %02d:%02d", days, (int) (minutes / 60),
					(int) (minutes % 60));
}

void
oltp_anchor_check(Timestamp anchor)
{
	Timestamp	first,
				last;
	const AnchorReach *back,
			   *ahead;

	if (TIMESTAMP_NOT_FINITE(anchor))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("anchor must be a finite timestamp"),
				 errhint("Leave it out for midnight today.")));
	anchor_range(&first, &last, &back, &ahead);
	if (anchor < first || anchor > last)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("anchor %s is out of range", anchor_text(anchor, false)),
				 errdetail("The %s are drawn up to %s before the anchor and the %s up to %s after it, and must stay dates and timestamps PostgreSQL can read, from %s to %s.",
						   back->what, anchor_span(back->before),
						   ahead->what, anchor_span(ahead->after),
						   anchor_text(MIN_TIMESTAMP, true),
						   anchor_text(END_TIMESTAMP - 1, true)),
				 errhint("Use an anchor from %s to %s, both days included.",
						 anchor_text(first, true), anchor_text(last, true))));
}

int64
oltp_anchor_seconds_left(Timestamp anchor, const char **last_text)
{
	Timestamp	first,
				last;
	const AnchorReach *back,
			   *ahead;
	int64		secs;
	int64		usecs;

	anchor_range(&first, &last, &back, &ahead);
	Assert(anchor >= first && anchor <= last);
	*last_text = anchor_text(last, true);

	/*
	 * last - anchor can pass int64 (the range is wider than 2^63 us): count
	 * in whole seconds from the anchor's second, its microseconds apart.
	 */
	secs = anchor / USECS_PER_SEC;
	usecs = anchor % USECS_PER_SEC;
	if (usecs < 0)
	{
		secs--;
		usecs += USECS_PER_SEC;
	}
	return (last - usecs) / USECS_PER_SEC - secs;
}
