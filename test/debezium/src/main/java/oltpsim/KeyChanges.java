package oltpsim;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Phase 4 of the Debezium test: erasures, renumberings, admissions and
 * result imports, then a long transaction, through the engine already
 * running.  Checks that a key change arrives as DELETE + tombstone + CREATE
 * with the __debezium.newkey / __debezium.oldkey headers, that every delete
 * is followed by its tombstone, that the events per table and op equal the
 * committed counters (a key change counted as an update by the counters,
 * as a delete and a create by Debezium), that a long transaction arrives
 * after its commit, whole, and that the rebuild still matches.
 */
final class KeyChanges {
    static final int CHECKS = 5;
    static final String[] OPS = {"erase_paciente", "rekey_paciente", "admit_paciente", "import_resultados",
            "insert_consulta", "insert_exame", "update_exame"};

    private KeyChanges() {
    }

    static void setWeights(DebeziumTest t, Map<String, Integer> weights) throws Exception {
        for (String op : DebeziumTest.perOperation(t.src, "weight").keySet()) {
            DebeziumTest.exec(t.src, "ALTER SYSTEM SET oltp_sim.weight_" + op + " = " + weights.getOrDefault(op, 0));
        }
    }

    /** The id of a key header: the key as the converter writes it, {"schema": ..., "payload": {"id": N}}. */
    static String keyId(String header) {
        if (header == null) {
            return null;
        }
        try {
            JsonNode k = Engine.JSON.readTree(header);
            return (k.has("payload") ? k.get("payload") : k).path("id").asText();
        } catch (java.io.IOException e) {
            return header;
        }
    }

    static void run(DebeziumTest t) throws Exception {
        Round r = streamKeyChanges(t);
        Deletes d = readDeletes(r.events);
        checkKeyChanges(t, r, d);
        checkTombstoneAfterEachDelete(t, r, d);
        checkEventsEqualCounters(t, r, d);
        checkLongTransaction(t);
        checkRebuildEqualsSource(t);
    }

    /** The erasures and key changes' stream: the counters around it and its events. */
    static final class Round {
        boolean gotMarker;
        Map<String, Long> s0;
        Map<String, Long> s1;
        long rekeys;
        long erasures;
        List<Event> events;
    }

    /** One operation per transaction, OPS weighted, 600 operations streamed. */
    static Round streamKeyChanges(DebeziumTest t) throws Exception {
        DebeziumTest.exec(t.src, "ALTER SYSTEM SET oltp_sim.ops_per_transaction = 1");
        DebeziumTest.exec(t.src, "ALTER SYSTEM SET oltp_sim.batch_rows = 30");
        Map<String, Integer> w = new TreeMap<>();
        for (String op : OPS) {
            w.put(op, op.endsWith("_paciente") ? 3 : op.equals("import_resultados") ? 1 : 5);
        }
        setWeights(t, w);
        t.reload();
        Round r = new Round();
        int start = t.events.size();
        r.s0 = DebeziumTest.counters(t.src);
        Map<String, Long> done0 = DebeziumTest.perOperation(t.src, "committed");
        t.stream(600);
        t.pause();
        r.gotMarker = t.marker("phase4");
        r.s1 = DebeziumTest.counters(t.src);
        Map<String, Long> done = DebeziumTest.minus(DebeziumTest.perOperation(t.src, "committed"), done0);
        r.rekeys = done.get("rekey_paciente");
        r.erasures = done.get("erase_paciente");
        List<Event> all = t.events.snapshot();
        r.events = all.subList(start, all.size());
        return r;
    }

    /** The deletes of a round: how many, how many are key changes, and what is wrong with them. */
    static final class Deletes {
        long deletes;
        long keyChanges;
        final List<String> bad = new ArrayList<>();
    }

    /** Each delete followed by its tombstone; a key change: DELETE (newkey header), tombstone, CREATE (oldkey header). */
    static Deletes readDeletes(List<Event> mine) {
        Deletes d = new Deletes();
        for (int i = 0; i < mine.size(); i++) {
            Event e = mine.get(i);
            if (!"data".equals(e.kind) || !"d".equals(e.op())) {
                continue;
            }
            d.deletes++;
            Event next = i + 1 < mine.size() ? mine.get(i + 1) : null;
            if (next == null || next.value != null || !String.valueOf(next.key).equals(String.valueOf(e.key))) {
                d.bad.add("delete of " + e.table() + " " + e.key + " not followed by its tombstone");
            }
            String newKey = e.headers.get("__debezium.newkey");
            if (newKey == null) {
                continue;
            }
            d.keyChanges++;
            Event create = i + 2 < mine.size() ? mine.get(i + 2) : null;
            String oldId = e.key.path("id").asText();
            if (create == null || !"c".equals(create.op()) || !e.table().equals(create.table())
                    || !oldId.equals(keyId(create.headers.get("__debezium.oldkey")))
                    || !create.key.path("id").asText().equals(keyId(newKey))) {
                d.bad.add("key change of " + e.table() + " " + e.key + ": newkey " + newKey + ", then "
                        + (create == null ? "nothing" : create.op() + " " + create.key + " oldkey " + create.headers.get("__debezium.oldkey")));
            }
        }
        return d;
    }

    static void checkKeyChanges(DebeziumTest t, Round r, Deletes d) {
        t.check(r.gotMarker && r.rekeys > 0 && d.keyChanges == r.rekeys && d.bad.isEmpty(),
                "key changes: " + r.rekeys + " renumberings arrive as DELETE (__debezium.newkey) + tombstone + CREATE (__debezium.oldkey)",
                "renumberings " + r.rekeys + ", key changes seen " + d.keyChanges + "; " + DebeziumTest.firstFive(d.bad));
    }

    static void checkTombstoneAfterEachDelete(DebeziumTest t, Round r, Deletes d) {
        t.check(r.erasures > 0 && d.deletes > 0 && d.bad.stream().noneMatch(s -> s.contains("tombstone")),
                "deletes: each of " + d.deletes + " DELETE events (" + r.erasures + " erasures, key changes) is followed by its tombstone",
                DebeziumTest.firstFive(d.bad));
    }

    /** Events per table and op = committed counters, a key change moved from u to d + c. */
    static void checkEventsEqualCounters(DebeziumTest t, Round r, Deletes d) {
        Map<String, Long> expected = DebeziumTest.minus(r.s1, r.s0);
        expected.merge("pacientes u", -d.keyChanges, Long::sum);
        expected.merge("pacientes d", d.keyChanges, Long::sum);
        expected.merge("pacientes c", d.keyChanges, Long::sum);
        Map<String, Long> got = DebeziumTest.perTableOp(r.events);
        t.check(DebeziumTest.withoutZeros(expected).equals(got),
                "erasures, renumberings, admissions, imports: events per table and op = committed counters "
                        + "(cascaded child updates included)",
                "committed " + DebeziumTest.withoutZeros(expected) + "\nevents " + got);
    }

    /**
     * A long transaction: held open while another transaction commits,
     * ended early by oltp_stop(); it arrives after the other one, whole.
     */
    static void checkLongTransaction(DebeziumTest t) throws Exception {
        Map<String, Integer> lw = new TreeMap<>();
        lw.put("long_transaction", 1);
        setWeights(t, lw);
        DebeziumTest.exec(t.src, "ALTER SYSTEM SET oltp_sim.long_transaction = '10min'");
        t.reload();
        int lstart = t.events.size();
        DebeziumTest.exec(t.src, "SELECT oltp_start()");
        boolean held = DebeziumTest.poll(t.src, "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE backend_type = "
                + "'oltp_sim hold' AND wait_event_type = 'Extension' AND backend_xid IS NOT NULL)", 60);
        DebeziumTest.exec(t.src, "INSERT INTO pacientes (nome, nascimento, cpf) VALUES ('Durante Debezium', '2000-01-01', 'durante-dbz')");
        t.pause();
        boolean gotMarker2 = t.marker("phase4-long");
        List<Event> after = t.events.snapshot();
        after = after.subList(lstart, after.size());
        int during = -1;
        long longTx = -1;
        List<Integer> longIdx = new ArrayList<>();
        for (int i = 0; i < after.size(); i++) {
            Event e = after.get(i);
            if (!"data".equals(e.kind) || e.value == null) {
                continue;
            }
            if ("pacientes".equals(e.table()) && "durante-dbz".equals(e.value.path("after").path("cpf").asText())) {
                during = i;
            } else if ("consultas".equals(e.table()) && "c".equals(e.op()) && longTx < 0) {
                longTx = e.txId();
            }
            if (longTx >= 0 && e.txId() == longTx) {
                longIdx.add(i);
            }
        }
        boolean contiguous = !longIdx.isEmpty() && longIdx.get(longIdx.size() - 1) - longIdx.get(0) == longIdx.size() - 1;
        t.check(held && gotMarker2 && during >= 0 && !longIdx.isEmpty() && during < longIdx.get(0)
                        && contiguous && longIdx.size() == 2,
                "long transaction: its 2 events arrive after the transaction that committed while it was open, together",
                "held " + held + ", marker " + gotMarker2 + ", other commit at " + during + ", long transaction " + longTx
                        + " events at " + longIdx);
        DebeziumTest.exec(t.src, "ALTER SYSTEM RESET oltp_sim.long_transaction");
        t.reload();
    }

    /** The rebuild from every event still equals the source. */
    static void checkRebuildEqualsSource(DebeziumTest t) throws Exception {
        Rebuild again = new Rebuild(t.src, t.rebuildConn, t.tables);
        DebeziumTest.Ledger whole = DebeziumTest.Ledger.of(t.full, t.events.snapshot());
        List<String> diffs = again.rebuildFrom(whole.firstDelivery);
        t.check(diffs.isEmpty(), "after erasures and key changes the rebuild still equals the source, every table and row",
                String.join("\n", diffs));
    }
}
