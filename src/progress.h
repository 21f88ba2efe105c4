/*-------------------------------------------------------------------------
 *
 * progress.h
 *		Where a long call in the caller's session is (progress.c): oltp_seed
 *		and CALL oltp_run say it in a NOTICE every few seconds and in
 *		pg_stat_activity's query.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_PROGRESS_H
#define OLTP_SIM_PROGRESS_H

#include "datatype/timestamp.h"

#define OLTP_PROGRESS_NOTICE_MS		5000	/* a NOTICE at most this often */
#define OLTP_PROGRESS_ACTIVITY_MS	500 /* pg_stat_activity at most this often */

typedef struct OltpProgress
{
	const char *what;			/* the function: "oltp_seed", "oltp_run" */
	TimestampTz started;
	TimestampTz last_notice;
	TimestampTz last_activity;	/* 0 until first shown */
} OltpProgress;

extern void oltp_progress_begin(OltpProgress *p, const char *what);
extern void oltp_progress_report(OltpProgress *p, const char *fmt,...) pg_attribute_printf(2, 3);
extern void oltp_progress_restore(void);

#endif							/* OLTP_SIM_PROGRESS_H */
