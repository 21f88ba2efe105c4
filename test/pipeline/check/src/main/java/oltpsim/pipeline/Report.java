package oltpsim.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What tools/pipeline prints at the end: per table, the rows on both sides,
 * whether the checksums agree (oltp_checksums() on the source, the same
 * canonical form by a plain query on the sink, no column left out), the
 * events in Kafka against oltp_changes(), and for a table that differs its
 * cause class, from Compare's value-by-value classification.  --diff adds
 * every differing value; --tap prints the same as TAP lines.
 */
final class Report {
    /** The table the stream truncates (clear_triagem). */
    static final String TRUNCATED = "fila_triagem";

    private Report() {
    }

    /** The canonical form's settings (docs/cdc.md, Checksums). */
    static final String[] CANONICAL = {"SET DateStyle = 'ISO, YMD'", "SET IntervalStyle = 'postgres'", "SET TimeZone = 'UTC'",
        "SET extra_float_digits = 1", "SET bytea_output = 'hex'", "SET lc_monetary = 'C'"};

    static final class Tap {
        final boolean on;
        int n;
        int failed;

        Tap(boolean on) {
            this.on = on;
        }

        void check(boolean ok, String what, String detail) {
            n++;
            if (!ok) {
                failed++;
            }
            if (on) {
                System.out.println((ok ? "ok " : "not ok ") + n + " - " + what);
                if (!ok && detail != null && !detail.isEmpty()) {
                    for (String l : detail.split("\n")) {
                        System.out.println("#   " + l);
                    }
                }
            }
        }
    }

    static int run(Pipeline p) throws Exception {
        boolean tapOn = "on".equals(p.get("tap", "off"));
        boolean diff = "on".equals(p.get("diff", "off"));
        Properties props = new Properties();
        try (var r = Files.newBufferedReader(Path.of(p.need("properties")))) {
            props.load(r);
        }
        String prefix = props.getProperty("topic.prefix");
        Tap tap = new Tap(tapOn);
        try (Connection src = p.connect("source"); Connection dst = p.connect("sink")) {
            Map<String, Boolean> tables = Pipeline.tables(src);
            Map<String, Long> events = Events.count(p.need("bootstrap"), prefix, tables.keySet());
            List<Compare.Result> results = new ArrayList<>();
            for (String t : tables.keySet()) {
                results.add(Compare.table(src, dst, t, tables.get(t), events, p.arg.get("since")));
            }
            Map<String, Long> changes = new TreeMap<>();
            for (String[] r : Pipeline.rows(src, "SELECT table_name, kind, rows FROM oltp_changes() WHERE rows > 0")) {
                changes.put(r[0] + " " + Map.of("insert", "c", "update", "u", "delete", "d", "truncate", "t").get(r[1]),
                        Long.parseLong(r[2]));
            }
            Map<String, String> states = new LinkedHashMap<>();
            for (String line : Files.readAllLines(Path.of(p.need("sinks")))) {
                String name = line.split("\t", 2)[0];
                states.put(name, Connect.status(p.need("rest"), name));
            }
            if (tapOn) {
                System.out.println("1.." + (2 * tables.size() + results.stream().mapToInt(r -> r.rules.size()).sum() + 2
                        + (tables.containsKey(TRUNCATED) ? 1 : 0)));
            }
            print(results, events, changes, states, tap, diff);
            return tap.failed == 0 ? 0 : 1;
        }
    }

    static String streamed(Map<String, Long> m, String table) {
        StringBuilder sb = new StringBuilder();
        for (String op : new String[] {"c", "u", "d", "t"}) {
            long n = m.getOrDefault(table + " " + op, 0L);
            if (n > 0) {
                sb.append(sb.length() > 0 ? " " : "").append(op).append(' ').append(n);
            }
        }
        return sb.length() == 0 ? "none" : sb.toString();
    }

    static void print(List<Compare.Result> results, Map<String, Long> events, Map<String, Long> changes, Map<String, String> states,
            Tap tap, boolean diff) {
        boolean failedTask = false;
        for (Map.Entry<String, String> s : states.entrySet()) {
            failedTask |= !s.getValue().equals("RUNNING RUNNING");
        }
        tap.check(!failedTask, "every connector's task is running: " + states, null);
        if (!tap.on) {
            System.out.printf("%n%-20s %8s %8s  %-9s %-44s %s%n", "table", "source", "sink", "checksum", "events c/u/d/t = oltp_changes()",
                    "differences");
        }
        int unexplained = 0;
        for (Compare.Result r : results) {
            String ev = streamed(events, r.table);
            String ch = streamed(changes, r.table);
            boolean evOk = ev.equals(ch);
            tap.check(evOk, r.table + ": events per kind in Kafka (" + ev + ") = oltp_changes()",
                    "oltp_changes(): " + ch + "; Kafka: " + ev);
            unexplained += r.unexplained;
            String cause = r.checksumEqual ? "-" : r.cause();
            if (tap.on) {
                if (r.rules.isEmpty()) {
                    tap.check(r.checksumEqual, r.table + ": sink = source by checksum (" + r.sourceRows + " rows)",
                            "source " + r.sourceRows + " rows " + r.sourceDigest + ", sink " + r.sinkRows + " rows " + r.sinkDigest
                                    + "\n" + String.join("\n", r.details(20)));
                } else {
                    tap.check(r.unexplained == 0, r.table + ": every difference documented (" + r.summary() + ")",
                            String.join("\n", r.details(20)));
                    for (Compare.Rule rule : r.rules) {
                        long n = r.byRule.getOrDefault(rule.id(), 0L);
                        long cases = r.cases.getOrDefault(rule.id(), 0L);
                        String col = "*".equals(rule.column()) ? "" : "." + rule.column();
                        tap.check(n == cases, r.table + col + ": " + rule.loss() + " (" + n + " of " + cases + " values)"
                                + (cases == 0 ? " # SKIP no source row shows it now" : ""),
                                cases + " source values concern it, " + n + " arrived as it says");
                    }
                }
            } else {
                System.out.printf("%-20s %8d %8d  %-9s %-44s %s%n", r.table, r.sourceRows, r.sinkRows,
                        r.checksumEqual ? "equal" : "DIFFERS", ev + (evOk ? " =" : " != " + ch), cause);
                if (!r.checksumEqual) {
                    for (String line : r.explain()) {
                        System.out.println("    " + line);
                    }
                    if (diff) {
                        for (String line : r.details(Integer.MAX_VALUE)) {
                            System.out.println("      " + line);
                        }
                    }
                }
            }
        }
        // a truncate must have reached the sink for its recipe (truncate.enabled) to be shown
        for (Compare.Result r : results) {
            if (r.table.equals(TRUNCATED) && tap.on) {
                long t = events.getOrDefault(r.table + " t", 0L);
                tap.check(t > 0 && r.checksumEqual, r.table + ": " + t + " TRUNCATE events in Kafka, the sink emptied as the source",
                        t == 0 ? "no clear_triagem committed during the run" : "the sink differs");
            }
        }
        tap.check(unexplained == 0, "no unexplained difference", unexplained + " values differ for no documented reason");
        if (!tap.on) {
            System.out.println();
            System.out.println(unexplained == 0 ? "no unexplained difference"
                    : unexplained + " UNEXPLAINED differences: a defect somewhere in the pipeline (--diff lists them)");
            if (failedTask) {
                System.out.println("a sink connector's task is not running: " + states);
            }
        }
    }
}
