/*-------------------------------------------------------------------------
 *
 * compat.h
 *		Every difference between the PostgreSQL versions oltp_sim builds
 *		against (14 to 18).  No other file tests PG_VERSION_NUM.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_COMPAT_H
#define OLTP_SIM_COMPAT_H

#include "postgres.h"

#if PG_VERSION_NUM < 140000
#error "oltp_sim requires PostgreSQL 14 or later"
#endif

/*
 * pg_prng arrived in 15.  On 14 the same generator (xoroshiro128**, seeded
 * through splitmix64) is provided here, so a seed gives the same data on
 * every version.
 */
#if PG_VERSION_NUM >= 150000
#include "common/pg_prng.h"
#else
typedef struct pg_prng_state
{
	uint64		s0,
				s1;
} pg_prng_state;

static inline uint64
oltp_compat_rotl(uint64 x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64
oltp_compat_splitmix64(uint64 *state)
{
	uint64		val = (*state += UINT64CONST(0x9E3779B97f4A7C15));

	val = (val ^ (val >> 30)) * UINT64CONST(0xBF58476D1CE4E5B9);
	val = (val ^ (val >> 27)) * UINT64CONST(0x94D049BB133111EB);
	return val ^ (val >> 31);
}

static inline void
pg_prng_seed(pg_prng_state *state, uint64 seed)
{
	state->s0 = oltp_compat_splitmix64(&seed);
	state->s1 = oltp_compat_splitmix64(&seed);
	if (state->s0 == 0 && state->s1 == 0)
		state->s0 = UINT64CONST(0x5851F42D4C957F2D);
}

static inline uint64
pg_prng_uint64(pg_prng_state *state)
{
	uint64		s0 = state->s0,
				sx = state->s1 ^ s0,
				val = oltp_compat_rotl(s0 * 5, 7) * 9;

	state->s0 = oltp_compat_rotl(s0, 24) ^ sx ^ (sx << 16);
	state->s1 = oltp_compat_rotl(sx, 37);
	return val;
}

static inline uint64
pg_prng_uint64_range(pg_prng_state *state, uint64 rmin, uint64 rmax)
{
	uint64		val;

	if (likely(rmax > rmin))
	{
		uint64		rextent = rmax - rmin;
		int			rshift = 63;

		while (rshift > 0 && (rextent >> rshift) == 0)
			rshift--;
		rshift = 63 - rshift;
		do
		{
			val = pg_prng_uint64(state) >> rshift;
		} while (val > rextent);
	}
	else
		val = 0;
	return rmin + val;
}

static inline double
pg_prng_double(pg_prng_state *state)
{
	return (double) (pg_prng_uint64(state) >> 11) * (1.0 / (UINT64CONST(1) << 53));
}

static inline bool
pg_prng_bool(pg_prng_state *state)
{
	return (pg_prng_uint64(state) >> 63) != 0;
}

static inline bool
pg_prng_strong_seed(pg_prng_state *state)
{
	uint64		seed;

	if (!pg_strong_random(&seed, sizeof(seed)))
		return false;
	pg_prng_seed(state, seed);
	return true;
}
#endif

/*
 * InitMaterializedSRF (15) sets up a set-returning function's tuplestore;
 * on 14, the same steps by hand.
 */
#if PG_VERSION_NUM < 150000
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/tuplestore.h"

static inline void
InitMaterializedSRF(FunctionCallInfo fcinfo, bits32 flags)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext old;
	TupleDesc	tupdesc;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		!(rsinfo->allowedModes & SFRM_Materialize))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = tuplestore_begin_heap(true, false, work_mem);
	rsinfo->setDesc = CreateTupleDescCopy(tupdesc);
	MemoryContextSwitchTo(old);
}
#endif

/*
 * Shared memory is requested from shmem_request_hook since 15; before that,
 * directly from _PG_init.
 */
#if PG_VERSION_NUM >= 150000
#define OLTP_HAVE_SHMEM_REQUEST_HOOK 1
#endif

/* MarkGUCPrefixReserved is the 15 name of EmitWarningsOnPlaceholders */
#if PG_VERSION_NUM < 150000
#define MarkGUCPrefixReserved(prefix) EmitWarningsOnPlaceholders(prefix)
#endif

/* LogLogicalMessage takes a "flush" argument since 17 */
#if PG_VERSION_NUM >= 170000
#define oltp_log_logical_message(prefix, msg, size, transactional) \
	LogLogicalMessage(prefix, msg, size, transactional, false)
#else
#define oltp_log_logical_message(prefix, msg, size, transactional) \
	LogLogicalMessage(prefix, msg, size, transactional)
#endif

/* 17 lets extensions name their wait events */
#if PG_VERSION_NUM >= 170000
#define OLTP_HAVE_CUSTOM_WAIT_EVENTS 1
#endif

/*
 * The launcher's check that the worker role may connect (launcher.c): 16
 * replaced the per-object ACL checks by object_aclcheck().  Callers include
 * utils/acl.h and catalog/pg_database.h.
 */
#if PG_VERSION_NUM >= 160000
#define oltp_database_aclcheck(dboid, roleid, mode) \
	object_aclcheck(DatabaseRelationId, (dboid), (roleid), (mode))
#else
#define oltp_database_aclcheck(dboid, roleid, mode) \
	pg_database_aclcheck((dboid), (roleid), (mode))
#endif

/*
 * A check hook's "extra" is freed by the GUC machinery: with free() up to
 * 15, from its own memory context since 16 (utils/guc.h declares
 * guc_malloc, which returns NULL with a LOG line when memory runs out, and
 * guc_free).
 */
#if PG_VERSION_NUM >= 160000
#define oltp_guc_malloc(size) guc_malloc(LOG, (size))
#define oltp_guc_free(ptr) guc_free(ptr)
#else
#define oltp_guc_malloc(size) malloc(size)
#define oltp_guc_free(ptr) free(ptr)
#endif

/*
 * The client program (client/) defines server functions the engine's files
 * call, with the signatures each version declares.  LogLogicalMessage has
 * its "flush" since 17 (above); tuplestore_putvalues takes const values and
 * nulls since 17, deconstruct_array a const array since 19.
 */
#if PG_VERSION_NUM >= 170000
#define OLTP_LOGICAL_MESSAGE_FLUSH_ARG	, bool flush
#define OLTP_CONST_SINCE_17 const
#else
#define OLTP_LOGICAL_MESSAGE_FLUSH_ARG
#define OLTP_CONST_SINCE_17
#endif
#if PG_VERSION_NUM >= 190000
#define OLTP_CONST_SINCE_19 const
#else
#define OLTP_CONST_SINCE_19
#endif

/*
 * The size of a TupleDesc of natts attributes (the client builds one from
 * the catalog): 18 puts a CompactAttribute per attribute before them.
 */
#if PG_VERSION_NUM >= 180000
#define OLTP_TUPLEDESC_SIZE(natts) \
	(offsetof(struct TupleDescData, compact_attrs) + \
	 (natts) * (sizeof(CompactAttribute) + sizeof(FormData_pg_attribute)))
#else
#define OLTP_TUPLEDESC_SIZE(natts) \
	(offsetof(struct TupleDescData, attrs) + (natts) * sizeof(FormData_pg_attribute))
#endif

#endif							/* OLTP_SIM_COMPAT_H */
