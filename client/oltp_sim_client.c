/*-------------------------------------------------------------------------
 *
 * oltp_sim_client.c
 *		oltp_sim_client: oltp_sim's stream from outside the server, over
 *		libpq, for a server that cannot load the extension (a managed
 *		PostgreSQL) and a role that is not a superuser.
 *
 * It runs the extension's own engine: the model (model.c), the generators
 * (generate.c, gen_text.c, dict_ptbr.c), the settings (guc.c, op.c), the
 * operations (op*.c), oltp_reset (seed*.c), CALL oltp_run (run.c) and
 * oltp_checksums (checksum.c) are compiled from the same files, their
 * statements prepared on the client's connection (spi.c) and their server
 * calls answered in the client's session (backend.c).  Commands: init
 * (init.c), seed, run, stream (stream.c), checksums, counts.  Options and
 * exit codes follow pgbench: -h -p -U -d and the PG* environment, 1 for bad
 * input or a failed start, 2 for a failure during the work.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "getopt_long.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "backend.h"
#include "client.h"
#include "guc.h"
#include "init.h"
#include "model.h"
#include "op.h"
#include "publication.h"
#include "schema.h"
#include "stream.h"

PGconn	   *client_conn = NULL;
const char *client_progname = "oltp_sim_client";

/* what the command line asked for */
typedef struct ClientOptions
{
	const char *host;
	const char *port;
	const char *user;
	const char *dbname;
	const char *schema;
	int64		ops;
	bool		ops_given;
	int64		seed;
	bool		seed_given;
	const char *anchor;			/* NULL: midnight today, the server's */
	double		scale;			/* seed: oltp_reset's scale */
	const char *exclude;		/* checksums: columns left out, or NULL */
	int			clients;		/* stream: connections */
	int			seconds;		/* stream: how long, 0 for no limit */
	int			progress;		/* stream: seconds between progress lines */
	int			in_flight;		/* stream: transactions sent ahead of their answers */
	bool		sets[OLTP_NTABLES]; /* init: the opt-in sets, by a table's index */
	const char *scripts;		/* the extension's install scripts */
	const char *publication;	/* init: a publication of the tables, or NULL */
} ClientOptions;


static void
usage(void)
{
	printf("%s runs oltp_sim's stream of hospital operations against a PostgreSQL\n"
		   "server over libpq, without the extension installed.\n\n", client_progname);
	printf("Usage:\n  %s [OPTION]... COMMAND\n\n", client_progname);
	printf("Commands:\n"
		   "  init                     create the tables (--sets, --publication)\n"
		   "  seed                     empty the tables and seed them, as oltp_reset()\n"
		   "  run                      run --ops operations, as CALL oltp_run()\n"
		   "  stream                   stream as the workers do (-c, -R, -T, -P)\n"
		   "  checksums                each table's rows and digest, as oltp_checksums()\n"
		   "  counts                   each table's rows, as oltp_counts()\n\n");
	printf("Checksums options:\n"
		   "  --exclude=COL[,COL]      columns left out (oltp_checksums' exclude_columns)\n\n");
	printf("Init options:\n"
		   "  --sets=SET[,SET]         the opt-in sets too: %s\n"
		   "  --publication=NAME       a publication of the tables, if the role may\n"
		   "  --scripts=DIR            the extension's scripts (default: %s)\n\n",
		   oltp_model_set_list(), OLTP_SIM_SCRIPTS);
	printf("Seed options:\n"
		   "  -s, --scale=NUM          multiplies every table's volume (default: 1)\n"
		   "  --seed, --anchor         as for run\n\n");
	printf("Run options:\n"
		   "  --ops=NUM                operations to run\n"
		   "  --seed=NUM               seed of the draws (default: random, printed)\n"
		   "  --anchor=TIMESTAMP       the clock's start (default: midnight today)\n"
		   "  --profile=NAME           oltp_sim.profile (its values below)\n"
		   "  --set=NAME=VALUE         an oltp_sim setting (the list below)\n"
		   "  --schema=NAME            schema of the tables (default: public)\n\n");
	printf("Stream options:\n"
		   "  -c, --client=NUM         connections, each a worker (default: 1)\n"
		   "  -R, --rate=NUM           operations per second, shared (oltp_sim.rate)\n"
		   "  -T, --time=NUM           seconds to stream (default: until Ctrl-C or --ops)\n"
		   "  -P, --progress=NUM       a progress line every NUM seconds\n"
		   "  --in-flight=NUM          operations sent ahead of their answers, 0 to %d\n"
		   "                           (default: %d; 0: each answer read before the next)\n"
		   "  --ops, --seed, --profile, --set as for run; oltp_sim.schedule paces too\n\n",
		   CLIENT_MAX_IN_FLIGHT, CLIENT_IN_FLIGHT_DEFAULT);
	printf("Connection options:\n"
		   "  -h, --host=HOSTNAME      database server host or socket directory\n"
		   "  -p, --port=PORT          database server port number\n"
		   "  -U, --username=USERNAME  connect as specified database user\n"
		   "  -d, --dbname=DBNAME      database to connect to\n\n");
	printf("Common options:\n"
		   "  -V, --version            output version information, then exit\n"
		   "  -?, --help               show this help, then exit\n\n");
	printf("Settings (--set), as in postgresql.conf; the workers' others do not apply,\n"
		   "and with oltp_sim.rate 0 and no oltp_sim.schedule the client streams flat out:\n");
	client_settings_print(stdout);
	printf("\nExit status: 0 done, 1 bad input or no connection, 2 failed while working.\n");
}

/* an error the program stops on, before any work: exit 1 */
static void
bad_input(const char *fmt,...) pg_attribute_printf(1, 2);

static void
bad_input(const char *fmt,...)
{
	va_list		args;

	fprintf(stderr, "%s: ", client_progname);
	va_start(args, fmt);
	vfprintf(stderr, fmt, args);
	va_end(args);
	fprintf(stderr, "\nTry \"%s --help\" for more information.\n", client_progname);
	exit(CLIENT_EXIT_BAD_INPUT);
}

void
client_print_error(const ErrorData *edata)
{
	/* an error as pgbench says one; a notice as psql shows the server's */
	if (edata->elevel >= ERROR)
		fprintf(stderr, "%s: error: %s\n", client_progname,
				edata->message ? edata->message : "(no message)");
	else
		fprintf(stderr, "%s:  %s\n", edata->elevel == WARNING ? "WARNING" : "NOTICE",
				edata->message ? edata->message : "(no message)");
	if (edata->detail)
		fprintf(stderr, "DETAIL:  %s\n", edata->detail);
	if (edata->hint)
		fprintf(stderr, "HINT:  %s\n", edata->hint);
}

static int64
parse_int64(const char *opt, const char *value, int64 min)
{
	char	   *end;
	long long	v;

	errno = 0;
	v = strtoll(value, &end, 10);
	if (end == value || *end != '\0' || errno != 0 || v < min)
		bad_input("invalid value \"%s\" for option %s: a whole number from " INT64_FORMAT " up is expected",
				  value, opt, min);
	return (int64) v;
}

static void
client_connect(const ClientOptions *o)
{
	const char *keywords[] = {"host", "port", "user", "dbname", "application_name",
	"fallback_application_name", NULL};
	const char *values[] = {o->host, o->port, o->user, o->dbname, NULL,
	client_progname, NULL};

	values[4] = getenv("PGAPPNAME");
	if (values[4] == NULL)
		values[4] = client_progname;
	client_conn = PQconnectdbParams(keywords, values, true);
	if (PQstatus(client_conn) != CONNECTION_OK)
	{
		fprintf(stderr, "%s: error: %s", client_progname, PQerrorMessage(client_conn));
		exit(CLIENT_EXIT_BAD_INPUT);
	}
	/* every name the statements use is qualified; nothing else resolves */
	PQclear(PQexec(client_conn, "SET search_path = " CLIENT_SEARCH_PATH));
	/* the dates and timestamps read back are read in ISO (spi.c) */
	PQclear(PQexec(client_conn, "SET DateStyle = ISO"));
}

/* an anchor as the server reads it, or midnight today */
static Timestamp
client_anchor(const char *text)
{
	const char *values[1] = {text};
	PGresult   *res;
	Timestamp	anchor;

	res = client_query("SELECT ((pg_catalog.date_part('epoch', coalesce($1::pg_catalog.timestamp, "
					   "CURRENT_DATE::pg_catalog.timestamp))::pg_catalog.numeric "
					   "OPERATOR(pg_catalog.-) 946684800) OPERATOR(pg_catalog.*) 1000000)::pg_catalog.int8",
					   1, values);
	anchor = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return anchor;
}

/* ---------------------------------------------------------------------------
 * init
 * ---------------------------------------------------------------------------
 */

/* the extension that creates the set of table t */
static const char *
set_extension(OltpTable t)
{
	if (strcmp(oltp_model[t].set, OLTP_SET_CORE) == 0)
		return "oltp_sim";
	return psprintf("oltp_sim_%s", oltp_model[t].set);
}

/* --sets: each a set of the model, the core one aside */
static void
parse_sets(ClientOptions *o, const char *list)
{
	char	   *copy = pstrdup(list);

	for (char *name = strtok(copy, ", "); name; name = strtok(NULL, ", "))
	{
		bool		found = false;

		for (int t = 0; t < OLTP_NTABLES; t++)
			if (strcmp(oltp_model[t].set, name) == 0 && strcmp(name, OLTP_SET_CORE) != 0)
				o->sets[t] = found = true;
		if (!found)
			bad_input("\"%s\" is not an opt-in set of oltp_sim: the sets are %s",
					  name, oltp_model_set_list());
	}
}

/*
 * The tables, in one transaction: the core set's, then each set asked for
 * (a set's first table in the model stands for it).  The publication, of
 * the model's tables in the schema as oltp_publication() makes it, is made
 * where the role may; a role that may not gets a note, not a failure.
 */
static int
command_init(const ClientOptions *o)
{
	client_connect(o);
	client_begin();
	if (strcmp(o->schema, "public") != 0)
		client_command(psprintf("CREATE SCHEMA IF NOT EXISTS %s", quote_identifier(o->schema)));
	client_init_extension(o->scripts, "oltp_sim", o->schema);
	for (int t = 0; t < OLTP_NTABLES; t++)
		if (o->sets[t] && (t == 0 || strcmp(oltp_model[t - 1].set, oltp_model[t].set) != 0))
			client_init_extension(o->scripts, set_extension(t), o->schema);
	client_end(true);
	printf("tables created in schema %s\n", o->schema);

	if (o->publication)
	{
		OltpSchema	schema;
		char	   *sql;
		ErrorData  *edata = NULL;

		/* the tables of the model in the schema now, as oltp_publication() */
		oltp_schema_require(&schema);
		sql = oltp_publication_create_sql(o->publication, &schema);
		PG_TRY();
		{
			client_command(sql);
		}
		PG_CATCH();
		{
			edata = CopyErrorData();
			FlushErrorState();
		}
		PG_END_TRY();
		if (edata && edata->sqlerrcode != ERRCODE_INSUFFICIENT_PRIVILEGE)
			ReThrowError(edata);
		if (edata)
			printf("note: no publication: %s\n", edata->message);
		else
			printf("publication %s created\n", o->publication);
	}
	return 0;
}

/* ---------------------------------------------------------------------------
 * seed
 * ---------------------------------------------------------------------------
 */

/* the extension's functions, called as the server calls them */
extern Datum oltp_reset(PG_FUNCTION_ARGS);
extern Datum oltp_checksums(PG_FUNCTION_ARGS);

/* oltp_reset's rows: table, rows inserted, milliseconds */
static void
print_seeded(const Datum *values, const bool *isnull)
{
	printf("%-22s %10lld rows %10.1f ms\n", text_to_cstring((text *) DatumGetPointer(values[0])),
		   (long long) DatumGetInt64(values[1]), DatumGetFloat8(values[2]));
}

/*
 * oltp_reset(scale => ..., seed => ..., anchor => ...), in one transaction:
 * the same function, so the same checks, messages and rows.  It prints
 * each table's rows and time (tuplestore_putvalues, backend.c).
 */
static int
command_seed(const ClientOptions *o)
{
	LOCAL_FCINFO(fcinfo, 4);
	ReturnSetInfo rsinfo;

	client_connect(o);
	memset(&rsinfo, 0, sizeof(rsinfo));
	InitFunctionCallInfoData(*fcinfo, NULL, 4, InvalidOid, NULL, (Node *) &rsinfo);
	/* rows: each table's default volume from the model */
	fcinfo->args[0].value = (Datum) 0;
	fcinfo->args[0].isnull = true;
	fcinfo->args[1].value = Float8GetDatum(o->scale);
	fcinfo->args[1].isnull = false;
	fcinfo->args[2].value = Int64GetDatum(o->seed);
	fcinfo->args[2].isnull = !o->seed_given;
	fcinfo->args[3].value = TimestampGetDatum(client_anchor(o->anchor));
	fcinfo->args[3].isnull = false;
	client_row_printer = print_seeded;
	/* the ids a block at a time, what is left given back (backend.c) */
	client_nextval_prefetch = true;
	client_begin();
	(void) oltp_reset(fcinfo);
	client_nextval_settle();
	client_end(true);
	client_nextval_prefetch = false;
	return 0;
}

/* ---------------------------------------------------------------------------
 * checksums, counts
 * ---------------------------------------------------------------------------
 */

/* oltp_checksums' rows as psql -tA prints them: table|row_count|digest */
static void
print_checksum(const Datum *values, const bool *isnull)
{
	printf("%s|%lld|%s\n", text_to_cstring((text *) DatumGetPointer(values[0])),
		   (long long) DatumGetInt64(values[1]),
		   text_to_cstring((text *) DatumGetPointer(values[2])));
}

/* oltp_counts' rows: the same row counts, table|row_count */
static void
print_count(const Datum *values, const bool *isnull)
{
	printf("%s|%lld\n", text_to_cstring((text *) DatumGetPointer(values[0])),
		   (long long) DatumGetInt64(values[1]));
}

/*
 * oltp_checksums(exclude_columns => --exclude), with the settings its
 * definition pins; counts prints its row counts, which are oltp_counts'
 * count(*) of each table there is.
 */
static int
command_checksums(const ClientOptions *o, bool counts)
{
	LOCAL_FCINFO(fcinfo, 2);
	ReturnSetInfo rsinfo;

	client_connect(o);
	memset(&rsinfo, 0, sizeof(rsinfo));
	InitFunctionCallInfoData(*fcinfo, NULL, 2, InvalidOid, NULL, (Node *) &rsinfo);
	fcinfo->args[0].value = (Datum) 0;
	fcinfo->args[0].isnull = true;
	fcinfo->args[1].value = (Datum) 0;
	fcinfo->args[1].isnull = o->exclude == NULL || counts;
	if (!fcinfo->args[1].isnull)
	{
		char	   *copy = pstrdup(o->exclude);
		Datum		cols[64];
		int			n = 0;

		for (char *c = strtok(copy, ","); c && n < lengthof(cols); c = strtok(NULL, ","))
			cols[n++] = PointerGetDatum(cstring_to_text(c));
		fcinfo->args[1].value = PointerGetDatum(construct_array(cols, n, TEXTOID, -1, false,
																TYPALIGN_INT));
	}
	client_row_printer = counts ? print_count : print_checksum;
	client_begin();
	client_function_settings(o->scripts, "oltp_sim", "oltp_checksums");
	(void) oltp_checksums(fcinfo);
	client_end(true);
	return 0;
}

/* ---------------------------------------------------------------------------
 * run
 * ---------------------------------------------------------------------------
 */

/* the extension's procedure, called as CALL calls it */
extern Datum oltp_run(PG_FUNCTION_ARGS);

/*
 * CALL oltp_run(ops => --ops, seed => --seed, anchor => --anchor): the
 * same procedure, so the same checks, picks, transactions and summary (its
 * NOTICE); the profile and weights are the settings (--profile, --set).
 */
static int
command_run(const ClientOptions *o)
{
	LOCAL_FCINFO(fcinfo, 5);
	CallContext call;

	client_connect(o);
	memset(&call, 0, sizeof(call));
	call.type = T_CallContext;
	call.atomic = false;
	InitFunctionCallInfoData(*fcinfo, NULL, 5, InvalidOid, (Node *) &call, NULL);
	fcinfo->args[0].value = Int64GetDatum(o->ops);
	fcinfo->args[0].isnull = !o->ops_given;
	fcinfo->args[1].value = Int64GetDatum(o->seed);
	fcinfo->args[1].isnull = !o->seed_given;
	fcinfo->args[2].value = o->anchor ? TimestampGetDatum(client_anchor(o->anchor)) : (Datum) 0;
	fcinfo->args[2].isnull = o->anchor == NULL;
	/* profile and weights: the settings */
	fcinfo->args[3].value = fcinfo->args[4].value = (Datum) 0;
	fcinfo->args[3].isnull = fcinfo->args[4].isnull = true;
	/* new patients' ids a block at a time: the same ids, fewer round trips (backend.c) */
	client_nextval_cache = true;
	client_begin();
	(void) oltp_run(fcinfo);
	client_end(true);
	return 0;
}

/* ---------------------------------------------------------------------------
 * stream
 * ---------------------------------------------------------------------------
 */

static const ClientOptions *stream_options;

static void
stream_connect(void)
{
	client_connect(stream_options);
}

static int
command_stream(const ClientOptions *o)
{
	StreamOptions so;

	if (o->ops == 0 && o->seconds == 0)
		printf("streaming until Ctrl-C\n");
	so.clients = o->clients;
	so.ops = o->ops;
	so.seconds = o->seconds;
	so.progress = o->progress;
	so.seed_given = o->seed_given;
	so.seed = o->seed;
	so.in_flight = o->in_flight;
	stream_options = o;
	/* the tables are there, before any connection starts */
	client_connect(o);
	{
		OltpSchema	schema;

		oltp_schema_require(&schema);
	}
	PQfinish(client_conn);
	client_conn = NULL;
	return client_stream(&so, stream_connect);
}

static void
handle_sigint(SIGNAL_ARGS)
{
	QueryCancelPending = true;
	InterruptPending = true;
}

int
main(int argc, char **argv)
{
	static struct option long_options[] = {
		{"host", required_argument, NULL, 'h'},
		{"port", required_argument, NULL, 'p'},
		{"username", required_argument, NULL, 'U'},
		{"dbname", required_argument, NULL, 'd'},
		{"version", no_argument, NULL, 'V'},
		{"help", no_argument, NULL, '?'},
		{"ops", required_argument, NULL, 1},
		{"seed", required_argument, NULL, 2},
		{"anchor", required_argument, NULL, 3},
		{"profile", required_argument, NULL, 4},
		{"set", required_argument, NULL, 5},
		{"schema", required_argument, NULL, 6},
		{"sets", required_argument, NULL, 7},
		{"publication", required_argument, NULL, 8},
		{"scripts", required_argument, NULL, 9},
		{"scale", required_argument, NULL, 's'},
		{"exclude", required_argument, NULL, 10},
		{"client", required_argument, NULL, 'c'},
		{"rate", required_argument, NULL, 'R'},
		{"time", required_argument, NULL, 'T'},
		{"progress", required_argument, NULL, 'P'},
		{"in-flight", required_argument, NULL, 11},
		{NULL, 0, NULL, 0}
	};
	ClientOptions o = {0};
	int			c;
	const char *command;

	o.schema = "public";
	o.scripts = OLTP_SIM_SCRIPTS;
	o.scale = 1;
	o.clients = 1;
	o.in_flight = CLIENT_IN_FLIGHT_DEFAULT;
	MyProcPid = getpid();
	/* the settings, with their defaults, bounds and check hooks */
	oltp_guc_define_reloadable();
	oltp_ops_define_gucs();

	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-?") == 0))
	{
		usage();
		exit(0);
	}
	if (argc > 1 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0))
	{
		printf("%s (oltp_sim) %s\n", client_progname, OLTP_SIM_VERSION);
		exit(0);
	}
	while ((c = getopt_long(argc, argv, "h:p:U:d:s:c:R:T:P:V?", long_options, NULL)) != -1)
	{
		switch (c)
		{
			case 'h':
				o.host = optarg;
				break;
			case 'p':
				o.port = optarg;
				break;
			case 'U':
				o.user = optarg;
				break;
			case 'd':
				o.dbname = optarg;
				break;
			case 'c':
				o.clients = (int) parse_int64("--client", optarg, 1);
				break;
			case 'R':
				if (!client_setting_set("oltp_sim.rate", optarg))
					exit(CLIENT_EXIT_BAD_INPUT);
				break;
			case 'T':
				o.seconds = (int) parse_int64("--time", optarg, 1);
				break;
			case 'P':
				o.progress = (int) parse_int64("--progress", optarg, 1);
				break;
			case 's':
				{
					char	   *end;

					o.scale = strtod(optarg, &end);
					if (end == optarg || *end != '\0')
						bad_input("invalid value \"%s\" for option --scale: a number is expected", optarg);
					break;
				}
			case 1:
				o.ops = parse_int64("--ops", optarg, 0);
				o.ops_given = true;
				break;
			case 2:
				o.seed = parse_int64("--seed", optarg, 0);
				o.seed_given = true;
				break;
			case 3:
				o.anchor = optarg;
				break;
			case 4:
				if (!client_setting_set("oltp_sim.profile", optarg))
					exit(CLIENT_EXIT_BAD_INPUT);
				break;
			case 5:
				{
					char	   *name = pstrdup(optarg);
					char	   *eq = strchr(name, '=');

					if (eq == NULL)
						bad_input("--set takes NAME=VALUE, not \"%s\"", optarg);
					*eq = '\0';
					if (!client_setting_set(name, eq + 1))
						exit(CLIENT_EXIT_BAD_INPUT);
					break;
				}
			case 6:
				o.schema = optarg;
				break;
			case 7:
				parse_sets(&o, optarg);
				break;
			case 8:
				o.publication = optarg;
				break;
			case 9:
				o.scripts = optarg;
				break;
			case 10:
				o.exclude = optarg;
				break;
			case 11:
				{
					int64		n = parse_int64("--in-flight", optarg, 0);

					if (n > CLIENT_MAX_IN_FLIGHT)
						bad_input("invalid value \"%s\" for option --in-flight: a whole number from 0 to %d is expected",
								  optarg, CLIENT_MAX_IN_FLIGHT);
					o.in_flight = (int) n;
					break;
				}
			default:
				fprintf(stderr, "Try \"%s --help\" for more information.\n", client_progname);
				exit(CLIENT_EXIT_BAD_INPUT);
		}
	}
	if (optind >= argc)
		bad_input("no command given");
	command = argv[optind++];
	if (optind < argc)
		bad_input("too many command-line arguments (first is \"%s\")", argv[optind]);

	client_schema_name = o.schema;
	client_scripts_dir = o.scripts;
	pqsignal(SIGINT, handle_sigint);
	if (strcmp(command, "init") == 0)
		return command_init(&o);
	if (strcmp(command, "seed") == 0)
		return command_seed(&o);
	if (strcmp(command, "run") == 0)
		return command_run(&o);
	if (strcmp(command, "stream") == 0)
		return command_stream(&o);
	if (strcmp(command, "checksums") == 0)
		return command_checksums(&o, false);
	if (strcmp(command, "counts") == 0)
		return command_checksums(&o, true);
	bad_input("unknown command \"%s\"", command);
	return CLIENT_EXIT_BAD_INPUT;
}
