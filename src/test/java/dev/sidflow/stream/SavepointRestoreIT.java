package dev.sidflow.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sidflow.model.ModelBundle;
import dev.sidflow.model.TinyBundle;
import dev.sidflow.schema.DeadLetter;
import dev.sidflow.schema.EventType;
import dev.sidflow.schema.InteractionEvent;
import dev.sidflow.schema.Recommendation;
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
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Restore and upgrade: the real-time job is stopped with a savepoint and restored three times,
 * at parallelism 1 -> 2 -> 1, the last time with another model bundle. Every request after a
 * restore must carry the user's exact history from before it (last N items across all runs), an
 * event id accepted before a restore must still be a DUPLICATE, output stays exactly one
 * recommendation per accepted event, and each recommendation names the bundle that made it.
 */
class SavepointRestoreIT {
    private static final int USERS = 20;
    private static final int HISTORY = 10;
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
        String v1 = ModelBundle.open(bundleV1).manifest().version();
        Path bundleV2 = copyWithVersion(bundleV1, dir.resolve("bundle-v2"), v1 + "-retrained");
        List<String> items = ModelBundle.open(bundleV1).itemIds();
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
                String version = phase == 2 ? v1 + "-retrained" : v1;
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
        assertThat(savepointPaths).hasSize(3).allSatisfy(p -> assertThat(Path.of(java.net.URI.create(p)).resolve("_metadata")).exists());
    }

    private static ProducerRecord<byte[], byte[]> record(RecordCodec<InteractionEvent> codec, InteractionEvent e) {
        return new ProducerRecord<>("ev", e.getUserId().getBytes(StandardCharsets.UTF_8), codec.encode(e));
    }

    /** A copy of a bundle stamped with another version: what a retrained bundle looks like to the job. */
    static Path copyWithVersion(Path from, Path to, String version) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode manifest = (ObjectNode) json.readTree(to.resolve(ModelBundle.MANIFEST).toFile());
        manifest.put("version", version);
        json.writeValue(to.resolve(ModelBundle.MANIFEST).toFile(), manifest);
        return to;
    }
}
