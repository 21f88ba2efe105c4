/*-------------------------------------------------------------------------
 *
 * xact_op.c
 *		The client's oltp_xact_run_op (xact.h), for run.c: one operation in
 *		a savepoint of its own, its error caught, as the server's runs it
 *		in an internal subtransaction.  The rest of xact.c (the locks, the
 *		watermarks, the counters) is the workers'.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"

#include "backend.h"
#include "client.h"
#include "guc.h"
#include "stream.h"
#include "watermark.h"
#include "xact.h"

/* NULL if op ran; else its error, its savepoint (or transaction) rolled back */
ErrorData *
oltp_xact_run_op(bool subxact, MemoryContext err_cxt, int op, OltpPlans *plans,
				 const OltpSchema *schema, pg_prng_state *rng, Timestamp now,
				 OltpChanges *changes, OltpOpResult *result)
{
	ErrorData  *volatile edata = NULL;

	/*
	 * One operation a transaction: its savepoint, the transaction's first,
	 * is not sent (backend.c), and its transaction can be implicit (spi.c)
	 */
	client_xact_alone = subxact && oltp_sim_ops_per_transaction == 1 && !oltp_ops[op]->aborts;
	if (subxact)
		BeginInternalSubTransaction(NULL);
	PG_TRY();
	{
		*result = oltp_op_run(op, plans, schema, rng, now, changes);
		client_xact_alone = false;
		if (subxact)
			ReleaseCurrentSubTransaction();
	}
	PG_CATCH();
	{
		client_xact_alone = false;
		edata = CopyErrorData();
		FlushErrorState();
		if (subxact)
			RollbackAndReleaseCurrentSubTransaction();
		else
		{
			client_end(false);
			client_begin();
		}
		memset(changes, 0, sizeof(*changes));
	}
	PG_END_TRY();
	client_tally_op(op, edata != NULL, edata != NULL && oltp_op_expects(oltp_ops[op], edata->sqlerrcode),
					edata == NULL && *result == OLTP_OP_DONE,
					edata == NULL && *result == OLTP_OP_PENDING, changes);
	return edata;
}

/*
 * The same alone in its transaction, without a savepoint: on an error the
 * transaction failed, and the caller rolls it back (SPI_rollback), as
 * CALL oltp_run's does with the server's.
 */
ErrorData *
oltp_xact_run_op_alone(MemoryContext err_cxt, int op, OltpPlans *plans, const OltpSchema *schema,
					   pg_prng_state *rng, Timestamp now, OltpChanges *changes,
					   OltpOpResult *result)
{
	ErrorData  *volatile edata = NULL;

	/*
	 * In the stream, its transaction implicit (spi.c) unless it rolls back
	 * on purpose (a ROLLBACK of an implicit transaction draws a warning)
	 */
	client_xact_alone = !oltp_ops[op]->aborts;
	PG_TRY();
	{
		*result = oltp_op_run(op, plans, schema, rng, now, changes);
	}
	PG_CATCH();
	{
		client_xact_alone = false;
		edata = CopyErrorData();
		FlushErrorState();
		memset(changes, 0, sizeof(*changes));
	}
	PG_END_TRY();
	client_xact_alone = false;
	client_tally_op(op, edata != NULL, edata != NULL && oltp_op_expects(oltp_ops[op], edata->sqlerrcode),
					edata == NULL && *result == OLTP_OP_DONE,
					edata == NULL && *result == OLTP_OP_PENDING, changes);
	return edata;
}

/* ---------------------------------------------------------------------------
 * What the session committed
 * ---------------------------------------------------------------------------
 */

static ClientTally tally_total;
static ClientTally tally_xact;	/* the running transaction's */

/* the stream's connection number, as a worker's; -1: no watermarks (run) */
int			client_watermark_worker = -1;
static uint64 watermark_seq;	/* watermarks committed */
static bool watermark_written;	/* in the running transaction */

/*
 * The transactions whose end is in flight (spi.c), oldest first: each
 * one's tally waits for its COMMIT's or Sync's answer, and for its
 * operation's last statement's when that was deferred (last: one
 * operation whose outcome is not known yet).  An entry is made when the
 * transaction ends (client_tally_defer), or already when its last
 * statement goes out (client_tally_expect_last: open until it ends), so
 * that the entries are in the order spi.c reads the answers.
 */
typedef struct ClientPending
{
	ClientTally x;
	bool		watermark;		/* it wrote a watermark */
	bool		last;			/* its operation's last answer is to come */
	bool		open;			/* the transaction has not ended yet */
} ClientPending;

#define CLIENT_MAX_PENDING	(CLIENT_MAX_IN_FLIGHT + 2)
static ClientPending pending[CLIENT_MAX_PENDING];
static int	pending_first = 0;
static int	npending = 0;
static uint64 tally_lost;		/* operations counted, then failed */

/*
 * Before a commit of the stream: the watermark the transaction calls for
 * (oltp_sim.watermark_every), carrying what this connection committed,
 * the transaction included, as a worker's carries its slot's.
 */
void
client_watermark(void)
{
	/*
	 * the last transaction's deferred COMMIT, when nothing this one ran
	 * sent it: its count and its watermark's number known first
	 */
	if (client_watermark_worker >= 0 && npending > 0)
		client_flush_commit();
	if (client_watermark_worker < 0 || !oltp_watermark_due(tally_total.done, tally_xact.done))
		return;
	oltp_watermark_write(client_watermark_worker, watermark_seq + 1,
						 tally_total.done + tally_xact.done,
						 tally_total.rows.rows, &tally_xact.rows);
	watermark_written = true;
}

/*
 * An operation's outcome: done or skipped counts once its transaction
 * commits, an operation that rolls its transaction back on purpose at
 * once (it is done and will be rolled back: only its non-transactional
 * messages stay), a failure it did not expect when its transaction is
 * rolled back (client_tally_error).
 */
void
client_tally_op(int op, bool failed, bool expected, bool done, bool pending_last,
				const OltpChanges *changes)
{
	if (failed)
	{
		if (expected)
			tally_xact.skipped++;
		return;
	}
	/*
	 * its last statement's answer to come (spi.c): what the statements
	 * before it changed counted with the transaction, the rest when read
	 */
	if (pending_last)
		;
	else if (!done)
		tally_xact.skipped++;
	else if (oltp_ops[op]->aborts)
	{
		/*
		 * Rolled back once done: its rows and transactional messages are
		 * nowhere, its non-transactional messages in the stream all the same
		 */
		tally_total.aborted++;
		tally_total.rows.messages[OLTP_MESSAGE_NONTRANSACTIONAL] +=
			changes->messages[OLTP_MESSAGE_NONTRANSACTIONAL];
		tally_total.rows.message_bytes[OLTP_MESSAGE_NONTRANSACTIONAL] +=
			changes->message_bytes[OLTP_MESSAGE_NONTRANSACTIONAL];
		return;
	}
	else
		tally_xact.done++;
	for (int t = 0; t < OLTP_NTABLES; t++)
		for (int k = 0; k < OLTP_NCHANGE_KINDS; k++)
			tally_xact.rows.rows[t][k] += changes->rows[t][k];
	for (int m = 0; m < OLTP_NMESSAGE_MODES; m++)
	{
		tally_xact.rows.messages[m] += changes->messages[m];
		tally_xact.rows.message_bytes[m] += changes->message_bytes[m];
	}
}

/* a transaction's tally (*x), and whether it wrote a watermark, ended */
static void
tally_finish(ClientTally *x, bool *wrote_watermark, bool commit)
{
	if (commit && *wrote_watermark)
		watermark_seq++;
	*wrote_watermark = false;
	/* a skipped operation counts whatever its transaction did, as in the ledger */
	if (!commit)
		tally_total.skipped += x->skipped;
	if (commit && (x->done > 0 || x->skipped > 0))
	{
		tally_total.done += x->done;
		tally_total.skipped += x->skipped;
		tally_total.xacts++;
		for (int t = 0; t < OLTP_NTABLES; t++)
			for (int k = 0; k < OLTP_NCHANGE_KINDS; k++)
				tally_total.rows.rows[t][k] += x->rows.rows[t][k];
		for (int m = 0; m < OLTP_NMESSAGE_MODES; m++)
		{
			tally_total.rows.messages[m] += x->rows.messages[m];
			tally_total.rows.message_bytes[m] += x->rows.message_bytes[m];
		}
	}
	memset(x, 0, sizeof(*x));
}

/* the transaction ended: its tally kept if it committed */
void
client_tally_end(bool commit)
{
	tally_finish(&tally_xact, &watermark_written, commit);
}

/* a new entry at the end of the line */
static ClientPending *
pending_push(void)
{
	ClientPending *p;

	if (npending == CLIENT_MAX_PENDING)
		elog(ERROR, "more than %d transactions in flight", CLIENT_MAX_PENDING);
	p = &pending[(pending_first + npending) % CLIENT_MAX_PENDING];
	memset(p, 0, sizeof(*p));
	npending++;
	return p;
}

/* the oldest entry, taken off the line; false if there is none */
static bool
pending_pop(ClientPending *p)
{
	if (npending == 0)
		return false;
	*p = pending[pending_first];
	pending_first = (pending_first + 1) % CLIENT_MAX_PENDING;
	npending--;
	return true;
}

/*
 * A transaction whose end is deferred (spi.c): its tally waits for the
 * answers, client_tally_resolve or client_tally_resolve_last.  Its entry
 * is the one its last statement opened, if it sent one.
 */
void
client_tally_defer(void)
{
	ClientPending *p = npending > 0 ?
		&pending[(pending_first + npending - 1) % CLIENT_MAX_PENDING] : NULL;

	if (p == NULL || !p->open)
		p = pending_push();
	p->open = false;
	p->x = tally_xact;
	p->watermark = watermark_written;
	memset(&tally_xact, 0, sizeof(tally_xact));
	watermark_written = false;
}

/* the running transaction's last statement went out, its answer to come */
void
client_tally_expect_last(void)
{
	ClientPending *p = pending_push();

	p->last = true;
	p->open = true;
}

/* the oldest deferred COMMIT's or Sync's outcome: counted as committed, or as failed */
void
client_tally_resolve(bool committed)
{
	ClientPending p;

	if (!pending_pop(&p))
		return;
	Assert(!p.last && !p.open);
	if (!committed)
	{
		tally_total.errors++;
		tally_lost += p.x.done;
	}
	tally_finish(&p.x, &p.watermark, committed);
}

/*
 * The oldest deferred transaction's, whose last statement's answer was
 * read: how its operation ended, the n rows of kind that statement changed
 * in table, and whether its Sync committed it.  The operation was counted
 * once already (client_tally_ops) and stays counted: done or skipped, or
 * among the failed (tally_lost).  A fault was found after the commit: its
 * rows stay, and are counted as committed, its transaction as failed.
 */
void
client_tally_resolve_last(ClientLastOutcome how, OltpTable table, OltpChangeKind kind,
						  uint64 n, bool committed)
{
	ClientPending p;

	if (!pending_pop(&p))
		return;
	Assert(p.last && !p.open);
	switch (how)
	{
		case CLIENT_LAST_DONE:
			p.x.done++;
			p.x.rows.rows[table][kind] += n;
			break;
		case CLIENT_LAST_SKIPPED:
			p.x.skipped++;
			p.x.rows.rows[table][kind] += n;
			break;
		case CLIENT_LAST_RACE:
			/* rolled back with its statement, as the server's is */
			p.x.skipped++;
			tally_finish(&p.x, &p.watermark, false);
			return;
		case CLIENT_LAST_ERROR:
		case CLIENT_LAST_FAULT:
			tally_total.errors++;
			tally_lost += p.x.done + 1;
			if (how == CLIENT_LAST_FAULT && committed)
			{
				p.x.rows.rows[table][kind] += n;
				for (int t = 0; t < OLTP_NTABLES; t++)
					for (int k = 0; k < OLTP_NCHANGE_KINDS; k++)
						tally_total.rows.rows[t][k] += p.x.rows.rows[t][k];
			}
			tally_finish(&p.x, &p.watermark, false);
			return;
	}
	if (!committed)
	{
		tally_total.errors++;
		tally_lost += p.x.done;
	}
	tally_finish(&p.x, &p.watermark, committed);
}

void
client_tally_error(void)
{
	tally_total.errors++;
	client_tally_end(false);
}

const ClientTally *
client_tally(void)
{
	return &tally_total;
}

/*
 * The operations counted so far: done, skipped or rolled back on purpose,
 * those of the transactions in flight included (an operation whose last
 * answer is to come as one), and those that failed once counted (their
 * deferred COMMIT or Sync, or their deferred last statement): stream.c
 * counts what a transaction ran by the difference
 */
uint64
client_tally_ops(void)
{
	uint64		n = tally_total.done + tally_total.skipped + tally_total.aborted + tally_lost;

	for (int i = 0; i < npending; i++)
	{
		const ClientPending *p = &pending[(pending_first + i) % CLIENT_MAX_PENDING];

		n += p->x.done + p->x.skipped + (p->last ? 1 : 0);
	}
	return n;
}

/* operations skipped before they ran (their tables are of a set not created) */
void
client_tally_skipped(uint64 n)
{
	tally_total.skipped += n;
}
