package oltpsim;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The set partitions through Debezium (DebeziumTest runs this last): a
 * connector of its own on a publication with publish_via_partition_root =
 * true, a signalling table, eventos_leito and its partitions included.
 *
 *   - one partition detached before the connector starts; the snapshot,
 *     then the stream's inserts, updates and cross-partition moves: events
 *     per op = the committed counters, every one on topic
 *     oltp.public.eventos_leito, and the table rebuilt from the events equals
 *     the source;
 *   - detach_partition: no event; the rebuild holds exactly the detached
 *     table's rows more than the source, as many as the announcement says;
 *   - attach_partition twice: the one just detached (the rebuild equals the
 *     source again), then the one detached before the snapshot: the rebuild
 *     lacks exactly its rows, as many as the announcement says;
 *   - execute-snapshot (incremental, chunked by id: by the whole key
 *     Debezium's chunk query fails on the timestamp) through the signalling
 *     table: the rebuild equals the source;
 *   - the publication switched to publish_via_partition_root = false: the
 *     inserts arrive on one topic per partition, none on eventos_leito.
 */
final class Partitions {
    static final int CHECKS = 5;
    static final String TOPIC = "oltp.public.eventos_leito";
    static final String SLOT = "oltp_sim_partitions";
    static final String PUBLICATION = "oltp_sim_root";
    static final String SIGNAL = "oltp_sim_signal";
    static final String[] ROW_OPS = {"insert_evento_leito", "update_evento_leito", "move_evento_leito"};

    private final DebeziumTest t;
    private final Engine.Collector events = new Engine.Collector();
    private Engine engine;

    private Partitions(DebeziumTest t) {
        this.t = t;
    }

    static void run(DebeziumTest t) throws Exception {
        Partitions p = new Partitions(t);
        try {
            p.scenario();
        } finally {
            if (p.engine != null) {
                p.engine.close();
            }
            DebeziumTest.exec(t.admin, "SELECT pg_catalog.pg_drop_replication_slot(slot_name) FROM pg_catalog.pg_replication_slots "
                    + "WHERE slot_name = ? AND NOT active", SLOT);
        }
    }

    /** A transactional message, then waits until this connector has it. */
    boolean marker(String label) throws Exception {
        DebeziumTest.exec(t.src, "SELECT pg_catalog.pg_logical_emit_message(true, ?, ?)", DebeziumTest.TEST_MARK, label);
        boolean ok = events.await(e -> "message".equals(e.kind) && DebeziumTest.TEST_MARK.equals(e.messagePrefix())
                && label.equals(e.messageContent()), 120_000);
        if (!ok) {
            DebeziumTest.diag("the partitions connector did not deliver marker " + label + " within 120 s"
                    + (engine.failure() != null ? ": " + engine.failure() : ""));
        }
        return ok;
    }

    /** One operation of the set in this session (CALL oltp_run), announced as the stream's are. */
    void runOne(String op, int seed) throws Exception {
        String weights = DebeziumTest.one(t.src, "SELECT pg_catalog.jsonb_object_agg(operation, "
                + "CASE WHEN operation = ? THEN 1 ELSE 0 END)::text FROM oltp_operations()", op);
        DebeziumTest.exec(t.src, "CALL oltp_run(ops => 1, seed => ?, weights => ?::jsonb)", (long) seed, weights);
    }

    /** The keys (id|ocorrido_em) of a table, in the source or the rebuild. */
    static Set<String> keys(java.sql.Connection c, String table) throws SQLException {
        Set<String> out = new TreeSet<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id::text || '|' || ocorrido_em::text FROM public." + table)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }

    /** Every event so far applied to a fresh copy of eventos_leito: what differs from the source. */
    List<String> rebuild() throws SQLException {
        Rebuild r = new Rebuild(t.src, t.rebuildConn, List.of("eventos_leito"));
        return r.rebuildFrom(events.snapshot());
    }

    long announced(String change) throws SQLException {
        return Long.parseLong(DebeziumTest.one(t.src, "SELECT rows_silent FROM oltp_announcements() "
                + "WHERE change = ? ORDER BY lsn DESC LIMIT 1", change));
    }

    void scenario() throws Exception {
        // the set, a publication through the root, a signalling table in it
        DebeziumTest.exec(t.src, "SELECT count(*) FROM oltp_add_tables('partitions', seed => 17)");
        DebeziumTest.exec(t.src, "SELECT oltp_publication(?, true)", PUBLICATION);
        DebeziumTest.exec(t.src, "CREATE TABLE public." + SIGNAL
                + " (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048))");
        DebeziumTest.exec(t.src, "ALTER PUBLICATION " + PUBLICATION + " ADD TABLE public." + SIGNAL);
        // a partition detached before the snapshot: rows no event will ever carry
        String early = DebeziumTest.one(t.src, "SELECT particao FROM oltp_sim_eventos_leito_detach(current_date)");
        Set<String> earlyKeys = keys(t.src, early);

        Path offsets = Path.of(t.arg.get("workdir")).resolve("partitions-offsets.dat");
        Files.deleteIfExists(offsets);
        engine = new Engine(t.engineSettings(offsets, Map.of(
                "name", "oltp-sim-partitions",
                "slot.name", SLOT,
                "publication.name", PUBLICATION,
                "table.include.list", "public\\.eventos_leito.*,public\\." + SIGNAL,
                "signal.data.collection", "public." + SIGNAL,
                "snapshot.mode", "initial")), events);

        // 1. snapshot, then inserts, updates and moves under the root (the
        // marker once the connector's slot exists: WAL before it is not sent)
        boolean snapshotted = DebeziumTest.poll(t.admin, "SELECT EXISTS (SELECT FROM pg_catalog.pg_replication_slots "
                + "WHERE slot_name = ?)", 120, SLOT) && marker("partitions-snapshot");
        int from = events.size();
        Map<String, Integer> weights = new TreeMap<>();
        for (String op : ROW_OPS) {
            weights.put(op, 10);
        }
        KeyChanges.setWeights(t, weights);
        t.reload();
        Map<String, Long> c0 = DebeziumTest.counters(t.src);
        t.stream(300);
        t.pause();
        boolean got = marker("partitions-rows");
        Map<String, Long> committed = DebeziumTest.withoutZeros(DebeziumTest.minus(DebeziumTest.counters(t.src), c0));
        Map<String, Long> delivered = new TreeMap<>();
        Set<String> topics = new TreeSet<>();
        for (Event e : events.since(from)) {
            if ("data".equals(e.kind) && e.value != null && e.table().startsWith("eventos_leito")) {
                delivered.merge(e.table() + " " + e.op(), 1L, Long::sum);
                topics.add(e.topic);
            }
        }
        Map<String, Long> want = new TreeMap<>();
        committed.forEach((k, v) -> {
            if (k.startsWith("eventos_leito ") && !k.endsWith(" schema")) {
                want.put(k, v);
            }
        });
        List<String> diffs = rebuild();
        t.check(snapshotted && got && !want.isEmpty() && want.equals(delivered) && topics.equals(Set.of(TOPIC))
                        && want.getOrDefault("eventos_leito d", 0L) > 0 && diffs.isEmpty(),
                "partitions, publish_via_partition_root = true: events per op = committed counters " + want
                        + ", all on " + TOPIC + " (moves as a delete and a create); eventos_leito rebuilt from the "
                        + "snapshot and the events equals the source",
                "events " + delivered + " on " + topics + "\n" + String.join("\n", diffs));

        // 2. a partition detached: no event, the rebuild holds its rows more
        from = events.size();
        runOne("detach_partition", 1);
        String detached = DebeziumTest.one(t.src, "SELECT relname FROM oltp_sim_eventos_leito_detached_tables() "
                + "WHERE relname <> ? LIMIT 1", early);
        Set<String> detachedKeys = detached == null ? Set.of() : keys(t.src, detached);
        got = marker("partitions-detach");
        long rowEvents = events.since(from).stream()
                .filter(e -> "data".equals(e.kind) && e.value != null && e.table().startsWith("eventos_leito")).count();
        rebuild();
        Set<String> extra = minus(keys(t.rebuildConn, "eventos_leito"), keys(t.src, "eventos_leito"));
        Set<String> missing = minus(keys(t.src, "eventos_leito"), keys(t.rebuildConn, "eventos_leito"));
        long silent = announced("detach_partition");
        t.check(got && detached != null && rowEvents == 0 && !extra.isEmpty() && extra.equals(detachedKeys)
                        && missing.isEmpty() && extra.size() == silent,
                "detach_partition: no event; the rebuild holds exactly the " + extra.size() + " rows of " + detached
                        + " the source no longer has, as many as the announcement's rows_silent (" + silent + ")",
                rowEvents + " row events; " + extra.size() + " extra, " + missing.size() + " missing, detached table "
                        + detachedKeys.size() + " rows");

        // 3. attached again: that one (equal again), then the one no event ever carried
        runOne("attach_partition", 2);
        got = marker("partitions-attach-1");
        List<String> equalAgain = rebuild();
        // the late entries of its month, which the default partition took while
        // it was detached, deleted (with their events): else it cannot attach
        DebeziumTest.exec(t.src, "DELETE FROM public.eventos_leito_default");
        runOne("attach_partition", 3);
        got = marker("partitions-attach-2") && got;
        rebuild();
        extra = minus(keys(t.rebuildConn, "eventos_leito"), keys(t.src, "eventos_leito"));
        missing = minus(keys(t.src, "eventos_leito"), keys(t.rebuildConn, "eventos_leito"));
        silent = announced("attach_partition");
        t.check(got && equalAgain.isEmpty() && extra.isEmpty() && !missing.isEmpty() && missing.equals(earlyKeys)
                        && missing.size() == silent,
                "attach_partition: the table just detached comes back (the rebuild equals the source again); "
                        + early + ", detached before the snapshot, comes back with no event: the rebuild lacks exactly "
                        + "its " + missing.size() + " rows, as many as the announcement's rows_silent (" + silent + ")",
                String.join("\n", equalAgain) + "\n" + extra.size() + " extra, " + missing.size() + " missing, "
                        + earlyKeys.size() + " rows in " + early);

        // 4. repaired by an incremental snapshot, signalled through the table
        long rows = Long.parseLong(DebeziumTest.one(t.src, "SELECT count(*) FROM eventos_leito"));
        from = events.size();
        // (chunked by id: by the whole key, Debezium compares ocorrido_em with a
        // varchar and the snapshot fails, "operator does not exist: timestamp
        // without time zone > character varying"; the ids come from one
        // sequence, unique across the partitions)
        DebeziumTest.exec(t.src, "INSERT INTO public." + SIGNAL + " (id, type, data) VALUES ('partitions-1', "
                + "'execute-snapshot', '{\"data-collections\": [\"public.eventos_leito\"], \"type\": \"incremental\", "
                + "\"surrogate-key\": \"id\"}')");
        boolean read = waitReads(from, rows);
        got = marker("partitions-snapshot-2");
        diffs = rebuild();
        t.check(read && got && diffs.isEmpty(),
                "execute-snapshot through " + SIGNAL + " (surrogate-key id): an incremental snapshot of the " + rows
                        + " rows, and the rebuild equals the source again",
                (read ? "" : "the incremental snapshot did not deliver every row\n") + String.join("\n", diffs));

        // 5. publish_via_partition_root = false: a topic per partition
        DebeziumTest.exec(t.src, "SELECT oltp_publication(?, false)", PUBLICATION);
        DebeziumTest.exec(t.src, "ALTER PUBLICATION " + PUBLICATION + " ADD TABLE public." + SIGNAL);
        KeyChanges.setWeights(t, Map.of("insert_evento_leito", 1));
        t.reload();
        c0 = DebeziumTest.counters(t.src);
        from = events.size();
        t.stream(60);
        t.pause();
        got = marker("partitions-leaf");
        long inserted = DebeziumTest.minus(DebeziumTest.counters(t.src), c0).getOrDefault("eventos_leito c", 0L);
        topics = new TreeSet<>();
        long creates = 0;
        for (Event e : events.since(from)) {
            if ("data".equals(e.kind) && e.value != null && e.table().startsWith("eventos_leito")) {
                topics.add(e.topic);
                creates += "c".equals(e.op()) ? 1 : 0;
            }
        }
        List<String> partitions = new ArrayList<>();
        for (String topic : topics) {
            partitions.add(topic.substring(topic.lastIndexOf('.') + 1));
        }
        Set<String> names = new HashSet<>(partitions);
        boolean allPartitions = !names.isEmpty() && names.stream().allMatch(n -> n.matches("eventos_leito_(\\d{4}_\\d{2}|default)"));
        t.check(got && inserted > 0 && creates == inserted && allPartitions,
                "partitions, publish_via_partition_root = false: the " + inserted + " inserts arrive on the partitions' "
                        + "topics " + topics + ", none on " + TOPIC,
                creates + " creates on " + topics);
    }

    /** Waits, bounded, until the incremental snapshot has read at least rows rows. */
    boolean waitReads(int from, long rows) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            long reads = events.since(from).stream()
                    .filter(e -> "data".equals(e.kind) && e.value != null && "r".equals(e.op())
                            && e.table().startsWith("eventos_leito")).count();
            if (reads >= rows) {
                return true;
            }
            Thread.sleep(200);
        }
        DebeziumTest.diag("the incremental snapshot did not read " + rows + " rows within 120 s");
        return false;
    }
}
