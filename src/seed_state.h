/*-------------------------------------------------------------------------
 *
 * seed_state.h
 *		What the files of oltp_seed share: the state of one call, the ids of
 *		the parent tables as runs (seed_ids.c), the patients' insurers
 *		(seed_pairs.c), the set types' rows (seed_types.c) and the row
 *		producers, one per table (seed_rows.c).  The entry points, the bulk
 *		insert loop and oltp_seed_tables are in seed.c (seed.h), what the
 *		rest asks of the types set's seed in seed_types.h.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_SEED_STATE_H
#define OLTP_SIM_SEED_STATE_H

#include "executor/spi.h"
#include "utils/date.h"
#include "utils/timestamp.h"

#include "compat.h"
#include "model.h"
#include "progress.h"
#include "schema.h"

#define SEED_BATCH			10000	/* rows per INSERT */
#define SEED_SCAN_BATCH		5000	/* existing patients read per query */
#define SEED_MAX_COLS		OLTP_MAX_COLUMNS	/* a new column needs no edit here */
#define SEED_MAX_CONVENIOS	3

/*
 * The ids of a table, as ascending runs lo..hi.  A table seeded once and
 * never thinned out is one run, so picking a random existing row is a
 * binary search over a handful of runs, never a query.
 */
typedef struct IdRuns
{
	int			n;
	int			cap;
	int64	   *lo;
	int64	   *hi;
	int64	   *before;			/* ids in the runs before this one */
	int64		total;
	MemoryContext cxt;			/* outlives the batches that append */
} IdRuns;

/* a patient of the current scan with the insurers it already has */
typedef struct ScanPaciente
{
	int64		id;
	int			nconv;
	int64		conv[SEED_MAX_CONVENIOS];
} ScanPaciente;

typedef struct PairProducer
{
	int			cap_per;		/* insurers a patient may hold */
	int64		remaining;		/* pairs still to place */
	int64		free_left;		/* free slots among patients not yet visited */
	bool		old_phase;		/* new patients done; scanning older ones */
	int64		new_pos;		/* next new patient, as an index into runs */
	/* old phase: one batch of existing patients */
	ScanPaciente *scan;
	int			scan_n;
	int			scan_pos;
	int64		scan_after;		/* keyset: last id read */
	bool		scan_done;
	int64		placed_in_pass;
	/* pairs chosen for the current patient, handed out one by one */
	int64		pending_pac;
	int64		pending[SEED_MAX_CONVENIOS];
	int			npending;
} PairProducer;

typedef struct SeedState
{
	OltpSchema	schema;
	pg_prng_state rng;
	DateADT		today;
	Timestamp	anchor;
	IdRuns		ids[OLTP_NTABLES];	/* only the parents' are kept, those a
									 * child may reference (SeedSpec.parent_where) */
	int64		first_new_pac;	/* ids this call gave to patients, or 0 */
	int64		last_new_pac;
	int64		new_pac_pos;	/* index of first_new_pac in ids[PACIENTES] */
	PairProducer pairs;
	SPIPlanPtr	scan_plan;
	OltpProgress progress;		/* NOTICEs and pg_stat_activity */
} SeedState;

typedef bool (*SeedFill) (SeedState *st, int64 id, Datum *values, bool *nulls);
typedef void (*SeedStep) (SeedState *st, const int64 *rows);

typedef struct SeedSpec
{
	OltpTable	table;
	const char *columns;
	int			ncols;
	Oid			types[SEED_MAX_COLS];
	bool		natural_key;	/* id drawn here: the natural key derives from it */
	int64		capacity;
	SeedFill	fill;
	int			batch;			/* rows per INSERT if not SEED_BATCH: long
								 * values need smaller batches */

	/*
	 * The rows of its parents the table may reference, when not all: a
	 * condition on a parent whose ids are read after it is seeded (not a
	 * natural_key one), and how an error names those rows.
	 */
	const char *parent_where;
	const char *parent_what;
	SeedStep	check;			/* refuses, before anything is written, what
								 * the producer could not place */
	SeedStep	begin;			/* prepares the producer, after the parents
								 * are seeded */
} SeedSpec;

typedef enum PairResult
{
	PAIR_READY,
	PAIR_FLUSH					/* a pass ended: insert what we have first */
} PairResult;

/* seed_ids.c */
extern void seed_runs_append(IdRuns *r, int64 lo, int64 hi);
extern int64 seed_runs_at(const IdRuns *r, int64 pos);
extern int64 seed_runs_position(const IdRuns *r, int64 id);
extern int64 seed_runs_pick(const IdRuns *r, pg_prng_state *rng);
extern void seed_runs_load(SeedState *st, OltpTable table, const char *where);
extern int64 seed_fetch_int8(int row, int col);

/* seed_pairs.c */
extern void seed_pairs_check(SeedState *st, const int64 *rows);
extern void seed_pairs_begin(SeedState *st, const int64 *rows);
extern PairResult seed_pairs_next(SeedState *st, int64 *pac, int64 *conv);

/* seed_types.c */
extern int64 seed_types_table(SeedState *st, OltpTable table, int64 nrows, uint64 seed);

/* seed_rows.c: indexed by OltpTable */
extern const SeedSpec oltp_seed_specs[OLTP_NTABLES];

#endif							/* OLTP_SIM_SEED_STATE_H */
