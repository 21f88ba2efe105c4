/*-------------------------------------------------------------------------
 *
 * op_schema.c
 *		The set schema_changes: the price list precos, written by the
 *		stream (insert_preco, update_preco, delete_preco) while other
 *		operations change its schema, one operation per kind of change, each announced
 *		(announce.c) in its own transaction.
 *
 * The kinds (docs/schema_changes.md):
 *
 *   add_column_preco        observacao (nullable), ativo (a constant
 *                           default: old rows read it, no event carried
 *                           it) or lote (a volatile default: a rewrite)
 *   drop_column_preco       one of those dropped; or referencia dropped and
 *                           added again with the other type (text, integer)
 *   alter_type_preco        unidade varchar(10) <-> varchar(20) (no rewrite
 *                           widening), quantidade integer <-> bigint (a
 *                           rewrite), valor numeric(10,2) <-> numeric(12,4)
 *                           USING (a rewrite whose values change)
 *   rename_column_preco     fornecedor <-> fabricante
 *   replica_identity_preco  DEFAULT -> FULL -> USING INDEX -> DEFAULT
 *   ddl_dml_preco           etiqueta added (or dropped), then a row
 *                           inserted and one updated, in one transaction
 *   swap_table_preco        precos rebuilt: a staging table filled and
 *                           renamed over it, in one transaction
 *   create_table_preco      precos_lote made, added to the publications
 *                           that list precos and filled, in one
 *                           transaction; drop_table_preco drops it
 *
 * What the table looks like now decides the change: a column there is
 * dropped or changed back, one missing is added, so every name comes back
 * and the columns stay few.  A dropped column still takes an attribute
 * number (PostgreSQL's limit is 1600 per table): once the table's highest
 * attribute number reaches PRECOS_MAX_ATTNUM, no operation adds a column
 * (it is skipped), which bounds the table for any run; the swap rebuilds
 * it without its dropped columns once PRECOS_SWAP_DROPPED of them have
 * accumulated (it is skipped before), and the adds go on.
 *
 * The statements the stream prepares name only the columns that never
 * vanish (the model's, and valor, quantidade and unidade, whose types
 * change): a prepared plan is planned again after an ALTER, a column it
 * names must still be there.  Every change first takes the table's ACCESS
 * EXCLUSIVE lock with lock_timeout at PRECOS_LOCK_TIMEOUT (the setting as
 * it was is put back at once): the other workers wait at most that long
 * behind it, and a change that cannot get the lock by then is skipped
 * (lock_not_available is expected), as clear_triagem does.  ALTER TABLE
 * needs the table's owner: a worker running as a role granted only the
 * rows (the README's non-superuser set-up) skips every change.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/relation.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "nodes/pg_list.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#ifndef FRONTEND
#include "catalog/namespace.h"
#include "catalog/pg_extension.h"
#include "nodes/makefuncs.h"
#include "storage/lmgr.h"
#include "storage/lockdefs.h"
#include "utils/guc.h"
#endif

#include "announce.h"
#include "op.h"

/* an added column beyond this attribute number is refused */
#define PRECOS_MAX_ATTNUM		40

/*
 * The swap rebuilds the table once this many dropped columns have
 * accumulated, and not before: a rebuild is a full copy of the table
 */
#define PRECOS_SWAP_DROPPED		10
/*
 * The most rows insert_preco leaves in the table: the newest, the older
 * ones withdrawn.  What a rewrite costs, and so how long the others wait
 * behind it, grows with the rows.
 */
#define PRECOS_MAX_ROWS			1000
/* how long a change waits for its lock, the others behind it */
#define PRECOS_LOCK_TIMEOUT		"50ms"

static void precos_utility(const char *sql, int expected);

/*
 * The statements every change begins with: the client runs them
 * (precos_lock_as); the server does the same in C, and keeps them prepared
 * for what they tell of the operation (it touches precos: the lock set)
 */
#define LOCK_STMTS \
	{"SELECT pg_catalog.current_setting('lock_timeout')", 0, {0}}, \
	{"SELECT pg_catalog.set_config('lock_timeout', $1, true)", 1, {TEXTOID}}, \
	{"LOCK TABLE %1$s.precos IN ACCESS EXCLUSIVE MODE", 0, {0}, CHANGES(OLTP_PRECOS, SCHEMA)}, \
	{"SELECT pg_catalog.count(*) FROM %1$s.precos", 0, {0}}
#define STMT_SAVE	0
#define STMT_SET	1
#define STMT_LOCK	2
#define STMT_COUNT	3
#define STMT_FIRST	4			/* the kind's own */

#define ALTER	"ALTER TABLE %1$s.precos "

/* what the lock failure and a race of two changes cost: the change */
#define SCHEMA_EXPECTED_CODES \
	ERRCODE_LOCK_NOT_AVAILABLE, ERRCODE_T_R_DEADLOCK_DETECTED
#define SCHEMA_EXPECTED {SCHEMA_EXPECTED_CODES}

#ifdef FRONTEND

/*
 * oltp_sim_client (client/) runs these operations too, as the owner of
 * the table: what the server reads from its caches below, the client
 * reads from the catalog with a query, each the same fact; the rest of
 * each operation is the same code.  There the set is no extension: no
 * membership to give a table the stream makes, no pg_dump registration,
 * and the role that owns precos may make and swap it.
 */

/* the first column of the one row (or none) a catalog query returns */
static Datum
precos_catalog(const char *sql, int nargs, Oid *types, Datum *args, bool *isnull)
{
	if (SPI_execute_with_args(sql, nargs, types, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not run \"%s\"", sql);
	if (SPI_processed == 0)
	{
		*isnull = true;
		return (Datum) 0;
	}
	return SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, isnull);
}

/* the table name of the schema, or InvalidOid */
static Oid
precos_table_oid(OltpOpContext *ctx, const char *name)
{
	Oid			type = TEXTOID;
	Datum		arg = CStringGetTextDatum(quote_qualified_identifier(ctx->schema->nspname, name));
	bool		isnull;
	Datum		d = precos_catalog("SELECT pg_catalog.to_regclass($1)::pg_catalog.oid", 1, &type,
								   &arg, &isnull);

	return isnull ? InvalidOid : DatumGetObjectId(d);
}

/* a fact of the table's catalog rows, the query's one argument its oid */
static Datum
precos_relation_fact(Oid relid, const char *sql, bool *isnull)
{
	Oid			type = OIDOID;
	Datum		arg = ObjectIdGetDatum(relid);

	return precos_catalog(sql, 1, &type, &arg, isnull);
}

/* a fact of the table's pg_class row */
static Datum
precos_class(Oid relid, const char *sql)
{
	bool		isnull;
	Datum		d = precos_relation_fact(relid, sql, &isnull);

	if (isnull)
		elog(ERROR, "table %u vanished under its operation", relid);
	return d;
}

static char *
precos_column(Oid relid, const char *column)
{
	Oid			types[2] = {OIDOID, TEXTOID};
	Datum		args[2] = {ObjectIdGetDatum(relid), CStringGetTextDatum(column)};
	bool		isnull;
	Datum		d = precos_catalog("SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) "
								   "FROM pg_catalog.pg_attribute a WHERE a.attrelid OPERATOR(pg_catalog.=) $1 "
								   "AND a.attname OPERATOR(pg_catalog.=) $2 AND NOT a.attisdropped",
								   2, types, args, &isnull);

	return isnull ? NULL : TextDatumGetCString(d);
}

static int
precos_max_attnum(Oid relid)
{
	return DatumGetInt32(precos_class(relid, "SELECT c.relnatts FROM pg_catalog.pg_class c "
									  "WHERE c.oid OPERATOR(pg_catalog.=) $1"));
}

static int
precos_live_columns(Oid relid)
{
	return (int) DatumGetInt64(precos_class(relid, "SELECT pg_catalog.count(*) FROM pg_catalog.pg_attribute a "
											"WHERE a.attrelid OPERATOR(pg_catalog.=) $1 "
											"AND a.attnum OPERATOR(pg_catalog.>) 0::pg_catalog.int2 AND NOT a.attisdropped"));
}

static char
precos_replident(Oid relid)
{
	return TextDatumGetCString(precos_class(relid, "SELECT c.relreplident::pg_catalog.text FROM pg_catalog.pg_class c "
											"WHERE c.oid OPERATOR(pg_catalog.=) $1"))[0];
}

static bool
precos_owned(Oid relid)
{
	return DatumGetBool(precos_class(relid, "SELECT pg_catalog.pg_has_role(c.relowner, 'USAGE') "
									 "FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) $1"));
}

/*
 * Before the lock, whether a change would find nothing to do (the
 * server's versions below say why): the same facts, read with a query;
 * -1 when the table is gone already
 */
static Oid
precos_unlocked_relid(OltpOpContext *ctx)
{
	return precos_table_oid(ctx, "precos");
}

static int
precos_unlocked_fact(Oid relid, const char *sql)
{
	bool		isnull;
	Datum		d = precos_relation_fact(relid, sql, &isnull);

	return isnull ? -1 : DatumGetInt32(d);
}

static int
precos_unlocked_natts(Oid relid)
{
	return precos_unlocked_fact(relid, "SELECT c.relnatts::pg_catalog.int4 FROM pg_catalog.pg_class c "
								"WHERE c.oid OPERATOR(pg_catalog.=) $1");
}

static int
precos_unlocked_dropped(Oid relid)
{
	return precos_unlocked_fact(relid, "SELECT (SELECT pg_catalog.count(*) FROM pg_catalog.pg_attribute a "
								"WHERE a.attrelid OPERATOR(pg_catalog.=) c.oid AND a.attisdropped)::pg_catalog.int4 "
								"FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) $1");
}

/* a client has no extension: the owner of precos may make and swap it */
#define precos_may_manage()	true

/*
 * The set's table of that name: an ordinary table the role owns (the
 * client makes the set's tables as their owner); else InvalidOid
 */
static Oid
precos_set_table(OltpOpContext *ctx, const char *name)
{
	Oid			type = TEXTOID;
	Datum		arg = CStringGetTextDatum(quote_qualified_identifier(ctx->schema->nspname, name));
	bool		isnull;
	Datum		d = precos_catalog("SELECT c.oid FROM pg_catalog.pg_class c "
								   "WHERE c.oid OPERATOR(pg_catalog.=) pg_catalog.to_regclass($1) "
								   "AND c.relkind OPERATOR(pg_catalog.=) 'r' "
								   "AND pg_catalog.pg_has_role(c.relowner, 'USAGE')", 1, &type, &arg, &isnull);

	return isnull ? InvalidOid : DatumGetObjectId(d);
}

#else							/* !FRONTEND */

static Oid
precos_table_oid(OltpOpContext *ctx, const char *name)
{
	return get_relname_relid(name, ctx->schema->nspoid);
}

/*
 * The set's table of that name: an ordinary table, a member of the
 * extension's set (pg_depend); else InvalidOid.  What another role made
 * under the name (a view calling its function, a table with a trigger) is
 * never locked, read or dropped by the stream, which may run as a
 * superuser.
 */
static Oid
precos_set_table(OltpOpContext *ctx, const char *name)
{
	Oid			relid = get_relname_relid(name, ctx->schema->nspoid);

	if (!OidIsValid(relid) || get_rel_relkind(relid) != RELKIND_RELATION ||
		!oltp_schema_is_member(ctx->schema, RelationRelationId, relid))
		return InvalidOid;
	return relid;
}

static bool
precos_owned(Oid relid)
{
	HeapTuple	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	Oid			owner;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for table precos");
	owner = ((Form_pg_class) GETSTRUCT(tup))->relowner;
	ReleaseSysCache(tup);
	return has_privs_of_role(GetUserId(), owner);
}

/*
 * Making a member of the set's extension and registering it for pg_dump
 * (the swap, create_table_preco) take a superuser
 */
#define precos_may_manage()	superuser()

/* ---------------------------------------------------------------------------
 * The table as it is now
 * ---------------------------------------------------------------------------
 */

/* the column's type as format_type writes it, or NULL when there is none */
static char *
precos_column(Oid relid, const char *column)
{
	AttrNumber	attnum = get_attnum(relid, column);
	Oid			type;
	int32		typmod;
	Oid			collation;

	if (attnum == InvalidAttrNumber)
		return NULL;
	get_atttypetypmodcoll(relid, attnum, &type, &typmod, &collation);
	return format_type_with_typemod(type, typmod);
}

/* the highest attribute number, dropped columns included */
static int
precos_max_attnum(Oid relid)
{
	HeapTuple	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	int			natts;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for relation %u", relid);
	natts = ((Form_pg_class) GETSTRUCT(tup))->relnatts;
	ReleaseSysCache(tup);
	return natts;
}

/* the columns there are, dropped ones not counted (the lock is held) */
static int
precos_live_columns(Oid relid)
{
	Relation	rel = relation_open(relid, NoLock);
	TupleDesc	desc = RelationGetDescr(rel);
	int			n = 0;

	for (int i = 0; i < desc->natts; i++)
		if (!TupleDescAttr(desc, i)->attisdropped)
			n++;
	relation_close(rel, NoLock);
	return n;
}

/*
 * Before the lock: whether the change would find nothing to do, from the
 * catalog as this transaction's start left it (its locks taken, the
 * invalidations read), so that it is skipped without the lock.  ACCESS
 * EXCLUSIVE is WAL-logged for hot standbys: a change that takes it and
 * then finds nothing to do still gets a transaction id, writes a record
 * and flushes it at commit, the others waiting behind it all along (a
 * quarter of the changes in bench/run schema, docs/schema_changes.md).
 * Under the lock the operation looks again and decides.
 */
static Oid
precos_unlocked_relid(OltpOpContext *ctx)
{
	return get_relname_relid("precos", ctx->schema->nspoid);
}

/*
 * The highest attribute number, or -1 when the table is gone already (a
 * swap committed since the name was looked up: the locked path decides)
 */
static int
precos_unlocked_natts(Oid relid)
{
	HeapTuple	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	int			natts;

	if (!HeapTupleIsValid(tup))
		return -1;
	natts = ((Form_pg_class) GETSTRUCT(tup))->relnatts;
	ReleaseSysCache(tup);
	return natts;
}

/* dropped columns, from the attribute cache; -1 when the table is gone */
static int
precos_unlocked_dropped(Oid relid)
{
	int			natts = precos_unlocked_natts(relid);
	int			dropped = 0;

	if (natts < 0)
		return -1;

	for (int i = 1; i <= natts; i++)
	{
		HeapTuple	tup = SearchSysCache2(ATTNUM, ObjectIdGetDatum(relid), Int16GetDatum(i));

		if (!HeapTupleIsValid(tup))
			continue;
		if (((Form_pg_attribute) GETSTRUCT(tup))->attisdropped)
			dropped++;
		ReleaseSysCache(tup);
	}
	return dropped;
}

static char
precos_replident(Oid relid)
{
	HeapTuple	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	char		ident;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for relation %u", relid);
	ident = ((Form_pg_class) GETSTRUCT(tup))->relreplident;
	ReleaseSysCache(tup);
	return ident;
}

#endif							/* FRONTEND */

static Oid
precos_relid(OltpOpContext *ctx)
{
	Oid			relid = precos_table_oid(ctx, "precos");

	if (!OidIsValid(relid))
		elog(ERROR, "table precos vanished under its operation");
	return relid;
}

/*
 * ALTER TABLE needs the table's owner (or a member of its role): a worker
 * running as a role that was only granted the rows changes nothing
 */
static bool
precos_may_alter(OltpOpContext *ctx)
{
	return precos_owned(precos_relid(ctx));
}

/*
 * The set's extension locked as ALTER EXTENSION ... ADD or DROP TABLE
 * locks it (SHARE UPDATE EXCLUSIVE), before the table: DROP EXTENSION
 * (oltp_reset remakes the set) locks the extension, then its tables.  A
 * change that held precos and then asked for the extension would wait for
 * a DROP EXTENSION that waits for precos: a deadlock.  Asked for under the
 * short lock_timeout as the table is: a change that would wait longer is
 * skipped.  A client has no extension to lock.
 */
static void
precos_lock_extension(OltpOpContext *ctx)
{
#ifndef FRONTEND
	/* the extension the schema found precos a member of (schema.c) */
	Oid			extoid = ctx->schema->tableext[OLTP_PRECOS];

	if (OidIsValid(extoid))
		LockDatabaseObject(ExtensionRelationId, extoid, 0, ShareUpdateExclusiveLock);
#endif
}

/*
 * lock_timeout at PRECOS_LOCK_TIMEOUT while a lock is asked for, then as it
 * was.  The server saves the setting at a GUC nest level of its own, put
 * back when the level is popped (as a function's SET clause is), or by the
 * (sub)transaction's abort when the lock is not had; the client reads and
 * sets it with statements (STMT_SAVE, STMT_SET), which the server keeps
 * prepared for it alone.  Each statement cost a change about 0.03 ms, the
 * last one with the lock held (the per-kind table of
 * docs/schema_changes.md).
 */
typedef struct PrecosTimeout
{
	int			nestlevel;		/* the server's */
	char	   *saved;			/* the client's */
} PrecosTimeout;

static void
precos_timeout_short(OltpOpContext *ctx, PrecosTimeout *t)
{
#ifdef FRONTEND
	Datum		arg = CStringGetTextDatum(PRECOS_LOCK_TIMEOUT);

	oltp_op_exec(ctx, STMT_SAVE, NULL, NULL);
	t->saved = oltp_op_result_text(ctx, STMT_SAVE, 1);
	oltp_op_exec(ctx, STMT_SET, &arg, NULL);
#else
	t->nestlevel = NewGUCNestLevel();
	(void) set_config_option("lock_timeout", PRECOS_LOCK_TIMEOUT, PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
#endif
}

static void
precos_timeout_back(OltpOpContext *ctx, PrecosTimeout *t)
{
#ifdef FRONTEND
	Datum		arg = CStringGetTextDatum(t->saved);

	oltp_op_exec(ctx, STMT_SET, &arg, NULL);
#else
	AtEOXact_GUC(true, t->nestlevel);
#endif
}

/*
 * The set's table name locked ACCESS EXCLUSIVE: by the server found by name
 * and locked together, looked up again if it was swapped meanwhile, as
 * LOCK TABLE does (the caller checked the role may alter it); by the
 * client with LOCK TABLE (precos's prepared, STMT_LOCK)
 */
static void
precos_lock_table(OltpOpContext *ctx, const char *name)
{
#ifdef FRONTEND
	if (strcmp(name, "precos") == 0)
		oltp_op_exec(ctx, STMT_LOCK, NULL, NULL);
	else
		precos_utility(psprintf("LOCK TABLE %s.%s IN ACCESS EXCLUSIVE MODE",
								quote_identifier(ctx->schema->nspname), quote_identifier(name)),
					   SPI_OK_UTILITY);
#else
	(void) RangeVarGetRelidExtended(makeRangeVar(pstrdup(ctx->schema->nspname), pstrdup(name), -1),
									AccessExclusiveLock, 0, NULL, NULL);
#endif
}

/*
 * The table's lock (the set's extension's first when member), with
 * lock_timeout short for as long as it is asked for; then the table as the
 * lock lets this transaction see it.  False (and nothing locked) when this
 * role may not alter it.
 */
static bool
precos_lock_as(OltpOpContext *ctx, Oid *relid, bool member)
{
	PrecosTimeout t;

	if (!precos_may_alter(ctx))
		return false;
	precos_timeout_short(ctx, &t);
	if (member)
		precos_lock_extension(ctx);
	precos_lock_table(ctx, "precos");
	precos_timeout_back(ctx, &t);
	*relid = precos_relid(ctx);
	return true;
}

/* the lock of a change that leaves the set's tables as they were */
static bool
precos_lock(OltpOpContext *ctx, Oid *relid)
{
	return precos_lock_as(ctx, relid, false);
}

/*
 * The lock of a change that adds a table to the set's extension or takes
 * one out of it (create_table_preco, drop_table_preco, the swap):
 * precos_lock_as with the extension locked first
 */
static bool
precos_lock_member(OltpOpContext *ctx, Oid *relid)
{
	return precos_lock_as(ctx, relid, true);
}

static int64
precos_count(OltpOpContext *ctx)
{
	oltp_op_exec(ctx, STMT_COUNT, NULL, NULL);
	return oltp_op_result_int8(ctx, STMT_COUNT, 1);
}

/* announce a change of table that changed no row silently, counted */
static void
precos_announce_table(OltpOpContext *ctx, OltpTable table, const char *change, char *detail)
{
	OltpAnnouncement a;

	a.table = table;
	a.change = change;
	a.detail = detail;
	a.silent = false;
	a.rows_silent = 0;
	a.changes = ctx->changes;
	(void) oltp_announce(&a);
}

/* announce the change made, counted with the operation's rows */
static void
precos_announce(OltpOpContext *ctx, const char *change, char *detail, bool silent,
				int64 rows_silent)
{
	OltpAnnouncement a;

	a.table = OLTP_PRECOS;
	a.change = change;
	a.detail = detail;
	a.silent = silent;
	a.rows_silent = silent ? rows_silent : 0;
	a.changes = ctx->changes;
	(void) oltp_announce(&a);
}

/* ---------------------------------------------------------------------------
 * The set's own rows
 * ---------------------------------------------------------------------------
 */

static const char *const precos_descricoes[] = {
	"Dipirona 500mg", "Soro fisiologico 0,9%", "Luva de procedimento", "Seringa 10ml",
	"Gaze esteril", "Amoxicilina 500mg", "Cateter venoso 20G", "Esparadrapo",
};
static const char *const precos_unidades[] = {"un", "cx", "fr", "amp", "ml", "pct"};

#define INSERT_PRECO \
	{"INSERT INTO %1$s.precos (codigo, descricao, valor, quantidade, unidade) " \
		"VALUES ($1, $2, $3::pg_catalog.numeric, $4, $5)", \
		5, {TEXTOID, TEXTOID, TEXTOID, INT8OID, TEXTOID}, \
	CHANGES(OLTP_PRECOS, INSERT)}
#define PICK_PRECO \
	{PICK_CANDIDATE("precos", "id", "true"), 1, {FLOAT8OID}}
/* updated_at set here: precos has no trigger (see the swap) */
#define UPDATE_PRECO \
	{"UPDATE %1$s.precos SET valor = $2::pg_catalog.numeric, quantidade = $3, " \
		"updated_at = pg_catalog.now() " \
		"WHERE id OPERATOR(pg_catalog.=) $1", \
		3, {INT8OID, TEXTOID, INT8OID}, CHANGES(OLTP_PRECOS, UPDATE)}

/* a price: 0.01 to 999.99 */
static Datum
precos_valor(OltpOpContext *ctx)
{
	uint64		cents = pg_prng_uint64_range(ctx->rng, 1, 99999);

	return CStringGetTextDatum(psprintf(UINT64_FORMAT ".%02d", cents / 100, (int) (cents % 100)));
}

static uint64
precos_insert(OltpOpContext *ctx, int stmt)
{
	Datum		args[5];

	args[0] = CStringGetTextDatum(psprintf("P%010u",
										   (uint32) pg_prng_uint64_range(ctx->rng, 0, PG_INT32_MAX)));
	args[1] = CStringGetTextDatum(precos_descricoes[pg_prng_uint64_range(ctx->rng, 0,
																		 lengthof(precos_descricoes) - 1)]);
	args[2] = precos_valor(ctx);
	args[3] = Int64GetDatum((int64) pg_prng_uint64_range(ctx->rng, 1, 500));
	args[4] = CStringGetTextDatum(precos_unidades[pg_prng_uint64_range(ctx->rng, 0,
																	   lengthof(precos_unidades) - 1)]);
	return oltp_op_exec(ctx, stmt, args, NULL);
}

static OltpOpResult
precos_update(OltpOpContext *ctx, int pick_stmt, int update_stmt)
{
	Datum		args[3];
	Datum		arg;

	arg = oltp_op_fraction(ctx);
	if (oltp_op_exec(ctx, pick_stmt, &arg, NULL) == 0)
	{
		arg = Float8GetDatum(0.0);
		if (oltp_op_exec(ctx, pick_stmt, &arg, NULL) == 0)
			return OLTP_OP_SKIPPED;
	}
	args[0] = Int64GetDatum(oltp_op_result_int8(ctx, pick_stmt, 1));
	args[1] = precos_valor(ctx);
	args[2] = Int64GetDatum((int64) pg_prng_uint64_range(ctx->rng, 1, 500));
	return oltp_op_last(ctx, update_stmt, args, NULL, OLTP_CHECK_ONE);
}

/*
 * A new price, and the oldest ones withdrawn beyond the newest
 * PRECOS_MAX_ROWS (in the same transaction): the table is a rolling set of
 * bounded size, so what a change costs that reads or rewrites every row (a
 * rewrite, the count, the checksum of a silent change, the swap's copy)
 * stays bounded however long the stream runs (docs/schema_changes.md).
 * Normally one row goes, the oldest; more only when something else (a
 * seed, ddl_dml_preco) put the table beyond the bound.
 */
static OltpOpResult
op_insert_preco(OltpOpContext *ctx)
{
	if (precos_insert(ctx, 0) != 1)
		return OLTP_OP_SKIPPED;
	(void) oltp_op_exec(ctx, 1, NULL, NULL);
	return OLTP_OP_DONE;
}

const OltpOpDef oltp_op_insert_preco = {
	"insert_preco", WEIGHTS_SCHEMA_CHANGES(10), {
		INSERT_PRECO,
		{"DELETE FROM %1$s.precos WHERE id OPERATOR(pg_catalog.<=) "
			"(SELECT id FROM %1$s.precos ORDER BY id DESC OFFSET " CppAsString2(PRECOS_MAX_ROWS) " LIMIT 1)",
		0, {0}, CHANGES(OLTP_PRECOS, DELETE)},
	},
	{ERRCODE_UNIQUE_VIOLATION}, op_insert_preco
};

static OltpOpResult
op_update_preco(OltpOpContext *ctx)
{
	return precos_update(ctx, 0, 1);
}

const OltpOpDef oltp_op_update_preco = {
	"update_preco", WEIGHTS_SCHEMA_CHANGES(10), {PICK_PRECO, UPDATE_PRECO},
	{0}, op_update_preco
};

/* a price withdrawn: keeps the table's size, and so its rewrites' cost, level */
static OltpOpResult
op_delete_preco(OltpOpContext *ctx)
{
	Datum		arg;

	if (!oltp_op_pick(ctx))
		return OLTP_OP_SKIPPED;
	arg = Int64GetDatum(oltp_op_result_int8(ctx, 0, 1));
	return oltp_op_last(ctx, 1, &arg, NULL, OLTP_CHECK_ONE);
}

const OltpOpDef oltp_op_delete_preco = {
	"delete_preco", WEIGHTS_SCHEMA_CHANGES(5), {
		PICK_PRECO,
		{"DELETE FROM %1$s.precos WHERE id OPERATOR(pg_catalog.=) $1", 1, {INT8OID},
		CHANGES(OLTP_PRECOS, DELETE)},
	},
	{0}, op_delete_preco
};

/* ---------------------------------------------------------------------------
 * 1. ADD COLUMN
 * ---------------------------------------------------------------------------
 */

static const struct
{
	const char *column;
	const char *type;
	const char *default_kind;	/* NULL: none */
	bool		rewrite;
}			precos_added[] = {
	{"observacao", "text", NULL, false},
	{"ativo", "boolean", "constant", false},
	{"lote", "bigint", "volatile", true},
};

static OltpOpResult
op_add_column_preco(OltpOpContext *ctx)
{
	Oid			relid;
	int			absent[lengthof(precos_added)];
	int			nabsent = 0;
	int			v;
	int64		rows;

	/* nothing to add, seen before the lock (precos_unlocked_relid) */
	relid = precos_unlocked_relid(ctx);
	if (OidIsValid(relid) && precos_unlocked_natts(relid) >= 0)
	{
		if (precos_unlocked_natts(relid) >= PRECOS_MAX_ATTNUM)
			return OLTP_OP_SKIPPED;
		for (int i = 0; i < lengthof(precos_added); i++)
			if (get_attnum(relid, precos_added[i].column) == InvalidAttrNumber)
				nabsent++;
		if (nabsent == 0)
			return OLTP_OP_SKIPPED;
		nabsent = 0;
	}

	if (!precos_lock(ctx, &relid))
		return OLTP_OP_SKIPPED;
	if (precos_max_attnum(relid) >= PRECOS_MAX_ATTNUM)
		return OLTP_OP_SKIPPED;
	for (int i = 0; i < lengthof(precos_added); i++)
		if (get_attnum(relid, precos_added[i].column) == InvalidAttrNumber)
			absent[nabsent++] = i;
	if (nabsent == 0)
		return OLTP_OP_SKIPPED;
	v = absent[pg_prng_uint64_range(ctx->rng, 0, nabsent - 1)];
	/* the rows that read a default without an event: none without one */
	rows = precos_added[v].default_kind != NULL ? precos_count(ctx) : 0;
	if (precos_added[v].rewrite)
	{
		/*
		 * lote's default, a value per row from the table's own sequence,
		 * the expression itself rather than a function calling it: a
		 * function with its own search_path is called, not inlined, and
		 * cost the rewrite about 45 us a row, under the lock the others
		 * wait on (docs/schema_changes.md).  Built here, the sequence's
		 * name a quoted literal.
		 */
		const char *nsp = quote_identifier(ctx->schema->nspname);

		precos_utility(psprintf("ALTER TABLE %s.precos ADD COLUMN lote bigint "
								"DEFAULT pg_catalog.nextval(%s::pg_catalog.regclass)", nsp,
								quote_literal_cstr(psprintf("%s.precos_id_seq", nsp))),
					   SPI_OK_UTILITY);
	}
	else
		oltp_op_exec(ctx, STMT_FIRST + v, NULL, NULL);

	/*
	 * A default, constant or not, is what every existing row reads now,
	 * and no event carried it
	 */
	precos_announce(ctx, "add_column",
					psprintf("{\"column\": \"%s\", \"type\": \"%s\", \"default\": %s%s%s, \"rewrite\": %s}",
							 precos_added[v].column, precos_added[v].type,
							 precos_added[v].default_kind ? "\"" : "",
							 precos_added[v].default_kind ? precos_added[v].default_kind : "null",
							 precos_added[v].default_kind ? "\"" : "",
							 precos_added[v].rewrite ? "true" : "false"),
					precos_added[v].default_kind != NULL && rows > 0, rows);
	return OLTP_OP_DONE;
}


const OltpOpDef oltp_op_add_column_preco = {
	"add_column_preco", WEIGHTS_SCHEMA_CHANGES(1), {
		LOCK_STMTS,
		{ALTER "ADD COLUMN observacao text", 0, {0}, CHANGES(OLTP_PRECOS, SCHEMA)},
		{ALTER "ADD COLUMN ativo boolean DEFAULT true", 0, {0}, CHANGES(OLTP_PRECOS, SCHEMA)},
		/* lote's, built in the operation */
	},
	SCHEMA_EXPECTED, op_add_column_preco
};

/* ---------------------------------------------------------------------------
 * 2. DROP COLUMN; DROP and ADD of the same name with another type
 * ---------------------------------------------------------------------------
 */

static OltpOpResult
op_drop_column_preco(OltpOpContext *ctx)
{
	Oid			relid;
	int			present[lengthof(precos_added)];
	int			npresent = 0;
	int64		rows;

	if (!precos_lock(ctx, &relid))
		return OLTP_OP_SKIPPED;
	for (int i = 0; i < lengthof(precos_added); i++)
		if (get_attnum(relid, precos_added[i].column) != InvalidAttrNumber)
			present[npresent++] = i;

	/* one time in three, or with none to drop: referencia, retyped */
	if (npresent == 0 || pg_prng_uint64_range(ctx->rng, 0, 2) == 0)
	{
		char	   *type = precos_column(relid, "referencia");
		bool		to_integer;

		if (precos_max_attnum(relid) >= PRECOS_MAX_ATTNUM)
			return OLTP_OP_SKIPPED;
		to_integer = type == NULL || strcmp(type, "text") == 0;
		rows = precos_count(ctx);
		if (type != NULL)
			oltp_op_exec(ctx, STMT_FIRST + 3, NULL, NULL);
		oltp_op_exec(ctx, STMT_FIRST + (to_integer ? 4 : 5), NULL, NULL);

		/* every row lost its value; as text each reads the new default */
		precos_announce(ctx, "drop_add_column",
						psprintf("{\"column\": \"%s\", \"from\": %s%s%s, \"to\": \"%s\"}",
								 "referencia", type ? "\"" : "", type ? type : "null",
								 type ? "\"" : "", to_integer ? "integer" : "text"),
						rows > 0, rows);
		return OLTP_OP_DONE;
	}
	else
	{
		int			v = present[pg_prng_uint64_range(ctx->rng, 0, npresent - 1)];

		oltp_op_exec(ctx, STMT_FIRST + v, NULL, NULL);
		precos_announce(ctx, "drop_column",
						psprintf("{\"column\": \"%s\"}", precos_added[v].column), false, 0);
		return OLTP_OP_DONE;
	}
}


const OltpOpDef oltp_op_drop_column_preco = {
	"drop_column_preco", WEIGHTS_SCHEMA_CHANGES(1), {
		LOCK_STMTS,
		{ALTER "DROP COLUMN observacao", 0, {0}, CHANGES(OLTP_PRECOS, SCHEMA)},
		{ALTER "DROP COLUMN ativo", 0, {0}, CHANGES(OLTP_PRECOS, SCHEMA)},
		{ALTER "DROP COLUMN lote", 0, {0}, CHANGES(OLTP_PRECOS, SCHEMA)},
		{ALTER "DROP COLUMN referencia", 0, {0}, CHANGES(OLTP_PRECOS, SCHEMA)},
		{ALTER "ADD COLUMN referencia integer", 0, {0}, CHANGES(OLTP_PRECOS, SCHEMA)},
		{ALTER "ADD COLUMN referencia text DEFAULT 'ref'", 0, {0}, CHANGES(OLTP_PRECOS, SCHEMA)},
	},
	SCHEMA_EXPECTED, op_drop_column_preco
};

/* ---------------------------------------------------------------------------
 * 3. ALTER COLUMN ... TYPE
 * ---------------------------------------------------------------------------
 */

static const struct
{
	const char *column;
	const char *type_a;			/* the one CREATE TABLE gives it */
	const char *type_b;
	bool		rewrite;
	bool		values_change;	/* the text of the values changes */
}			precos_retyped[] = {
	{"unidade", "character varying(10)", "character varying(20)", false, false},
	{"quantidade", "integer", "bigint", true, false},
	{"valor", "numeric(10,2)", "numeric(12,4)", true, true},
};

static OltpOpResult
op_alter_type_preco(OltpOpContext *ctx)
{
	Oid			relid;
	int			v;
	char	   *type;
	bool		to_b;
	int64		rows;

	if (!precos_lock(ctx, &relid))
		return OLTP_OP_SKIPPED;
	v = (int) pg_prng_uint64_range(ctx->rng, 0, lengthof(precos_retyped) - 1);
	type = precos_column(relid, precos_retyped[v].column);
	if (type == NULL)
		elog(ERROR, "column precos.%s vanished", precos_retyped[v].column);
	to_b = strcmp(type, precos_retyped[v].type_a) == 0;
	/* the rows whose values change without an event: only valor's */
	rows = precos_retyped[v].values_change ? precos_count(ctx) : 0;
	oltp_op_exec(ctx, STMT_FIRST + 2 * v + (to_b ? 0 : 1), NULL, NULL);

	/* narrowing varchar back checks every row: a rewrite's cost, no new value */
	precos_announce(ctx, "alter_column_type",
					psprintf("{\"column\": \"%s\", \"from\": \"%s\", \"to\": \"%s\", \"rewrite\": %s}",
							 precos_retyped[v].column, type,
							 to_b ? precos_retyped[v].type_b : precos_retyped[v].type_a,
							 precos_retyped[v].rewrite || !to_b ? "true" : "false"),
					precos_retyped[v].values_change && rows > 0, rows);
	return OLTP_OP_DONE;
}


const OltpOpDef oltp_op_alter_type_preco = {
	"alter_type_preco", WEIGHTS_SCHEMA_CHANGES(1), {
		LOCK_STMTS,
		{ALTER "ALTER COLUMN unidade TYPE varchar(20)", 0, {0}, CHANGES(OLTP_PRECOS, SCHEMA)},
		{ALTER "ALTER COLUMN unidade TYPE varchar(10)", 0, {0}, CHANGES(OLTP_PRECOS, SCHEMA)},
		{ALTER "ALTER COLUMN quantidade TYPE bigint", 0, {0}, CHANGES(OLTP_PRECOS, SCHEMA)},
		{ALTER "ALTER COLUMN quantidade TYPE integer", 0, {0}, CHANGES(OLTP_PRECOS, SCHEMA)},
		{ALTER "ALTER COLUMN valor TYPE numeric(12,4) USING valor::pg_catalog.numeric(12,4)", 0, {0}, CHANGES(OLTP_PRECOS, SCHEMA)},
		{ALTER "ALTER COLUMN valor TYPE numeric(10,2) USING pg_catalog.round(valor, 2)", 0, {0}, CHANGES(OLTP_PRECOS, SCHEMA)},
	},
	SCHEMA_EXPECTED, op_alter_type_preco
};

/* ---------------------------------------------------------------------------
 * 4. RENAME COLUMN, and back
 * ---------------------------------------------------------------------------
 */

static OltpOpResult
op_rename_column_preco(OltpOpContext *ctx)
{
	Oid			relid;
	bool		back;

	if (!precos_lock(ctx, &relid))
		return OLTP_OP_SKIPPED;
	back = get_attnum(relid, "fornecedor") == InvalidAttrNumber;
	oltp_op_exec(ctx, STMT_FIRST + (back ? 1 : 0), NULL, NULL);
	precos_announce(ctx, "rename_column",
					psprintf("{\"from\": \"%s\", \"to\": \"%s\"}",
							 back ? "fabricante" : "fornecedor",
							 back ? "fornecedor" : "fabricante"),
					false, 0);
	return OLTP_OP_DONE;
}


const OltpOpDef oltp_op_rename_column_preco = {
	"rename_column_preco", WEIGHTS_SCHEMA_CHANGES(1), {
		LOCK_STMTS,
		{ALTER "RENAME COLUMN fornecedor TO fabricante", 0, {0}, CHANGES(OLTP_PRECOS, SCHEMA)},
		{ALTER "RENAME COLUMN fabricante TO fornecedor", 0, {0}, CHANGES(OLTP_PRECOS, SCHEMA)},
	},
	SCHEMA_EXPECTED, op_rename_column_preco
};

/* ---------------------------------------------------------------------------
 * 7. REPLICA IDENTITY
 * ---------------------------------------------------------------------------
 */

static OltpOpResult
op_replica_identity_preco(OltpOpContext *ctx)
{
	static const char *const names[] = {"full", "index", "default"};
	Oid			relid;
	char		ident;
	int			v;

	if (!precos_lock(ctx, &relid))
		return OLTP_OP_SKIPPED;
	ident = precos_replident(relid);
	/* DEFAULT -> FULL -> USING INDEX -> DEFAULT (NOTHING is never set) */
	v = ident == REPLICA_IDENTITY_DEFAULT ? 0 : ident == REPLICA_IDENTITY_FULL ? 1 : 2;
	oltp_op_exec(ctx, STMT_FIRST + v, NULL, NULL);
	precos_announce(ctx, "replica_identity",
					psprintf("{\"from\": \"%s\", \"to\": \"%s\"%s}",
							 names[(v + 2) % 3], names[v],
							 v == 1 ? ", \"index\": \"precos_codigo_key\"" : ""),
					false, 0);
	return OLTP_OP_DONE;
}


const OltpOpDef oltp_op_replica_identity_preco = {
	"replica_identity_preco", WEIGHTS_SCHEMA_CHANGES(1), {
		LOCK_STMTS,
		{ALTER "REPLICA IDENTITY FULL", 0, {0}, CHANGES(OLTP_PRECOS, SCHEMA)},
		{ALTER "REPLICA IDENTITY USING INDEX precos_codigo_key", 0, {0}, CHANGES(OLTP_PRECOS, SCHEMA)},
		{ALTER "REPLICA IDENTITY DEFAULT", 0, {0}, CHANGES(OLTP_PRECOS, SCHEMA)},
	},
	SCHEMA_EXPECTED, op_replica_identity_preco
};

/* ---------------------------------------------------------------------------
 * 8. DDL and DML in one transaction
 * ---------------------------------------------------------------------------
 */

static OltpOpResult
op_ddl_dml_preco(OltpOpContext *ctx)
{
	Oid			relid;
	bool		drop;

	if (!precos_lock(ctx, &relid))
		return OLTP_OP_SKIPPED;
	drop = get_attnum(relid, "etiqueta") != InvalidAttrNumber;
	if (!drop && precos_max_attnum(relid) >= PRECOS_MAX_ATTNUM)
		return OLTP_OP_SKIPPED;
	oltp_op_exec(ctx, STMT_FIRST + (drop ? 1 : 0), NULL, NULL);
	precos_announce(ctx, drop ? "drop_column" : "add_column",
					psprintf("{\"column\": \"etiqueta\"%s, \"with_rows\": true}",
							 drop ? "" : ", \"type\": \"text\", \"default\": null, \"rewrite\": false"),
					false, 0);
	/* the rows after it, of the new shape, in the same transaction */
	if (precos_insert(ctx, STMT_FIRST + 2) != 1)
		elog(ERROR, "insert into precos inserted no row");
	(void) precos_update(ctx, STMT_FIRST + 3, STMT_FIRST + 4);
	return OLTP_OP_DONE;
}


const OltpOpDef oltp_op_ddl_dml_preco = {
	"ddl_dml_preco", WEIGHTS_SCHEMA_CHANGES(1), {
		LOCK_STMTS,
		{ALTER "ADD COLUMN etiqueta text", 0, {0}, CHANGES(OLTP_PRECOS, SCHEMA)},
		{ALTER "DROP COLUMN etiqueta", 0, {0}, CHANGES(OLTP_PRECOS, SCHEMA)},
		INSERT_PRECO,
		PICK_PRECO,
		UPDATE_PRECO,
	},
	{ERRCODE_LOCK_NOT_AVAILABLE, ERRCODE_T_R_DEADLOCK_DETECTED, ERRCODE_UNIQUE_VIOLATION},
	op_ddl_dml_preco
};

/* ---------------------------------------------------------------------------
 * 5. A table swap: a staging table filled and renamed over the live one
 * ---------------------------------------------------------------------------
 */

/* a statement built from quoted identifiers only, run as it is */
static void
precos_utility(const char *sql, int expected)
{
	int			rc = SPI_execute(sql, false, 0);

	if (rc != expected)
		elog(ERROR, "\"%s\" returned %s", sql, SPI_result_code_string(rc));
}

/*
 * Table name of the schema made a member of the set's extension (add) or
 * no longer one: what keeps a table the stream makes in the set's
 * pg_dump and DROP EXTENSION.  A client has no extension to tell.
 */
static void
precos_member(const char *nsp, bool add, const char *name)
{
#ifndef FRONTEND
	precos_utility(psprintf("ALTER EXTENSION oltp_sim_schema_changes %s TABLE %s.%s",
							add ? "ADD" : "DROP", nsp, quote_identifier(name)), SPI_OK_UTILITY);
#endif
}

/*
 * The name of the table's primary key index, or of its other unique one
 * (not read-only: the catalog as this transaction's DDL left it)
 */
static char *
precos_index(Oid relid, bool primary)
{
	Oid			argtypes[2] = {OIDOID, BOOLOID};
	Datum		args[2] = {ObjectIdGetDatum(relid), BoolGetDatum(primary)};

	if (SPI_execute_with_args("SELECT c.relname::pg_catalog.text FROM pg_catalog.pg_index i "
							  "JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) i.indexrelid "
							  "WHERE i.indrelid OPERATOR(pg_catalog.=) $1 AND i.indisunique "
							  "AND i.indisprimary OPERATOR(pg_catalog.=) $2",
							  2, argtypes, args, NULL, false, 0) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "table precos has no single %s index", primary ? "primary key" : "unique");
	return SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
}

/*
 * The publications that list the table by name (FOR TABLE): the ones a
 * table of the set is added to when it is made anew
 */
static List *
precos_publications(Oid relid)
{
	Oid			argtypes[1] = {OIDOID};
	Datum		args[1] = {ObjectIdGetDatum(relid)};
	List	   *pubs = NIL;

	if (SPI_execute_with_args("SELECT p.pubname::pg_catalog.text FROM pg_catalog.pg_publication_rel r "
							  "JOIN pg_catalog.pg_publication p ON p.oid OPERATOR(pg_catalog.=) r.prpubid "
							  "WHERE r.prrelid OPERATOR(pg_catalog.=) $1 ORDER BY 1",
							  1, argtypes, args, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the publications of precos");
	for (uint64 i = 0; i < SPI_processed; i++)
		pubs = lappend(pubs, SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1));
	return pubs;
}

#ifndef FRONTEND
/*
 * A table the stream made, registered for pg_dump (its rows dumped), as
 * pg_extension_config_dump() does, which only an extension script may
 * call: an update of pg_extension, for a superuser only
 */
static void
precos_register_dump(Oid relid)
{
	Oid			argtypes[1] = {OIDOID};
	Datum		args[1] = {ObjectIdGetDatum(relid)};

	if (SPI_execute_with_args("UPDATE pg_catalog.pg_extension "
							  "SET extconfig = pg_catalog.array_append(extconfig, $1), "
							  "extcondition = pg_catalog.array_append(extcondition, ''::pg_catalog.text) "
							  "WHERE extname OPERATOR(pg_catalog.=) 'oltp_sim_schema_changes'::pg_catalog.name",
							  1, argtypes, args, NULL, false, 0) != SPI_OK_UPDATE || SPI_processed != 1)
		elog(ERROR, "could not register table %s for pg_dump", get_rel_name(relid));
}
#endif

/*
 * In one transaction, under the live table's lock: precos_novo made LIKE
 * precos (its columns, without the dropped ones; defaults, constraints,
 * indexes), filled from it, given the id sequence and the set's
 * membership and pg_dump registration, renamed over precos
 * once that is dropped, its indexes and replica identity as before, and
 * added to the publications that listed precos by name.  This is also
 * what bounds the table: the new one has no dropped column.
 *
 * precos has no updated_at trigger, unlike the other tables (its UPDATE
 * sets the column): PL/pgSQL compiles a trigger function once per
 * trigger, so every backend writing a swapped-in table with a trigger
 * would compile the function again and keep the old copy for as long as
 * it lives (measured: about 150 kB a swap).
 *
 * The copied rows are row events of precos_novo, a table no publication
 * of the extension's lists (a FOR ALL TABLES publication sends them), and
 * counted nowhere.  A publication defined FOR TABLE precos by a user is
 * given the new table too: the announcement names them.  Registering the
 * new table for pg_dump is an update of pg_extension (what
 * pg_extension_config_dump does, which only an extension script may
 * call): the swap needs a superuser, and is skipped otherwise.
 */
static OltpOpResult
op_swap_table_preco(OltpOpContext *ctx)
{
	const char *nsp = quote_identifier(ctx->schema->nspname);
	Oid			relid;
	Oid			newrelid;
	char		ident;
	int			natts;
	List	   *pubs = NIL;
	ListCell   *lc;
	StringInfoData detail;

	if (!precos_may_manage())
		return OLTP_OP_SKIPPED;
	/* too few dropped columns yet, seen before the lock */
	relid = precos_unlocked_relid(ctx);
	if (OidIsValid(relid))
	{
		int			dropped = precos_unlocked_dropped(relid);

		if (dropped >= 0 && dropped < PRECOS_SWAP_DROPPED)
			return OLTP_OP_SKIPPED;
	}
	/*
	 * A relation of the staging table's name is another role's (a swap
	 * leaves none): the swap would fail on it, and is skipped as long as it
	 * is there, as create_table_preco is for precos_lote's.  One made
	 * after this look fails the CREATE TABLE below (duplicate_table,
	 * expected: skipped too).
	 */
	if (OidIsValid(precos_table_oid(ctx, "precos_novo")))
		return OLTP_OP_SKIPPED;
	if (!precos_lock_member(ctx, &relid))
		return OLTP_OP_SKIPPED;
	ident = precos_replident(relid);
	natts = precos_max_attnum(relid);
	if (natts - precos_live_columns(relid) < PRECOS_SWAP_DROPPED)
		return OLTP_OP_SKIPPED;
	pubs = precos_publications(relid);

	precos_utility(psprintf("CREATE TABLE %s.precos_novo (LIKE %s.precos INCLUDING ALL)", nsp, nsp),
				   SPI_OK_UTILITY);
	precos_utility(psprintf("INSERT INTO %s.precos_novo SELECT * FROM %s.precos", nsp, nsp),
				   SPI_OK_INSERT);
	precos_utility(psprintf("ALTER SEQUENCE %s.precos_id_seq OWNED BY %s.precos_novo.id", nsp, nsp),
				   SPI_OK_UTILITY);
	precos_member(nsp, true, "precos_novo");
	precos_member(nsp, false, "precos");
	precos_utility(psprintf("DROP TABLE %s.precos", nsp), SPI_OK_UTILITY);
	precos_utility(psprintf("ALTER TABLE %s.precos_novo RENAME TO precos", nsp), SPI_OK_UTILITY);
	newrelid = precos_relid(ctx);
	precos_utility(psprintf("ALTER INDEX %s.%s RENAME TO precos_pkey", nsp,
							quote_identifier(precos_index(newrelid, true))), SPI_OK_UTILITY);
	precos_utility(psprintf("ALTER INDEX %s.%s RENAME TO precos_codigo_key", nsp,
							quote_identifier(precos_index(newrelid, false))), SPI_OK_UTILITY);
	if (ident == REPLICA_IDENTITY_FULL)
		precos_utility(psprintf("ALTER TABLE %s.precos REPLICA IDENTITY FULL", nsp), SPI_OK_UTILITY);
	else if (ident == REPLICA_IDENTITY_INDEX)
		precos_utility(psprintf("ALTER TABLE %s.precos REPLICA IDENTITY USING INDEX precos_codigo_key", nsp),
					   SPI_OK_UTILITY);

	/* ALTER EXTENSION ... DROP TABLE took the old one out of extconfig */
#ifndef FRONTEND
	precos_register_dump(newrelid);
#endif

	initStringInfo(&detail);
	appendStringInfo(&detail, "{\"attributes_before\": %d, \"attributes_after\": %d, \"publications\": [",
					 natts, precos_max_attnum(newrelid));
	foreach(lc, pubs)
	{
		char	   *pub = (char *) lfirst(lc);

		precos_utility(psprintf("ALTER PUBLICATION %s ADD TABLE %s.precos", quote_identifier(pub), nsp),
					   SPI_OK_UTILITY);
		appendStringInfo(&detail, "%s", foreach_current_index(lc) > 0 ? ", " : "");
		escape_json(&detail, pub);
	}
	appendStringInfoString(&detail, "]}");
	precos_announce(ctx, "swap_table", detail.data, false, 0);
	return OLTP_OP_DONE;
}

/* the statements are built in the operation: only the lock is prepared */

const OltpOpDef oltp_op_swap_table_preco = {
	"swap_table_preco", WEIGHTS_SCHEMA_CHANGES(1), {LOCK_STMTS},
	{SCHEMA_EXPECTED_CODES, ERRCODE_DUPLICATE_TABLE},
	op_swap_table_preco
};

/* ---------------------------------------------------------------------------
 * 6. A new table, published and written at once; dropped again later
 * ---------------------------------------------------------------------------
 */

/* the most rows a batch copies from precos */
#define PRECOS_LOTE_MAX_ROWS	20

/*
 * precos_lote made, in one transaction under the lock of precos (which
 * orders it with drop_table_preco and the swap, and holds still the rows
 * the batch copies): a member of the set's extension, added to every
 * publication that lists precos by name (FOR TABLE), announced, then
 * filled with a batch of precos's rows.  A publication FOR TABLE sends
 * those rows only because the table was added to it before them, in the
 * same transaction; the sink learns of the table from the announcement and
 * then the Relation message before its first row.  Skipped while the table
 * exists (drop_table_preco drops it), so there is at most one.
 *
 * Not registered for pg_dump, unlike precos: a dump then has neither the
 * table nor its rows, and restores the set without it, a state the set
 * has anyway; registered, its rows would be restored by a COPY into a
 * table no script creates, and the restore would fail.  Adding a member
 * to the extension and the table to the publications needs their owners:
 * a worker that is not a superuser skips it.
 */
static OltpOpResult
op_create_table_preco(OltpOpContext *ctx)
{
	const char *nsp = quote_identifier(ctx->schema->nspname);
	Oid			relid;
	List	   *pubs;
	ListCell   *lc;
	StringInfoData detail;
	Oid			argtypes[2] = {INT8OID, INT4OID};
	Datum		args[2];
	int			rc;

	if (!precos_may_manage())
		return OLTP_OP_SKIPPED;
	/* there already, seen before the lock (precos_unlocked_relid) */
	if (OidIsValid(precos_table_oid(ctx, "precos_lote")))
		return OLTP_OP_SKIPPED;
	if (!precos_lock_member(ctx, &relid))
		return OLTP_OP_SKIPPED;
	if (OidIsValid(precos_table_oid(ctx, "precos_lote")))
		return OLTP_OP_SKIPPED;
	pubs = precos_publications(relid);

	precos_utility(psprintf("CREATE TABLE %s.precos_lote ("
							"id bigint PRIMARY KEY, "
							"preco_id bigint NOT NULL, "
							"codigo varchar(20) NOT NULL, "
							"quantidade integer NOT NULL, "
							"created_at timestamp NOT NULL DEFAULT pg_catalog.now(), "
							"updated_at timestamp NOT NULL DEFAULT pg_catalog.now())", nsp),
				   SPI_OK_UTILITY);
	precos_member(nsp, true, "precos_lote");
	if (!OidIsValid(precos_table_oid(ctx, "precos_lote")))
		elog(ERROR, "table precos_lote was not created");

	initStringInfo(&detail);
	appendStringInfoString(&detail, "{\"publications\": [");
	foreach(lc, pubs)
	{
		char	   *pub = (char *) lfirst(lc);

		precos_utility(psprintf("ALTER PUBLICATION %s ADD TABLE %s.precos_lote",
								quote_identifier(pub), nsp), SPI_OK_UTILITY);
		appendStringInfo(&detail, "%s", foreach_current_index(lc) > 0 ? ", " : "");
		escape_json(&detail, pub);
	}

	/*
	 * The batch: the first prices by id, numbered from 1, each with a
	 * quantity; written after the announcement, which says how many
	 */
	args[0] = Int64GetDatum((int64) pg_prng_uint64_range(ctx->rng, 1, PRECOS_LOTE_MAX_ROWS));
	args[1] = Int32GetDatum((int32) pg_prng_uint64_range(ctx->rng, 1, 500));
	rc = SPI_execute_with_args(psprintf("SELECT pg_catalog.count(*) FROM "
										"(SELECT 1 FROM %s.precos LIMIT $1) p", nsp),
							   1, argtypes, args, NULL, false, 0);
	if (rc != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not count the batch of precos_lote");
	appendStringInfo(&detail, "], \"rows\": %s}",
					 SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1));
	precos_announce_table(ctx, OLTP_PRECOS_LOTE, "create_table", detail.data);

	rc = SPI_execute_with_args(psprintf("INSERT INTO %s.precos_lote (id, preco_id, codigo, quantidade) "
										"SELECT pg_catalog.row_number() OVER (ORDER BY p.id), p.id, p.codigo, "
										"(p.id OPERATOR(pg_catalog.%%) 7 OPERATOR(pg_catalog.*) $2) "
										"OPERATOR(pg_catalog.%%) 500 OPERATOR(pg_catalog.+) 1 "
										"FROM (SELECT id, codigo FROM %s.precos ORDER BY id LIMIT $1) p",
										nsp, nsp),
							   2, argtypes, args, NULL, false, 0);
	if (rc != SPI_OK_INSERT)
		elog(ERROR, "could not fill precos_lote: %s", SPI_result_code_string(rc));
	ctx->changes->rows[OLTP_PRECOS_LOTE][OLTP_CHANGE_INSERT] += SPI_processed;
	return OLTP_OP_DONE;
}

/* the statements are built in the operation: only the lock is prepared */

const OltpOpDef oltp_op_create_table_preco = {
	"create_table_preco", WEIGHTS_SCHEMA_CHANGES(1), {LOCK_STMTS},
	SCHEMA_EXPECTED, op_create_table_preco
};

/*
 * precos_lote dropped, under the lock of precos and its own (each asked
 * for with lock_timeout short): announced first, while its columns can
 * still be listed.  Its rows go without an event; the announcement says
 * how many.  Skipped while there is none.
 */
static OltpOpResult
op_drop_table_preco(OltpOpContext *ctx)
{
	const char *nsp = quote_identifier(ctx->schema->nspname);
	Oid			relid;
	PrecosTimeout t;
	int64		rows;
	bool		isnull;

	if (!precos_may_manage())
		return OLTP_OP_SKIPPED;
	/*
	 * none of the set's, seen before the lock (precos_unlocked_relid), and
	 * again under it: a relation of that name that is not the set's table
	 * is left alone, never locked nor read
	 */
	if (!OidIsValid(precos_set_table(ctx, "precos_lote")))
		return OLTP_OP_SKIPPED;
	if (!precos_lock_member(ctx, &relid))
		return OLTP_OP_SKIPPED;
	if (!OidIsValid(precos_set_table(ctx, "precos_lote")))
		return OLTP_OP_SKIPPED;

	/* readers of the batch (a checksum) wait at most that long behind it */
	precos_timeout_short(ctx, &t);
	precos_lock_table(ctx, "precos_lote");
	precos_timeout_back(ctx, &t);

	if (SPI_execute(psprintf("SELECT pg_catalog.count(*) FROM %s.precos_lote", nsp), false, 0) !=
		SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not count precos_lote");
	rows = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	precos_announce_table(ctx, OLTP_PRECOS_LOTE, "drop_table",
						  psprintf("{\"rows\": " INT64_FORMAT "}", rows));

	/* (ALTER EXTENSION ... DROP TABLE takes it out of extconfig too) */
	precos_member(nsp, false, "precos_lote");
	precos_utility(psprintf("DROP TABLE %s.precos_lote", nsp), SPI_OK_UTILITY);
	return OLTP_OP_DONE;
}


const OltpOpDef oltp_op_drop_table_preco = {
	"drop_table_preco", WEIGHTS_SCHEMA_CHANGES(1), {LOCK_STMTS},
	SCHEMA_EXPECTED, op_drop_table_preco
};
