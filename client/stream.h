/*-------------------------------------------------------------------------
 *
 * stream.h
 *		oltp_sim_client stream (stream.c): the workers' stream from the
 *		client, several connections paced as oltp_sim.rate or
 *		oltp_sim.schedule say, and what they committed (xact_op.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_CLIENT_STREAM_H
#define OLTP_SIM_CLIENT_STREAM_H

#include "changes.h"

/* what a connection did: its operations by outcome, the rows committed */
typedef struct ClientTally
{
	uint64		done;			/* in a committed transaction */
	uint64		skipped;
	uint64		aborted;		/* rolled back on purpose (OltpOpDef.aborts) */
	uint64		errors;			/* failed, their transaction rolled back */
	uint64		xacts;			/* committed */
	OltpChanges rows;			/* committed */
} ClientTally;

/* what a deferred last statement's answer says of its operation (spi.c) */
typedef enum ClientLastOutcome
{
	CLIENT_LAST_DONE,			/* done, as its rows say */
	CLIENT_LAST_SKIPPED,		/* nothing to change */
	CLIENT_LAST_RACE,			/* an error it expects: skipped, rolled back */
	CLIENT_LAST_ERROR,			/* another error: a failed transaction */
	CLIENT_LAST_FAULT			/* rows it must not change: an error, read
								 * once its transaction was committed */
} ClientLastOutcome;

/* the running transaction's, until it ends */
extern void client_tally_op(int op, bool failed, bool expected, bool done, bool pending,
							const OltpChanges *changes);
extern void client_tally_end(bool commit);
extern void client_tally_error(void);
extern void client_tally_defer(void);
extern void client_tally_resolve(bool committed);
extern void client_tally_expect_last(void);
extern void client_tally_resolve_last(ClientLastOutcome how, OltpTable table,
									  OltpChangeKind kind, uint64 n, bool committed);
extern const ClientTally *client_tally(void);
extern void client_tally_skipped(uint64 n);
extern uint64 client_tally_ops(void);

/* the stream's watermarks: written before each commit that calls for one */
extern int	client_watermark_worker;
extern void client_watermark(void);

typedef struct StreamOptions
{
	int			clients;
	int64		ops;			/* 0: no limit */
	int			seconds;		/* 0: no limit */
	int			progress;		/* seconds between progress lines; 0: none */
	bool		seed_given;
	int64		seed;
	int			in_flight;		/* client_in_flight (client.h) */
} StreamOptions;

/* connect must open client_conn for the calling process */
extern int	client_stream(const StreamOptions *so, void (*connect) (void));

#endif							/* OLTP_SIM_CLIENT_STREAM_H */
