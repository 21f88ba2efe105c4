package oltpsim;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tables rebuilt from Debezium's events alone: empty copies of the
 * source tables (same columns, types and primary key, nothing else) in a
 * second database, events applied by primary key, values converted back
 * from Debezium's logical types, then every row compared with the source
 * by the md5 of its text form.
 */
public final class Rebuild {
    /** Debezium's unavailable.value.placeholder, the default. */
    static final String PLACEHOLDER = "__debezium_unavailable_value";

    /** A source table: its columns in order, their types, its key. */
    static final class Table {
        final String name;
        final String quoted;
        final List<String> columns = new ArrayList<>();
        final Map<String, String> quotedColumn = new HashMap<>();
        final Map<String, String> type = new HashMap<>();
        final List<String> key = new ArrayList<>();
        PreparedStatement upsert;
        PreparedStatement delete;
        PreparedStatement truncate;

        Table(String name, String quoted) {
            this.name = name;
            this.quoted = quoted;
        }
    }

    private final Connection source;
    private final Connection target;
    final Map<String, Table> tables = new LinkedHashMap<>();

    public Rebuild(Connection source, Connection target, List<String> tableNames) throws SQLException {
        this.source = source;
        this.target = target;
        try (PreparedStatement cols = source.prepareStatement(
                "SELECT a.attname, pg_catalog.quote_ident(a.attname), pg_catalog.format_type(a.atttypid, a.atttypmod), "
                        + "pg_catalog.quote_ident(c.relname), "
                        + "a.attnum = ANY (i.indkey) "
                        + "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                        + "JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid "
                        + "LEFT JOIN pg_catalog.pg_index i ON i.indrelid = c.oid AND i.indisprimary "
                        + "WHERE n.nspname = 'public' AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped "
                        + "ORDER BY a.attnum")) {
            for (String t : tableNames) {
                cols.setString(1, t);
                Table table = null;
                try (ResultSet rs = cols.executeQuery()) {
                    while (rs.next()) {
                        if (table == null) {
                            table = new Table(t, rs.getString(4));
                        }
                        String c = rs.getString(1);
                        table.columns.add(c);
                        table.quotedColumn.put(c, rs.getString(2));
                        table.type.put(c, rs.getString(3));
                        if (rs.getBoolean(5)) {
                            table.key.add(c);
                        }
                    }
                }
                if (table == null) {
                    throw new SQLException("table public." + t + " not found in the source database");
                }
                tables.put(t, table);
            }
        }
        try (Statement st = target.createStatement()) {
            for (Table t : tables.values()) {
                StringBuilder ddl = new StringBuilder("DROP TABLE IF EXISTS public." + t.quoted + "; CREATE TABLE public." + t.quoted + " (");
                for (String c : t.columns) {
                    ddl.append(t.quotedColumn.get(c)).append(' ').append(t.type.get(c)).append(", ");
                }
                ddl.append("PRIMARY KEY (").append(join(t, t.key)).append("))");
                st.execute(ddl.toString());
            }
        }
        target.setAutoCommit(false);
        for (Table t : tables.values()) {
            StringBuilder ins = new StringBuilder("INSERT INTO public." + t.quoted + " (" + join(t, t.columns) + ") VALUES (");
            for (int i = 0; i < t.columns.size(); i++) {
                String c = t.columns.get(i);
                ins.append(i > 0 ? ", " : "").append("CAST(? AS ").append(t.type.get(c)).append(")");
            }
            ins.append(") ON CONFLICT (").append(join(t, t.key)).append(") DO UPDATE SET ");
            for (int i = 0; i < t.columns.size(); i++) {
                String c = t.columns.get(i);
                String q = t.quotedColumn.get(c);
                ins.append(i > 0 ? ", " : "").append(q).append(" = ");
                // an unchanged TOASTed value arrives as the placeholder: keep the current one
                if (t.type.get(c).equals("text") || t.type.get(c).startsWith("character varying")) {
                    ins.append("CASE WHEN EXCLUDED.").append(q).append(" = '").append(PLACEHOLDER)
                            .append("' THEN public.").append(t.quoted).append('.').append(q)
                            .append(" ELSE EXCLUDED.").append(q).append(" END");
                } else {
                    ins.append("EXCLUDED.").append(q);
                }
            }
            t.upsert = target.prepareStatement(ins.toString());
            StringBuilder del = new StringBuilder("DELETE FROM public." + t.quoted + " WHERE ");
            for (int i = 0; i < t.key.size(); i++) {
                String c = t.key.get(i);
                del.append(i > 0 ? " AND " : "").append(t.quotedColumn.get(c)).append(" = CAST(? AS ")
                        .append(t.type.get(c)).append(")");
            }
            t.delete = target.prepareStatement(del.toString());
            t.truncate = target.prepareStatement("DELETE FROM public." + t.quoted);
        }
    }

    private static String join(Table t, List<String> cols) {
        StringBuilder sb = new StringBuilder();
        for (String c : cols) {
            sb.append(sb.length() > 0 ? ", " : "").append(t.quotedColumn.get(c));
        }
        return sb.toString();
    }

    /**
     * Applies one data event (create, read, update: upsert; delete: delete;
     * truncate: every row; tombstone: nothing).
     */
    public void apply(Event e) throws SQLException {
        Table t = tables.get(e.table());
        if (t == null || e.value == null) {
            return;
        }
        String op = e.op();
        if ("t".equals(op)) {
            t.truncate.executeUpdate();
            return;
        }
        if ("d".equals(op)) {
            Map<String, String> before = row(e, "before");
            for (int i = 0; i < t.key.size(); i++) {
                t.delete.setString(i + 1, before.get(t.key.get(i)));
            }
            t.delete.executeUpdate();
            return;
        }
        Map<String, String> after = row(e, "after");
        for (int i = 0; i < t.columns.size(); i++) {
            t.upsert.setString(i + 1, after.get(t.columns.get(i)));
        }
        t.upsert.executeUpdate();
    }

    public void commit() throws SQLException {
        target.commit();
    }

    /** The before or after image of an event, every column as PostgreSQL's text input. */
    public static Map<String, String> row(Event e, String which) {
        JsonNode image = e.value.get(which);
        Map<String, String> out = new HashMap<>();
        if (image == null || image.isNull()) {
            return out;
        }
        Map<String, JsonNode> schemas = fieldSchemas(e.valueSchema, which);
        image.fields().forEachRemaining(f -> out.put(f.getKey(), toText(f.getValue(), schemas.get(f.getKey()))));
        return out;
    }

    private static Map<String, JsonNode> fieldSchemas(JsonNode valueSchema, String which) {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode f : valueSchema.path("fields")) {
            if (which.equals(f.path("field").asText())) {
                for (JsonNode col : f.path("fields")) {
                    out.put(col.path("field").asText(), col);
                }
            }
        }
        return out;
    }

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");

    /**
     * A value as Debezium sent it, back to PostgreSQL's text form, by its
     * logical type (the schema's name) under any time.precision.mode and
     * decimal.handling.mode.
     */
    static String toText(JsonNode v, JsonNode schema) {
        if (v == null || v.isNull()) {
            return null;
        }
        String name = schema == null ? "" : schema.path("name").asText("");
        switch (name) {
            case "io.debezium.time.MicroTimestamp":
                return micros(v.asLong()).format(TS);
            case "io.debezium.time.NanoTimestamp":
                return LocalDateTime.ofEpochSecond(Math.floorDiv(v.asLong(), 1_000_000_000L),
                        (int) Math.floorMod(v.asLong(), 1_000_000_000L), ZoneOffset.UTC).format(TS);
            case "io.debezium.time.Timestamp":
            case "org.apache.kafka.connect.data.Timestamp":
                return micros(v.asLong() * 1000).format(TS);
            case "io.debezium.time.Date":
            case "org.apache.kafka.connect.data.Date":
                return LocalDate.ofEpochDay(v.asLong()).toString();
            case "io.debezium.time.MicroTime":
                return LocalTime.ofNanoOfDay(v.asLong() * 1000).format(TIME);
            case "io.debezium.time.Time":
            case "org.apache.kafka.connect.data.Time":
                return LocalTime.ofNanoOfDay(v.asLong() * 1_000_000).format(TIME);
            case "io.debezium.time.ZonedTimestamp":
            case "io.debezium.time.ZonedTime":
                return v.asText();
            case "org.apache.kafka.connect.data.Decimal":
                if (v.isTextual() && "bytes".equals(schema.path("type").asText())) {
                    int scale = schema.path("parameters").path("scale").asInt();
                    return new BigDecimal(new BigInteger(Base64.getDecoder().decode(v.asText())), scale).toPlainString();
                }
                return v.asText();
            case "io.debezium.data.VariableScaleDecimal":
                return new BigDecimal(new BigInteger(Base64.getDecoder().decode(v.path("value").asText())),
                        v.path("scale").asInt()).toPlainString();
            default:
                break;
        }
        if ("bytes".equals(schema == null ? "" : schema.path("type").asText())) {
            StringBuilder hex = new StringBuilder("\\x");
            for (byte b : Base64.getDecoder().decode(v.asText())) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        }
        return v.isTextual() ? v.asText() : v.toString();
    }

    private static LocalDateTime micros(long us) {
        return LocalDateTime.ofInstant(Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L),
                Math.floorMod(us, 1_000_000L) * 1000), ZoneOffset.UTC);
    }

    /**
     * Compares every row of the source table with its rebuilt copy by the md5
     * of the row's text form; null when they are equal, else what differs
     * (counts, and the first differing row in both forms).
     */
    public String compare(String table) throws SQLException {
        Table t = tables.get(table);
        Map<String, String> src = digests(source, t);
        Map<String, String> dst = digests(target, t);
        if (src.equals(dst)) {
            return null;
        }
        for (Map.Entry<String, String> r : src.entrySet()) {
            if (!r.getValue().equals(dst.get(r.getKey()))) {
                return table + ": source " + src.size() + " rows, rebuilt " + dst.size() + "; first differing key "
                        + r.getKey() + ": source " + text(source, t, r.getKey()) + ", rebuilt " + text(target, t, r.getKey());
            }
        }
        for (String k : dst.keySet()) {
            if (!src.containsKey(k)) {
                return table + ": source " + src.size() + " rows, rebuilt " + dst.size() + "; key " + k
                        + " only in the rebuild: " + text(target, t, k);
            }
        }
        return null;
    }

    private static String keyExpr(Table t) {
        StringBuilder sb = new StringBuilder("ROW(");
        for (int i = 0; i < t.key.size(); i++) {
            sb.append(i > 0 ? ", " : "").append("x.").append(t.quotedColumn.get(t.key.get(i)));
        }
        return sb.append(")::text").toString();
    }

    private static Map<String, String> digests(Connection c, Table t) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + keyExpr(t) + ", pg_catalog.md5(x::text) FROM public." + t.quoted + " x")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    private static String text(Connection c, Table t, String key) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT x::text FROM public." + t.quoted + " x WHERE " + keyExpr(t) + " = ?")) {
            st.setString(1, key);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : "(none)";
            }
        }
    }
}
