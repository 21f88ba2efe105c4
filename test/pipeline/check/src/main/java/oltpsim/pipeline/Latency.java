package oltpsim.pipeline;

import com.fasterxml.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * End-to-end latency, for bench/run: from a transaction's commit on the
 * source to its rows readable in the sink, measured with the watermarks.
 * The source runs with oltp_sim.watermark_every = 1 (and one operation per
 * transaction), so each transaction carries a watermark; its Debezium
 * message event gives the transaction (source.txId) and its commit time
 * (source.ts_us); the change events of that txId give its rows.  In the
 * sink, a deferred constraint trigger on each table logs every row written
 * with clock_timestamp() at its transaction's commit.  A transaction's
 * latency is the time from its commit to the last of its rows logged after
 * that commit.
 *
 *   latency --seconds S --rates R1,R2,...   for each rate: stream S seconds,
 *       pause, wait for the sink, print "rate achieved p50 p99 max n" (ms)
 *   latency --flat-out S                    the worker flat out for S
 *       seconds: print its rate (ops/s)
 */
final class Latency {
    private Latency() {
    }

    static final String LOG_DDL = "CREATE TABLE IF NOT EXISTS pipeline_latency (tbl text, id bigint, at timestamptz); "
            + "CREATE OR REPLACE FUNCTION pipeline_latency_log() RETURNS trigger LANGUAGE plpgsql "
            + "SET search_path = pg_catalog, pg_temp AS $$ BEGIN "
            + "IF TG_OP = 'DELETE' THEN "
            + "INSERT INTO public.pipeline_latency VALUES (TG_TABLE_NAME, OLD.id, pg_catalog.clock_timestamp()); "
            + "ELSE INSERT INTO public.pipeline_latency VALUES (TG_TABLE_NAME, NEW.id, pg_catalog.clock_timestamp()); "
            + "END IF; RETURN NULL; END $$";

    static int run(Pipeline p) throws Exception {
        try (Connection src = p.connect("source"); Connection dst = p.connect("sink")) {
            if (p.arg.containsKey("flat-out")) {
                exec(src, "ALTER SYSTEM SET oltp_sim.rate = 0");
                exec(src, "ALTER SYSTEM SET oltp_sim.interval = 0");
                exec(src, "ALTER SYSTEM SET oltp_sim.jitter = 0");
                reload(src);
                double[] r = stream(src, Integer.parseInt(p.need("flat-out")));
                System.out.printf("%.1f%n", r[0]);
                return 0;
            }
            List<String> tables = new ArrayList<>(Pipeline.tables(src).keySet());
            TABLES = tables;
            try (Statement st = dst.createStatement()) {
                st.execute(LOG_DDL);
                for (String t : tables) {
                    st.execute("DROP TRIGGER IF EXISTS pipeline_latency ON " + Sink.quote(t));
                    st.execute("CREATE CONSTRAINT TRIGGER pipeline_latency AFTER INSERT OR UPDATE OR DELETE ON " + Sink.quote(t)
                            + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pipeline_latency_log()");
                }
            }
            String prefix = p.get("topic-prefix", "oltp");
            int seconds = Integer.parseInt(p.need("seconds"));
            for (String rate : p.need("rates").split(",")) {
                exec(src, "ALTER SYSTEM SET oltp_sim.rate = " + Integer.parseInt(rate));
                reload(src);
                exec(dst, "TRUNCATE pipeline_latency");
                long fromTx = Long.parseLong(Pipeline.one(src, "SELECT pg_catalog.txid_current()"));
                double[] achieved = stream(src, seconds);
                // wait (bounded) until every transaction of the step is readable
                long deadline = System.nanoTime() + 300_000_000_000L;
                List<Long> lat;
                int want;
                do {
                    Thread.sleep(2000);
                    Map<Long, long[]> txs = transactions(p.need("bootstrap"), prefix, tables, fromTx);
                    lat = latencies(dst, txs);
                    want = txs.size();
                } while (lat.size() < want && System.nanoTime() < deadline);
                Collections.sort(lat);
                if (lat.isEmpty()) {
                    System.out.println(rate + " " + String.format("%.1f", achieved[0]) + " - - - 0 " + want);
                    continue;
                }
                System.out.printf("%s %.1f %.1f %.1f %.1f %d %d%n", rate, achieved[0], lat.get(lat.size() / 2) / 1000.0,
                        lat.get(Math.min(lat.size() - 1, (int) Math.ceil(lat.size() * 0.99) - 1)) / 1000.0,
                        lat.get(lat.size() - 1) / 1000.0, lat.size(), want);
                System.out.flush();
            }
        }
        return 0;
    }

    static void exec(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static void reload(Connection src) throws Exception {
        String before = Pipeline.one(src, "SELECT pg_catalog.clock_timestamp()::text");
        exec(src, "SELECT pg_catalog.pg_reload_conf()");
        for (int i = 0; i < 300; i++) {
            if ("t".equals(Pipeline.one(src, "SELECT settings_applied_at > ?::timestamptz FROM oltp_status()", before))) {
                return;
            }
            Thread.sleep(100);
        }
    }

    /** Streams for s seconds, then pauses: {ops/s committed}. */
    static double[] stream(Connection src, int s) throws Exception {
        String[] a = Pipeline.rows(src, "SELECT committed, extract(epoch FROM clock_timestamp()) FROM oltp_status()").get(0);
        exec(src, "SELECT oltp_start()");
        Thread.sleep(s * 1000L);
        exec(src, "SELECT oltp_stop()");
        String[] b = Pipeline.rows(src, "SELECT committed, extract(epoch FROM clock_timestamp()) FROM oltp_status()").get(0);
        for (int i = 0; i < 600 && !"paused".equals(Pipeline.one(src, "SELECT state FROM oltp_status()")); i++) {
            Thread.sleep(100);
        }
        return new double[] {(Long.parseLong(b[0]) - Long.parseLong(a[0])) / (Double.parseDouble(b[1]) - Double.parseDouble(a[1]))};
    }

    /**
     * The transactions since fromTx that carry a watermark: txId to {commit
     * time in us, then (table index, id) pairs of its rows}.
     */
    static Map<Long, long[]> transactions(String bootstrap, String prefix, List<String> tables, long fromTx) {
        Map<Long, Long> commit = new HashMap<>();
        Events.read(bootstrap, List.of(prefix + ".message"), r -> {
            if (r.value() == null) {
                return;
            }
            try {
                JsonNode v = Connect.JSON.readTree(r.value()).path("payload");
                if (!"oltp_sim".equals(v.path("message").path("prefix").asText())) {
                    return;
                }
                JsonNode s = v.path("source");
                long tx = s.path("txId").asLong(-1);
                if (tx >= fromTx) {
                    commit.put(tx, s.has("ts_us") ? s.path("ts_us").asLong() : s.path("ts_ms").asLong() * 1000);
                }
            } catch (java.io.IOException e) {
                // not a message event
            }
        });
        Map<Long, List<Long>> rows = new HashMap<>();
        List<String> topics = new ArrayList<>();
        for (String t : tables) {
            topics.add(prefix + ".public." + t);
        }
        Events.read(bootstrap, topics, r -> {
            if (r.value() == null || r.key() == null) {
                return;
            }
            try {
                JsonNode v = Connect.JSON.readTree(r.value()).path("payload");
                long tx = v.path("source").path("txId").asLong(-1);
                if (!commit.containsKey(tx)) {
                    return;
                }
                JsonNode id = Connect.JSON.readTree(r.key()).path("payload").path("id");
                if (!id.isNumber()) {
                    return;
                }
                long t = tables.indexOf(r.topic().substring(r.topic().lastIndexOf('.') + 1));
                List<Long> l = rows.computeIfAbsent(tx, k -> new ArrayList<>());
                l.add(t);
                l.add(id.asLong());
            } catch (java.io.IOException e) {
                // not a change event
            }
        });
        Map<Long, long[]> out = new TreeMap<>();
        for (Map.Entry<Long, List<Long>> e : rows.entrySet()) {
            long[] a = new long[1 + e.getValue().size()];
            a[0] = commit.get(e.getKey());
            for (int i = 0; i < e.getValue().size(); i++) {
                a[i + 1] = e.getValue().get(i);
            }
            out.put(e.getKey(), a);
        }
        return out;
    }

    /** Microseconds from commit to readable, one per transaction whose rows are all in the sink's log. */
    static List<Long> latencies(Connection dst, Map<Long, long[]> txs) throws Exception {
        Map<String, List<Long>> log = new HashMap<>();
        try (Statement st = dst.createStatement();
             ResultSet rs = st.executeQuery("SELECT tbl, id, (extract(epoch FROM at) * 1000000)::bigint FROM pipeline_latency")) {
            while (rs.next()) {
                log.computeIfAbsent(rs.getString(1) + " " + rs.getLong(2), k -> new ArrayList<>()).add(rs.getLong(3));
            }
        }
        log.values().forEach(Collections::sort);
        List<Long> out = new ArrayList<>();
        for (long[] tx : txs.values()) {
            long worst = -1;
            boolean all = true;
            for (int i = 1; i + 1 < tx.length; i += 2) {
                List<Long> times = log.get(TABLES.get((int) tx[i]) + " " + tx[i + 1]);
                Long first = null;
                if (times != null) {
                    for (long t : times) {
                        if (t >= tx[0]) {
                            first = t;
                            break;
                        }
                    }
                }
                if (first == null) {
                    all = false;
                    break;
                }
                worst = Math.max(worst, first - tx[0]);
            }
            if (all && worst >= 0) {
                out.add(worst);
            }
        }
        return out;
    }

    /** The table names by index, as transactions() numbered them (set by run). */
    static List<String> TABLES = List.of();
}
