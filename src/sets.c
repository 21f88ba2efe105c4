/*-------------------------------------------------------------------------
 *
 * sets.c
 *		The opt-in table sets: oltp_add_tables(set) creates a set's
 *		extension, oltp_sim_<set>, in oltp_sim's schema (its script holds
 *		the DDL of the set's tables and types), adds the tables to the
 *		publications that carry the core tables (but the set audit's, which
 *		is unpublished on purpose) and seeds them;
 *		oltp_drop_tables(set) drops that extension, and so just that set.
 *
 * CREATE EXTENSION oltp_sim creates only the core set, so a default install
 * is the seven tables the old tool had.  A set's tables are described in
 * model.c like the others, and checked against it (schema.c) as soon as
 * they are created.  Being an extension of its own, a set is written by
 * pg_dump as CREATE EXTENSION oltp_sim_<set> followed by its rows (its
 * script registers them with pg_extension_config_dump), and DROP EXTENSION
 * oltp_sim needs CASCADE while a set is there.
 *
 * Every add and drop first takes one lock, on oltp_sim's pg_extension row,
 * held to the end of the transaction, and only then looks at the schema:
 * a call that waited sees what the one before it did, and says so in the
 * documented NOTICE rather than failing on a catalog error.  Then it locks
 * the core tables in the model's order, the order the workers lock them
 * in: the foreign keys of a new table lock its parents, and taking those
 * locks halfway could deadlock with a worker holding one parent and
 * waiting for the next.  The workers notice the new tables (or their
 * absence) through the invalidations of the commit.
 *
 * A database updated from 0.2.0 has a set's tables as members of oltp_sim
 * itself.  oltp_add_tables (or oltp_drop_tables) moves them to the set's
 * extension first, rows and all: it creates version 0.2.0 of the set's
 * extension, whose script takes them over from oltp_sim, and updates it.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/dependency.h"
#include "catalog/pg_class.h"
#include "catalog/pg_extension.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "nodes/pg_list.h"
#include "storage/lmgr.h"
#include "storage/lockdefs.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/tuplestore.h"

#include "compat.h"
#include "model.h"
#include "publication.h"
#include "schema.h"
#include "seed.h"
#include "seed_types.h"

/*
 * The names a set's script takes besides its tables' own (the table, its
 * row type, its id sequence, its primary key's index: sets_claim_table):
 * its types, the tables that are not the model's (the default partition,
 * the record of the partitions detached) with their row types, and its
 * indexes.  Claimed before the set is created, so that one taken is an
 * error naming its owner rather than the script's "already exists".
 */
typedef struct SetsName
{
	const char *set;
	const char *name;
	bool		as_type;		/* a type or a table (with its row type) */
} SetsName;

static const SetsName sets_other_names[] = {
	{OLTP_SET_TYPES, "status_fatura", true},
	{OLTP_SET_TYPES, "percentual", true},
	{OLTP_SET_TYPES, "idx_faturas_numero", false},
	{OLTP_SET_TYPES, "idx_faturas_paciente", false},
	{OLTP_SET_TYPES, "idx_prontuarios_paciente", false},
	{OLTP_SET_TYPES, "idx_reservas_leito_paciente", false},
	{OLTP_SET_TYPES, "idx_sinais_vitais_paciente", false},
	{OLTP_SET_EDGE_CASES, "idx_fila_triagem_paciente", false},
	{OLTP_SET_EDGE_CASES, "idx_laudos_exame", false},
	{OLTP_SET_EDGE_CASES, "oltp_sim_laudos_pendentes", false},
	{OLTP_SET_PARTITIONS, "eventos_leito_default", true},
	{OLTP_SET_PARTITIONS, "oltp_sim_eventos_leito_detached", true},
	{OLTP_SET_SCHEMA_CHANGES, "precos_codigo_key", false},
};

/*
 * Every name a table of the set takes in the schema, claimed before
 * anything is created: the table (and its row type), its id sequence and
 * its primary key's index.  An object of one of those names that is not
 * the extension's is an error naming its owner; created over, it would
 * fail or push ours to another name, and reused it would be adopted, its
 * triggers and CHECK functions with it.
 */
static void
sets_claim_table(const OltpSchema *schema, OltpTable t, const char *caller)
{
	const OltpTableDef *def = &oltp_model[t];

	oltp_schema_claim_name(schema, def->name, true, caller);
	if (def->sequence)
		oltp_schema_claim_name(schema, def->sequence, false, caller);
	if (def->primary_key)
		oltp_schema_claim_name(schema, psprintf("%s_pkey", def->name), false, caller);
}

/* the set argument: an opt-in set of the model, or a clear error */
static const char *
sets_argument(FunctionCallInfo fcinfo, const char *verb)
{
	char	   *set;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("argument \"set\" must not be null"),
				 errhint("The sets are %s.", oltp_model_set_list())));
	set = text_to_cstring(PG_GETARG_TEXT_PP(0));
	if (strcmp(set, OLTP_SET_CORE) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot %s the core set", verb),
				 errdetail("CREATE EXTENSION creates the core tables and DROP EXTENSION removes them."),
				 errhint("The sets that can be added and dropped are %s.", oltp_model_set_list())));
	if (!oltp_model_set_exists(set))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("\"%s\" is not an oltp_sim table set", set),
				 errhint("The sets are %s.", oltp_model_set_list())));
	return set;
}

static void
sets_exec(const char *sql, int expected)
{
	int			rc = SPI_execute(sql, false, 0);

	if (rc != expected)
		elog(ERROR, "\"%s\" returned %s", sql, SPI_result_code_string(rc));
}

/*
 * The core tables, in the model's order, as the workers lock them (see the
 * file's comment); a new table's foreign keys then find their locks held.
 */
static void
sets_lock_core(const OltpSchema *schema)
{
	StringInfoData sql;

	initStringInfo(&sql);
	appendStringInfoString(&sql, "LOCK TABLE ");
	for (int t = 0, n = 0; t < OLTP_NTABLES; t++)
		if (strcmp(oltp_model[t].set, OLTP_SET_CORE) == 0)
			appendStringInfo(&sql, "%s%s", n++ > 0 ? ", " : "", oltp_schema_qualify(schema, t));
	appendStringInfoString(&sql, " IN SHARE ROW EXCLUSIVE MODE");
	sets_exec(sql.data, SPI_OK_UTILITY);
}

/* the publications listing pacientes by name: the ones that carry the model */
static List *
sets_publications(const OltpSchema *schema)
{
	Oid			argtypes[1] = {OIDOID};
	Datum		args[1];
	List	   *names = NIL;

	args[0] = ObjectIdGetDatum(schema->relids[OLTP_PACIENTES]);
	if (SPI_execute_with_args("SELECT p.pubname::pg_catalog.text FROM pg_catalog.pg_publication p"
							  " JOIN pg_catalog.pg_publication_rel r ON r.prpubid OPERATOR(pg_catalog.=) p.oid"
							  " WHERE r.prrelid OPERATOR(pg_catalog.=) $1 ORDER BY 1",
							  1, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the publications of the oltp_sim tables");
	for (uint64 i = 0; i < SPI_processed; i++)
		names = lappend(names, SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1));
	return names;
}

/* the count(*) query sql returns */
static int64
sets_count(const char *sql)
{
	bool		isnull;

	if (SPI_execute(sql, true, 0) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "\"%s\" returned no count", sql);
	return DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
}

/* what a table of the set is seeded with: the default volume, in proportion */
static int64
sets_volume(const OltpSchema *schema, OltpTable table)
{
	int64		pacientes;
	int64		rows;

	pacientes = sets_count(psprintf("SELECT pg_catalog.count(*) FROM %s",
									oltp_schema_qualify(schema, OLTP_PACIENTES)));
	rows = (int64) round((double) oltp_model[table].default_rows * pacientes /
						oltp_model[OLTP_PACIENTES].default_rows);

	/* every edge value of the set types, whatever the proportion */
	if (seed_types_has(table) && pacientes > 0)
		rows = Max(rows, seed_types_edge_rows(table));

	/* a report needs an exam with a result */
	if (table == OLTP_LAUDOS && rows > 0)
		rows = Min(rows, sets_count(psprintf("SELECT pg_catalog.count(*) FROM %s WHERE resultado IS NOT NULL",
											 oltp_schema_qualify(schema, OLTP_EXAMES))));
	return rows;
}

/*
 * The one lock every add and drop of a set takes, before it looks at
 * anything: on oltp_sim's pg_extension row, to the end of the transaction.
 * A call that waited for it then reads the catalog as the call before it
 * left it (taking a lock accepts the invalidations of what committed).
 */
static void
sets_lock(void)
{
	Oid			extoid = get_extension_oid("oltp_sim", true);

	/* not installed: the look that follows says so */
	if (OidIsValid(extoid))
		LockDatabaseObject(ExtensionRelationId, extoid, 0, ExclusiveLock);
}

/* where the set is: not there, its own extension, or still oltp_sim's (0.2.0) */
typedef enum SetsState
{
	SETS_ABSENT,
	SETS_EXTENSION,
	SETS_LEGACY,
} SetsState;

static SetsState
sets_state(const OltpSchema *schema, const char *set)
{
	if (OidIsValid(oltp_schema_set_extension(set)))
		return SETS_EXTENSION;
	/* by name and membership only: the drop of a table altered by hand looks too */
	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		Oid			relid;

		if (strcmp(oltp_model[t].set, set) != 0)
			continue;
		relid = get_relname_relid(oltp_model[t].name, schema->nspoid);
		if (OidIsValid(relid) &&
			getExtensionOfObject(RelationRelationId, relid) == schema->extoid)
			return SETS_LEGACY;
	}
	return SETS_ABSENT;
}

/*
 * A set as 0.2.0 left it, members of oltp_sim, moved to its own extension
 * with its rows: version 0.2.0 of the extension takes the objects over,
 * the update registers them for pg_dump.  No value goes into the text: the
 * schema and the extension's name are quoted identifiers.
 */
static void
sets_move_legacy(const OltpSchema *schema, const char *set)
{
	const char *ext = quote_identifier(psprintf("oltp_sim_%s", set));

	sets_exec(psprintf("CREATE EXTENSION %s SCHEMA %s VERSION '0.2.0'", ext,
					   quote_identifier(schema->nspname)), SPI_OK_UTILITY);
	sets_exec(psprintf("ALTER EXTENSION %s UPDATE", ext), SPI_OK_UTILITY);
	ereport(NOTICE,
			(errmsg("the tables of set \"%s\" moved from extension \"oltp_sim\" to extension %s, with their rows",
					set, ext),
			 errdetail("oltp_sim 0.2.0 made them members of oltp_sim; from 0.3.0 on each set is an extension of its own, which pg_dump writes with its rows.")));
}

PG_FUNCTION_INFO_V1(oltp_add_tables);
PG_FUNCTION_INFO_V1(oltp_drop_tables);

/*
 * oltp_add_tables(set text, seed bigint): one row per table created, with
 * the rows seeded into it.  A set added already gives no rows and a
 * NOTICE (a set of 0.2.0 is moved to its own extension, and gives no rows
 * either).  An object of another role's holding a name the set takes is
 * an error, and nothing is created.
 */
Datum
oltp_add_tables(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const char *set = sets_argument(fcinfo, "add");
	const char *caller = psprintf("oltp_add_tables('%s')", set);
	OltpSchema	schema;
	SetsState	state;
	bool		created[OLTP_NTABLES] = {0};
	int64		inserted[OLTP_NTABLES] = {0};

	/* its values spell characters beyond ASCII, and escape them in json */
	if (strcmp(set, OLTP_SET_TYPES) == 0 && GetDatabaseEncoding() != PG_UTF8)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("the set \"%s\" needs a database in encoding UTF8", set),
				 errdetail("This database is in encoding %s; the set's values include characters beyond ASCII and JSON escapes of them.",
						   GetDatabaseEncodingName()),
				 errhint("Create the extension in a database made with ENCODING 'UTF8'.")));

	InitMaterializedSRF(fcinfo, 0);
	SPI_connect();
	sets_lock();
	oltp_schema_require(&schema);
	sets_lock_core(&schema);
	state = sets_state(&schema, set);

	if (state == SETS_LEGACY)
		sets_move_legacy(&schema, set);
	else if (state == SETS_EXTENSION)
		ereport(NOTICE,
				(errmsg("the tables of set \"%s\" exist already", set),
				 errhint("oltp_drop_tables('%s') removes them.", set)));
	else
	{
		List	   *pubs = sets_publications(&schema);
		SeedArgs	args;
		double		elapsed[OLTP_NTABLES];

		/* every name first: nothing is created unless all of them are free */
		for (int i = 0; i < lengthof(sets_other_names); i++)
			if (strcmp(sets_other_names[i].set, set) == 0)
				oltp_schema_claim_name(&schema, sets_other_names[i].name,
									   sets_other_names[i].as_type, caller);
		for (int t = 0; t < OLTP_NTABLES; t++)
			if (strcmp(oltp_model[t].set, set) == 0)
				sets_claim_table(&schema, t, caller);

		sets_exec(psprintf("CREATE EXTENSION %s SCHEMA %s",
						   quote_identifier(psprintf("oltp_sim_%s", set)),
						   quote_identifier(schema.nspname)), SPI_OK_UTILITY);

		/*
		 * The new tables, checked against the model, then published: in
		 * the publications that list pacientes, and in oltp_sim, made now
		 * if no oltp_seed made it yet (with them already).
		 */
		oltp_schema_require(&schema);
		oltp_publication_ensure(&schema, "oltp_add_tables");
		for (int t = 0; t < OLTP_NTABLES; t++)
		{
			ListCell   *lc;

			/* (a table the stream makes comes later) */
			if (strcmp(oltp_model[t].set, set) != 0 || oltp_model[t].transient)
				continue;
			if (!schema.present[t])
				elog(ERROR, "extension oltp_sim_%s did not create table %s", set, oltp_model[t].name);
			created[t] = true;
			/* the set audit is written where no publication looks (model.h) */
			if (oltp_model[t].unpublished)
				continue;
			foreach(lc, pubs)
				sets_exec(psprintf(OLTP_PUBLICATION_ADD_TABLE,
								   quote_identifier((char *) lfirst(lc)),
								   oltp_schema_qualify(&schema, t)),
						  SPI_OK_UTILITY);
		}

		/* the tables just created, seeded; every other table at 0 */
		for (int t = 0; t < OLTP_NTABLES; t++)
			args.rows[t] = created[t] ? sets_volume(&schema, t) : 0;
		oltp_seed_choose(&args, !PG_ARGISNULL(1), PG_ARGISNULL(1) ? 0 : PG_GETARG_INT64(1));
		oltp_seed_tables(&schema, &args, false, inserted, elapsed);
	}
	SPI_finish();

	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		if (!created[t])
			continue;
		values[0] = CStringGetTextDatum(oltp_model[t].name);
		values[1] = Int64GetDatum(inserted[t]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * oltp_drop_tables(set text): DROP EXTENSION oltp_sim_<set>, which drops the
 * set's tables and types and nothing else; one row per table dropped, with
 * the rows it held (NULL when the tables were changed by hand so that they
 * are not read: a table altered by hand is dropped all the same).  An
 * object of the user's own that depends on the set (a view, a column of
 * the set's type) makes it fail whole, naming the object.  A CDC consumer
 * sees nothing of it: DROP TABLE is not decoded.
 */
Datum
oltp_drop_tables(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const char *set = sets_argument(fcinfo, "drop");
	OltpSchema	schema;
	OltpSchemaProblem problem;
	bool		readable;
	bool		dropped[OLTP_NTABLES] = {0};
	int64		held[OLTP_NTABLES] = {0};
	SetsState	state;

	InitMaterializedSRF(fcinfo, 0);
	SPI_connect();
	sets_lock();

	/*
	 * A table changed by hand (a column altered, a trigger added) fails the
	 * full look, and must not stop the drop: the rows are then not counted,
	 * and only membership decides what goes.
	 */
	readable = oltp_schema_lookup(&schema, &problem);
	if (!readable)
		oltp_schema_require_extension(&schema);
	state = sets_state(&schema, set);
	if (state == SETS_ABSENT)
	{
		SPI_finish();
		ereport(NOTICE,
				(errmsg("the tables of set \"%s\" do not exist", set),
				 errhint("oltp_add_tables('%s') creates them.", set)));
		return (Datum) 0;
	}
	if (readable)
		sets_lock_core(&schema);
	if (state == SETS_LEGACY)
		sets_move_legacy(&schema, set);

	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		if (strcmp(oltp_model[t].set, set) != 0 ||
			getExtensionOfObject(RelationRelationId,
								 get_relname_relid(oltp_model[t].name, schema.nspoid)) !=
			oltp_schema_set_extension(set))
			continue;
		dropped[t] = true;
		if (readable)
			held[t] = sets_count(psprintf("SELECT pg_catalog.count(*) FROM %s",
										  oltp_schema_qualify(&schema, t)));
	}
	/* the tables the stream detached are no members: they go first */
	if (strcmp(set, OLTP_SET_PARTITIONS) == 0 && dropped[OLTP_EVENTOS_LEITO])
		sets_exec(psprintf("SELECT %s()",
						   quote_qualified_identifier(schema.nspname,
													  "oltp_sim_eventos_leito_drop_detached")),
				  SPI_OK_SELECT);
	sets_exec(psprintf("DROP EXTENSION %s", quote_identifier(psprintf("oltp_sim_%s", set))),
			  SPI_OK_UTILITY);
	SPI_finish();

	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, !readable};

		if (!dropped[t])
			continue;
		values[0] = CStringGetTextDatum(oltp_model[t].name);
		values[1] = Int64GetDatum(held[t]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * The locks of oltp_reset's part of the set schema_changes, in the order
 * a worker's transaction takes them (xact.c): oltp_sim's extension (the
 * lock every add and drop of a set takes first, sets.c), the core tables
 * in the model's order and in the mode oltp_add_tables takes, then the
 * set's extension, ACCESS EXCLUSIVE, as DROP EXTENSION takes it.  A worker
 * in a transaction is waited for, never deadlocked with: it locks the
 * set's extension before the set's tables, so none holds them once this
 * has it.  No value goes into the text: the names are quoted identifiers.
 */
static void
sets_lock_schema_changes(const OltpSchema *schema, Oid setext)
{
	StringInfoData sql;

	LockDatabaseObject(ExtensionRelationId, schema->extoid, 0, ExclusiveLock);
	initStringInfo(&sql);
	appendStringInfoString(&sql, "LOCK TABLE ");
	for (int i = 0, n = 0; i < OLTP_NTABLES; i++)
		if (strcmp(oltp_model[i].set, OLTP_SET_CORE) == 0)
			appendStringInfo(&sql, "%s%s", n++ > 0 ? ", " : "", oltp_schema_qualify(schema, i));
	appendStringInfoString(&sql, " IN SHARE ROW EXCLUSIVE MODE");
	if (SPI_execute(sql.data, false, 0) != SPI_OK_UTILITY)
		elog(ERROR, "could not lock the core tables");
	LockDatabaseObject(ExtensionRelationId, setext, 0, AccessExclusiveLock);
}

/*
 * For oltp_seed and oltp_reset (reset), before their first look at the
 * schema: the tables the stream makes, drops and swaps (the set
 * schema_changes: create_table_preco, drop_table_preco, swap_table_preco,
 * each under the set's extension's SHARE UPDATE EXCLUSIVE lock,
 * op_schema.c) stay as they are until the commit.  A table dropped
 * between finding it and reading it failed the call ("cache lookup
 * failed").  oltp_reset, which drops and creates the set again, takes
 * every lock it will need now, in the workers' order (a lock taken weaker
 * and made stronger later deadlocks with a worker that holds the weaker
 * one and asks for more); oltp_seed takes SHARE, which lets the workers'
 * transactions and the other changes go on: a change that would make or
 * drop a table waits its short lock_timeout and is skipped.
 */
void
oltp_sets_hold_schema_changes(bool reset)
{
	Oid			setext = oltp_schema_set_extension(OLTP_SET_SCHEMA_CHANGES);
	OltpSchema	schema;

	if (!OidIsValid(setext))
		return;
	if (!reset)
	{
		LockDatabaseObject(ExtensionRelationId, setext, 0, ShareLock);
		return;
	}
	oltp_schema_require_extension(&schema);
	sets_lock_schema_changes(&schema, setext);
}

/*
 * oltp_reset's part of the set schema_changes, whose table the stream
 * reshapes (columns added, retyped, renamed; the table swapped) and which
 * gains a table of the stream's making (precos_lote): its extension
 * dropped and created again, so that the set is as oltp_add_tables made it
 * and CALL oltp_run from the same seed replays the same changes.  Its
 * tables go back to the publications that listed them by name.  Its locks
 * are oltp_reset's already (oltp_sets_hold_schema_changes, before the
 * schema was looked at): a worker in a transaction is waited for, never
 * deadlocked with.  No value goes
 * into the text: the names are quoted identifiers.  Here, not in seed.c,
 * which oltp_sim_client compiles too: it takes the extension's locks and
 * drops and creates an extension, which only the server does.
 */
void
oltp_sets_remake_schema_changes(const OltpSchema *schema)
{
	const char *nsp = quote_identifier(schema->nspname);
	const char *ext = quote_identifier("oltp_sim_" OLTP_SET_SCHEMA_CHANGES);
	Oid			argtypes[1] = {OIDOID};
	Datum		args[1] = {ObjectIdGetDatum(schema->nspoid)};
	List	   *pubs = NIL;
	List	   *tables = NIL;
	ListCell   *p;
	ListCell   *t;

	/* its locks: taken already (oltp_sets_hold_schema_changes) */

	/* the set's tables there are, and the publications listing them by name */
	if (SPI_execute_with_args("SELECT p.pubname::pg_catalog.text, c.relname::pg_catalog.text "
							  "FROM pg_catalog.pg_publication_rel r "
							  "JOIN pg_catalog.pg_publication p ON p.oid OPERATOR(pg_catalog.=) r.prpubid "
							  "JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) r.prrelid "
							  "JOIN pg_catalog.pg_depend d ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass "
							  "AND d.objid OPERATOR(pg_catalog.=) c.oid AND d.deptype OPERATOR(pg_catalog.=) 'e' "
							  "JOIN pg_catalog.pg_extension e ON e.oid OPERATOR(pg_catalog.=) d.refobjid "
							  "AND e.extname OPERATOR(pg_catalog.=) 'oltp_sim_" OLTP_SET_SCHEMA_CHANGES "'::pg_catalog.name "
							  "WHERE c.relnamespace OPERATOR(pg_catalog.=) $1 ORDER BY 1, 2",
							  1, argtypes, args, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the publications of the set " OLTP_SET_SCHEMA_CHANGES);
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		int			table = oltp_model_lookup(SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2));

		/* a table the stream makes comes back when the stream makes it */
		if (table < 0 || oltp_model[table].transient)
			continue;
		pubs = lappend(pubs, SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1));
		tables = lappend(tables, (void *) oltp_model[table].name);
	}

	if (SPI_execute(psprintf("DROP EXTENSION %s", ext), false, 0) != SPI_OK_UTILITY ||
		SPI_execute(psprintf("CREATE EXTENSION %s SCHEMA %s", ext, nsp), false, 0) != SPI_OK_UTILITY)
		elog(ERROR, "could not make the set " OLTP_SET_SCHEMA_CHANGES " again");
	forboth(p, pubs, t, tables)
	{
		if (SPI_execute(psprintf("ALTER PUBLICATION %s ADD TABLE %s.%s",
								 quote_identifier((char *) lfirst(p)), nsp,
								 quote_identifier((char *) lfirst(t))), false, 0) != SPI_OK_UTILITY)
			elog(ERROR, "could not publish the set " OLTP_SET_SCHEMA_CHANGES " again");
	}
}
