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

/* the history table (sql/oltp_sim--0.2.0--0.3.0.sql), the client's too */
#define OLTP_ANNOUNCE_HISTORY	"oltp_sim_announcements"

/* the checksum in a message, of a row c (row_count, digest) */
#define OLTP_ANNOUNCE_CHECKSUM_OBJECT \
	"pg_catalog.jsonb_build_object('row_count', c.row_count, 'digest', c.digest)"

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

/*
 * What the server (announce.c) and the client (client/tables.c) each do
 * their way: find the table (its OID into *relid, the schema filled in),
 * false when the change is not to be announced (a client whose role may
 * not write the message); the table's checksum, as oltp_checksums()
 * computes it, a JSON object (OLTP_ANNOUNCE_CHECKSUM_OBJECT) as text.
 */
struct OltpSchema;
extern bool oltp_announce_open(struct OltpSchema *schema, OltpTable table, Oid *relid);
extern char *oltp_announce_checksum(const struct OltpSchema *schema, OltpTable table);

#endif							/* OLTP_SIM_ANNOUNCE_H */
