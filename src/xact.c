/*-------------------------------------------------------------------------
 *
 * xact.c
 *		The bracket around a transaction of the stream, a worker's or a held
 *		one's (hold.c): the locks it takes up front, each operation run with
 *		its errors caught, and the commit with its watermark and counts.
 *
 * Locks.  A transaction locks, before its first statement, the tables its
 * operations touch and only those: the tables their statements declare
 * (op.h), the ones their text names (every table is written "%1$s.name"),
 * the parents whose foreign keys an insert or update checks, and the
 * children a delete's foreign keys check.  A table it changes gets ROW
 * EXCLUSIVE, one it reads ROW SHARE, what the statements would take
 * themselves.  The extension comes first and the tables follow in the
 * model's order, the order in which oltp_reset's TRUNCATE takes them: a
 * reset or a DROP EXTENSION waits for the transaction, or the transaction
 * for it, and no cycle of waits can form between them, nor between
 * workers, whose later table locks are all granted already.  A table no
 * operation of the transaction touches stays free for a stronger lock:
 * clear_triagem's TRUNCATE asks for ACCESS EXCLUSIVE without waiting and
 * gets it whenever no other transaction is using the queue.  Each lock is
 * tried without waiting first; one that is not granted at once is told to
 * the caller (whose status then says blocked, and by whom) before the
 * wait.  Locks go through the lock manager, as the statements' own would:
 * no LOCK TABLE, so no privilege beyond the statements'.
 *
 * Operations.  With several operations per transaction each runs in an
 * internal subtransaction (as plpy_spi.c does), so a failure takes back
 * only its own changes.  Alone in its transaction an operation needs
 * none: a failure aborts the transaction, which held nothing else, and
 * every one-operation transaction is spared a subtransaction id and its
 * WAL.
 *
 * Commit.  A watermark carries the totals of its worker's slot: no other
 * transaction counting into that slot may commit between the reading of
 * those totals and the count of this one.  A worker and the transactions
 * it handed over (hold.c) therefore commit under the slot's commit lock,
 * an advisory lock of the session held across the commit until the count
 * is added; a worker takes it only while it has transactions held.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>

#include "access/xact.h"
#include "catalog/pg_extension.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "storage/lmgr.h"
#include "storage/lock.h"
#include "tcop/pquery.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "utils/portal.h"
#include "utils/resowner.h"
#include "utils/snapmgr.h"

#include "model.h"
#include "schema.h"
#include "xact.h"

/* the second key of a slot's commit lock (the first is the database) */
#define XACT_COMMIT_LOCK_KEY	0x6F6C7470	/* "oltp" */
/* the fourth field: neither 1 nor 2, which the SQL advisory locks use */
#define XACT_COMMIT_LOCK_KIND	3

/* each operation's lock set, derived once per process */
static OltpLockSet xact_op_locks[OLTP_MAX_OPS];
static bool xact_op_locks_ready = false;

static void
xact_raise(OltpLockSet *set, int table, LOCKMODE mode)
{
	if (table >= 0 && table < OLTP_NTABLES && set->modes[table] < mode)
		set->modes[table] = mode;
}

/* the tables a statement's text names: each "%1$s.<table>" */
static void
xact_named(OltpLockSet *set, const char *sql)
{
	const char *p = sql;

	while ((p = strstr(p, "%1$s.")) != NULL)
	{
		char		name[NAMEDATALEN];
		int			n = 0;

		p += strlen("%1$s.");
		while (n < NAMEDATALEN - 1 &&
			   (islower((unsigned char) *p) || isdigit((unsigned char) *p) || *p == '_'))
			name[n++] = *p++;
		name[n] = '\0';
		xact_raise(set, oltp_model_lookup(name), RowShareLock);
	}
}

/*
 * What operation def touches, as the header comment says.  An update whose
 * foreign keys cascade to the rows of a child it names (rekey_paciente
 * locks them first) changes that child too: ROW EXCLUSIVE, as the cascade
 * takes, rather than ROW SHARE upgraded halfway.
 */
static void
xact_derive(OltpLockSet *set, const OltpOpDef *def)
{
	const OltpStmtDef *stmts = def->stmts;

	for (int s = 0; s < OLTP_OP_MAX_STMTS && stmts[s].sql; s++)
	{
		xact_named(set, stmts[s].sql);
		if (!stmts[s].changes)
			continue;
		xact_raise(set, stmts[s].table, RowExclusiveLock);
		for (int c = 0; c < OLTP_NTABLES; c++)
		{
			const OltpForeignKeyDef *fkeys = oltp_model[c].fkeys;

			for (int f = 0; f < OLTP_MAX_FKEYS && fkeys[f].column; f++)
			{
				/* an insert or update checks its parents */
				if (c == stmts[s].table &&
					(stmts[s].kind == OLTP_CHANGE_INSERT || stmts[s].kind == OLTP_CHANGE_UPDATE))
					xact_raise(set, fkeys[f].references, RowShareLock);
				/* a delete checks its children */
				if (fkeys[f].references == stmts[s].table && stmts[s].kind == OLTP_CHANGE_DELETE)
					xact_raise(set, c, RowShareLock);
			}
		}
	}
	for (int s = 0; s < OLTP_OP_MAX_STMTS && stmts[s].sql; s++)
	{
		if (!stmts[s].changes || stmts[s].kind != OLTP_CHANGE_UPDATE)
			continue;
		for (int c = 0; c < OLTP_NTABLES; c++)
			for (int f = 0; f < OLTP_MAX_FKEYS && oltp_model[c].fkeys[f].column; f++)
				if (oltp_model[c].fkeys[f].references == stmts[s].table &&
					oltp_model[c].fkeys[f].on_update == 'c' && set->modes[c] != NoLock)
					xact_raise(set, c, RowExclusiveLock);
	}
}

/* every table: what a transaction that prepares every statement touches */
void
oltp_lockset_all(OltpLockSet *set)
{
	for (int t = 0; t < OLTP_NTABLES; t++)
		set->modes[t] = RowExclusiveLock;
}

/* add what operation op touches to set */
void
oltp_lockset_add_op(OltpLockSet *set, int op)
{
	if (!xact_op_locks_ready)
	{
		memset(xact_op_locks, 0, sizeof(xact_op_locks));
		for (int i = 0; i < oltp_nops; i++)
			xact_derive(&xact_op_locks[i], oltp_ops[i]);
		xact_op_locks_ready = true;
	}
	for (int t = 0; t < OLTP_NTABLES; t++)
		xact_raise(set, t, xact_op_locks[op].modes[t]);
}

/*
 * The operations whose plans the tables' change since plans were made
 * leaves stale, marked in stale: those touching (as their lock sets say) a
 * table whose OID changed, one made, dropped or swapped for another.
 * False when every plan must go: a new extension, or a core table changed
 * (the stream then also looks for its parents' rows again).  A set's table
 * made or swapped by the stream itself (schema_changes: precos_lote, the
 * swap of precos) so costs each worker the dozen plans of that set, not
 * every statement, nor a lock on every table.
 */
bool
oltp_plans_stale_ops(const OltpPlans *plans, const OltpSchema *schema, bool *stale)
{
	bool		changed[OLTP_NTABLES];

	if (plans->extoid != schema->extoid)
		return false;
	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		changed[t] = plans->relids[t] != schema->relids[t];
		if (changed[t] && strcmp(oltp_model[t].set, OLTP_SET_CORE) == 0)
			return false;
	}
	for (int op = 0; op < oltp_nops; op++)
	{
		OltpLockSet set;

		memset(&set, 0, sizeof(set));
		oltp_lockset_add_op(&set, op);
		stale[op] = false;
		for (int t = 0; t < OLTP_NTABLES; t++)
			if (changed[t] && set.modes[t] != NoLock)
				stale[op] = true;
	}
	return true;
}

/* start a transaction, with SPI and a snapshot, as worker_spi does */
void
oltp_xact_begin(void)
{
	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	SPI_connect();
	PushActiveSnapshot(GetTransactionSnapshot());
}

/*
 * The process holding a lock that conflicts with mode on tag, for the
 * detail of a blocked transaction; 0 when none holds one (the request
 * then queues behind another waiter).  Called only once a lock was not
 * granted at once, so the cost of reading the whole lock table does not
 * matter.
 */
static int
xact_lock_holder(const LOCKTAG *tag, LOCKMODE mode)
{
	LockData   *locks = GetLockStatusData();

	for (int i = 0; i < locks->nelements; i++)
	{
		LockInstanceData *lock = &locks->locks[i];

		if (lock->pid == MyProcPid || memcmp(&lock->locktag, tag, sizeof(LOCKTAG)) != 0)
			continue;
		for (LOCKMODE m = 1; m <= MaxLockMode; m++)
			if ((lock->holdMask & LOCKBIT_ON(m)) && DoLockModesConflict(m, mode))
				return lock->pid;
	}
	return 0;
}

/* about to wait for a lock: tell the caller which and whose first */
static void
xact_blocked(OltpXactBlocked blocked, void *arg, const LOCKTAG *tag, LOCKMODE mode,
			 const char *what)
{
	int			pid = xact_lock_holder(tag, mode);

	if (pid != 0)
		blocked(arg, psprintf("waiting for a lock on %s held by process %d", what, pid));
	else
		blocked(arg, psprintf("waiting for a lock on %s behind another request", what));
}

/*
 * Let go the locks a try took before it failed: the first ntables tables'
 * of set and the extensions in exts (nothing was read under them)
 */
static void
xact_unlock_tried(const OltpSchema *schema, const OltpLockSet *set, int ntables,
				  const Oid *exts, int nexts)
{
	for (int t = 0; t < ntables; t++)
		if (set->modes[t] != NoLock && schema->present[t])
			UnlockRelationOid(schema->relids[t], set->modes[t]);
	for (int e = 0; e < nexts; e++)
		UnlockDatabaseObject(ExtensionRelationId, exts[e], 0, AccessShareLock);
}

/*
 * Take the locks of set, the extension's first (DROP EXTENSION locks it
 * before anything it drops: the trigger function goes before the tables,
 * so it waits for this transaction instead of pulling the function from
 * under an UPDATE), then the tables in the model's order, each opt-in
 * set's extension before the first of its tables: oltp_reset drops and
 * creates the set schema_changes again (DROP EXTENSION locks the set's
 * extension, then its sequence, then its table), and a transaction that
 * held precos and then asked for the sequence (nextval) would wait for a
 * DROP that waits for precos.  The core tables come first in the model,
 * so a set's extension is asked for only with the core tables held, which
 * oltp_reset locks before the set's extension.  Taking the locks also
 * brings in any DROP or ALTER committed since the last ones.
 *
 * With blocked NULL (a try) no lock is waited for: at the first one not
 * granted at once, every lock this call took is let go again, so that
 * none is held out of that order while another is waited for later, and
 * OLTP_XACT_TABLE_BUSY (with *table) or OLTP_XACT_EXTENSION_BUSY is
 * returned.  Otherwise every lock is had in the end, and *waited says
 * whether any had to be waited for.
 */
static OltpXactTry
xact_lock(const OltpSchema *schema, const OltpLockSet *set, OltpXactBlocked blocked, void *arg,
		  bool *waited, OltpTable *table)
{
	Oid			exts[OLTP_NTABLES + 1]; /* the extensions this call locked */
	int			nexts = 0;
	LOCKTAG		tag;

	*waited = false;

	/* LockDatabaseObject, tried first without waiting */
	SET_LOCKTAG_OBJECT(tag, MyDatabaseId, ExtensionRelationId, schema->extoid, 0);
	if (LockAcquire(&tag, AccessShareLock, false, true) == LOCKACQUIRE_NOT_AVAIL)
	{
		if (blocked == NULL)
			return OLTP_XACT_EXTENSION_BUSY;
		xact_blocked(blocked, arg, &tag, AccessShareLock, "extension \"oltp_sim\"");
		(void) LockAcquire(&tag, AccessShareLock, false, false);
		*waited = true;
	}
	exts[nexts++] = schema->extoid;
	AcceptInvalidationMessages();
	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		LOCKMODE	mode = set->modes[t];
		Oid			ext = schema->tableext[t];

		/* an opt-in set not added has nothing to lock */
		if (mode == NoLock || !schema->present[t])
			continue;
		/* a set's own extension, before the first of its tables */
		if (OidIsValid(ext) && ext != schema->extoid && ext != exts[nexts - 1])
		{
			SET_LOCKTAG_OBJECT(tag, MyDatabaseId, ExtensionRelationId, ext, 0);
			if (LockAcquire(&tag, AccessShareLock, false, true) == LOCKACQUIRE_NOT_AVAIL)
			{
				if (blocked == NULL)
				{
					xact_unlock_tried(schema, set, t, exts, nexts);
					return OLTP_XACT_EXTENSION_BUSY;
				}
				xact_blocked(blocked, arg, &tag, AccessShareLock,
							 psprintf("the extension of table %s", oltp_schema_qualify(schema, t)));
				(void) LockAcquire(&tag, AccessShareLock, false, false);
				*waited = true;
			}
			exts[nexts++] = ext;
		}
		if (ConditionalLockRelationOid(schema->relids[t], mode))
			continue;
		if (blocked == NULL)
		{
			xact_unlock_tried(schema, set, t, exts, nexts);
			*table = (OltpTable) t;
			return OLTP_XACT_TABLE_BUSY;
		}
		SET_LOCKTAG_RELATION(tag, MyDatabaseId, schema->relids[t]);
		xact_blocked(blocked, arg, &tag, mode,
					 psprintf("table %s", oltp_schema_qualify(schema, t)));
		LockRelationOid(schema->relids[t], mode);
		*waited = true;
	}
	return OLTP_XACT_LOCKED;
}

/* the locks of set, waited for as they must be; whether any was */
bool
oltp_xact_lock(const OltpSchema *schema, const OltpLockSet *set, OltpXactBlocked blocked,
			   void *arg)
{
	bool		waited;
	OltpTable	table;

	Assert(blocked != NULL);
	(void) xact_lock(schema, set, blocked, arg, &waited, &table);
	return waited;
}

/*
 * The locks of set if every one is granted at once (OLTP_XACT_LOCKED);
 * else none this call asked for is kept, and the first that another
 * transaction holds or waits for is a table's (*table) or an extension's
 */
OltpXactTry
oltp_xact_try_lock(const OltpSchema *schema, const OltpLockSet *set, OltpTable *table)
{
	bool		waited;

	return xact_lock(schema, set, NULL, NULL, &waited, table);
}

/* NULL if op ran; else its error (in err_cxt once aborted), *changes zeroed */
ErrorData *
oltp_xact_run_op(bool subxact, MemoryContext err_cxt, int op, OltpPlans *plans,
				 const OltpSchema *schema, pg_prng_state *rng, Timestamp now,
				 OltpChanges *changes, OltpOpResult *result)
{
	MemoryContext oldcontext = CurrentMemoryContext;
	ResourceOwner oldowner = CurrentResourceOwner;
	ErrorData  *volatile edata = NULL;

	if (subxact)
	{
		BeginInternalSubTransaction(NULL);
		MemoryContextSwitchTo(oldcontext);
	}
	PG_TRY();
	{
		*result = oltp_op_run(op, plans, schema, rng, now, changes);
		if (subxact)
		{
			ReleaseCurrentSubTransaction();
			MemoryContextSwitchTo(oldcontext);
			CurrentResourceOwner = oldowner;
		}
	}
	PG_CATCH();
	{
		/* the transaction's memory goes with it: keep the error outside */
		MemoryContextSwitchTo(subxact ? oldcontext : err_cxt);
		edata = CopyErrorData();
		FlushErrorState();
		if (subxact)
		{
			RollbackAndReleaseCurrentSubTransaction();
			MemoryContextSwitchTo(oldcontext);
			CurrentResourceOwner = oldowner;
		}
		else
		{
			AbortCurrentTransaction();
			MemoryContextSwitchTo(err_cxt);
		}
		memset(changes, 0, sizeof(*changes));
	}
	PG_END_TRY();
	return edata;
}

/*
 * Run operation op alone in its transaction, without a subtransaction
 * (CALL oltp_run's, run.c): NULL if it ran, else its error (in err_cxt),
 * the transaction then failed and to be rolled back by the caller
 * (SPI_rollback), as ROLLBACK after a failed statement is.  Only for a
 * caller in a procedure's nonatomic SPI connection (CALL oltp_run).  What
 * the failure leaves is undone here, as SPI_rollback needs it:
 * - a function the operation called (the sets' PL/pgSQL, oltp_announce)
 *   leaves its own SPI connection open, from which SPI_rollback refuses
 *   ("invalid transaction termination"): closed, back to the procedure's;
 * - the failed statements leave their snapshots pushed, and SPI_rollback
 *   wants on the stack exactly the snapshots portals hold
 *   (ForgetPortalSnapshots): all are popped, and the procedure's portal
 *   forgets its own, as SPI_rollback does next.  (After an earlier commit
 *   or rollback the portal's snapshot is one the operation's first
 *   statement pushed, not one there before it: popping down to the one
 *   found on entry popped it too.)
 * - a SECURITY DEFINER function that failed leaves its owner the current
 *   user until the rollback: the caller's is restored, so that nothing
 *   between the error and the rollback runs with the owner's rights.
 */
ErrorData *
oltp_xact_run_op_alone(MemoryContext err_cxt, int op, OltpPlans *plans, const OltpSchema *schema,
					   pg_prng_state *rng, Timestamp now, OltpChanges *changes,
					   OltpOpResult *result)
{
	MemoryContext oldcxt = CurrentMemoryContext;
	ErrorData  *volatile edata = NULL;
	Oid			userid;
	int			sec_context;

	Assert(SPI_inside_nonatomic_context());
	GetUserIdAndSecContext(&userid, &sec_context);
	PG_TRY();
	{
		*result = oltp_op_run(op, plans, schema, rng, now, changes);
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(err_cxt);
		edata = CopyErrorData();
		FlushErrorState();
		SetUserIdAndSecContext(userid, sec_context);
		while (!SPI_inside_nonatomic_context() && SPI_finish() == SPI_OK_FINISH)
			;
		while (ActiveSnapshotSet())
			PopActiveSnapshot();
		if (ActivePortal != NULL)
			ActivePortal->portalSnapshot = NULL;
		MemoryContextSwitchTo(oldcxt);
	}
	PG_END_TRY();
	return edata;
}

/*
 * Roll back the transaction of an operation that asks for it (OltpOpDef.
 * aborts), its statements done: no watermark, nothing counted as
 * committed.  The caller's memory context survives the transaction's.
 */
void
oltp_xact_rollback(void)
{
	MemoryContext cxt = CurrentMemoryContext;

	SPI_finish();
	PopActiveSnapshot();
	AbortCurrentTransaction();
	MemoryContextSwitchTo(cxt);
}

/*
 * Write the watermark the tally calls for, commit, and count what
 * committed into worker's slot and the shared counters; with serialize,
 * under the slot's commit lock (see the header comment).  An error at
 * commit leaves the lock released and goes to the caller, which aborts.
 */
void
oltp_xact_commit(OltpWorkerSlot *slot, int worker, const OltpTally *tally, bool serialize)
{
	LOCKTAG		tag;
	bool		wrote_watermark;

	if (serialize)
	{
		SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, XACT_COMMIT_LOCK_KEY, (uint32) worker,
							 XACT_COMMIT_LOCK_KIND);
		(void) LockAcquire(&tag, ExclusiveLock, true, false);
	}
	PG_TRY();
	{
		wrote_watermark = oltp_ledger_watermark(slot, worker, tally);
		SPI_finish();
		PopActiveSnapshot();
		CommitTransactionCommand();
		/* counted once committed */
		oltp_ledger_count(slot, tally, true, wrote_watermark);
	}
	PG_CATCH();
	{
		if (serialize)
			LockRelease(&tag, ExclusiveLock, true);
		PG_RE_THROW();
	}
	PG_END_TRY();
	if (serialize)
		LockRelease(&tag, ExclusiveLock, true);
}
