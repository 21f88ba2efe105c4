package oltpsim;

import com.fasterxml.jackson.databind.JsonNode;

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
 * operations.  Then the edge cases (EdgeCases), erasures and key changes
 * (KeyChanges) and the data types (Types), each with the engine running.
 * Everything is checked against the committed counters, the tables, and a
 * rebuild of the tables from the events alone.
 *
 * Arguments: --properties F --readme F --host H --port P --workdir D --restart S
 * (S: a command that restarts the server).
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

    /** Errors or skips per operation. */
    static Map<String, Long> failures(Connection c, String column) throws SQLException {
        return longs(c, "SELECT operation, " + column + " FROM oltp_operations()");
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
        Map<String, String> o = new HashMap<>();
        o.put("database.hostname", arg.get("host"));
        o.put("database.port", arg.get("port"));
        o.put("offset.storage.file.filename", offsets.toString());
        engine = new Engine(Engine.settings(Path.of(arg.get("properties")), o), events);
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

    void run() throws Exception {
        Path work = Path.of(arg.get("workdir"));
        Files.createDirectories(work);
        offsets = work.resolve("offsets.dat");
        Files.deleteIfExists(offsets);

        // 1. the README quotes the properties file verbatim
        String props = Files.readString(Path.of(arg.get("properties")), StandardCharsets.UTF_8);
        String readme = Files.readString(Path.of(arg.get("readme")), StandardCharsets.UTF_8);
        String begin = "<!-- connector.properties: begin -->\n```properties\n";
        String end = "```\n<!-- connector.properties: end -->";
        int b = readme.indexOf(begin);
        int e = b < 0 ? -1 : readme.indexOf(end, b);
        String quoted = b < 0 || e < 0 ? null : readme.substring(b + begin.length(), e);

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
        List<String> tables = new ArrayList<>();
        Set<String> full = new HashSet<>();
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
        exec(src, "ALTER SYSTEM SET oltp_sim.rate = 300");
        exec(src, "ALTER SYSTEM SET oltp_sim.ops_per_transaction = 3");
        exec(src, "ALTER SYSTEM SET oltp_sim.watermark_every = 1");
        reload();
        poll(src, "SELECT workers = 2 AND state = 'paused' FROM oltp_status()", 60);

        System.out.println("1.." + (3 * tables.size() + 14 + EdgeCases.CHECKS + KeyChanges.CHECKS + Types.CHECKS));
        diag("tables " + tables + ", replica identity full on " + full);
        check(props.equals(quoted), "the README quotes test/debezium/connector.properties verbatim",
                quoted == null ? "no block between the connector.properties markers in the README" : firstDifference(quoted, props));

        // snapshot: the stream is paused, so the counts are those of the snapshot
        Map<String, Long> c0 = counts(src);
        Map<String, Long> s0 = counters(src);
        Map<String, Long> err0 = failures(src, "errors");
        Map<String, Long> skip0 = failures(src, "skipped");
        startEngine();
        boolean snap = events.await(ev -> "data".equals(ev.kind) && "r".equals(ev.op()) && "last".equals(ev.snapshot()), 180_000);
        if (!snap) {
            diag("no snapshot event with snapshot=last within 180 s"
                    + (engine.failure() != null ? ": " + engine.failure() : ""));
        }

        // ten patient ids taken ahead of the sequence: the workers' next ten
        // insert_paciente operations fail on the primary key and roll back
        Set<Long> taken = new HashSet<>();
        try (Statement st = src.createStatement();
             ResultSet rs = st.executeQuery("INSERT INTO pacientes (id, nome, nascimento, cpf) "
                     + "SELECT s.last_value + g, 'Colisão ' || g, '2000-01-01', 'colisao-' || g "
                     + "FROM pacientes_id_seq s, generate_series(1, 10) g RETURNING id")) {
            while (rs.next()) {
                taken.add(rs.getLong(1));
            }
        }

        // stream; stop the engine mid-stream; the stream goes on; start it again
        stream(OPS_PER_SEGMENT);
        stopEngine();
        int firstRun = events.size();
        JsonNode stored = Engine.storedOffset(offsets);
        diag("engine stopped mid-stream after " + firstRun + " events; stored offset "
                + (stored == null ? "none" : "lsn_proc " + stored.get("lsn_proc") + ", lsn_commit " + stored.get("lsn_commit")
                        + ", txId " + stored.get("txId")));
        long target = Long.parseLong(one(src, "SELECT committed FROM oltp_status()")) + OPS_PER_SEGMENT;
        poll(src, "SELECT committed >= ? FROM oltp_status()", 120, target);
        startEngine();
        stream(OPS_PER_SEGMENT);
        pause();
        boolean gotMarker = marker("phase1");
        Map<String, Long> c1 = counts(src);
        Map<String, Long> s1 = counters(src);
        Map<String, Long> errors = minus(failures(src, "errors"), err0);
        Map<String, Long> skipped = minus(failures(src, "skipped"), skip0);
        diag("committed " + total(minus(s1, s0)) + " changes, errors " + errors + ", skipped " + total(skipped));

        List<Event> all = events.snapshot();
        Ledger ledger = new Ledger(full);
        for (int i = 0; i < all.size(); i++) {
            ledger.feed(all.get(i), i >= firstRun);
        }

        // 1. snapshot rows per table = the counts at the snapshot
        for (String t : tables) {
            long got = ledger.snapshotRows.getOrDefault(t, 0L);
            check(snap && got == c0.get(t), "snapshot: " + t + " has " + c0.get(t) + " rows, op r events " + got,
                    "table " + t + ": " + c0.get(t) + " rows at the snapshot, " + got + " op r events");
        }

        // 2. streamed events per table and op = committed counters = table deltas
        Map<String, Long> expected = minus(s1, s0);
        expected.merge("pacientes c", (long) taken.size(), Long::sum);
        for (String t : tables) {
            StringBuilder why = new StringBuilder();
            for (String o : new String[] {"c", "u", "d", "t"}) {
                long want = expected.getOrDefault(t + " " + o, 0L);
                long got = ledger.streamed.getOrDefault(t + " " + o, 0L);
                if (want != got) {
                    why.append(t).append(" op ").append(o).append(": committed ").append(want)
                            .append(", events ").append(got).append('\n');
                }
            }
            long growth = c1.get(t) - c0.get(t);
            long net = ledger.streamed.getOrDefault(t + " c", 0L) - ledger.streamed.getOrDefault(t + " d", 0L);
            if (growth != net) {
                why.append(t).append(": table grew by ").append(growth).append(", events c - d = ").append(net);
            }
            check(gotMarker && why.length() == 0, "stream: " + t + " events per op = committed counters = table delta ("
                    + expected.getOrDefault(t + " c", 0L) + " c, " + expected.getOrDefault(t + " u", 0L) + " u)", why.toString());
        }
        // no event from a failed operation: each taken id was inserted once, by us
        long failedOps = errors.getOrDefault("insert_paciente", 0L);
        List<String> takenInserts = new ArrayList<>();
        for (Event ev : ledger.firstDelivery) {
            if ("pacientes".equals(ev.table()) && "c".equals(ev.op())
                    && taken.contains(ev.value.get("after").get("id").asLong())) {
                takenInserts.add(ev.value.get("after").get("nome").asText());
            }
        }
        check(failedOps == taken.size() && takenInserts.size() == taken.size()
                        && takenInserts.stream().allMatch(s -> s.startsWith("Colisão")),
                "no event from the " + failedOps + " failed operations",
                "insert_paciente errors " + failedOps + " (expected " + taken.size() + "), inserts of the taken ids "
                        + takenInserts);

        // 3. rebuild from the events alone, compared with the source row by row
        Rebuild rebuild = new Rebuild(src, rebuildConn, tables);
        for (Event ev : ledger.firstDelivery) {
            rebuild.apply(ev);
        }
        rebuild.commit();
        for (String t : tables) {
            String diff = rebuild.compare(t);
            check(diff == null, "rebuild: " + t + " rebuilt from the events equals the source, every row", diff);
        }
        String sums = checksums(src, rebuildConn, readme);
        check(sums == null, "checksums: the README's query on the rebuilt tables equals oltp_checksums() on the source", sums);

        // 4. before images
        check(ledger.fullUpdates > 0 && ledger.beforeMismatch.isEmpty(),
                "replica identity full: all " + ledger.fullUpdates + " updates carry before = the row as rebuilt before them",
                ledger.fullUpdates + " updates under full; mismatches: " + ledger.beforeMismatch);
        check(ledger.defaultUpdates > 0 && ledger.defaultWithBefore == 0,
                "replica identity default: none of " + ledger.defaultUpdates + " updates carries a before image",
                ledger.defaultWithBefore + " of " + ledger.defaultUpdates + " updates under default carry one");

        // 5. watermarks: op m, prefix oltp_sim, seq consecutive per worker; a
        // watermark in every transaction, so each one's counts minus the
        // previous one's (same worker) are exactly its own transaction's events
        check(ledger.marks.size() > 100 && ledger.seqProblems.isEmpty(),
                "watermarks: " + ledger.marks.size() + " op m events with prefix oltp_sim, seq consecutive per worker "
                        + ledger.marksPerWorker.keySet(),
                ledger.marks.size() + " marks; " + ledger.seqProblems);
        List<String> wmDiff = new ArrayList<>();
        int pairs = 0;
        Map<Integer, JsonNode> prev = new HashMap<>();
        for (Event m : ledger.marks) {
            JsonNode wm = Engine.JSON.readTree(m.messageContent());
            int w = wm.get("worker").asInt();
            JsonNode p = prev.put(w, wm);
            if (p == null) {
                continue;
            }
            pairs++;
            Map<String, Long> inTx = ledger.txEvents.getOrDefault(m.txId(), Map.of());
            Map<String, Long> counted = changeDiff(wm, p);
            if (!counted.equals(withoutZeros(inTx))) {
                wmDiff.add("worker " + w + " seq " + wm.get("seq") + " (tx " + m.txId() + "): watermark counts " + counted
                        + ", events " + inTx);
            }
        }
        check(pairs > 100 && wmDiff.isEmpty(),
                "watermarks: in " + pairs + " transactions the watermark counts equal the transaction's events",
                pairs + " pairs; " + String.join("\n", wmDiff.subList(0, Math.min(5, wmDiff.size()))));

        // 6. transaction metadata
        List<String> txDiff = new ArrayList<>();
        for (Map.Entry<Long, JsonNode> txEnd : ledger.ends.entrySet()) {
            Map<String, Long> declared = new TreeMap<>();
            for (JsonNode dc : txEnd.getValue().path("data_collections")) {
                // Debezium 3.6 counts a transaction's logical decoding messages as
                // a collection named by the Java object that identifies them
                String table = dc.get("data_collection").asText();
                declared.put(table.contains("LogicalDecodingMessage") ? "(messages)" : table.substring(table.lastIndexOf('.') + 1),
                        dc.get("event_count").asLong());
            }
            Map<String, Long> got = new TreeMap<>();
            ledger.txEvents.getOrDefault(txEnd.getKey(), Map.of()).forEach((k, v) -> got.merge(k.split(" ")[0], v, Long::sum));
            long messages = ledger.txMessages.getOrDefault(txEnd.getKey(), 0L);
            if (messages > 0) {
                got.put("(messages)", messages);
            }
            if (!declared.equals(got) || txEnd.getValue().path("event_count").asLong() != total(got)) {
                txDiff.add("tx " + txEnd.getKey() + ": END says " + declared + " (event_count "
                        + txEnd.getValue().path("event_count") + "), received " + got);
            }
        }
        check(ledger.ends.size() > 100 && txDiff.isEmpty() && ledger.begins.equals(ledger.ends.keySet()),
                "transaction metadata: " + ledger.ends.size() + " END events, data_collections counts = events received",
                txDiff.size() + " differ, " + ledger.begins.size() + " BEGIN: " + String.join("\n", txDiff.subList(0, Math.min(5, txDiff.size()))));
        Map<Long, Long> sizes = new TreeMap<>();
        long shortTx = 0;
        for (Event m : ledger.marks) {
            long size = total(ledger.txEvents.getOrDefault(m.txId(), Map.of()));
            sizes.merge(size, 1L, Long::sum);
            if (size != 3) {
                shortTx++;
            }
        }
        long failedOrSkipped = total(errors) + total(skipped);
        check(sizes.getOrDefault(3L, 0L) > 100 && sizes.keySet().stream().allMatch(s -> s >= 1 && s <= 3)
                        && shortTx >= (total(errors) > 0 ? 1 : 0) && shortTx <= failedOrSkipped,
                "3 operations per transaction: 3 data events in one transaction except where an operation failed ("
                        + shortTx + " of " + ledger.marks.size() + ")",
                "transactions by number of events " + sizes + "; failed or skipped operations " + failedOrSkipped);

        // 8. restart from the stored offsets: nothing lost (checks 2 and 3 count
        // and rebuild every event), and a duplicate only after the stored offset
        List<String> early = redeliveredEarly(ledger.duplicates, stored);
        check(stored != null && firstRun > 0 && events.size() > firstRun && early.isEmpty(),
                "restart from stored offsets: no event lost, " + ledger.duplicates.size()
                        + " redelivered, all after the stored offset",
                "stored offset " + stored + "; redelivered at or before it: " + early);

        // 7. heartbeats: the stream paused, another database writes WAL; the
        // slot's confirmed_flush_lsn moves past it with the README's
        // settings, and again past what was written after that
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

        // phase 3: one worker (restart), the engine again from its offsets,
        // a watermark every 50 operations
        stopEngine();
        JsonNode stored3 = Engine.storedOffset(offsets);
        exec(src, "ALTER SYSTEM SET oltp_sim.workers = 1");
        exec(src, "ALTER SYSTEM SET oltp_sim.watermark_every = 50");
        src.close();
        rebuildConn.close();
        admin.close();
        Process p = new ProcessBuilder("sh", "-c", arg.get("restart")).inheritIO().start();
        boolean restarted = p.waitFor() == 0;
        admin = connect("postgres");
        src = connect(DB);
        rebuildConn = connect(REBUILD_DB);
        poll(src, "SELECT workers = 1 AND state = 'paused' FROM oltp_status()", 60);
        int phase3 = events.size();
        Map<String, Long> s2 = counters(src);
        Map<String, Long> c2 = counts(src);
        startEngine();
        stream(1500);
        pause();
        boolean gotMarker3 = marker("phase3");
        Map<String, Long> s3 = counters(src);
        Map<String, Long> c3 = counts(src);
        all = events.snapshot();
        Ledger l3 = new Ledger(full);
        for (Event ev : all.subList(0, phase3)) {
            l3.seen.add(ev.identity());
        }
        for (Event ev : all.subList(phase3, all.size())) {
            l3.feed(ev, true);
        }
        Map<String, Long> exp3 = withoutZeros(minus(s3, s2));
        Map<String, Long> got3 = withoutZeros(l3.streamed);
        long growth3 = total(minus(c3, c2));
        List<String> early3 = redeliveredEarly(l3.duplicates, stored3);
        check(restarted && gotMarker3 && exp3.equals(got3) && early3.isEmpty() && growth3 == got3.entrySet().stream()
                        .filter(x -> x.getKey().endsWith(" c")).mapToLong(Map.Entry::getValue).sum(),
                "server restarted with 1 worker, engine resumed from offsets: events per table and op = committed counters, "
                        + l3.duplicates.size() + " redelivered, all after the stored offset",
                "restart ok " + restarted + ", marker " + gotMarker3 + "; committed " + exp3 + "\nevents " + got3
                        + "\ntables grew by " + growth3 + "\nstored offset " + stored3 + "; redelivered at or before it: " + early3);
        List<String> between = new ArrayList<>();
        int pairs3 = 0;
        int lastIdx = -1;
        JsonNode lastWm = null;
        List<Event> window = all.subList(phase3, all.size());
        Set<String> seen3 = new HashSet<>();
        for (Event ev : all.subList(0, phase3)) {
            seen3.add(ev.identity());
        }
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
                pairs3 + " pairs; " + String.join("\n", between.subList(0, Math.min(5, between.size()))));
        Rebuild again = new Rebuild(src, rebuildConn, tables);
        Ledger whole = new Ledger(full);
        for (Event ev : all) {
            whole.feed(ev, false);
        }
        List<String> diffs = again.rebuildFrom(whole.firstDelivery);
        check(diffs.isEmpty() && whole.beforeMismatch.isEmpty(),
                "after both restarts the rebuild still equals the source, every table and row",
                String.join("\n", diffs) + (whole.beforeMismatch.isEmpty() ? "" : "\nbefore images: " + whole.beforeMismatch));
        EdgeCases.run(this);

        // phase 5: erasures, key changes, admissions, imports, a long transaction
        KeyChanges.run(this, tables, full);
        Types.run(this);
        stopEngine();
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
     * The README's checksum query (between its markers) on the rebuilt
     * tables against oltp_checksums() on the source, audit columns excluded
     * as the query excludes them; null when every table agrees.
     */
    static String checksums(Connection src, Connection rebuilt, String readme) throws SQLException {
        String begin = "<!-- checksum query: begin -->\n```sql\n";
        String end = "```\n<!-- checksum query: end -->";
        int b = readme.indexOf(begin);
        int e = b < 0 ? -1 : readme.indexOf(end, b);
        if (e < 0) {
            return "no block between the checksum query markers in the README";
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
        String[] stmts = readme.substring(b + begin.length(), e).split(";\n");
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
        return !want.isEmpty() && want.equals(got) ? null : "oltp_checksums " + want + ", README query " + got;
    }

    static String firstDifference(String readme, String file) {
        String[] a = readme.split("\n", -1);
        String[] b = file.split("\n", -1);
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? a[i] : "(end)";
            String y = i < b.length ? b[i] : "(end)";
            if (!x.equals(y)) {
                return "line " + (i + 1) + ": README '" + x + "', connector.properties '" + y + "'";
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
                case "transaction": {
                    long tx = Long.parseLong(e.value.path("id").asText().split(":")[0]);
                    if ("BEGIN".equals(e.value.path("status").asText())) {
                        begins.add(tx);
                    } else {
                        ends.put(tx, e.value);
                    }
                    return;
                }
                case "message": {
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
                    } catch (java.io.IOException ex) {
                        seqProblems.add("unreadable watermark " + e.messageContent());
                    }
                    return;
                }
                default:
                    break;
            }
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
                JsonNode before = e.value.get("before");
                if (full.contains(t)) {
                    fullUpdates++;
                    if (!Objects.equals(before, table.get(key)) && beforeMismatch.size() < 5) {
                        beforeMismatch.add(t + " " + key + ": before " + before + ", rebuilt " + table.get(key));
                    }
                } else {
                    defaultUpdates++;
                    if (before != null && !before.isNull()) {
                        defaultWithBefore++;
                    }
                }
            }
            if ("d".equals(op)) {
                table.remove(key);
            } else {
                table.put(key, e.value.get("after"));
            }
        }
    }
}
