package dev.sidflow.stream;

import dev.sidflow.data.Dataset;
import dev.sidflow.data.DatasetStore;
import dev.sidflow.data.Interaction;
import dev.sidflow.model.TinyBundle;
import dev.sidflow.schema.InteractionEvent;
import dev.sidflow.stream.kafka.EventMapping;
import dev.sidflow.stream.kafka.SourceEvent;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import dev.sidflow.schema.Recommendation;
import dev.sidflow.stream.serde.RecordCodec;
import dev.sidflow.stream.serde.WireFormat;
import org.apache.flink.api.common.JobExecutionResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The replay job end to end on a MiniCluster with RocksDB and checkpoints, run twice. */
class ReplayJobIT {

    private JobSpec spec(Path out) throws Exception {
        return spec(out, TinyBundle.data());
    }

    private JobSpec spec(Path out, Path input) throws Exception {
        Path file = out.resolve("replay.yaml");
        Files.writeString(file, String.join("\n",
                "name: replay-it",
                "mode: replay",
                "bundle: " + TinyBundle.dir(),
                "device: cpu",
                "replay:",
                "  input: " + input,
                "  output: " + out.resolve("recs"),
                "  deadLetters: " + out.resolve("dlq"),
                "  evaluate: true",
                "history: {length: 10, dedupWindow: 16, ttl: 3650d}",
                "batching: {maxBatchSize: 64, maxDelay: 20ms}",
                "watermarks: {maxOutOfOrderness: 0s, idleTimeout: 0s}",
                "checkpoints: {interval: 1s, dir: " + out.resolve("checkpoints") + ", incremental: true}",
                "web: {port: 0}"));
        return JobSpec.load(file);
    }

    private static byte[] output(Path dir) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Path p : ReplayJob.outputFiles(dir, ReplayJob.RECOMMENDATIONS_PREFIX)) all.write(Files.readAllBytes(p));
        return all.toByteArray();
    }

    @Test
    void replayIsCompleteEvaluatedAndByteIdenticalAcrossRuns(@TempDir Path tmp) throws Exception {
        JobSpec first = spec(Files.createDirectories(tmp.resolve("a")));
        JobExecutionResult r1 = JobRunner.run(JobRunner.prepareLocal(first, false));
        JobSpec second = spec(Files.createDirectories(tmp.resolve("b")));
        JobRunner.run(JobRunner.prepareLocal(second, false));

        byte[] a = output(tmp.resolve("a/recs"));
        byte[] b = output(tmp.resolve("b/recs"));
        List<String> lines = new String(a, StandardCharsets.UTF_8).lines().toList();
        long interactions = Files.lines(TinyBundle.data().resolve("interactions.jsonl")).count();
        // one recommendation per event, nothing dead-lettered, same bytes both times
        assertThat(lines).hasSize((int) interactions);
        assertThat(ReplayJob.outputFiles(tmp.resolve("a/dlq"), ReplayJob.DEAD_LETTERS_PREFIX).stream()
                .mapToLong(p -> p.toFile().length()).sum()).isZero();
        assertThat(b).isEqualTo(a);

        RecordCodec<Recommendation> codec = RecordCodec.of(Recommendation.class, WireFormat.JSON);
        for (String line : lines.subList(0, 200)) {
            Recommendation rec = codec.decode(line.getBytes(StandardCharsets.UTF_8));
            assertThat(rec.getItems()).hasSize(10);
            // every SID is valid: exact catalog matches only
            assertThat(rec.getItems()).allSatisfy(i -> assertThat(i.getMatchLevel()).isEqualTo(4));
            assertThat(rec.getProcessingLatencyMs()).isZero();
        }

        Map<String, Double> summary = JobRunner.summary(r1);
        assertThat(summary.get("evaluated")).isGreaterThan(interactions - TinyBundle.USERS - 1.0);
        assertThat(summary.get("recommendations")).isEqualTo((double) interactions);
        // the planted sequential structure is learnable: far above what 10 random items of 150 would hit
        assertThat(summary.get("HR@10")).isGreaterThan(0.2);
        assertThat(summary.get("distinct.recommended.items")).isBetween(10.0, (double) TinyBundle.ITEMS);
        // records carry latency 0 (byte-identical replays); the measured latency is in the summary
        assertThat(summary).containsKeys("latency.p50.0.ms", "latency.p99.0.ms", "latency.p99.9.ms");
        assertThat(summary.get("latency.p50.0.ms")).isGreaterThanOrEqualTo(0.0)
                .isLessThanOrEqualTo(summary.get("latency.p99.0.ms"));
        assertThat(summary.get("latency.p99.0.ms")).isLessThanOrEqualTo(summary.get("latency.p99.9.ms"));
        assertThat(summary.get("latency.p99.9.ms")).isPositive();
    }

    @Test
    void anAvroDataFileReplaysExactlyLikeTheSameEventsAsJsonLinesAndADamagedOneIsDeadLettered(@TempDir Path tmp) throws Exception {
        Dataset data = DatasetStore.read(TinyBundle.data());
        List<InteractionEvent> events = new java.util.ArrayList<>();
        for (Interaction in : data.interactions().subList(0, 300)) events.add(EventMapping.toEvent(new SourceEvent(in, Map.of())));
        Path jsonl = tmp.resolve("events.jsonl");
        RecordCodec<InteractionEvent> json = RecordCodec.of(InteractionEvent.class, WireFormat.JSON);
        try (var w = Files.newBufferedWriter(jsonl)) {
            for (InteractionEvent e : events) w.write(new String(json.encode(e), StandardCharsets.UTF_8) + "\n");
        }
        Path avro = tmp.resolve("events.avro");
        try (DataFileWriter<InteractionEvent> w = new DataFileWriter<>(new SpecificDatumWriter<>(InteractionEvent.class))) {
            w.create(InteractionEvent.getClassSchema(), avro.toFile());
            for (InteractionEvent e : events) w.append(e);
        }
        assertThat(AvroEventFileFormat.isAvroDataFile(avro)).isTrue();
        assertThat(AvroEventFileFormat.isAvroDataFile(jsonl)).isFalse();

        JobRunner.run(JobRunner.prepareLocal(spec(Files.createDirectories(tmp.resolve("j")), jsonl), false));
        JobRunner.run(JobRunner.prepareLocal(spec(Files.createDirectories(tmp.resolve("a")), avro), false));
        byte[] fromJson = output(tmp.resolve("j/recs"));
        assertThat(new String(fromJson, StandardCharsets.UTF_8).lines()).hasSize(300);
        assertThat(output(tmp.resolve("a/recs"))).isEqualTo(fromJson);

        // a damaged block (its sync marker overwritten): what precedes it is replayed, the damage is one dead letter
        byte[] damaged = Files.readAllBytes(avro);
        java.util.Arrays.fill(damaged, damaged.length - 16, damaged.length, (byte) 0);
        Path cut = tmp.resolve("damaged.avro");
        Files.write(cut, damaged);
        JobRunner.run(JobRunner.prepareLocal(spec(Files.createDirectories(tmp.resolve("c")), cut), false));
        List<String> dead = new ArrayList<>();
        for (Path p : ReplayJob.outputFiles(tmp.resolve("c/dlq"), ReplayJob.DEAD_LETTERS_PREFIX)) dead.addAll(Files.readAllLines(p));
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0)).contains("MALFORMED_BYTES");
        long recs = new String(output(tmp.resolve("c/recs")), StandardCharsets.UTF_8).lines().count();
        assertThat(recs).isLessThan(300);
    }
}
