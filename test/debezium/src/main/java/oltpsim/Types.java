package oltpsim;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The data types through Debezium (DebeziumTest runs this last, the engine
 * running): the set types added while the connector streams, its operations
 * streaming, then:
 *
 *   - streaming: the five tables rebuilt from the events (the seed's
 *     inserts and the stream's changes) equal the source column by column
 *     in text form, except exactly what the recommended settings lose by
 *     design (EXPECTED);
 *   - snapshot: the same from a snapshot of a second connector, which loses
 *     a little more (SNAPSHOT_ONLY);
 *   - the generated column: in the snapshot, never in the stream;
 *   - ALTER TYPE ... ADD VALUE while streaming: events after it carry the
 *     new value, under a schema whose allowed list does not name it;
 *   - a snapshot with decimal.handling.mode=double,
 *     time.precision.mode=connect and interval.handling.mode=numeric: what
 *     each loses, value by value, against the recommended settings' events.
 */
final class Types {
    static final String[] TABLES = {"sinais_vitais", "faturas", "prontuarios", "dispositivos", "reservas_leito"};
    static final int CHECKS = 2 * TABLES.length + 6;
    static final String NEW_LABEL = "estornada";
    /**
     * One more row of each edge value whose loss is asserted, written by the
     * test itself once the stream is paused (its updates may have
     * overwritten the seed's): they reach the stream and the snapshot.
     */
    static final String[] EDGE_ROWS = {
        "INSERT INTO sinais_vitais (paciente_id, medido_em, glicemia, leituras, duracao, observacoes) "
            + "SELECT min(id), '2026-03-01 10:00:00+00'::timestamptz, "
            + "'-12345678901234567890.123456789012345678901234567890'::numeric, '{{1.5,2.25},{NULL,-3}}'::numeric[], "
            + "'1 year 2 mons 3 days 04:05:06.789012'::interval, '{{a,b},{c,NULL}}'::text[] FROM pacientes "
            + "UNION ALL SELECT min(id), '2026-03-01 10:00:00+00', 'NaN', '{1,NaN}', '1 mon -30 days', '{x}' FROM pacientes",
        "INSERT INTO faturas (serie, numero, paciente_id, valor, emitida_em, vencimento, status) "
            + "SELECT 'TESTE', n, (SELECT min(id) FROM pacientes), 0, e, v, 'paga' FROM (VALUES "
            + "(-1, '294276-12-31 23:59:59.999999'::timestamp, 'infinity'::date), "
            + "(-2, '2026-01-01 10:00:00.654321', '0044-03-15 BC')) AS x (n, e, v)",
        "INSERT INTO dispositivos (\"NumeroSerie\", capacidades, manutencao, janela) "
            + "VALUES ('TESTE', B'0001', '12:34:56.789012', '08:00:00-03')",
        "INSERT INTO prontuarios (id, paciente_id, dados, anexo) "
            + "SELECT '00000000-0000-0000-0000-00000000007e', min(id), '{}', NULL FROM pacientes",
    };

    /** Settings that lose something, each shown by a check. */
    static final Map<String, String> LOSSY = Map.of("decimal.handling.mode", "double", "time.precision.mode", "connect",
            "interval.handling.mode", "numeric", "value.converter.replace.null.with.default", "true");

    /**
     * The last microsecond a long counts from the epoch: time.precision.mode
     * adaptive sends a timestamp after it overflowed (no timestamp a sink
     * can store).
     */
    static final String LAST_MICRO = "'294247-01-10 04:00:54.775807'::pg_catalog.timestamp";

    /**
     * What a rebuild holds where the recommended settings lose something, in
     * both paths: table.column, then the source's value as the rebuild must
     * hold it and the rebuild's value made comparable (null: column::text),
     * then what is lost.
     */
    static final String[][] EXPECTED = {
        {"sinais_vitais.leituras",
            "(CASE WHEN pg_catalog.array_ndims(leituras) > 1 "
                + "THEN pg_catalog.array_fill(NULL::pg_catalog.numeric, ARRAY[pg_catalog.array_length(leituras, 1)]) "
                + "WHEN leituras OPERATOR(pg_catalog.&&) '{NaN,Infinity,-Infinity}'::pg_catalog.numeric[] THEN NULL "
                + "ELSE leituras END)::pg_catalog.text",
            null,
            "a two-dimensional numeric[] arrives as one null per row; a numeric[] holding NaN or an infinity arrives null"},
        {"sinais_vitais.observacoes",
            "(CASE WHEN pg_catalog.array_ndims(observacoes) > 1 "
                + "THEN pg_catalog.array_fill('[Ljava.lang.String;@'::pg_catalog.text, ARRAY[pg_catalog.array_length(observacoes, 1)]) "
                + "ELSE observacoes END)::pg_catalog.text",
            "pg_catalog.regexp_replace(observacoes::pg_catalog.text, '\\[Ljava\\.lang\\.String;@[0-9a-f]+', "
                + "'[Ljava.lang.String;@', 'g')",
            "a two-dimensional text[] arrives as the names of Java arrays, one per row"},
        {"faturas.emitida_em",
            "(CASE WHEN emitida_em OPERATOR(pg_catalog.>) " + LAST_MICRO + " AND pg_catalog.isfinite(emitida_em) THEN NULL "
                + "ELSE emitida_em END)::pg_catalog.text",
            null,
            "a timestamp after 294247-01-10 04:00:54.775807 overflows the microseconds since the epoch"},
        {"dispositivos.janela",
            "pg_catalog.timezone('UTC', janela)::pg_catalog.text",
            null,
            "a timetz arrives converted to UTC: its offset is gone"},
        {"dispositivos.capacidades",
            "pg_catalog.lpad(capacidades::pg_catalog.text, 64, '0')",
            null,
            "a varbit arrives as a number: its leading zeros, so its length, are gone"},
    };

    /** What only a snapshot loses (the connector reads dates through JDBC's java.sql.Date). */
    static final String[][] SNAPSHOT_ONLY = {
        {"faturas.vencimento",
            "(CASE WHEN NOT pg_catalog.isfinite(vencimento) THEN NULL "
                + "WHEN vencimento OPERATOR(pg_catalog.<) '0001-01-01'::pg_catalog.date "
                + "THEN pg_catalog.to_char(vencimento, 'YYYY-MM-DD')::pg_catalog.date ELSE vencimento END)::pg_catalog.text",
            null,
            "a date BC arrives as the same day AD; +/-infinity as a day no date can be"},
    };

    private Types() {
    }

    static void run(DebeziumTest t) throws Exception {
        Streamed s = streamWithEnumValueAdded(t);
        checkStreamingRebuild(t, s);
        // the snapshot path: a second connector, a slot of its own, only these tables
        List<Event> snap = snapshot(t, "oltp_sim_types", Map.of());
        Rebuild fromSnapshot = new Rebuild(t.src, t.rebuildConn, List.of(TABLES));
        for (Event e : readEvents(snap)) {
            fromSnapshot.apply(e);
        }
        fromSnapshot.commit();
        List<Event> lossyEvents = snapshot(t, "oltp_sim_types_lossy", LOSSY);
        Map<String, Long> read = readPerTable(snap);
        checkSnapshotRebuild(t, fromSnapshot, read);
        Map<String, String> sizes = textByKey(t.src, "prontuarios", "id::pg_catalog.text",
                "pg_catalog.octet_length(anexo)::pg_catalog.text");
        checkGeneratedColumn(t, s.mine, snap, read, sizes);
        checkNullAsDefault(t, lossyEvents, sizes);
        checkEnumValueAddedWhileStreaming(t, s, snap);
        Lossy lossy = new Lossy(snap, lossyEvents);
        checkDecimalAsDouble(t, lossy);
        checkTimeInMilliseconds(t, lossy);
        checkIntervalAsMicroseconds(t, lossy);
    }

    /** What the streaming part saw. */
    static final class Streamed {
        /** Every event so far; the index of the part's first, and of the first after the ALTER TYPE. */
        List<Event> all;
        int start;
        int altered;
        /** Whether the markers after the stream and after the ALTER TYPE arrived. */
        boolean gotStream;
        boolean gotEnum;
        /** The data events of the set's tables since it was added. */
        final List<Event> mine = new ArrayList<>();
        /** The invoices with the new enum value in the source. */
        long inSource;
    }

    /**
     * The set types added while the connector streams, its operations
     * streaming; then a value added to the enum while the connector streams;
     * then, the stream paused, one invoice set to it and one more row of
     * each edge value whose loss is asserted (the stream's updates may have
     * overwritten the seed's).
     */
    static Streamed streamWithEnumValueAdded(DebeziumTest t) throws Exception {
        Streamed s = new Streamed();
        s.start = t.events.size();
        DebeziumTest.exec(t.src, "SELECT count(*) FROM oltp_add_tables('types', seed => 13)");
        DebeziumTest.exec(t.src, "ALTER SYSTEM SET oltp_sim.profile = 'everything'");
        Map<String, Integer> weights = new TreeMap<>();
        for (String op : DebeziumTest.longs(t.src, "SELECT operation, 0 FROM oltp_operations() WHERE table_name = ANY ('{"
                + String.join(",", TABLES) + "}')").keySet()) {
            weights.put(op, 10);
        }
        KeyChanges.setWeights(t, weights);
        t.reload();
        t.stream(400);
        t.pause();
        s.gotStream = t.marker("types-stream");
        s.altered = t.events.size();

        DebeziumTest.exec(t.src, "ALTER TYPE status_fatura ADD VALUE '" + NEW_LABEL + "'");
        t.stream(200);
        t.pause();
        DebeziumTest.exec(t.src, "UPDATE faturas SET status = '" + NEW_LABEL + "' WHERE (serie, numero) = "
                + "(SELECT serie, numero FROM faturas ORDER BY serie, numero LIMIT 1)");
        for (String sql : EDGE_ROWS) {
            DebeziumTest.exec(t.src, sql);
        }
        s.gotEnum = t.marker("types-enum");
        s.all = t.events.snapshot();
        for (Event e : s.all.subList(s.start, s.all.size())) {
            if ("data".equals(e.kind) && e.value != null && List.of(TABLES).contains(e.table())) {
                s.mine.add(e);
            }
        }
        s.inSource = Long.parseLong(DebeziumTest.one(t.src, "SELECT count(*) FROM faturas WHERE status = '" + NEW_LABEL + "'"));
        return s;
    }

    /** The streaming path: each table rebuilt from every event since the set was added equals the source. */
    static void checkStreamingRebuild(DebeziumTest t, Streamed s) throws SQLException {
        Map<String, Long> streamed = DebeziumTest.perTableOp(s.mine);
        Rebuild rebuild = new Rebuild(t.src, t.rebuildConn, List.of(TABLES));
        for (Event e : s.mine) {
            rebuild.apply(e);
        }
        rebuild.commit();
        for (String table : TABLES) {
            String diff = compare(t.src, t.rebuildConn, rebuild.tables.get(table), false);
            long updates = streamed.getOrDefault(table + " u", 0L);
            t.check(s.gotStream && s.gotEnum && diff.startsWith("ok") && updates > 0,
                    "types, streaming: " + table + " rebuilt from " + streamed.getOrDefault(table + " c", 0L) + " c, "
                            + updates + " u, " + streamed.getOrDefault(table + " d", 0L) + " d events equals the source, "
                            + "column by column" + (diff.startsWith("ok") ? diff.substring(2) : ""),
                    "markers " + s.gotStream + " " + s.gotEnum + "; " + diff);
        }
    }

    /** A snapshot's op r events. */
    static List<Event> readEvents(List<Event> snap) {
        List<Event> out = new ArrayList<>();
        for (Event e : snap) {
            if ("data".equals(e.kind) && e.value != null && "r".equals(e.op())) {
                out.add(e);
            }
        }
        return out;
    }

    /** A snapshot's op r events per table. */
    static Map<String, Long> readPerTable(List<Event> snap) {
        Map<String, Long> read = new TreeMap<>();
        for (Event e : readEvents(snap)) {
            read.merge(e.table(), 1L, Long::sum);
        }
        return read;
    }

    /** The snapshot path: each table rebuilt from the snapshot's op r events equals the source. */
    static void checkSnapshotRebuild(DebeziumTest t, Rebuild fromSnapshot, Map<String, Long> read) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        for (String table : TABLES) {
            counts.put(table, Long.parseLong(DebeziumTest.one(t.src, "SELECT count(*) FROM public." + table)));
        }
        for (String table : TABLES) {
            String diff = compare(t.src, t.rebuildConn, fromSnapshot.tables.get(table), true);
            t.check(diff.startsWith("ok") && read.getOrDefault(table, 0L).equals(counts.get(table)),
                    "types, snapshot: " + table + " rebuilt from " + read.getOrDefault(table, 0L) + " op r events equals the "
                            + "source, column by column" + (diff.startsWith("ok") ? diff.substring(2) : ""),
                    "op r events " + read.get(table) + ", rows " + counts.get(table) + "; " + diff);
        }
    }

    /** The generated column: pgoutput on PostgreSQL 15 does not send it; a snapshot has it, with the stored value. */
    static void checkGeneratedColumn(DebeziumTest t, List<Event> mine, List<Event> snap, Map<String, Long> read,
                                     Map<String, String> sizes) {
        long streamedWith = 0;
        long streamedProntuarios = 0;
        for (Event e : mine) {
            if ("prontuarios".equals(e.table())) {
                streamedProntuarios++;
                streamedWith += e.value.path("after").has("tamanho_anexo") ? 1 : 0;
            }
        }
        List<String> wrongSize = new ArrayList<>();
        long snapshotWith = 0;
        for (Event e : snap) {
            if ("data".equals(e.kind) && "prontuarios".equals(e.table())) {
                JsonNode a = e.value.path("after");
                snapshotWith += a.has("tamanho_anexo") ? 1 : 0;
                if (!a.has("tamanho_anexo") || !Objects.equals(sizes.get(a.path("id").asText()), a.get("tamanho_anexo").isNull()
                        ? null : a.get("tamanho_anexo").asText())) {
                    wrongSize.add(a.path("id").asText() + ": " + a.get("tamanho_anexo") + ", octet_length "
                            + sizes.get(a.path("id").asText()));
                }
            }
        }
        t.check(streamedProntuarios > 0 && streamedWith == 0 && snapshotWith == read.getOrDefault("prontuarios", -1L)
                        && wrongSize.isEmpty(),
                "generated column prontuarios.tamanho_anexo: absent from all " + streamedProntuarios + " streamed events, "
                        + "present in all " + snapshotWith + " snapshot events with the stored value",
                streamedWith + " streamed events carry it; snapshot " + snapshotWith + " of " + read.get("prontuarios")
                        + "; wrong " + wrongSize);
    }

    /**
     * JsonConverter's own default writes a column's default for a null: the
     * generated column's expression reads as default 0.
     */
    static void checkNullAsDefault(DebeziumTest t, List<Event> lossyEvents, Map<String, String> sizes) {
        long nulls = 0;
        List<String> replaced = new ArrayList<>();
        for (Event e : lossyEvents) {
            if ("data".equals(e.kind) && "prontuarios".equals(e.table())) {
                JsonNode a = e.value.path("after");
                if (sizes.containsKey(a.path("id").asText()) && sizes.get(a.path("id").asText()) == null) {
                    nulls++;
                    if (a.path("tamanho_anexo").isInt() && a.get("tamanho_anexo").asInt() == 0) {
                        replaced.add(a.path("id").asText());
                    }
                }
            }
        }
        t.check(nulls > 0 && replaced.size() == nulls,
                "value.converter.replace.null.with.default=true (JsonConverter's default): the " + nulls
                        + " NULL tamanho_anexo arrive as 0, the default Debezium reads from the generation expression",
                nulls + " NULL values, " + replaced.size() + " sent as 0");
    }

    /** The enum: the new value after the ALTER, under the schema read before it; a later connector lists it. */
    static void checkEnumValueAddedWhileStreaming(DebeziumTest t, Streamed s, List<Event> snap) {
        int before = 0;
        int after = 0;
        int withNew = 0;
        String allowed = null;
        for (int i = s.start; i < s.all.size(); i++) {
            Event e = s.all.get(i);
            if (!"data".equals(e.kind) || e.value == null || !"faturas".equals(e.table())) {
                continue;
            }
            boolean carries = NEW_LABEL.equals(e.value.path("after").path("status").asText(null));
            if (i < s.altered) {
                before += carries ? 1 : 0;
            } else {
                after++;
                if (carries) {
                    withNew++;
                    allowed = allowed(e, "status");
                }
            }
        }
        String allowedLater = null;
        for (Event e : snap) {
            if ("data".equals(e.kind) && "faturas".equals(e.table())) {
                allowedLater = allowed(e, "status");
                break;
            }
        }
        t.check(before == 0 && withNew > 0 && withNew <= after && s.inSource > 0 && allowed != null
                        && !List.of(allowed.split(",")).contains(NEW_LABEL) && allowedLater != null
                        && List.of(allowedLater.split(",")).contains(NEW_LABEL),
                "enum: after ALTER TYPE status_fatura ADD VALUE '" + NEW_LABEL + "' while streaming, " + withNew + " of "
                        + after + " faturas events carry it, none before; their schema's allowed list is still '" + allowed
                        + "'; a connector started later lists it",
                "before the ALTER " + before + " events carry it, after " + withNew + " of " + after + ", rows " + s.inSource
                        + "; allowed then '" + allowed + "', later '" + allowedLater + "'");
    }

    /** The io.debezium.data.Enum "allowed" parameter of a column in an event's after image. */
    static String allowed(Event e, String column) {
        for (JsonNode f : e.valueSchema.path("fields")) {
            if ("after".equals(f.path("field").asText())) {
                for (JsonNode c : f.path("fields")) {
                    if (column.equals(c.path("field").asText())) {
                        return c.path("parameters").path("allowed").asText(null);
                    }
                }
            }
        }
        return null;
    }

    /**
     * A connector of its own (slot, offsets, only this set's tables, the
     * overrides on top of connector.properties) that snapshots the tables
     * and is stopped once the snapshot's last event has arrived.
     */
    static List<Event> snapshot(DebeziumTest t, String slot, Map<String, String> overrides) throws Exception {
        Path offsets = Path.of(t.arg.get("workdir")).resolve(slot + ".offsets");
        Files.deleteIfExists(offsets);
        Map<String, String> o = new HashMap<>();
        o.put("slot.name", slot);
        o.put("slot.drop.on.stop", "true");
        // metrics and topics of their own: the connector running beside it has the prefix's
        o.put("topic.prefix", slot);
        o.put("snapshot.mode", "initial");
        StringBuilder include = new StringBuilder();
        for (String table : TABLES) {
            include.append(include.length() > 0 ? "," : "").append("public.").append(table);
        }
        o.put("table.include.list", include.toString());
        o.putAll(overrides);
        Engine.Collector got = new Engine.Collector();
        Engine engine = new Engine(t.engineSettings(offsets, o), got);
        boolean done = got.await(e -> "data".equals(e.kind) && "last".equals(e.snapshot()), 180_000);
        engine.close();
        if (!done) {
            DebeziumTest.diag("snapshot on slot " + slot + ": no event with snapshot=last within 180 s"
                    + (engine.failure() != null ? ": " + engine.failure() : ""));
        }
        return got.snapshot();
    }

    /** A two-column query of a table as a map: key text to value text. */
    static Map<String, String> textByKey(Connection c, String table, String key, String value) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + key + ", " + value + " FROM public." + table + " x")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    /** A column's values in text form, row by row (by key), or sorted (a table without a key). */
    static List<String> values(Connection c, Rebuild.Table t, String expr) throws SQLException {
        List<String> out = new ArrayList<>();
        String key = t.key.isEmpty() ? "''" : Rebuild.keyExpr(t);
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + key + ", " + expr + " FROM public." + t.quoted + " x ORDER BY 1")) {
            while (rs.next()) {
                out.add(rs.getString(1) + "\t" + rs.getString(2));
            }
        }
        if (t.key.isEmpty()) {
            Collections.sort(out, java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder()));
        }
        return out;
    }

    /**
     * Every column of a table, source against rebuild, in text form; where a
     * loss is expected, the source's value as the rebuild must hold it, and
     * that the loss happened at least once.  "ok" and what was lost, or what
     * differs.
     */
    static String compare(Connection src, Connection dst, Rebuild.Table t, boolean snapshot) throws SQLException {
        Map<String, String[]> expected = new LinkedHashMap<>();
        for (String[] x : EXPECTED) {
            expected.put(x[0], x);
        }
        if (snapshot) {
            for (String[] x : SNAPSHOT_ONLY) {
                expected.put(x[0], x);
            }
        }
        List<String> diffs = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        for (String c : t.columns) {
            String q = t.quotedColumn.get(c);
            String[] x = expected.get(t.name + "." + c);
            String plain = q + "::pg_catalog.text";
            List<String> want = values(src, t, x == null ? plain : x[1]);
            List<String> got = values(dst, t, x == null || x[2] == null ? plain : x[2]);
            if (!want.equals(got)) {
                diffs.add(t.name + "." + c + ": " + firstDifference(want, got));
            }
            if (x != null) {
                long n = Long.parseLong(DebeziumTest.one(src, "SELECT count(*) FROM public." + t.quoted + " x WHERE "
                        + plain + " IS DISTINCT FROM " + x[1]));
                if (n == 0) {
                    diffs.add(t.name + "." + c + ": no row shows the expected loss (" + x[3] + ")");
                }
                lost.add(c + ": " + n + (n == 1 ? " row" : " rows"));
            }
        }
        // no transaction left open on the rebuild: a new slot waits for every open transaction
        dst.commit();
        if (!diffs.isEmpty()) {
            return String.join("\n", diffs);
        }
        return "ok" + (lost.isEmpty() ? "" : " but what the settings lose by design (" + String.join(", ", lost) + ")");
    }

    static String firstDifference(List<String> want, List<String> got) {
        for (int i = 0; i < Math.max(want.size(), got.size()); i++) {
            String a = i < want.size() ? want.get(i) : "(none)";
            String b = i < got.size() ? got.get(i) : "(none)";
            if (!a.equals(b)) {
                return "source " + want.size() + " rows, rebuilt " + got.size() + "; first difference: source '" + a
                        + "', rebuilt '" + b + "'";
            }
        }
        return "equal";
    }

    // ---- the lossy settings ------------------------------------------------

    /** The after images of a snapshot's events, by table and key. */
    static Map<String, JsonNode> byKey(List<Event> events, Map<String, JsonNode> schemas) {
        Map<String, JsonNode> out = new TreeMap<>();
        for (Event e : events) {
            if ("data".equals(e.kind) && e.value != null && "r".equals(e.op()) && e.key != null) {
                String k = e.table() + " " + e.key;
                out.put(k, e.value.get("after"));
                for (JsonNode f : e.valueSchema.path("fields")) {
                    if ("after".equals(f.path("field").asText())) {
                        for (JsonNode c : f.path("fields")) {
                            schemas.put(e.table() + "." + c.path("field").asText(), c);
                        }
                    }
                }
            }
        }
        return out;
    }

    static final Pattern ISO = Pattern.compile("P(-?\\d+)Y(-?\\d+)M(-?\\d+)DT(-?\\d+)H(-?\\d+)M(-?[\\d.]+)S");
    static final BigDecimal DAYS_PER_MONTH = new BigDecimal("30.4375");
    static final BigDecimal MICROS_PER_DAY = new BigDecimal(86_400_000_000L);

    /**
     * An interval as interval.handling.mode=string sends it (ISO 8601), in
     * microseconds with a month counted as 30.4375 days (365.25 / 12), as
     * interval.handling.mode=numeric counts it; clamped to a long.
     */
    static BigDecimal monthsAsDays(String iso) {
        Matcher m = ISO.matcher(iso);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an ISO 8601 interval: " + iso);
        }
        BigDecimal months = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(12)).add(new BigDecimal(m.group(2)));
        return months.multiply(DAYS_PER_MONTH).add(new BigDecimal(m.group(3))).multiply(MICROS_PER_DAY)
                .add(new BigDecimal(m.group(4)).multiply(BigDecimal.valueOf(3_600_000_000L)))
                .add(new BigDecimal(m.group(5)).multiply(BigDecimal.valueOf(60_000_000L)))
                .add(new BigDecimal(m.group(6)).movePointRight(6));
    }

    /** One value of a snapshot row under the recommended settings and under the lossy ones. */
    record Value(String key, String column, JsonNode recommended, JsonNode lossy) {
    }

    /** Two snapshots of the same rows: with the recommended settings and with LOSSY. */
    static final class Lossy {
        final Map<String, JsonNode> schemasR = new HashMap<>();
        final Map<String, JsonNode> schemasL = new HashMap<>();
        final Map<String, JsonNode> good;
        final Map<String, JsonNode> bad;

        Lossy(List<Event> recommended, List<Event> lossy) {
            good = byKey(recommended, schemasR);
            bad = byKey(lossy, schemasL);
        }

        /** The values of these columns (table.column), column by column, row by row in key order. */
        List<Value> values(String... columns) {
            List<Value> out = new ArrayList<>();
            for (String col : columns) {
                String table = col.substring(0, col.indexOf('.'));
                String c = col.substring(col.indexOf('.') + 1);
                for (Map.Entry<String, JsonNode> r : good.entrySet()) {
                    if (r.getKey().startsWith(table + " ")) {
                        out.add(new Value(r.getKey(), col, r.getValue().get(c),
                                bad.get(r.getKey()) == null ? null : bad.get(r.getKey()).get(c)));
                    }
                }
            }
            return out;
        }
    }

    /** decimal.handling.mode=double: every numeric and money value, as the double nearest to it. */
    static void checkDecimalAsDouble(DebeziumTest t, Lossy l) {
        List<String> wrong = new ArrayList<>();
        List<String> lostDigits = new ArrayList<>();
        long n = 0;
        long nonFinite = 0;
        for (Value v : l.values("sinais_vitais.temperatura", "sinais_vitais.saturacao", "sinais_vitais.glicemia",
                "faturas.valor", "faturas.desconto")) {
            String exact = Rebuild.toText(v.recommended(), l.schemasR.get(v.column()), "numeric");
            JsonNode d = v.lossy();
            if (exact == null) {
                if (d != null && !d.isNull()) {
                    wrong.add(v.column() + " " + v.key() + ": null sent as " + d);
                }
                continue;
            }
            n++;
            double want = Double.parseDouble(exact);
            if (d == null || d.isNull()
                    || Double.compare(want, d.isTextual() ? Double.parseDouble(d.asText()) : d.asDouble()) != 0) {
                wrong.add(v.column() + " " + v.key() + ": " + exact + " sent as " + d);
            } else if (Double.isNaN(want) || Double.isInfinite(want)) {
                nonFinite++;
            } else if (new BigDecimal(exact).compareTo(new BigDecimal(d.asText())) != 0) {
                lostDigits.add(exact + " -> " + d.asText());
            }
        }
        lostDigits.sort((a, b) -> b.length() - a.length());
        t.check(wrong.isEmpty() && n > 0 && !lostDigits.isEmpty() && nonFinite > 0,
                "decimal.handling.mode=double: each of " + n + " numeric and money values is the nearest double; "
                        + lostDigits.size() + " lose digits (e.g. " + (lostDigits.isEmpty() ? "none" : lostDigits.get(0))
                        + "), " + nonFinite + " NaN/Infinity kept",
                DebeziumTest.firstFive(wrong) + "\nlosing digits " + lostDigits.size() + ", NaN/Infinity " + nonFinite);
    }

    /** time.precision.mode=connect: milliseconds, the microseconds cut off (towards the past). */
    static void checkTimeInMilliseconds(DebeziumTest t, Lossy l) {
        List<String> wrong = new ArrayList<>();
        List<String> lostMicros = new ArrayList<>();
        long overflowed = 0;
        long n = 0;
        for (Value v : l.values("faturas.emitida_em", "dispositivos.manutencao", "sinais_vitais.created_at")) {
            JsonNode us = v.recommended();
            JsonNode ms = v.lossy();
            if (us == null || us.isNull()) {
                continue;
            }
            n++;
            JsonNode schemaR = l.schemasR.get(v.column());
            JsonNode schemaL = l.schemasL.get(v.column());
            if (Rebuild.toText(us, schemaR) == null) {
                // overflowed in microseconds (EXPECTED): milliseconds reach that far
                if (ms == null || !String.valueOf(Rebuild.toText(ms, schemaL)).startsWith("294276-")) {
                    wrong.add(v.column() + " " + v.key() + ": past the microseconds' range, sent as " + ms + " ms");
                }
                overflowed++;
            } else if (ms == null || ms.asLong() != Math.floorDiv(us.asLong(), 1000L)) {
                wrong.add(v.column() + " " + v.key() + ": " + us + " us sent as " + ms + " ms");
            } else if (Math.floorMod(us.asLong(), 1000L) != 0) {
                lostMicros.add(Rebuild.toText(us, schemaR) + " -> " + Rebuild.toText(ms, schemaL));
            }
        }
        t.check(wrong.isEmpty() && n > 0 && !lostMicros.isEmpty()
                        && "org.apache.kafka.connect.data.Timestamp".equals(l.schemasL.get("faturas.emitida_em").path("name").asText()),
                "time.precision.mode=connect: each of " + n + " timestamp and time values arrives in milliseconds; "
                        + lostMicros.size() + " lose their microseconds (e.g. " + (lostMicros.isEmpty() ? "none" : lostMicros.get(0))
                        + "); the " + overflowed + " in year 294276, past the microseconds' range, arrive right to the millisecond",
                DebeziumTest.firstFive(wrong) + "\nlosing microseconds " + lostMicros.size());
    }

    /** interval.handling.mode=numeric: microseconds, a month as 30.4375 days. */
    static void checkIntervalAsMicroseconds(DebeziumTest t, Lossy l) {
        List<String> wrong = new ArrayList<>();
        List<String> monthRows = new ArrayList<>();
        long clamped = 0;
        long n = 0;
        BigDecimal max = BigDecimal.valueOf(Long.MAX_VALUE);
        BigDecimal min = BigDecimal.valueOf(Long.MIN_VALUE);
        for (Value v : l.values("sinais_vitais.duracao")) {
            JsonNode iso = v.recommended();
            JsonNode us = v.lossy();
            if (iso == null || iso.isNull()) {
                continue;
            }
            n++;
            BigDecimal want = monthsAsDays(iso.asText());
            boolean clamp = want.compareTo(max) > 0 || want.compareTo(min) < 0;
            BigDecimal expect = want.compareTo(max) > 0 ? max : want.compareTo(min) < 0 ? min : want;
            // Debezium computes in doubles: within a microsecond, or the long's limit
            if (us == null || expect.subtract(new BigDecimal(us.asLong())).abs().compareTo(clamp ? BigDecimal.ZERO : BigDecimal.ONE) > 0) {
                wrong.add("duracao " + v.key() + ": " + iso.asText() + " sent as " + us + ", expected " + expect.toPlainString());
            } else if (clamp) {
                clamped++;
            } else if (!iso.asText().matches("P0Y0M.*")) {
                monthRows.add(iso.asText() + " -> " + us.asLong() + " us");
            }
        }
        t.check(wrong.isEmpty() && n > 0 && !monthRows.isEmpty(),
                "interval.handling.mode=numeric: each of " + n + " intervals arrives as microseconds with a month as 30.4375 days ("
                        + monthRows.size() + " with months, e.g. " + (monthRows.isEmpty() ? "none" : monthRows.get(0)) + ")"
                        + (clamped > 0 ? "; " + clamped + " beyond 2^63 us clamped" : ""),
                DebeziumTest.firstFive(wrong) + "\nwith months " + monthRows.size() + ", clamped " + clamped);
    }
}
