package dev.sidflow.stream;

import dev.sidflow.cli.SidflowCli;
import dev.sidflow.stream.kafka.EmbeddedKafka;
import dev.sidflow.stream.kafka.KafkaTopics;
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
 * The real-time job on a real standalone cluster (JobManager and TaskManager processes, as
 * `sidflow flink start` runs them) reading from and writing to a broker in this JVM: the
 * TaskManager (2 slots, the job at parallelism 2) is SIGKILLed mid-run, a new one is started, the
 * job restarts from its last checkpoint, and the committed output stays exactly once.
 */
class TaskManagerKillIT {

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aSigkilledTaskManagerLosesNothingAndDuplicatesNothing(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
        String cp = LocalFlinkCluster.flinkClasspathOfThisJvm();
        // one TaskManager with a slot per subtask: the kill takes every subtask down at once, and
        // a second TaskManager JVM would cost more memory than this machine spares
        LocalFlinkCluster cluster = new LocalFlinkCluster(new LocalFlinkCluster.Settings(dir.resolve("flink"),
                LocalFlinkClusterIT.freePort(), LocalFlinkClusterIT.freePort(), FaultWorkload.PARALLELISM, "2g",
                LocalFlinkCluster.jvmOpensOfThisJvm(), cp))
                // notice the dead TaskManager after two failed heartbeats (~4 s) instead of Flink's default ~20 s
                .withConfig("heartbeat.interval", "2000")
                .withConfig("heartbeat.timeout", "20000");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            KafkaTopics topics = FailureInjectionIT.topics(kafka, "tmkill");
            JobSpec spec = FaultWorkload.realtimeSpec(dir, "tm-kill-it", kafka.bootstrapServers(), topics);
            cluster.start(Duration.ofSeconds(120));
            long t0 = System.nanoTime();
            try (FaultWorkload workload = new FaultWorkload(kafka.bootstrapServers(), topics.events())) {
                // a first batch; steady traffic starts once output is committed, so the fault hits mid-stream
                workload.send(40);
                System.setProperty("sidflow.home", Path.of("").toAbsolutePath().toString());
                int code = SidflowCli.commandLine().execute("submit", dir.resolve("tm-kill-it.yaml").toString(),
                        "--jobmanager", cluster.settings().restAddress());
                assertThat(code).isZero();
                String bootstrap = kafka.bootstrapServers();
                // committed output means a checkpoint completed: now kill the TaskManager mid-stream
                await(() -> FaultAudit.countCommitted(bootstrap, topics.recommendations(), topics.deadLetters()) >= 20,
                        Duration.ofSeconds(120), "the first committed recommendations");
                workload.startPaced(10, Duration.ofMillis(500));
                Thread.sleep(2000);
                assertThat(cluster.killTaskManager()).isTrue();
                int sentAtKill = workload.goodSent();
                cluster.startTaskManager();
                // events keep coming while the job is down and while it recovers; then the backlog must drain
                await(() -> workload.goodSent() >= sentAtKill + 100, Duration.ofSeconds(60), "events after the kill");
                workload.stop();

                ReliabilityReport report = FaultAudit.audit("standalone-taskmanager-sigkill", 1, () -> FlinkRest.restarts(cluster.settings().restAddress()), workload, bootstrap,
                        topics.recommendations(), topics.deadLetters(), Duration.ofSeconds(150), t0);
                int parallelism = FailureInjectionIT.runningParallelism(cluster.settings().restAddress());
                System.out.println(report.line() + " parallelism=" + parallelism);
                assertThat(parallelism).isEqualTo(FaultWorkload.PARALLELISM);
                report.assertExactlyOnce(workload);
                assertThat(report.restarts()).as("the kill restarted the job").isGreaterThanOrEqualTo(1);
            }
        } finally {
            cluster.stop();
        }
    }
}
