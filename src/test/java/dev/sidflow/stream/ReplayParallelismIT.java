package dev.sidflow.stream;

import dev.sidflow.model.TinyBundle;
import dev.sidflow.schema.Recommendation;
import dev.sidflow.schema.RecommendedItem;
import dev.sidflow.stream.serde.RecordCodec;
import dev.sidflow.stream.serde.WireFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replay at parallelism 2 (two keyed history and inference subtasks, MiniCluster, RocksDB,
 * checkpoints) recommends the same items for every event as at parallelism 1: no event lost, none
 * recommended twice, no user's history split across subtasks.
 */
class ReplayParallelismIT {
    private static final int EVENTS = 600;

    private static JobSpec spec(Path dir, Path data, int parallelism) throws Exception {
        Path file = dir.resolve("replay.yaml");
        Files.writeString(file, String.join("\n",
                "name: replay-p" + parallelism,
                "mode: replay",
                "bundle: " + TinyBundle.dir(),
                "device: cpu",
                "parallelism: " + parallelism,
                "replay: {input: " + data + ", output: " + dir.resolve("recs") + ", deadLetters: " + dir.resolve("dlq") + ", evaluate: true}",
                "history: {length: 10, dedupWindow: 16, ttl: 3650d}",
                "batching: {maxBatchSize: 8, maxDelay: 20ms}",
                "watermarks: {maxOutOfOrderness: 0s, idleTimeout: 0s}",
                "checkpoints: {interval: 1s, dir: " + dir.resolve("checkpoints") + ", incremental: true}",
                "web: {port: 0}"));
        return JobSpec.load(file);
    }

    /** The first events of the tiny data set, as a canonical data set directory. */
    private static Path firstEvents(Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.copy(TinyBundle.data().resolve("dataset.json"), data.resolve("dataset.json"));
        Files.write(data.resolve("interactions.jsonl"),
                Files.readAllLines(TinyBundle.data().resolve("interactions.jsonl")).subList(0, EVENTS));
        return data;
    }

    private static Map<String, Recommendation> byEvent(Path dir) throws Exception {
        RecordCodec<Recommendation> json = RecordCodec.of(Recommendation.class, WireFormat.JSON);
        Map<String, Recommendation> out = new HashMap<>();
        int lines = 0;
        for (Path f : ReplayJob.outputFiles(dir, ReplayJob.RECOMMENDATIONS_PREFIX)) {
            for (String line : Files.readAllLines(f)) {
                Recommendation r = json.decode(line.getBytes(StandardCharsets.UTF_8));
                out.put(r.getRequestKey(), r);
                lines++;
            }
        }
        assertThat(out).as("one recommendation per event").hasSize(lines);
        return out;
    }

    private static Set<String> items(Recommendation r) {
        return r.getItems().stream().map(RecommendedItem::getItemId).collect(Collectors.toSet());
    }

    @Test
    void parallelismTwoRecommendsTheSameItemsForEveryEventAsParallelismOne(@TempDir Path tmp) throws Exception {
        Path data = firstEvents(tmp);
        Map<String, Double> one = JobRunner.summary(JobRunner.run(JobRunner.prepareLocal(
                spec(Files.createDirectories(tmp.resolve("p1")), data, 1), false)));
        Map<String, Double> two = JobRunner.summary(JobRunner.run(JobRunner.prepareLocal(
                spec(Files.createDirectories(tmp.resolve("p2")), data, 2), false)));

        Map<String, Recommendation> a = byEvent(tmp.resolve("p1/recs"));
        Map<String, Recommendation> b = byEvent(tmp.resolve("p2/recs"));
        assertThat(a).hasSize(EVENTS);
        assertThat(b.keySet()).isEqualTo(a.keySet());
        List<String> differing = a.keySet().stream()
                .filter(k -> !items(a.get(k)).equals(items(b.get(k))) || !a.get(k).getUserId().equals(b.get(k).getUserId()))
                .toList();
        assertThat(differing).as("events whose recommended items differ").isEmpty();
        assertThat(ReplayJob.outputFiles(tmp.resolve("p2/dlq"), ReplayJob.DEAD_LETTERS_PREFIX).stream()
                .mapToLong(p -> p.toFile().length()).sum()).isZero();
        // the prequential evaluation sees the same events and the same hits
        assertThat(two.get("recommendations")).isEqualTo((double) EVENTS);
        assertThat(two.get("evaluated")).isEqualTo(one.get("evaluated"));
        assertThat(two.get("HR@10")).isEqualTo(one.get("HR@10"));
    }
}
