package oltpsim.pipeline;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The change events in Kafka, read back from the table topics, from their
 * first record to the end they have now.
 */
final class Events {
    private Events() {
    }

    /** Every record of the topics, in each partition's order. */
    static void read(String bootstrap, List<String> topics, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Map<String, Object> conf = new HashMap<>();
        conf.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        conf.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        conf.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        conf.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        conf.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(conf)) {
            List<TopicPartition> parts = new ArrayList<>();
            Map<String, List<PartitionInfo>> known = c.listTopics(Duration.ofSeconds(30));
            for (String t : topics) {
                for (PartitionInfo p : known.getOrDefault(t, List.of())) {
                    parts.add(new TopicPartition(t, p.partition()));
                }
            }
            if (parts.isEmpty()) {
                return;
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
            Map<TopicPartition, Long> left = new HashMap<>();
            end.forEach((p, o) -> {
                if (o > c.position(p, Duration.ofSeconds(30))) {
                    left.put(p, o);
                }
            });
            while (!left.isEmpty()) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofSeconds(5))) {
                    TopicPartition p = new TopicPartition(r.topic(), r.partition());
                    Long stop = left.get(p);
                    if (stop == null || r.offset() >= stop) {
                        continue;
                    }
                    each.accept(r);
                    if (r.offset() + 1 >= stop) {
                        left.remove(p);
                    }
                }
            }
        }
    }

    static boolean hasHeader(ConsumerRecord<byte[], byte[]> r, String name) {
        for (Header h : r.headers()) {
            if (name.equals(h.key())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Data events per "table op" (op: r for the snapshot, c, u, d, t for the
     * stream), tombstones left out.  A change of a row's key (rekey_paciente)
     * reaches Kafka as a delete carrying the header __debezium.newkey and a
     * create carrying __debezium.oldkey: counted once, as the update it was.
     */
    static Map<String, Long> count(String bootstrap, String prefix, Iterable<String> tables) {
        Map<String, String> topicTable = new HashMap<>();
        for (String t : tables) {
            topicTable.put(prefix + ".public." + t, t);
        }
        Map<String, Long> out = new TreeMap<>();
        read(bootstrap, new ArrayList<>(topicTable.keySet()), r -> {
            if (r.value() == null) {
                return;
            }
            try {
                JsonNode v = Connect.JSON.readTree(r.value());
                String op = v.path("payload").path("op").asText();
                if (op.isEmpty()) {
                    return;
                }
                if ("d".equals(op) && hasHeader(r, "__debezium.newkey")) {
                    return;
                }
                if ("c".equals(op) && hasHeader(r, "__debezium.oldkey")) {
                    op = "u";
                }
                out.merge(topicTable.get(r.topic()) + " " + op, 1L, Long::sum);
            } catch (java.io.IOException e) {
                out.merge(topicTable.get(r.topic()) + " unreadable", 1L, Long::sum);
            }
        });
        return out;
    }
}
