package dev.sidflow.stream;

import dev.sidflow.model.ModelBundle;
import dev.sidflow.model.TinyBundle;
import dev.sidflow.schema.CatalogItem;
import dev.sidflow.schema.DeadLetter;
import dev.sidflow.schema.EventType;
import dev.sidflow.schema.InteractionEvent;
import dev.sidflow.stream.kafka.EmbeddedKafka;
import dev.sidflow.stream.serde.RecordCodec;
import dev.sidflow.stream.serde.WireFormat;
import org.apache.flink.api.common.JobStatus;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real-time job against a corpus of hostile events and catalog records (random bytes,
 * truncated Avro, other schemas, huge strings, unknown users and items, negative and far-future
 * times, retried idempotency keys, one heavy user) on a real broker. Every record either gets
 * exactly one recommendation or lands in the dead-letter topic with the expected reason; counts add
 * up (accepted + dead-lettered = produced, per topic) and the job is still running at the end.
 */
class HostileInputIT {
    /** Events of the one heavy user: small for CI; docs/reliability.md quotes a run with -Dhostile.heavyUserEvents=100000. */
    private static final int HEAVY_USER_EVENTS = Integer.getInteger("hostile.heavyUserEvents", 1_000);
    static EmbeddedKafka kafka;

    @BeforeAll
    static void up() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopic("ev", 2);
        kafka.createTopic("cat", 1);
        kafka.createTopic("recs", 2);
        kafka.createTopic("dlq", 1);
    }

    @AfterAll
    static void down() throws Exception {
        if (kafka != null) kafka.close();
    }

    /** A produced record and what must become of it: null = one recommendation, else the dead-letter reason. */
    private record Case(String topic, byte[] key, byte[] value, String expectedReason) {}

    @Test
    void everyHostileRecordIsDeadLetteredWithItsReasonOrHandledAndCountsAddUp(@TempDir Path dir) throws Exception {
        List<String> items = ModelBundle.open(TinyBundle.dir()).itemIds();
        RecordCodec<InteractionEvent> avro = RecordCodec.of(InteractionEvent.class, WireFormat.AVRO);
        RecordCodec<InteractionEvent> json = RecordCodec.of(InteractionEvent.class, WireFormat.JSON);
        RecordCodec<CatalogItem> catAvro = RecordCodec.of(CatalogItem.class, WireFormat.AVRO);
        long now = System.currentTimeMillis();
        int[] seq = {0};
        UnaryOperator<InteractionEvent.Builder> fresh = b -> b.setEventId("ev-" + seq[0]++);
        java.util.function.Function<UnaryOperator<InteractionEvent.Builder>, InteractionEvent> event = change ->
                change.apply(fresh.apply(InteractionEvent.newBuilder().setUserId("user-" + (seq[0] % 25))
                        .setItemId(items.get(seq[0] % (items.size() - 1))).setEventType(EventType.PURCHASE)
                        .setEventTime(Instant.ofEpochMilli(now - 600_000 + seq[0])))).build();

        List<Case> cases = new ArrayList<>();
        List<InteractionEvent> accepted = new ArrayList<>();
        for (int i = 0; i < 40; i++) accepted.add(event.apply(b -> b));
        for (InteractionEvent e : accepted) cases.add(ev(e.getUserId(), avro.encode(e), null));
        Random rnd = new Random(6);
        for (int i = 0; i < 30; i++) {
            byte[] garbage = new byte[1 + rnd.nextInt(200)];
            rnd.nextBytes(garbage);
            cases.add(ev(null, garbage, "MALFORMED_BYTES"));
        }
        cases.add(ev(null, new byte[0], "MALFORMED_BYTES"));
        cases.add(ev("tombstone", null, "MALFORMED_BYTES"));
        for (int i = 0; i < 15; i++) {
            byte[] whole = avro.encode(event.apply(b -> b));
            cases.add(ev(null, Arrays.copyOf(whole, 1 + rnd.nextInt(whole.length - 1)), "MALFORMED_BYTES"));
        }
        // other schemas on the events topic: a catalog record (Avro and JSON), JSON with wrong types or an unknown enum
        CatalogItem aCatalogItem = CatalogItem.newBuilder().setItemId("i1").setTitle("Some title").setUpdatedAt(Instant.ofEpochMilli(1000)).build();
        cases.add(ev(null, catAvro.encode(aCatalogItem), "MALFORMED_BYTES"));
        cases.add(ev(null, RecordCodec.of(CatalogItem.class, WireFormat.JSON).encode(aCatalogItem), "MALFORMED_BYTES"));
        cases.add(ev(null, utf8("{\"event_id\":7,\"user_id\":\"u\",\"item_id\":\"" + items.get(0) + "\",\"event_type\":\"VIEW\",\"event_time\":1}"), "MALFORMED_BYTES"));
        cases.add(ev(null, utf8("{\"event_id\":\"x\",\"user_id\":\"u\",\"item_id\":\"" + items.get(0) + "\",\"event_type\":\"TELEPORT\",\"event_time\":1}"), "MALFORMED_BYTES"));
        cases.add(ev(null, utf8("[1,2,3]"), "MALFORMED_BYTES"));
        // missing or blank required values
        cases.add(ev(null, avro.encode(event.apply(b -> b.setUserId("   "))), "MISSING_FIELD"));
        cases.add(ev(null, avro.encode(event.apply(b -> b.setItemId(null))), "MISSING_FIELD"));
        // huge strings
        cases.add(ev(null, avro.encode(event.apply(b -> b.setUserId("u".repeat(100_000)))), "OVERSIZED"));
        cases.add(ev(null, avro.encode(event.apply(b -> b.setItemId("i".repeat(600)))), "OVERSIZED"));
        cases.add(ev(null, json.encode(event.apply(b -> b.setEventType(EventType.REQUEST).setItemId(null).setQuery("q".repeat(200_000)))), "OVERSIZED"));
        // impossible times
        cases.add(ev(null, avro.encode(event.apply(b -> b.setEventTime(Instant.ofEpochMilli(-5_000)))), "BAD_TIMESTAMP"));
        cases.add(ev(null, avro.encode(event.apply(b -> b.setEventTime(Instant.ofEpochMilli(now + Duration.ofDays(400).toMillis())))), "BAD_TIMESTAMP"));
        cases.add(ev(null, avro.encode(event.apply(b -> b.setEventTime(Instant.ofEpochMilli(Long.MAX_VALUE / 2)))), "BAD_TIMESTAMP"));
        // unknown items are refused; unknown users are new users: accepted with an empty history (cold start)
        cases.add(ev(null, avro.encode(event.apply(b -> b.setItemId("no-such-item"))), "UNKNOWN_ITEM"));
        InteractionEvent newUser = event.apply(b -> b.setUserId("never-seen-üser-🎮-" + "\u0000"));
        accepted.add(newUser);
        cases.add(ev(newUser.getUserId(), json.encode(newUser), null));
        // retried idempotency keys (same event sent again, also as JSON)
        for (int i = 0; i < 10; i++) {
            InteractionEvent again = accepted.get(i * 3);
            cases.add(ev(again.getUserId(), i % 2 == 0 ? avro.encode(again) : json.encode(again), "DUPLICATE"));
        }
        // one heavy user
        for (int i = 0; i < HEAVY_USER_EVENTS; i++) {
            InteractionEvent e = event.apply(b -> b.setUserId("heavy-user"));
            accepted.add(e);
            cases.add(ev(e.getUserId(), avro.encode(e), null));
        }

        // hostile catalog records; the accepted ones are checked through events below
        List<Case> catalog = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            byte[] garbage = new byte[1 + rnd.nextInt(100)];
            rnd.nextBytes(garbage);
            catalog.add(cat(garbage, "BAD_CATALOG_RECORD"));
        }
        byte[] goodItem = catAvro.encode(CatalogItem.newBuilder().setItemId("new-ü-1").setTitle("Ünïcødé Quest 🎮 <|sid_start|>")
                .setText("a new game").setUpdatedAt(Instant.now()).build());
        catalog.add(cat(Arrays.copyOf(goodItem, goodItem.length / 2), "BAD_CATALOG_RECORD"));
        catalog.add(cat(utf8("{\"item_id\":\"c-no-title\"}"), "BAD_CATALOG_RECORD"));
        catalog.add(cat(catAvro.encode(CatalogItem.newBuilder().setItemId(" ").setTitle("blank id").build()), "BAD_CATALOG_RECORD"));
        catalog.add(cat(catAvro.encode(CatalogItem.newBuilder().setItemId("huge").setTitle("t".repeat(20_000)).build()), "BAD_CATALOG_RECORD"));
        catalog.add(cat(avro.encode(accepted.get(0)), "BAD_CATALOG_RECORD"));  // an event on the catalog topic
        catalog.add(cat(goodItem, null));
        String deletedItem = items.get(items.size() - 1);  // no good event uses it
        catalog.add(cat(catAvro.encode(CatalogItem.newBuilder().setItemId(deletedItem).setTitle("gone").setDeleted(true)
                .setUpdatedAt(Instant.now()).build()), null));

        long t0 = System.nanoTime();
        JobClient job = JobRunner.start(JobRunner.prepareLocal(spec(dir), false));
        CommittedOutput out;
        try (KafkaProducer<byte[], byte[]> producer = CommittedOutput.producer(kafka.bootstrapServers())) {
            for (Case c : catalog) producer.send(new ProducerRecord<>(c.topic, c.key, c.value));
            // the idempotent producer keeps each partition's order, so a retry still follows its original
            for (Case c : cases) producer.send(new ProducerRecord<>(c.topic, c.key, c.value));
            producer.flush();
            int recs = (int) cases.stream().filter(c -> c.expectedReason == null).count();
            int dead = cases.size() - recs + (int) catalog.stream().filter(c -> c.expectedReason != null).count();
            // the heavy user's events are one key, so one slot works through them in order
            out = CommittedOutput.readUntil(kafka.bootstrapServers(), "recs", "dlq", recs, dead,
                    Duration.ofSeconds(180 + HEAVY_USER_EVENTS / 50));

            // the catalog's new item is accepted at once, its deleted item refused from now on
            InteractionEvent aboutNew = event.apply(b -> b.setItemId("new-ü-1"));
            InteractionEvent aboutDeleted = event.apply(b -> b.setItemId(deletedItem));
            accepted.add(aboutNew);
            cases.add(ev(aboutNew.getUserId(), avro.encode(aboutNew), null));
            cases.add(ev(aboutDeleted.getUserId(), avro.encode(aboutDeleted), "UNKNOWN_ITEM"));
            producer.send(new ProducerRecord<>("ev", utf8(aboutNew.getUserId()), avro.encode(aboutNew)));
            producer.send(new ProducerRecord<>("ev", utf8(aboutDeleted.getUserId()), avro.encode(aboutDeleted)));
            producer.flush();
            out = CommittedOutput.readUntil(kafka.bootstrapServers(), "recs", "dlq", recs + 1, dead + 1, Duration.ofSeconds(60));
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get();
        }

        System.out.printf("events produced %d: recommendations %d + dead letters %d %s; catalog produced %d: dead letters %d %s%n",
                cases.size(), out.recommendationCount(), out.deadLetters().stream().filter(d -> d.getSourceTopic().equals("ev")).count(),
                reasons(out.deadLetters(), "ev"), catalog.size(), out.deadLetters().stream().filter(d -> d.getSourceTopic().equals("cat")).count(),
                reasons(out.deadLetters(), "cat"));
        Set<String> expectedKeys = new HashSet<>();
        for (InteractionEvent e : accepted) expectedKeys.add(e.getEventId());
        Map<String, Integer> counts = out.counts();
        long lost = expectedKeys.stream().filter(k -> !counts.containsKey(k)).count();
        int duplicated = out.recommendationCount() - out.counts().size();
        System.out.printf(java.util.Locale.ROOT, "HOSTILE heavy-user-events=%d produced=%d accepted=%d dead-lettered=%d lost=%d duplicated=%d seconds=%.1f%n",
                HEAVY_USER_EVENTS, cases.size() + catalog.size(), out.counts().size(), out.deadLetters().size(), lost, duplicated,
                (System.nanoTime() - t0) / 1e9);
        // accepted + dead-lettered = produced, per topic
        long deadEvents = out.deadLetters().stream().filter(d -> d.getSourceTopic().equals("ev")).count();
        long deadCatalog = out.deadLetters().stream().filter(d -> d.getSourceTopic().equals("cat")).count();
        assertThat(out.recommendationCount() + deadEvents).isEqualTo(cases.size());
        assertThat(deadCatalog + 2).isEqualTo(catalog.size());
        // exactly the accepted events got one recommendation each
        assertThat(out.counts().keySet()).isEqualTo(expectedKeys);
        assertThat(out.counts().values()).allSatisfy(n -> assertThat(n).isEqualTo(1));
        // and every hostile record got its reason
        assertThat(reasons(out.deadLetters(), "ev")).isEqualTo(expected(cases));
        assertThat(reasons(out.deadLetters(), "cat")).isEqualTo(expected(catalog));
        assertThat(out.recommendations().get(aboutNewKey(accepted)).getItems()).isNotEmpty();
    }

    private static String aboutNewKey(List<InteractionEvent> accepted) {
        return accepted.get(accepted.size() - 1).getEventId();
    }

    private static Map<String, Long> reasons(List<DeadLetter> dead, String topic) {
        Map<String, Long> out = new TreeMap<>();
        for (DeadLetter d : dead) if (d.getSourceTopic().equals(topic)) out.merge(d.getErrorClass(), 1L, Long::sum);
        return out;
    }

    private static Map<String, Long> expected(List<Case> cases) {
        Map<String, Long> out = new TreeMap<>();
        for (Case c : cases) if (c.expectedReason != null) out.merge(c.expectedReason, 1L, Long::sum);
        return out;
    }

    private static Case ev(String key, byte[] value, String reason) {
        return new Case("ev", key == null ? null : utf8(key), value, reason);
    }

    private static Case cat(byte[] value, String reason) {
        return new Case("cat", null, value, reason);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private JobSpec spec(Path dir) throws Exception {
        Path file = dir.resolve("hostile.yaml");
        Files.writeString(file, String.join("\n",
                "name: hostile-it",
                "mode: realtime",
                "kafka:",
                "  bootstrap: " + kafka.bootstrapServers(),
                "  groupId: hostile-it",
                "  startingOffsets: earliest",
                "  topics: {events: ev, catalog: cat, recommendations: recs, deadLetters: dlq}",
                "bundle: " + TinyBundle.dir(),
                "device: cpu",
                "batching: {maxBatchSize: 64, maxDelay: 20ms}",
                "history: {length: 10, dedupWindow: 64, ttl: 30d}",
                "checkpoints: {interval: 1s, dir: " + dir.resolve("checkpoints") + ", incremental: true, retainOnCancel: false}",
                "web: {port: 0}"));
        return JobSpec.load(file);
    }
}
