package oltpsim.pipeline;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A sink table against its source table: the checksums, then, where they
 * differ or the table has documented losses, every value in text form (the
 * canonical form's settings on both sides), row by row by key (a table
 * without a key: as multisets of whole rows).  Each differing value is
 * explained by a rule of Rules (the sink holds exactly what the rule says
 * the source's value becomes) or counted as unexplained.
 */
final class Compare {
    /** A documented difference: what the sink holds for a column, as SQL on the source's row x. */
    record Rule(String table, String column, String kind, String loss, String when, String expected, String sinkPattern) {
        String id() {
            return table + "." + column + ": " + loss;
        }
    }

    static final class Result {
        final String table;
        long sourceRows;
        long sinkRows;
        String sourceDigest;
        String sinkDigest;
        boolean checksumEqual;
        final List<Rule> rules = new ArrayList<>();
        final Map<String, Long> byRule = new LinkedHashMap<>();
        /** Per rule, the source values it concerns that it changes: each must arrive as it says. */
        final Map<String, Long> cases = new LinkedHashMap<>();
        long unexplained;
        /** For a table without a key: rows only the source has, rows only the sink has. */
        long missing;
        long extra;
        boolean keyless;
        final List<String> explainedValues = new ArrayList<>();
        final List<String> unexplainedValues = new ArrayList<>();

        Result(String table) {
            this.table = table;
        }

        String cause() {
            if (unexplained > 0) {
                return "UNEXPLAINED (" + unexplained + " values)";
            }
            TreeSet<String> kinds = new TreeSet<>();
            for (Rule r : rules) {
                if (byRule.getOrDefault(r.id(), 0L) > 0) {
                    kinds.add(r.kind());
                }
            }
            return kinds.isEmpty() ? "none found" : "documented: " + String.join(", ", kinds);
        }

        String summary() {
            List<String> parts = new ArrayList<>();
            for (Rule r : rules) {
                parts.add(r.column() + " " + byRule.getOrDefault(r.id(), 0L));
            }
            return String.join(", ", parts) + (unexplained > 0 ? "; UNEXPLAINED " + unexplained : "");
        }

        List<String> explain() {
            List<String> out = new ArrayList<>();
            for (Rule r : rules) {
                long n = byRule.getOrDefault(r.id(), 0L);
                if (n > 0) {
                    out.add("[" + r.kind() + "] " + r.column() + ": " + r.loss() + " (" + n + (n == 1 ? " value)" : " values)"));
                }
            }
            if (unexplained > 0) {
                out.add("[UNEXPLAINED] " + unexplained + " values differ for no documented reason (--diff shows them)");
            }
            return out;
        }

        List<String> details(int limit) {
            List<String> out = new ArrayList<>();
            for (String s : unexplainedValues) {
                if (out.size() >= limit) {
                    break;
                }
                out.add("UNEXPLAINED " + s);
            }
            for (String s : explainedValues) {
                if (out.size() >= limit) {
                    break;
                }
                out.add(s);
            }
            return out;
        }
    }

    private Compare() {
    }

    static void canonical(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String s : Report.CANONICAL) {
                st.execute(s);
            }
        }
    }

    /** The columns of a source table in attnum order: name, quoted name. */
    static List<String[]> columns(Connection src, String table) throws SQLException {
        return Pipeline.rows(src, "SELECT a.attname, pg_catalog.quote_ident(a.attname), "
                + "a.attnum OPERATOR(pg_catalog.=) ANY (coalesce(i.indkey::pg_catalog.int2[], '{}')) "
                + "FROM pg_catalog.pg_attribute a "
                + "LEFT JOIN pg_catalog.pg_index i ON i.indrelid = a.attrelid AND i.indisprimary "
                + "WHERE a.attrelid = pg_catalog.to_regclass(pg_catalog.quote_ident(?)) AND a.attnum > 0 AND NOT a.attisdropped "
                + "ORDER BY a.attnum", table);
    }

    static Result table(Connection src, Connection dst, String table, boolean keyed, Map<String, Long> events, String since)
            throws SQLException {
        Result r = new Result(table);
        r.keyless = !keyed;
        for (Rule rule : Rules.ALL) {
            if (rule.table().equals(table)) {
                r.rules.add(rule);
            }
        }
        List<String[]> cols = columns(src, table);
        String q = Sink.quote(table);
        String[] s = Pipeline.rows(src, "SELECT row_count, digest FROM oltp_checksums(tables => ARRAY[?])", table).get(0);
        r.sourceRows = Long.parseLong(s[0]);
        r.sourceDigest = s[1];
        // the sink: the same canonical form by a plain query, as docs/cdc.md's
        List<String> sorted = new ArrayList<>();
        for (String[] c : cols) {
            sorted.add(c[0]);
        }
        sorted.sort(Compare::bytewise);
        StringBuilder row = new StringBuilder();
        for (String c : sorted) {
            row.append(row.length() > 0 ? ", " : "").append("t.").append(Sink.quote(c));
        }
        dst.setAutoCommit(false);
        canonical(dst);
        String[] d = Pipeline.rows(dst, "SELECT count(*), (coalesce(sum(pg_catalog.hashtextextended(ROW(" + row + ")::text, 0)), 0) "
                + "% 18446744073709551616 + 18446744073709551616) % 18446744073709551616 FROM " + q + " t").get(0);
        dst.rollback();
        r.sinkRows = Long.parseLong(d[0]);
        r.sinkDigest = d[1];
        r.checksumEqual = r.sourceRows == r.sinkRows && Objects.equals(r.sourceDigest, r.sinkDigest);
        if (r.checksumEqual && r.rules.isEmpty()) {
            return r;
        }
        if (keyed) {
            byKey(src, dst, r, cols, since);
        } else {
            multiset(src, dst, r, cols, events);
        }
        return r;
    }

    /** Bytewise order of names, as ORDER BY ... COLLATE "C" (UTF-8 sorts by code point). */
    static int bytewise(String a, String b) {
        int[] x = a.codePoints().toArray();
        int[] y = b.codePoints().toArray();
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (x[i] != y[i]) {
                return Integer.compare(x[i], y[i]);
            }
        }
        return Integer.compare(x.length, y.length);
    }

    /** Rows by key text: every column's text, then each rule's expected text (source only). */
    static Map<String, String[]> load(Connection c, String table, List<String[]> cols, List<Rule> rules) throws SQLException {
        StringBuilder key = new StringBuilder();
        StringBuilder sel = new StringBuilder();
        for (String[] col : cols) {
            if ("t".equals(col[2])) {
                key.append(key.length() > 0 ? ", " : "").append("x.").append(col[1]);
            }
            sel.append(", x.").append(col[1]).append("::pg_catalog.text");
        }
        for (Rule rule : rules) {
            sel.append(", coalesce((").append(rule.when()).append("), false)");
            sel.append(", CASE WHEN ").append(rule.when()).append(" THEN (").append(rule.expected()).append(")::pg_catalog.text END");
        }
        Map<String, String[]> out = new TreeMap<>();
        c.setAutoCommit(false);
        canonical(c);
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT ROW(" + key + ")::pg_catalog.text" + sel + " FROM public." + Sink.quote(table) + " x")) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                String[] v = new String[n - 1];
                for (int i = 0; i < v.length; i++) {
                    v[i] = rs.getString(i + 2);
                }
                out.put(rs.getString(1), v);
            }
        }
        c.rollback();
        return out;
    }

    static void byKey(Connection src, Connection dst, Result r, List<String[]> cols, String since) throws SQLException {
        // the stream's start as a literal (no value pasted: a timestamp's text checked by its cast first)
        String sinceSql = since == null ? "'infinity'::pg_catalog.timestamp"
                : "'" + Pipeline.one(src, "SELECT ?::pg_catalog.timestamp::pg_catalog.text", since) + "'::pg_catalog.timestamp";
        List<Rule> rules = new ArrayList<>();
        for (Rule rule : r.rules) {
            if (!"*".equals(rule.column())) {
                rules.add(new Rule(rule.table(), rule.column(), rule.kind(), rule.loss(), rule.when().replace(Rules.SINCE, sinceSql),
                        rule.expected(), rule.sinkPattern()));
            }
        }
        Map<String, String[]> a = load(src, r.table, cols, rules);
        Map<String, String[]> b = load(dst, r.table, cols, List.of());
        for (Map.Entry<String, String[]> e : a.entrySet()) {
            String[] sinkRow = b.get(e.getKey());
            if (sinkRow == null) {
                r.unexplained++;
                r.unexplainedValues.add("key " + e.getKey() + ": row missing from the sink");
                continue;
            }
            String[] v = e.getValue();
            for (int j = 0; j < rules.size(); j++) {
                int i = column(cols, rules.get(j).column());
                if ("t".equals(v[cols.size() + 2 * j]) && i >= 0 && !Objects.equals(v[i], v[cols.size() + 2 * j + 1])) {
                    r.cases.merge(rules.get(j).id(), 1L, Long::sum);
                }
            }
            for (int i = 0; i < cols.size(); i++) {
                String col = cols.get(i)[0];
                if (Objects.equals(v[i], sinkRow[i])) {
                    continue;
                }
                String what = "key " + e.getKey() + ": " + col + ": source " + show(v[i]) + ", sink " + show(sinkRow[i]);
                Rule found = null;
                for (int j = 0; j < rules.size() && found == null; j++) {
                    Rule rule = rules.get(j);
                    if (!rule.column().equals(col) || !"t".equals(v[cols.size() + 2 * j])) {
                        continue;
                    }
                    String got = sinkRow[i];
                    if (got != null && rule.sinkPattern() != null) {
                        got = got.replaceAll(rule.sinkPattern(), "");
                    }
                    if (Objects.equals(v[cols.size() + 2 * j + 1], got)) {
                        found = rule;
                    }
                }
                if (found != null) {
                    r.byRule.merge(found.id(), 1L, Long::sum);
                    r.explainedValues.add(what + " [" + found.kind() + ": " + found.loss() + "]");
                } else {
                    r.unexplained++;
                    r.unexplainedValues.add(what);
                }
            }
        }
        for (String k : b.keySet()) {
            if (!a.containsKey(k)) {
                r.unexplained++;
                r.unexplainedValues.add("key " + k + ": row only in the sink");
            }
        }
    }

    static int column(List<String[]> cols, String name) {
        for (int i = 0; i < cols.size(); i++) {
            if (cols.get(i)[0].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A table without a key: the JDBC sink can only insert its events (no
     * key to upsert or delete by), so the sink holds every row the source
     * holds plus, for each update and each delete, the row as it was before.
     * Every source row must be there; the sink's other rows must number the
     * updates and deletes in Kafka.
     */
    static void multiset(Connection src, Connection dst, Result r, List<String[]> cols, Map<String, Long> events) throws SQLException {
        Map<String, Long> a = wholeRows(src, r.table);
        Map<String, Long> b = wholeRows(dst, r.table);
        for (Map.Entry<String, Long> e : a.entrySet()) {
            long left = e.getValue() - b.getOrDefault(e.getKey(), 0L);
            if (left > 0) {
                r.missing += left;
                r.unexplainedValues.add("row " + e.getKey() + " x" + left + ": missing from the sink");
            }
        }
        for (Map.Entry<String, Long> e : b.entrySet()) {
            long more = e.getValue() - a.getOrDefault(e.getKey(), 0L);
            if (more > 0) {
                r.extra += more;
                r.explainedValues.add("row " + e.getKey() + " x" + more + ": only in the sink");
            }
        }
        long changed = events.getOrDefault(r.table + " u", 0L) + events.getOrDefault(r.table + " d", 0L);
        Rule rule = null;
        for (Rule x : r.rules) {
            if ("*".equals(x.column())) {
                rule = x;
            }
        }
        if (rule != null) {
            r.cases.put(rule.id(), changed);
        }
        if (rule != null && r.missing == 0 && r.extra == changed) {
            r.byRule.put(rule.id(), r.extra);
        } else {
            r.unexplained += r.missing + r.extra;
            r.unexplainedValues.add(0, r.missing + " source rows missing, " + r.extra + " rows only in the sink, "
                    + changed + " updates and deletes in Kafka");
        }
    }

    static Map<String, Long> wholeRows(Connection c, String table) throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        c.setAutoCommit(false);
        canonical(c);
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT x::pg_catalog.text FROM public." + Sink.quote(table) + " x")) {
            while (rs.next()) {
                out.merge(rs.getString(1), 1L, Long::sum);
            }
        }
        c.rollback();
        return out;
    }

    static String show(String v) {
        if (v == null) {
            return "NULL";
        }
        return "'" + (v.length() > 80 ? v.substring(0, 77) + "..." : v) + "'";
    }
}
