package oltpsim;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The streamed transactions, their savepoints and aborts, and the logical
 * messages through Debezium (DebeziumTest runs this last, the engine
 * running): profile decoding with only its four operations weighted,
 * stream_exames loading oltp_sim.batch_rows exams under savepoints (some
 * rolled back, some failing inside), stream_exames_aborted the same load
 * rolled back, emit_messages and emit_messages_aborted the eight messages
 * of docs/streaming.md, committed and rolled back.
 *
 * Debezium asks pgoutput for proto_version 1 with messages on (PostgreSQL
 * 14 and later): no streaming of transactions in progress, so it receives
 * each transaction whole at its commit, and a non-transactional message as
 * it is written, with no transaction (source.txId null).  Checked:
 *
 *   - the exams: events = committed counters = six tenths of each committed
 *     load, none of a rolled back chunk or of an aborted load;
 *   - exames rebuilt from every event equals the source;
 *   - every message op m on topic oltp.message; per variant, the
 *     non-transactional ones once per operation, aborted or not, the
 *     transactional ones once per committed emit_messages, none from an
 *     aborted one; = oltp_messages() (messages and bytes per mode);
 *   - the payloads: the text (its "transactional" field matching how it
 *     came), empty, the 256 byte values in order, 1 MiB.
 */
final class Streaming {
    static final int CHECKS = 5;
    static final String[] OPERATIONS = {"stream_exames", "stream_exames_aborted", "emit_messages", "emit_messages_aborted"};
    static final String[] VARIANTS = {"text", "empty", "binary", "large"};
    static final String PREFIX = "oltp_sim.test.";
    static final int BATCH = 2000;

    private Streaming() {
    }

    static void run(DebeziumTest t) throws Exception {
        onlyTheDecodingOperations(t);
        Map<String, Long> aborted0 = DebeziumTest.longs(t.src, "SELECT operation, aborted FROM oltp_aborted()");
        Map<String, Long> messages0 = modes(t);
        EdgeCases.Round r = EdgeCases.round(t, "decoding", 30);
        Map<String, Long> aborted = DebeziumTest.minus(DebeziumTest.longs(t.src,
                "SELECT operation, aborted FROM oltp_aborted()"), aborted0);
        Map<String, Long> messages = DebeziumTest.minus(modes(t), messages0);
        DebeziumTest.diag("decoding: committed " + r.byOperation.entrySet().stream()
                .filter(e -> Set.of(OPERATIONS).contains(e.getKey())).toList() + ", aborted " + aborted
                + ", oltp_messages() " + messages);
        checkExamsEqualCommittedChunks(t, r, aborted);
        checkExamesRebuilt(t);
        List<Event> mine = ours(r.events);
        checkMessagesPerVariant(t, r, aborted, mine);
        checkMessagesEqualCounters(t, messages, mine);
        checkPayloads(t, mine);
    }

    /** The profile decoding, only its four operations weighted, loads of BATCH rows, aborts at once. */
    static void onlyTheDecodingOperations(DebeziumTest t) throws Exception {
        DebeziumTest.exec(t.src, "ALTER SYSTEM SET oltp_sim.profile = 'decoding'");
        for (String op : DebeziumTest.longs(t.src, "SELECT operation, 0 FROM oltp_operations()").keySet()) {
            long w = op.equals("stream_exames") ? 2 : Set.of(OPERATIONS).contains(op) ? 1 : 0;
            DebeziumTest.exec(t.src, "ALTER SYSTEM SET oltp_sim.weight_" + op + " = " + w);
        }
        DebeziumTest.exec(t.src, "ALTER SYSTEM SET oltp_sim.batch_rows = " + BATCH);
        DebeziumTest.exec(t.src, "ALTER SYSTEM SET oltp_sim.abort_hold = 0");
        t.reload();
    }

    /** oltp_messages(): "mode messages" and "mode bytes". */
    static Map<String, Long> modes(DebeziumTest t) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        out.putAll(DebeziumTest.longs(t.src, "SELECT mode || ' messages', messages FROM oltp_messages()"));
        out.putAll(DebeziumTest.longs(t.src, "SELECT mode || ' bytes', bytes FROM oltp_messages()"));
        return out;
    }

    /** The messages of the four operations (prefix oltp_sim.test.). */
    static List<Event> ours(List<Event> events) {
        List<Event> out = new ArrayList<>();
        for (Event e : events) {
            if ("message".equals(e.kind) && e.messagePrefix().startsWith(PREFIX)) {
                out.add(e);
            }
        }
        return out;
    }

    static boolean transactional(Event e) {
        JsonNode tx = e.source().get("txId");
        return tx != null && !tx.isNull();
    }

    static byte[] content(Event e) {
        return Base64.getDecoder().decode(e.value.path("message").path("content").asText());
    }

    /** Exam inserts: events = counters = 6/10 of BATCH per committed stream_exames; loads committed and aborted both ran. */
    static void checkExamsEqualCommittedChunks(DebeziumTest t, EdgeCases.Round r, Map<String, Long> aborted) {
        long loads = r.byOperation.getOrDefault("stream_exames", 0L);
        long want = loads * BATCH * 6 / 10;
        long counted = r.committed.getOrDefault("exames c", 0L);
        long events = DebeziumTest.perTableOp(r.events).getOrDefault("exames c", 0L);
        long abortedLoads = aborted.getOrDefault("stream_exames_aborted", 0L);
        t.check(loads > 0 && abortedLoads > 0 && counted == want && events == want,
                "streamed loads: " + events + " exam inserts from " + loads + " committed stream_exames (6 of 10 chunks of "
                        + BATCH / 10 + " each), none of " + abortedLoads + " stream_exames_aborted = the counters",
                "stream_exames committed " + loads + " (want > 0), stream_exames_aborted " + abortedLoads + " (want > 0), exames "
                        + "inserts counted " + counted + ", events " + events + ", expected " + want);
    }

    /** exames rebuilt from every event equals the source. */
    static void checkExamesRebuilt(DebeziumTest t) throws Exception {
        DebeziumTest.Ledger whole = DebeziumTest.Ledger.of(Set.of(), t.events.snapshot());
        Rebuild rebuild = new Rebuild(t.src, t.rebuildConn, List.of("exames"));
        List<String> diffs = rebuild.rebuildFrom(whole.firstDelivery);
        t.check(diffs.isEmpty(), "streamed loads: exames rebuilt from the events equals the source (no row of a rolled back "
                + "chunk, a failed chunk or an aborted load)", String.join("\n", diffs));
    }

    /** Per variant: non-transactional once per operation (aborted too), transactional once per committed one. */
    static void checkMessagesPerVariant(DebeziumTest t, EdgeCases.Round r, Map<String, Long> aborted, List<Event> mine) {
        long committed = r.byOperation.getOrDefault("emit_messages", 0L);
        long rolledBack = aborted.getOrDefault("emit_messages_aborted", 0L);
        Map<String, Long> got = new TreeMap<>();
        Map<String, Long> want = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (Event e : mine) {
            String variant = e.messagePrefix().substring(PREFIX.length());
            got.merge(variant + (transactional(e) ? " tx" : " non-tx"), 1L, Long::sum);
            if (!"m".equals(e.op()) || !"oltp.message".equals(e.topic)) {
                wrong.add(e.topic + " op " + e.op());
            }
        }
        for (String v : VARIANTS) {
            want.put(v + " tx", committed);
            want.put(v + " non-tx", committed + rolledBack);
        }
        t.check(committed > 0 && rolledBack > 0 && want.equals(got) && wrong.isEmpty(),
                "messages: op m on oltp.message; per variant " + (committed + rolledBack) + " non-transactional (" + committed
                        + " emit_messages, " + rolledBack + " emit_messages_aborted), " + committed
                        + " transactional, none from the aborted ones",
                "want " + want + "\ngot  " + got + "\nnot op m on oltp.message: " + wrong);
    }

    /** The messages and bytes per mode = oltp_messages(). */
    static void checkMessagesEqualCounters(DebeziumTest t, Map<String, Long> counted, List<Event> mine) {
        Map<String, Long> got = new TreeMap<>();
        for (Event e : mine) {
            String mode = transactional(e) ? "transactional" : "non-transactional";
            got.merge(mode + " messages", 1L, Long::sum);
            got.merge(mode + " bytes", (long) content(e).length, Long::sum);
        }
        Map<String, Long> want = DebeziumTest.withoutZeros(counted);
        t.check(!got.isEmpty() && want.equals(got), "messages: per mode, the messages and their bytes = oltp_messages() " + want,
                "oltp_messages() " + want + "\nevents " + got);
    }

    /** The payloads as documented: text naming its mode, empty, bytes 0 to 255, 1 MiB. */
    static void checkPayloads(DebeziumTest t, List<Event> mine) {
        List<String> bad = new ArrayList<>();
        byte[] binary = new byte[256];
        for (int i = 0; i < 256; i++) {
            binary[i] = (byte) i;
        }
        for (Event e : mine) {
            String variant = e.messagePrefix().substring(PREFIX.length());
            byte[] c = content(e);
            boolean ok;
            switch (variant) {
                case "text":
                    ok = new String(c, java.nio.charset.StandardCharsets.UTF_8)
                            .matches("\\{\"transactional\": " + transactional(e) + ", \"n\": [0-9]+\\}");
                    break;
                case "empty":
                    ok = c.length == 0;
                    break;
                case "binary":
                    ok = java.util.Arrays.equals(c, binary);
                    break;
                case "large":
                    ok = c.length == 1048576;
                    break;
                default:
                    ok = false;
            }
            if (!ok) {
                bad.add(variant + (transactional(e) ? " tx" : " non-tx") + ": " + c.length + " bytes");
            }
        }
        t.check(!mine.isEmpty() && bad.isEmpty(), "messages: the " + mine.size() + " payloads as documented (text naming its "
                + "mode, empty, the 256 byte values in order, 1 MiB)", String.join("\n", bad.subList(0, Math.min(5, bad.size()))));
    }
}
