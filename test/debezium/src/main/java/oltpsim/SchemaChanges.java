package oltpsim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The set schema_changes through Debezium (docs/schema_changes.md): the
 * table precos, its schema changed one kind at a time (CALL oltp_run of one
 * operation of the set, every other weighted 0) between rounds of its rows,
 * read by connectors of their own (slots, publications, offsets):
 *
 *   - "for table": publication.autocreate.mode=filtered, the publication
 *     Debezium makes FOR TABLE precos and the signalling table; it runs with
 *     schema.refresh.mode at its default, columns_diff, then, started again
 *     from its offsets, at columns_diff_exclude_unchanged_toast and with
 *     publication.autocreate.mode=disabled (the publication as it is);
 *   - "all tables": publication.autocreate.mode=all_tables (FOR ALL
 *     TABLES), beside the first during its first round, to see what a table
 *     swap sends it.
 *
 * The events are applied to a rebuild of precos kept by the test (a row per
 * id: the image of the last event; a column renamed or dropped as the
 * announcement before it says, what the documented remedy of those kinds
 * is), compared after each change with the source column by column
 * (created_at and updated_at apart, as docs/cdc.md's checksum query leaves
 * them).  A change the announcement calls silent must leave exactly its
 * rows_silent rows different, in the column it names, and an incremental
 * snapshot (execute-snapshot through the signalling table) must make the
 * rebuild equal again; every other kind must leave it equal.  Every event
 * of precos must carry the columns (names, Debezium types) of the
 * announcement before it.  Then what each replica identity's updates and
 * deletes carried, what a table swap sent each connector, and the new
 * table precos_lote (made, published and filled in one transaction, then
 * dropped) as each received it.
 */
final class SchemaChanges {
    static final String PREFIX = "oltp_sim.schema";
    static final String SIGNAL = "oltp_sim_dbz_signal";
    static final String SLOT = "oltp_sim_dbz_precos";
    static final String SLOT_ALL = "oltp_sim_dbz_all";
    static final String[] MODES = {"columns_diff", "columns_diff_exclude_unchanged_toast"};
    /** The changes, one operation a step, in this order, until every variant below was seen. */
    static final String[] KINDS = {"add_column_preco", "drop_column_preco", "alter_type_preco", "rename_column_preco",
            "replica_identity_preco", "ddl_dml_preco", "swap_table_preco"};
    /** Every variant a round must have made (variant(): change and its detail). */
    static final String[] VARIANTS = {
        "add_column observacao", "add_column ativo", "add_column lote", "add_column etiqueta with rows",
        "drop_column observacao", "drop_column ativo", "drop_column lote", "drop_column etiqueta with rows",
        "drop_add_column referencia integer", "drop_add_column referencia text",
        "alter_column_type unidade character varying(20)", "alter_column_type unidade character varying(10)",
        "alter_column_type quantidade bigint", "alter_column_type quantidade integer",
        "alter_column_type valor numeric(12,4)", "alter_column_type valor numeric(10,2)",
        "rename_column fabricante", "rename_column fornecedor",
        "replica_identity full", "replica_identity index", "replica_identity default", "swap_table",
    };
    /** The silent ones: rows changed without events. */
    static final Set<String> SILENT = Set.of("add_column ativo", "add_column lote", "drop_add_column referencia integer",
            "drop_add_column referencia text", "alter_column_type valor numeric(12,4)", "alter_column_type valor numeric(10,2)");
    static final int MAX_STEPS = 120;
    /** Per mode: the kinds that send events, the silent ones, their repair; then the columns, identity, swap twice, new table. */
    static final int CHECKS = 3 * MODES.length + 5;
    /** Columns left out of the comparison, as docs/cdc.md's checksum query leaves them out. */
    static final Set<String> AUDIT = Set.of("created_at", "updated_at");

    private SchemaChanges() {
    }

    // ---- the rebuild of precos -------------------------------------------

    /** The rows the events built, what each identity's updates and deletes carried, what went wrong. */
    static final class Sink {
        final Map<String, Map<String, String>> rows = new TreeMap<>();
        /** The announced columns in force: name to type; null before the first announcement. */
        Map<String, String> columns;
        String identity = "default";
        final Map<String, Set<String>> identitySeen = new TreeMap<>();
        final List<String> shapeProblems = new ArrayList<>();
        final List<String> identityProblems = new ArrayList<>();
        long shapeChecked;
        int applied;
        /** The events applied, by identity: a connector started again delivers some twice. */
        final Set<String> delivered = new java.util.HashSet<>();

        /** Applies the events from index applied on: precos's rows and announcements. */
        void feed(List<Event> events) throws IOException {
            for (; applied < events.size(); applied++) {
                Event e = events.get(applied);
                // an incremental snapshot's reads are applied each time (a row read twice: the same image)
                if (!"message".equals(e.kind) && !"data".equals(e.kind)
                        || !"r".equals(e.op()) && !delivered.add(e.identity())) {
                    continue;
                }
                if ("message".equals(e.kind) && PREFIX.equals(e.messagePrefix())) {
                    announcement(Engine.JSON.readTree(e.messageContent()));
                } else if ("data".equals(e.kind) && e.value != null && "precos".equals(e.table())) {
                    row(e);
                }
            }
        }

        /** The remedy the announcement documents for a column renamed or dropped; the columns in force. */
        void announcement(JsonNode a) {
            if (!"precos".equals(a.path("table").asText())) {
                return;
            }
            String change = a.path("change").asText();
            JsonNode d = a.path("detail");
            for (Map<String, String> r : rows.values()) {
                if ("rename_column".equals(change) && r.containsKey(d.path("from").asText())) {
                    r.put(d.path("to").asText(), r.remove(d.path("from").asText()));
                } else if ("drop_column".equals(change)) {
                    r.remove(d.path("column").asText());
                }
            }
            if ("replica_identity".equals(change)) {
                identity = d.path("to").asText();
            }
            columns = new LinkedHashMap<>();
            for (JsonNode c : a.path("columns")) {
                columns.put(c.path("name").asText(), c.path("type").asText());
            }
        }

        void row(Event e) {
            String op = e.op();
            checkShape(e);
            if ("u".equals(op) || "d".equals(op)) {
                noteIdentity(e);
            }
            if ("d".equals(op)) {
                String id = oldRow(e);
                if (id != null) {
                    rows.remove(id);
                }
                return;
            }
            Map<String, String> after = image(e.value.get("after"));
            rows.put(after.get("id"), after);
        }

        /** The after image's fields (the event's schema) = the columns announced, each type as Debezium maps it. */
        void checkShape(Event e) {
            if (columns == null || "d".equals(e.op())) {
                return;
            }
            shapeChecked++;
            Map<String, String> got = new LinkedHashMap<>();
            for (JsonNode f : e.valueSchema.path("fields")) {
                if ("after".equals(f.path("field").asText())) {
                    for (JsonNode c : f.path("fields")) {
                        got.put(c.path("field").asText(), c.path("type").asText());
                    }
                }
            }
            Map<String, String> want = new LinkedHashMap<>();
            columns.forEach((k, v) -> want.put(k, connectType(v)));
            if (!new ArrayList<>(got.entrySet()).equals(new ArrayList<>(want.entrySet())) && shapeProblems.size() < 5) {
                shapeProblems.add(e.op() + " of id " + e.key + " at lsn " + e.lsn() + ": fields " + got + ", announced " + want);
            }
        }

        /**
         * The id of the row an UPDATE or DELETE changed in the rebuild: the
         * one with the old image's identity, the primary key (DEFAULT,
         * FULL) or codigo (USING INDEX precos_codigo_key: the sink keyed on
         * the identity the announcement names), null when none has it.
         */
        String oldRow(Event e) {
            Map<String, String> before = image(e.value.get("before"));
            if ("index".equals(identity)) {
                String codigo = before.get("codigo");
                for (Map.Entry<String, Map<String, String>> r : rows.entrySet()) {
                    if (codigo != null && codigo.equals(r.getValue().get("codigo"))) {
                        return r.getKey();
                    }
                }
                return null;
            }
            String id = e.key == null ? null : image(e.key).get("id");
            return id != null && rows.containsKey(id) ? id : null;
        }

        /**
         * What an UPDATE or DELETE carried, under the identity in force: the
         * old row's columns it holds with their values, those it holds with
         * others (a NOT NULL column the old image lacks), and the event's key.
         */
        void noteIdentity(Event e) {
            JsonNode before = e.value.get("before");
            String seen;
            if (before == null || before.isNull()) {
                seen = "no before";
            } else {
                String id = oldRow(e);
                Map<String, String> old = id == null ? Map.of() : rows.get(id);
                Map<String, String> b = image(before);
                Set<String> same = new TreeSet<>();
                Set<String> other = new TreeSet<>();
                b.forEach((k, v) -> {
                    if (Objects.equals(v, old.get(k))) {
                        if (v != null) {
                            same.add(k);
                        }
                    } else {
                        other.add(k);
                    }
                });
                seen = id == null ? "no row of the rebuild has its identity: " + b
                        : other.isEmpty() ? "the whole old row" : "the old row's " + same + ", the others not";
            }
            if ("d".equals(e.op())) {
                String keyId = e.key == null ? null : image(e.key).get("id");
                String id = oldRow(e);
                seen += "; key " + (keyId != null && keyId.equals(id) ? "the row's id" : String.valueOf(e.key));
            }
            identitySeen.computeIfAbsent(identity + " " + e.op(), k -> new TreeSet<>()).add(seen);
        }
    }

    /** An image's values as text: strings as they are, numbers and booleans as JSON writes them. */
    static Map<String, String> image(JsonNode image) {
        Map<String, String> out = new HashMap<>();
        if (image == null || image.isNull()) {
            return out;
        }
        image.fields().forEachRemaining(f -> out.put(f.getKey(),
                f.getValue().isNull() ? null : f.getValue().isTextual() ? f.getValue().asText() : f.getValue().toString()));
        return out;
    }

    /** The Kafka Connect type Debezium gives a column of the set (decimal.handling.mode=string). */
    static String connectType(String pgType) {
        switch (pgType) {
            case "bigint": return "int64";
            case "integer": return "int32";
            case "boolean": return "boolean";
            case "timestamp without time zone": return "int64";
            default: return "string";
        }
    }

    /** The source's rows of precos: id to column to value as jsonb writes it in text. */
    static Map<String, Map<String, String>> source(Connection c) throws SQLException {
        Map<String, Map<String, String>> out = new TreeMap<>();
        try (PreparedStatement st = c.prepareStatement("SELECT p.id::text, e.key, e.value FROM public.precos p "
                + "CROSS JOIN LATERAL pg_catalog.jsonb_each_text(pg_catalog.to_jsonb(p)) e");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), rs.getString(3));
            }
        }
        return out;
    }

    /** Each value that differs, "id column: source x, rebuilt y", for the source's columns. */
    static List<String> diff(Map<String, Map<String, String>> src, Map<String, Map<String, String>> rebuilt) {
        List<String> out = new ArrayList<>();
        Set<String> ids = new TreeSet<>(src.keySet());
        ids.addAll(rebuilt.keySet());
        for (String id : ids) {
            Map<String, String> s = src.get(id);
            Map<String, String> r = rebuilt.get(id);
            if (s == null || r == null) {
                out.add(id + " (row): source " + (s != null) + ", rebuilt " + (r != null));
                continue;
            }
            for (Map.Entry<String, String> c : s.entrySet()) {
                if (!AUDIT.contains(c.getKey()) && !Objects.equals(c.getValue(), r.get(c.getKey()))) {
                    out.add(id + " " + c.getKey() + ": source " + c.getValue() + ", rebuilt " + r.get(c.getKey()));
                }
            }
        }
        return out;
    }

    // ---- driving the set ---------------------------------------------------

    /** The seed of the next CALL oltp_run: each its own, the same in every run of the test. */
    static long seed = 1;

    /**
     * CALL oltp_run of n operations of the set, every operation weighted 0
     * but these, each call with a seed of its own (a call of one change with
     * the same seed makes the same choice from the same table).
     */
    static void runOps(DebeziumTest t, long n, Map<String, Integer> weights) throws SQLException {
        ObjectNode w = Engine.JSON.createObjectNode();
        for (String op : DebeziumTest.perOperation(t.src, "weight").keySet()) {
            w.put(op, weights.getOrDefault(op, 0));
        }
        DebeziumTest.exec(t.src, "CALL oltp_run(ops => ?, seed => ?, profile => 'schema_changes', weights => ?::jsonb)",
                n, seed++, w.toString());
    }

    /** Rows of the set: more inserts than deletes, so that the table never empties (a change of no rows is not silent). */
    static void rows(DebeziumTest t, long n) throws SQLException {
        runOps(t, n, Map.of("insert_preco", 4, "update_preco", 4, "delete_preco", 2));
    }

    /** The announcements committed after lsn, in order; the last LSN in last[0]. */
    static List<JsonNode> announcements(DebeziumTest t, String[] last) throws SQLException, IOException {
        List<JsonNode> out = new ArrayList<>();
        try (PreparedStatement st = t.src.prepareStatement("SELECT lsn::text, message::text FROM oltp_announcements() "
                + "WHERE lsn > ?::pg_lsn AND table_name = 'precos' ORDER BY lsn")) {
            st.setString(1, last[0]);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    last[0] = rs.getString(1);
                    out.add(Engine.JSON.readTree(rs.getString(2)));
                }
            }
        }
        return out;
    }

    /** A change as the variants name it: the change, its column, what it became. */
    static String variant(JsonNode a) {
        String change = a.path("change").asText();
        JsonNode d = a.path("detail");
        switch (change) {
            case "add_column":
            case "drop_column":
                return change + " " + d.path("column").asText() + (d.path("with_rows").asBoolean() ? " with rows" : "");
            case "drop_add_column":
            case "alter_column_type":
                return change + " " + d.path("column").asText() + " " + d.path("to").asText();
            case "rename_column":
            case "replica_identity":
                return change + " " + d.path("to").asText();
            default:
                return change;
        }
    }

    /** A transactional message after everything committed; true once the collector has it. */
    static boolean marker(DebeziumTest t, Engine.Collector got, String label) throws Exception {
        DebeziumTest.exec(t.src, "SELECT pg_catalog.pg_logical_emit_message(true, ?, ?)", DebeziumTest.TEST_MARK, label);
        boolean ok = got.await(e -> "message".equals(e.kind) && DebeziumTest.TEST_MARK.equals(e.messagePrefix())
                && label.equals(e.messageContent()), 120_000);
        if (!ok) {
            DebeziumTest.diag("schema changes: marker " + label + " not delivered within 120 s");
        }
        return ok;
    }

    /**
     * A connector started: a marker every 2 s until one arrives (one written
     * before the connector made its slot never does), at most 120 s.
     */
    static boolean started(DebeziumTest t, Engine.Collector got, String label) throws Exception {
        for (int i = 0; i < 60; i++) {
            DebeziumTest.exec(t.src, "SELECT pg_catalog.pg_logical_emit_message(true, ?, ?)", DebeziumTest.TEST_MARK, label + i);
            if (got.await(e -> "message".equals(e.kind) && DebeziumTest.TEST_MARK.equals(e.messagePrefix())
                    && e.messageContent().startsWith(label), 2_000)) {
                return true;
            }
        }
        DebeziumTest.diag("schema changes: no marker " + label + " delivered within 120 s");
        return false;
    }

    static Engine engine(DebeziumTest t, Engine.Collector got, String slot, Map<String, String> overrides) throws IOException {
        Map<String, String> o = new HashMap<>();
        o.put("name", slot);
        o.put("slot.name", slot);
        o.put("publication.name", slot);
        o.put("topic.prefix", slot);
        o.putAll(overrides);
        return new Engine(t.engineSettings(Path.of(t.arg.get("workdir")).resolve(slot + ".offsets"), o), got);
    }

    // ---- the phase ---------------------------------------------------------

    /** What a round of one mode saw. */
    static final class Round {
        final String mode;
        final Set<String> seen = new LinkedHashSet<>();
        final List<String> eventKinds = new ArrayList<>();
        final List<String> silentKinds = new ArrayList<>();
        final List<String> repairs = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        final List<String> silentProblems = new ArrayList<>();
        final List<String> repairProblems = new ArrayList<>();
        boolean markers = true;
        long swapRows = -1;
        JsonNode swap;
        String lsnBeforeSwap;
        /** The new table: its create_table and drop_table announcements, the events of each connector from before it. */
        JsonNode created;
        JsonNode dropped;
        List<Event> newTable = List.of();
        List<Event> newTableAll = List.of();

        Round(String mode) {
            this.mode = mode;
        }
    }

    static void run(DebeziumTest t) throws Exception {
        Files.deleteIfExists(Path.of(t.arg.get("workdir")).resolve(SLOT + ".offsets"));
        Files.deleteIfExists(Path.of(t.arg.get("workdir")).resolve(SLOT_ALL + ".offsets"));
        DebeziumTest.exec(t.src, "SELECT count(*) FROM oltp_add_tables('schema_changes')");
        DebeziumTest.exec(t.src, "CREATE TABLE public." + SIGNAL
                + " (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048))");
        rows(t, 60);

        Engine.Collector got = new Engine.Collector();
        Map<String, String> forTable = new HashMap<>();
        forTable.put("publication.autocreate.mode", "filtered");
        forTable.put("table.include.list", "public.precos,public.precos_lote,public." + SIGNAL);
        forTable.put("signal.data.collection", "public." + SIGNAL);
        forTable.put("snapshot.mode", "initial");
        // the driver's server-side prepared statements: after its fifth run, an incremental snapshot's
        // chunk query fails once the table's columns changed ("cached plan must not change result type")
        forTable.put("driver.prepareThreshold", "0");
        Sink sink = new Sink();
        List<Round> rounds = new ArrayList<>();
        Engine.Collector all = new Engine.Collector();
        Engine allEngine = null;
        for (String mode : MODES) {
            forTable.put("schema.refresh.mode", mode);
            // started again: the publication the first start made, as it is
            forTable.put("publication.autocreate.mode", rounds.isEmpty() ? "filtered" : "disabled");
            Engine e = engine(t, got, SLOT, forTable);
            if (allEngine == null) {
                Map<String, String> o = new HashMap<>();
                o.put("publication.autocreate.mode", "all_tables");
                o.put("table.include.list", "public.precos,public.precos_novo,public.precos_lote");
                o.put("snapshot.mode", "no_data");
                o.put("slot.drop.on.stop", "true");
                allEngine = engine(t, all, SLOT_ALL, o);
            }
            Round r = new Round(mode);
            try {
                round(t, got, sink, r, allEngine != null && rounds.isEmpty() ? all : null);
            } finally {
                e.close();
                if (rounds.isEmpty()) {
                    allEngine.close();
                }
            }
            if (e.failure() != null) {
                r.problems.add("the engine stopped: " + e.failure());
            }
            rounds.add(r);
        }
        // the slot and publications the connectors made (a FOR ALL TABLES one would publish every table);
        // the slot once its walsender has let it go (a closed engine's may still hold it a moment)
        DebeziumTest.poll(t.src, "SELECT NOT active FROM pg_catalog.pg_replication_slots WHERE slot_name = ?", 60, SLOT);
        DebeziumTest.exec(t.src, "SELECT pg_catalog.pg_drop_replication_slot(?::name)", SLOT);
        DebeziumTest.exec(t.src, "DROP PUBLICATION IF EXISTS " + SLOT + ", " + SLOT_ALL);

        for (Round r : rounds) {
            List<String> missing = new ArrayList<>();
            for (String v : VARIANTS) {
                if (!r.seen.contains(v)) {
                    missing.add(v);
                }
            }
            t.check(r.markers && missing.isEmpty() && r.problems.isEmpty(),
                    "schema changes, schema.refresh.mode=" + r.mode + ", publication.autocreate.mode="
                            + (r == rounds.get(0) ? "filtered" : "disabled") + ": after each of " + r.eventKinds.size()
                            + " changes that send events (" + String.join(", ", new TreeSet<>(r.eventKinds))
                            + ") the rebuild equals the source, every row and column",
                    "markers " + r.markers + "; variants not made: " + missing + "\n" + DebeziumTest.firstFive(r.problems));
            t.check(r.markers && r.silentKinds.containsAll(SILENT) && r.silentProblems.isEmpty(),
                    "schema changes, " + r.mode + ": after each silent change (" + String.join(", ", new TreeSet<>(r.silentKinds))
                            + ") exactly its announced rows_silent rows differ, in its column alone",
                    "silent seen " + r.silentKinds + "\n" + DebeziumTest.firstFive(r.silentProblems));
            t.check(r.markers && r.repairs.size() == r.silentKinds.size() && !r.repairs.isEmpty() && r.repairProblems.isEmpty(),
                    "schema changes, " + r.mode + ": an incremental snapshot (execute-snapshot) repairs each of "
                            + r.repairs.size() + " silent changes: the rebuild equals the source again",
                    DebeziumTest.firstFive(r.repairProblems));
        }
        t.check(sink.shapeChecked > 0 && sink.shapeProblems.isEmpty(),
                "schema changes, both modes: each of " + sink.shapeChecked + " events of precos carries the columns of the "
                        + "announcement before it (names, order, Debezium types)",
                DebeziumTest.firstFive(sink.shapeProblems));
        checkIdentity(t, sink);
        checkSwap(t, rounds.get(0), got.snapshot());
        checkSwapForAllTables(t, rounds.get(0), all.snapshot());
        checkNewTable(t, rounds.get(0));
    }

    /** One mode: every kind in turn, with rows between, until every variant was made. */
    static void round(DebeziumTest t, Engine.Collector got, Sink sink, Round r, Engine.Collector all) throws Exception {
        String[] last = {DebeziumTest.one(t.src, "SELECT coalesce(max(lsn), '0/0')::text FROM oltp_announcements()")};
        int label = 0;
        // each connector's slot made (at its start) before the first change
        if (all != null) {
            r.markers &= started(t, all, r.mode + "-all-start");
        }
        r.markers &= started(t, got, r.mode + "-start");
        sink.feed(got.snapshot());
        List<String> d0 = diff(source(t.src), sink.rows);
        if (!d0.isEmpty()) {
            r.problems.add("before the first change: " + d0.size() + " values differ: " + DebeziumTest.firstFive(d0));
        }
        Set<String> required = Set.of(VARIANTS);
        boolean swapped = false;
        for (int step = 0; step < MAX_STEPS && !r.seen.containsAll(required); step++) {
            String op = KINDS[step % KINDS.length];
            String lsn = last[0];
            long before = Long.parseLong(DebeziumTest.one(t.src, "SELECT count(*) FROM public.precos"));
            runOps(t, 1, Map.of(op, 1));
            List<JsonNode> made = announcements(t, last);
            if (made.isEmpty()) {
                continue;
            }
            r.markers &= marker(t, got, r.mode + "-" + label++);
            sink.feed(got.snapshot());
            List<String> d = diff(source(t.src), sink.rows);
            for (JsonNode a : made) {
                String v = variant(a);
                r.seen.add(v);
                if ("swap_table".equals(a.path("change").asText()) && !swapped) {
                    swapped = true;
                    r.swap = a;
                    r.swapRows = before;
                    r.lsnBeforeSwap = lsn;
                }
            }
            JsonNode a = made.get(made.size() - 1);
            String v = variant(a);
            if (made.size() == 1 && a.path("silent").asBoolean()) {
                r.silentKinds.add(v);
                checkSilent(t, got, sink, r, a, d, r.mode + "-" + label++);
            } else {
                r.eventKinds.add(v);
                if (!d.isEmpty()) {
                    r.problems.add("after " + v + ": " + d.size() + " values differ: " + DebeziumTest.firstFive(d));
                }
            }
            // rows of the new shape, then the rebuild again
            rows(t, 10);
            r.markers &= marker(t, got, r.mode + "-" + label++);
            sink.feed(got.snapshot());
            List<String> d2 = diff(source(t.src), sink.rows);
            if (!d2.isEmpty()) {
                r.problems.add("after " + v + " and rows: " + d2.size() + " values differ: " + DebeziumTest.firstFive(d2));
            }
        }
        if (all != null) {
            newTable(t, got, all, r);
            // the FOR ALL TABLES connector has had everything before the marker
            marker(t, all, r.mode + "-all");
        }
    }

    /** The last announcement of a table after lsn, or null. */
    static JsonNode lastAnnouncement(DebeziumTest t, String table, String change, String lsn) throws Exception {
        String m = DebeziumTest.one(t.src, "SELECT message::text FROM oltp_announcements() WHERE table_name = ? "
                + "AND change = ? AND lsn > ?::pg_lsn ORDER BY lsn DESC LIMIT 1", table, change, lsn);
        return m == null ? null : Engine.JSON.readTree(m);
    }

    /**
     * The new table precos_lote: made, added to the publications that list
     * precos, announced and filled in one transaction (create_table_preco),
     * both connectors waited for, then dropped (drop_table_preco).
     */
    static void newTable(DebeziumTest t, Engine.Collector got, Engine.Collector all, Round r) throws Exception {
        if ("t".equals(DebeziumTest.one(t.src, "SELECT pg_catalog.to_regclass('public.precos_lote') IS NOT NULL"))) {
            runOps(t, 1, Map.of("drop_table_preco", 1));
        }
        String lsn = DebeziumTest.one(t.src, "SELECT pg_catalog.pg_current_wal_lsn()::text");
        int from = got.size();
        int fromAll = all.size();
        runOps(t, 1, Map.of("create_table_preco", 1));
        r.created = lastAnnouncement(t, "precos_lote", "create_table", lsn);
        r.markers &= marker(t, got, r.mode + "-created") & marker(t, all, r.mode + "-created-all");
        runOps(t, 1, Map.of("drop_table_preco", 1));
        r.dropped = lastAnnouncement(t, "precos_lote", "drop_table", lsn);
        r.markers &= marker(t, got, r.mode + "-dropped") & marker(t, all, r.mode + "-dropped-all");
        List<Event> g = got.snapshot();
        List<Event> a = all.snapshot();
        r.newTable = g.subList(from, g.size());
        r.newTableAll = a.subList(fromAll, a.size());
    }

    /**
     * What a connector received of the new table: its events per op, and
     * whether each came after the create_table announcement, in its
     * transaction.
     */
    static String newTableEvents(List<Event> events) throws IOException {
        Map<String, Long> perOp = new TreeMap<>();
        long announcedTx = -2;
        List<String> order = new ArrayList<>();
        for (Event e : events) {
            if ("message".equals(e.kind) && PREFIX.equals(e.messagePrefix())) {
                JsonNode m = Engine.JSON.readTree(e.messageContent());
                if ("precos_lote".equals(m.path("table").asText())) {
                    order.add(m.path("change").asText());
                    if ("create_table".equals(m.path("change").asText())) {
                        announcedTx = e.txId();
                    }
                }
            } else if ("data".equals(e.kind) && e.value != null && "precos_lote".equals(e.table())) {
                perOp.merge(e.op() + (e.txId() == announcedTx ? " after create_table, same transaction" : " elsewhere"),
                        1L, Long::sum);
            }
        }
        return order + " " + perOp;
    }

    /**
     * The new table: to the FOR TABLE connector, whose publication lists
     * precos (the operation added the new table to it), and to the FOR ALL
     * TABLES one, the create_table announcement then one insert per row it
     * announced, in its transaction; then the drop_table announcement and
     * nothing else.
     */
    static void checkNewTable(DebeziumTest t, Round r) throws IOException {
        boolean named = false;
        long rows = r.created == null ? -1 : r.created.path("detail").path("rows").asLong();
        if (r.created != null) {
            for (JsonNode p : r.created.path("detail").path("publications")) {
                named |= SLOT.equals(p.asText());
            }
        }
        String want = "[create_table, drop_table] {c after create_table, same transaction=" + rows + "}";
        String got = newTableEvents(r.newTable);
        String gotAll = newTableEvents(r.newTableAll);
        t.check(r.created != null && r.dropped != null && named && rows > 0 && want.equals(got) && want.equals(gotAll),
                "new table (create_table_preco, then drop_table_preco): FOR TABLE and FOR ALL TABLES connectors each get "
                        + "the announcement, then the " + rows + " rows as inserts in its transaction, then the drop's announcement alone",
                "created " + r.created + "\nwant " + want + "\nFOR TABLE " + got + "\nFOR ALL TABLES " + gotAll);
    }

    /** Exactly rows_silent rows differ, in the announced column; an incremental snapshot repairs them. */
    static void checkSilent(DebeziumTest t, Engine.Collector got, Sink sink, Round r, JsonNode a, List<String> d,
                            String label) throws Exception {
        String v = variant(a);
        String column = a.path("detail").path("column").asText();
        Set<String> ids = new TreeSet<>();
        List<String> elsewhere = new ArrayList<>();
        for (String x : d) {
            String[] parts = x.split(" ", 3);
            ids.add(parts[0]);
            if (!parts[1].equals(column + ":")) {
                elsewhere.add(x);
            }
        }
        long announced = a.path("rows_silent").asLong();
        if (ids.size() != announced || !elsewhere.isEmpty() || announced == 0) {
            r.silentProblems.add(v + ": rows_silent " + announced + ", rows differing " + ids.size() + "; other columns: "
                    + DebeziumTest.firstFive(elsewhere));
        } else {
            DebeziumTest.diag(r.mode + ": " + v + ": " + announced + " rows differ in " + column + ", e.g. " + d.get(0));
        }

        // the repair: an incremental snapshot of precos, requested through the signalling table
        int from = got.size();
        DebeziumTest.exec(t.src, "INSERT INTO public." + SIGNAL + " (id, type, data) VALUES (?, 'execute-snapshot', ?)",
                label, "{\"data-collections\": [\"public.precos\"], \"type\": \"incremental\"}");
        Set<String> want = source(t.src).keySet();
        boolean read = got.await(new java.util.function.Predicate<Event>() {
            final Set<String> ids = new TreeSet<>();
            int index;

            @Override
            public boolean test(Event e) {
                // the collector hands every event once, in order, from its start
                if (index++ >= from && "data".equals(e.kind) && "precos".equals(e.table()) && "r".equals(e.op())
                        && e.value != null) {
                    ids.add(e.value.path("after").path("id").asText());
                }
                return ids.containsAll(want);
            }
        }, 120_000);
        sink.feed(got.snapshot());
        List<String> after = diff(source(t.src), sink.rows);
        r.repairs.add(v);
        if (!read || !after.isEmpty()) {
            r.repairProblems.add(v + ": every row read by the incremental snapshot " + read + "; then " + after.size()
                    + " values differ: " + DebeziumTest.firstFive(after));
        }
    }

    /**
     * What each replica identity's updates and deletes carried of the old
     * row: DEFAULT, an update nothing, a delete the key; FULL, the whole old
     * row; USING INDEX precos_codigo_key, an update nothing, a delete codigo,
     * and the delete's key is {"id": 0}, no row's: a sink keyed on the
     * primary key deletes nothing.
     */
    static void checkIdentity(DebeziumTest t, Sink sink) {
        Map<String, Set<String>> want = new TreeMap<>();
        want.put("default u", Set.of("no before"));
        want.put("default d", Set.of("the old row's [id], the others not; key the row's id"));
        want.put("full u", Set.of("the whole old row"));
        want.put("full d", Set.of("the whole old row; key the row's id"));
        want.put("index u", Set.of("no before"));
        want.put("index d", Set.of("the old row's [codigo], the others not; key {\"id\":0}"));
        t.check(want.equals(sink.identitySeen),
                "schema changes: replica identity DEFAULT: an UPDATE's before null, a DELETE's the old id alone; FULL: both "
                        + "the whole old row; USING INDEX: an UPDATE's before null, a DELETE's the old codigo alone, keyed id 0",
                "seen " + sink.identitySeen);
    }

    /**
     * The swap, FOR TABLE: no event of precos_novo, the announcement names the
     * connector's publication (the swap added the new precos to it), and the
     * rebuild equals the source after it (checked in the round).
     */
    static void checkSwap(DebeziumTest t, Round r, List<Event> forTable) {
        long novo = forTable.stream().filter(e -> "data".equals(e.kind) && "precos_novo".equals(e.table())).count();
        boolean named = false;
        if (r.swap != null) {
            for (JsonNode p : r.swap.path("detail").path("publications")) {
                named |= SLOT.equals(p.asText());
            }
        }
        t.check(r.swap != null && named && novo == 0 && r.problems.isEmpty(),
                "table swap, publication FOR TABLE (publication.autocreate.mode=filtered): no event of precos_novo, "
                        + "the swap added the new precos to the publication and the rebuild follows it",
                "swap " + r.swap + "; events of precos_novo " + novo);
    }

    /** The swap, FOR ALL TABLES: the copied rows arrive as inserts into precos_novo, one per row. */
    static void checkSwapForAllTables(DebeziumTest t, Round r, List<Event> all) {
        Map<String, Long> perOp = new TreeMap<>();
        for (Event e : all) {
            if ("data".equals(e.kind) && e.value != null && "precos_novo".equals(e.table())) {
                perOp.merge(e.op(), 1L, Long::sum);
            }
        }
        t.check(r.swap != null && r.swapRows > 0 && perOp.equals(Map.of("c", r.swapRows)),
                "table swap, publication FOR ALL TABLES (publication.autocreate.mode=all_tables): the " + r.swapRows
                        + " copied rows arrive as inserts into precos_novo",
                "events of precos_novo per op " + perOp);
    }
}
