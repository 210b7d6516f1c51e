package dev.sidflow.bench;

import dev.sidflow.model.TinyBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code sidflow bench} end to end at a low rate: its own real broker, the real-time job with a
 * real (tiny) bundle, batched and state-only modes. Asserts what holds at any speed: every mode
 * reports a step, recommendations came out, and an event's committed latency is never below its
 * processing latency (the commit comes after the write).
 */
class StreamBenchIT {

    @Test
    void measuresBothModesAgainstARealBrokerAndJob(@TempDir Path work) throws Exception {
        StreamBench.Settings s = new StreamBench.Settings(TinyBundle.dir(), TinyBundle.data(), List.of(20.0), 3, 1,
                List.of(BenchMode.BATCHED, BenchMode.STATE_ONLY), 16, "10ms", "1s", 1, "cpu", work, 0.9, 1, null, 2);
        StreamBench.Result r = new StreamBench(s, new PrintStream(PrintStream.nullOutputStream())).run();

        assertThat(r.steps()).extracting(StreamBench.Step::mode).containsExactly("batched", "state-only");
        // two slots, each with its own models, over two partitions
        assertThat(r.settings()).containsEntry("parallelism", 2);
        for (StreamBench.Step step : r.steps()) {
            assertThat(step.measuredEvents()).isGreaterThan(0);
            assertThat(step.delivered()).isGreaterThan(0);
            assertThat(step.processingP50()).isFinite();
            assertThat(step.committedP50()).isGreaterThanOrEqualTo(step.processingP50());
            assertThat(step.committedP99()).isGreaterThanOrEqualTo(step.processingP99());
            assertThat(step.meanBatch()).isBetween(1.0, 16.0);
            assertThat(step.jobRssMb()).isGreaterThan(0);
        }
        // where the in-job time goes: model calls take time, and two slots cannot be busier than all the time
        StreamBench.Step batched = r.steps().get(0);
        assertThat(batched.meanCallMs()).isPositive();
        assertThat(batched.modelBusyShare()).isGreaterThan(0).isLessThanOrEqualTo(1.0);
        assertThat(StreamBench.table(r).toMarkdown()).contains("| batched | 20 |").contains("| state-only | 20 |");
        assertThat(Files.exists(work.resolve("kafka"))).isTrue();
    }

    @Test
    void saysClearlyWhenTheDataIsMissing(@TempDir Path work) {
        assertThatThrownBy(() -> StreamBench.checkInputs(TinyBundle.dir(), work.resolve("nowhere")))
                .hasMessageContaining("data set not found").hasMessageContaining("--data");
        assertThatThrownBy(() -> StreamBench.checkInputs(work, TinyBundle.data()))
                .hasMessageContaining("no model bundle");
    }
}
