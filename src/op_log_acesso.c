/*-------------------------------------------------------------------------
 *
 * op_log_acesso.c
 *		The access log (set audit): write_logs_acesso appends a batch of
 *		entries to logs_acesso, a table no publication carries.  It is the
 *		noisy neighbour: under the profile noisy_neighbour it runs alone,
 *		the WAL grows, and a consumer of the publications receives nothing,
 *		so its slot falls behind unless something moves it (heartbeats).
 *
 * One INSERT ... SELECT of oltp_sim.batch_rows entries, computed in the
 * statement from a salt of the operation's random state: a role's login,
 * an action and a part of a patient's record from the dictionaries, the
 * patient at a hash position of the id range (none when there are no
 * patients: the log has no foreign key), the operation's clock.  Nothing
 * comes back, so the worker's memory stays flat whatever the batch, and the
 * same seed writes the same entries.  The runner counts the INSERT's rows
 * as logs_acesso inserts, like any operation's.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "compat.h"
#include "dict_ptbr.h"
#include "guc.h"
#include "op.h"

/*
 * $2 entries numbered 1 .. $2 (the salt $1 draws each): a login of a role
 * of $3 with a number of four digits, an action of $4, a part of the
 * record of $5, for the patient at hash position of the id range, at $6.
 */
#define LOG_PICK(arr, shift) \
	arr "[pg_catalog.mod(h.h OPERATOR(pg_catalog.>>) " shift ", " \
	"pg_catalog.cardinality(" arr ")::pg_catalog.int8)::pg_catalog.int4 OPERATOR(pg_catalog.+) 1]"

#define LOG_INSERT \
	"INSERT INTO %1$s.logs_acesso (paciente_id, usuario, acao, recurso, acessado_em) " \
	"SELECT r.lo OPERATOR(pg_catalog.+) pg_catalog.mod(h.h, r.n), " \
	LOG_PICK("$3", "8") " OPERATOR(pg_catalog.||) '.' OPERATOR(pg_catalog.||) " \
	"pg_catalog.lpad(pg_catalog.mod(h.h OPERATOR(pg_catalog.>>) 16, 10000::pg_catalog.int8)::pg_catalog.text, 4, '0'), " \
	LOG_PICK("$4", "32") ", " LOG_PICK("$5", "40") ", $6 " \
	"FROM (SELECT pg_catalog.min(id) AS lo, pg_catalog.max(id) OPERATOR(pg_catalog.-) " \
	"pg_catalog.min(id) OPERATOR(pg_catalog.+) 1::pg_catalog.int8 AS n " \
	"FROM %1$s.pacientes) r, " \
	"pg_catalog.generate_series(1::pg_catalog.int8, $2) g(i), " \
	"LATERAL (SELECT pg_catalog.hashint8extended(g.i, $1) OPERATOR(pg_catalog.&) " \
	"9223372036854775807::pg_catalog.int8 AS h) h"

/* a dictionary as a text[] */
static Datum
log_array(const char *const *words, int n)
{
	Datum	   *elems = palloc(sizeof(Datum) * n);

	for (int i = 0; i < n; i++)
		elems[i] = CStringGetTextDatum(words[i]);
	return PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
}

static OltpOpResult
op_write_logs_acesso(OltpOpContext *ctx)
{
	Datum		args[6];

	args[0] = Int64GetDatum((int64) (pg_prng_uint64(ctx->rng) >> 1));
	args[1] = Int64GetDatum((int64) oltp_sim_batch_rows);
	args[2] = log_array(oltp_dict_access_roles, oltp_dict_n_access_roles);
	args[3] = log_array(oltp_dict_access_actions, oltp_dict_n_access_actions);
	args[4] = log_array(oltp_dict_access_resources, oltp_dict_n_access_resources);
	args[5] = TimestampGetDatum(ctx->now);
	(void) oltp_op_exec(ctx, 0, args, NULL);
	return OLTP_OP_DONE;
}

const OltpOpDef oltp_op_write_logs_acesso = {
	"write_logs_acesso", WEIGHTS_NOISY_NEIGHBOUR(1), {
		{LOG_INSERT, 6, {INT8OID, INT8OID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TIMESTAMPOID},
		CHANGES(OLTP_LOGS_ACESSO, INSERT)},
	},
	{0}, op_write_logs_acesso
};
