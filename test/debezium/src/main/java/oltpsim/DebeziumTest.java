package oltpsim;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The real Debezium PostgreSQL connector reading the worker's stream, on a
 * server of its own (tools/test starts it with oltp_sim.workers = 2), with
 * the settings of connector.properties.  Prints TAP.
 *
 * Phase 1: seed, snapshot while the stream is paused, then two workers at
 * 300 ops/s, three operations per transaction, a watermark in every
 * transaction, ten insert_paciente operations forced to fail; the engine is
 * stopped mid-stream and started again from its stored offsets.  Phase 2:
 * heartbeats while the stream is paused.  Phase 3: the server restarted with
 * one worker, the engine again from its offsets, watermarks every 50
 * operations.  Then oltp_sim_client as the writer, the workers paused
 * (ClientWriter), the edge cases (EdgeCases), erasures and key changes
 * (KeyChanges), the data types (Types), and the streamed transactions and
 * logical messages (Streaming), each with the engine running, and the set
 * partitions through a connector of its own (Partitions), then what
 * Debezium loses on resuming at a COMMIT whose end LSN is an open
 * transaction's change (Resume), through a connector of its own.
 * Everything is checked against the committed counters, the tables, and a
 * rebuild of the tables from the events alone.
 *
 * Then the set schema_changes (SchemaChanges), with connectors of its own.
 *
 * Arguments: --properties F --doc F --host H --port P --workdir D --restart S
 * --client C [--only SchemaChanges] (S: a command that restarts the
 * server; --doc: docs/cdc.md, which quotes the properties and holds the
 * checksum query between markers; C: the oltp_sim_client program; --only:
 * that phase alone, on a database just created).
 */
public final class DebeziumTest {
    static final String DB = "oltp_sim";
    static final String REBUILD_DB = "oltp_sim_rebuild";
    static final String[] FULL_TABLES = {"consultas", "internacoes"};
    static final int OPS_PER_SEGMENT = 3000;
    static final String MARK = "oltp_sim";
    static final String TEST_MARK = "oltp_sim_test";

    final Map<String, String> arg = new HashMap<>();
    int n;
    int failed;
    String url;
    Connection admin;
    Connection src;
    Connection rebuildConn;
    Path offsets;
    /** The tables of the seed, and those under replica identity full. */
    final List<String> tables = new ArrayList<>();
    final Set<String> full = new HashSet<>();
    final Engine.Collector events = new Engine.Collector();
    Engine engine;

    public static void main(String[] args) throws Exception {
        DebeziumTest t = new DebeziumTest();
        for (int i = 0; i + 1 < args.length; i += 2) {
            t.arg.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int code;
        try {
            t.run();
            code = t.failed == 0 ? 0 : 1;
        } catch (Throwable e) {
            System.out.println("# aborted: " + e);
            e.printStackTrace(System.out);
            code = 2;
        } finally {
            if (t.engine != null) {
                try {
                    t.engine.close();
                } catch (Exception ignored) {
                    // the run already failed or ended; nothing more to report
                }
            }
        }
        System.out.flush();
        Runtime.getRuntime().halt(code);
    }

    // ---- TAP -------------------------------------------------------------

    void check(boolean ok, String what, String detail) {
        n++;
        System.out.println((ok ? "ok " : "not ok ") + n + " - " + what);
        if (!ok) {
            failed++;
            for (String line : String.valueOf(detail).split("\n")) {
                System.out.println("#   " + line);
            }
        }
        System.out.flush();
    }

    static void diag(String s) {
        System.out.println("# " + s);
        System.out.flush();
    }

    // ---- SQL -------------------------------------------------------------

    Connection connect(String db) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + arg.get("host") + ":" + arg.get("port") + "/" + db
                + "?user=postgres");
    }

    static void exec(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            st.execute();
        }
    }

    static String one(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Polls a boolean query until it is true, at most timeoutS seconds. */
    static boolean poll(Connection c, String sql, int timeoutS, Object... params) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        while (System.nanoTime() < deadline) {
            if ("t".equals(one(c, sql, params))) {
                return true;
            }
            Thread.sleep(100);
        }
        diag("timed out after " + timeoutS + " s waiting for: " + sql);
        return false;
    }

    /** Writes WAL in database postgres until the slot has confirmed past lsn, at most timeoutS seconds. */
    boolean walPassed(String lsn, int timeoutS) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        while (System.nanoTime() < deadline) {
            exec(admin, "INSERT INTO wal_filler SELECT generate_series(1, 1000)");
            if ("t".equals(one(admin, "SELECT confirmed_flush_lsn > ?::pg_lsn FROM pg_replication_slots WHERE slot_name = ?",
                    lsn, "oltp_sim_debezium"))) {
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }

    /** A two-column query (text, bigint) as a map, in the query's order; equal keys add up. */
    static Map<String, Long> longs(Connection c, String sql) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.merge(rs.getString(1), rs.getLong(2), Long::sum);
            }
        }
        return out;
    }

    /**
     * Committed rows per "table op" (op: c, u, d, t): oltp_changes() where the
     * extension has it (rows per table and kind, whatever each operation
     * changed), else oltp_operations() (one row per operation).
     */
    static Map<String, Long> counters(Connection c) throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        boolean perTable = "t".equals(one(c, "SELECT pg_catalog.to_regprocedure('oltp_changes()') IS NOT NULL"));
        longs(c, perTable ? "SELECT table_name || ' ' || kind, rows FROM oltp_changes()"
                : "SELECT table_name || ' ' || kind, committed FROM oltp_operations()")
                .forEach((k, v) -> out.merge(k.substring(0, k.indexOf(' ') + 1) + op(k.substring(k.indexOf(' ') + 1)), v, Long::sum));
        return out;
    }

    static String op(String kind) {
        switch (kind) {
            case "insert": return "c";
            case "update": return "u";
            case "delete": return "d";
            case "truncate": return "t";
            default: return kind;
        }
    }

    /** A column of oltp_operations() (errors, skipped, committed, weight) per operation. */
    static Map<String, Long> perOperation(Connection c, String column) throws SQLException {
        return longs(c, "SELECT operation, " + column + " FROM oltp_operations()");
    }

    /** Data events per "table op" (tombstones apart), each delivery once: the form of counters(). */
    static Map<String, Long> perTableOp(List<Event> events) {
        Map<String, Long> out = new TreeMap<>();
        for (Event e : events) {
            if ("data".equals(e.kind) && e.value != null) {
                out.merge(e.table() + " " + e.op(), 1L, Long::sum);
            }
        }
        return out;
    }

    static Map<String, Long> counts(Connection c) throws SQLException {
        return longs(c, "SELECT table_name, row_count FROM oltp_counts()");
    }

    static Map<String, Long> minus(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> out = new TreeMap<>();
        a.forEach((k, v) -> out.put(k, v - b.getOrDefault(k, 0L)));
        return out;
    }

    static long total(Map<String, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).sum();
    }

    void reload() throws SQLException, InterruptedException {
        String before = one(src, "SELECT pg_catalog.clock_timestamp()::text");
        exec(src, "SELECT pg_catalog.pg_reload_conf()");
        poll(src, "SELECT settings_applied_at > ?::timestamptz FROM oltp_status()", 60, before);
    }

    // ---- the engine -------------------------------------------------------

    void startEngine() throws Exception {
        engine = new Engine(engineSettings(offsets, Map.of()), events);
    }

    /** connector.properties with this server and an offsets file of its own, then the overrides. */
    Properties engineSettings(Path offsetsFile, Map<String, String> overrides) throws IOException {
        Map<String, String> o = new HashMap<>();
        o.put("database.hostname", arg.get("host"));
        o.put("database.port", arg.get("port"));
        o.put("offset.storage.file.filename", offsetsFile.toString());
        o.putAll(overrides);
        return Engine.settings(Path.of(arg.get("properties")), o);
    }

    void stopEngine() throws Exception {
        engine.close();
        engine = null;
    }

    /** Writes a transactional message after everything committed and waits, bounded, until the engine has it. */
    boolean marker(String label) throws Exception {
        exec(src, "SELECT pg_catalog.pg_logical_emit_message(true, ?, ?)", TEST_MARK, label);
        boolean ok = events.await(e -> "message".equals(e.kind) && TEST_MARK.equals(e.messagePrefix())
                && label.equals(e.messageContent()), 120_000);
        if (!ok) {
            diag("the engine did not deliver marker " + label + " within 120 s"
                    + (engine != null && engine.failure() != null ? ": " + engine.failure() : ""));
        }
        return ok;
    }

    /** Stream until n more operations are committed, then pause and wait until paused. */
    void stream(long ops) throws SQLException, InterruptedException {
        long target = Long.parseLong(one(src, "SELECT committed FROM oltp_status()")) + ops;
        exec(src, "SELECT oltp_start()");
        poll(src, "SELECT committed >= ? FROM oltp_status()", 120, target);
    }

    void pause() throws SQLException, InterruptedException {
        exec(src, "SELECT oltp_stop()");
        poll(src, "SELECT state = 'paused' FROM oltp_status()", 60);
    }

    // ---- the scenario ------------------------------------------------------

    /** The phases in order: each check prints its TAP lines, in the order of the plan. */
    void run() throws Exception {
        resetOffsets();
        String props = Files.readString(Path.of(arg.get("properties")), StandardCharsets.UTF_8);
        String doc = Files.readString(Path.of(arg.get("doc")), StandardCharsets.UTF_8);
        createSeededSource();
        if ("SchemaChanges".equals(arg.get("only"))) {
            System.out.println("1.." + SchemaChanges.CHECKS);
            SchemaChanges.run(this);
            return;
        }
        setPhase1Settings();
        // phases 1 to 3: three checks per table (snapshot, stream, rebuild) and 14 others
        System.out.println("1.." + (3 * tables.size() + 14 + EdgeCases.CHECKS + KeyChanges.CHECKS + Types.CHECKS
                + Streaming.CHECKS + Partitions.CHECKS + ClientWriter.CHECKS + Resume.CHECKS
                + SchemaChanges.CHECKS));
        diag("tables " + tables + ", replica identity full on " + full);
        checkDocQuotesProperties(doc, props);

        // phase 1: a snapshot, then the stream with the engine stopped and started again
        Phase1 p1 = snapshotAndStreamAcrossEngineRestart();
        checkSnapshotRowsEqualCounts(p1);
        checkStreamedEventsEqualCounters(p1);
        checkNoEventFromFailedOperations(p1);
        checkRebuildEqualsSource(p1, doc);
        checkBeforeImages(p1);
        checkWatermarkSequences(p1);
        checkWatermarksEqualTransactionEvents(p1);
        checkTransactionMetadata(p1);
        checkThreeOperationsPerTransaction(p1);
        checkNothingLostAcrossEngineRestart(p1);

        // phase 2: the stream paused
        checkHeartbeatsAdvanceSlot();

        // phase 3: the server restarted with one worker
        Phase3 p3 = restartServerWithOneWorker();
        checkEventsAfterServerRestart(p3);
        checkOneWorkerWatermarks(p3);
        checkRebuildAfterBothRestarts(p3);

        // the client program as the writer, the workers paused
        ClientWriter.run(this, doc);

        // then, the engine running: the edge cases, erasures and key changes, the data types
        EdgeCases.run(this);
        KeyChanges.run(this);
        Types.run(this);
        // the streamed transactions, savepoints, aborts and logical messages
        Streaming.run(this);
        stopEngine();
        // the set partitions, through a connector of its own (Partitions); the
        // engine above stopped first: two connectors with one topic prefix
        // clash on their metrics' names, and the second waits a minute for them
        Partitions.run(this);
        // a known loss on resuming, shown on purpose, through a connector of its own (Resume)
        Resume.run(this);

        // the set schema_changes, read by connectors of its own
        SchemaChanges.run(this);
    }

    void resetOffsets() throws IOException {
        Path work = Path.of(arg.get("workdir"));
        Files.createDirectories(work);
        offsets = work.resolve("offsets.dat");
        Files.deleteIfExists(offsets);
    }

    /** The source and rebuild databases; the source seeded, FULL_TABLES under replica identity full. */
    void createSeededSource() throws SQLException {
        admin = connect("postgres");
        exec(admin, "DROP DATABASE IF EXISTS " + DB);
        exec(admin, "DROP DATABASE IF EXISTS " + REBUILD_DB);
        exec(admin, "CREATE DATABASE " + DB);
        exec(admin, "CREATE DATABASE " + REBUILD_DB);
        src = connect(DB);
        rebuildConn = connect(REBUILD_DB);
        exec(src, "CREATE EXTENSION oltp_sim");
        exec(src, "SELECT count(*) FROM oltp_seed(seed => 11)");
        exec(src, "SELECT count(*) FROM oltp_replica_identity('full', ?)", src.createArrayOf("text", FULL_TABLES));
        try (Statement st = src.createStatement();
             ResultSet rs = st.executeQuery("SELECT o.table_name, c.relreplident = 'f' FROM oltp_counts() o "
                     + "JOIN pg_catalog.pg_class c ON c.oid = pg_catalog.to_regclass(pg_catalog.quote_ident(o.table_name))")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
                if (rs.getBoolean(2)) {
                    full.add(rs.getString(1));
                }
            }
        }
    }

    /** Phase 1's settings: 300 ops/s, three operations and a watermark in every transaction; the stream still paused. */
    void setPhase1Settings() throws SQLException, InterruptedException {
        exec(src, "ALTER SYSTEM SET oltp_sim.rate = 300");
        exec(src, "ALTER SYSTEM SET oltp_sim.ops_per_transaction = 3");
        exec(src, "ALTER SYSTEM SET oltp_sim.watermark_every = 1");
        reload();
        poll(src, "SELECT workers = 2 AND state = 'paused' FROM oltp_status()", 60);
    }

    void checkDocQuotesProperties(String doc, String props) {
        String quoted = block(doc, "<!-- connector.properties: begin -->\n```properties\n",
                "```\n<!-- connector.properties: end -->");
        check(props.equals(quoted), "docs/cdc.md quotes test/debezium/connector.properties verbatim",
                quoted == null ? "no block between the connector.properties markers in docs/cdc.md" : firstDifference(quoted, props));
    }

    // ---- phase 1: snapshot, stream, the engine stopped and started again ---

    /** What phase 1 saw: the counters and counts around it, and its events read by a Ledger. */
    static final class Phase1 {
        /** Rows per table at the snapshot, and after the stream. */
        Map<String, Long> c0;
        Map<String, Long> c1;
        /** Committed changes per "table op" before and after the stream. */
        Map<String, Long> s0;
        Map<String, Long> s1;
        /** Failed and skipped operations during the stream, per operation. */
        Map<String, Long> errors;
        Map<String, Long> skipped;
        /** Whether the snapshot's last event arrived, the marker before the engine stopped, and the closing marker. */
        boolean snap;
        boolean stopMarker;
        boolean gotMarker;
        /** The patient ids the test took ahead of the sequence. */
        Set<Long> taken;
        /** The events before the engine was stopped, and the offset it stored then. */
        int firstRun;
        JsonNode stored;
        Ledger ledger;
    }

    /**
     * The snapshot while the stream is paused, ten patient ids taken ahead of
     * the sequence, then the stream; the engine stopped, the stream going on
     * without it, and the engine started again from its stored offsets while
     * the stream runs.
     */
    Phase1 snapshotAndStreamAcrossEngineRestart() throws Exception {
        Phase1 p = new Phase1();
        // the stream is paused, so the counts are those of the snapshot
        p.c0 = counts(src);
        p.s0 = counters(src);
        Map<String, Long> err0 = perOperation(src, "errors");
        Map<String, Long> skip0 = perOperation(src, "skipped");
        startEngine();
        p.snap = events.await(ev -> "data".equals(ev.kind) && "r".equals(ev.op()) && "last".equals(ev.snapshot()), 180_000);
        if (!p.snap) {
            diag("no snapshot event with snapshot=last within 180 s"
                    + (engine.failure() != null ? ": " + engine.failure() : ""));
        }
        p.taken = takePatientIdsAhead();

        stream(OPS_PER_SEGMENT);
        // The engine is stopped between two stretches of the stream, with
        // everything delivered, and another database's WAL written at the
        // stored position before the stream goes on: Debezium 3.6.1 takes a
        // change found at its stored COMMIT's LSN for one it processed and
        // drops it (docs/cdc.md, "Resuming after a stop"; Resume.java shows
        // that loss on purpose). Stopped while two workers write, the phase
        // would meet it at random.
        pause();
        p.stopMarker = marker("phase1-stop");
        stopEngine();
        p.firstRun = events.size();
        p.stored = Engine.storedOffset(offsets);
        exec(admin, "CREATE TABLE IF NOT EXISTS wal_filler (x int)");
        exec(admin, "INSERT INTO wal_filler VALUES (1)");
        diag("engine stopped after " + p.firstRun + " events; stored offset "
                + (p.stored == null ? "none" : "lsn_proc " + p.stored.get("lsn_proc") + ", lsn_commit "
                        + p.stored.get("lsn_commit") + ", txId " + p.stored.get("txId")));
        // the stream goes on while the engine is stopped
        stream(OPS_PER_SEGMENT);
        startEngine();
        stream(OPS_PER_SEGMENT);
        pause();

        p.gotMarker = marker("phase1");
        p.c1 = counts(src);
        p.s1 = counters(src);
        p.errors = minus(perOperation(src, "errors"), err0);
        p.skipped = minus(perOperation(src, "skipped"), skip0);
        diag("committed " + total(minus(p.s1, p.s0)) + " changes, errors " + p.errors + ", skipped " + total(p.skipped));
        List<Event> all = events.snapshot();
        p.ledger = new Ledger(full);
        for (int i = 0; i < all.size(); i++) {
            p.ledger.feed(all.get(i), i >= p.firstRun);
        }
        // a transaction of the stream whose watermark arrived and none of its
        // data events: what Debezium 3.6.1 can lose on resuming (docs/cdc.md,
        // "Resuming after a stop"); the checks below count it as lost
        for (Event m : p.ledger.marks) {
            if (m.txId() >= 0 && !p.ledger.txEvents.containsKey(m.txId())) {
                diag("transaction " + m.txId() + ": its watermark arrived, none of its data events (stored offset txId "
                        + (p.stored == null ? "none" : p.stored.get("txId")) + "): see docs/cdc.md, "
                        + "Resuming after a stop: what Debezium 3.6.1 can lose");
            }
        }
        return p;
    }

    /**
     * Ten patient ids taken ahead of the sequence: the workers' next ten
     * insert_paciente operations fail on the primary key and roll back.
     */
    Set<Long> takePatientIdsAhead() throws SQLException {
        Set<Long> taken = new HashSet<>();
        try (Statement st = src.createStatement();
             ResultSet rs = st.executeQuery("INSERT INTO pacientes (id, nome, nascimento, cpf) "
                     + "SELECT s.last_value + g, 'Colisão ' || g, '2000-01-01', 'colisao-' || g "
                     + "FROM pacientes_id_seq s, generate_series(1, 10) g RETURNING id")) {
            while (rs.next()) {
                taken.add(rs.getLong(1));
            }
        }
        return taken;
    }

    /** Snapshot rows per table = the counts at the snapshot. */
    void checkSnapshotRowsEqualCounts(Phase1 p) {
        for (String t : tables) {
            long got = p.ledger.snapshotRows.getOrDefault(t, 0L);
            check(p.snap && got == p.c0.get(t), "snapshot: " + t + " has " + p.c0.get(t) + " rows, op r events " + got,
                    "table " + t + ": " + p.c0.get(t) + " rows at the snapshot, " + got + " op r events");
        }
    }

    /** Streamed events per table and op = committed counters (and the test's own inserts) = table deltas. */
    void checkStreamedEventsEqualCounters(Phase1 p) {
        Map<String, Long> expected = minus(p.s1, p.s0);
        expected.merge("pacientes c", (long) p.taken.size(), Long::sum);
        Map<String, Long> streamed = p.ledger.streamed;
        for (String t : tables) {
            StringBuilder why = new StringBuilder();
            for (String o : new String[] {"c", "u", "d", "t"}) {
                long want = expected.getOrDefault(t + " " + o, 0L);
                long got = streamed.getOrDefault(t + " " + o, 0L);
                if (want != got) {
                    why.append(t).append(" op ").append(o).append(": committed ").append(want)
                            .append(", events ").append(got).append('\n');
                }
            }
            long growth = p.c1.get(t) - p.c0.get(t);
            long net = streamed.getOrDefault(t + " c", 0L) - streamed.getOrDefault(t + " d", 0L);
            if (growth != net) {
                why.append(t).append(": table grew by ").append(growth).append(", events c - d = ").append(net);
            }
            check(p.gotMarker && why.length() == 0, "stream: " + t + " events per op = committed counters = table delta ("
                    + expected.getOrDefault(t + " c", 0L) + " c, " + expected.getOrDefault(t + " u", 0L) + " u)", why.toString());
        }
    }

    /** No event from a failed operation: each taken id was inserted once, by the test. */
    void checkNoEventFromFailedOperations(Phase1 p) {
        long failedOps = p.errors.getOrDefault("insert_paciente", 0L);
        List<String> takenInserts = new ArrayList<>();
        for (Event ev : p.ledger.firstDelivery) {
            if ("pacientes".equals(ev.table()) && "c".equals(ev.op())
                    && p.taken.contains(ev.value.get("after").get("id").asLong())) {
                takenInserts.add(ev.value.get("after").get("nome").asText());
            }
        }
        check(failedOps == p.taken.size() && takenInserts.size() == p.taken.size()
                        && takenInserts.stream().allMatch(s -> s.startsWith("Colisão")),
                "no event from the " + failedOps + " failed operations",
                "insert_paciente errors " + failedOps + " (expected " + p.taken.size() + "), inserts of the taken ids "
                        + takenInserts);
    }

    /** The tables rebuilt from the events alone equal the source row by row, and by docs/cdc.md's checksum query. */
    void checkRebuildEqualsSource(Phase1 p, String doc) throws SQLException {
        Rebuild rebuild = new Rebuild(src, rebuildConn, tables);
        for (Event ev : p.ledger.firstDelivery) {
            rebuild.apply(ev);
        }
        rebuild.commit();
        for (String t : tables) {
            String diff = rebuild.compare(t);
            check(diff == null, "rebuild: " + t + " rebuilt from the events equals the source, every row", diff);
        }
        String sums = checksums(src, rebuildConn, doc);
        check(sums == null, "checksums: docs/cdc.md's query on the rebuilt tables equals oltp_checksums() on the source", sums);
    }

    /** Updates carry the row as rebuilt before them under replica identity full, no before image under default. */
    void checkBeforeImages(Phase1 p) {
        Ledger l = p.ledger;
        check(l.fullUpdates > 0 && l.beforeMismatch.isEmpty(),
                "replica identity full: all " + l.fullUpdates + " updates carry before = the row as rebuilt before them",
                l.fullUpdates + " updates under full; mismatches: " + l.beforeMismatch);
        check(l.defaultUpdates > 0 && l.defaultWithBefore == 0,
                "replica identity default: none of " + l.defaultUpdates + " updates carries a before image",
                l.defaultWithBefore + " of " + l.defaultUpdates + " updates under default carry one");
    }

    /** Watermarks: op m, prefix oltp_sim, seq consecutive per worker. */
    void checkWatermarkSequences(Phase1 p) {
        Ledger l = p.ledger;
        check(l.marks.size() > 100 && l.seqProblems.isEmpty(),
                "watermarks: " + l.marks.size() + " op m events with prefix oltp_sim, seq consecutive per worker "
                        + l.marksPerWorker.keySet(),
                l.marks.size() + " marks; " + l.seqProblems);
    }

    /**
     * A watermark in every transaction, so each one's counts minus the
     * previous one's (same worker) are exactly its own transaction's events.
     */
    void checkWatermarksEqualTransactionEvents(Phase1 p) throws IOException {
        List<String> wmDiff = new ArrayList<>();
        int pairs = 0;
        Map<Integer, JsonNode> prev = new HashMap<>();
        for (Event m : p.ledger.marks) {
            JsonNode wm = Engine.JSON.readTree(m.messageContent());
            int w = wm.get("worker").asInt();
            JsonNode last = prev.put(w, wm);
            if (last == null) {
                continue;
            }
            pairs++;
            Map<String, Long> inTx = p.ledger.txEvents.getOrDefault(m.txId(), Map.of());
            Map<String, Long> counted = changeDiff(wm, last);
            if (!counted.equals(withoutZeros(inTx))) {
                wmDiff.add("worker " + w + " seq " + wm.get("seq") + " (tx " + m.txId() + "): watermark counts " + counted
                        + ", events " + inTx);
            }
        }
        check(pairs > 100 && wmDiff.isEmpty(),
                "watermarks: in " + pairs + " transactions the watermark counts equal the transaction's events",
                pairs + " pairs; " + firstFive(wmDiff));
    }

    /** Each transaction's END: its data_collections counts = the events received in it, and a BEGIN for each. */
    void checkTransactionMetadata(Phase1 p) {
        Ledger l = p.ledger;
        List<String> txDiff = new ArrayList<>();
        for (Map.Entry<Long, JsonNode> txEnd : l.ends.entrySet()) {
            Map<String, Long> declared = new TreeMap<>();
            for (JsonNode dc : txEnd.getValue().path("data_collections")) {
                // Debezium 3.6 counts a transaction's logical decoding messages as
                // a collection named by the Java object that identifies them
                String table = dc.get("data_collection").asText();
                declared.put(table.contains("LogicalDecodingMessage") ? "(messages)" : table.substring(table.lastIndexOf('.') + 1),
                        dc.get("event_count").asLong());
            }
            Map<String, Long> got = new TreeMap<>();
            l.txEvents.getOrDefault(txEnd.getKey(), Map.of()).forEach((k, v) -> got.merge(k.split(" ")[0], v, Long::sum));
            long messages = l.txMessages.getOrDefault(txEnd.getKey(), 0L);
            if (messages > 0) {
                got.put("(messages)", messages);
            }
            if (!declared.equals(got) || txEnd.getValue().path("event_count").asLong() != total(got)) {
                txDiff.add("tx " + txEnd.getKey() + ": END says " + declared + " (event_count "
                        + txEnd.getValue().path("event_count") + "), received " + got);
            }
        }
        check(l.ends.size() > 100 && txDiff.isEmpty() && l.begins.equals(l.ends.keySet()),
                "transaction metadata: " + l.ends.size() + " END events, data_collections counts = events received",
                txDiff.size() + " differ, " + l.begins.size() + " BEGIN: " + firstFive(txDiff));
    }

    /** Three data events in a transaction, fewer only where an operation failed or was skipped. */
    void checkThreeOperationsPerTransaction(Phase1 p) {
        Map<Long, Long> sizes = new TreeMap<>();
        long shortTx = 0;
        for (Event m : p.ledger.marks) {
            long size = total(p.ledger.txEvents.getOrDefault(m.txId(), Map.of()));
            sizes.merge(size, 1L, Long::sum);
            if (size != 3) {
                shortTx++;
            }
        }
        long failedOrSkipped = total(p.errors) + total(p.skipped);
        check(sizes.getOrDefault(3L, 0L) > 100 && sizes.keySet().stream().allMatch(s -> s >= 1 && s <= 3)
                        && shortTx >= (total(p.errors) > 0 ? 1 : 0) && shortTx <= failedOrSkipped,
                "3 operations per transaction: 3 data events in one transaction except where an operation failed ("
                        + shortTx + " of " + p.ledger.marks.size() + ")",
                "transactions by number of events " + sizes + "; failed or skipped operations " + failedOrSkipped);
    }

    /**
     * The engine started again from its stored offsets: nothing lost (the
     * stream and rebuild checks count and rebuild every event), and a
     * duplicate only after the stored offset.
     */
    void checkNothingLostAcrossEngineRestart(Phase1 p) {
        List<String> early = redeliveredEarly(p.ledger.duplicates, p.stored);
        check(p.stopMarker && p.stored != null && p.firstRun > 0 && events.size() > p.firstRun && early.isEmpty(),
                "restart from stored offsets: no event lost, " + p.ledger.duplicates.size()
                        + " redelivered, all after the stored offset",
                "stored offset " + p.stored + "; redelivered at or before it: " + early);
    }

    // ---- phase 2: heartbeats ------------------------------------------------

    /**
     * The stream paused, another database writes WAL; the slot's
     * confirmed_flush_lsn moves past it with the recommended settings, and again
     * past what was written after that.
     */
    void checkHeartbeatsAdvanceSlot() throws SQLException, InterruptedException {
        exec(admin, "CREATE TABLE IF NOT EXISTS wal_filler (x int)");
        List<String> passedLsns = new ArrayList<>();
        String waitingFor = null;
        for (int round = 0; round < 2; round++) {
            waitingFor = one(admin, "SELECT pg_catalog.pg_current_wal_lsn()::text");
            if (!walPassed(waitingFor, 90)) {
                break;
            }
            passedLsns.add(waitingFor);
        }
        check(passedLsns.size() == 2, "heartbeats: stream paused, another database writes WAL, the slot's confirmed_flush_lsn "
                        + "keeps advancing (past " + String.join(", then ", passedLsns) + ")",
                "confirmed_flush_lsn " + one(admin, "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?",
                        "oltp_sim_debezium") + " still not past " + waitingFor + " after 90 s");
    }

    // ---- phase 3: the server restarted with one worker ----------------------

    /** What phase 3 saw. */
    static final class Phase3 {
        /** The offset the engine stored when it was stopped before the restart. */
        JsonNode stored;
        boolean restarted;
        boolean gotMarker;
        /** The index of phase 3's first event. */
        int from;
        /** Committed changes and rows per table before and after phase 3's stream. */
        Map<String, Long> s2;
        Map<String, Long> c2;
        Map<String, Long> s3;
        Map<String, Long> c3;
        /** Every event so far. */
        List<Event> all;
    }

    /**
     * The engine stopped, the server restarted with one worker and a
     * watermark every 50 operations, the engine started again from its
     * offsets, 1500 operations streamed.
     */
    Phase3 restartServerWithOneWorker() throws Exception {
        Phase3 p = new Phase3();
        stopEngine();
        p.stored = Engine.storedOffset(offsets);
        exec(src, "ALTER SYSTEM SET oltp_sim.workers = 1");
        exec(src, "ALTER SYSTEM SET oltp_sim.watermark_every = 50");
        p.restarted = restartServer();
        poll(src, "SELECT workers = 1 AND state = 'paused' FROM oltp_status()", 60);
        p.from = events.size();
        p.s2 = counters(src);
        p.c2 = counts(src);
        startEngine();
        stream(1500);
        pause();
        p.gotMarker = marker("phase3");
        p.s3 = counters(src);
        p.c3 = counts(src);
        p.all = events.snapshot();
        return p;
    }

    /** Restarts the server with the --restart command and connects again; true if the command succeeded. */
    boolean restartServer() throws Exception {
        src.close();
        rebuildConn.close();
        admin.close();
        Process p = new ProcessBuilder("sh", "-c", arg.get("restart")).inheritIO().start();
        boolean restarted = p.waitFor() == 0;
        admin = connect("postgres");
        src = connect(DB);
        rebuildConn = connect(REBUILD_DB);
        return restarted;
    }

    /** Events per table and op = committed counters; redelivered events only after the stored offset. */
    void checkEventsAfterServerRestart(Phase3 p) {
        Ledger l3 = new Ledger(full);
        l3.seen.addAll(identities(p.all.subList(0, p.from)));
        for (Event ev : p.all.subList(p.from, p.all.size())) {
            l3.feed(ev, true);
        }
        Map<String, Long> exp3 = withoutZeros(minus(p.s3, p.s2));
        Map<String, Long> got3 = withoutZeros(l3.streamed);
        long growth3 = total(minus(p.c3, p.c2));
        List<String> early3 = redeliveredEarly(l3.duplicates, p.stored);
        check(p.restarted && p.gotMarker && exp3.equals(got3) && early3.isEmpty() && growth3 == got3.entrySet().stream()
                        .filter(x -> x.getKey().endsWith(" c")).mapToLong(Map.Entry::getValue).sum(),
                "server restarted with 1 worker, engine resumed from offsets: events per table and op = committed counters, "
                        + l3.duplicates.size() + " redelivered, all after the stored offset",
                "restart ok " + p.restarted + ", marker " + p.gotMarker + "; committed " + exp3 + "\nevents " + got3
                        + "\ntables grew by " + growth3 + "\nstored offset " + p.stored + "; redelivered at or before it: " + early3);
    }

    /** One worker, a watermark every 50 operations: the events between two watermarks equal the difference of their counts. */
    void checkOneWorkerWatermarks(Phase3 p) throws IOException {
        List<String> between = new ArrayList<>();
        int pairs3 = 0;
        int lastIdx = -1;
        JsonNode lastWm = null;
        List<Event> window = p.all.subList(p.from, p.all.size());
        Set<String> seen3 = identities(p.all.subList(0, p.from));
        for (int i = 0; i < window.size(); i++) {
            Event ev = window.get(i);
            if (!"message".equals(ev.kind) || !MARK.equals(ev.messagePrefix())) {
                continue;
            }
            JsonNode wm = Engine.JSON.readTree(ev.messageContent());
            if (lastWm != null) {
                pairs3++;
                Map<String, Long> got = new TreeMap<>();
                for (Event d : window.subList(lastIdx + 1, i)) {
                    if ("data".equals(d.kind) && d.value != null && seen3.add(d.identity())) {
                        got.merge(d.table() + " " + d.op(), 1L, Long::sum);
                    }
                }
                Map<String, Long> counted = changeDiff(wm, lastWm);
                if (wm.get("seq").asLong() != lastWm.get("seq").asLong() + 1 || !counted.equals(got)) {
                    between.add("seq " + lastWm.get("seq") + " -> " + wm.get("seq") + ": counts " + counted + ", events " + got);
                }
            }
            lastWm = wm;
            lastIdx = i;
        }
        check(pairs3 >= 20 && between.isEmpty(),
                "one worker: between " + pairs3 + " pairs of consecutive watermarks the events equal the difference of their counts",
                pairs3 + " pairs; " + firstFive(between));
    }

    void checkRebuildAfterBothRestarts(Phase3 p) throws SQLException {
        Rebuild again = new Rebuild(src, rebuildConn, tables);
        Ledger whole = Ledger.of(full, p.all);
        List<String> diffs = again.rebuildFrom(whole.firstDelivery);
        check(diffs.isEmpty() && whole.beforeMismatch.isEmpty(),
                "after both restarts the rebuild still equals the source, every table and row",
                String.join("\n", diffs) + (whole.beforeMismatch.isEmpty() ? "" : "\nbefore images: " + whole.beforeMismatch));
    }

    // ---- helpers of the checks ---------------------------------------------

    /** The identities of events (Event.identity), to count them as seen. */
    static Set<String> identities(List<Event> events) {
        Set<String> out = new HashSet<>();
        for (Event ev : events) {
            out.add(ev.identity());
        }
        return out;
    }

    /** The first five lines of a list of differences, one a line. */
    static String firstFive(List<String> lines) {
        return String.join("\n", lines.subList(0, Math.min(5, lines.size())));
    }

    /** The text between two markers of a document; null where they are missing. */
    static String block(String doc, String begin, String end) {
        int b = doc.indexOf(begin);
        int e = b < 0 ? -1 : doc.indexOf(end, b);
        return e < 0 ? null : doc.substring(b + begin.length(), e);
    }

    /**
     * The redelivered events that came from at or before the stored offset:
     * changes and messages by LSN (lsn_proc, the last one processed),
     * transaction events by transaction id.
     */
    static List<String> redeliveredEarly(List<Event> duplicates, JsonNode stored) {
        long lsnProc = stored == null || stored.get("lsn_proc") == null ? Long.MAX_VALUE : stored.get("lsn_proc").asLong();
        long txId = stored == null || stored.get("txId") == null ? Long.MAX_VALUE : stored.get("txId").asLong();
        List<String> early = new ArrayList<>();
        for (Event d : duplicates) {
            if ("transaction".equals(d.kind)) {
                long tx = Long.parseLong(d.value.path("id").asText().split(":")[0]);
                if (tx < txId) {
                    early.add(d.value.path("status").asText() + " of tx " + tx);
                }
            } else if (d.lsn() <= lsnProc) {
                early.add(d.op() + " " + d.table() + " lsn " + d.lsn() + " tx " + d.txId());
            }
        }
        return early;
    }

    /**
     * docs/cdc.md's checksum query (between its markers) on the rebuilt
     * tables against oltp_checksums() on the source, audit columns excluded
     * as the query excludes them; null when every table agrees.
     */
    static String checksums(Connection src, Connection rebuilt, String doc) throws SQLException {
        String query = block(doc, "<!-- checksum query: begin -->\n```sql\n", "```\n<!-- checksum query: end -->");
        if (query == null) {
            return "no block between the checksum query markers in docs/cdc.md";
        }
        Map<String, String> want = new TreeMap<>();
        Map<String, String> got = new TreeMap<>();
        try (Statement st = src.createStatement();
             ResultSet rs = st.executeQuery("SELECT table_name, row_count, digest "
                     + "FROM oltp_checksums(exclude_columns => '{created_at,updated_at}')")) {
            while (rs.next()) {
                want.put(rs.getString(1), rs.getString(2) + " " + rs.getString(3));
            }
        }
        // its SETs, then its query, in a transaction of the rebuild's own, rolled back
        String[] stmts = query.split(";\n");
        try (Statement st = rebuilt.createStatement()) {
            for (int i = 0; i < stmts.length - 1; i++) {
                st.execute(stmts[i]);
            }
            try (ResultSet rs = st.executeQuery(stmts[stmts.length - 1])) {
                while (rs.next()) {
                    got.put(rs.getString(1), rs.getString(2) + " " + rs.getString(3));
                }
            }
        } finally {
            rebuilt.rollback();
        }
        return !want.isEmpty() && want.equals(got) ? null : "oltp_checksums " + want + ", docs/cdc.md's query " + got;
    }

    static String firstDifference(String doc, String file) {
        String[] a = doc.split("\n", -1);
        String[] b = file.split("\n", -1);
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? a[i] : "(end)";
            String y = i < b.length ? b[i] : "(end)";
            if (!x.equals(y)) {
                return "line " + (i + 1) + ": docs/cdc.md '" + x + "', connector.properties '" + y + "'";
            }
        }
        return "no difference";
    }

    static Map<String, Long> changeDiff(JsonNode wm, JsonNode prev) {
        Map<String, Long> out = new TreeMap<>();
        wm.get("changes").fields().forEachRemaining(t -> t.getValue().fields().forEachRemaining(k -> {
            long d = k.getValue().asLong() - prev.get("changes").path(t.getKey()).path(k.getKey()).asLong();
            if (d != 0) {
                out.put(t.getKey() + " " + op(k.getKey()), d);
            }
        }));
        return out;
    }

    static Map<String, Long> withoutZeros(Map<String, Long> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> {
            if (v != 0) {
                out.put(k, v);
            }
        });
        return out;
    }

    /**
     * Reads the events in order: skips redeliveries (same identity as an
     * earlier event), keeps the latest image of each row to check the before
     * images, and counts what the checks need.
     */
    static final class Ledger {
        final Set<String> full;
        final Set<String> seen = new HashSet<>();
        final List<Event> firstDelivery = new ArrayList<>();
        final List<Event> duplicates = new ArrayList<>();
        final Map<String, Long> snapshotRows = new TreeMap<>();
        final Map<String, Long> streamed = new TreeMap<>();
        final Map<String, Map<String, JsonNode>> rows = new HashMap<>();
        final Map<Long, Map<String, Long>> txEvents = new HashMap<>();
        final Map<Long, Long> txMessages = new HashMap<>();
        final Map<Long, JsonNode> ends = new TreeMap<>();
        final Set<Long> begins = new HashSet<>();
        final List<Event> marks = new ArrayList<>();
        final Map<Integer, Long> marksPerWorker = new TreeMap<>();
        final List<String> seqProblems = new ArrayList<>();
        final List<String> beforeMismatch = new ArrayList<>();
        String lastData = "";
        long fullUpdates;
        long defaultUpdates;
        long defaultWithBefore;

        Ledger(Set<String> full) {
            this.full = full;
        }

        /** A ledger that has read the events, none counted as after a restart. */
        static Ledger of(Set<String> full, List<Event> events) {
            Ledger l = new Ledger(full);
            for (Event e : events) {
                l.feed(e, false);
            }
            return l;
        }

        void feed(Event e, boolean afterRestart) {
            if ("heartbeat".equals(e.kind)) {
                return;
            }
            // a tombstone carries no position: it is known by the delete it follows
            String id = "transaction".equals(e.kind)
                    ? e.topic + "|" + e.value.path("status").asText() + "|" + e.value.path("id").asText()
                    : e.value == null ? lastData + "|tombstone" : e.identity();
            if ("data".equals(e.kind) && e.value != null) {
                lastData = id;
            }
            if (!seen.add(id)) {
                if (afterRestart) {
                    duplicates.add(e);
                }
                return;
            }
            switch (e.kind) {
                case "transaction":
                    feedTransaction(e);
                    break;
                case "message":
                    feedMessage(e);
                    break;
                default:
                    feedData(e);
                    break;
            }
        }

        private void feedTransaction(Event e) {
            long tx = Long.parseLong(e.value.path("id").asText().split(":")[0]);
            if ("BEGIN".equals(e.value.path("status").asText())) {
                begins.add(tx);
            } else {
                ends.put(tx, e.value);
            }
        }

        private void feedMessage(Event e) {
            if (e.txId() >= 0) {
                txMessages.merge(e.txId(), 1L, Long::sum);
            }
            if (!MARK.equals(e.messagePrefix())) {
                return;
            }
            marks.add(e);
            try {
                JsonNode wm = Engine.JSON.readTree(e.messageContent());
                int w = wm.get("worker").asInt();
                Long prev = marksPerWorker.put(w, wm.get("seq").asLong());
                if (prev != null && prev + 1 != wm.get("seq").asLong()) {
                    seqProblems.add("worker " + w + ": seq " + prev + " then " + wm.get("seq"));
                }
            } catch (IOException ex) {
                seqProblems.add("unreadable watermark " + e.messageContent());
            }
        }

        private void feedData(Event e) {
            firstDelivery.add(e);
            String t = e.table();
            String op = e.op();
            if ("r".equals(op)) {
                snapshotRows.merge(t, 1L, Long::sum);
            } else {
                streamed.merge(t + " " + op, 1L, Long::sum);
                if (e.txId() >= 0) {
                    txEvents.computeIfAbsent(e.txId(), k -> new TreeMap<>()).merge(t + " " + op, 1L, Long::sum);
                }
            }
            if (e.value == null) {
                return;
            }
            Map<String, JsonNode> table = rows.computeIfAbsent(t, k -> new HashMap<>());
            String key = String.valueOf(e.key);
            if ("u".equals(op)) {
                compareBeforeImage(t, key, e.value.get("before"), table.get(key));
            }
            if ("d".equals(op)) {
                table.remove(key);
            } else {
                table.put(key, e.value.get("after"));
            }
        }

        /** Under full: before = the row as rebuilt before the update; under default: no before image. */
        private void compareBeforeImage(String t, String key, JsonNode before, JsonNode rebuilt) {
            if (full.contains(t)) {
                fullUpdates++;
                if (!Objects.equals(before, rebuilt) && beforeMismatch.size() < 5) {
                    beforeMismatch.add(t + " " + key + ": before " + before + ", rebuilt " + rebuilt);
                }
            } else {
                defaultUpdates++;
                if (before != null && !before.isNull()) {
                    defaultWithBefore++;
                }
            }
        }
    }
}
