/*-------------------------------------------------------------------------
 *
 * tables.c
 *		The tables as the client finds them: schema.h's lookup and naming,
 *		for the engine's files, in the schema --schema names instead of the
 *		extension's, and publication.h's, which the client does at init.
 *
 * The server's schema.c checks that every table is a member of the
 * extension; without an extension the client takes the tables it finds
 * in its schema, as the role that owns them.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/table.h"
#include "nodes/pg_list.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "backend.h"
#include "client.h"
#include "compat.h"
#include "announce.h"
#include "checksum.h"
#include "init.h"
#include "publication.h"
#include "seed.h"
#include "schema.h"

const char *client_schema_name = "public";
const char *client_scripts_dir = OLTP_SIM_SCRIPTS;

/*
 * The tables of the model in the client's schema, and their id sequences:
 * what oltp_schema_require finds for the extension.  A core table missing
 * is an error; a table of an opt-in set missing means the set is not there.
 * Looked up once per connection: the client sees no invalidations
 * (oltp_schema_changed), and a stream calls oltp_run once a transaction.
 */
static OltpSchema tables_found;
static bool tables_known = false;
static bool tables_changed = false;

void
oltp_schema_require(OltpSchema *schema)
{
	const char *nspname = client_schema_name;

	if (tables_known)
	{
		*schema = tables_found;
		return;
	}

	memset(schema, 0, sizeof(*schema));
	strlcpy(schema->nspname, nspname, sizeof(schema->nspname));
	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		const OltpTableDef *def = &oltp_model[t];
		const char *values[3] = {nspname, def->name, def->sequence};
		PGresult   *res;

		res = client_query("SELECT c.oid, "
						   "(SELECT s.oid FROM pg_catalog.pg_class s "
						   "WHERE s.relname OPERATOR(pg_catalog.=) $3 "
						   "AND s.relnamespace OPERATOR(pg_catalog.=) n.oid "
						   "AND s.relkind OPERATOR(pg_catalog.=) 'S') "
						   "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
						   "ON n.oid OPERATOR(pg_catalog.=) c.relnamespace "
						   "WHERE n.nspname OPERATOR(pg_catalog.=) $1 "
						   "AND c.relname OPERATOR(pg_catalog.=) $2 "
						   "AND c.relkind OPERATOR(pg_catalog.=) ANY ('{r,p}'::pg_catalog.\"char\"[])",
						   3, values);
		if (PQntuples(res) == 0)
		{
			PQclear(res);
			if (strcmp(def->set, OLTP_SET_CORE) == 0)
				ereport(ERROR,
						(errcode(ERRCODE_UNDEFINED_TABLE),
						 errmsg("table \"%s.%s\" is missing", nspname, def->name),
						 errhint("Create them with %s init.", client_progname)));
			continue;
		}
		schema->relids[t] = (Oid) strtoul(PQgetvalue(res, 0, 0), NULL, 10);
		if (def->sequence && !PQgetisnull(res, 0, 1))
			schema->seqids[t] = (Oid) strtoul(PQgetvalue(res, 0, 1), NULL, 10);
		schema->present[t] = true;
		PQclear(res);
	}
	tables_found = *schema;
	tables_known = true;
}

char *
oltp_schema_qualify(const OltpSchema *schema, OltpTable table)
{
	return psprintf("%s.%s", quote_identifier(schema->nspname),
					quote_identifier(oltp_model[table].name));
}

/*
 * announce.h's: the table as the client finds it in its schema, and
 * whether the role may write the message (pg_logical_emit_message), asked
 * once a connection; a role that may not announces nothing, said once in
 * a line, as the watermarks are.  The history is the table the client
 * creates at init from the extension's own statement.
 */
static int	announce_may = -1;

bool
oltp_announce_open(OltpSchema *schema, OltpTable table, Oid *relid)
{
	/* the table as the change left it (a swap gives precos a new OID) */
	tables_known = false;
	tables_changed = true;
	oltp_schema_require(schema);
	if (!schema->present[table])
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("table \"%s.%s\" is missing", schema->nspname, oltp_model[table].name),
				 errhint("Create it with %s init --sets %s.", client_progname,
						 oltp_model[table].set)));
	*relid = schema->relids[table];
	if (announce_may < 0)
	{
		PGresult   *res = client_query("SELECT pg_catalog.has_function_privilege("
									   "'pg_catalog.pg_logical_emit_message(pg_catalog.bool, pg_catalog.text, pg_catalog.text)', "
									   "'EXECUTE')", 0, NULL);

		announce_may = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
		PQclear(res);
		if (!announce_may)
			printf("note: no announcements of schema and partition changes: role %s may not call pg_logical_emit_message\n",
				   PQuser(client_conn));
	}
	return announce_may;
}

/*
 * announce.h's: the table's checksum by checksum.c's statement, with the
 * settings oltp_checksums() pins (its SET clauses in the install script),
 * set in a savepoint rolled back after it, so that the stream's session
 * keeps its own
 */
char *
oltp_announce_checksum(const OltpSchema *schema, OltpTable table)
{
	char	   *sql = psprintf("SELECT " OLTP_ANNOUNCE_CHECKSUM_OBJECT "::pg_catalog.text FROM (%s) c(row_count, digest)",
							   oltp_checksum_table_sql(schema, table, NULL, 0));
	PGresult   *res;
	char	   *checksum;

	client_command("SAVEPOINT oltp_sim_checksum");
	client_function_settings(client_scripts_dir, "oltp_sim", "oltp_checksums");
	res = client_query(sql, 0, NULL);
	checksum = pstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	client_command("ROLLBACK TO SAVEPOINT oltp_sim_checksum");
	client_command("RELEASE SAVEPOINT oltp_sim_checksum");
	return checksum;
}

/*
 * seed.h's: the server locks the set's extension here, against a stream
 * making or dropping its tables while oltp_seed and oltp_reset look at
 * them.  A client has no extension to lock, and its changes take none: a
 * reset run while another client streams under the profile
 * schema_changes can still meet a table dropped under it, and fails.
 */
void
oltp_sets_hold_schema_changes(bool reset)
{
}

/*
 * seed.h's: oltp_reset makes the set schema_changes again, as it was
 * created, whatever the stream did to its table.  The server drops and
 * creates the set's extension; the client drops what init made of the
 * set's script (client_drop_extension) and the tables the stream makes,
 * and runs the script's statements again, then gives the publications
 * that listed a table of the set by name the new one.
 */
void
oltp_sets_remake_schema_changes(const OltpSchema *schema)
{
	const char *ext = "oltp_sim_" OLTP_SET_SCHEMA_CHANGES;
	List	   *readd = NIL;
	ListCell   *lc;

	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		char		oid[16];
		const char *values[1] = {oid};
		PGresult   *res;

		if (strcmp(oltp_model[t].set, OLTP_SET_SCHEMA_CHANGES) != 0 || !schema->present[t] ||
			oltp_model[t].transient)
			continue;
		snprintf(oid, sizeof(oid), "%u", schema->relids[t]);
		res = client_query("SELECT p.pubname FROM pg_catalog.pg_publication p "
						   "JOIN pg_catalog.pg_publication_rel r ON r.prpubid OPERATOR(pg_catalog.=) p.oid "
						   "WHERE r.prrelid OPERATOR(pg_catalog.=) $1::pg_catalog.oid ORDER BY 1",
						   1, values);
		for (int i = 0; i < PQntuples(res); i++)
			readd = lappend(readd, psprintf(OLTP_PUBLICATION_ADD_TABLE,
											quote_identifier(PQgetvalue(res, i, 0)),
											oltp_schema_qualify(schema, t)));
		PQclear(res);
	}
	for (int t = 0; t < OLTP_NTABLES; t++)
		if (strcmp(oltp_model[t].set, OLTP_SET_SCHEMA_CHANGES) == 0 && oltp_model[t].transient &&
			schema->present[t])
			client_command(psprintf("DROP TABLE %s", oltp_schema_qualify(schema, t)));
	client_drop_extension(client_scripts_dir, ext, schema->nspname);
	client_init_extension(client_scripts_dir, ext, schema->nspname);
	foreach(lc, readd)
		client_command((char *) lfirst(lc));
	tables_known = false;
}

/*
 * schema.h's: the tables of the model there are, locked (ACCESS SHARE)
 * before oltp_checksums looks at them, so that a stream's swap of precos
 * or drop of precos_lote waits for the checksum, as on the server
 */
void
oltp_schema_lock_tables(const bool *wanted)
{
	OltpSchema	schema;
	StringInfoData sql;

	tables_known = false;
	oltp_schema_require(&schema);
	initStringInfo(&sql);
	for (int t = 0; t < OLTP_NTABLES; t++)
		if (wanted[t] && schema.present[t])
			appendStringInfo(&sql, "%s%s", sql.len == 0 ? "LOCK TABLE " : ", ",
							 oltp_schema_qualify(&schema, t));
	if (sql.len > 0)
	{
		appendStringInfoString(&sql, " IN ACCESS SHARE MODE");
		client_command(sql.data);
	}
}

/*
 * schema.h's: the server's invalidations tell it a table changed; the
 * client knows of the changes it made itself, each announced (a table
 * swapped, made or dropped), and finds the tables again after one
 */
bool
oltp_schema_changed(void)
{
	bool		changed = tables_changed;

	tables_changed = false;
	if (changed)
		tables_known = false;
	return changed;
}

/* the client makes its publication at init (--publication), or none */
void
oltp_publication_ensure(const OltpSchema *schema, const char *caller)
{
}

/*
 * A table's columns as checksum.c reads them from the relation cache: the
 * name and whether it was dropped of each attribute, in attnum order.
 */
Relation
table_open(Oid relationId, LOCKMODE lockmode)
{
	char		oid[16];
	const char *values[1] = {oid};
	PGresult   *res;
	int			n;
	Relation	rel;

	snprintf(oid, sizeof(oid), "%u", relationId);
	res = client_query("SELECT attname, attisdropped FROM pg_catalog.pg_attribute "
					   "WHERE attrelid OPERATOR(pg_catalog.=) $1::pg_catalog.oid "
					   "AND attnum OPERATOR(pg_catalog.>) 0 ORDER BY attnum",
					   1, values);
	n = PQntuples(res);
	rel = palloc0(sizeof(RelationData));
	rel->rd_id = relationId;
	rel->rd_att = palloc0(OLTP_TUPLEDESC_SIZE(Max(n, 1)));
	rel->rd_att->natts = n;
	for (int i = 0; i < n; i++)
	{
		Form_pg_attribute att = TupleDescAttr(rel->rd_att, i);

		strlcpy(NameStr(att->attname), PQgetvalue(res, i, 0), NAMEDATALEN);
		att->attisdropped = PQgetvalue(res, i, 1)[0] == 't';
	}
	PQclear(res);
	return rel;
}

void
table_close(Relation relation, LOCKMODE lockmode)
{
}

AttrNumber
get_attnum(Oid relid, const char *attname)
{
	char		oid[16];
	const char *values[2] = {oid, attname};
	PGresult   *res;
	AttrNumber	attnum = InvalidAttrNumber;

	snprintf(oid, sizeof(oid), "%u", relid);
	res = client_query("SELECT attnum FROM pg_catalog.pg_attribute "
					   "WHERE attrelid OPERATOR(pg_catalog.=) $1::pg_catalog.oid "
					   "AND attname OPERATOR(pg_catalog.=) $2 AND NOT attisdropped",
					   2, values);
	if (PQntuples(res) == 1)
		attnum = (AttrNumber) atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return attnum;
}
