/*-------------------------------------------------------------------------
 *
 * op_message.c
 *		Operations that write logical decoding messages of every kind
 *		(pg_logical_emit_message): transactional and not, with an empty,
 *		a binary and a large payload; and the same in a transaction that is
 *		then rolled back.
 *
 * emit_messages writes eight messages, each of the four payloads once
 * transactional and once not, the transactional one first:
 *
 *   prefix oltp_sim.test.text    a JSON object: {"transactional": true|false, "n": N}
 *   prefix oltp_sim.test.empty   no bytes at all
 *   prefix oltp_sim.test.binary  the 256 byte values 0 .. 255, in order
 *   prefix oltp_sim.test.large   MESSAGE_LARGE_BYTES (1 MiB) of letters
 *
 * A transactional message is decoded with its transaction, at the commit,
 * or never; a non-transactional one at once, whatever its transaction then
 * does.  emit_messages_aborted writes the same eight, holds its
 * transaction open for oltp_sim.abort_hold and rolls it back
 * (OltpOpDef.aborts): a decoder must deliver its four non-transactional
 * messages and none of the transactional ones (a streaming decoder may
 * send those before the abort, which then takes them back).
 *
 * The prefixes are not the watermarks' (OLTP_WATERMARK_PREFIX, exactly
 * "oltp_sim"): a consumer of the watermarks that matches their prefix
 * keeps working.  The messages are counted (OltpChanges.messages) as the
 * decoded stream holds them: the transactional ones once committed, the
 * others as written.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "replication/message.h"

#include "compat.h"
#include "guc.h"
#include "op.h"

#define MESSAGE_PREFIX			"oltp_sim.test"
#define MESSAGE_LARGE_BYTES		(1024 * 1024)

/* write one message and count it */
static void
message_emit(OltpOpContext *ctx, const char *variant, const char *payload, size_t size,
			 bool transactional)
{
	char		prefix[64];
	OltpMessageMode mode = transactional ? OLTP_MESSAGE_TRANSACTIONAL :
		OLTP_MESSAGE_NONTRANSACTIONAL;

	snprintf(prefix, sizeof(prefix), "%s.%s", MESSAGE_PREFIX, variant);
	(void) oltp_log_logical_message(prefix, payload, size, transactional);
	ctx->changes->messages[mode]++;
	ctx->changes->message_bytes[mode] += size;
}

static OltpOpResult
op_emit_messages(OltpOpContext *ctx)
{
	uint32		n = (uint32) pg_prng_uint64_range(ctx->rng, 0, PG_INT32_MAX);
	uint32		shift = (uint32) pg_prng_uint64_range(ctx->rng, 0, 25);
	char		binary[256];
	char	   *large = palloc(MESSAGE_LARGE_BYTES);

	for (int i = 0; i < 256; i++)
		binary[i] = (char) i;
	for (int i = 0; i < MESSAGE_LARGE_BYTES; i++)
		large[i] = (char) ('a' + (i + shift) % 26);
	for (int t = 1; t >= 0; t--)
	{
		char	   *text = psprintf("{\"transactional\": %s, \"n\": %u}",
									t ? "true" : "false", n);

		message_emit(ctx, "text", text, strlen(text), t);
		message_emit(ctx, "empty", "", 0, t);
		message_emit(ctx, "binary", binary, sizeof(binary), t);
		message_emit(ctx, "large", large, MESSAGE_LARGE_BYTES, t);
		pfree(text);
	}
	pfree(large);
	return OLTP_OP_DONE;
}

/* no statement: a message touches no table */
const OltpOpDef oltp_op_emit_messages = {
	"emit_messages", WEIGHTS_DECODING(1), {{NULL}}, {0}, op_emit_messages
};

const OltpOpDef oltp_op_emit_messages_aborted = {
	"emit_messages_aborted", WEIGHTS_DECODING(1), {{NULL}}, {0}, op_emit_messages,
	&oltp_sim_abort_hold, true
};
