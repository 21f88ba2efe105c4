# Where a process's CPU goes, by category: reads `perf script -F pid,ip,sym`
# (samples with their call chains, leaf first, a blank line between them)
# and counts each sample once, in the first category below whose functions
# appear anywhere in its chain.  The order makes the categories disjoint:
# the executor first, since everything under it (index work, triggers, the
# foreign-key checks' own SPI queries) is what any client's statement
# costs too, in parts (executor_part); then the transaction's start and
# commit; then what wraps statements (subtransactions, the plan cache,
# SPI); then the worker's own work; then the protocol of a client's
# backend, last, since CALL oltp_run runs all its work under one protocol
# message.  Samples of pid `client` (the pgbench process) go to their own
# category.
#
#   perf script -F pid,ip,sym | awk -v client=PID -f bench/profile.awk
#
# prints "category<TAB>samples<TAB>rank" lines (rank: the order of the
# report, the executor's parts first), and the total.

function category(    i, s, f, has)
{
	for (i = 1; i <= nf; i++) {
		s = frame[i]
		sub(/ \(inlined\)$/, "", s)
		sub(/\+0x[0-9a-f]+$/, "", s)
		has[s] = 1
		f = f " " s
	}
	f = f " "
	if (pid == client)
		return ranked(200, "pgbench client process")
	if (f ~ / (standard_)?Executor(Start|Run|Finish|End) /)
		return "executor: " executor_part(f)
	if (f ~ / (StartTransactionCommand|CommitTransactionCommand|AbortCurrentTransaction|start_xact_command|finish_xact_command) /)
		return "transaction start and commit: " commit_part(f)
	if (f ~ / (BeginInternalSubTransaction|ReleaseCurrentSubTransaction|RollbackAndReleaseCurrentSubTransaction) /)
		return ranked(30, "subtransactions")
	if (f ~ / (GetCachedPlan|ReleaseCachedPlan|CheckCachedPlan|RevalidateCachedQuery|AcquireExecutorLocks) /)
		return ranked(40, "plan cache: revalidation and locks of a prepared plan")
	if (f ~ / (SPI_execute_plan|SPI_execute_snapshot|SPI_connect|SPI_connect_ext|SPI_finish|SPI_getbinval|SPI_getvalue|SPI_freetuptable|SPI_commit|_SPI_execute_plan|_SPI_end_call|_SPI_begin_call) /)
		return ranked(60, "SPI around the statements")
	if (f ~ / (oltp_gen_[a-z_]+|gen_[a-z_]+|oltp_next_natural_id|oltp_paciente_datums|op_exame_resultados) /)
		return ranked(70, "the generator: values of the rows")
	if (f ~ / (oltp_ops_pick|oltp_op_fraction|pg_prng_[a-z0-9_]+|pow|__pow|__ieee754_pow_fma) /)
		return ranked(80, "picking the operation and the rank")
	if (f ~ / (oltp_tally_op|oltp_ledger_watermark|oltp_ledger_count|oltp_changes_add) /)
		return ranked(90, "the ledger: counters per operation, table and kind")
	if (f ~ / (errstart|errfinish|EmitErrorReport|oltp_ledger_log_summary|worker_record_error|elog_start|elog_finish) /)
		return ranked(100, "logging")
	if (f ~ / (worker_publish|worker_lag_ms|worker_report_[a-z_]+|pgstat_report_activity) /)
		return ranked(110, "status: oltp_status() and pg_stat_activity")
	if (f ~ / (pgstat_report_stat|pgstat_flush_[a-z_]+) /)
		return ranked(120, "table statistics (pgstat, a client's backend flushes them too)")
	if (f ~ / (set_config_option|AtEOXact_GUC|NewGUCNestLevel) /)
		return ranked(145, "settings: the search_path set for each transaction")
	# before its operations run, outside the executor (worker_lock_tables
	# took every table's lock up to 0.2.0; worker_lock and oltp_xact_lock
	# take those the transaction's operations touch)
	if (f ~ / (worker_lock_tables|worker_lock|oltp_xact_lock|ConditionalLockRelationOid|LockRelationOid|LockAcquire|AcceptInvalidationMessages) /)
		return ranked(130, "table locks the worker takes itself")
	if (f ~ / (PushActiveSnapshot|PopActiveSnapshot|GetTransactionSnapshot|GetSnapshotData) /)
		return ranked(140, "snapshots (a client pays them too)")
	if (f ~ / (worker_next_due|worker_period|worker_scheduled|worker_wait|oltp_schedule_[a-z_]+|GetCurrentTimestamp|clock_gettime|__clock_gettime|__vdso_clock_gettime|SetCurrentStatementStartTimestamp) /)
		return ranked(150, "pacing, clock reads and waits")
	if (f ~ / (op_[a-z_]+|oltp_op_[a-z_0-9]+|oltp_xact_run_op|oltp_plans_[a-z_]+) /)
		return ranked(160, "the operations' own code: arguments, results")
	if (f ~ / (MemoryContextReset|MemoryContextResetOnly|MemoryContextDelete) /)
		return ranked(170, "memory contexts of the loop")
	if (f ~ / (oltp_worker_main|oltp_run) /)
		return ranked(180, "the loop of the worker or of oltp_run, other")
	if (f ~ / (exec_bind_message|exec_execute_message|exec_parse_message|exec_describe_message|exec_simple_query|ReadCommand|SocketBackend|pq_getmessage|pq_getbyte|pq_flush|pq_putmessage|secure_read|secure_write|internal_flush|pq_recvbuf|PortalRun|PortalStart|CreatePortal|PortalDrop|printtup|SendRowDescriptionMessage|EndCommand|ReadyForQuery|pq_endmessage|pq_beginmessage) /)
		return ranked(50, "protocol, portals and the socket (a client's backend; CALL's own statement)")
	return ranked(190, "other (the kernel, unresolved)")
}

# the executor's work (f holds the sample's functions), in parts a client's
# statements pay as well: the foreign-key checks (their own queries through
# SPI), the subqueries a pick runs (InitPlans), index insertion, row
# triggers (updated_at), setting up and shutting down each execution, and
# the rest (scans, heap writes, expressions)
function executor_part(f)
{
	# the checks run as after-row triggers fired at the statement's end
	# (RI_FKey_check itself is static, and its callers' frames are tail
	# calls, so the end of the statement is what the chain shows)
	if (f ~ / (AfterTriggerEndQuery|AfterTriggerFireDeferred|ExecARUpdateTriggers|ExecARInsertTriggers|RI_FKey_[a-z_]+) /)
		return ranked(11, "foreign-key checks")
	if (f ~ / (ExecSetParamPlan|ExecScanSubPlan) /)
		return ranked(12, "subqueries of the picks (min, max, the point)")
	if (f ~ / (ExecInsertIndexTuples) /)
		return ranked(13, "index insertion")
	if (f ~ / (ExecBRUpdateTriggers|ExecBRUpdateTriggersNew|ExecBRInsertTriggers|plpgsql_exec_trigger) /)
		return ranked(14, "row triggers (updated_at)")
	if (f ~ / (standard_ExecutorStart|standard_ExecutorEnd|ExecutorStart|ExecutorEnd) /)
		return ranked(15, "setting up and shutting down each execution")
	return ranked(16, "scans, heap writes, expressions")
}

# the transaction's start and commit, in two parts: with synchronous_commit
# off, a commit that finds a whole page of WAL not yet flushed sets the WAL
# writer's latch (XLogSetAsyncXactLSN), a kill() when that process sleeps;
# and the rest
function commit_part(f)
{
	if (f ~ / (XLogSetAsyncXactLSN|SetLatch|kill|__GI_kill) /)
		return ranked(21, "waking the WAL writer (a kill() per asynchronous commit)")
	return ranked(22, "the rest (WAL records, commit log, locks and resources released)")
}

# a category's name, its rank in the report remembered
function ranked(r, name)
{
	rank[name] = r
	return name
}

function flush()
{
	if (nf > 0 || pid != "") {
		count[category()]++
		total++
	}
	nf = 0
	pid = ""
}

# the header of a sample: its pid, right-aligned
/^ *[0-9]+ *$/ {
	flush()
	pid = $1
	next
}

/^[ \t]+[0-9a-f]+ / {
	line = $0
	sub(/^[ \t]+[0-9a-f]+ /, "", line)
	frame[++nf] = line
	next
}

/^$/ {
	flush()
}

END {
	flush()
	for (c in count) {
		r = rank[c]
		if (c ~ /^executor: /)
			r = rank[substr(c, 11)]
		else if (c ~ /^transaction start and commit: /)
			r = rank[substr(c, 31)]
		printf "%s\t%d\t%d\n", c, count[c], r
	}
	printf "total\t%d\t999\n", total
}
