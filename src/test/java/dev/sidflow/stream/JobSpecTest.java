package dev.sidflow.stream;

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobSpecTest {

    @Test
    void theShippedSpecsLoad() throws Exception {
        JobSpec realtime = JobSpec.load(Path.of("flink-jobs/realtime.yaml"));
        assertThat(realtime.mode()).isEqualTo("realtime");
        assertThat(realtime.kafka().topics().events()).isEqualTo("sidflow.events");
        assertThat(realtime.workflowSettings().maxBatchDelay()).isEqualTo(Duration.ofMillis(10));
        assertThat(realtime.workflowSettings().deterministicOutput()).isFalse();

        JobSpec replay = JobSpec.load(Path.of("flink-jobs/replay.yaml"));
        assertThat(replay.mode()).isEqualTo("replay");
        assertThat(replay.workflowSettings().deterministicOutput()).isTrue();
        assertThat(replay.workflowSettings().stateTtl()).isEqualTo(Duration.ofDays(3650));
        // entries a spec leaves out come from the defaults
        assertThat(replay.kafka().bootstrap()).isEqualTo("127.0.0.1:9092");
        assertThat(replay.replay().start()).isEqualTo("earliest");
        assertThat(replay.replay().stop()).isEqualTo("latest");
        JobSpec fromTopic = replay.withReplay(replay.replay().withInput("kafka:sidflow.events").withRange(null, "1700000000000"));
        assertThat(KafkaLocation.topicOf(fromTopic.replay().input())).isEqualTo("sidflow.events");
        assertThat(fromTopic.replay().start()).isEqualTo("earliest");
        assertThat(KafkaLocation.topicOf(fromTopic.replay().output())).isNull();

        JobSpec catalog = JobSpec.load(Path.of("flink-jobs/catalog.yaml"));
        assertThat(catalog.mode()).isEqualTo("catalog");
        assertThat(catalog.kafka().topics().catalog()).isEqualTo("sidflow.catalog");
        assertThat(catalog.catalog().data()).isEqualTo("target/data/demo");
        assertThat(catalog.checkpoints().dir()).isEqualTo(".sidflow/checkpoints/catalog");
        assertThatThrownBy(() -> KafkaLocation.topicOf("kafka: ")).hasMessageContaining("names no topic");
    }

    @Test
    void durationsAndBadSpecsGiveClearAnswers(@TempDir Path dir) throws Exception {
        assertThat(JobSpec.duration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(JobSpec.duration("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(JobSpec.duration("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(JobSpec.duration("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(JobSpec.duration("PT2H")).isEqualTo(Duration.ofHours(2));
        assertThatThrownBy(() -> JobSpec.duration("soon")).hasMessageContaining("bad duration 'soon'");

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "name: x\nbatchin: {maxBatchSize: 3}\n");
        assertThatThrownBy(() -> JobSpec.load(bad)).hasMessageContaining("bad.yaml").hasMessageContaining("batchin");
        assertThatThrownBy(() -> JobSpec.load(dir.resolve("missing.yaml"))).hasMessageContaining("job spec not found");
    }

    @Test
    void flinkConfigurationUsesRocksDbExactlyOnceCheckpointsAndOptionalPrometheus(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("spec.yaml");
        Files.writeString(file, "name: t\ncheckpoints: {interval: 2s, dir: " + dir.resolve("chk") + ", incremental: true, retainOnCancel: true}\nmetrics: {prometheusPort: 9999}\n");
        Configuration conf = FlinkSetup.configuration(JobSpec.load(file));
        assertThat(conf.toMap()).containsEntry("state.backend.type", "rocksdb")
                .containsEntry("execution.checkpointing.incremental", "true")
                .containsEntry("execution.checkpointing.mode", "EXACTLY_ONCE")
                .containsEntry("pipeline.generic-types", "false")
                .containsEntry("metrics.reporter.prom.port", "9999")
                .containsEntry("rest.bind-address", "127.0.0.1");
        assertThat(conf.toMap().get("execution.checkpointing.dir")).startsWith("file:/").endsWith("chk");
        // real time flushes network buffers every 10 ms; a replay keeps Flink's throughput-friendly default
        assertThat(conf.get(org.apache.flink.configuration.ExecutionOptions.BUFFER_TIMEOUT)).isEqualTo(Duration.ofMillis(10));
        Files.writeString(file, "name: t\nmode: replay\n");
        assertThat(FlinkSetup.configuration(JobSpec.load(file)).contains(org.apache.flink.configuration.ExecutionOptions.BUFFER_TIMEOUT))
                .isFalse();
    }
}
