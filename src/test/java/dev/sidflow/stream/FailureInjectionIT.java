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
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly once under injected failures and under backpressure, on a MiniCluster with RocksDB,
 * 1 s checkpoints and Flink's default restart strategy (exponential delay), against an in-process
 * broker. A stage spliced in before the recommendations sink either fails the job mid-stream (three
 * times, each after a checkpoint completed) or holds every record (a slow sink). The committed
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
            System.out.println(report.line());
            assertThat(report.faults()).isEqualTo(3);
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
        long perRecordMs = 25;
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
            System.out.println(report.line() + String.format(java.util.Locale.ROOT, " sink-ms-per-record=%d drain-seconds=%.1f",
                    perRecordMs, drainSeconds));
            report.assertExactlyOnce(workload);
            assertThat(report.restarts()).as("backpressure is not a failure").isZero();
            // the throttle really was the bottleneck: the burst cannot drain faster than the sink
            assertThat(drainSeconds).isGreaterThanOrEqualTo(report.accepted() * perRecordMs / 1000.0);
        } finally {
            job.cancel().get();
        }
    }
}
