/*-------------------------------------------------------------------------
 *
 * model.h
 *		The hospital tables, described once (model.c): their names, the set
 *		each belongs to, columns and types, keys, foreign keys, id sequence
 *		and default seed volume.  The schema check, the seed, the counts,
 *		the operations' counters and the SQL functions oltp_tables() and
 *		oltp_columns() all read this description.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_MODEL_H
#define OLTP_SIM_MODEL_H

#include "postgres_ext.h"

/*
 * An index into oltp_model[].  The order is the one every report uses
 * (parents before children), never an SQL argument position: oltp_seed
 * takes its volumes by table name.
 */
typedef enum OltpTable
{
	OLTP_PACIENTES,
	OLTP_MEDICOS,
	OLTP_CONVENIOS,
	OLTP_PACIENTES_CONVENIOS,
	OLTP_CONSULTAS,
	OLTP_EXAMES,
	OLTP_INTERNACOES,
	OLTP_LAUDOS,				/* set edge_cases */
	OLTP_FILA_TRIAGEM,			/* set edge_cases */
	OLTP_SINAIS_VITAIS,			/* set types */
	OLTP_FATURAS,				/* set types */
	OLTP_PRONTUARIOS,			/* set types */
	OLTP_DISPOSITIVOS,			/* set types */
	OLTP_RESERVAS_LEITO,		/* set types */
	OLTP_LOGS_ACESSO,			/* set audit: not published */
	OLTP_EVENTOS_LEITO,			/* set partitions */
	OLTP_PRECOS,				/* set schema_changes */
	OLTP_PRECOS_LOTE,			/* set schema_changes, made by the stream */
	OLTP_NTABLES
} OltpTable;

/*
 * Room in shared memory for the counters of tables to come: the opt-in
 * sets add tables to the model without changing the size of what the
 * workers share with the SQL functions, so a build with more tables never
 * reads a smaller struct.
 */
#define OLTP_MAX_TABLES		32

/*
 * What a statement does to a table: the kinds a CDC stream tells apart;
 * and a change of the table's schema or partitions, announced
 */
typedef enum OltpChangeKind
{
	OLTP_CHANGE_INSERT,
	OLTP_CHANGE_UPDATE,
	OLTP_CHANGE_DELETE,
	OLTP_CHANGE_TRUNCATE,
	OLTP_CHANGE_SCHEMA,			/* a change announced (announce.c): one
								 * decoded message, not a row */
	OLTP_NCHANGE_KINDS
} OltpChangeKind;

extern const char *const oltp_change_kind_names[OLTP_NCHANGE_KINDS];

/* the set every install has; the others are created on request */
#define OLTP_SET_CORE		"core"
#define OLTP_SET_EDGE_CASES	"edge_cases"
#define OLTP_SET_TYPES		"types"
#define OLTP_SET_AUDIT		"audit"
#define OLTP_SET_PARTITIONS	"partitions"
#define OLTP_SET_SCHEMA_CHANGES	"schema_changes"

/*
 * The lengths of the varchar columns whose values C writes into buffers of
 * its own: the column's typmod (model.c) and the generator's buffer
 * (generate.h, one byte more) are both this number, so a length changes in
 * one place in C.  The CREATE TABLE that made the column spells it once
 * more, in SQL; the regression test "model" compares the model with the
 * catalog and shows any column that drifted.
 */
#define OLTP_PACIENTES_NOME_LEN		150
#define OLTP_PACIENTES_CPF_LEN		20
#define OLTP_PACIENTES_TELEFONE_LEN	20
#define OLTP_PACIENTES_ENDERECO_LEN	200
#define OLTP_MEDICOS_NOME_LEN		150
#define OLTP_MEDICOS_CRM_LEN		20
#define OLTP_MEDICOS_TELEFONE_LEN	20
#define OLTP_CONVENIOS_NOME_LEN		120
#define OLTP_CONVENIOS_CNPJ_LEN		25
#define OLTP_CARTEIRA_NUMERO_LEN	40	/* pacientes_convenios.numero_carteira */
#define OLTP_INTERNACOES_QUARTO_LEN	20
#define OLTP_LOGS_ACESSO_USUARIO_LEN	60
#define OLTP_LOGS_ACESSO_ACAO_LEN	20
#define OLTP_LOGS_ACESSO_RECURSO_LEN	60
#define OLTP_EVENTOS_LEITO_LEITO_LEN	10

#define OLTP_MAX_COLUMNS	14
#define OLTP_MAX_FKEYS		3

/*
 * A column's type: a built-in one by OID with its typmod as the catalog
 * stores it (the TYPMOD_ macros), or a type of a set (an enum, a domain)
 * by its name in the extension's schema, whose OID differs in every
 * database.
 */
typedef struct OltpColumnDef
{
	const char *name;
	Oid			type;			/* InvalidOid: typname names it */
	int32		typmod;			/* pg_attribute.atttypmod, or -1 */
	bool		not_null;
	const char *typname;		/* a type in the extension's schema */
} OltpColumnDef;

/* atttypmod as the type's input function computes it */
#define TYPMOD_VARCHAR(n)		((n) + VARHDRSZ)
#define TYPMOD_CHAR(n)			((n) + VARHDRSZ)
#define TYPMOD_NUMERIC(p, s)	((((p) << 16) | (s)) + VARHDRSZ)
#define TYPMOD_BIT(n)			(n)

/* a foreign key; actions as pg_constraint spells them ('c' cascade, ...) */
typedef struct OltpForeignKeyDef
{
	const char *column;
	OltpTable	references;
	char		on_update;
	char		on_delete;
} OltpForeignKeyDef;

typedef struct OltpTableDef
{
	const char *name;
	const char *set;			/* OLTP_SET_CORE, or an opt-in set */
	const char *primary_key;	/* its columns, ", " between them; NULL: none */
	const char *sequence;		/* the sequence the key draws from, or NULL */
	int64		default_rows;	/* oltp_seed's volume at scale 1 */
	OltpColumnDef columns[OLTP_MAX_COLUMNS];
	OltpForeignKeyDef fkeys[OLTP_MAX_FKEYS];

	/*
	 * Kept out of every publication oltp_sim makes or adds to: a table whose
	 * writes fill the WAL while a consumer of the publications receives
	 * nothing (the set audit).  After the columns and keys, so that the
	 * tables that leave it out are published.
	 */
	bool		unpublished;
	/* a partitioned table (relkind 'p'): the column its range is on */
	const char *partitioned_by;

	/*
	 * Created and dropped by the stream (create_table_preco,
	 * drop_table_preco), not by its set's script: its absence is a state of
	 * the set, and it is checked against the model while it exists
	 */
	bool		transient;
} OltpTableDef;

extern const OltpTableDef oltp_model[OLTP_NTABLES];

extern int	oltp_model_lookup(const char *name);
extern bool oltp_model_set_exists(const char *set);
extern char *oltp_model_set_list(void);
extern char *oltp_model_table_list(void);
extern char *oltp_model_column_type(const OltpColumnDef *col);
extern const char *oltp_model_action_name(char action);

#endif							/* OLTP_SIM_MODEL_H */
