/*-------------------------------------------------------------------------
 *
 * sets.c
 *		The opt-in table sets: oltp_add_tables(set) creates a set's types
 *		(the types set's enum and domain) and tables (keys, foreign keys,
 *		indexes, the updated_at trigger), makes them members of the
 *		extension, adds the tables to the publications that carry the core
 *		tables and seeds them; oltp_drop_tables(set) removes tables and
 *		types.
 *
 * CREATE EXTENSION creates only the core set, so a default install is the
 * seven tables the old tool had.  A set's tables are described in model.c
 * like the others; their DDL is here, one array per table.  As members of
 * the extension they go with DROP EXTENSION, and pg_dump leaves them to
 * the extension, as it does the core tables.
 *
 * Both functions first lock the core tables in the model's order, the
 * order the workers lock them in: the foreign keys of a new table lock its
 * parents, and taking those locks halfway could deadlock with a worker
 * holding one parent and waiting for the next.  The workers notice the new
 * tables (or their absence) through the invalidations of the commit.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/dependency.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "nodes/pg_list.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/tuplestore.h"

#include "compat.h"
#include "model.h"
#include "schema.h"
#include "seed.h"
#include "seed_types.h"

#define SETS_MAX_DDL	6

/*
 * The DDL of each opt-in table; %1$s is the quoted schema.  Every function
 * and operator is pg_catalog's, named so, as in the install script.
 */
static const char *const sets_ddl[OLTP_NTABLES][SETS_MAX_DDL] = {
	[OLTP_LAUDOS] = {
		"CREATE TABLE %1$s.laudos ("
		" id bigserial PRIMARY KEY,"
		" exame_id bigint NOT NULL"
		"  REFERENCES %1$s.exames (id) ON UPDATE CASCADE ON DELETE RESTRICT,"
		" texto text NOT NULL,"
		" versao integer NOT NULL DEFAULT 1,"
		" assinado_por varchar(150),"
		" assinado_crm varchar(20),"
		" assinado_em timestamp,"
		" created_at timestamp NOT NULL DEFAULT pg_catalog.now(),"
		" updated_at timestamp NOT NULL DEFAULT pg_catalog.now())",
		/* out of line and uncompressed: the value a signature leaves as is */
		"ALTER TABLE %1$s.laudos ALTER COLUMN texto SET STORAGE EXTERNAL",
		"CREATE INDEX idx_laudos_exame ON %1$s.laudos (exame_id)",
		"CREATE INDEX oltp_sim_laudos_pendentes ON %1$s.laudos (id) WHERE assinado_em IS NULL",
		"CREATE TRIGGER laudos_updated_at BEFORE UPDATE ON %1$s.laudos"
		" FOR EACH ROW EXECUTE FUNCTION %1$s.oltp_sim_touch_updated_at()",
	},
	[OLTP_FILA_TRIAGEM] = {
		"CREATE TABLE %1$s.fila_triagem ("
		" id bigserial PRIMARY KEY,"
		" paciente_id bigint NOT NULL"
		"  REFERENCES %1$s.pacientes (id) ON UPDATE CASCADE ON DELETE RESTRICT,"
		" prioridade varchar(20) NOT NULL"
		"  CHECK (prioridade::pg_catalog.text OPERATOR(pg_catalog.=)"
		"   ANY (ARRAY['vermelho', 'laranja', 'amarelo', 'verde', 'azul']::pg_catalog.text[])),"
		" queixa varchar(200) NOT NULL,"
		" chegada timestamp NOT NULL,"
		" created_at timestamp NOT NULL DEFAULT pg_catalog.now(),"
		" updated_at timestamp NOT NULL DEFAULT pg_catalog.now())",
		"CREATE INDEX idx_fila_triagem_paciente ON %1$s.fila_triagem (paciente_id)",
		"CREATE TRIGGER fila_triagem_updated_at BEFORE UPDATE ON %1$s.fila_triagem"
		" FOR EACH ROW EXECUTE FUNCTION %1$s.oltp_sim_touch_updated_at()",
	},

	/* the set types: the types of the set's own are created first */
	[OLTP_SINAIS_VITAIS] = {
		"CREATE TABLE %1$s.sinais_vitais ("
		" id bigserial PRIMARY KEY,"
		" paciente_id bigint NOT NULL"
		"  REFERENCES %1$s.pacientes (id) ON UPDATE CASCADE ON DELETE RESTRICT,"
		" medido_em timestamptz NOT NULL,"
		" temperatura numeric(4,1),"
		" saturacao %1$s.percentual,"
		" glicemia numeric,"
		" leituras numeric[],"
		" duracao interval,"
		" observacoes text[],"
		" created_at timestamp NOT NULL DEFAULT pg_catalog.now(),"
		" updated_at timestamp NOT NULL DEFAULT pg_catalog.now())",
		"CREATE INDEX idx_sinais_vitais_paciente ON %1$s.sinais_vitais (paciente_id)",
		"CREATE TRIGGER sinais_vitais_updated_at BEFORE UPDATE ON %1$s.sinais_vitais"
		" FOR EACH ROW EXECUTE FUNCTION %1$s.oltp_sim_touch_updated_at()",
	},
	[OLTP_FATURAS] = {
		"CREATE TABLE %1$s.faturas ("
		" serie char(5) NOT NULL,"
		" numero integer NOT NULL,"
		" paciente_id bigint NOT NULL"
		"  REFERENCES %1$s.pacientes (id) ON UPDATE CASCADE ON DELETE RESTRICT,"
		" valor money NOT NULL,"
		" desconto numeric(12,2),"
		" emitida_em timestamp NOT NULL,"
		" vencimento date,"
		" status %1$s.status_fatura NOT NULL,"
		" created_at timestamp NOT NULL DEFAULT pg_catalog.now(),"
		" updated_at timestamp NOT NULL DEFAULT pg_catalog.now(),"
		" PRIMARY KEY (serie, numero))",
		"CREATE INDEX idx_faturas_paciente ON %1$s.faturas (paciente_id)",
		/* the next number, and the stream's pick, read it by number alone */
		"CREATE INDEX idx_faturas_numero ON %1$s.faturas (numero)",
		"CREATE TRIGGER faturas_updated_at BEFORE UPDATE ON %1$s.faturas"
		" FOR EACH ROW EXECUTE FUNCTION %1$s.oltp_sim_touch_updated_at()",
	},
	[OLTP_PRONTUARIOS] = {
		"CREATE TABLE %1$s.prontuarios ("
		" id uuid PRIMARY KEY,"
		" paciente_id bigint NOT NULL"
		"  REFERENCES %1$s.pacientes (id) ON UPDATE CASCADE ON DELETE RESTRICT,"
		" dados jsonb NOT NULL,"
		" dados_origem json,"
		" anexo bytea,"
		" tamanho_anexo integer GENERATED ALWAYS AS (pg_catalog.octet_length(anexo)) STORED,"
		" created_at timestamp NOT NULL DEFAULT pg_catalog.now(),"
		" updated_at timestamp NOT NULL DEFAULT pg_catalog.now())",
		"CREATE INDEX idx_prontuarios_paciente ON %1$s.prontuarios (paciente_id)",
		"CREATE TRIGGER prontuarios_updated_at BEFORE UPDATE ON %1$s.prontuarios"
		" FOR EACH ROW EXECUTE FUNCTION %1$s.oltp_sim_touch_updated_at()",
	},
	[OLTP_DISPOSITIVOS] = {
		"CREATE TABLE %1$s.dispositivos ("
		" id bigserial PRIMARY KEY,"
		" \"NumeroSerie\" varchar(40) NOT NULL,"
		" \"sala de instalacao\" varchar(60),"
		" \"user\" varchar(60),"
		" ip inet,"
		" rede cidr,"
		" mac macaddr,"
		" alarmes bit(8),"
		" capacidades varbit(64),"
		" manutencao time,"
		" janela timetz,"
		" created_at timestamp NOT NULL DEFAULT pg_catalog.now(),"
		" updated_at timestamp NOT NULL DEFAULT pg_catalog.now())",
		"CREATE TRIGGER dispositivos_updated_at BEFORE UPDATE ON %1$s.dispositivos"
		" FOR EACH ROW EXECUTE FUNCTION %1$s.oltp_sim_touch_updated_at()",
	},
	/* no key: the whole old row identifies an updated or deleted one */
	[OLTP_RESERVAS_LEITO] = {
		"CREATE TABLE %1$s.reservas_leito ("
		" paciente_id bigint NOT NULL"
		"  REFERENCES %1$s.pacientes (id) ON UPDATE CASCADE ON DELETE RESTRICT,"
		" leitos int4range NOT NULL,"
		" periodo tstzrange NOT NULL,"
		" observacao text,"
		" created_at timestamp NOT NULL DEFAULT pg_catalog.now(),"
		" updated_at timestamp NOT NULL DEFAULT pg_catalog.now())",
		"ALTER TABLE %1$s.reservas_leito REPLICA IDENTITY FULL",
		"CREATE INDEX idx_reservas_leito_paciente ON %1$s.reservas_leito (paciente_id)",
		"CREATE TRIGGER reservas_leito_updated_at BEFORE UPDATE ON %1$s.reservas_leito"
		" FOR EACH ROW EXECUTE FUNCTION %1$s.oltp_sim_touch_updated_at()",
	},
};

/*
 * The types a set's tables use, created before its tables and dropped
 * after them, members of the extension like the tables.  The enum's values
 * are the stream's to read at run time (enum_range), so a value added with
 * ALTER TYPE ... ADD VALUE is written by the operations after it.
 */
typedef struct SetsType
{
	const char *set;
	const char *name;
	const char *kind;			/* TYPE or DOMAIN, as ALTER EXTENSION words it */
	const char *ddl;			/* %1$s is the quoted schema */
} SetsType;

static const SetsType sets_types[] = {
	{OLTP_SET_TYPES, "status_fatura", "TYPE",
	"CREATE TYPE %1$s.status_fatura AS ENUM ('aberta', 'paga', 'vencida', 'cancelada')"},
	{OLTP_SET_TYPES, "percentual", "DOMAIN",
		"CREATE DOMAIN %1$s.percentual AS numeric(5,2)"
		" CHECK (VALUE OPERATOR(pg_catalog.>=) 0::pg_catalog.numeric"
	" AND VALUE OPERATOR(pg_catalog.<=) 100::pg_catalog.numeric)"},
};

/*
 * Every name a table of the set takes in the schema, claimed before
 * anything is created: the table (and its row type), its id sequence, its
 * primary key's index and the indexes its DDL names.  An object of one of
 * those names that is not the extension's is an error naming its owner;
 * created over, it would fail or push ours to another name, and reused it
 * would be adopted, its triggers and CHECK functions with it.
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
	for (int i = 0; i < SETS_MAX_DDL && sets_ddl[t][i]; i++)
	{
		char		index[NAMEDATALEN];

		if (sscanf(sets_ddl[t][i], "CREATE INDEX %63s ON ", index) == 1)
			oltp_schema_claim_name(schema, index, false, caller);
	}
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

PG_FUNCTION_INFO_V1(oltp_add_tables);
PG_FUNCTION_INFO_V1(oltp_drop_tables);

/*
 * oltp_add_tables(set text, seed bigint): one row per table created, with
 * the rows seeded into it.  A table of the set the extension has already
 * is left as it is; a set added already gives no rows and a NOTICE.  An
 * object of another role's holding a name the set takes is an error, and
 * nothing is created.
 */
Datum
oltp_add_tables(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const char *set = sets_argument(fcinfo, "add");
	const char *caller = psprintf("oltp_add_tables('%s')", set);
	OltpSchema	schema;
	const char *nsp;
	bool		created[OLTP_NTABLES] = {0};
	int64		inserted[OLTP_NTABLES] = {0};
	List	   *pubs;
	int			ncreated = 0;

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
	oltp_schema_require(&schema);
	nsp = quote_identifier(schema.nspname);
	sets_lock_core(&schema);
	/* again, holding the locks: a call that ran meanwhile may have added them */
	oltp_schema_require(&schema);
	pubs = sets_publications(&schema);

	/* every name first: nothing is created unless all of them are free */
	for (int i = 0; i < lengthof(sets_types); i++)
		if (strcmp(sets_types[i].set, set) == 0 &&
			!OidIsValid(oltp_schema_member_type(&schema, sets_types[i].name)))
			oltp_schema_claim_name(&schema, sets_types[i].name, true, caller);
	for (int t = 0; t < OLTP_NTABLES; t++)
		if (strcmp(oltp_model[t].set, set) == 0 && !schema.present[t])
			sets_claim_table(&schema, t, caller);

	for (int i = 0; i < lengthof(sets_types); i++)
	{
		const SetsType *type = &sets_types[i];

		if (strcmp(type->set, set) != 0 ||
			OidIsValid(oltp_schema_member_type(&schema, type->name)))
			continue;
		sets_exec(psprintf(type->ddl, nsp), SPI_OK_UTILITY);
		sets_exec(psprintf("ALTER EXTENSION oltp_sim ADD %s %s", type->kind,
						   quote_qualified_identifier(schema.nspname, type->name)),
				  SPI_OK_UTILITY);
	}

	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		char	   *rel;
		ListCell   *lc;

		if (strcmp(oltp_model[t].set, set) != 0 || schema.present[t])
			continue;
		for (int i = 0; i < SETS_MAX_DDL && sets_ddl[t][i]; i++)
			sets_exec(psprintf(sets_ddl[t][i], nsp), SPI_OK_UTILITY);
		rel = oltp_schema_qualify(&schema, t);
		sets_exec(psprintf("ALTER EXTENSION oltp_sim ADD TABLE %s", rel), SPI_OK_UTILITY);
		/* the sequence the table just created, by its own name */
		foreach(lc, getOwnedSequences(get_relname_relid(oltp_model[t].name, schema.nspoid)))
			sets_exec(psprintf("ALTER EXTENSION oltp_sim ADD SEQUENCE %s",
							   quote_qualified_identifier(schema.nspname,
														  get_rel_name(lfirst_oid(lc)))),
					  SPI_OK_UTILITY);
		foreach(lc, pubs)
			sets_exec(psprintf("ALTER PUBLICATION %s ADD TABLE %s",
							   quote_identifier((char *) lfirst(lc)), rel),
					  SPI_OK_UTILITY);
		created[t] = true;
		ncreated++;
	}

	if (ncreated == 0)
		ereport(NOTICE,
				(errmsg("the tables of set \"%s\" exist already", set),
				 errhint("oltp_drop_tables('%s') removes them.", set)));
	else
	{
		SeedArgs	args;
		double		elapsed[OLTP_NTABLES];

		/* the tables just created, seeded; every other table at 0 */
		oltp_schema_require(&schema);
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
 * oltp_drop_tables(set text): one row per table dropped, with the rows it
 * held.  A CDC consumer sees nothing of it: DROP TABLE is not decoded.
 */
Datum
oltp_drop_tables(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const char *set = sets_argument(fcinfo, "drop");
	OltpSchema	schema;
	bool		dropped[OLTP_NTABLES] = {0};
	int64		held[OLTP_NTABLES] = {0};
	int			ndropped = 0;

	InitMaterializedSRF(fcinfo, 0);
	SPI_connect();
	oltp_schema_require(&schema);
	sets_lock_core(&schema);

	/* children first: a table of the set may reference another */
	for (int t = OLTP_NTABLES - 1; t >= 0; t--)
	{
		char	   *rel;

		if (strcmp(oltp_model[t].set, set) != 0 || !schema.present[t])
			continue;
		rel = oltp_schema_qualify(&schema, t);
		held[t] = sets_count(psprintf("SELECT pg_catalog.count(*) FROM %s", rel));
		sets_exec(psprintf("ALTER EXTENSION oltp_sim DROP TABLE %s", rel), SPI_OK_UTILITY);
		if (oltp_model[t].sequence)
			sets_exec(psprintf("ALTER EXTENSION oltp_sim DROP SEQUENCE %s",
							   quote_qualified_identifier(schema.nspname,
														  get_rel_name(schema.seqids[t]))),
					  SPI_OK_UTILITY);
		sets_exec(psprintf("DROP TABLE %s", rel), SPI_OK_UTILITY);
		dropped[t] = true;
		ndropped++;
	}

	/*
	 * Then the set's types.  A column of the user's own using one keeps it:
	 * DROP TYPE refuses, naming that column, and nothing is dropped.
	 */
	for (int i = lengthof(sets_types) - 1; i >= 0; i--)
	{
		const SetsType *type = &sets_types[i];
		char	   *name;

		/* only the extension's: another role's type of the name is left alone */
		if (strcmp(type->set, set) != 0 ||
			!OidIsValid(oltp_schema_member_type(&schema, type->name)))
			continue;
		name = quote_qualified_identifier(schema.nspname, type->name);
		sets_exec(psprintf("ALTER EXTENSION oltp_sim DROP %s %s", type->kind, name),
				  SPI_OK_UTILITY);
		sets_exec(psprintf("DROP %s %s", type->kind, name), SPI_OK_UTILITY);
	}
	SPI_finish();

	if (ndropped == 0)
		ereport(NOTICE,
				(errmsg("the tables of set \"%s\" do not exist", set),
				 errhint("oltp_add_tables('%s') creates them.", set)));
	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		if (!dropped[t])
			continue;
		values[0] = CStringGetTextDatum(oltp_model[t].name);
		values[1] = Int64GetDatum(held[t]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
