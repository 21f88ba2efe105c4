/*-------------------------------------------------------------------------
 *
 * schema.c
 *		Finds the extension's schema and tables, and checks that each table
 *		is the extension's own, still has the columns and types oltp_sim
 *		writes, and is controlled by no role a superuser should not trust.
 *
 * Everything that reads or writes the rows (oltp_seed, oltp_reset,
 * oltp_add_tables, oltp_drop_tables, oltp_run, oltp_counts,
 * oltp_checksums, the worker) calls this first, so a table renamed,
 * dropped or altered by hand gives one clear message naming the table and
 * the column, with the way back, instead of an SPI error from deep inside
 * a statement.
 *
 * Nothing found by name is trusted.  An object is the extension's only if
 * it is a member of the extension (pg_depend, deptype 'e'):
 * oltp_schema_is_member() is that one test, for the tables, their
 * sequences, the sets' types and the trigger function alike.  A table of
 * the model's name that is not a member is another role's: a core table's
 * name taken is damage, an opt-in set's means the set is not there.
 *
 * A superuser acting on a table runs with its rights whatever the table
 * carries: its owner's triggers, rules, defaults, CHECK and index
 * expressions (even planning a query evaluates an index predicate).  So
 * when the current user is a superuser, every table must belong to the
 * extension's owner or a superuser, and carry no trigger, rule or
 * row-level security the extension did not make.  Only the catalog is
 * read, once per look: the worker looks again when an invalidation says a
 * table changed, the functions at each call.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/skey.h"
#include "access/table.h"
#include "catalog/dependency.h"
#include "catalog/indexing.h"
#include "catalog/objectaddress.h"
#include "catalog/pg_class.h"
#include "catalog/pg_depend.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_rewrite.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_type.h"
#include "commands/dbcommands.h"
#include "commands/extension.h"
#include "miscadmin.h"
#include "storage/lmgr.h"
#include "storage/lockdefs.h"
#include "lib/stringinfo.h"
#include "nodes/pg_list.h"
#include "utils/builtins.h"
#include "utils/catcache.h"
#include "utils/fmgroids.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/regproc.h"
#include "utils/rel.h"
#include "utils/syscache.h"

#include "compat.h"
#include "model.h"
#include "schema.h"

#define RECREATE_HINT \
	"To recreate the tables (their rows are lost), run DROP EXTENSION oltp_sim CASCADE; then CREATE EXTENSION oltp_sim;."

/* the other way out of every refusal to act as a superuser */
#define NOT_SUPERUSER_HINT \
	"or run the stream and the functions as a role that is not a superuser (oltp_sim.role, with the grants the README lists)"

#define TOUCH_FUNCTION	"oltp_sim_touch_updated_at"

/* a relation changed since the last look (see oltp_schema_changed) */
static bool schema_stale = true;
static bool schema_watching = false;

static void
schema_relcache_callback(Datum arg, Oid relid)
{
	schema_stale = true;
}

/*
 * For a session that acts on the tables over several transactions (CALL
 * oltp_run): from the first call on, any relation invalidation (a trigger
 * created, an owner changed) marks the look taken before it stale, and
 * oltp_schema_changed() says so, so the caller looks again before going on.
 * The callback is registered once per session.
 */
bool
oltp_schema_changed(void)
{
	if (!schema_watching)
	{
		CacheRegisterRelcacheCallback(schema_relcache_callback, (Datum) 0);
		schema_watching = true;
		schema_stale = true;
	}
	return schema_stale;
}

/* the extension's schema (and its name) and owner, from its pg_extension row */
static void
schema_read_extension(OltpSchema *schema)
{
	char	   *nspname;
	Relation	rel;
	SysScanDesc scan;
	HeapTuple	tuple;
	ScanKeyData key;

	rel = table_open(ExtensionRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_extension_oid, BTEqualStrategyNumber, F_OIDEQ,
				ObjectIdGetDatum(schema->extoid));
	scan = systable_beginscan(rel, ExtensionOidIndexId, true, NULL, 1, &key);
	tuple = systable_getnext(scan);
	if (!HeapTupleIsValid(tuple))
		elog(ERROR, "could not find extension %u", schema->extoid);
	schema->nspoid = ((Form_pg_extension) GETSTRUCT(tuple))->extnamespace;
	schema->extowner = ((Form_pg_extension) GETSTRUCT(tuple))->extowner;
	systable_endscan(scan);
	table_close(rel, AccessShareLock);

	nspname = get_namespace_name(schema->nspoid);
	if (nspname == NULL)
		elog(ERROR, "cache lookup failed for namespace %u", schema->nspoid);
	strlcpy(schema->nspname, nspname, sizeof(schema->nspname));
}

/*
 * The extension an opt-in set's objects belong to: oltp_sim_<set>, created
 * by oltp_add_tables in oltp_sim's schema; InvalidOid if it is not
 * installed.
 */
Oid
oltp_schema_set_extension(const char *set)
{
	char		name[NAMEDATALEN];

	snprintf(name, sizeof(name), "oltp_sim_%s", set);
	return get_extension_oid(name, true);
}

/*
 * May an object of set (a table, its sequence, a type) be a member of
 * extension ext: the core set's of oltp_sim, an opt-in set's of that set's
 * own extension, or of oltp_sim still, where 0.2.0 put it until
 * oltp_add_tables moves it (sql/oltp_sim_<set>--0.2.0.sql).
 */
static bool
schema_set_accepts(const OltpSchema *schema, const char *set, Oid ext)
{
	if (!OidIsValid(ext))
		return false;
	if (ext == schema->extoid)
		return true;
	return strcmp(set, OLTP_SET_CORE) != 0 && ext == oltp_schema_set_extension(set);
}

/*
 * Is the object the extension's: a member (pg_depend, deptype 'e') of
 * oltp_sim or of one of its sets' extensions.  The one test of every
 * object oltp_sim finds by name; a table is further checked to be a
 * member of its own set's extension (schema_lookup).
 */
bool
oltp_schema_is_member(const OltpSchema *schema, Oid classid, Oid objid)
{
	Oid			ext = getExtensionOfObject(classid, objid);

	char	   *name;

	if (!OidIsValid(ext))
		return false;
	if (ext == schema->extoid)
		return true;
	/* oltp_sim_<set>, for an opt-in set of the model */
	name = get_extension_name(ext);
	return name != NULL && strncmp(name, "oltp_sim_", 9) == 0 &&
		strcmp(name + 9, OLTP_SET_CORE) != 0 && oltp_model_set_exists(name + 9);
}

/* the member type called name in the extension's schema, or InvalidOid */
Oid
oltp_schema_member_type(const OltpSchema *schema, const char *name)
{
	Oid			typid = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
										CStringGetDatum(name),
										ObjectIdGetDatum(schema->nspoid));

	if (!OidIsValid(typid) || !oltp_schema_is_member(schema, TypeRelationId, typid))
		return InvalidOid;
	return typid;
}

/*
 * The OID a column of the model must have: a set's own type (an enum, a
 * domain) is the member of that name in the extension's schema, InvalidOid
 * if there is none (the column then has the wrong type, and says so).
 */
static Oid
schema_column_type(const OltpSchema *schema, const OltpColumnDef *col)
{
	if (col->typname == NULL)
		return col->type;
	return oltp_schema_member_type(schema, col->typname);
}

static char *
schema_role_name(Oid roleid)
{
	return GetUserNameFromId(roleid, false);
}

/* the owner of a relation, type or function */
static Oid
schema_owner(Oid classid, Oid objid)
{
	int			cacheid = get_object_catcache_oid(classid);
	HeapTuple	tuple = SearchSysCache1(cacheid, ObjectIdGetDatum(objid));
	bool		isnull;
	Oid			owner;

	if (!HeapTupleIsValid(tuple))
		elog(ERROR, "cache lookup failed for object %u of class %u", objid, classid);
	owner = DatumGetObjectId(SysCacheGetAttr(cacheid, tuple,
											 get_object_attnum_owner(classid), &isnull));
	ReleaseSysCache(tuple);
	return owner;
}

static bool
schema_say(OltpSchemaProblem *problem, int sqlerrcode, const char *message,
		   const char *detail, const char *hint)
{
	problem->sqlerrcode = sqlerrcode;
	problem->message = message;
	problem->detail = detail;
	problem->hint = hint;
	return false;
}

static bool
schema_problem(OltpSchemaProblem *problem, int sqlerrcode, const char *hint,
			   const char *fmt,...) pg_attribute_printf(4, 5);

/* a table changed by hand: problem->message says so already */
static bool
schema_problem(OltpSchemaProblem *problem, int sqlerrcode, const char *hint,
			   const char *fmt,...)
{
	StringInfoData detail;

	/* the format is translated, then filled in: elog.c's way */
	initStringInfo(&detail);
	for (;;)
	{
		va_list		args;
		int			needed;

		va_start(args, fmt);
		needed = appendStringInfoVA(&detail, _(fmt), args);
		va_end(args);
		if (needed == 0)
			break;
		enlargeStringInfo(&detail, needed);
	}
	problem->sqlerrcode = sqlerrcode;
	problem->detail = detail.data;
	problem->hint = _(hint);
	return false;
}

/*
 * The extension's owner and the superusers are the roles a superuser may
 * act for: no other role can attach anything to what they own.
 */
static bool
schema_trusted_role(const OltpSchema *schema, Oid roleid)
{
	return roleid == schema->extowner || superuser_arg(roleid);
}

/*
 * A trigger the extension made: the table's BEFORE UPDATE FOR EACH ROW
 * trigger <table>_updated_at on the member function, with no WHEN
 * condition, argument or column list; or an internal trigger on a
 * pg_catalog function (those of the foreign keys, whose checks and
 * actions run as the owner of the table they query).
 */
static bool
schema_own_trigger(const OltpSchema *schema, OltpTable table, HeapTuple tuple,
				   TupleDesc desc)
{
	Form_pg_trigger trig = (Form_pg_trigger) GETSTRUCT(tuple);
	char		name[NAMEDATALEN];

	if (trig->tgisinternal)
		return get_func_namespace(trig->tgfoid) == PG_CATALOG_NAMESPACE;
	snprintf(name, sizeof(name), "%s_updated_at", oltp_model[table].name);
	return strcmp(NameStr(trig->tgname), name) == 0 &&
		trig->tgfoid == schema->touch_fn &&
		trig->tgtype == (TRIGGER_TYPE_ROW | TRIGGER_TYPE_BEFORE | TRIGGER_TYPE_UPDATE) &&
		trig->tgnargs == 0 && trig->tgattr.dim1 == 0 &&
		heap_attisnull(tuple, Anum_pg_trigger_tgqual, desc);
}

/* the first trigger of the table the extension did not make, or NULL */
static char *
schema_foreign_trigger(const OltpSchema *schema, OltpTable table, Oid *fn)
{
	Relation	rel = table_open(TriggerRelationId, AccessShareLock);
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tuple;
	char	   *found = NULL;

	ScanKeyInit(&key, Anum_pg_trigger_tgrelid, BTEqualStrategyNumber, F_OIDEQ,
				ObjectIdGetDatum(schema->relids[table]));
	scan = systable_beginscan(rel, TriggerRelidNameIndexId, true, NULL, 1, &key);
	while (found == NULL && HeapTupleIsValid(tuple = systable_getnext(scan)))
	{
		if (schema_own_trigger(schema, table, tuple, RelationGetDescr(rel)))
			continue;
		found = pstrdup(NameStr(((Form_pg_trigger) GETSTRUCT(tuple))->tgname));
		*fn = ((Form_pg_trigger) GETSTRUCT(tuple))->tgfoid;
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return found;
}

/* the first rule of the table (the extension makes none), or NULL */
static char *
schema_first_rule(Oid relid)
{
	Relation	rel = table_open(RewriteRelationId, AccessShareLock);
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tuple;
	char	   *found = NULL;

	ScanKeyInit(&key, Anum_pg_rewrite_ev_class, BTEqualStrategyNumber, F_OIDEQ,
				ObjectIdGetDatum(relid));
	scan = systable_beginscan(rel, RewriteRelRulenameIndexId, true, NULL, 1, &key);
	tuple = systable_getnext(scan);
	if (HeapTupleIsValid(tuple))
		found = pstrdup(NameStr(((Form_pg_rewrite) GETSTRUCT(tuple))->rulename));
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return found;
}

/* refuse to act as a superuser on what: one of the refusals below */
static bool
schema_refuse(OltpSchemaProblem *problem, const char *what, const char *why,
			  const char *detail, const char *hint)
{
	return schema_say(problem, ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
					  psprintf(_("oltp_sim will not run as a superuser on %s: %s"), what, why),
					  detail, psprintf("%s, %s.", hint, _(NOT_SUPERUSER_HINT)));
}

/*
 * No function of another role's shares a name with fn, a function of the
 * set's extension ext, in the extension's schema.  The stream calls the
 * sets' functions by name (the partitions set's operations, and its
 * functions one another), and a second function of the name, an overload
 * with defaults, makes every such call ambiguous: the call fails, or with
 * the right argument types would run the other role's function.
 */
static bool
schema_function_alone(const OltpSchema *schema, Oid ext, Oid fn, OltpSchemaProblem *problem)
{
	char	   *name = get_func_name(fn);
	CatCList   *list;
	Oid			other = InvalidOid;
	char	   *theirs;

	if (name == NULL || get_func_namespace(fn) != schema->nspoid)
		return true;
	list = SearchSysCacheList1(PROCNAMEARGSNSP, CStringGetDatum(name));
	for (int i = 0; i < list->n_members && !OidIsValid(other); i++)
	{
		Form_pg_proc proc = (Form_pg_proc) GETSTRUCT(&list->members[i]->tuple);

		if (proc->pronamespace == schema->nspoid &&
			!oltp_schema_is_member(schema, ProcedureRelationId, proc->oid))
			other = proc->oid;
	}
	ReleaseSysCacheList(list);
	if (!OidIsValid(other))
		return true;
	theirs = format_procedure_qualified(other);
	return schema_say(problem, ERRCODE_AMBIGUOUS_FUNCTION,
					  psprintf(_("function %s shares its name with a function of extension \"%s\""),
							   theirs, get_extension_name(ext)),
					  psprintf(_("It belongs to role \"%s\". The stream calls %s by name, and with both in schema \"%s\" the call is ambiguous."),
							   schema_role_name(schema_owner(ProcedureRelationId, other)),
							   format_procedure_qualified(fn), schema->nspname),
					  psprintf(_("Drop it (DROP FUNCTION %s;) or move it to another schema; the stream goes on once it is gone."),
							   theirs));
}

/* schema_function_alone for every function of each set's extension added */
static bool
schema_check_overloads(const OltpSchema *schema, OltpSchemaProblem *problem)
{
	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		Oid			ext = schema->tableext[t];
		bool		seen = false;
		Relation	rel;
		ScanKeyData key[2];
		SysScanDesc scan;
		HeapTuple	tuple;
		bool		ok = true;

		if (!schema->present[t] || !OidIsValid(ext) || ext == schema->extoid)
			continue;
		for (int u = 0; u < t; u++)
			if (schema->present[u] && schema->tableext[u] == ext)
				seen = true;
		if (seen)
			continue;

		rel = table_open(DependRelationId, AccessShareLock);
		ScanKeyInit(&key[0], Anum_pg_depend_refclassid, BTEqualStrategyNumber, F_OIDEQ,
					ObjectIdGetDatum(ExtensionRelationId));
		ScanKeyInit(&key[1], Anum_pg_depend_refobjid, BTEqualStrategyNumber, F_OIDEQ,
					ObjectIdGetDatum(ext));
		scan = systable_beginscan(rel, DependReferenceIndexId, true, NULL, 2, key);
		while (ok && HeapTupleIsValid(tuple = systable_getnext(scan)))
		{
			Form_pg_depend dep = (Form_pg_depend) GETSTRUCT(tuple);

			if (dep->classid == ProcedureRelationId && dep->deptype == DEPENDENCY_EXTENSION)
				ok = schema_function_alone(schema, ext, dep->objid, problem);
		}
		systable_endscan(scan);
		table_close(rel, AccessShareLock);
		if (!ok)
			return false;
	}
	return true;
}

/*
 * For a superuser: every present table belongs to a trusted role and
 * carries nothing the extension did not make; so do the sets' types and
 * the trigger function the tables run.
 */
static bool
schema_check_control(const OltpSchema *schema, OltpSchemaProblem *problem)
{
	char	   *me = schema_role_name(GetUserId());
	Oid			owner;

	owner = schema_owner(ProcedureRelationId, schema->touch_fn);
	if (!schema_trusted_role(schema, owner))
	{
		char	   *fn = format_procedure_qualified(schema->touch_fn);

		return schema_refuse(problem, psprintf(_("function %s"), fn),
							 psprintf(_("it belongs to role \"%s\""), schema_role_name(owner)),
							 psprintf(_("Role \"%s\" may change what the function does, and every table's trigger runs it with the rights of superuser \"%s\"."),
									  schema_role_name(owner), me),
							 psprintf(_("Give it back (ALTER FUNCTION %s OWNER TO %s;)"), fn,
									  quote_identifier(schema_role_name(schema->extowner))));
	}

	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		const OltpTableDef *def = &oltp_model[t];
		char	   *name;
		char	   *qualified;
		HeapTuple	tuple;
		Form_pg_class form;
		bool		hasrules;
		bool		rls;
		char	   *trigger;
		char	   *rule;
		Oid			fn = InvalidOid;

		if (!schema->present[t])
			continue;
		name = psprintf(_("table \"%s.%s\""), schema->nspname, def->name);
		qualified = oltp_schema_qualify(schema, t);
		tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(schema->relids[t]));
		if (!HeapTupleIsValid(tuple))
			elog(ERROR, "cache lookup failed for relation %u", schema->relids[t]);
		form = (Form_pg_class) GETSTRUCT(tuple);
		owner = form->relowner;
		hasrules = form->relhasrules;
		rls = form->relrowsecurity || form->relforcerowsecurity;
		ReleaseSysCache(tuple);

		if (!schema_trusted_role(schema, owner))
			return schema_refuse(problem, name,
								 psprintf(_("it belongs to role \"%s\""), schema_role_name(owner)),
								 psprintf(_("Role \"%s\" may attach triggers, rules, defaults and index expressions to it, which would run with the rights of superuser \"%s\"."),
										  schema_role_name(owner), me),
								 psprintf(_("Give it back (ALTER TABLE %s OWNER TO %s;) and grant the writing role what it needs instead"),
										  qualified, quote_identifier(schema_role_name(schema->extowner))));
		trigger = schema_foreign_trigger(schema, t, &fn);
		if (trigger != NULL)
			return schema_refuse(problem, name,
								 psprintf(_("it has trigger \"%s\", which the extension did not create"), trigger),
								 psprintf(_("Its function %s would run with the rights of superuser \"%s\"."),
										  format_procedure_qualified(fn), me),
								 psprintf(_("Drop the trigger (DROP TRIGGER %s ON %s;)"),
										  quote_identifier(trigger), qualified));
		rule = hasrules ? schema_first_rule(schema->relids[t]) : NULL;
		if (rule != NULL)
			return schema_refuse(problem, name,
								 psprintf(_("it has rule \"%s\", which the extension did not create"), rule),
								 psprintf(_("The rule's actions would run with the rights of superuser \"%s\"."), me),
								 psprintf(_("Drop the rule (DROP RULE %s ON %s;)"),
										  quote_identifier(rule), qualified));
		if (rls)
			return schema_refuse(problem, name,
								 "it has row-level security, which the extension did not enable",
								 psprintf(_("The table's policies are not the extension's, and superuser \"%s\" would bypass them."), me),
								 psprintf(_("Disable it (ALTER TABLE %s DISABLE ROW LEVEL SECURITY, NO FORCE ROW LEVEL SECURITY;)"),
										  qualified));

		/* the sets' types: their owner could add a CHECK that runs on every row */
		for (int c = 0; c < OLTP_MAX_COLUMNS && def->columns[c].name; c++)
		{
			const char *typname = def->columns[c].typname;
			Oid			typid;

			if (typname == NULL)
				continue;
			typid = oltp_schema_member_type(schema, typname);
			owner = schema_owner(TypeRelationId, typid);
			if (!schema_trusted_role(schema, owner))
			{
				bool		domain = get_typtype(typid) == TYPTYPE_DOMAIN;

				return schema_refuse(problem,
									 psprintf(_("%s \"%s.%s\""), domain ? "domain" : "type",
											  schema->nspname, typname),
									 psprintf(_("it belongs to role \"%s\""), schema_role_name(owner)),
									 psprintf(_("Role \"%s\" may add constraints to it, whose functions would run with the rights of superuser \"%s\"."),
											  schema_role_name(owner), me),
									 psprintf(_("Give it back (ALTER %s %s OWNER TO %s;)"),
											  domain ? "DOMAIN" : "TYPE",
											  quote_qualified_identifier(schema->nspname, typname),
											  quote_identifier(schema_role_name(schema->extowner))));
			}
		}
	}
	return true;
}

/* "... is missing." or "... is another role's." for a member expected */
static const char *
schema_not_ours(const OltpSchema *schema, const char *what, Oid owner)
{
	if (!OidIsValid(owner))
		return psprintf(_("%s is missing."), what);
	return psprintf(_("%s is not a member of extension \"oltp_sim\": it belongs to role \"%s\". Rename or drop it first."),
					what, schema_role_name(owner));
}

/*
 * Fill *schema for the current database.  Returns false, with *problem
 * describing it, if the extension is missing, a table is not its own or
 * no longer matches, or (rows) the current user is a superuser and a role
 * it should not act for controls a table.  Must run inside a transaction.
 */
static bool
schema_lookup(OltpSchema *schema, bool rows, OltpSchemaProblem *problem)
{
	oidvector  *noargs = buildoidvector(NULL, 0);
	Oid			fn;

	memset(schema, 0, sizeof(*schema));
	schema_stale = false;
	schema->extoid = get_extension_oid("oltp_sim", true);
	if (!OidIsValid(schema->extoid))
	{
		problem->message = psprintf(_("extension \"oltp_sim\" is not installed in database \"%s\""),
									get_database_name(MyDatabaseId));
		return schema_problem(problem, ERRCODE_UNDEFINED_OBJECT,
							  "Run CREATE EXTENSION oltp_sim; in this database.",
							  "The hospital tables are created by the extension.");
	}
	schema_read_extension(schema);

	problem->message = psprintf(_("the tables of extension \"oltp_sim\" in schema \"%s\" were changed by hand"),
								schema->nspname);

	/* every table's updated_at trigger runs it */
	fn = GetSysCacheOid3(PROCNAMEARGSNSP, Anum_pg_proc_oid, CStringGetDatum(TOUCH_FUNCTION),
						 PointerGetDatum(noargs), ObjectIdGetDatum(schema->nspoid));
	if (!OidIsValid(fn) || !oltp_schema_is_member(schema, ProcedureRelationId, fn))
		return schema_problem(problem, ERRCODE_UNDEFINED_FUNCTION, RECREATE_HINT, "%s",
							  schema_not_ours(schema,
											  psprintf(_("Function \"%s.%s()\""), schema->nspname, TOUCH_FUNCTION),
											  OidIsValid(fn) ? schema_owner(ProcedureRelationId, fn) : InvalidOid));
	schema->touch_fn = fn;

	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		const OltpTableDef *def = &oltp_model[t];
		const char *relname = def->name;
		bool		core = strcmp(def->set, OLTP_SET_CORE) == 0;
		Oid			relid = get_relname_relid(relname, schema->nspoid);
		List	   *seqs;
		Oid			seqid;

		/*
		 * Another role's table of the name is no table of ours: a core
		 * table's name taken is damage, an opt-in set's means the set is
		 * not added (oltp_add_tables then refuses to create over it).
		 */
		if (OidIsValid(relid) &&
			!schema_set_accepts(schema, def->set,
								getExtensionOfObject(RelationRelationId, relid)))
		{
			if (!core)
				continue;
			return schema_problem(problem, ERRCODE_WRONG_OBJECT_TYPE, RECREATE_HINT, "%s",
								  schema_not_ours(schema,
												  psprintf(_("Table \"%s.%s\""), schema->nspname, relname),
												  schema_owner(RelationRelationId, relid)));
		}
		if (!OidIsValid(relid) ||
			get_rel_relkind(relid) != (def->partitioned_by ? RELKIND_PARTITIONED_TABLE : RELKIND_RELATION))
		{
			/*
			 * A table of an opt-in set is there only once its set was added:
			 * its absence is a state, not damage.  A core table missing is.
			 */
			if (!OidIsValid(relid) && !core)
				continue;
			return schema_problem(problem, ERRCODE_UNDEFINED_TABLE, RECREATE_HINT,
								  "Table \"%s.%s\" is missing.",
								  schema->nspname, relname);
		}
		schema->relids[t] = relid;
		schema->tableext[t] = getExtensionOfObject(RelationRelationId, relid);

		for (int c = 0; c < OLTP_MAX_COLUMNS && def->columns[c].name; c++)
		{
			const OltpColumnDef *col = &def->columns[c];
			AttrNumber	attnum = get_attnum(relid, col->name);
			Oid			type;
			int32		typmod;
			Oid			collation;

			if (attnum == InvalidAttrNumber)
				return schema_problem(problem, ERRCODE_UNDEFINED_COLUMN, RECREATE_HINT,
									  "Column \"%s\" of table \"%s.%s\" is missing.",
									  col->name, schema->nspname, relname);
			get_atttypetypmodcoll(relid, attnum, &type, &typmod, &collation);
			if (type != schema_column_type(schema, col) ||
				(col->typmod >= 0 && typmod != col->typmod))
				return schema_problem(problem, ERRCODE_DATATYPE_MISMATCH, RECREATE_HINT,
									  "Column \"%s\" of table \"%s.%s\" has type %s, expected %s.",
									  col->name, schema->nspname, relname,
									  format_type_with_typemod(type, typmod),
									  oltp_model_column_type(col));
		}

		/* the stream draws natural keys from it: it must still be owned */
		if (def->sequence == NULL)
		{
			schema->present[t] = true;
			continue;
		}
		seqs = getOwnedSequences(relid);
		if (seqs == NIL)
			return schema_problem(problem, ERRCODE_UNDEFINED_OBJECT, RECREATE_HINT,
								  "Column \"%s\" of table \"%s.%s\" no longer has its sequence.",
								  def->primary_key, schema->nspname, relname);
		seqid = linitial_oid(seqs);
		if (!schema_set_accepts(schema, def->set,
								getExtensionOfObject(RelationRelationId, seqid)))
			return schema_problem(problem, ERRCODE_WRONG_OBJECT_TYPE, RECREATE_HINT, "%s",
								  schema_not_ours(schema,
												  psprintf(_("Sequence \"%s.%s\" of table \"%s.%s\""),
														   schema->nspname, get_rel_name(seqid),
														   schema->nspname, relname),
												  schema_owner(RelationRelationId, seqid)));
		schema->seqids[t] = seqid;
		schema->present[t] = true;
	}

	if (!schema_check_overloads(schema, problem))
		return false;
	if (rows && superuser())
		return schema_check_control(schema, problem);
	return true;
}

bool
oltp_schema_lookup(OltpSchema *schema, OltpSchemaProblem *problem)
{
	return schema_lookup(schema, true, problem);
}

static void
schema_raise(const OltpSchemaProblem *problem)
{
	ereport(ERROR,
			(errcode(problem->sqlerrcode),
			 errmsg_internal("%s", problem->message),
			 problem->detail ? errdetail_internal("%s", problem->detail) : 0,
			 problem->hint ? errhint("%s", problem->hint) : 0));
}

/* oltp_schema_lookup for SQL functions: a problem is an ERROR */
void
oltp_schema_require(OltpSchema *schema)
{
	OltpSchemaProblem problem;

	if (!schema_lookup(schema, true, &problem))
		schema_raise(&problem);
}

/*
 * For what alters or publishes the tables without reading or writing
 * their rows (ALTER TABLE ... REPLICA IDENTITY, ALTER PUBLICATION run no
 * code of the table's): the tables must be the extension's, whoever
 * controls them.
 */
void
oltp_schema_require_members(OltpSchema *schema)
{
	OltpSchemaProblem problem;

	if (!schema_lookup(schema, false, &problem))
		schema_raise(&problem);
}

/*
 * Only the extension, its owner and its schema, for what must act even on
 * tables changed by hand (oltp_drop_tables): an error if it is not
 * installed.
 */
void
oltp_schema_require_extension(OltpSchema *schema)
{
	memset(schema, 0, sizeof(*schema));
	schema->extoid = get_extension_oid("oltp_sim", false);
	schema_read_extension(schema);
}

/*
 * Before the extension creates an object called name in its schema (a
 * relation; as_type: a table or type, which takes the name among the
 * types too): an object of that name there already is an error naming it,
 * its owner and the way out.  Created over it, the object would fail or
 * take another name; reused, it would be adopted.
 */
void
oltp_schema_claim_name(const OltpSchema *schema, const char *name, bool as_type,
					   const char *caller)
{
	ObjectAddress found;
	Oid			owner;

	found.objectSubId = 0;
	found.objectId = get_relname_relid(name, schema->nspoid);
	found.classId = RelationRelationId;
	if (OidIsValid(found.objectId))
		owner = schema_owner(RelationRelationId, found.objectId);
	else if (as_type &&
			 OidIsValid(found.objectId = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
														 CStringGetDatum(name),
														 ObjectIdGetDatum(schema->nspoid))))
	{
		found.classId = TypeRelationId;
		owner = schema_owner(TypeRelationId, found.objectId);
	}
	else
		return;

	if (oltp_schema_is_member(schema, found.classId, found.objectId))
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_OBJECT),
				 errmsg("%s exists already", getObjectDescription(&found, false)),
				 errdetail("It is a member of extension \"oltp_sim\" that no table of the set accounts for."),
				 errhint("%s", RECREATE_HINT)));
	ereport(ERROR,
			(errcode(ERRCODE_DUPLICATE_OBJECT),
			 errmsg("%s exists already and is not oltp_sim's", getObjectDescription(&found, false)),
			 errdetail("It belongs to role \"%s\". %s creates the objects it uses and uses none it did not create.",
					   schema_role_name(owner), caller),
			 errhint("Rename or drop it (or create the extension in a schema of its own), then call %s again.",
					 caller)));
}

/* "schema"."table", quoted as needed, palloc'd in the current context */
char *
oltp_schema_qualify(const OltpSchema *schema, OltpTable table)
{
	return quote_qualified_identifier(schema->nspname, oltp_model[table].name);
}

/*
 * The tables of the model a reader will read (wanted[t]), locked (ACCESS
 * SHARE, as its read will take), in the model's order, before the
 * schema is looked at: the stream swaps precos for a new table and drops
 * precos_lote (op_schema.c), and a table found unlocked could be gone by
 * the time it is read.  Locked, a table dropped or renamed meanwhile is
 * looked up again once the change commits, and the one found stays until
 * the end of the transaction (oltp_checksums).  Only those it reads: a
 * silent schema change announces precos's checksum while it holds precos,
 * and locking the other tables there too would take them out of the
 * model's order, against oltp_reset taking them in it (a deadlock).  A
 * relation of a table's name that is not the extension's is never locked:
 * another role holding it would stall the reader, which reads only the
 * extension's tables anyway.
 */
void
oltp_schema_lock_tables(const bool *wanted)
{
	OltpSchema	schema;

	oltp_schema_require_extension(&schema);
	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		const char *name = oltp_model[t].name;
		Oid			relid;

		if (!wanted[t])
			continue;
		for (;;)
		{
			relid = get_relname_relid(name, schema.nspoid);
			if (!OidIsValid(relid) || !oltp_schema_is_member(&schema, RelationRelationId, relid))
				break;
			/* taking the lock accepts what committed meanwhile */
			LockRelationOid(relid, AccessShareLock);
			if (get_relname_relid(name, schema.nspoid) == relid)
				break;
			UnlockRelationOid(relid, AccessShareLock);
		}
	}
}
