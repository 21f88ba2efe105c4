package oltpsim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * One record from the engine, with the fields the tests and the live view
 * read.  kind: "data" (op c, r, u, d; or a tombstone: op null, value null),
 * "message" (op m), "transaction" (BEGIN/END), "heartbeat".
 */
public final class Event {
    public final String topic;
    public final String kind;
    public final JsonNode key;          // payload of the key, or null
    public final JsonNode value;        // payload of the value, or null for a tombstone
    public final JsonNode valueSchema;  // schema of the value, or null
    public final Map<String, String> headers;

    private Event(String topic, String kind, JsonNode key, JsonNode value, JsonNode valueSchema,
                  Map<String, String> headers) {
        this.topic = topic;
        this.kind = kind;
        this.key = key;
        this.value = value;
        this.valueSchema = valueSchema;
        this.headers = headers;
    }

    static Event parse(String topic, String key, String value, Map<String, String> headers) {
        try {
            JsonNode k = key == null ? null : Engine.JSON.readTree(key);
            JsonNode v = value == null ? null : Engine.JSON.readTree(value);
            JsonNode kp = k == null ? null : k.has("payload") ? k.get("payload") : k;
            JsonNode vp = v == null ? null : v.has("payload") ? v.get("payload") : v;
            JsonNode vs = v == null ? null : v.get("schema");
            if (vp instanceof NullNode) {
                vp = null;
            }
            String kind;
            if (topic.startsWith("__debezium-heartbeat")) {
                kind = "heartbeat";
            } else if (topic.endsWith(".transaction")) {
                kind = "transaction";
            } else if (vp != null && "m".equals(vp.path("op").asText())) {
                kind = "message";
            } else {
                kind = "data";
            }
            return new Event(topic, kind, kp, vp, vs, headers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** c, r, u, d, m, t; "tombstone" for a null value. */
    public String op() {
        return value == null ? "tombstone" : value.path("op").asText(null);
    }

    /** The table of a data event (from the topic: prefix.schema.table). */
    public String table() {
        if (value != null && value.has("source") && value.get("source").has("table")) {
            return value.get("source").get("table").asText();
        }
        return topic.substring(topic.lastIndexOf('.') + 1);
    }

    public JsonNode source() {
        return value == null ? null : value.get("source");
    }

    public long lsn() {
        JsonNode s = source();
        return s == null || s.get("lsn").isNull() ? -1 : s.get("lsn").asLong();
    }

    public long txId() {
        JsonNode s = source();
        return s == null || s.get("txId") == null || s.get("txId").isNull() ? -1 : s.get("txId").asLong();
    }

    /** The source's snapshot marker: "true", "first", "last", ..., "false". */
    public String snapshot() {
        JsonNode s = source();
        return s == null || s.get("snapshot") == null ? "false" : s.get("snapshot").asText();
    }

    /** For a message: its prefix, and its content decoded (JsonConverter sends bytes as base64). */
    public String messagePrefix() {
        return value.path("message").path("prefix").asText();
    }

    public String messageContent() {
        String c = value.path("message").path("content").asText();
        return new String(java.util.Base64.getDecoder().decode(c), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The identity of a change in the stream: a redelivered event has the same one. */
    public String identity() {
        return topic + "|" + op() + "|" + lsn() + "|" + txId() + "|" + key;
    }
}
