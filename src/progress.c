/*-------------------------------------------------------------------------
 *
 * progress.c
 *		The progress of a long call in the caller's session: oltp_seed and
 *		CALL oltp_run report where they are, in a NOTICE at most every
 *		OLTP_PROGRESS_NOTICE_MS and in pg_stat_activity's query, which
 *		another session can watch.
 *
 * The query shown while a call runs is its progress; when the call ends,
 * normally or by an error, the statement's own text is shown again (the
 * caller brackets the call with oltp_progress_restore).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "tcop/tcopprot.h"
#include "utils/backend_status.h"
#include "utils/timestamp.h"

#include "progress.h"

/* pg_stat_activity shows a progress, not the statement's text */
static bool progress_shown = false;

void
oltp_progress_begin(OltpProgress *p, const char *what)
{
	p->what = what;
	p->started = GetCurrentTimestamp();
	p->last_notice = p->started;
	p->last_activity = 0;
}

/*
 * Report where the call is, as fmt says, if it is time to: a call that
 * ends within OLTP_PROGRESS_NOTICE_MS sends no NOTICE.
 */
void
oltp_progress_report(OltpProgress *p, const char *fmt,...)
{
	TimestampTz now = GetCurrentTimestamp();
	bool		notice = TimestampDifferenceExceeds(p->last_notice, now,
													OLTP_PROGRESS_NOTICE_MS);
	bool		activity = p->last_activity == 0 ||
		TimestampDifferenceExceeds(p->last_activity, now, OLTP_PROGRESS_ACTIVITY_MS);
	StringInfoData text;

	if (!notice && !activity)
		return;
	initStringInfo(&text);
	appendStringInfo(&text, "%s: ", p->what);
	for (;;)
	{
		va_list		args;
		int			needed;

		va_start(args, fmt);
		needed = appendStringInfoVA(&text, fmt, args);
		va_end(args);
		if (needed == 0)
			break;
		enlargeStringInfo(&text, needed);
	}
	if (activity)
	{
		pgstat_report_activity(STATE_RUNNING, text.data);
		progress_shown = true;
		p->last_activity = now;
	}
	if (notice)
	{
		ereport(NOTICE, (errmsg_internal("%s", text.data)));
		p->last_notice = now;
	}
	pfree(text.data);
}

/* show the statement's own text again, if a progress replaced it */
void
oltp_progress_restore(void)
{
	if (progress_shown && debug_query_string != NULL)
		pgstat_report_activity(STATE_RUNNING, debug_query_string);
	progress_shown = false;
}
