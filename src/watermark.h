/*-------------------------------------------------------------------------
 *
 * watermark.h
 *		The watermark messages (watermark.c): when one is due and what it
 *		says, for the workers (ledger.c) and oltp_sim_client's stream.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_WATERMARK_H
#define OLTP_SIM_WATERMARK_H

#include "changes.h"

extern bool oltp_watermark_due(uint64 committed_ops, uint64 ndone);
extern void oltp_watermark_write(int worker, uint64 seq, uint64 ops,
								 const uint64 (*committed)[OLTP_NCHANGE_KINDS],
								 const OltpChanges *xact);

#endif							/* OLTP_SIM_WATERMARK_H */
