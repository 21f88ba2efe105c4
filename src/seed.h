/*-------------------------------------------------------------------------
 *
 * seed.h
 *		The seed's entry points for the rest of the extension: what to seed
 *		(volumes, seed, anchor) and oltp_seed_tables, which oltp_seed,
 *		oltp_reset and oltp_add_tables call (seed.c).  What the seed's own
 *		files share is in seed_state.h.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_SEED_H
#define OLTP_SIM_SEED_H

#include "utils/timestamp.h"

#include "model.h"
#include "schema.h"

/* what to seed: the volumes per table, the seed and the anchor */
typedef struct SeedArgs
{
	int64		rows[OLTP_NTABLES];
	bool		have_seed;
	int64		seed;
	Timestamp	anchor;			/* the dates are drawn around it */
} SeedArgs;

/* seed.c: the seed of oltp_seed, oltp_reset and oltp_add_tables */
extern void oltp_seed_choose(SeedArgs *args, bool have_seed, int64 seed);
extern void oltp_seed_tables(const OltpSchema *schema, const SeedArgs *args, bool reset,
							 int64 *inserted, double *elapsed);

/* sets.c: oltp_reset's remake of the set schema_changes (the server only) */
extern void oltp_sets_remake_schema_changes(const OltpSchema *schema);
extern void oltp_sets_hold_schema_changes(bool reset);

#endif							/* OLTP_SIM_SEED_H */
