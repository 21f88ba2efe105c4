/*-------------------------------------------------------------------------
 *
 * init.c
 *		oltp_sim_client init: the tables of the model, created by the
 *		extension's own install scripts.
 *
 * The scripts are shipped in the share directory (make install puts them
 * there for CREATE EXTENSION).  The client reads the ones CREATE EXTENSION
 * would run, the control file's default_version or a base script and the
 * update to it, and runs from them the statements that make the tables of
 * the model: CREATE TABLE, CREATE INDEX, CREATE TRIGGER and ALTER TABLE on
 * a table of oltp_model or on the history of announcements (announce.c
 * records in it the changes of the sets partitions and schema_changes
 * the client makes too), CREATE TYPE and CREATE DOMAIN of a type a column
 * of the model names, and CREATE FUNCTION of a function those triggers
 * execute; of a set's script, every table, index, trigger and SQL function
 * (a partition, the functions its operations call).  Everything else (the
 * C functions, the extension's bookkeeping, pg_extension_config_dump, the
 * DO blocks that check the extension) is left out: there is no extension.
 *
 * A statement is cut where psql would cut it: at a semicolon outside
 * quotes, dollar quotes, quoted identifiers and comments.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>

#include "lib/stringinfo.h"
#include "utils/builtins.h"

#include "announce.h"
#include "backend.h"
#include "client.h"
#include "init.h"
#include "model.h"

#define SCHEMA_TOKEN	"@extschema@."

/* statements or paths, in order */
typedef struct InitList
{
	char	  **items;
	int			n;
	int			size;
} InitList;

static void
init_append(InitList *l, char *item)
{
	if (l->n == l->size)
	{
		l->size = Max(16, l->size * 2);
		l->items = l->items ? repalloc(l->items, sizeof(char *) * l->size) :
			palloc(sizeof(char *) * l->size);
	}
	l->items[l->n++] = item;
}

/* the whole of file path, or an error naming it */
static char *
init_read_file(const char *path)
{
	FILE	   *f = fopen(path, "r");
	StringInfoData buf;
	char		chunk[8192];
	size_t		n;

	if (f == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FILE),
				 errmsg("could not open \"%s\": %m", path),
				 errhint("The scripts are installed with the extension (make install); --scripts names another directory.")));
	initStringInfo(&buf);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		appendBinaryStringInfo(&buf, chunk, (int) n);
	fclose(f);
	return buf.data;
}

/* the control file's default_version of extension name */
static char *
init_default_version(const char *dir, const char *name)
{
	char	   *text = init_read_file(psprintf("%s/%s.control", dir, name));
	char	   *p = strstr(text, "default_version");
	char	   *q;

	if (p == NULL || (p = strchr(p, '\'')) == NULL || (q = strchr(p + 1, '\'')) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("no default_version in \"%s/%s.control\"", dir, name)));
	return pnstrdup(p + 1, q - p - 1);
}

/*
 * The scripts CREATE EXTENSION name runs, in order: name--V.sql when there
 * is one, else the base script name--B.sql that name--B--V.sql updates.
 */
static void
init_scripts(const char *dir, const char *name, InitList *result)
{
	const char *version = init_default_version(dir, name);
	char	   *full = psprintf("%s/%s--%s.sql", dir, name, version);
	FILE	   *f;
	char		path[MAXPGPATH];

	if ((f = fopen(full, "r")) != NULL)
	{
		fclose(f);
		init_append(result, full);
		return;
	}
	/* a base one step before: the versions this project has had */
	for (int major = 0; major < 10 && result->n == 0; major++)
		for (int minor = 0; minor < 20 && result->n == 0; minor++)
		{
			snprintf(path, sizeof(path), "%s/%s--%d.%d.0--%s.sql", dir, name, major, minor,
					 version);
			if ((f = fopen(path, "r")) == NULL)
				continue;
			fclose(f);
			init_append(result, psprintf("%s/%s--%d.%d.0.sql", dir, name, major, minor));
			init_append(result, pstrdup(path));
		}
	if (result->n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FILE),
				 errmsg("no install script of %s %s in \"%s\"", name, version, dir)));
}

/* where the statement starting at p ends: past its semicolon, or at the end */
static const char *
init_statement_end(const char *p)
{
	while (*p)
	{
		if (p[0] == '-' && p[1] == '-')
		{
			while (*p && *p != '\n')
				p++;
		}
		else if (p[0] == '/' && p[1] == '*')
		{
			const char *e = strstr(p + 2, "*/");

			p = e ? e + 2 : p + strlen(p);
		}
		else if (*p == '\'' || *p == '"')
		{
			char		q = *p++;

			while (*p && !(*p == q && p[1] != q))
				p += (*p == q) ? 2 : 1;
			if (*p)
				p++;
		}
		else if (*p == '$' && (p[1] == '$' || isalpha((unsigned char) p[1]) || p[1] == '_'))
		{
			const char *t = p + 1;
			char	   *tag;
			const char *e;

			while (*t && *t != '$' && (isalnum((unsigned char) *t) || *t == '_'))
				t++;
			if (*t != '$')
			{
				p++;
				continue;
			}
			tag = pnstrdup(p, t - p + 1);
			e = strstr(t + 1, tag);
			p = e ? e + strlen(tag) : p + strlen(p);
			pfree(tag);
		}
		else if (*p == ';')
			return p + 1;
		else
			p++;
	}
	return p;
}

/* the statement's text without its leading blanks, comments and psql lines */
static const char *
init_skip_blank(const char *p, const char *end)
{
	for (;;)
	{
		while (p < end && isspace((unsigned char) *p))
			p++;
		if (p + 1 < end && p[0] == '-' && p[1] == '-')
			while (p < end && *p != '\n')
				p++;
		else if (p + 1 < end && p[0] == '/' && p[1] == '*')
		{
			const char *e = strstr(p + 2, "*/");

			p = (e && e < end) ? e + 2 : end;
		}
		else if (p < end && *p == '\\')
			while (p < end && *p != '\n')
				p++;
		else
			return p;
	}
}

/* does s start with word (case-insensitive), then a blank? */
static bool
init_starts(const char *s, const char *words)
{
	size_t		n = strlen(words);

	return pg_strncasecmp(s, words, n) == 0 && isspace((unsigned char) s[n]);
}

/* the name after "@extschema@." at or after p, before end, or NULL */
static char *
init_name_after(const char *p, const char *end, const char *before)
{
	const char *s = before ? strstr(p, before) : p;
	const char *t;

	if (s == NULL || s >= end || (s = strstr(s, SCHEMA_TOKEN)) == NULL || s >= end)
		return NULL;
	s += strlen(SCHEMA_TOKEN);
	t = s;
	while (t < end && (isalnum((unsigned char) *t) || *t == '_'))
		t++;
	return pnstrdup(s, t - s);
}

static bool
init_model_type(const char *name)
{
	for (int t = 0; t < OLTP_NTABLES; t++)
		for (int c = 0; c < OLTP_MAX_COLUMNS && oltp_model[t].columns[c].name; c++)
			if (oltp_model[t].columns[c].typname &&
				strcmp(oltp_model[t].columns[c].typname, name) == 0)
				return true;
	return false;
}

/* a function of the C library, which the client cannot create */
static bool
init_c_function(const char *s, const char *end)
{
	const char *m = strstr(s, "MODULE_PATHNAME");

	return m != NULL && m < end;
}

/*
 * The statements of script text that make the model's tables appended to
 * out, the functions their triggers execute first.  A set's script
 * (whole) is its extension alone: every table it makes (a partition, a
 * table its functions keep) and every function it defines but the C
 * library's, which its operations and its seed call.
 */
static void
init_pick(const char *text, bool whole, InitList *out)
{
	InitList	candidates = {0};
	InitList	functions = {0};
	StringInfoData triggers;
	const char *p = text;

	initStringInfo(&triggers);
	while (*p)
	{
		const char *end = init_statement_end(p);
		const char *s = init_skip_blank(p, end);
		char	   *name = NULL;
		bool		keep = false;

		if (s >= end)
		{
			p = end;
			continue;
		}
		if (init_starts(s, "CREATE TABLE") || init_starts(s, "ALTER TABLE"))
			keep = whole || ((name = init_name_after(s, end, NULL)) &&
							 (oltp_model_lookup(name) >= 0 || strcmp(name, OLTP_ANNOUNCE_HISTORY) == 0));
		else if (init_starts(s, "CREATE INDEX") || init_starts(s, "CREATE UNIQUE INDEX") ||
				 init_starts(s, "CREATE TRIGGER"))
		{
			keep = whole || ((name = init_name_after(s, end, " ON ")) && oltp_model_lookup(name) >= 0);
			if (keep && init_starts(s, "CREATE TRIGGER"))
				appendBinaryStringInfo(&triggers, s, (int) (end - s));
		}
		else if (init_starts(s, "CREATE TYPE") || init_starts(s, "CREATE DOMAIN"))
			keep = (name = init_name_after(s, end, NULL)) && init_model_type(name);
		else if ((init_starts(s, "CREATE FUNCTION") || init_starts(s, "CREATE OR REPLACE FUNCTION")) &&
				 whole && !init_c_function(s, end))
			keep = true;
		else if (init_starts(s, "CREATE FUNCTION") || init_starts(s, "CREATE OR REPLACE FUNCTION"))
			init_append(&functions, pnstrdup(s, end - s));
		if (keep)
			init_append(&candidates, pnstrdup(s, end - s));
		p = end;
	}

	/* a function stays if a kept trigger executes it */
	for (int i = 0; i < functions.n; i++)
	{
		char	   *f = functions.items[i];
		char	   *name = init_name_after(f, f + strlen(f), NULL);

		if (name && strstr(triggers.data, psprintf("EXECUTE FUNCTION " SCHEMA_TOKEN "%s(", name)))
			init_append(out, f);
	}
	for (int i = 0; i < candidates.n; i++)
		init_append(out, candidates.items[i]);
}

/* text with every @extschema@ replaced by the quoted schema */
static char *
init_with_schema(const char *text, const char *schema)
{
	StringInfoData buf;
	const char *q = quote_identifier(schema);
	const char *p = text;
	const char *m;

	initStringInfo(&buf);
	while ((m = strstr(p, "@extschema@")) != NULL)
	{
		appendBinaryStringInfo(&buf, p, (int) (m - p));
		appendStringInfoString(&buf, q);
		p = m + strlen("@extschema@");
	}
	appendStringInfoString(&buf, p);
	return buf.data;
}

/*
 * Create the tables of extension name (oltp_sim or a set's) in schema, in
 * the caller's transaction.
 */
void
client_init_extension(const char *scripts, const char *name, const char *schema)
{
	InitList	paths = {0};
	InitList	statements = {0};

	init_scripts(scripts, name, &paths);
	for (int i = 0; i < paths.n; i++)
		init_pick(init_read_file(paths.items[i]), strcmp(name, "oltp_sim") != 0, &statements);
	for (int i = 0; i < statements.n; i++)
		client_command(init_with_schema(statements.items[i], schema));
}

/*
 * Drop from schema what client_init_extension made of set extension name
 * (not oltp_sim's), in the caller's transaction: its tables, then its
 * functions, as DROP EXTENSION of it would, which fails as that does on
 * an object of someone else's that depends on them.  oltp_reset makes the
 * set schema_changes again so (seed.h, client/tables.c).
 */
void
client_drop_extension(const char *scripts, const char *name, const char *schema)
{
	InitList	paths = {0};
	InitList	statements = {0};
	InitList	drops = {0};

	init_scripts(scripts, name, &paths);
	for (int i = 0; i < paths.n; i++)
		init_pick(init_read_file(paths.items[i]), true, &statements);
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < statements.n; i++)
		{
			const char *s = statements.items[i];
			const char *end = s + strlen(s);
			bool		table = init_starts(s, "CREATE TABLE");
			char	   *fname;
			const char *open;
			const char *close;

			if (pass == 0 && table)
				init_append(&drops, psprintf("DROP TABLE IF EXISTS %s",
											 quote_qualified_identifier(schema, init_name_after(s, end, NULL))));
			if (pass == 1 && !table &&
				(init_starts(s, "CREATE FUNCTION") || init_starts(s, "CREATE OR REPLACE FUNCTION")) &&
				(fname = init_name_after(s, end, NULL)) != NULL &&
				(open = strstr(s, psprintf(SCHEMA_TOKEN "%s(", fname))) != NULL)
			{
				int			depth = 0;

				/* the argument list, to its closing parenthesis: numeric(10,2) inside */
				open = strchr(open, '(');
				for (close = open; *close; close++)
					if (*close == '(')
						depth++;
					else if (*close == ')' && --depth == 0)
						break;
				if (*close)
					init_append(&drops, psprintf("DROP FUNCTION IF EXISTS %s%.*s",
												 quote_qualified_identifier(schema, fname),
												 (int) (close - open + 1), open));
			}
		}
	for (int i = 0; i < drops.n; i++)
		client_command(drops.items[i]);
}

/*
 * The SET clauses of extension name's function fname as its scripts
 * define it last (SET TimeZone = 'UTC', ...), run in the session: the
 * settings the function pins, for the client that calls its C code.
 */
void
client_function_settings(const char *scripts, const char *name, const char *fname)
{
	InitList	paths = {0};
	char	   *found = NULL;
	char	   *head = psprintf("FUNCTION " SCHEMA_TOKEN "%s(", fname);

	init_scripts(scripts, name, &paths);
	for (int i = 0; i < paths.n; i++)
	{
		const char *p = init_read_file(paths.items[i]);

		while (*p)
		{
			const char *end = init_statement_end(p);
			const char *s = init_skip_blank(p, end);

			if ((init_starts(s, "CREATE FUNCTION") || init_starts(s, "CREATE OR REPLACE FUNCTION")) &&
				strstr(s, head) != NULL && strstr(s, head) < end)
				found = pnstrdup(s, end - s);
			p = end;
		}
	}
	if (found == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("no function %s in the scripts of %s in \"%s\"", fname, name, scripts)));
	for (char *line = strtok(found, "\n"); line; line = strtok(NULL, "\n"))
	{
		size_t		len;

		while (isspace((unsigned char) *line))
			line++;
		if (!init_starts(line, "SET"))
			continue;
		len = strlen(line);
		while (len > 0 && (line[len - 1] == ';' || isspace((unsigned char) line[len - 1])))
			line[--len] = '\0';
		client_command(line);
	}
}
