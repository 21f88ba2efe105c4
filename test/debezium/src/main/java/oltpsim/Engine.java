package oltpsim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.Header;
import io.debezium.engine.format.Json;
import io.debezium.engine.format.KeyValueHeaderChangeEventFormat;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Debezium's embedded engine with the PostgreSQL connector, configured from
 * connector.properties (the one source of the settings) plus the overrides
 * of whoever runs it: events come out as JSON (JsonConverter, schemas on),
 * key, value and headers, and are handed to a consumer in the order the
 * connector produced them.
 */
public final class Engine implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final DebeziumEngine<ChangeEvent<String, String>> engine;
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private volatile Throwable failure;
    private volatile boolean finished;

    /** The settings: the properties file, then the overrides, in that order. */
    public static Properties settings(Path file, Map<String, String> overrides) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        overrides.forEach(p::setProperty);
        return p;
    }

    public Engine(Properties settings, Consumer<Event> consumer) {
        engine = DebeziumEngine.create(KeyValueHeaderChangeEventFormat.of(Json.class, Json.class, Json.class))
                .using(settings)
                .using((success, message, error) -> {
                    if (!success) {
                        failure = error != null ? error : new IllegalStateException(message);
                    }
                    finished = true;
                })
                .notifying(record -> consumer.accept(Event.parse(record.destination(), record.key(),
                        record.value(), headers(record))))
                .build();
        executor.execute(engine);
    }

    private static Map<String, String> headers(ChangeEvent<String, String> record) {
        Map<String, String> h = new HashMap<>();
        for (Header<Object> header : record.<Object>headers()) {
            h.put(header.getKey(), String.valueOf(header.getValue()));
        }
        return h;
    }

    /** Why the engine stopped by itself, or null while it runs. */
    public Throwable failure() {
        return failure;
    }

    public boolean finished() {
        return finished;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        engine.close();
        executor.shutdown();
        if (!executor.awaitTermination(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the Debezium engine did not stop within 60 s");
        }
    }

    /**
     * The offsets a FileOffsetBackingStore holds: a serialized map of JSON
     * key to JSON value; the value is the connector's position (lsn,
     * lsn_commit, lsn_proc, txId, ...).
     */
    public static JsonNode storedOffset(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        try (ObjectInputStream in = new ObjectInputStream(new FileInputStream(file.toFile()))) {
            Object o = in.readObject();
            JsonNode last = null;
            if (o instanceof Map<?, ?> map) {
                for (Object v : map.values()) {
                    byte[] bytes = v instanceof byte[] b ? b : ((java.nio.ByteBuffer) v).array();
                    last = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
                }
            }
            return last;
        } catch (ClassNotFoundException e) {
            throw new IOException(e);
        }
    }

    /** Collects events for a thread that reads them later. */
    public static final class Collector implements Consumer<Event> {
        private final List<Event> events = new ArrayList<>();

        @Override
        public synchronized void accept(Event e) {
            events.add(e);
            notifyAll();
        }

        public synchronized List<Event> snapshot() {
            return new ArrayList<>(events);
        }

        public synchronized int size() {
            return events.size();
        }

        /** The events from index from on, copied at one moment (more may arrive while a caller reads them). */
        public synchronized List<Event> since(int from) {
            return new ArrayList<>(events.subList(from, events.size()));
        }

        /** Waits, at most timeoutMs, until an event matches; true if one did. */
        public synchronized boolean await(java.util.function.Predicate<Event> p, long timeoutMs)
                throws InterruptedException {
            long deadline = System.currentTimeMillis() + timeoutMs;
            int seen = 0;
            while (true) {
                for (; seen < events.size(); seen++) {
                    if (p.test(events.get(seen))) {
                        return true;
                    }
                }
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return false;
                }
                wait(Math.min(left, 500));
            }
        }
    }
}
