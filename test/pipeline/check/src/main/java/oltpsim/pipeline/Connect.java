package oltpsim.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.io.FileReader;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Kafka Connect's side: the connectors set through its REST API, and the
 * wait until everything the source committed is in the sink.
 */
final class Connect {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private Connect() {
    }

    /**
     * The source connector's settings: connector.properties as it is, but
     * where to connect, and without the embedded engine's offset.* keys
     * (Kafka Connect keeps offsets in its own topic).
     */
    static Map<String, String> sourceConfig(Pipeline p) throws Exception {
        Properties props = new Properties();
        try (Reader r = new FileReader(p.need("properties"), StandardCharsets.UTF_8)) {
            props.load(r);
        }
        Map<String, String> c = new TreeMap<>();
        for (String k : props.stringPropertyNames()) {
            if (!k.startsWith("offset.")) {
                c.put(k, props.getProperty(k));
            }
        }
        c.put("database.hostname", "127.0.0.1");
        c.put("database.port", p.need("source-port"));
        return c;
    }

    static int configure(Pipeline p) throws Exception {
        String rest = p.need("rest");
        Map<String, String> source = sourceConfig(p);
        String name = source.remove("name");
        String prefix = source.get("topic.prefix");
        p.arg.put("topic-prefix", prefix);
        Map<String, Map<String, String>> all = new LinkedHashMap<>();
        try (Connection src = p.connect("source")) {
            all.putAll(Sink.configs(p, Pipeline.tables(src), prefix));
        }
        all.put(name, source);
        // the sinks first: they wait for their topics; the source then snapshots
        for (Map.Entry<String, Map<String, String>> c : all.entrySet()) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(rest + "/connectors/" + c.getKey() + "/config"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(c.getValue()))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                System.err.println("error: Kafka Connect refused connector " + c.getKey() + ": HTTP " + r.statusCode() + " " + r.body());
                return 1;
            }
            Pipeline.progress("connector " + c.getKey() + " configured");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(p.get("timeout", "120"))).toNanos();
        for (String c : all.keySet()) {
            String state = null;
            while (System.nanoTime() < deadline) {
                state = status(rest, c);
                if (state.equals("RUNNING RUNNING")) {
                    break;
                }
                if (state.contains("FAILED")) {
                    break;
                }
                Thread.sleep(500);
            }
            if (!"RUNNING RUNNING".equals(state)) {
                System.err.println("error: connector " + c + " is not running: " + state + "\n" + trace(rest, c));
                return 1;
            }
        }
        // the names tools/pipeline needs: the connectors, their consumer groups' topics
        for (Map.Entry<String, Map<String, String>> c : all.entrySet()) {
            Map<String, String> v = c.getValue();
            String topics = v.containsKey("topics.regex") ? v.get("topics.regex")
                    : v.containsKey("topics") ? Pattern.quote(v.get("topics")) : "";
            System.out.println(c.getKey() + "\t" + topics);
        }
        return 0;
    }

    /** "CONNECTOR_STATE TASK_STATES", e.g. "RUNNING RUNNING", or "MISSING". */
    static String status(String rest, String name) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(rest + "/connectors/" + name + "/status")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            return "MISSING";
        }
        JsonNode s = JSON.readTree(r.body());
        StringBuilder sb = new StringBuilder(s.path("connector").path("state").asText());
        if (s.path("tasks").isEmpty()) {
            sb.append(" NO_TASKS");
        }
        for (JsonNode t : s.path("tasks")) {
            sb.append(' ').append(t.path("state").asText());
        }
        return sb.toString();
    }

    /** The first lines of a failed task's trace. */
    static String trace(String rest, String name) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(rest + "/connectors/" + name + "/status")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        StringBuilder sb = new StringBuilder();
        for (JsonNode t : JSON.readTree(r.body()).path("tasks")) {
            String tr = t.path("trace").asText("");
            if (!tr.isEmpty()) {
                String[] lines = tr.split("\n");
                for (int i = 0; i < Math.min(lines.length, 12); i++) {
                    sb.append("    ").append(lines[i]).append('\n');
                }
            }
        }
        return sb.toString();
    }

    static Admin admin(String bootstrap) {
        Map<String, Object> conf = new HashMap<>();
        conf.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        conf.put(AdminClientConfig.CLIENT_ID_CONFIG, "oltp-sim-pipeline");
        return Admin.create(conf);
    }

    /**
     * Records not yet consumed by a consumer group, over the topics matching
     * a regex: per topic, the end offset minus the group's committed offset
     * (the whole topic when it has committed none).
     */
    static Map<String, Long> lag(Admin admin, String group, Pattern topics) throws Exception {
        Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
        for (String t : admin.listTopics().names().get()) {
            if (topics.matcher(t).matches()) {
                for (var part : admin.describeTopics(java.util.List.of(t)).allTopicNames().get().get(t).partitions()) {
                    ask.put(new TopicPartition(t, part.partition()), OffsetSpec.latest());
                }
            }
        }
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        Map<String, Long> out = new TreeMap<>();
        if (ask.isEmpty()) {
            return out;
        }
        for (var e : admin.listOffsets(ask).all().get().entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            long lag = e.getValue().offset() - (c == null ? 0 : c.offset());
            if (lag != 0) {
                out.merge(e.getKey().topic(), lag, Long::sum);
            }
        }
        return out;
    }

    /**
     * Waits until the replication slot has confirmed past --lsn and every
     * sink connector's group has consumed its topics (--sinks: lines
     * "name<TAB>topic regex", as configure printed them); progress every
     * few seconds.  Exits 1 after --timeout seconds, or when a sink task
     * has failed, saying which.
     */
    static int drain(Pipeline p) throws Exception {
        String rest = p.need("rest");
        Map<String, Pattern> sinks = new LinkedHashMap<>();
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(p.need("sinks")))) {
            String[] f = line.split("\t", 2);
            if (f.length == 2 && !f[1].isEmpty()) {
                sinks.put(f[0], Pattern.compile(f[1]));
            }
        }
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(Long.parseLong(p.get("timeout", "600"))).toNanos();
        long lastSaid = 0;
        java.util.Set<String> said = new java.util.HashSet<>();
        try (Admin admin = admin(p.need("bootstrap")); Connection src = p.connect("source")) {
            while (true) {
                String confirmed = Pipeline.one(src, "SELECT confirmed_flush_lsn::text FROM pg_catalog.pg_replication_slots "
                        + "WHERE slot_name = ?", p.need("slot"));
                boolean slotOk = "t".equals(Pipeline.one(src, "SELECT ?::pg_catalog.pg_lsn <= ?::pg_catalog.pg_lsn",
                        p.need("lsn"), confirmed == null ? "0/0" : confirmed));
                Map<String, Long> lags = new TreeMap<>();
                Map<String, String> failed = new TreeMap<>();
                long total = 0;
                for (Map.Entry<String, Pattern> s : sinks.entrySet()) {
                    Map<String, Long> l = lag(admin, "connect-" + s.getKey(), s.getValue());
                    long sum = l.values().stream().mapToLong(Long::longValue).sum();
                    lags.put(s.getKey(), sum);
                    total += sum;
                    String st = status(rest, s.getKey());
                    if (sum > 0 && !st.equals("RUNNING RUNNING")) {
                        failed.put(s.getKey(), st);
                    }
                }
                long now = System.nanoTime();
                if (slotOk && total == 0) {
                    Pipeline.progress(String.format("drained in %.1f s: slot %s confirmed past %s, no consumer lag",
                            (now - start) / 1e9, p.need("slot"), p.need("lsn")));
                    return 0;
                }
                if (!failed.isEmpty()) {
                    // a failed task never drains: say so once, with its error, and let the report show what arrived
                    for (Map.Entry<String, String> f : failed.entrySet()) {
                        if (said.add(f.getKey())) {
                            Pipeline.progress("sink connector " + f.getKey() + " is " + f.getValue() + " with "
                                    + lags.get(f.getKey()) + " records unconsumed:\n" + trace(rest, f.getKey()));
                        }
                    }
                    if (slotOk && total == failed.keySet().stream().mapToLong(lags::get).sum()) {
                        return 3;
                    }
                }
                if (now > deadline) {
                    Pipeline.progress("not drained after " + p.get("timeout", "600") + " s: slot confirmed " + confirmed
                            + " (stop at " + p.need("lsn") + "), consumer lag " + lags);
                    return 1;
                }
                if (now - lastSaid > 5_000_000_000L) {
                    Pipeline.progress(String.format("draining (%.0f s): slot confirmed %s, stop at %s; records not yet in the sink: %s",
                            (now - start) / 1e9, confirmed, p.need("lsn"), lags));
                    lastSaid = now;
                }
                Thread.sleep(500);
            }
        }
    }
}
