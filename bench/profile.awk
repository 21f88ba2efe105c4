# Where a process's CPU goes, by category: reads `perf script -F pid,ip,sym`
# (samples with their call chains, leaf first, a blank line between them)
# and counts each sample once, in the first category below whose functions
# appear anywhere in its chain.  The order makes the categories disjoint:
# the executor first, since everything under it (index work, triggers, the
# foreign-key checks' own SPI queries) is what any client's statement
# costs too; then the transaction's start and commit; then what wraps
# statements (subtransactions, the plan cache, the protocol, SPI); then the
# worker's own work.  Samples of pid `client` (the pgbench process) go to
# their own category.
#
#   perf script -F pid,ip,sym | awk -v client=PID -f bench/profile.awk
#
# prints "category samples" lines, the total last.

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
		return "pgbench client process"
	if (f ~ / (standard_)?Executor(Start|Run|Finish|End) /)
		return "executor and index work (a client's statement pays it too)"
	if (f ~ / (StartTransactionCommand|CommitTransactionCommand|AbortCurrentTransaction|start_xact_command|finish_xact_command) /)
		return "transaction start and commit (a client pays it too)"
	if (f ~ / (BeginInternalSubTransaction|ReleaseCurrentSubTransaction|RollbackAndReleaseCurrentSubTransaction) /)
		return "subtransactions"
	if (f ~ / (GetCachedPlan|ReleaseCachedPlan|CheckCachedPlan|RevalidateCachedQuery|AcquireExecutorLocks) /)
		return "plan cache: revalidation and locks of a prepared plan"
	if (f ~ / (exec_bind_message|exec_execute_message|exec_parse_message|exec_describe_message|exec_simple_query|ReadCommand|SocketBackend|pq_getmessage|pq_getbyte|pq_flush|pq_putmessage|secure_read|secure_write|internal_flush|pq_recvbuf|PortalRun|PortalStart|CreatePortal|PortalDrop|printtup|SendRowDescriptionMessage|EndCommand|ReadyForQuery|pq_endmessage|pq_beginmessage) /)
		return "protocol, portals and the socket (a client's backend only)"
	if (f ~ / (SPI_execute_plan|SPI_execute_snapshot|SPI_connect|SPI_connect_ext|SPI_finish|SPI_getbinval|SPI_getvalue|SPI_freetuptable|SPI_commit|_SPI_execute_plan|_SPI_end_call|_SPI_begin_call) /)
		return "SPI around the statements"
	if (f ~ / (oltp_gen_[a-z_]+|gen_[a-z_]+|oltp_next_natural_id|oltp_paciente_datums|op_exam_results) /)
		return "the generator: values of the rows"
	if (f ~ / (oltp_ops_pick|oltp_op_fraction|pg_prng_[a-z0-9_]+|pow|__pow|__ieee754_pow_fma) /)
		return "picking the operation and the rank"
	if (f ~ / (oltp_tally_op|oltp_ledger_watermark|oltp_ledger_count|oltp_changes_add) /)
		return "the ledger: counters per operation, table and kind"
	if (f ~ / (errstart|errfinish|EmitErrorReport|oltp_ledger_log_summary|worker_record_error|elog_start|elog_finish) /)
		return "logging"
	if (f ~ / (worker_publish|worker_lag_ms|worker_report_[a-z_]+|pgstat_report_activity) /)
		return "status: oltp_status() and pg_stat_activity"
	if (f ~ / (pgstat_report_stat|pgstat_flush_[a-z_]+) /)
		return "table statistics (pgstat, a client's backend flushes them too)"
	if (f ~ / (worker_lock_tables|ConditionalLockRelationOid|LockRelationOid|LockAcquire|AcceptInvalidationMessages) /)
		return "table locks taken up front"
	if (f ~ / (PushActiveSnapshot|PopActiveSnapshot|GetTransactionSnapshot|GetSnapshotData) /)
		return "snapshots (a client pays them too)"
	if (f ~ / (worker_next_due|worker_period|worker_scheduled|worker_wait|oltp_schedule_[a-z_]+|GetCurrentTimestamp|WaitLatch|WaitEventSetWait|clock_gettime|__clock_gettime|__vdso_clock_gettime|SetCurrentStatementStartTimestamp) /)
		return "pacing, clock reads and waits"
	if (f ~ / (op_[a-z_]+|oltp_op_[a-z_0-9]+|oltp_xact_run_op|oltp_plans_[a-z_]+) /)
		return "the operations' own code: arguments, results"
	if (f ~ / (MemoryContextReset|MemoryContextResetOnly|MemoryContextDelete) /)
		return "memory contexts of the loop"
	if (f ~ / (oltp_worker_main) /)
		return "the worker loop, other"
	return "other (the kernel, unresolved)"
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

/^[0-9]+ *$/ {
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
	for (c in count)
		printf "%s\t%d\n", c, count[c]
	printf "total\t%d\n", total
}
