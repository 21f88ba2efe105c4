/*-------------------------------------------------------------------------
 *
 * functions.c
 *		The SQL-callable functions other than the seed: oltp_tables() and
 *		oltp_columns() (the model of model.c), oltp_counts(), and
 *		oltp_start(), oltp_stop(), oltp_status(), oltp_held_transactions(),
 *		oltp_operations() and oltp_changes(), thin entry points to the
 *		shared state of shmem.c.
 *
 * Everything here reads or flips shared state and returns; the work itself
 * happens in the launcher and the workers, which these functions only wake.
 * That keeps a monitoring query cheap and never blocked behind the stream.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "port/atomics.h"
#include "storage/lwlock.h"
#include "storage/spin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "guc.h"
#include "hold.h"
#include "model.h"
#include "op.h"
#include "privilege.h"
#include "schedule.h"
#include "schema.h"
#include "shmem.h"

/* ---------------------------------------------------------------------------
 * The model: what the tables are meant to be, whether or not they exist
 * ---------------------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(oltp_tables);
PG_FUNCTION_INFO_V1(oltp_columns);

/* one row per table of the model, in the order every report uses */
Datum
oltp_tables(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, 0);
	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		const OltpTableDef *def = &oltp_model[t];
		Datum		columns[OLTP_MAX_COLUMNS];
		int			ncolumns = 0;
		Datum		values[7];
		bool		nulls[7] = {0};

		while (ncolumns < OLTP_MAX_COLUMNS && def->columns[ncolumns].name)
		{
			columns[ncolumns] = CStringGetTextDatum(def->columns[ncolumns].name);
			ncolumns++;
		}
		values[0] = CStringGetTextDatum(def->name);
		values[1] = CStringGetTextDatum(def->set);
		values[2] = Int32GetDatum(t + 1);
		/* a table without a key, or whose key draws from no sequence */
		nulls[3] = (def->primary_key == NULL);
		values[3] = nulls[3] ? (Datum) 0 : CStringGetTextDatum(def->primary_key);
		nulls[4] = (def->sequence == NULL);
		values[4] = nulls[4] ? (Datum) 0 : CStringGetTextDatum(def->sequence);
		values[5] = Int64GetDatum(def->default_rows);
		values[6] = PointerGetDatum(construct_array(columns, ncolumns, TEXTOID, -1,
													false, TYPALIGN_INT));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* one row per column of the model, with the foreign key it carries */
Datum
oltp_columns(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, 0);
	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		const OltpTableDef *def = &oltp_model[t];

		for (int c = 0; c < OLTP_MAX_COLUMNS && def->columns[c].name; c++)
		{
			const OltpColumnDef *col = &def->columns[c];
			const OltpForeignKeyDef *fk = NULL;
			Datum		values[8];
			bool		nulls[8] = {0};

			for (int f = 0; f < OLTP_MAX_FKEYS && def->fkeys[f].column; f++)
				if (strcmp(def->fkeys[f].column, col->name) == 0)
					fk = &def->fkeys[f];
			values[0] = CStringGetTextDatum(def->name);
			values[1] = CStringGetTextDatum(col->name);
			values[2] = Int32GetDatum(c + 1);
			values[3] = CStringGetTextDatum(oltp_model_column_type(col));
			values[4] = BoolGetDatum(col->not_null);
			nulls[5] = nulls[6] = nulls[7] = (fk == NULL);
			if (fk)
			{
				values[5] = CStringGetTextDatum(oltp_model[fk->references].name);
				values[6] = CStringGetTextDatum(oltp_model_action_name(fk->on_update));
				values[7] = CStringGetTextDatum(oltp_model_action_name(fk->on_delete));
			}
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	return (Datum) 0;
}

/* ---------------------------------------------------------------------------
 * The tables as they are
 * ---------------------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(oltp_counts);

/* exact row counts, one row per table there is, in the model's order */
Datum
oltp_counts(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	OltpSchema	schema;
	int64		counts[OLTP_NTABLES];

	InitMaterializedSRF(fcinfo, 0);
	SPI_connect();
	/* a clear error if the tables were changed, rather than SPI's */
	oltp_schema_require(&schema);
	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		char	   *sql;
		bool		isnull;

		/* a table of an opt-in set not added has no count, not a zero */
		if (!schema.present[t])
			continue;
		/* count(*), not reltuples: tests compare these with the counters */
		sql = psprintf("SELECT pg_catalog.count(*) FROM %s", oltp_schema_qualify(&schema, t));

		if (SPI_execute(sql, true, 0) != SPI_OK_SELECT || SPI_processed != 1)
			elog(ERROR, "could not count %s", oltp_model[t].name);
		counts[t] = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0],
												SPI_tuptable->tupdesc, 1, &isnull));
	}
	SPI_finish();

	/* filled after SPI_finish: the tuplestore lives in the caller's context */
	for (int t = 0; t < OLTP_NTABLES; t++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		if (!schema.present[t])
			continue;

		values[0] = CStringGetTextDatum(oltp_model[t].name);
		values[1] = Int64GetDatum(counts[t]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* ---------------------------------------------------------------------------
 * The stream: start, stop, status
 * ---------------------------------------------------------------------------
 */

/*
 * oltp_start() and oltp_stop(): flip the switch and wake everyone, so that
 * the change is seen at once rather than at the next poll.  A server with
 * no worker cannot act on it: say so instead of returning silently.
 */
static void
functions_set_switch(OltpRunSwitch sw)
{
	OltpShared *shared = oltp_shmem_require();

	/* on disk too, so that it outlasts a crash restart (shmem.c) */
	oltp_switch_set(sw);
	oltp_wake_all();
	if (shared->nworkers == 0)
		ereport(WARNING,
				(errmsg("oltp_sim.workers is 0, so no worker will stream"),
				 errhint("Set oltp_sim.workers in postgresql.conf and restart the server.")));
}

PG_FUNCTION_INFO_V1(oltp_start);
PG_FUNCTION_INFO_V1(oltp_stop);
PG_FUNCTION_INFO_V1(oltp_status);
PG_FUNCTION_INFO_V1(oltp_operations);

Datum
oltp_start(PG_FUNCTION_ARGS)
{
	functions_set_switch(OLTP_SWITCH_STARTED);
	PG_RETURN_VOID();
}

Datum
oltp_stop(PG_FUNCTION_ARGS)
{
	functions_set_switch(OLTP_SWITCH_STOPPED);
	PG_RETURN_VOID();
}

/*
 * Add one worker's pace to the totals: its ops/s and, the most behind
 * setting the stream's, its lag.  What the worker published is current
 * unless it is blocked on a lock or has not published for OLTP_STALE_MS
 * while running.  Behind its schedule, it is stuck in a statement: the
 * schedule it published (next_due) is not being met, the lag is the time
 * since then, growing while it lasts, and its ops/s decays toward 0.
 * Asleep until its next transaction (it publishes before every sleep), it
 * did nothing since it published: ops/s is that of its last window until
 * the sleep outlasts twice that window (a pace slower than the window
 * would show 0 between two transactions), then 0, as in an idle phase of
 * the schedule.
 */
static void
functions_slot_pace(const OltpWorkerSlot *slot, TimestampTz now,
					double *ops_per_sec, double *lag_ms)
{
	double		ops = slot->ops_per_sec;
	double		lag = slot->lag_ms;
	bool		stale = TimestampDifferenceExceeds(slot->published_at, now, OLTP_STALE_MS);
	bool		behind = slot->next_due == 0 || now > slot->next_due;

	if (slot->state == OLTP_STATE_BLOCKED ||
		(slot->state == OLTP_STATE_RUNNING && stale && behind))
	{
		if (slot->next_due != 0 && now > slot->next_due)
			lag = Max(lag, (now - slot->next_due) / 1000.0);
		if (stale)
			ops *= OLTP_STALE_MS / ((now - slot->published_at) / 1000.0);
	}
	else if (slot->state == OLTP_STATE_RUNNING && stale &&
			 now - slot->published_at >
			 Max((int64) OLTP_STALE_MS * 1000, 2 * (slot->window_end - slot->window_start)))
		ops = 0;
	*ops_per_sec += ops;
	*lag_ms = Max(*lag_ms, lag);
}

/* microseconds as an interval of hours, minutes and seconds (no days) */
static Interval *
functions_interval(int64 usecs)
{
	Interval   *iv = palloc0(sizeof(Interval));

	iv->time = usecs;
	return iv;
}

/*
 * The phase of oltp_sim.schedule at now, from 1, its text, the target of
 * the whole stream then (ops/s) and the time left in it: four values,
 * NULL without a schedule.  The phases are fixed points in time
 * (schedule.c), so this backend's reading of the setting agrees with the
 * workers' once both have applied the same reload.
 */
static void
functions_phase(TimestampTz now, Datum *values, bool *nulls)
{
	const OltpSchedule *schedule = oltp_sim_schedule_parsed;
	OltpPhasePosition pos;
	const OltpPhase *ph;

	if (schedule == NULL || schedule->nphases == 0)
	{
		for (int i = 0; i < 4; i++)
			nulls[i] = true;
		return;
	}
	oltp_schedule_locate(schedule, now, &pos);
	ph = &schedule->phases[pos.phase];
	values[0] = Int32GetDatum(pos.phase + 1);
	values[1] = CStringGetTextDatum(ph->text);
	values[2] = Float8GetDatum(oltp_schedule_rate_at(schedule, &pos));
	values[3] = IntervalPGetDatum(functions_interval(ph->usecs - pos.offset));
}

/*
 * The transactions held open (hold.c), for the detail of a running stream:
 * how many, and the one that commits first, since when and how long is
 * left.  Empty when none is holding.  Called under status_lock.
 */
static void
functions_holds_detail(const OltpShared *shared, TimestampTz now, char *buf, size_t len)
{
	int			nheld = 0;
	const OltpHoldSlot *first = NULL;

	for (int i = 0; i < OLTP_MAX_HOLDS; i++)
	{
		const OltpHoldSlot *hs = &shared->holds[i];

		if (hs->state != OLTP_HOLD_HOLDING)
			continue;
		nheld++;
		if (first == NULL || hs->until < first->until)
			first = hs;
	}
	if (first == NULL)
		return;
	snprintf(buf, len, "%d transaction%s held open (oltp_held_transactions()); %s since %s commits in %.0f s",
			 nheld, nheld == 1 ? "" : "s", oltp_ops[first->op]->name,
			 timestamptz_to_str(first->since),
			 Max(first->until - now, 0) / 1000000.0);
}

/*
 * One row: the stream as a whole.  The state is the launcher's when it is
 * waiting (no database, no role), else the most active worker's.
 */
Datum
oltp_status(PG_FUNCTION_ARGS)
{
	OltpShared *shared = oltp_shmem_require();
	TupleDesc	tupdesc;
	Datum		values[18];
	bool		nulls[18] = {0};
	TimestampTz settings_at = 0;
	OltpWorkerState state = OLTP_STATE_STOPPED;
	char		detail[256] = "";
	int			alive = 0;
	double		ops_per_sec = 0,
				lag_ms = 0;
	TimestampTz started_at = 0;
	char		last_error[512];
	TimestampTz last_error_at;
	uint64		committed = 0,
				skipped = 0,
				errors = 0;
	OltpRunSwitch sw;
	TimestampTz now = GetCurrentTimestamp();
	int			rate_divisor = 0;
	char		launcher_detail[256];
	char		holds_detail[256] = "";

	oltp_require_reader(fcinfo);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");

	SpinLockAcquire(&shared->mutex);
	sw = shared->run_switch;
	SpinLockRelease(&shared->mutex);

	/* one consistent reading of every slot; the text is copied out */
	LWLockAcquire(shared->status_lock, LW_SHARED);
	strlcpy(launcher_detail, shared->launcher.detail, sizeof(launcher_detail));
	if (shared->launcher.pid != 0 && shared->launcher.state == OLTP_STATE_WAITING)
	{
		state = OLTP_STATE_WAITING;
		strlcpy(detail, shared->launcher.detail, sizeof(detail));
	}
	for (int i = 0; i < shared->nworkers; i++)
	{
		OltpWorkerSlot *slot = &shared->workers[i];

		if (slot->pid == 0)
			continue;
		alive++;
		functions_slot_pace(slot, now, &ops_per_sec, &lag_ms);
		rate_divisor = Max(rate_divisor, slot->rate_divisor);
		if (started_at == 0 || slot->started_at < started_at)
			started_at = slot->started_at;
		if (settings_at == 0 || slot->settings_at < settings_at)
			settings_at = slot->settings_at;
		if (state != OLTP_STATE_WAITING || slot->state == OLTP_STATE_WAITING)
		{
			if (slot->state > state || state == OLTP_STATE_STOPPED)
			{
				state = slot->state;
				strlcpy(detail, slot->detail, sizeof(detail));
			}
		}
	}
	functions_holds_detail(shared, now, holds_detail, sizeof(holds_detail));
	strlcpy(last_error, shared->last_error, sizeof(last_error));
	last_error_at = shared->last_error_at;
	LWLockRelease(shared->status_lock);

	if (state == OLTP_STATE_PAUSED && detail[0] == '\0')
		strlcpy(detail, sw == OLTP_SWITCH_STOPPED ? "stopped by oltp_stop()" :
				"oltp_sim.enabled is off", sizeof(detail));
	if (state == OLTP_STATE_STOPPED && detail[0] == '\0')
		strlcpy(detail, shared->nworkers == 0 ? "oltp_sim.workers is 0" :
				"no worker process is running", sizeof(detail));
	/* streaming: what is held open, and the launcher's word on the workers */
	if (detail[0] == '\0' && holds_detail[0] != '\0' && launcher_detail[0] != '\0')
		snprintf(detail, sizeof(detail), "%s; %s", holds_detail, launcher_detail);
	else if (detail[0] == '\0')
		strlcpy(detail, holds_detail[0] != '\0' ? holds_detail : launcher_detail,
				sizeof(detail));

	/* atomics: read outside the lock, each a moment apart at most */
	for (int i = 0; i < oltp_nops; i++)
	{
		committed += pg_atomic_read_u64(&shared->ops[i].committed);
		skipped += pg_atomic_read_u64(&shared->ops[i].skipped);
		errors += pg_atomic_read_u64(&shared->ops[i].errors);
	}

	values[0] = CStringGetTextDatum(oltp_state_name(state));
	values[1] = CStringGetTextDatum(detail);
	values[2] = Int32GetDatum(alive);
	values[3] = Int64GetDatum((int64) committed);
	values[4] = Int64GetDatum((int64) skipped);
	values[5] = Int64GetDatum((int64) errors);
	values[6] = Int64GetDatum((int64) pg_atomic_read_u64(&shared->transactions));
	values[7] = Float8GetDatum(ops_per_sec);
	values[8] = Float8GetDatum(lag_ms);
	values[9] = TimestampTzGetDatum(started_at);
	nulls[9] = (started_at == 0);
	values[10] = CStringGetTextDatum(last_error);
	nulls[10] = (last_error[0] == '\0');
	values[11] = TimestampTzGetDatum(last_error_at);
	nulls[11] = (last_error[0] == '\0');
	values[12] = TimestampTzGetDatum(settings_at);
	nulls[12] = (settings_at == 0);
	values[13] = Int32GetDatum(rate_divisor);
	nulls[13] = (rate_divisor == 0);
	functions_phase(now, &values[14], &nulls[14]);

	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

PG_FUNCTION_INFO_V1(oltp_held_transactions);

/*
 * One row per transaction held open on a process of its own (hold.c), or
 * handed over and about to be: the worker that handed it over, its
 * process, the operation, its state, since when it holds, when it
 * commits and the time left, and on what it is blocked.
 */
Datum
oltp_held_transactions(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	OltpShared *shared = oltp_shmem_require();
	OltpHoldSlot holds[OLTP_MAX_HOLDS];
	TimestampTz now = GetCurrentTimestamp();

	oltp_require_reader(fcinfo);
	InitMaterializedSRF(fcinfo, 0);
	LWLockAcquire(shared->status_lock, LW_SHARED);
	memcpy(holds, shared->holds, sizeof(holds));
	LWLockRelease(shared->status_lock);

	for (int i = 0; i < OLTP_MAX_HOLDS; i++)
	{
		const OltpHoldSlot *hs = &holds[i];
		bool		holding = hs->state == OLTP_HOLD_HOLDING;
		Datum		values[9];
		bool		nulls[9] = {0};

		if (hs->state == OLTP_HOLD_FREE || hs->state == OLTP_HOLD_DONE)
			continue;
		values[0] = Int32GetDatum(hs->worker);
		values[1] = Int32GetDatum(hs->pid);
		nulls[1] = (hs->pid == 0);
		values[2] = CStringGetTextDatum(oltp_ops[hs->op]->name);
		values[3] = CStringGetTextDatum(oltp_hold_state_name(hs->state));
		values[4] = TimestampTzGetDatum(hs->handed_at);
		values[5] = TimestampTzGetDatum(hs->since);
		values[6] = TimestampTzGetDatum(hs->until);
		values[7] = IntervalPGetDatum(functions_interval(Max(hs->until - now, 0)));
		nulls[5] = nulls[6] = nulls[7] = !holding;
		values[8] = CStringGetTextDatum(hs->detail);
		nulls[8] = (hs->detail[0] == '\0');
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* one row per operation: the weight in effect and the counters */
Datum
oltp_operations(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	OltpShared *shared = oltp_shmem_require();
	int			weights[OLTP_MAX_OPS];

	oltp_require_reader(fcinfo);
	InitMaterializedSRF(fcinfo, 0);
	/* the weights the workers applied, not this session's settings */
	LWLockAcquire(shared->status_lock, LW_SHARED);
	memcpy(weights, shared->weights, sizeof(weights));
	LWLockRelease(shared->status_lock);

	for (int i = 0; i < oltp_nops; i++)
	{
		Datum		values[7];
		bool		nulls[7] = {0};

		/* the tables and kinds its statements declare, in their order */
		values[0] = CStringGetTextDatum(oltp_ops[i]->name);
		values[1] = CStringGetTextDatum(oltp_op_describe(oltp_ops[i], false));
		values[2] = CStringGetTextDatum(oltp_op_describe(oltp_ops[i], true));
		values[3] = Int32GetDatum(weights[i]);
		values[4] = Int64GetDatum((int64) pg_atomic_read_u64(&shared->ops[i].committed));
		values[5] = Int64GetDatum((int64) pg_atomic_read_u64(&shared->ops[i].skipped));
		values[6] = Int64GetDatum((int64) pg_atomic_read_u64(&shared->ops[i].errors));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(oltp_changes);

/*
 * Rows the workers committed per table and kind since the server started:
 * every table of the model and every kind, zeros included, so a consumer
 * compares with its own counts by a plain join.
 */
Datum
oltp_changes(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	OltpShared *shared = oltp_shmem_require();

	oltp_require_reader(fcinfo);
	InitMaterializedSRF(fcinfo, 0);
	for (int t = 0; t < OLTP_NTABLES; t++)
		for (int k = 0; k < OLTP_NCHANGE_KINDS; k++)
		{
			Datum		values[3];
			bool		nulls[3] = {0};

			values[0] = CStringGetTextDatum(oltp_model[t].name);
			values[1] = CStringGetTextDatum(oltp_change_kind_names[k]);
			values[2] = Int64GetDatum((int64) pg_atomic_read_u64(&shared->changes[t][k]));
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	return (Datum) 0;
}
