/*-------------------------------------------------------------------------
 *
 * watermark.c
 *		The watermark messages: when a transaction crosses a multiple of
 *		oltp_sim.watermark_every operations, and the message it writes.
 *		The workers' ledger (ledger.c) and oltp_sim_client's stream, which
 *		compiles this file too, write the same messages.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "replication/message.h"

#include "compat.h"
#include "guc.h"
#include "model.h"
#include "watermark.h"

/*
 * Does a transaction of ndone operations, after committed_ops committed
 * before it, cross a multiple of oltp_sim.watermark_every?
 */
bool
oltp_watermark_due(uint64 committed_ops, uint64 ndone)
{
	return ndone > 0 && oltp_sim_watermark_every > 0 &&
		(committed_ops + ndone) / oltp_sim_watermark_every >
		committed_ops / oltp_sim_watermark_every;
}

/*
 * Write watermark seq of worker: transactional, so a consumer sees it right
 * after the changes it counts or not at all.  It carries all the worker
 * committed (committed, rows per table and kind before this transaction,
 * plus xact's), every kind named even at zero, so a consumer compares
 * without special cases.
 */
void
oltp_watermark_write(int worker, uint64 seq, uint64 ops,
					 const uint64 (*committed)[OLTP_NCHANGE_KINDS], const OltpChanges *xact)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"worker\": %d, \"seq\": " UINT64_FORMAT ", \"ops\": " UINT64_FORMAT ", \"changes\": {",
					 worker, seq, ops);
	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		appendStringInfo(&buf, "%s\"%s\": {", t > 0 ? ", " : "", oltp_model[t].name);
		for (int k = 0; k < OLTP_NCHANGE_KINDS; k++)
			appendStringInfo(&buf, "%s\"%s\": " UINT64_FORMAT, k > 0 ? ", " : "",
							 oltp_change_kind_names[k], committed[t][k] + xact->rows[t][k]);
		appendStringInfoChar(&buf, '}');
	}
	appendStringInfoString(&buf, "}}");
	(void) oltp_log_logical_message(OLTP_WATERMARK_PREFIX, buf.data, buf.len, true);
	pfree(buf.data);
}
