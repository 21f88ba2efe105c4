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
import java.time.OffsetDateTime;
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
 * source tables (same columns, types and primary key, nothing else; the
 * enums and domains they use; generated columns computed by the copy) in a
 * second database, events applied by primary key (by the whole old row
 * where a table has none: replica identity full), values converted back
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
        /** The columns an event writes: all but the generated ones, which the copy computes itself. */
        final List<String> writable = new ArrayList<>();
        final Map<String, String> generated = new HashMap<>();
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
        readTables(tableNames);
        createCopies(tableNames);
        target.setAutoCommit(false);
        for (Table t : tables.values()) {
            t.upsert = target.prepareStatement(upsertSql(t));
            t.delete = target.prepareStatement(deleteSql(t));
            t.truncate = target.prepareStatement("DELETE FROM public." + t.quoted);
        }
    }

    /** The source tables' columns, types, keys and generated columns. */
    private void readTables(List<String> tableNames) throws SQLException {
        try (PreparedStatement cols = source.prepareStatement(
                "SELECT a.attname, pg_catalog.quote_ident(a.attname), pg_catalog.format_type(a.atttypid, a.atttypmod), "
                        + "pg_catalog.quote_ident(c.relname), "
                        + "a.attnum OPERATOR(pg_catalog.=) ANY (i.indkey), "
                        + "CASE WHEN a.attgenerated OPERATOR(pg_catalog.=) 's' THEN pg_catalog.pg_get_expr(d.adbin, d.adrelid) END "
                        + "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                        + "JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid "
                        + "LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum "
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
                        if (rs.getString(6) != null) {
                            table.generated.put(c, rs.getString(6));
                        } else {
                            table.writable.add(c);
                        }
                    }
                }
                if (table == null) {
                    throw new SQLException("table public." + t + " not found in the source database");
                }
                tables.put(t, table);
            }
        }
    }

    /** The empty copies in the target, with the enums and domains they use. */
    private void createCopies(List<String> tableNames) throws SQLException {
        try (Statement st = target.createStatement()) {
            for (Table t : tables.values()) {
                st.execute("DROP TABLE IF EXISTS public." + t.quoted);
            }
            for (String ddl : userTypes(source, tableNames)) {
                st.execute(ddl);
            }
            for (Table t : tables.values()) {
                StringBuilder ddl = new StringBuilder("CREATE TABLE public." + t.quoted + " (");
                for (int i = 0; i < t.columns.size(); i++) {
                    String c = t.columns.get(i);
                    ddl.append(i > 0 ? ", " : "").append(t.quotedColumn.get(c)).append(' ').append(t.type.get(c));
                    if (t.generated.containsKey(c)) {
                        ddl.append(" GENERATED ALWAYS AS (").append(t.generated.get(c)).append(") STORED");
                    }
                }
                if (!t.key.isEmpty()) {
                    ddl.append(", PRIMARY KEY (").append(join(t, t.key)).append(")");
                }
                st.execute(ddl.append(")").toString());
            }
        }
    }

    /** An insert of the writable columns; with a key, an update of the row that has it. */
    private static String upsertSql(Table t) {
        StringBuilder ins = new StringBuilder("INSERT INTO public." + t.quoted + " (" + join(t, t.writable) + ") VALUES (");
        for (int i = 0; i < t.writable.size(); i++) {
            String c = t.writable.get(i);
            ins.append(i > 0 ? ", " : "").append("CAST(? AS ").append(t.type.get(c)).append(")");
        }
        ins.append(")");
        if (!t.key.isEmpty()) {
            ins.append(" ON CONFLICT (").append(join(t, t.key)).append(") DO UPDATE SET ");
            for (int i = 0; i < t.writable.size(); i++) {
                String c = t.writable.get(i);
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
        }
        return ins.toString();
    }

    /** A delete of the row by its key; without a key, of one row equal to the old row. */
    private static String deleteSql(Table t) {
        StringBuilder del = new StringBuilder("DELETE FROM public." + t.quoted + " WHERE ");
        if (t.key.isEmpty()) {
            // column by column in text form
            del.append("ctid = (SELECT ctid FROM public.").append(t.quoted).append(" WHERE ");
            for (int i = 0; i < t.writable.size(); i++) {
                String c = t.writable.get(i);
                del.append(i > 0 ? " AND " : "").append(t.quotedColumn.get(c))
                        .append("::pg_catalog.text IS NOT DISTINCT FROM CAST(CAST(? AS ").append(t.type.get(c))
                        .append(") AS pg_catalog.text)");
            }
            del.append(" LIMIT 1)");
        } else {
            for (int i = 0; i < t.key.size(); i++) {
                String c = t.key.get(i);
                del.append(i > 0 ? " AND " : "").append(t.quotedColumn.get(c)).append(" = CAST(? AS ")
                        .append(t.type.get(c)).append(")");
            }
        }
        return del.toString();
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
        List<String> match = t.key.isEmpty() ? t.writable : t.key;
        if ("d".equals(op) || ("u".equals(op) && t.key.isEmpty())) {
            Map<String, String> before = row(e, "before", t.type);
            for (int i = 0; i < match.size(); i++) {
                t.delete.setString(i + 1, before.get(match.get(i)));
            }
            t.delete.executeUpdate();
            if ("d".equals(op)) {
                return;
            }
        }
        Map<String, String> after = row(e, "after", t.type);
        for (int i = 0; i < t.writable.size(); i++) {
            t.upsert.setString(i + 1, after.get(t.writable.get(i)));
        }
        t.upsert.executeUpdate();
    }

    public void commit() throws SQLException {
        target.commit();
    }

    /**
     * Applies the events in their order and commits, then compares every
     * table with the source: what differs, one entry per table that does
     * (empty when the rebuild equals the source).
     */
    public List<String> rebuildFrom(Iterable<Event> events) throws SQLException {
        for (Event e : events) {
            apply(e);
        }
        commit();
        List<String> diffs = new ArrayList<>();
        for (String table : tables.keySet()) {
            String diff = compare(table);
            if (diff != null) {
                diffs.add(diff);
            }
        }
        return diffs;
    }

    /** The before or after image of an event, every column as PostgreSQL's text input. */
    public static Map<String, String> row(Event e, String which) {
        return row(e, which, Map.of());
    }

    /** The same, knowing the columns' PostgreSQL types (format_type), which some values need. */
    public static Map<String, String> row(Event e, String which, Map<String, String> types) {
        JsonNode image = e.value.get(which);
        Map<String, String> out = new HashMap<>();
        if (image == null || image.isNull()) {
            return out;
        }
        Map<String, JsonNode> schemas = fieldSchemas(e.valueSchema, which);
        image.fields().forEachRemaining(f -> out.put(f.getKey(),
                toText(f.getValue(), schemas.get(f.getKey()), types.getOrDefault(f.getKey(), ""))));
        return out;
    }

    /**
     * The enums and domains the tables' columns use (arrays of them too), as
     * DDL that re-creates them in the target: dropped first, so that a value
     * added to an enum since the last rebuild is there.
     */
    private static List<String> userTypes(Connection source, List<String> tableNames) throws SQLException {
        List<String> ddl = new ArrayList<>();
        try (PreparedStatement st = source.prepareStatement(
                "SELECT DISTINCT pg_catalog.format_type(t.oid, NULL), t.typtype, "
                        + "(SELECT pg_catalog.string_agg(pg_catalog.quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) "
                        + "   FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid), "
                        + "pg_catalog.format_type(t.typbasetype, t.typtypmod), "
                        + "(SELECT pg_catalog.string_agg(pg_catalog.pg_get_constraintdef(k.oid), ' ') "
                        + "   FROM pg_catalog.pg_constraint k WHERE k.contypid = t.oid) "
                        + "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
                        + "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                        + "JOIN pg_catalog.pg_type at ON at.oid = a.atttypid "
                        + "JOIN pg_catalog.pg_type t ON t.oid = CASE WHEN at.typelem <> 0 AND at.typlen = -1 THEN at.typelem ELSE at.oid END "
                        + "WHERE n.nspname = 'public' AND c.relname = ANY (?) AND a.attnum > 0 AND NOT a.attisdropped "
                        + "AND t.typtype IN ('e', 'd')")) {
            st.setArray(1, source.createArrayOf("text", tableNames.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    ddl.add("DROP TYPE IF EXISTS public." + name + " CASCADE");
                    ddl.add("e".equals(rs.getString(2))
                            ? "CREATE TYPE public." + name + " AS ENUM (" + rs.getString(3) + ")"
                            : "CREATE DOMAIN public." + name + " AS " + rs.getString(4) + " "
                                    + (rs.getString(5) == null ? "" : rs.getString(5)));
                }
            }
        }
        return ddl;
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
     * What Debezium sends for a timestamp at +/-infinity: the PostgreSQL JDBC
     * driver's constants (PGStatement.DATE_POSITIVE_INFINITY and
     * DATE_NEGATIVE_INFINITY), in microseconds under adaptive.
     */
    static final long TIMESTAMP_INFINITY = 9223372036825200000L;
    static final long TIMESTAMP_MINUS_INFINITY = -9223372036832400000L;
    /**
     * And for a date at +/-infinity, in events read from the stream: days
     * since the epoch of Debezium's PostgresValueConverter
     * POSITIVE_INFINITY_LOCAL_DATE (-5877611-06-21) and
     * NEGATIVE_INFINITY_LOCAL_DATE (-5877611-06-22).
     */
    static final long DATE_INFINITY = -2147472692L;
    static final long DATE_MINUS_INFINITY = -2147472691L;
    /** Midnight at the end of a day: PostgreSQL's time 24:00:00, in microseconds. */
    static final long END_OF_DAY = 86_400_000_000L;

    /**
     * A value as Debezium sent it, back to PostgreSQL's text form, by its
     * logical type (the schema's name) under any time.precision.mode,
     * decimal.handling.mode and interval.handling.mode; pgType, the column's
     * type, where the schema does not say enough (a numeric sent as a
     * string, NaN and the infinities spelled as Java spells them).
     */
    static String toText(JsonNode v, JsonNode schema) {
        return toText(v, schema, "");
    }

    static String toText(JsonNode v, JsonNode schema, String pgType) {
        if (v == null || v.isNull()) {
            return null;
        }
        String name = schema == null ? "" : schema.path("name").asText("");
        switch (name) {
            case "io.debezium.time.MicroTimestamp":
                if (v.asLong() == TIMESTAMP_INFINITY) {
                    return "infinity";
                }
                if (v.asLong() == TIMESTAMP_MINUS_INFINITY) {
                    return "-infinity";
                }
                return era(micros(v.asLong()), TS, "");
            case "io.debezium.time.NanoTimestamp":
                return era(LocalDateTime.ofEpochSecond(Math.floorDiv(v.asLong(), 1_000_000_000L),
                        (int) Math.floorMod(v.asLong(), 1_000_000_000L), ZoneOffset.UTC), TS, "");
            case "io.debezium.time.Timestamp":
            case "org.apache.kafka.connect.data.Timestamp":
                return era(LocalDateTime.ofInstant(Instant.ofEpochMilli(v.asLong()), ZoneOffset.UTC), TS, "");
            case "io.debezium.time.Date":
            case "org.apache.kafka.connect.data.Date": {
                if (v.asLong() == DATE_INFINITY) {
                    return "infinity";
                }
                if (v.asLong() == DATE_MINUS_INFINITY) {
                    return "-infinity";
                }
                LocalDate d = LocalDate.ofEpochDay(v.asLong());
                // a day no PostgreSQL date can be (the snapshot's +/-infinity): nothing to store
                if (d.getYear() < -4712 || d.getYear() > 5874897) {
                    return null;
                }
                return String.format("%04d-%02d-%02d", d.getYear() > 0 ? d.getYear() : 1 - d.getYear(), d.getMonthValue(),
                        d.getDayOfMonth()) + (d.getYear() > 0 ? "" : " BC");
            }
            case "io.debezium.time.MicroTime":
                return v.asLong() == END_OF_DAY ? "24:00:00" : LocalTime.ofNanoOfDay(v.asLong() * 1000).format(TIME);
            case "io.debezium.time.Time":
            case "org.apache.kafka.connect.data.Time":
                return v.asLong() * 1000 == END_OF_DAY ? "24:00:00" : LocalTime.ofNanoOfDay(v.asLong() * 1_000_000).format(TIME);
            case "io.debezium.time.ZonedTimestamp": {
                String s = v.asText();
                if (s.startsWith("-") && !s.equals("-infinity")) {
                    // ISO's year -43 is 44 BC, which PostgreSQL writes with the era
                    return era(OffsetDateTime.parse(s).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime(), TS, "+00");
                }
                return s;
            }
            case "io.debezium.time.ZonedTime":
            case "io.debezium.time.Interval":
                return v.asText();
            case "io.debezium.time.MicroDuration":
                // interval.handling.mode=numeric: the months are 30.4375 days already
                return v.asLong() + " microseconds";
            case "io.debezium.data.Bits":
                return bits(Base64.getDecoder().decode(v.asText()), schema.path("parameters").path("length").asInt());
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
        String type = schema == null ? "" : schema.path("type").asText();
        if ("array".equals(type)) {
            String element = pgType.endsWith("[]") ? pgType.substring(0, pgType.length() - 2) : "";
            StringBuilder sb = new StringBuilder("{");
            for (JsonNode item : v) {
                String text = toText(item, schema.get("items"), element);
                sb.append(sb.length() > 1 ? "," : "").append(text == null ? "NULL"
                        : '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"');
            }
            return sb.append('}').toString();
        }
        if ("bytes".equals(type)) {
            StringBuilder hex = new StringBuilder("\\x");
            for (byte b : Base64.getDecoder().decode(v.asText())) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        }
        if (v.isTextual() && pgType.startsWith("numeric")) {
            // decimal.handling.mode=string spells them as Java does
            switch (v.asText()) {
                case "NAN": return "NaN";
                case "POSITIVE_INFINITY": return "Infinity";
                case "NEGATIVE_INFINITY": return "-Infinity";
                default: return v.asText();
            }
        }
        return v.isTextual() ? v.asText() : v.toString();
    }

    /**
     * A date-time in PostgreSQL's input form: years up to 0 are BC (ISO year
     * 0 is 1 BC), years past 9999 without the sign Java writes; null for one
     * no PostgreSQL timestamp can be (what a long of microseconds gives
     * after it overflowed).
     */
    private static String era(LocalDateTime t, DateTimeFormatter f, String offset) {
        int year = t.getYear();
        if (year < -4712 || year > 294276) {
            return null;
        }
        String rest = t.withYear(2000).format(f).substring(4);
        return String.format("%04d", year > 0 ? year : 1 - year) + rest + offset + (year > 0 ? "" : " BC");
    }

    /**
     * io.debezium.data.Bits: the bits as a little-endian number, as many
     * bytes as the highest bit set needs; written back with the column's
     * declared length (leading zeros of a varbit cannot be told apart).
     */
    static String bits(byte[] le, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = length - 1; i >= 0; i--) {
            int b = i / 8 < le.length ? le[i / 8] >> (i % 8) & 1 : 0;
            sb.append(b == 1 ? '1' : '0');
        }
        return sb.toString();
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

    /** A row's key in text form; a table without one: the whole row, its copies numbered. */
    static String keyExpr(Table t) {
        if (t.key.isEmpty()) {
            return "x::pg_catalog.text";
        }
        StringBuilder sb = new StringBuilder("ROW(");
        for (int i = 0; i < t.key.size(); i++) {
            sb.append(i > 0 ? ", " : "").append("x.").append(t.quotedColumn.get(t.key.get(i)));
        }
        return sb.append(")::text").toString();
    }

    private static Map<String, String> digests(Connection c, Table t) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        Map<String, Integer> copies = new HashMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + keyExpr(t) + ", pg_catalog.md5(x::text) FROM public." + t.quoted + " x")) {
            while (rs.next()) {
                String k = rs.getString(1);
                if (t.key.isEmpty()) {
                    k = k + " #" + copies.merge(k, 1, Integer::sum);
                }
                out.put(k, rs.getString(2));
            }
        }
        return out;
    }

    private static String text(Connection c, Table t, String key) throws SQLException {
        if (t.key.isEmpty()) {
            return key;
        }
        try (PreparedStatement st = c.prepareStatement("SELECT x::text FROM public." + t.quoted + " x WHERE " + keyExpr(t) + " = ?")) {
            st.setString(1, key);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : "(none)";
            }
        }
    }
}
