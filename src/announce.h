/*-------------------------------------------------------------------------
 *
 * announce.h
 *		A change of a table's schema or partitions, announced (announce.c):
 *		a transactional logical message committed with the change, a row of
 *		the history oltp_announcements() lists, and a count per table.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_ANNOUNCE_H
#define OLTP_SIM_ANNOUNCE_H

#include "access/xlogdefs.h"

#include "model.h"
#include "shmem.h"

/*
 * The prefix of the announcements: not the watermarks' (OLTP_WATERMARK_PREFIX,
 * exactly "oltp_sim"), which their consumers match
 */
#define OLTP_ANNOUNCE_PREFIX	"oltp_sim.schema"

typedef struct OltpAnnouncement
{
	OltpTable	table;			/* the table whose schema or partitions changed */
	const char *change;			/* the documented kind: "add_column", ... */
	const char *detail;			/* a JSON object (text) of the kind's own
								 * fields, or NULL */
	bool		silent;			/* rows changed (appeared, vanished, got new
								 * values) without row events */
	int64		rows_silent;	/* how many, or -1 when not known */
	OltpChanges *changes;		/* where it is counted (an operation's
								 * ctx->changes), or NULL: counted nowhere */
} OltpAnnouncement;

extern XLogRecPtr oltp_announce(const OltpAnnouncement *a);

#endif							/* OLTP_SIM_ANNOUNCE_H */
