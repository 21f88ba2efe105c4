package oltpsim;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * tools/debezium: the engine with connector.properties against a running
 * server, each event printed as one JSON line as it arrives (op, table, key,
 * before, after, source LSN and txId; messages with their prefix and decoded
 * content), until interrupted or for --seconds N.
 *
 * Arguments: --properties F --offsets F [--port P] [--host H] [--slot S]
 * [--snapshot initial|no_data] [--seconds N] [--transactions on]
 */
public final class Live {
    public static void main(String[] args) throws Exception {
        Map<String, String> arg = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            arg.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Map<String, String> o = new HashMap<>();
        o.put("offset.storage.file.filename", arg.get("offsets"));
        for (String[] kv : new String[][] {{"host", "database.hostname"}, {"port", "database.port"},
                {"slot", "slot.name"}, {"snapshot", "snapshot.mode"}}) {
            if (arg.containsKey(kv[0])) {
                o.put(kv[1], arg.get(kv[0]));
            }
        }
        boolean transactions = "on".equals(arg.get("transactions"));
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        CountDownLatch done = new CountDownLatch(1);
        Engine engine = new Engine(Engine.settings(Path.of(arg.get("properties")), o), e -> {
            ObjectNode line = line(e, transactions);
            if (line != null) {
                out.println(line);
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                engine.close();
            } catch (Exception ignored) {
                // stopping anyway
            }
            done.countDown();
        }));
        long seconds = Long.parseLong(arg.getOrDefault("seconds", "0"));
        long deadline = seconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds) : Long.MAX_VALUE;
        while (!engine.finished() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        if (engine.failure() != null) {
            System.err.println("error: the Debezium engine stopped: " + engine.failure());
            System.exit(1);
        }
        System.exit(0);
    }

    /** The JSON line of an event; null for a heartbeat, and for a transaction event unless asked for. */
    static ObjectNode line(Event e, boolean transactions) {
        ObjectNode line = Engine.JSON.createObjectNode();
        switch (e.kind) {
            case "heartbeat":
                return null;
            case "transaction":
                if (!transactions) {
                    return null;
                }
                line.put("transaction", e.value.path("status").asText());
                line.set("id", e.value.get("id"));
                line.set("event_count", e.value.get("event_count"));
                line.set("data_collections", e.value.get("data_collections"));
                break;
            case "message":
                line.put("op", "m");
                line.put("prefix", e.messagePrefix());
                line.put("content", e.messageContent());
                line.set("lsn", e.source().get("lsn"));
                line.set("txId", e.source().get("txId"));
                break;
            default:
                line.put("op", e.op());
                line.put("table", e.table());
                line.set("key", e.key);
                if (e.value != null) {
                    line.set("before", e.value.get("before"));
                    line.set("after", e.value.get("after"));
                    line.set("lsn", e.source().get("lsn"));
                    line.set("txId", e.source().get("txId"));
                }
                break;
        }
        return line;
    }
}
