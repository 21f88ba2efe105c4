/*-------------------------------------------------------------------------
 *
 * model.c
 *		The hospital tables, described once.
 *
 * The install script creates the tables; everything in C that needs to
 * know them (the schema check, the seed, oltp_counts, the counters, the
 * publication and replica identity helpers through oltp_tables()) reads
 * this description instead of a list of its own, so a new table is one
 * entry here plus its CREATE TABLE.  The pgTAP suite compares this
 * description with the catalog, which keeps the two in step.
 *
 * The columns listed are the ones oltp_sim reads or writes, with the type
 * it binds them to: a column changed by hand to another type would make
 * the prepared statements fail deep in a run, so the schema check refuses
 * it up front, naming the column.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"

#include "model.h"

const char *const oltp_change_kind_names[OLTP_NCHANGE_KINDS] = {
	"insert", "update", "delete", "truncate", "schema",
};

/* every table has them, kept current by the updated_at trigger */
#define AUDIT_COLUMNS \
	{"created_at", TIMESTAMPOID, -1, true}, {"updated_at", TIMESTAMPOID, -1, true}
#define ID_COLUMN	{"id", INT8OID, -1, true}

/*
 * Every reference is ON UPDATE CASCADE (a renumbered patient carries its
 * rows along) and ON DELETE RESTRICT (nothing disappears behind a
 * consumer's back: a delete must remove the children first).
 */
#define REFERENCES(col, table)	{col, table, 'c', 'r'}

const OltpTableDef oltp_model[OLTP_NTABLES] = {
	[OLTP_PACIENTES] = {
		"pacientes", OLTP_SET_CORE, "id", "pacientes_id_seq", 2000,
		{
			ID_COLUMN, {"nome", VARCHAROID, TYPMOD_VARCHAR(OLTP_PACIENTES_NOME_LEN), true},
			{"nascimento", DATEOID, -1, true},
			{"cpf", VARCHAROID, TYPMOD_VARCHAR(OLTP_PACIENTES_CPF_LEN), true},
			{"telefone", VARCHAROID, TYPMOD_VARCHAR(OLTP_PACIENTES_TELEFONE_LEN), false},
			{"endereco", VARCHAROID, TYPMOD_VARCHAR(OLTP_PACIENTES_ENDERECO_LEN), false},
			{"data_cadastro", TIMESTAMPOID, -1, true}, AUDIT_COLUMNS
		},
		{{0}}
	},
	[OLTP_MEDICOS] = {
		"medicos", OLTP_SET_CORE, "id", "medicos_id_seq", 200,
		{
			ID_COLUMN, {"nome", VARCHAROID, TYPMOD_VARCHAR(OLTP_MEDICOS_NOME_LEN), true},
			{"crm", VARCHAROID, TYPMOD_VARCHAR(OLTP_MEDICOS_CRM_LEN), true},
			{"especialidade", VARCHAROID, TYPMOD_VARCHAR(80), true},
			{"telefone", VARCHAROID, TYPMOD_VARCHAR(OLTP_MEDICOS_TELEFONE_LEN), false},
			AUDIT_COLUMNS
		},
		{{0}}
	},
	[OLTP_CONVENIOS] = {
		"convenios", OLTP_SET_CORE, "id", "convenios_id_seq", 12,
		{
			ID_COLUMN, {"nome", VARCHAROID, TYPMOD_VARCHAR(OLTP_CONVENIOS_NOME_LEN), true},
			{"cnpj", VARCHAROID, TYPMOD_VARCHAR(OLTP_CONVENIOS_CNPJ_LEN), true},
			{"tipo", VARCHAROID, TYPMOD_VARCHAR(40), true},
			{"cobertura", VARCHAROID, TYPMOD_VARCHAR(120), false},
			AUDIT_COLUMNS
		},
		{{0}}
	},
	[OLTP_PACIENTES_CONVENIOS] = {
		"pacientes_convenios", OLTP_SET_CORE, "id", "pacientes_convenios_id_seq", 2500,
		{
			ID_COLUMN, {"paciente_id", INT8OID, -1, true},
			{"convenio_id", INT8OID, -1, true},
			{"numero_carteira", VARCHAROID, TYPMOD_VARCHAR(OLTP_CARTEIRA_NUMERO_LEN), false},
			{"validade", DATEOID, -1, false},
			AUDIT_COLUMNS
		},
		{REFERENCES("paciente_id", OLTP_PACIENTES), REFERENCES("convenio_id", OLTP_CONVENIOS)}
	},
	[OLTP_CONSULTAS] = {
		"consultas", OLTP_SET_CORE, "id", "consultas_id_seq", 4000,
		{
			ID_COLUMN, {"paciente_id", INT8OID, -1, true}, {"medico_id", INT8OID, -1, true},
			{"data", TIMESTAMPOID, -1, true}, {"motivo", VARCHAROID, TYPMOD_VARCHAR(200), true},
			{"status", VARCHAROID, TYPMOD_VARCHAR(20), true}, AUDIT_COLUMNS
		},
		{REFERENCES("paciente_id", OLTP_PACIENTES), REFERENCES("medico_id", OLTP_MEDICOS)}
	},
	[OLTP_EXAMES] = {
		"exames", OLTP_SET_CORE, "id", "exames_id_seq", 3500,
		{
			ID_COLUMN, {"paciente_id", INT8OID, -1, true},
			{"tipo_exame", VARCHAROID, TYPMOD_VARCHAR(100), true}, {"data", TIMESTAMPOID, -1, true},
			{"resultado", VARCHAROID, TYPMOD_VARCHAR(200), false}, AUDIT_COLUMNS
		},
		{REFERENCES("paciente_id", OLTP_PACIENTES)}
	},
	[OLTP_INTERNACOES] = {
		"internacoes", OLTP_SET_CORE, "id", "internacoes_id_seq", 1200,
		{
			ID_COLUMN, {"paciente_id", INT8OID, -1, true},
			{"data_entrada", TIMESTAMPOID, -1, true}, {"data_saida", TIMESTAMPOID, -1, false},
			{"motivo", VARCHAROID, TYPMOD_VARCHAR(200), true},
			{"quarto", VARCHAROID, TYPMOD_VARCHAR(OLTP_INTERNACOES_QUARTO_LEN), false},
			AUDIT_COLUMNS
		},
		{REFERENCES("paciente_id", OLTP_PACIENTES)}
	},

	/*
	 * The set edge_cases (oltp_add_tables, sets.c): the tables of the
	 * cases that break CDC pipelines.  A report's text is long and stored
	 * out of line, uncompressed; signing it changes only the signature
	 * columns, so the text is an unchanged TOASTed value in that update.
	 */
	[OLTP_LAUDOS] = {
		"laudos", OLTP_SET_EDGE_CASES, "id", "laudos_id_seq", 200,
		{
			ID_COLUMN, {"exame_id", INT8OID, -1, true}, {"texto", TEXTOID, -1, true},
			{"versao", INT4OID, -1, true},
			/* the signing doctor's medicos.nome and medicos.crm, copied */
			{"assinado_por", VARCHAROID, TYPMOD_VARCHAR(OLTP_MEDICOS_NOME_LEN), false},
			{"assinado_crm", VARCHAROID, TYPMOD_VARCHAR(OLTP_MEDICOS_CRM_LEN), false},
			{"assinado_em", TIMESTAMPOID, -1, false},
			AUDIT_COLUMNS
		},
		{REFERENCES("exame_id", OLTP_EXAMES)}
	},
	/* the triage queue: patients arrive one by one, TRUNCATE empties it */
	[OLTP_FILA_TRIAGEM] = {
		"fila_triagem", OLTP_SET_EDGE_CASES, "id", "fila_triagem_id_seq", 40,
		{
			ID_COLUMN, {"paciente_id", INT8OID, -1, true},
			{"prioridade", VARCHAROID, TYPMOD_VARCHAR(20), true},
			{"queixa", VARCHAROID, TYPMOD_VARCHAR(200), true},
			{"chegada", TIMESTAMPOID, -1, true}, AUDIT_COLUMNS
		},
		{REFERENCES("paciente_id", OLTP_PACIENTES)}
	},

	/*
	 * The set types (oltp_add_tables, sets.c; seeded by seed_types.c): the
	 * data types CDC sinks map wrongly, each in a column that means
	 * something, with the edge values every decoder must carry through.
	 * Keys of every shape: a serial id, a composite key over char(n), a
	 * uuid drawn by the writer, none at all (REPLICA IDENTITY FULL).
	 */
	[OLTP_SINAIS_VITAIS] = {
		"sinais_vitais", OLTP_SET_TYPES, "id", "sinais_vitais_id_seq", 600,
		{
			ID_COLUMN, {"paciente_id", INT8OID, -1, true},
			{"medido_em", TIMESTAMPTZOID, -1, true},
			{"temperatura", NUMERICOID, TYPMOD_NUMERIC(4, 1), false},
			{"saturacao", InvalidOid, -1, false, "percentual"},
			{"glicemia", NUMERICOID, -1, false}, {"leituras", NUMERICARRAYOID, -1, false},
			{"duracao", INTERVALOID, -1, false}, {"observacoes", TEXTARRAYOID, -1, false},
			AUDIT_COLUMNS
		},
		{REFERENCES("paciente_id", OLTP_PACIENTES)}
	},
	[OLTP_FATURAS] = {
		"faturas", OLTP_SET_TYPES, "serie, numero", NULL, 400,
		{
			{"serie", BPCHAROID, TYPMOD_CHAR(5), true}, {"numero", INT4OID, -1, true},
			{"paciente_id", INT8OID, -1, true}, {"valor", CASHOID, -1, true},
			{"desconto", NUMERICOID, TYPMOD_NUMERIC(12, 2), false},
			{"emitida_em", TIMESTAMPOID, -1, true}, {"vencimento", DATEOID, -1, false},
			{"status", InvalidOid, -1, true, "status_fatura"}, AUDIT_COLUMNS
		},
		{REFERENCES("paciente_id", OLTP_PACIENTES)}
	},
	[OLTP_PRONTUARIOS] = {
		"prontuarios", OLTP_SET_TYPES, "id", NULL, 300,
		{
			{"id", UUIDOID, -1, true}, {"paciente_id", INT8OID, -1, true},
			{"dados", JSONBOID, -1, true}, {"dados_origem", JSONOID, -1, false},
			{"anexo", BYTEAOID, -1, false}, {"tamanho_anexo", INT4OID, -1, false},
			AUDIT_COLUMNS
		},
		{REFERENCES("paciente_id", OLTP_PACIENTES)}
	},
	[OLTP_DISPOSITIVOS] = {
		"dispositivos", OLTP_SET_TYPES, "id", "dispositivos_id_seq", 200,
		{
			ID_COLUMN, {"NumeroSerie", VARCHAROID, TYPMOD_VARCHAR(40), true},
			{"sala de instalacao", VARCHAROID, TYPMOD_VARCHAR(60), false},
			{"user", VARCHAROID, TYPMOD_VARCHAR(60), false},
			{"ip", INETOID, -1, false}, {"rede", CIDROID, -1, false},
			{"mac", MACADDROID, -1, false}, {"alarmes", BITOID, TYPMOD_BIT(8), false},
			{"capacidades", VARBITOID, TYPMOD_BIT(64), false},
			{"manutencao", TIMEOID, -1, false}, {"janela", TIMETZOID, -1, false},
			AUDIT_COLUMNS
		},
		{{0}}
	},
	/* no key: a consumer tells rows apart by their whole old image */
	[OLTP_RESERVAS_LEITO] = {
		"reservas_leito", OLTP_SET_TYPES, NULL, NULL, 150,
		{
			{"paciente_id", INT8OID, -1, true}, {"leitos", INT4RANGEOID, -1, true},
			{"periodo", TSTZRANGEOID, -1, true}, {"observacao", TEXTOID, -1, false},
			AUDIT_COLUMNS
		},
		{REFERENCES("paciente_id", OLTP_PACIENTES)}
	},

	/*
	 * The set audit (oltp_add_tables, sets.c): the access log a hospital
	 * keeps of who opened which patient's record, written far more often
	 * than the records themselves, and deliberately not published: the
	 * noisy neighbour whose WAL a slot on the publication must hold while
	 * its consumer receives nothing.  No foreign key: the log outlives an
	 * erased patient, and an entry may name none (a login).
	 */
	[OLTP_LOGS_ACESSO] = {
		"logs_acesso", OLTP_SET_AUDIT, "id", "logs_acesso_id_seq", 4000,
		{
			ID_COLUMN, {"paciente_id", INT8OID, -1, false},
			{"usuario", VARCHAROID, TYPMOD_VARCHAR(OLTP_LOGS_ACESSO_USUARIO_LEN), true},
			{"acao", VARCHAROID, TYPMOD_VARCHAR(OLTP_LOGS_ACESSO_ACAO_LEN), true},
			{"recurso", VARCHAROID, TYPMOD_VARCHAR(OLTP_LOGS_ACESSO_RECURSO_LEN), true},
			{"acessado_em", TIMESTAMPOID, -1, true}, AUDIT_COLUMNS
		},
		{{0}}, true
	},

	/*
	 * The set partitions (oltp_add_tables, sets.c; its operations in
	 * op_evento_leito.c): what happens to each bed, day after day, in a
	 * table partitioned by month with a default partition.  The key holds
	 * the partition column, as a partitioned table's must.  No foreign key:
	 * a partition detached keeps its rows and would keep the reference, so
	 * erasing a patient would have to know the detached tables too.
	 */
	[OLTP_EVENTOS_LEITO] = {
		"eventos_leito", OLTP_SET_PARTITIONS, "id, ocorrido_em", "eventos_leito_id_seq", 800,
		{
			ID_COLUMN, {"leito", VARCHAROID, TYPMOD_VARCHAR(OLTP_EVENTOS_LEITO_LEITO_LEN), true},
			{"evento", VARCHAROID, TYPMOD_VARCHAR(20), true},
			{"ocorrido_em", TIMESTAMPOID, -1, true},
			{"observacao", VARCHAROID, TYPMOD_VARCHAR(200), false},
			AUDIT_COLUMNS
		},
		{{0}}, false, "ocorrido_em"
	},

	/*
	 * The set schema_changes (op_schema.c): the columns its operations
	 * never change.  The others (valor, quantidade, unidade, fornecedor,
	 * referencia, and those added and dropped) change type, name or
	 * existence while the stream runs, and are checked by no one.
	 */
	[OLTP_PRECOS] = {
		"precos", OLTP_SET_SCHEMA_CHANGES, "id", "precos_id_seq", 0,
		{
			ID_COLUMN, {"codigo", VARCHAROID, TYPMOD_VARCHAR(20), true},
			{"descricao", VARCHAROID, TYPMOD_VARCHAR(120), true}, AUDIT_COLUMNS
		},
		{{0}}
	},

	/*
	 * A batch of prices, a table the stream creates, publishes and fills in
	 * one transaction (create_table_preco) and drops again later
	 * (drop_table_preco): no sequence (its ids are the batch's row
	 * numbers), no foreign key (a swap drops precos under it)
	 */
	[OLTP_PRECOS_LOTE] = {
		"precos_lote", OLTP_SET_SCHEMA_CHANGES, "id", NULL, 0,
		{
			ID_COLUMN, {"preco_id", INT8OID, -1, true},
			{"codigo", VARCHAROID, TYPMOD_VARCHAR(20), true},
			{"quantidade", INT4OID, -1, true}, AUDIT_COLUMNS
		},
		{{0}}, .transient = true
	},
};

/* the table called name, or -1: how SQL arguments name tables */
int
oltp_model_lookup(const char *name)
{
	for (int t = 0; t < OLTP_NTABLES; t++)
		if (strcmp(oltp_model[t].name, name) == 0)
			return t;
	return -1;
}

/* is set the name of a set of the model (the core one included)? */
bool
oltp_model_set_exists(const char *set)
{
	for (int t = 0; t < OLTP_NTABLES; t++)
		if (strcmp(oltp_model[t].set, set) == 0)
			return true;
	return false;
}

/* the opt-in sets, each once, in model order: for hints */
char *
oltp_model_set_list(void)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		const char *set = oltp_model[t].set;
		bool		seen = strcmp(set, OLTP_SET_CORE) == 0;

		for (int u = 0; u < t && !seen; u++)
			seen = strcmp(oltp_model[u].set, set) == 0;
		if (!seen)
			appendStringInfo(&buf, "%s%s", buf.len > 0 ? ", " : "", set);
	}
	return buf.data;
}

/* "pacientes, medicos, ...", for hints that list the valid names */
char *
oltp_model_table_list(void)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (int t = 0; t < OLTP_NTABLES; t++)
		appendStringInfo(&buf, "%s%s", t > 0 ? ", " : "", oltp_model[t].name);
	return buf.data;
}

/* the type as format_type() spells it, so it compares with the catalog */
char *
oltp_model_column_type(const OltpColumnDef *col)
{
	if (col->typname)
		return pstrdup(quote_identifier(col->typname));
	return format_type_with_typemod(col->type, col->typmod);
}

/* a foreign key action as the SQL standard words it */
const char *
oltp_model_action_name(char action)
{
	switch (action)
	{
		case 'a':
			return "NO ACTION";
		case 'r':
			return "RESTRICT";
		case 'c':
			return "CASCADE";
		case 'n':
			return "SET NULL";
		case 'd':
			return "SET DEFAULT";
	}
	elog(ERROR, "unknown foreign key action '%c'", action);
	return NULL;				/* keep the compiler quiet */
}
StaticAssertDecl(OLTP_NTABLES <= OLTP_MAX_TABLES, "the shared counters need room for every table");
