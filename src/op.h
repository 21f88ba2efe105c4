/*-------------------------------------------------------------------------
 *
 * op.h
 *		The operations of the stream: what one is (ordered statements, the
 *		table and kind of change each declares, the SQLSTATEs it expects),
 *		the registry and its weights, the prepared statements and the runner
 *		(op.c).  op_list.h lists the operations.
 *
 * The operations live one file per table, op_<table>.c named by the table
 * in the singular: an operation goes in the file of the table whose row it
 * creates, changes or removes, or, when it changes several tables, of the
 * row it picks first (erase_paciente and admit_paciente pick a patient, so
 * they are in op_paciente.c; a delete_laudo would go in op_laudo.c).  The
 * five tables of the types set are the exception that proves the rule:
 * their operations are one insert and one update each, drawn from the one
 * description of their values (gen_types.h), and share op_types.c.
 * Operations about the transaction rather than a table go in the file of
 * what they do to it: op_stream.c (streamed, savepoints, rolled back),
 * op_message.c (logical decoding messages).
 *
 * Most operations are a pick and a change.  An update or a delete picks a
 * candidate row, locked (FOR UPDATE SKIP LOCKED, so that a candidate all
 * other workers hold means "nothing to do", never a wait), then changes
 * that row by id, which must change exactly it: anything else is a fault
 * in the statements, not a race (oltp_op_one).  An update whose values do
 * not depend on the row it picks is one statement, the pick a subquery of
 * its UPDATE (PICKED, oltp_op_picked): its values are drawn first, and
 * one SPI call (one round trip from the client) does both.  An insert
 * picks its parent in the INSERT itself (oltp_op_inserted says what that
 * costs).
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_OP_H
#define OLTP_SIM_OP_H

#include "executor/spi.h"
#include "utils/date.h"

#include "bounds.h"
#include "changes.h"
#include "compat.h"
#include "model.h"
#include "schema.h"

#define OLTP_OP_MAX_STMTS	16
#define OLTP_OP_MAX_ARGS	8
#define OLTP_OP_MAX_EXPECTED 6

typedef enum OltpOpResult
{
	OLTP_OP_DONE,				/* changed what it set out to change */
	OLTP_OP_SKIPPED,			/* nothing to change (no candidate row) */
	OLTP_OP_PENDING				/* its last statement sent, its answer read
								 * later (the client only: oltp_op_last) */
} OltpOpResult;

/*
 * How an operation's outcome follows from the rows its last statement
 * changed (oltp_op_last, oltp_op_checked): an INSERT ... SELECT of one row
 * (oltp_op_inserted; also a change that may find nothing to change, as
 * sign_laudo's doctor), an UPDATE that picks its own row (oltp_op_picked),
 * a change of the row an earlier statement locked (oltp_op_one).
 */
typedef enum OltpOpCheck
{
	OLTP_CHECK_INSERTED,		/* 1 done, else skipped */
	OLTP_CHECK_PICKED,			/* 0 skipped, 1 done, more a fault */
	OLTP_CHECK_ONE				/* 1 done, anything else a fault */
} OltpOpCheck;

/*
 * One statement of an operation.  A statement that changes a table says
 * which and how (CHANGES below); the runner then counts SPI_processed
 * rows of that kind, or one event for a TRUNCATE, which is what logical
 * decoding emits for it; a DDL statement (and the LOCK TABLE before it)
 * declares SCHEMA, which counts nothing itself: the change's announcement
 * (announce.h) counts one.  A statement without CHANGES only reads.
 *
 * An operation runs only when the tables its statements change exist (an
 * opt-in set may not be added).  A statement marked IF_PRESENT is the
 * exception: it touches a table of an opt-in set when the set is there,
 * and is left unprepared otherwise (oltp_op_has says which), without
 * keeping the operation from running.
 */
typedef struct OltpStmtDef
{
	const char *sql;			/* %1$s stands for the quoted schema name */
	int			nargs;
	Oid			argtypes[OLTP_OP_MAX_ARGS];
	bool		changes;
	OltpTable	table;			/* the table it changes, or reads if optional */
	OltpChangeKind kind;
	bool		optional;		/* prepared only when table exists */
	bool		requires;		/* changes nothing, but needs table */
} OltpStmtDef;

#define CHANGES(table, kind)	true, table, OLTP_CHANGE_##kind, false
#define CHANGES_IF_PRESENT(table, kind)	true, table, OLTP_CHANGE_##kind, true
#define READS_IF_PRESENT(table)	false, table, OLTP_CHANGE_INSERT, true

/*
 * A statement that changes no row a decoder sees (a function of a set that
 * detaches a partition, say) but runs only where table exists: the
 * operation is not runnable without it, as with CHANGES.
 */
#define REQUIRES(table)	false, table, OLTP_CHANGE_INSERT, false, true

/* what a statement left for the statements after it */
typedef struct OltpStmtResult
{
	SPITupleTable *tuptable;	/* NULL for a statement that returned no rows */
	uint64		processed;
} OltpStmtResult;

/*
 * What an operation runs with: prepared plans, randomness, and its clock:
 * "now" (and its date, "today") is what the operation writes as the time
 * of what happens.  The worker gives it the wall clock; oltp_run gives it
 * a clock ticking from an anchor, so a run writes the same on any day.
 */
typedef struct OltpOpContext
{
	pg_prng_state *rng;
	Timestamp	now;
	DateADT		today;
	const OltpSchema *schema;
	const struct OltpOpDef *def;
	SPIPlanPtr	plans[OLTP_OP_MAX_STMTS];
	const char *sql[OLTP_OP_MAX_STMTS];
	OltpStmtResult results[OLTP_OP_MAX_STMTS];
	OltpChanges *changes;		/* this operation's, counted by oltp_op_exec */
} OltpOpContext;

typedef OltpOpResult (*OltpOpRun) (OltpOpContext *ctx);

/*
 * The profiles (oltp_sim.profile): which operations the stream runs, and
 * how often, when their weight settings are left at -1.  hospital is the
 * everyday traffic of a hospital, the eight inserts and updates of the
 * core tables; edge_cases adds the cases that break CDC pipelines
 * (deletes, truncates, large values, ...); everything adds the rest.
 * decoding is hospital's mix with the operations that test a decoder
 * rather than a table: streamed transactions with savepoints, rolled back
 * ones, logical messages; no other profile runs those.  noisy_neighbour
 * runs only the writes to a table no publication carries (the set
 * audit), so the WAL grows while the published tables are quiet.
 * partitions is hospital's mix with the operations of the set partitions
 * (rows written, moved across partitions, partitions created, detached,
 * attached, truncated and dropped); no other profile runs those.
 * schema_changes is hospital's mix with the set schema_changes: its rows,
 * and the changes of its schema (op_schema.c); no other profile runs those
 * either.
 */
typedef enum OltpProfile
{
	OLTP_PROFILE_HOSPITAL,
	OLTP_PROFILE_EDGE_CASES,
	OLTP_PROFILE_EVERYTHING,
	OLTP_PROFILE_DECODING,
	OLTP_PROFILE_NOISY_NEIGHBOUR,
	OLTP_PROFILE_PARTITIONS,
	OLTP_PROFILE_SCHEMA_CHANGES,
	OLTP_NPROFILES
} OltpProfile;

extern const char *const oltp_profile_names[OLTP_NPROFILES];
extern int	oltp_sim_profile;

/*
 * An operation: its weight under each profile, its statements in the
 * order it runs them, and the SQLSTATEs that mean "a race took the row
 * away", which cost the operation (it is rolled back and counted as
 * skipped) but are not errors.  An operation that wants its transaction
 * kept open once it is done names the setting that says for how long
 * (hold, in ms); how to wait is its caller's business (hold.c for a
 * worker; CALL oltp_run commits at once).  An operation that wants its
 * transaction rolled back once it is done (aborts) runs in a transaction
 * of its own, which the caller rolls back and counts as aborted on
 * purpose: neither committed nor an error.
 */
typedef struct OltpOpDef
{
	const char *name;			/* also the suffix of its weight setting */
	int			weights[OLTP_NPROFILES];	/* WEIGHTS() below */
	OltpStmtDef stmts[OLTP_OP_MAX_STMTS];
	int			expected[OLTP_OP_MAX_EXPECTED]; /* 0-terminated */
	OltpOpRun	run;
	const int  *hold;			/* ms to hold its transaction open, or NULL */
	bool		aborts;			/* its transaction is rolled back once done */
} OltpOpDef;

/*
 * An operation's weight under hospital, edge_cases and everything.  The
 * hospital mix sums to 100; the other profiles scale it by ten, so that an
 * edge case weighted 1 to 5 comes several times a minute at 100 operations
 * a second without crowding out the ordinary traffic.  decoding,
 * partitions and schema_changes take hospital's weights; the decoder's
 * operations have weight only under decoding (WEIGHTS_DECODING), the set
 * partitions' only under partitions (WEIGHTS_PARTITIONS), the set
 * schema_changes' only under schema_changes (WEIGHTS_SCHEMA_CHANGES).
 * noisy_neighbour gives every operation 0 but its own
 * (WEIGHTS_NOISY_NEIGHBOUR).
 */
#define WEIGHTS(hospital, edge_cases, everything) \
	{hospital, edge_cases, everything, hospital, 0, hospital, hospital}
#define WEIGHTS_DECODING(decoding)	{0, 0, 0, decoding, 0, 0, 0}
#define WEIGHTS_NOISY_NEIGHBOUR(noisy)	{0, 0, 0, 0, noisy, 0, 0}
#define WEIGHTS_PARTITIONS(partitions)	{0, 0, 0, 0, 0, partitions, 0}
#define WEIGHTS_SCHEMA_CHANGES(schema_changes)	{0, 0, 0, 0, 0, 0, schema_changes}

/* the largest weight an operation can be given */
#define OLTP_WEIGHT_MAX		1000000

/* the registry (op.c), in the order oltp_operations() lists it */
extern const OltpOpDef *const oltp_ops[];
extern const int oltp_nops;
extern int	oltp_sim_weights[OLTP_MAX_OPS];

/* every operation's definition, from the list in op_list.h */
#define OLTP_OP(def)	extern const OltpOpDef def;
#include "op_list.h"
#undef OLTP_OP

extern void oltp_ops_define_gucs(void);
extern int	oltp_ops_weight(int op);
extern int	oltp_ops_pick(pg_prng_state *rng, const int *cumulative, int total);
extern int	oltp_ops_cumulative(int *cumulative);
extern int	oltp_ops_cumulative_of(const int *settings, int profile, int *cumulative);
extern const char *const oltp_no_weight_reason;
extern void oltp_ops_report_no_weights(int elevel, const int *settings, int profile,
									   bool worker);
extern bool oltp_op_expects(const OltpOpDef *def, int sqlerrcode);
extern bool oltp_op_runnable(const OltpOpDef *def, const OltpSchema *schema,
							 OltpTable *missing);
extern char *oltp_op_describe(const OltpOpDef *def, bool kinds);

/* the prepared statements of one schema, kept across transactions */
typedef struct OltpPlans
{
	Oid			extoid;
	Oid			relids[OLTP_NTABLES];	/* the tables they were planned on */
	bool		runnable[OLTP_MAX_OPS]; /* its tables exist: it was prepared */
	SPIPlanPtr	plans[OLTP_MAX_OPS][OLTP_OP_MAX_STMTS];
	char	   *sql[OLTP_MAX_OPS][OLTP_OP_MAX_STMTS];
} OltpPlans;

extern void oltp_plans_prepare(OltpPlans *plans, const OltpSchema *schema);
extern void oltp_plans_prepare_op(OltpPlans *plans, const OltpSchema *schema, int op);
extern void oltp_plans_prepare_ops(OltpPlans *plans, const OltpSchema *schema, const bool *ops);
extern void oltp_plans_release(OltpPlans *plans);
extern bool oltp_plans_current(const OltpPlans *plans, const OltpSchema *schema);
extern bool oltp_plans_runnable(const OltpPlans *plans, int op);
extern const char *oltp_plans_activity(const OltpPlans *plans, int op);
extern OltpOpResult oltp_op_run(int op, OltpPlans *plans, const OltpSchema *schema,
								pg_prng_state *rng, Timestamp now, OltpChanges *changes);

/* for the operations: run a statement, read what an earlier one returned */
extern uint64 oltp_op_exec(OltpOpContext *ctx, int stmt, Datum *args, const char *nulls);
extern void oltp_op_count_cascade(OltpOpContext *ctx, OltpTable table, OltpChangeKind kind,
								  uint64 n);
extern bool oltp_op_has(OltpOpContext *ctx, int stmt);
extern Datum oltp_op_fraction(OltpOpContext *ctx);
extern bool oltp_op_pick(OltpOpContext *ctx);
extern OltpOpResult oltp_op_one(OltpOpContext *ctx, int stmt, uint64 n);
extern OltpOpResult oltp_op_picked(OltpOpContext *ctx, int stmt, uint64 n);
extern OltpOpResult oltp_op_inserted(uint64 n);
extern OltpOpResult oltp_op_checked(const char *sql, OltpOpCheck check, uint64 n);
extern OltpOpResult oltp_op_last(OltpOpContext *ctx, int stmt, Datum *args, const char *nulls,
								 OltpOpCheck check);
extern bool oltp_op_result_ok(const OltpStmtDef *stmt, int rc);
extern OltpOpResult oltp_op_delete_picked(OltpOpContext *ctx, int delete_stmt);
extern uint64 oltp_op_insert_consulta_of(OltpOpContext *ctx, int stmt, Datum paciente);
extern int64 oltp_op_result_int8(OltpOpContext *ctx, int stmt, int col);
extern char *oltp_op_result_text(OltpOpContext *ctx, int stmt, int col);

#ifdef FRONTEND
/*
 * The client (client/spi.c): send an operation's last statement and read
 * its answer later, if its transaction allows; false to run it now
 */
extern bool client_op_defer(OltpOpContext *ctx, int stmt, Datum *args, const char *nulls,
							OltpOpCheck check);
#endif

/* ---------------------------------------------------------------------------
 * SQL pieces the families share
 * ---------------------------------------------------------------------------
 */

/*
 * Every operator and function below is pg_catalog's, named so, with
 * arguments of the exact types it takes: nothing in a schema another role
 * can write to is ever a candidate, whatever the search_path.  OPERATOR()
 * binds looser than + and *, hence the parentheses.
 */

/*
 * The id of rank fraction $N (oltp_op_fraction) in the id range min..max:
 * rank r = floor($N * n) of the n = max - min + 1 ids.  The hottest ranks
 * must stay on the same rows while the table grows, and be spread over the
 * table rather than packed at its lowest ids; since no placement of every
 * rank can do both at every n (a permutation of 0..n-1 for each n that
 * never moves a rank is the identity), the first ranks are spread over a
 * block at the start of the range whose size changes only rarely:
 *
 *   - the block is the first B = 2^floor(log2 n) positions, at most 1024:
 *     from 1024 ids on it never changes again, below that it doubles with
 *     the range (a growing table of fewer ids re-places its hot rows at
 *     most ten times in its life);
 *   - rank r < B sits at position (r + 1) * step mod B, step the odd number
 *     nearest 0.618 * B (the golden ratio's step spreads the first ranks
 *     evenly over the block; odd, so this is a permutation of the block);
 *     the hottest rank is at 0.618 * B, and position 0, min(id), holds rank
 *     B - 1, a cold one: erasing the row at min(id), which moves every
 *     position, is no more likely than erasing any cold row;
 *   - ranks from B on keep id order, after the block: new rows come in as
 *     the coldest.
 *
 * A fraction of 0 is not a rank but "from the start": position 0, where a
 * pick that found no candidate past its point looks again (oltp_op_pick).
 * Every step is integer arithmetic, so a run gives the same rows on any
 * machine; the rank is kept below n when the product rounds up to it.
 * (mod(), not the operator: the text goes through a format string.)
 *
 * PICK_POINT reads min(id) and max(id) as lo and hi of PICK_BOUNDS, once
 * per pick.  PostgreSQL 15's B-tree reads a whole leaf page for a LIMIT 1
 * (every entry of the first page, for min(id)): the minimum is first asked
 * among the ids up to 1, where the seed numbers every table from (oltp_reset
 * restarts the sequences), which reads two entries; the smallest id up to 1,
 * when there is one, is min(id), and min(id) is asked only when there is
 * none, so the pick is the same row either way.  OFFSET 0 keeps the
 * subquery whole, so that each bound is read once however often the
 * arithmetic names it.
 */
#define PICK_BOUNDS(T) \
	"(SELECT COALESCE((SELECT id FROM %1$s." T " WHERE id OPERATOR(pg_catalog.<=) 1::pg_catalog.int8 " \
	"ORDER BY id LIMIT 1), pg_catalog.min(id)) AS lo, pg_catalog.max(id) AS hi " \
	"FROM %1$s." T " OFFSET 0) pick_bounds"
#define PICK_RANGE \
	"(pick_bounds.hi OPERATOR(pg_catalog.-) pick_bounds.lo OPERATOR(pg_catalog.+) 1)"
#define PICK_RANK(N) \
	"pg_catalog.floor($" N " OPERATOR(pg_catalog.*) " PICK_RANGE "::pg_catalog.float8)::pg_catalog.int8"
#define PICK_BLOCK \
	"(1::pg_catalog.int8 OPERATOR(pg_catalog.<<) (pg_catalog.width_bucket(" PICK_RANGE \
	", '{1,2,4,8,16,32,64,128,256,512,1024}'::pg_catalog.int8[]) OPERATOR(pg_catalog.-) 1))"
#define PICK_STEP \
	"(((" PICK_BLOCK " OPERATOR(pg_catalog.*) 633::pg_catalog.int8) OPERATOR(pg_catalog./) " \
	"1024::pg_catalog.int8) OPERATOR(pg_catalog.|) 1::pg_catalog.int8)"
#define PICK_POINT(N) \
	"pick_bounds.lo OPERATOR(pg_catalog.+) CASE " \
	"WHEN $" N " OPERATOR(pg_catalog.<=) 0::pg_catalog.float8 THEN 0::pg_catalog.int8 " \
	"WHEN " PICK_RANK(N) " OPERATOR(pg_catalog.<) " PICK_BLOCK " THEN pg_catalog.mod((" \
	PICK_RANK(N) " OPERATOR(pg_catalog.+) 1::pg_catalog.int8) OPERATOR(pg_catalog.*) " \
	PICK_STEP ", " PICK_BLOCK ") " \
	"ELSE pg_catalog.mod(" PICK_RANK(N) ", " PICK_RANGE ") END"

/* a random existing id of table T at fraction $N of its id range */
#define PICK(T, N) \
	"(SELECT id FROM %1$s." T " WHERE id OPERATOR(pg_catalog.>=) " \
	"(SELECT " PICK_POINT(N) " FROM " PICK_BOUNDS(T) ") ORDER BY id LIMIT 1)"

/* the first candidate of T (WHERE C) at or after fraction $1, locked */
#define PICK_CANDIDATE(T, COLS, C) \
	"SELECT " COLS " FROM %1$s." T " WHERE " C " AND id OPERATOR(pg_catalog.>=) " \
	"(SELECT " PICK_POINT("1") " FROM " PICK_BOUNDS(T) ") " \
	"ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED"

/* the first row of T at or after fraction $1, locked in MODE unless others hold it */
#define PICK_LOCKED(T, MODE) \
	"SELECT id FROM %1$s." T " WHERE id OPERATOR(pg_catalog.>=) " \
	"(SELECT " PICK_POINT("1") " FROM " PICK_BOUNDS(T) ") " \
	"ORDER BY id LIMIT 1 FOR " MODE " SKIP LOCKED"

/*
 * The id of the row statement 0's pick would lock, for an operation that
 * changes that row in one statement, its pick a subquery of its UPDATE
 * (oltp_op_picked): the first candidate of T (WHERE C) at or after fraction
 * $1, else the first from the start (what oltp_op_pick does in a second
 * statement: a point of 0 is min(id), from which every id is a candidate),
 * locked FOR UPDATE SKIP LOCKED; NULL when there is none (or all are locked
 * by others), which matches no row.  COALESCE runs the second pick only when
 * the first finds nothing.  PICKED_ANY is the same without a condition.
 */
#define PICKED(T, C) \
	"COALESCE((" PICK_CANDIDATE(T, "id", C) "), " \
	"(SELECT id FROM %1$s." T " WHERE " C " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED))"
#define PICKED_ANY(T) \
	"COALESCE((" PICK_LOCKED(T, "UPDATE") "), " \
	"(SELECT id FROM %1$s." T " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED))"

/* a consultation of patient $1 with the doctor at fraction $2: data $3, motivo $4, status $5 */
#define INSERT_CONSULTA_OF_PACIENTE \
	"INSERT INTO %1$s.consultas (paciente_id, medico_id, data, motivo, status) " \
	"SELECT $1, m.id, $3, $4, $5 FROM " PICK("medicos", "2") " m"

/* the predicate of index oltp_sim_consultas_agendadas, written the same way */
#define AGENDADA \
	"status::pg_catalog.text OPERATOR(pg_catalog.=) 'agendada'::pg_catalog.text"

#endif							/* OLTP_SIM_OP_H */
