package dev.sidflow.stream;

import dev.sidflow.data.Dataset;
import dev.sidflow.data.DatasetStore;
import dev.sidflow.data.Interaction;
import dev.sidflow.model.TinyBundle;
import dev.sidflow.schema.CatalogItem;
import dev.sidflow.schema.DeadLetter;
import dev.sidflow.schema.EventType;
import dev.sidflow.schema.InteractionEvent;
import dev.sidflow.schema.Recommendation;
import dev.sidflow.schema.RecommendedItem;
import dev.sidflow.stream.kafka.EmbeddedKafka;
import dev.sidflow.stream.kafka.EventMapping;
import dev.sidflow.stream.kafka.SourceEvent;
import dev.sidflow.stream.serde.RecordCodec;
import dev.sidflow.stream.serde.WireFormat;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real-time job end to end: an in-process Kafka broker, the job on a MiniCluster with RocksDB
 * and exactly-once checkpoints, real trained models. Good and bad events in, committed
 * (read_committed) recommendations and dead letters out: one recommendation per accepted event,
 * no loss, no duplicates, every bad record dead-lettered with its reason, and an item published on
 * the catalog topic after start accepted at once and recommended (cold start).
 */
class RealtimeJobIT {
    /** The text a new item without brand, categories or attributes is embedded from (title. text). */
    private static final String NEW_ITEM_TEXT = "Star Raiders 9 Deluxe Edition. The newest Star Raiders game";
    static EmbeddedKafka kafka;
    /** The committed recommendations of the last read, by request key. */
    private Map<String, Recommendation> committed = Map.of();

    @BeforeAll
    static void up() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopic("ev", 2);
        kafka.createTopic("cat", 1);
        kafka.createTopic("recs", 2);
        kafka.createTopic("dlq", 1);
        kafka.createTopic("ev2", 2);
        kafka.createTopic("cat2", 1);
        kafka.createTopic("recs2", 2);
        kafka.createTopic("dlq2", 1);
        kafka.createTopic("ev3", 2);
        kafka.createTopic("cat3", 1);
        kafka.createTopic("recs3", 1);
        kafka.createTopic("dlq3", 1);
    }

    @AfterAll
    static void down() throws Exception {
        if (kafka != null) kafka.close();
    }

    private JobSpec spec(Path dir) throws Exception {
        return spec(dir, "");
    }

    private JobSpec spec(Path dir, String suffix) throws Exception {
        return spec(dir, suffix, "3650d");
    }

    private JobSpec spec(Path dir, String suffix, String ttl) throws Exception {
        Path file = dir.resolve("realtime.yaml");
        Files.writeString(file, String.join("\n",
                "name: realtime-it",
                "mode: realtime",
                "kafka:",
                "  bootstrap: " + kafka.bootstrapServers(),
                "  groupId: realtime-it",
                "  startingOffsets: earliest",
                "  format: avro",
                "  topics: {events: ev" + suffix + ", catalog: cat" + suffix + ", recommendations: recs" + suffix + ", deadLetters: dlq" + suffix + "}",
                "bundle: " + TinyBundle.dir(),
                "device: cpu",
                "batching: {maxBatchSize: 16, maxDelay: 20ms}",
                // The generated events span 85 days: with a 30-day TTL, users idle for a month would
                // rightly expire mid-test. Expiry is tested on its own (below and in UserHistoryFunctionTest).
                "history: {length: 10, dedupWindow: 16, ttl: " + ttl + "}",
                "watermarks: {maxOutOfOrderness: 5s, idleTimeout: 120s}",
                "checkpoints: {interval: 1s, dir: " + dir.resolve("checkpoints") + ", incremental: true, retainOnCancel: true}",
                "web: {port: 0}"));
        return JobSpec.load(file);
    }

    @Test
    void everyAcceptedEventGetsExactlyOneCommittedRecommendationAndBadInputIsDeadLettered(@TempDir Path dir) throws Exception {
        Dataset data = DatasetStore.read(TinyBundle.data());
        RecordCodec<InteractionEvent> avro = RecordCodec.of(InteractionEvent.class, WireFormat.AVRO);
        RecordCodec<InteractionEvent> json = RecordCodec.of(InteractionEvent.class, WireFormat.JSON);
        List<InteractionEvent> good = new ArrayList<>();
        // recent timestamps: the job rejects events dated more than a day ahead, not old ones
        for (Interaction in : data.interactions().subList(0, 200)) good.add(EventMapping.toEvent(new SourceEvent(in, Map.of())));

        JobClient job = JobRunner.start(JobRunner.prepareLocal(spec(dir), false));
        try (KafkaProducer<byte[], byte[]> producer = CommittedOutput.producer(kafka.bootstrapServers())) {
            producer.send(new ProducerRecord<>("cat", bytes("new-1"), RecordCodec.of(CatalogItem.class, WireFormat.AVRO).encode(
                    CatalogItem.newBuilder().setItemId("new-1").setTitle("Star Raiders 9 Deluxe Edition")
                            .setText("The newest Star Raiders game").setUpdatedAt(Instant.now()).build())));
            for (int i = 0; i < good.size(); i++) {
                InteractionEvent e = good.get(i);
                byte[] value = i % 10 == 0 ? json.encode(e) : avro.encode(e);  // both wire formats on one topic
                producer.send(new ProducerRecord<>("ev", bytes(e.getUserId()), value));
            }
            // bad input: garbage, a duplicate, an unknown item, a missing field, a far-future time
            producer.send(new ProducerRecord<>("ev", null, new byte[] {1, 2, 3, 4, 5}));
            producer.send(new ProducerRecord<>("ev", bytes(good.get(5).getUserId()), avro.encode(good.get(5))));
            producer.send(new ProducerRecord<>("ev", null, avro.encode(copy(good.get(0), b -> b.setEventId("x1").setItemId("no-such-item")))));
            producer.send(new ProducerRecord<>("ev", null, "{\"event_id\":\"x2\",\"user_id\":\"\",\"item_id\":\"i1\",\"event_type\":\"VIEW\",\"event_time\":1}".getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>("ev", null, avro.encode(copy(good.get(0), b -> b.setEventId("x3")
                    .setEventTime(Instant.now().plus(Duration.ofDays(400)))))));
            producer.flush();

            Map<String, Integer> recs = new HashMap<>();
            List<DeadLetter> dead = new ArrayList<>();
            readUntil(recs, dead, good.size(), 5, Duration.ofSeconds(150));

            // cold start: the catalog's new item is accepted in an event, and gets a recommendation
            InteractionEvent aboutNew = copy(good.get(1), b -> b.setEventId("cold-1").setItemId("new-1")
                    .setEventTime(Instant.ofEpochMilli(good.get(good.size() - 1).getEventTime().toEpochMilli() + 1000)));
            producer.send(new ProducerRecord<>("ev", bytes(aboutNew.getUserId()), avro.encode(aboutNew)));
            producer.flush();
            readUntil(recs, dead, good.size() + 1, 5, Duration.ofSeconds(60));

            // ... and is recommended: a free-text request with the new item's own text (a user without
            // history, so the text match alone ranks) finds it first, title-mapped from the catalog topic
            InteractionEvent askForNew = InteractionEvent.newBuilder().setEventId("cold-text").setUserId("cold-asker")
                    .setItemId(null).setEventType(EventType.REQUEST).setQuery(NEW_ITEM_TEXT)
                    .setEventTime(aboutNew.getEventTime()).build();
            producer.send(new ProducerRecord<>("ev", bytes(askForNew.getUserId()), avro.encode(askForNew)));
            producer.flush();
            readUntil(recs, dead, good.size() + 2, 5, Duration.ofSeconds(60));

            Set<String> expected = new HashSet<>();
            for (InteractionEvent e : good) expected.add(e.getEventId());
            expected.addAll(List.of("cold-1", "cold-text"));
            assertThat(recs.keySet()).isEqualTo(expected);
            assertThat(recs).allSatisfy((key, n) -> assertThat(n).as("recommendations for %s (dead letters: %s)", key,
                    dead.stream().map(d -> d.getErrorClass() + " " + d.getErrorMessage()).toList()).isEqualTo(1));
            RecommendedItem top = committed.get("cold-text").getItems().get(0);
            assertThat(top.getItemId()).isEqualTo("new-1");
            assertThat(top.getTitle()).isEqualTo("Star Raiders 9 Deluxe Edition");
            assertThat(top.getMatchLevel()).isEqualTo(4);
            // every answer: measured latency, titled items ranked 1..K by non-increasing score
            assertThat(committed.values()).allSatisfy(r -> {
                assertThat(r.getProcessingLatencyMs()).isPositive();
                assertThat(r.getItems()).isNotEmpty();
                assertThat(r.getItems()).allSatisfy(i -> assertThat(i.getTitle()).isNotBlank());
                for (int i = 0; i < r.getItems().size(); i++) {
                    assertThat(r.getItems().get(i).getRank()).isEqualTo(i + 1);
                    if (i > 0) assertThat(r.getItems().get(i).getScore()).isLessThanOrEqualTo(r.getItems().get(i - 1).getScore());
                }
            });
            assertThat(dead).extracting(DeadLetter::getErrorClass).containsExactlyInAnyOrder(
                    "MALFORMED_BYTES", "DUPLICATE", "UNKNOWN_ITEM", "MISSING_FIELD", "BAD_TIMESTAMP");
            assertThat(dead).allSatisfy(d -> assertThat(d.getSourceTopic()).isEqualTo("ev"));
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void aJobRestoredFromItsRetainedCheckpointKeepsUserHistoriesAndStaysExactlyOnce(@TempDir Path dir) throws Exception {
        Dataset data = DatasetStore.read(TinyBundle.data());
        RecordCodec<InteractionEvent> avro = RecordCodec.of(InteractionEvent.class, WireFormat.AVRO);
        List<InteractionEvent> events = new ArrayList<>();
        for (Interaction in : data.interactions().subList(0, 150)) events.add(EventMapping.toEvent(new SourceEvent(in, Map.of())));
        JobSpec spec = spec(dir, "2");
        Map<String, Integer> recs = new HashMap<>();
        List<DeadLetter> dead = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = CommittedOutput.producer(kafka.bootstrapServers())) {
            JobClient first = JobRunner.start(JobRunner.prepareLocal(spec, false));
            try {
                for (InteractionEvent e : events.subList(0, 100)) producer.send(new ProducerRecord<>("ev2", bytes(e.getUserId()), avro.encode(e)));
                producer.flush();
                // committed output means the checkpoint holding these events' state has completed
                readUntil("2", recs, dead, 100, 0, Duration.ofSeconds(120));
            } finally {
                first.cancel().get();
            }
            assertThat(recs).hasSize(100);
            Path checkpoint = JobRunner.latestCheckpoint(dir.resolve("checkpoints")).orElseThrow();

            JobClient second = JobRunner.start(JobRunner.prepareLocal(spec, false, checkpoint.toUri().toString()));
            try {
                // a retry of an event accepted before the restart: only the restored history knows it
                producer.send(new ProducerRecord<>("ev2", bytes(events.get(3).getUserId()), avro.encode(events.get(3))));
                for (InteractionEvent e : events.subList(100, 150)) producer.send(new ProducerRecord<>("ev2", bytes(e.getUserId()), avro.encode(e)));
                producer.flush();
                readUntil("2", recs, dead, 150, 1, Duration.ofSeconds(120));
            } finally {
                second.cancel().get();
            }
        }
        assertThat(recs).hasSize(150);
        assertThat(recs.values()).allSatisfy(n -> assertThat(n).isEqualTo(1));
        assertThat(dead).extracting(DeadLetter::getErrorClass).containsExactly("DUPLICATE");
        assertThat(dead.get(0).getErrorMessage()).contains(events.get(3).getEventId());
    }

    /**
     * Event time is tracked per partition: a partition read weeks of event time ahead of another
     * must not expire the histories of users on the lagging one. Partition 0 jumps 60 days ahead
     * (past the 30-day TTL); partition 1's user then retries an accepted event, which must still be
     * caught as a duplicate. A watermark taken over the reader's merged partitions would have
     * expired that user's history and accepted the retry.
     */
    @Test
    void aPartitionAheadInEventTimeDoesNotExpireUsersOnALaggingPartition(@TempDir Path dir) throws Exception {
        RecordCodec<InteractionEvent> avro = RecordCodec.of(InteractionEvent.class, WireFormat.AVRO);
        List<String> items = List.copyOf(DatasetStore.read(TinyBundle.data()).items().stream().map(i -> i.itemId()).toList());
        Instant t0 = Instant.now().minus(Duration.ofDays(100));
        InteractionEvent b1 = event("b1", "user-b", items.get(0), t0);
        InteractionEvent a1 = event("a1", "user-a", items.get(1), t0);
        InteractionEvent a2 = event("a2", "user-a", items.get(2), t0.plus(Duration.ofDays(60)));
        InteractionEvent b2 = event("b2", "user-b", items.get(3), t0.plus(Duration.ofDays(1)));
        Map<String, Integer> recs = new HashMap<>();
        List<DeadLetter> dead = new ArrayList<>();
        JobClient job = JobRunner.start(JobRunner.prepareLocal(spec(dir, "3", "30d"), false));
        try (KafkaProducer<byte[], byte[]> producer = CommittedOutput.producer(kafka.bootstrapServers())) {
            producer.send(new ProducerRecord<>("ev3", 1, bytes("user-b"), avro.encode(b1)));
            producer.send(new ProducerRecord<>("ev3", 0, bytes("user-a"), avro.encode(a1)));
            producer.send(new ProducerRecord<>("ev3", 0, bytes("user-a"), avro.encode(a2)));
            producer.flush();
            readUntil("3", recs, dead, 3, 0, Duration.ofSeconds(90));
            assertThat(recs).containsOnlyKeys("b1", "a1", "a2");

            producer.send(new ProducerRecord<>("ev3", 1, bytes("user-b"), avro.encode(b1)));  // a retry
            producer.send(new ProducerRecord<>("ev3", 1, bytes("user-b"), avro.encode(b2)));
            producer.flush();
            readUntil("3", recs, dead, 4, 1, Duration.ofSeconds(90));
        } finally {
            job.cancel().get();
        }
        assertThat(recs).containsOnlyKeys("b1", "a1", "a2", "b2");
        assertThat(dead).extracting(DeadLetter::getErrorClass).containsExactly("DUPLICATE");
        // b2's history still holds b1's item: user-b's state was kept
        assertThat(committed.get("b2").getItems()).extracting(RecommendedItem::getItemId).doesNotContain(items.get(0), items.get(3));
    }

    private static InteractionEvent event(String id, String user, String item, Instant at) {
        return InteractionEvent.newBuilder().setEventId(id).setUserId(user).setItemId(item)
                .setEventType(EventType.PURCHASE).setEventTime(at).build();
    }

    private static InteractionEvent copy(InteractionEvent e, Function<InteractionEvent.Builder, InteractionEvent.Builder> change) {
        return change.apply(InteractionEvent.newBuilder(e)).build();
    }

    /** Reads committed output until the expected counts are reached (or the time is up). */
    private void readUntil(Map<String, Integer> recs, List<DeadLetter> dead, int recCount, int deadCount, Duration timeout) {
        readUntil("", recs, dead, recCount, deadCount, timeout);
    }

    private void readUntil(String suffix, Map<String, Integer> recs, List<DeadLetter> dead, int recCount, int deadCount, Duration timeout) {
        CommittedOutput out = CommittedOutput.readUntil(kafka.bootstrapServers(), "recs" + suffix, "dlq" + suffix, recCount, deadCount, timeout);
        recs.clear();
        recs.putAll(out.counts());
        committed = out.recommendations();
        dead.clear();
        dead.addAll(out.deadLetters());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
