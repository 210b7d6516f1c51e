package dev.sidflow.stream;

import dev.sidflow.model.ModelBundle;
import dev.sidflow.model.TinyBundle;
import dev.sidflow.schema.CatalogItem;
import dev.sidflow.schema.DeadLetter;
import dev.sidflow.schema.EventType;
import dev.sidflow.schema.InteractionEvent;
import dev.sidflow.schema.Recommendation;
import dev.sidflow.schema.RecommendedItem;
import dev.sidflow.sid.SemanticId;
import dev.sidflow.stream.kafka.EmbeddedKafka;
import dev.sidflow.stream.serde.RecordCodec;
import dev.sidflow.stream.serde.WireFormat;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
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
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Restore and upgrade: the real-time job is stopped with a savepoint and restored three times,
 * at parallelism 1 -> 2 -> 1, the last time with another trained bundle (other seeds, so other
 * SIDs for the same items). Every request after a restore must carry the user's exact history from
 * before it (last N items across all runs), an event id accepted before a restore must still be a
 * DUPLICATE, output stays exactly one recommendation per accepted event, each recommendation names
 * the bundle that made it, and every SID in it is that bundle's SID of the item.
 */
class SavepointRestoreIT {
    private static final int USERS = 20;
    private static final int HISTORY = 10;
    private static final String NEW_ITEM = "catalog-new-1";
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

    private JobSpec spec(Path dir, int parallelism, Path bundle) throws Exception {
        Path file = dir.resolve("realtime-p" + parallelism + ".yaml");
        Files.writeString(file, String.join("\n",
                "name: savepoint-it",
                "mode: realtime",
                "kafka:",
                "  bootstrap: " + kafka.bootstrapServers(),
                "  groupId: savepoint-it",
                "  startingOffsets: earliest",
                "  topics: {events: ev, catalog: cat, recommendations: recs, deadLetters: dlq}",
                "bundle: " + bundle,
                "device: cpu",
                "parallelism: " + parallelism,
                "batching: {maxBatchSize: 16, maxDelay: 20ms}",
                "history: {length: " + HISTORY + ", dedupWindow: 64, ttl: 3650d}",
                "checkpoints: {interval: 1s, dir: " + dir.resolve("checkpoints") + ", incremental: true, retainOnCancel: true}",
                "web: {port: 0}"));
        return JobSpec.load(file);
    }

    @Test
    void historiesSurviveSavepointsAcrossRescalingAndABundleSwap(@TempDir Path dir) throws Exception {
        Path bundleV1 = TinyBundle.dir();
        Path bundleV2 = TinyBundle.reseeded();
        ModelBundle[] opened = {ModelBundle.open(bundleV1), ModelBundle.open(bundleV1), ModelBundle.open(bundleV2)};
        String v1 = opened[0].manifest().version();
        String v2 = opened[2].manifest().version();
        List<String> items = opened[0].itemIds();
        // a genuinely different bundle for the same catalog: another version, and other SIDs for many items
        assertThat(v2).isNotEqualTo(v1);
        assertThat(opened[2].itemIds()).containsExactlyInAnyOrderElementsOf(items);
        Map<String, Map<String, SemanticId>> sidsOf = Map.of(v1, opened[0].sids(), v2, opened[2].sids());
        long reassigned = items.stream().filter(i -> !sidsOf.get(v1).get(i).equals(sidsOf.get(v2).get(i))).count();
        assertThat(reassigned).as("items whose SID differs between the bundles").isGreaterThan(items.size() / 2);
        Map<String, List<String>> expectedItems = new HashMap<>();  // the model of every user's history
        Map<String, List<String>> expectedHistory = new HashMap<>();  // by event id
        Map<String, String> expectedBundle = new HashMap<>();
        RecordCodec<InteractionEvent> avro = RecordCodec.of(InteractionEvent.class, WireFormat.AVRO);
        String savepoints = dir.resolve("savepoints").toUri().toString();
        HistoryTap.HISTORIES.clear();
        int[] parallelism = {1, 2, 1};
        Path[] bundles = {bundleV1, bundleV1, bundleV2};
        String restoreFrom = null;
        InteractionEvent retry = null;
        long t0 = Instant.now().minus(Duration.ofHours(1)).toEpochMilli();
        int produced = 0;
        List<String> savepointPaths = new ArrayList<>();

        try (KafkaProducer<byte[], byte[]> producer = CommittedOutput.producer(kafka.bootstrapServers())) {
            for (int phase = 0; phase < 3; phase++) {
                JobSpec spec = spec(dir, parallelism[phase], bundles[phase]);
                JobClient job = JobRunner.start(JobRunner.prepareLocalTapped(spec, false, restoreFrom, HistoryTap::attach));
                String version = opened[phase].manifest().version();
                if (phase == 0) {
                    // an item published under v1 lives on in the job's catalog state, to be given a SID by v2 after the swap
                    producer.send(new ProducerRecord<>("cat", NEW_ITEM.getBytes(StandardCharsets.UTF_8), RecordCodec.of(CatalogItem.class, WireFormat.AVRO)
                            .encode(CatalogItem.newBuilder().setItemId(NEW_ITEM).setTitle("Star Raiders 9 Deluxe Edition")
                                    .setText("The newest Star Raiders game").setUpdatedAt(Instant.now()).build())));
                }
                // The first event of every later phase retries one accepted before the savepoint.
                if (retry != null) producer.send(record(avro, retry));
                List<InteractionEvent> events = new ArrayList<>();
                // Four events per user per phase: users' histories span all three runs.
                for (int k = 0; k < 4; k++) {
                    for (int u = 0; u < USERS; u++) {
                        String user = "user-" + u;
                        String item = items.get((u * 7 + phase * 13 + k * 3) % items.size());
                        InteractionEvent e = InteractionEvent.newBuilder().setEventId("p" + phase + "-" + user + "-" + k)
                                .setUserId(user).setItemId(item).setEventType(EventType.PURCHASE)
                                .setEventTime(Instant.ofEpochMilli(t0 + produced * 1000L)).build();
                        events.add(e);
                        produced++;
                        List<String> h = expectedItems.computeIfAbsent(user, x -> new ArrayList<>());
                        h.add(item);
                        expectedHistory.put(e.getEventId(), List.copyOf(h.subList(Math.max(0, h.size() - HISTORY), h.size())));
                        expectedBundle.put(e.getEventId(), version);
                        producer.send(record(avro, e));
                    }
                }
                if (phase == 2) {
                    // the item the catalog topic added before the swap is still known after it
                    InteractionEvent e = InteractionEvent.newBuilder().setEventId("p2-new-item").setUserId("user-0").setItemId(NEW_ITEM)
                            .setEventType(EventType.PURCHASE).setEventTime(Instant.ofEpochMilli(t0 + produced * 1000L)).build();
                    produced++;
                    List<String> h = expectedItems.get("user-0");
                    h.add(NEW_ITEM);
                    expectedHistory.put(e.getEventId(), List.copyOf(h.subList(Math.max(0, h.size() - HISTORY), h.size())));
                    expectedBundle.put(e.getEventId(), version);
                    producer.send(record(avro, e));
                }
                producer.flush();
                CommittedOutput out = CommittedOutput.readUntil(kafka.bootstrapServers(), "recs", "dlq",
                        expectedBundle.size(), phase, Duration.ofSeconds(90));
                assertThat(out.recommendationCount()).as("recommendations after phase %d", phase).isEqualTo(expectedBundle.size());
                String savepoint = job.stopWithSavepoint(false, savepoints, SavepointFormatType.CANONICAL).get();
                savepointPaths.add(savepoint);
                restoreFrom = savepoint;
                retry = events.get(phase * 5 + 3);
            }
        }

        CommittedOutput out = CommittedOutput.readUntil(kafka.bootstrapServers(), "recs", "dlq",
                expectedBundle.size(), 2, Duration.ofSeconds(30));
        System.out.printf("accepted %d, committed recommendations %d (distinct %d), dead letters %s, histories checked %d%n",
                expectedBundle.size(), out.recommendationCount(), out.counts().size(),
                out.deadLetters().stream().map(DeadLetter::getErrorClass).toList(), HistoryTap.HISTORIES.size());
        // exactly once across three stop/restore cycles
        assertThat(out.counts().keySet()).isEqualTo(expectedBundle.keySet());
        assertThat(out.counts().values()).allSatisfy(n -> assertThat(n).isEqualTo(1));
        // retries of pre-savepoint events are recognised from restored state only
        assertThat(out.deadLetters()).extracting(DeadLetter::getErrorClass).containsExactly("DUPLICATE", "DUPLICATE");
        assertThat(out.deadLetters()).extracting(DeadLetter::getErrorMessage)
                .anySatisfy(m -> assertThat(m).contains("p0-"))
                .anySatisfy(m -> assertThat(m).contains("p1-"));
        // every request saw the user's exact history, including items from before each restore
        assertThat(HistoryTap.HISTORIES).isEqualTo(expectedHistory);
        // each recommendation names the bundle that made it; the swap took effect at the third run
        Map<String, String> versions = new HashMap<>();
        for (Recommendation r : out.recommendations().values()) versions.put(r.getRequestKey(), r.getBundleVersion());
        assertThat(versions).isEqualTo(expectedBundle);
        // no invalid SIDs across the swap: every recommended item is an exact catalog match, with the SID
        // of the bundle that made the recommendation
        int checked = 0;
        for (Recommendation r : out.recommendations().values()) {
            Map<String, SemanticId> sids = sidsOf.get(r.getBundleVersion());
            for (RecommendedItem item : r.getItems()) {
                assertThat(item.getMatchLevel()).as("match level of %s in %s", item.getItemId(), r.getRequestKey()).isEqualTo(4);
                assertThat(item.getItemId()).isNotNull();
                if (item.getItemId().equals(NEW_ITEM)) continue;  // its SID is assigned in the job, not in the bundle
                assertThat(item.getSid()).as("SID of %s in %s", item.getItemId(), r.getRequestKey())
                        .isEqualTo(sids.get(item.getItemId()).toString());
                checked++;
            }
        }
        System.out.printf("bundle %s -> %s: %d of %d items got another SID; %d recommended SIDs checked%n", v1, v2, reassigned, items.size(), checked);
        assertThat(checked).isGreaterThan(expectedBundle.size());
        assertThat(savepointPaths).hasSize(3).allSatisfy(p -> assertThat(Path.of(java.net.URI.create(p)).resolve("_metadata")).exists());
    }

    private static ProducerRecord<byte[], byte[]> record(RecordCodec<InteractionEvent> codec, InteractionEvent e) {
        return new ProducerRecord<>("ev", e.getUserId().getBytes(StandardCharsets.UTF_8), codec.encode(e));
    }
}
