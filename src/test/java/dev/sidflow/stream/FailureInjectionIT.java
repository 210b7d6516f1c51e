package dev.sidflow.stream;

import dev.sidflow.schema.Recommendation;
import dev.sidflow.stream.kafka.EmbeddedKafka;
import dev.sidflow.stream.kafka.KafkaTopics;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly once under injected failures and under backpressure, on a MiniCluster with RocksDB,
 * 1 s checkpoints and Flink's default restart strategy (exponential delay), against an in-process
 * broker, at parallelism 2 ({@link FaultWorkload#PARALLELISM}). A stage spliced in before the
 * recommendations sink either fails the job mid-stream (three times, each after a checkpoint
 * completed, from alternating subtasks) or holds every record (a slow sink). The committed
 * output must hold one recommendation per good event and one dead letter per bad record.
 */
class FailureInjectionIT {
    static EmbeddedKafka kafka;

    @BeforeAll
    static void up() throws Exception {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void down() throws Exception {
        if (kafka != null) kafka.close();
    }

    static KafkaTopics topics(EmbeddedKafka kafka, String prefix) throws Exception {
        KafkaTopics t = new KafkaTopics(prefix + ".events", prefix + ".catalog", prefix + ".recommendations", prefix + ".dead-letters");
        kafka.createTopic(t.events(), 2);
        kafka.createTopic(t.catalog(), 1);
        kafka.createTopic(t.recommendations(), 2);
        kafka.createTopic(t.deadLetters(), 1);
        return t;
    }

    /** The REST address of a job's local MiniCluster. */
    static String rest(JobSpec spec) {
        return "127.0.0.1:" + spec.web().port();
    }

    /**
     * The parallelism the running job's events source, keyed history, batched inference and
     * recommendations sink really have, as Flink's REST API reports them (they must agree). A vertex
     * is a chain of operators, named after the operators in it.
     */
    static int runningParallelism(String restAddress) throws Exception {
        Map<String, Integer> vertices = FlinkRest.vertexParallelism(restAddress);
        Set<Integer> seen = new TreeSet<>();
        for (String operator : List.of("Source: events", "user-history", "batched-inference", "recommendations-sink")) {
            List<Integer> p = vertices.entrySet().stream().filter(v -> v.getKey().contains(operator)).map(Map.Entry::getValue).toList();
            assertThat(p).as(operator + " in " + vertices).isNotEmpty();
            seen.addAll(p);
        }
        assertThat(seen).as("one parallelism for the scaled operators: " + vertices).hasSize(1);
        return seen.iterator().next();
    }

    static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            Thread.sleep(200);
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void repeatedFailuresMidStreamLoseNothingAndDuplicateNothing(@TempDir Path dir) throws Exception {
        KafkaTopics topics = topics(kafka, "failures");
        JobSpec spec = FaultWorkload.realtimeSpec(dir, "failures-it", kafka.bootstrapServers(), topics);
        FailAfterRecords.INJECTED.set(0);
        FailAfterRecords.FAILED_SUBTASKS.clear();
        long t0 = System.nanoTime();
        JobClient job = JobRunner.start(JobRunner.prepareLocal(spec, false, null, recs -> recs
                .map(new FailAfterRecords(3, 15)).returns(new AvroTypeInfo<>(Recommendation.class))
                .name("inject-failures").uid("inject-failures")));
        try (FaultWorkload workload = new FaultWorkload(kafka.bootstrapServers(), topics.events())) {
            workload.startPaced(10, Duration.ofMillis(250));
            await(() -> FailAfterRecords.INJECTED.get() >= 3, Duration.ofSeconds(120), "three injected failures");
            Thread.sleep(1500);  // traffic after the last failure, too
            workload.stop();

            ReliabilityReport report = FaultAudit.audit("minicluster-failing-map", FailAfterRecords.INJECTED.get(), () -> FlinkRest.restarts(rest(spec)), workload,
                    kafka.bootstrapServers(), topics.recommendations(), topics.deadLetters(), Duration.ofSeconds(60), t0);
            int parallelism = runningParallelism(rest(spec));
            System.out.println(report.line() + " parallelism=" + parallelism + " failed-subtasks=" + FailAfterRecords.FAILED_SUBTASKS);
            assertThat(parallelism).isEqualTo(FaultWorkload.PARALLELISM);
            assertThat(report.faults()).isEqualTo(3);
            assertThat(FailAfterRecords.FAILED_SUBTASKS).as("each subtask failed at least once").hasSize(parallelism);
            assertThat(report.restarts()).as("every injected failure restarted the job").isEqualTo(3);
            report.assertExactlyOnce(workload);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get();
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aSlowSinkBackpressuresTheJobWithoutLosingAnything(@TempDir Path dir) throws Exception {
        KafkaTopics topics = topics(kafka, "backpressure");
        JobSpec spec = FaultWorkload.realtimeSpec(dir, "backpressure-it", kafka.bootstrapServers(), topics);
        // per subtask: the sinks of all subtasks together take 25 ms per record, as at parallelism 1
        long perRecordMs = 25L * FaultWorkload.PARALLELISM;
        long t0 = System.nanoTime();
        JobClient job = JobRunner.start(JobRunner.prepareLocal(spec, false, null, recs -> recs
                .map(new ThrottleRecords(perRecordMs)).returns(new AvroTypeInfo<>(Recommendation.class))
                .name("slow-sink").uid("slow-sink")));
        try (FaultWorkload workload = new FaultWorkload(kafka.bootstrapServers(), topics.events())) {
            // a burst far faster than the sink drains it: the backlog waits in Kafka and Flink's buffers
            workload.send(240);
            workload.stop();
            long burstDone = System.nanoTime();

            ReliabilityReport report = FaultAudit.audit("minicluster-slow-sink", 0, () -> FlinkRest.restarts(rest(spec)), workload,
                    kafka.bootstrapServers(), topics.recommendations(), topics.deadLetters(), Duration.ofSeconds(90), t0);
            double drainSeconds = (System.nanoTime() - burstDone) / 1e9;
            int parallelism = runningParallelism(rest(spec));
            System.out.println(report.line() + String.format(java.util.Locale.ROOT, " parallelism=%d sink-ms-per-record=%d drain-seconds=%.1f",
                    parallelism, perRecordMs, drainSeconds));
            assertThat(parallelism).isEqualTo(FaultWorkload.PARALLELISM);
            report.assertExactlyOnce(workload);
            assertThat(report.restarts()).as("backpressure is not a failure").isZero();
            // the throttle really was the bottleneck: the burst cannot drain faster than its subtasks together
            assertThat(drainSeconds).isGreaterThanOrEqualTo(report.accepted() * perRecordMs / 1000.0 / parallelism);
        } finally {
            job.cancel().get();
        }
    }
}
