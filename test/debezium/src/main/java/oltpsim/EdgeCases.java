package oltpsim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The edge cases through Debezium (DebeziumTest runs this after phase 3, the
 * engine running): the set edge_cases added while the connector streams, the
 * profile edge_cases with only its own operations weighted, then:
 *
 *   - events per table and op (deletes and truncates included) = the
 *     committed counters;
 *   - a tombstone with the same key right after each delete;
 *   - under replica identity default the text of a report is
 *     __debezium_unavailable_value in exactly the sign_laudo updates, under
 *     full in none;
 *   - truncates arrive as op t (skipped.operations=none);
 *   - the nine tables rebuilt from every event equal the source.
 */
final class EdgeCases {
    static final int CHECKS = 6;
    static final String PLACEHOLDER = "__debezium_unavailable_value";
    static final String[] EDGE_TABLES = {"exames", "consultas", "laudos", "fila_triagem"};

    private EdgeCases() {
    }

    /** One round of the stream: the counters before and after, and the events in between. */
    static final class Round {
        Map<String, Long> committed;
        Map<String, Long> byOperation;
        List<Event> events;
    }

    static Round round(DebeziumTest t, String label, long ops) throws Exception {
        Map<String, Long> s0 = DebeziumTest.counters(t.src);
        Map<String, Long> o0 = DebeziumTest.perOperation(t.src, "committed");
        t.marker(label + "-start");
        int from = t.events.size();
        t.stream(ops);
        t.pause();
        boolean got = t.marker(label + "-end");
        Round r = new Round();
        r.committed = DebeziumTest.withoutZeros(DebeziumTest.minus(DebeziumTest.counters(t.src), s0));
        r.byOperation = DebeziumTest.minus(DebeziumTest.perOperation(t.src, "committed"), o0);
        r.events = got ? t.events.since(from) : List.of();
        return r;
    }

    /** Updates of laudos whose text is the placeholder. */
    static long placeholders(List<Event> events) {
        long n = 0;
        for (Event e : events) {
            if ("data".equals(e.kind) && e.value != null && "laudos".equals(e.table()) && "u".equals(e.op())
                    && PLACEHOLDER.equals(e.value.path("after").path("texto").asText(null))) {
                n++;
            }
        }
        return n;
    }

    static void run(DebeziumTest t) throws Exception {
        addEdgeCasesWithTheirProfile(t);
        // replica identity default on laudos
        Round def = round(t, "edge-default", 900);
        Map<String, Long> got = DebeziumTest.perTableOp(def.events);
        checkEventsEqualCounters(t, def, got);
        checkTombstoneAfterEachDelete(t, def);
        checkPlaceholderOnSignatures(t, def);
        checkTruncates(t, def, got);
        checkNoPlaceholderUnderFull(t);
        checkRebuildEqualsSource(t);
    }

    /** The set edge_cases added, the profile edge_cases with only its own operations weighted. */
    static void addEdgeCasesWithTheirProfile(DebeziumTest t) throws Exception {
        DebeziumTest.exec(t.src, "SELECT count(*) FROM oltp_add_tables('edge_cases', seed => 13)");
        DebeziumTest.exec(t.src, "SELECT count(*) FROM oltp_replica_identity('default', ARRAY['laudos', 'fila_triagem'])");
        DebeziumTest.exec(t.src, "ALTER SYSTEM SET oltp_sim.profile = 'edge_cases'");
        for (String op : DebeziumTest.longs(t.src,
                "SELECT operation, 0 FROM oltp_operations() WHERE (operation ~ '^(insert|update)_' AND operation <> 'insert_laudo')"
                        // erasures, renumberings, ... have their own phase (KeyChanges)
                        + " OR operation IN ('erase_paciente', 'rekey_paciente', 'admit_paciente', 'import_resultados',"
                        + " 'long_transaction')").keySet()) {
            DebeziumTest.exec(t.src, "ALTER SYSTEM SET oltp_sim.weight_" + op + " = 0");
        }
        t.reload();
    }

    static void checkEventsEqualCounters(DebeziumTest t, Round def, Map<String, Long> got) {
        List<String> diff = new ArrayList<>();
        for (String table : EDGE_TABLES) {
            for (String op : new String[] {"c", "u", "d", "t"}) {
                long want = def.committed.getOrDefault(table + " " + op, 0L);
                long have = got.getOrDefault(table + " " + op, 0L);
                if (want != have) {
                    diff.add(table + " op " + op + ": committed " + want + ", events " + have);
                }
            }
        }
        t.check(!def.events.isEmpty() && diff.isEmpty() && def.committed.getOrDefault("exames d", 0L) > 0
                        && def.committed.getOrDefault("laudos u", 0L) > 0,
                "edge cases: events per table and op (deletes, truncates) = committed counters " + def.committed,
                String.join("\n", diff) + "\nevents " + got);
    }

    /** A tombstone with the delete's key right after each delete. */
    static void checkTombstoneAfterEachDelete(DebeziumTest t, Round def) {
        long deletes = 0;
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < def.events.size(); i++) {
            Event e = def.events.get(i);
            if (!"data".equals(e.kind) || e.value == null || !"d".equals(e.op())) {
                continue;
            }
            deletes++;
            Event next = i + 1 < def.events.size() ? def.events.get(i + 1) : null;
            if (next == null || next.value != null || !next.topic.equals(e.topic)
                    || !String.valueOf(next.key).equals(String.valueOf(e.key))) {
                missing.add(e.table() + " " + e.key);
            }
        }
        t.check(deletes > 0 && missing.isEmpty(),
                "tombstones: each of " + deletes + " deletes is followed by a tombstone with its key",
                deletes + " deletes; without a tombstone: " + missing.subList(0, Math.min(5, missing.size())));
    }

    /** Under replica identity default, the placeholder exactly on the signatures. */
    static void checkPlaceholderOnSignatures(DebeziumTest t, Round def) {
        long signed = def.byOperation.getOrDefault("sign_laudo", 0L);
        long marked = placeholders(def.events);
        t.check(signed > 0 && marked == signed,
                "replica identity default: the text is " + PLACEHOLDER + " in exactly the " + signed + " sign_laudo updates",
                marked + " updates with the placeholder, sign_laudo committed " + signed);
    }

    static void checkTruncates(DebeziumTest t, Round def, Map<String, Long> got) {
        long truncates = def.committed.getOrDefault("fila_triagem t", 0L);
        t.check(truncates > 0 && got.getOrDefault("fila_triagem t", 0L) == truncates,
                "truncates: " + truncates + " TRUNCATE of fila_triagem arrive as op t",
                "committed " + truncates + ", op t events " + got.getOrDefault("fila_triagem t", 0L));
    }

    /** Replica identity full on laudos, another round: the text itself, never the placeholder. */
    static void checkNoPlaceholderUnderFull(DebeziumTest t) throws Exception {
        DebeziumTest.exec(t.src, "SELECT count(*) FROM oltp_replica_identity('full', ARRAY['laudos'])");
        Round full = round(t, "edge-full", 600);
        long signedFull = full.byOperation.getOrDefault("sign_laudo", 0L);
        long markedFull = placeholders(full.events);
        t.check(signedFull > 0 && markedFull == 0 && !full.events.isEmpty(),
                "replica identity full: none of the " + signedFull + " sign_laudo updates carries the placeholder",
                markedFull + " updates with the placeholder");
    }

    /** Every table rebuilt from every event equals the source. */
    static void checkRebuildEqualsSource(DebeziumTest t) throws Exception {
        List<String> tables = new ArrayList<>(DebeziumTest.longs(t.src, "SELECT table_name, 0 FROM oltp_counts()").keySet());
        DebeziumTest.Ledger whole = DebeziumTest.Ledger.of(Set.of(), t.events.snapshot());
        Rebuild rebuild = new Rebuild(t.src, t.rebuildConn, tables);
        List<String> diffs = rebuild.rebuildFrom(whole.firstDelivery);
        t.check(diffs.isEmpty(), "edge cases: the " + tables.size() + " tables rebuilt from the events (deletes, truncates, "
                + "placeholders kept as the current value) equal the source", String.join("\n", diffs));
    }
}
