/*-------------------------------------------------------------------------
 *
 * changes.h
 *		What an operation or a transaction changed: rows per table and kind,
 *		and logical messages.  Server-free (no shared memory, no locks), so
 *		the operations and the client program (client/) read it as they are.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_CHANGES_H
#define OLTP_SIM_CHANGES_H

#include "model.h"

/* a logical decoding message is written in its transaction's WAL or at once */
typedef enum OltpMessageMode
{
	OLTP_MESSAGE_TRANSACTIONAL, /* decoded at its transaction's commit, or never */
	OLTP_MESSAGE_NONTRANSACTIONAL,	/* decoded at once, whatever its transaction does */
	OLTP_NMESSAGE_MODES
} OltpMessageMode;

/*
 * What an operation or a transaction did: rows changed per table and kind,
 * and the logical messages it wrote (op_message.c) with their payload bytes
 */
typedef struct OltpChanges
{
	uint64		rows[OLTP_NTABLES][OLTP_NCHANGE_KINDS];
	uint64		messages[OLTP_NMESSAGE_MODES];
	uint64		message_bytes[OLTP_NMESSAGE_MODES];
} OltpChanges;

#endif							/* OLTP_SIM_CHANGES_H */
