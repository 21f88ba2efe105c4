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
#include "replication/message.h"

#include "compat.h"
#include "guc.h"
#include "ledger.h"
#include "op.h"

/* add what one operation changed to a running total */
void
oltp_changes_add(OltpChanges *total, const OltpChanges *changes)
{
	for (int t = 0; t < OLTP_NTABLES; t++)
		for (int k = 0; k < OLTP_NCHANGE_KINDS; k++)
			total->rows[t][k] += changes->rows[t][k];
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
 * Write a watermark if this transaction crosses a multiple of
 * oltp_sim.watermark_every operations; true if it did.  Transactional, a
 * consumer sees it right after the changes it counts or not at all.  It
 * carries all the slot committed, this transaction included, every kind
 * named even at zero, so a consumer compares without special cases.
 */
bool
oltp_ledger_watermark(OltpWorkerSlot *slot, int worker, const OltpTally *tally)
{
	StringInfoData buf;

	if (tally->ndone == 0 || oltp_sim_watermark_every <= 0 ||
		(slot->wm_ops + tally->ndone) / oltp_sim_watermark_every <=
		slot->wm_ops / oltp_sim_watermark_every)
		return false;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"worker\": %d, \"seq\": " UINT64_FORMAT ", \"ops\": " UINT64_FORMAT ", \"changes\": {",
					 worker, slot->wm_seq + 1, slot->wm_ops + tally->ndone);
	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		appendStringInfo(&buf, "%s\"%s\": {", t > 0 ? ", " : "", oltp_model[t].name);
		for (int k = 0; k < OLTP_NCHANGE_KINDS; k++)
			appendStringInfo(&buf, "%s\"%s\": " UINT64_FORMAT, k > 0 ? ", " : "",
							 oltp_change_kind_names[k],
							 slot->wm_changes[t][k] + tally->rows.rows[t][k]);
		appendStringInfoChar(&buf, '}');
	}
	appendStringInfoString(&buf, "}}");
	(void) oltp_log_logical_message(OLTP_WATERMARK_PREFIX, buf.data, buf.len, true);
	pfree(buf.data);
	return true;
}

/*
 * After the transaction: what committed goes to the slot's running totals
 * (read by the next watermark) and to the shared counters; the skipped
 * operations count whether or not the transaction committed, as nothing
 * of theirs was meant to reach the stream.
 */
void
oltp_ledger_count(OltpWorkerSlot *slot, const OltpTally *tally, bool committed,
				  bool wrote_watermark)
{
	for (int i = 0; i < oltp_nops; i++)
		if (tally->skipped[i])
			pg_atomic_fetch_add_u64(&oltp_shared->ops[i].skipped, tally->skipped[i]);
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
