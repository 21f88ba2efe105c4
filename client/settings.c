/*-------------------------------------------------------------------------
 *
 * settings.c
 *		The oltp_sim.* settings in the client program: guc.c and op.c
 *		define them (DefineCustom*Variable, here recording each one), and
 *		--set name=value sets one with the server's bounds, check hooks and
 *		messages, so a bad value reads as it would in postgresql.conf.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "utils/guc.h"

#include "backend.h"
#include "client.h"

typedef enum SettingType
{
	SETTING_BOOL,
	SETTING_INT,
	SETTING_REAL,
	SETTING_STRING,
	SETTING_ENUM
} SettingType;

typedef struct Setting
{
	const char *name;
	const char *short_desc;
	SettingType type;
	void	   *addr;
	double		min;
	double		max;
	int			flags;
	const struct config_enum_entry *options;
	void	   *check;
	void	   *assign;
} Setting;

#define MAX_SETTINGS	128
static Setting settings[MAX_SETTINGS];
static int	nsettings = 0;

static Setting *
setting_add(const char *name, const char *short_desc, SettingType type, void *addr,
			int flags, void *check, void *assign)
{
	Setting    *s;

	if (nsettings >= MAX_SETTINGS)
		elog(ERROR, "too many settings");
	s = &settings[nsettings++];
	memset(s, 0, sizeof(*s));
	s->name = pstrdup(name);
	s->short_desc = short_desc;
	s->type = type;
	s->addr = addr;
	s->flags = flags;
	s->check = check;
	s->assign = assign;
	return s;
}

void
DefineCustomBoolVariable(const char *name, const char *short_desc, const char *long_desc,
						 bool *valueAddr, bool bootValue, GucContext context, int flags,
						 GucBoolCheckHook check_hook, GucBoolAssignHook assign_hook,
						 GucShowHook show_hook)
{
	setting_add(name, short_desc, SETTING_BOOL, valueAddr, flags, check_hook, assign_hook);
	*valueAddr = bootValue;
}

void
DefineCustomIntVariable(const char *name, const char *short_desc, const char *long_desc,
						int *valueAddr, int bootValue, int minValue, int maxValue,
						GucContext context, int flags, GucIntCheckHook check_hook,
						GucIntAssignHook assign_hook, GucShowHook show_hook)
{
	Setting    *s = setting_add(name, short_desc, SETTING_INT, valueAddr, flags,
								check_hook, assign_hook);

	s->min = minValue;
	s->max = maxValue;
	*valueAddr = bootValue;
}

void
DefineCustomRealVariable(const char *name, const char *short_desc, const char *long_desc,
						 double *valueAddr, double bootValue, double minValue,
						 double maxValue, GucContext context, int flags,
						 GucRealCheckHook check_hook, GucRealAssignHook assign_hook,
						 GucShowHook show_hook)
{
	Setting    *s = setting_add(name, short_desc, SETTING_REAL, valueAddr, flags,
								check_hook, assign_hook);

	s->min = minValue;
	s->max = maxValue;
	*valueAddr = bootValue;
}

void
DefineCustomStringVariable(const char *name, const char *short_desc, const char *long_desc,
						   char **valueAddr, const char *bootValue, GucContext context,
						   int flags, GucStringCheckHook check_hook,
						   GucStringAssignHook assign_hook, GucShowHook show_hook)
{
	setting_add(name, short_desc, SETTING_STRING, valueAddr, flags, check_hook, assign_hook);
	*valueAddr = bootValue ? pstrdup(bootValue) : NULL;
}

void
DefineCustomEnumVariable(const char *name, const char *short_desc, const char *long_desc,
						 int *valueAddr, int bootValue,
						 const struct config_enum_entry *options, GucContext context,
						 int flags, GucEnumCheckHook check_hook,
						 GucEnumAssignHook assign_hook, GucShowHook show_hook)
{
	Setting    *s = setting_add(name, short_desc, SETTING_ENUM, valueAddr, flags,
								check_hook, assign_hook);

	s->options = options;
	*valueAddr = bootValue;
}

void
GUC_check_errcode(int sqlerrcode)
{
}

/* a Boolean as the server's parse_bool reads one: on, off, true, yes, 1, ... */
static bool
setting_parse_bool(const char *value, bool *result)
{
	static const char *const yes[] = {"on", "true", "yes", "1", "t", "y"};
	static const char *const no[] = {"off", "false", "no", "0", "f", "n"};

	for (int i = 0; i < lengthof(yes); i++)
	{
		if (pg_strcasecmp(value, yes[i]) == 0)
		{
			*result = true;
			return true;
		}
		if (pg_strcasecmp(value, no[i]) == 0)
		{
			*result = false;
			return true;
		}
	}
	return false;
}

/* the server's message for a value its check hook refused */
static bool
setting_refused(const Setting *s, const char *value)
{
	fprintf(stderr, "%s: invalid value for parameter \"%s\": \"%s\"\n",
			client_progname, s->name, value);
	if (GUC_check_errdetail_string)
		fprintf(stderr, "DETAIL:  %s\n", GUC_check_errdetail_string);
	if (GUC_check_errhint_string)
		fprintf(stderr, "HINT:  %s\n", GUC_check_errhint_string);
	return false;
}

static bool
setting_out_of_range(const Setting *s, const char *value)
{
	if (s->type == SETTING_INT)
		fprintf(stderr, "%s: %s is outside the valid range for parameter \"%s\" (%d .. %d)\n",
				client_progname, value, s->name, (int) s->min, (int) s->max);
	else
		fprintf(stderr, "%s: %s is outside the valid range for parameter \"%s\" (%g .. %g)\n",
				client_progname, value, s->name, s->min, s->max);
	return false;
}

/*
 * The settings the client reads: the pace, the mix, the batches and the
 * stream's watermarks.  The others are the workers' (database, role,
 * interval, held transactions, ...): refused, so that none is set to no
 * effect.
 */
static bool
setting_used(const Setting *s)
{
	static const char *const used[] = {
		"oltp_sim.rate", "oltp_sim.schedule", "oltp_sim.ops_per_transaction",
		"oltp_sim.batch_rows", "oltp_sim.skew", "oltp_sim.profile",
		"oltp_sim.watermark_every",
	};

	if (strncmp(s->name, "oltp_sim.weight_", 16) == 0)
		return true;
	for (int i = 0; i < lengthof(used); i++)
		if (strcmp(s->name, used[i]) == 0)
			return true;
	return false;
}

/*
 * Set setting name (with or without its "oltp_sim." prefix) to value, as
 * SET would: parsed, bounded, checked by its hook, assigned.  False, with
 * the server's message on stderr, for a bad name or value.
 */
bool
client_setting_set(const char *name, const char *value)
{
	Setting    *s = NULL;
	void	   *extra = NULL;
	char	   *end;

	for (int i = 0; i < nsettings && s == NULL; i++)
		if (strcmp(settings[i].name, name) == 0 ||
			(strncmp(settings[i].name, "oltp_sim.", 9) == 0 &&
			 strcmp(settings[i].name + 9, name) == 0))
			s = &settings[i];
	if (s == NULL)
	{
		fprintf(stderr, "%s: unrecognized configuration parameter \"%s\"\n",
				client_progname, name);
		fprintf(stderr, "HINT:  %s --help lists them.\n", client_progname);
		return false;
	}
	if (!setting_used(s))
	{
		fprintf(stderr, "%s: parameter \"%s\" is the workers', not the client's\n",
				client_progname, s->name);
		fprintf(stderr, "HINT:  %s --help lists the settings the client reads.\n", client_progname);
		return false;
	}
	GUC_check_errmsg_string = GUC_check_errdetail_string = GUC_check_errhint_string = NULL;
	switch (s->type)
	{
		case SETTING_BOOL:
			{
				bool		v;

				if (!setting_parse_bool(value, &v))
				{
					fprintf(stderr, "%s: parameter \"%s\" requires a Boolean value\n",
							client_progname, s->name);
					return false;
				}
				if (s->check && !((GucBoolCheckHook) s->check) (&v, &extra, PGC_S_ARGV))
					return setting_refused(s, value);
				*(bool *) s->addr = v;
				if (s->assign)
					((GucBoolAssignHook) s->assign) (v, extra);
				break;
			}
		case SETTING_INT:
			{
				long		v;

				errno = 0;
				v = strtol(value, &end, 10);
				if (end == value || *end != '\0' || errno != 0)
				{
					fprintf(stderr, "%s: invalid value for parameter \"%s\": \"%s\"\n",
							client_progname, s->name, value);
					return false;
				}
				if (v < s->min || v > s->max)
					return setting_out_of_range(s, value);
				{
					int			iv = (int) v;

					if (s->check && !((GucIntCheckHook) s->check) (&iv, &extra, PGC_S_ARGV))
						return setting_refused(s, value);
					*(int *) s->addr = iv;
					if (s->assign)
						((GucIntAssignHook) s->assign) (iv, extra);
				}
				break;
			}
		case SETTING_REAL:
			{
				double		v;

				errno = 0;
				v = strtod(value, &end);
				if (end == value || *end != '\0' || errno != 0 || isnan(v))
				{
					fprintf(stderr, "%s: invalid value for parameter \"%s\": \"%s\"\n",
							client_progname, s->name, value);
					return false;
				}
				if (v < s->min || v > s->max)
					return setting_out_of_range(s, value);
				if (s->check && !((GucRealCheckHook) s->check) (&v, &extra, PGC_S_ARGV))
					return setting_refused(s, value);
				*(double *) s->addr = v;
				if (s->assign)
					((GucRealAssignHook) s->assign) (v, extra);
				break;
			}
		case SETTING_STRING:
			{
				char	   *v = pstrdup(value);

				if (s->check && !((GucStringCheckHook) s->check) (&v, &extra, PGC_S_ARGV))
					return setting_refused(s, value);
				*(char **) s->addr = v;
				if (s->assign)
					((GucStringAssignHook) s->assign) (v, extra);
				break;
			}
		case SETTING_ENUM:
			{
				const struct config_enum_entry *e;

				for (e = s->options; e->name; e++)
					if (pg_strcasecmp(e->name, value) == 0)
						break;
				if (e->name == NULL)
				{
					fprintf(stderr, "%s: invalid value for parameter \"%s\": \"%s\"\n",
							client_progname, s->name, value);
					fprintf(stderr, "HINT:  Available values:");
					for (e = s->options; e->name; e++)
						fprintf(stderr, "%s %s", e == s->options ? "" : ",", e->name);
					fprintf(stderr, ".\n");
					return false;
				}
				{
					int			v = e->val;

					if (s->check && !((GucEnumCheckHook) s->check) (&v, &extra, PGC_S_ARGV))
						return setting_refused(s, value);
					*(int *) s->addr = v;
					if (s->assign)
						((GucEnumAssignHook) s->assign) (v, extra);
				}
				break;
			}
	}
	return true;
}

/* for --help: every setting the client reads, with what it does */
void
client_settings_print(FILE *out)
{
	for (int i = 0; i < nsettings; i++)
	{
		const Setting *s = &settings[i];

		if (!setting_used(s))
			continue;
		fprintf(out, "  %-36s %s", s->name, s->short_desc);
		/* an enum's values, as the extension defines them (oltp_sim.profile's) */
		if (s->type == SETTING_ENUM)
			for (const struct config_enum_entry *e = s->options; e->name; e++)
				if (!e->hidden)
					fprintf(out, "%s%s%s", e == s->options ? " One of: " : ", ", e->name,
							e[1].name ? "" : ".");
		fputc('\n', out);
	}
}

/*
 * A server setting for the transaction (run.c pins search_path in each):
 * set_config(..., is_local), which the transaction's end undoes, as
 * AtEOXact_GUC would.
 */
int
NewGUCNestLevel(void)
{
	return 1;
}

void
AtEOXact_GUC(bool isCommit, int nestLevel)
{
}

int
set_config_option(const char *name, const char *value, GucContext context, GucSource source,
				  GucAction action, bool changeVal, int elevel, bool is_reload)
{
	const char *values[2] = {name, value};

	/* the session has it already (CLIENT_SEARCH_PATH): a round trip saved */
	if (strcmp(name, "search_path") == 0 && strcmp(value, CLIENT_SEARCH_PATH) == 0)
		return 1;
	PQclear(client_query("SELECT pg_catalog.set_config($1, $2, true)", 2, values));
	return 1;
}
