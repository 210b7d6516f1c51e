package dev.sidflow.stream;

import dev.sidflow.data.Dataset;
import dev.sidflow.data.DatasetStore;
import dev.sidflow.data.Item;
import dev.sidflow.model.TinyBundle;
import dev.sidflow.schema.DeadLetter;
import dev.sidflow.schema.Recommendation;
import dev.sidflow.schema.RecommendedItem;
import dev.sidflow.stream.kafka.EmbeddedKafka;
import dev.sidflow.stream.serde.RecordCodec;
import dev.sidflow.stream.serde.WireFormat;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every request kind through the real-time job (in-process broker, MiniCluster, RocksDB,
 * exactly-once sink, real tiny bundle): REQUEST events in JSON, as a client would write them by
 * hand; committed recommendations and dead letters out.
 */
class RequestKindsIT {

    @Test
    void eachRequestKindIsAnsweredAndMalformedRequestsAreDeadLettered(@TempDir Path dir) throws Exception {
        Dataset data = DatasetStore.read(TinyBundle.data());
        Map<String, Item> items = new HashMap<>();
        for (Item it : data.items()) items.put(it.itemId(), it);
        Item pcGame = data.items().stream().filter(i -> "PC".equals(i.attributes().get("platform"))
                && "game".equals(i.attributes().get("kind"))).findFirst().orElseThrow();
        Item other = data.items().stream().filter(i -> "Switch".equals(i.attributes().get("platform"))).findFirst().orElseThrow();
        String seedSid = dev.sidflow.model.ModelBundle.open(TinyBundle.dir()).sids().get(pcGame.itemId()).toString();

        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            for (String t : List.of("ev", "cat", "recs", "dlq")) kafka.createTopic(t, 1);
            JobClient job = JobRunner.start(JobRunner.prepareLocal(spec(dir, kafka), false));
            long t = System.currentTimeMillis() - 60_000;
            List<String> events = new ArrayList<>(List.of(
                    event("h1", "u1", other.itemId(), "PURCHASE", t, null, "{}"),
                    event("next", "u1", null, "REQUEST", t + 1, null, "{}"),
                    event("similar", "u1", null, "REQUEST", t + 2, null, "{\"seed_sid\":\"" + seedSid + "\"}"),
                    event("text", "u1", null, "REQUEST", t + 3, "\"a wireless controller for the Xbox\"", "{}"),
                    event("steer", "u1", null, "REQUEST", t + 4, null, "{\"seed\":\"" + pcGame.itemId() + "\",\"where.platform\":\"Xbox\"}"),
                    event("turn1", "u2", null, "REQUEST", t + 5, null, "{\"seed\":\"" + pcGame.itemId() + "\",\"session\":\"s\"}"),
                    event("turn2", "u2", null, "REQUEST", t + 6, null, "{\"where.platform\":\"Switch\",\"session\":\"s\"}"),
                    // malformed: unknown kind, empty text, unknown seed item, unbound SID, unknown attribute
                    event("bad-kind", "u3", null, "REQUEST", t + 7, null, "{\"request\":\"teleport\"}"),
                    event("bad-text", "u3", null, "REQUEST", t + 8, "\"\"", "{\"request\":\"text\"}"),
                    event("bad-seed", "u3", null, "REQUEST", t + 9, null, "{\"seed\":\"no-such-item\"}"),
                    event("bad-sid", "u3", null, "REQUEST", t + 10, null,
                            "{\"seed_sid\":\"<|sid_start|><|sid_255|><|sid_511|><|sid_767|><|sid_1023|><|sid_end|>\"}"),
                    event("bad-attr", "u3", null, "REQUEST", t + 11, null, "{\"seed\":\"" + pcGame.itemId() + "\",\"where.colour\":\"red\"}")));
            Map<String, Recommendation> recs = new HashMap<>();
            Map<String, String> dead = new HashMap<>();
            try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
                for (String e : events) producer.send(new ProducerRecord<>("ev", null, e.getBytes(StandardCharsets.UTF_8)));
                producer.flush();
                read(kafka, recs, dead, 7, 5, Duration.ofSeconds(90));
            } finally {
                job.cancel().get();
            }

            assertThat(recs.keySet()).containsExactlyInAnyOrder("h1", "next", "similar", "text", "steer", "turn1", "turn2");
            assertThat(recs.values()).allSatisfy(r -> assertThat(r.getItems()).isNotEmpty()
                    .allSatisfy(i -> {
                        assertThat(i.getMatchLevel()).isEqualTo(4);
                        assertThat(i.getReason()).isNotBlank();
                    }));
            assertThat(recs.get("similar").getItems()).extracting(RecommendedItem::getItemId).doesNotContain(pcGame.itemId());
            assertThat(recs.get("text").getItems().get(0).getReason()).startsWith("text similarity");
            assertThat(recs.get("steer").getItems()).allSatisfy(i -> assertThat(items.get(i.getItemId()).attributes().get("platform")).isEqualTo("Xbox"));
            // the follow-up kept the seed of turn 1 and changed the platform
            assertThat(recs.get("turn2").getItems()).allSatisfy(i -> {
                assertThat(items.get(i.getItemId()).attributes().get("platform")).isEqualTo("Switch");
                assertThat(i.getReason()).contains("(the seed)").endsWith("matches platform=Switch");
            });
            assertThat(dead).containsExactlyInAnyOrderEntriesOf(Map.of("bad-kind", "BAD_REQUEST", "bad-text", "BAD_REQUEST",
                    "bad-seed", "UNKNOWN_ITEM", "bad-sid", "UNKNOWN_ITEM", "bad-attr", "UNKNOWN_ATTRIBUTE"));
        }
    }

    private static String event(String id, String user, String item, String type, long time, String query, String attrs) {
        return "{\"event_id\":\"" + id + "\",\"user_id\":\"" + user + "\",\"item_id\":" + (item == null ? "null" : "\"" + item + "\"")
                + ",\"event_type\":\"" + type + "\",\"event_time\":" + time + ",\"query\":" + query + ",\"attributes\":" + attrs + "}";
    }

    private static JobSpec spec(Path dir, EmbeddedKafka kafka) throws Exception {
        Path file = dir.resolve("realtime.yaml");
        Files.writeString(file, String.join("\n",
                "name: requests-it",
                "mode: realtime",
                "kafka:",
                "  bootstrap: " + kafka.bootstrapServers(),
                "  groupId: requests-it",
                "  startingOffsets: earliest",
                "  format: avro",
                "  topics: {events: ev, catalog: cat, recommendations: recs, deadLetters: dlq}",
                "bundle: " + TinyBundle.dir(),
                "device: cpu",
                "batching: {maxBatchSize: 16, maxDelay: 20ms}",
                "history: {length: 10, dedupWindow: 16, ttl: 30d}",
                "checkpoints: {interval: 1s, dir: " + dir.resolve("checkpoints") + ", incremental: true}",
                "web: {port: 0}"));
        return JobSpec.load(file);
    }

    /** Committed output until the expected counts arrive; dead letters keyed by the event id in their raw JSON. */
    private static void read(EmbeddedKafka kafka, Map<String, Recommendation> recs, Map<String, String> dead,
                             int recCount, int deadCount, Duration timeout) {
        RecordCodec<Recommendation> recCodec = RecordCodec.of(Recommendation.class, WireFormat.AVRO);
        RecordCodec<DeadLetter> dlCodec = RecordCodec.of(DeadLetter.class, WireFormat.AVRO);
        long deadline = System.nanoTime() + timeout.toNanos();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of("recs", "dlq"));
            while (System.nanoTime() < deadline && (recs.size() < recCount || dead.size() < deadCount)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.topic().equals("recs")) {
                        Recommendation rec = recCodec.decode(r.value());
                        recs.put(rec.getRequestKey(), rec);
                    } else {
                        DeadLetter d = dlCodec.decode(r.value());
                        String raw = StandardCharsets.UTF_8.decode(d.getRawValue()).toString();
                        String id = raw.substring(raw.indexOf("\"event_id\":\"") + 12);
                        dead.put(id.substring(0, id.indexOf('"')), d.getErrorClass());
                    }
                }
            }
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(EmbeddedKafka kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }
}
