package oltpsim;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
        for (String op : DebeziumTest.failures(t.src, "weight").keySet()) {
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

    static void run(DebeziumTest t, List<String> tables, Set<String> full) throws Exception {
        DebeziumTest.exec(t.src, "ALTER SYSTEM SET oltp_sim.ops_per_transaction = 1");
        DebeziumTest.exec(t.src, "ALTER SYSTEM SET oltp_sim.batch_rows = 30");
        Map<String, Integer> w = new TreeMap<>();
        for (String op : OPS) {
            w.put(op, op.endsWith("_paciente") ? 3 : op.equals("import_resultados") ? 1 : 5);
        }
        setWeights(t, w);
        t.reload();
        int start = t.events.size();
        Map<String, Long> s0 = DebeziumTest.counters(t.src);
        Map<String, Long> done0 = DebeziumTest.failures(t.src, "committed");
        t.stream(600);
        t.pause();
        boolean gotMarker = t.marker("phase4");
        Map<String, Long> s1 = DebeziumTest.counters(t.src);
        long rekeys = DebeziumTest.failures(t.src, "committed").get("rekey_paciente") - done0.get("rekey_paciente");
        long erasures = DebeziumTest.failures(t.src, "committed").get("erase_paciente") - done0.get("erase_paciente");
        List<Event> all = t.events.snapshot();
        List<Event> mine = all.subList(start, all.size());

        // key changes: DELETE (newkey header), tombstone, CREATE (oldkey header)
        long keyChanges = 0;
        List<String> bad = new ArrayList<>();
        long deletes = 0;
        for (int i = 0; i < mine.size(); i++) {
            Event e = mine.get(i);
            if (!"data".equals(e.kind) || !"d".equals(e.op())) {
                continue;
            }
            deletes++;
            Event next = i + 1 < mine.size() ? mine.get(i + 1) : null;
            if (next == null || next.value != null || !String.valueOf(next.key).equals(String.valueOf(e.key))) {
                bad.add("delete of " + e.table() + " " + e.key + " not followed by its tombstone");
            }
            String newKey = e.headers.get("__debezium.newkey");
            if (newKey == null) {
                continue;
            }
            keyChanges++;
            Event create = i + 2 < mine.size() ? mine.get(i + 2) : null;
            String oldId = e.key.path("id").asText();
            if (create == null || !"c".equals(create.op()) || !e.table().equals(create.table())
                    || !oldId.equals(keyId(create.headers.get("__debezium.oldkey")))
                    || !create.key.path("id").asText().equals(keyId(newKey))) {
                bad.add("key change of " + e.table() + " " + e.key + ": newkey " + newKey + ", then "
                        + (create == null ? "nothing" : create.op() + " " + create.key + " oldkey " + create.headers.get("__debezium.oldkey")));
            }
        }
        t.check(gotMarker && rekeys > 0 && keyChanges == rekeys && bad.isEmpty(),
                "key changes: " + rekeys + " renumberings arrive as DELETE (__debezium.newkey) + tombstone + CREATE (__debezium.oldkey)",
                "renumberings " + rekeys + ", key changes seen " + keyChanges + "; " + String.join("\n", bad.subList(0, Math.min(5, bad.size()))));
        t.check(erasures > 0 && deletes > 0 && bad.stream().noneMatch(s -> s.contains("tombstone")),
                "deletes: each of " + deletes + " DELETE events (" + erasures + " erasures, key changes) is followed by its tombstone",
                String.join("\n", bad.subList(0, Math.min(5, bad.size()))));

        // events per table and op = committed counters, a key change moved from u to d + c
        Map<String, Long> expected = DebeziumTest.minus(s1, s0);
        expected.merge("pacientes u", -keyChanges, Long::sum);
        expected.merge("pacientes d", keyChanges, Long::sum);
        expected.merge("pacientes c", keyChanges, Long::sum);
        Map<String, Long> got = new TreeMap<>();
        for (Event e : mine) {
            if ("data".equals(e.kind) && e.value != null) {
                got.merge(e.table() + " " + e.op(), 1L, Long::sum);
            }
        }
        t.check(DebeziumTest.withoutZeros(expected).equals(got),
                "erasures, renumberings, admissions, imports: events per table and op = committed counters "
                        + "(cascaded child updates included)",
                "committed " + DebeziumTest.withoutZeros(expected) + "\nevents " + got);

        // a long transaction: held open while another transaction commits,
        // ended early by oltp_stop(); it arrives after the other one, whole
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

        // the rebuild from every event still equals the source
        DebeziumTest.exec(t.src, "ALTER SYSTEM RESET oltp_sim.long_transaction");
        t.reload();
        Rebuild again = new Rebuild(t.src, t.rebuildConn, tables);
        DebeziumTest.Ledger whole = new DebeziumTest.Ledger(full);
        for (Event ev : t.events.snapshot()) {
            whole.feed(ev, false);
        }
        List<String> diffs = again.rebuildFrom(whole.firstDelivery);
        t.check(diffs.isEmpty(), "after erasures and key changes the rebuild still equals the source, every table and row",
                String.join("\n", diffs));
    }
}
