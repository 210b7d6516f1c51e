package dev.sidflow.stream;

import dev.sidflow.stream.kafka.BrokerSettings;
import dev.sidflow.stream.kafka.KafkaTopics;
import dev.sidflow.stream.kafka.LocalKafkaBroker;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.sidflow.stream.FailureInjectionIT.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broker goes away mid-run: a real Kafka process (as `sidflow kafka start` runs it) is stopped
 * and started again on the same log directory and ports while the real-time job runs on a
 * MiniCluster at parallelism 2 (2 partitions per topic) and events keep coming. The job's clients reconnect (or the job restarts from its
 * last checkpoint) and the committed output stays exactly once.
 */
class BrokerRestartIT {

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void theJobRidesOutABrokerRestartExactlyOnce(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
        KafkaTopics topics = new KafkaTopics("restart.events", "restart.catalog", "restart.recommendations", "restart.dead-letters");
        BrokerSettings settings = new BrokerSettings(dir.resolve("kafka"), "127.0.0.1", LocalFlinkClusterIT.freePort(),
                LocalFlinkClusterIT.freePort(), 384, Duration.ofSeconds(90), 2, topics, null);
        LocalKafkaBroker broker = new LocalKafkaBroker(settings);
        JobClient job = null;
        try {
            broker.start();
            String bootstrap = settings.bootstrapServers();
            JobSpec spec = FaultWorkload.realtimeSpec(dir, "broker-restart-it", bootstrap, topics);
            long t0 = System.nanoTime();
            job = JobRunner.start(JobRunner.prepareLocal(spec, false));
            try (FaultWorkload workload = new FaultWorkload(bootstrap, topics.events())) {
                // a first batch; steady traffic starts once output is committed, so the fault hits mid-stream
                workload.send(40);
                await(() -> FaultAudit.countCommitted(bootstrap, topics.recommendations(), topics.deadLetters()) >= 20,
                        Duration.ofSeconds(120), "the first committed recommendations");
                workload.startPaced(10, Duration.ofMillis(500));
                Thread.sleep(2000);

                int sentAtStop = workload.goodSent();
                assertThat(broker.stop(Duration.ofSeconds(30))).isTrue();
                Thread.sleep(3000);  // down for a while: the job's producers and consumers see it gone
                assertThat(broker.start().started()).isTrue();
                await(() -> workload.goodSent() >= sentAtStop + 100, Duration.ofSeconds(90), "events after the restart");
                workload.stop();

                ReliabilityReport report = FaultAudit.audit("kafka-broker-restart", 1, () -> FlinkRest.restarts(FailureInjectionIT.rest(spec)), workload, bootstrap,
                        topics.recommendations(), topics.deadLetters(), Duration.ofSeconds(150), t0);
                int parallelism = FailureInjectionIT.runningParallelism(FailureInjectionIT.rest(spec));
                System.out.println(report.line() + " parallelism=" + parallelism);
                assertThat(parallelism).isEqualTo(FaultWorkload.PARALLELISM);
                report.assertExactlyOnce(workload);
                assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            }
        } finally {
            if (job != null) job.cancel().get();
            broker.stop(Duration.ofSeconds(30));
        }
    }
}
