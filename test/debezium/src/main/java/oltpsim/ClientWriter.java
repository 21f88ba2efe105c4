package oltpsim;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * oltp_sim_client as the writer (DebeziumTest runs this after phase 3, the
 * engine running and the workers paused): the client program, the
 * extension's engine over libpq, streams OPS operations of the profile
 * hospital into the test's database as the workers would, two connections,
 * three operations per transaction, a watermark in every transaction.
 * Between two markers:
 *
 *   - the client ends by itself at OPS operations, exit 0, no transaction
 *     failed;
 *   - the events per table and op equal the rows the client's summary says
 *     it committed, and each table grew by its creates less its deletes;
 *   - the watermarks: a connection's seq from 1 and consecutive, each one's
 *     counts minus the previous one's of its connection equal to its
 *     transaction's events, the last ones' ops adding up to the operations
 *     committed;
 *   - the tables rebuilt from every event so far equal the source, row by
 *     row and by docs/cdc.md's checksum query against oltp_checksums().
 *
 * The workers' counters do not see the client's writes: its summary is
 * what the events are held to.
 */
final class ClientWriter {
    static final int CHECKS = 4;
    static final int OPS = 1500;
    static final int CONNECTIONS = 2;
    /** A row of the summary: table|kind|rows. */
    static final Pattern ROW = Pattern.compile("^([a-z_]+)\\|(insert|update|delete|truncate)\\|([0-9]+)$");

    private ClientWriter() {
    }

    /** What the client printed and how it ended. */
    static final class Stream {
        int exit = -1;
        long committed = -1;
        long skipped = -1;
        long failed = -1;
        /** Rows committed per "table op", as the events are counted. */
        final Map<String, Long> rows = new TreeMap<>();
        String output = "";
    }

    static void run(DebeziumTest t, String doc) throws Exception {
        Map<String, Long> c0 = DebeziumTest.counts(t.src);
        boolean started = t.marker("client-start");
        int from = t.events.size();
        Stream s = stream(t);
        boolean ended = t.marker("client-end");
        Map<String, Long> c1 = DebeziumTest.counts(t.src);
        List<Event> all = t.events.snapshot();
        List<Event> events = started && ended ? all.subList(from, all.size()) : List.of();
        checkClientEndedByItself(t, s);
        checkEventsEqualSummary(t, s, events, c0, c1);
        checkWatermarks(t, s, events);
        checkRebuildEqualsSource(t, doc);
    }

    /** The client against the test's server, as the workers' stream: ends at OPS operations. */
    static Stream stream(DebeziumTest t) throws IOException, InterruptedException {
        Path work = Path.of(t.arg.get("workdir"));
        Path out = work.resolve("client-stream.txt");
        Path err = work.resolve("client-stream.err");
        List<String> cmd = List.of(t.arg.get("client"), "-h", t.arg.get("host"), "-p", t.arg.get("port"),
                "-U", "postgres", "-d", DebeziumTest.DB, "-c", String.valueOf(CONNECTIONS), "--ops", String.valueOf(OPS),
                "--seed", "21", "--profile", "hospital", "--set", "ops_per_transaction=3", "--set", "watermark_every=1",
                "stream");
        DebeziumTest.diag("client: " + String.join(" ", cmd));
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        Stream s = new Stream();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
            DebeziumTest.diag("the client did not end within 300 s");
        } else {
            s.exit = p.exitValue();
        }
        s.output = Files.readString(out, StandardCharsets.UTF_8);
        for (String line : s.output.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                s.rows.merge(m.group(1) + " " + DebeziumTest.op(m.group(2)), Long.parseLong(m.group(3)), Long::sum);
            }
            s.committed = number(line, "operations committed: ", s.committed);
            s.skipped = number(line, "operations skipped: ", s.skipped);
            s.failed = number(line, "transactions failed: ", s.failed);
        }
        if (s.exit != 0) {
            DebeziumTest.diag("client exit " + s.exit + ": " + Files.readString(err, StandardCharsets.UTF_8).trim());
        }
        return s;
    }

    /** The number after a line's prefix, or the value so far when the line is another. */
    static long number(String line, String prefix, long sofar) {
        if (!line.startsWith(prefix)) {
            return sofar;
        }
        Matcher m = Pattern.compile("^[0-9]+").matcher(line.substring(prefix.length()));
        return m.find() ? Long.parseLong(m.group()) : sofar;
    }

    static void checkClientEndedByItself(DebeziumTest t, Stream s) {
        t.check(s.exit == 0 && s.failed == 0 && s.committed > 0 && s.committed + s.skipped == OPS,
                "oltp_sim_client as the writer: " + CONNECTIONS + " connections, --ops " + OPS + ": exit 0, " + s.committed
                        + " committed + " + s.skipped + " skipped, no transaction failed",
                "exit " + s.exit + ", committed " + s.committed + ", skipped " + s.skipped + ", failed " + s.failed
                        + "\n" + s.output);
    }

    /** Events per table and op = the client's summary; each table's growth = its creates less its deletes. */
    static void checkEventsEqualSummary(DebeziumTest t, Stream s, List<Event> events, Map<String, Long> c0,
            Map<String, Long> c1) {
        Map<String, Long> got = DebeziumTest.perTableOp(events);
        Map<String, Long> want = DebeziumTest.withoutZeros(s.rows);
        List<String> grew = new ArrayList<>();
        for (String table : t.tables) {
            long growth = c1.get(table) - c0.get(table);
            long net = got.getOrDefault(table + " c", 0L) - got.getOrDefault(table + " d", 0L);
            if (growth != net) {
                grew.add(table + ": grew by " + growth + ", events c - d = " + net);
            }
        }
        t.check(!events.isEmpty() && want.getOrDefault("pacientes c", 0L) > 0 && want.getOrDefault("consultas u", 0L) > 0
                        && want.equals(got) && grew.isEmpty(),
                "oltp_sim_client as the writer: events per table and op = the rows its summary says it committed "
                        + want + ", each table's growth = its c - d",
                "summary " + want + "\nevents  " + got + "\n" + String.join("\n", grew));
    }

    /**
     * The client's watermarks, one in every transaction: seq 1, 2, ... per
     * connection, each one's counts minus the previous one's (nothing before
     * the first) equal to its transaction's events, and the last ones' ops
     * adding up to what the summary says was committed.
     */
    static void checkWatermarks(DebeziumTest t, Stream s, List<Event> events) throws IOException {
        DebeziumTest.Ledger l = DebeziumTest.Ledger.of(t.full, events);
        List<String> diff = new ArrayList<>();
        Map<Integer, JsonNode> prev = new TreeMap<>();
        JsonNode nothing = Engine.JSON.readTree("{\"seq\": 0, \"ops\": 0, \"changes\": {}}");
        for (Event m : l.marks) {
            JsonNode wm = Engine.JSON.readTree(m.messageContent());
            int w = wm.get("worker").asInt();
            JsonNode last = prev.getOrDefault(w, nothing);
            prev.put(w, wm);
            Map<String, Long> counted = DebeziumTest.changeDiff(wm, last);
            Map<String, Long> inTx = DebeziumTest.withoutZeros(l.txEvents.getOrDefault(m.txId(), Map.of()));
            if (wm.get("seq").asLong() != last.get("seq").asLong() + 1 || !counted.equals(inTx)) {
                diff.add("connection " + w + " seq " + wm.get("seq") + " after " + last.get("seq") + " (tx " + m.txId()
                        + "): watermark counts " + counted + ", events " + inTx);
            }
        }
        long ops = prev.values().stream().mapToLong(wm -> wm.get("ops").asLong()).sum();
        t.check(prev.keySet().equals(Set.of(0, 1)) && l.marks.size() > 100 && diff.isEmpty() && ops == s.committed,
                "oltp_sim_client as the writer: " + l.marks.size() + " watermarks of connections " + prev.keySet()
                        + ", seq from 1 and consecutive, each one's counts = its transaction's events, ops adding up to "
                        + ops + " committed",
                "connections " + prev.keySet() + ", " + l.marks.size() + " watermarks, ops " + ops + " of " + s.committed
                        + "\n" + DebeziumTest.firstFive(diff));
    }

    /** Every table rebuilt from every event so far equals the source, and the checksums agree. */
    static void checkRebuildEqualsSource(DebeziumTest t, String doc) throws Exception {
        Rebuild rebuild = new Rebuild(t.src, t.rebuildConn, t.tables);
        DebeziumTest.Ledger whole = DebeziumTest.Ledger.of(t.full, t.events.snapshot());
        List<String> diffs = rebuild.rebuildFrom(whole.firstDelivery);
        String sums = diffs.isEmpty() ? DebeziumTest.checksums(t.src, t.rebuildConn, doc) : null;
        t.check(diffs.isEmpty() && sums == null,
                "oltp_sim_client as the writer: the " + t.tables.size() + " tables rebuilt from the events equal the source, "
                        + "every row, and docs/cdc.md's checksum query equals oltp_checksums()",
                String.join("\n", diffs) + (sums == null ? "" : "\n" + sums));
    }
}
