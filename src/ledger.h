/*-------------------------------------------------------------------------
 *
 * ledger.h
 *		What a worker's transaction did, and where it is counted
 *		(ledger.c): the shared counters per operation and per table and
 *		kind, the worker slot's running totals, the watermark messages and
 *		the log summary.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_LEDGER_H
#define OLTP_SIM_LEDGER_H

#include "shmem.h"

/* one transaction's tally, counted only once it commits */
typedef struct OltpTally
{
	uint64		done[OLTP_MAX_OPS];
	uint64		skipped[OLTP_MAX_OPS];
	uint64		ndone;
	OltpChanges rows;
} OltpTally;

extern void oltp_changes_add(OltpChanges *total, const OltpChanges *changes);
extern void oltp_tally_op(OltpTally *tally, int op, bool done, const OltpChanges *changes);
extern bool oltp_ledger_watermark(OltpWorkerSlot *slot, int worker, const OltpTally *tally);
extern void oltp_ledger_count(OltpWorkerSlot *slot, const OltpTally *tally, bool committed,
							  bool wrote_watermark);
extern void oltp_ledger_log_summary(int worker, uint64 committed_total,
									const OltpChanges *rows, double lag_ms);

#endif							/* OLTP_SIM_LEDGER_H */
