/*-------------------------------------------------------------------------
 *
 * ledger.c
 *		Counting what the workers committed: per operation, and in rows per
 *		table and kind; the watermark messages that carry those counts into
 *		the stream; the summary line in the server log.
 *
 * A worker hands its transaction's tally here twice: before the commit,
 * for a watermark inside the transaction, and after it, for the counters.
 * Nothing reaches the counters before the commit, so counters, watermarks
 * and the decoded stream agree per table and kind (sql/cdc.sql checks it).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"

#include "compat.h"
#include "guc.h"
#include "ledger.h"
#include "op.h"
#include "watermark.h"

/* add what one operation changed to a running total */
void
oltp_changes_add(OltpChanges *total, const OltpChanges *changes)
{
	for (int t = 0; t < OLTP_NTABLES; t++)
		for (int k = 0; k < OLTP_NCHANGE_KINDS; k++)
			total->rows[t][k] += changes->rows[t][k];
	for (int m = 0; m < OLTP_NMESSAGE_MODES; m++)
	{
		total->messages[m] += changes->messages[m];
		total->message_bytes[m] += changes->message_bytes[m];
	}
}

/* an operation skipped halfway may have changed rows: they commit, so count */
void
oltp_tally_op(OltpTally *tally, int op, bool done, const OltpChanges *changes)
{
	if (done)
	{
		tally->done[op]++;
		tally->ndone++;
	}
	else
		tally->skipped[op]++;
	oltp_changes_add(&tally->rows, changes);
}

/*
 * An operation that rolls its transaction back on purpose (OltpOpDef.aborts)
 * did what it set out to do: it is counted as aborted, its rows and
 * transactional messages nowhere, and its non-transactional messages, which
 * the decoded stream holds whatever the transaction did, as written.
 */
void
oltp_tally_aborted(OltpTally *tally, int op, const OltpChanges *changes)
{
	tally->aborted[op]++;
	tally->rows.messages[OLTP_MESSAGE_NONTRANSACTIONAL] +=
		changes->messages[OLTP_MESSAGE_NONTRANSACTIONAL];
	tally->rows.message_bytes[OLTP_MESSAGE_NONTRANSACTIONAL] +=
		changes->message_bytes[OLTP_MESSAGE_NONTRANSACTIONAL];
}

/*
 * Write a watermark if this transaction crosses a multiple of
 * oltp_sim.watermark_every operations (watermark.c); true if it did.  It
 * carries all the slot committed, this transaction included.
 */
bool
oltp_ledger_watermark(OltpWorkerSlot *slot, int worker, const OltpTally *tally)
{
	if (!oltp_watermark_due(slot->wm_ops, tally->ndone))
		return false;
	oltp_watermark_write(worker, slot->wm_seq + 1, slot->wm_ops + tally->ndone,
						 slot->wm_changes, &tally->rows);
	return true;
}

/*
 * After the transaction: what committed goes to the slot's running totals
 * (read by the next watermark) and to the shared counters; the skipped
 * operations count whether or not the transaction committed, as nothing
 * of theirs was meant to reach the stream, and so do the operations
 * rolled back on purpose and the non-transactional messages, which reach
 * the stream whatever their transaction does.
 */
void
oltp_ledger_count(OltpWorkerSlot *slot, const OltpTally *tally, bool committed,
				  bool wrote_watermark)
{
	for (int i = 0; i < oltp_nops; i++)
	{
		if (tally->skipped[i])
			pg_atomic_fetch_add_u64(&oltp_shared->ops[i].skipped, tally->skipped[i]);
		if (tally->aborted[i])
			pg_atomic_fetch_add_u64(&oltp_shared->ops[i].aborted, tally->aborted[i]);
	}
	for (int m = 0; m < OLTP_NMESSAGE_MODES; m++)
	{
		if (!committed && m == OLTP_MESSAGE_TRANSACTIONAL)
			continue;
		pg_atomic_fetch_add_u64(&oltp_shared->messages[m], tally->rows.messages[m]);
		pg_atomic_fetch_add_u64(&oltp_shared->message_bytes[m], tally->rows.message_bytes[m]);
	}
	if (!committed)
		return;
	for (int i = 0; i < oltp_nops; i++)
		if (tally->done[i])
			pg_atomic_fetch_add_u64(&oltp_shared->ops[i].committed, tally->done[i]);
	for (int t = 0; t < OLTP_NTABLES; t++)
		for (int k = 0; k < OLTP_NCHANGE_KINDS; k++)
			if (tally->rows.rows[t][k] > 0)
			{
				slot->wm_changes[t][k] += tally->rows.rows[t][k];
				pg_atomic_fetch_add_u64(&oltp_shared->changes[t][k], tally->rows.rows[t][k]);
			}
	slot->wm_ops += tally->ndone;
	if (wrote_watermark)
		slot->wm_seq++;
}

/* the log line: rows committed per table and kind, those with any */
void
oltp_ledger_log_summary(int worker, uint64 committed_total, const OltpChanges *rows,
						double lag_ms)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (int t = 0; t < OLTP_NTABLES; t++)
		for (int k = 0; k < OLTP_NCHANGE_KINDS; k++)
			if (rows->rows[t][k] > 0)
				appendStringInfo(&buf, "%s%s %s=" UINT64_FORMAT, buf.len > 0 ? " " : "",
								 oltp_model[t].name, oltp_change_kind_names[k],
								 rows->rows[t][k]);
	ereport(LOG,
			(errmsg("oltp_sim worker %d: " UINT64_FORMAT " operations committed",
					worker, committed_total),
			 errdetail("Rows: %s; lag %.0f ms.", buf.len > 0 ? buf.data : "none", lag_ms)));
	pfree(buf.data);
}
