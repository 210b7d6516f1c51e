package dev.sidflow.stream;

import dev.sidflow.stream.kafka.EmbeddedKafka;
import dev.sidflow.stream.kafka.KafkaClientSettings;
import dev.sidflow.stream.kafka.KafkaTopics;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real-time job against a secured broker: the in-process broker's client listener takes only
 * SASL_PLAINTEXT with the PLAIN mechanism. The job gets its credentials as users give them, in the
 * spec's {@code kafka.properties}; the test's own clients read theirs from a properties file, as
 * the CLI's {@code --kafka-config} does. Output stays exactly once, a wrong password is refused
 * before a job starts, and no password shows up in anything logged meanwhile (Kafka's clients and
 * broker, Flink, sidflow) even with the SASL code at DEBUG.
 */
class SecuredKafkaIT {
    private static final String USER = "sidflow";
    private static final String PASSWORD = "sasl-it-s3cr3t-7f3a";
    private static final String WRONG_PASSWORD = "sasl-it-wr0ng-91c2";
    static EmbeddedKafka kafka;

    @BeforeAll
    static void up() throws Exception {
        kafka = EmbeddedKafka.startWithSaslPlain(USER, PASSWORD);
    }

    @AfterAll
    static void down() throws Exception {
        if (kafka != null) kafka.close();
    }

    private static CapturedLogs captureLogs() {
        // INFO everywhere shows every client's configuration; DEBUG shows the SASL exchanges themselves
        return new CapturedLogs(Level.INFO, Map.of("org.apache.kafka.common.security", Level.DEBUG,
                "org.apache.kafka.common.network", Level.DEBUG));
    }

    private static Path clientFile(Path dir, String password) throws Exception {
        Path file = dir.resolve(password.equals(PASSWORD) ? "client.properties" : "client-wrong.properties");
        try (Writer w = Files.newBufferedWriter(file)) {
            EmbeddedKafka.saslPlainClient(USER, password).store(w, "SASL client settings, as for --kafka-config");
        }
        return file;
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void theJobRunsExactlyOnceOverSaslAndNoPasswordIsLogged(@TempDir Path dir) throws Exception {
        KafkaTopics topics = FailureInjectionIT.topics(kafka, "secured");
        KafkaClientSettings client = KafkaClientSettings.resolve(kafka.bootstrapServers(), clientFile(dir, PASSWORD));
        JobSpec spec = FaultWorkload.realtimeSpec(dir, "secured-it", kafka.bootstrapServers(),
                EmbeddedKafka.saslPlainClient(USER, PASSWORD), topics, 1);
        String logs;
        try (CapturedLogs captured = captureLogs()) {
            long t0 = System.nanoTime();
            JobClient job = JobRunner.start(JobRunner.prepareLocal(spec, false));
            try (FaultWorkload workload = new FaultWorkload(client, topics.events())) {
                workload.send(160);
                workload.stop();
                ReliabilityReport report = FaultAudit.audit("sasl-plaintext", 0, () -> FlinkRest.restarts(FailureInjectionIT.rest(spec)),
                        workload, client, topics.recommendations(), topics.deadLetters(), Duration.ofSeconds(90), t0);
                System.out.println(report.line());
                report.assertExactlyOnce(workload);
                assertThat(report.restarts()).as("nothing failed on the secured connections").isZero();
                assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            } finally {
                job.cancel().get();
            }
            logs = captured.text();
        }
        // the job's own Kafka clients logged their configuration, secured and masked
        assertThat(logs).contains("security.protocol = SASL_PLAINTEXT", "sasl.mechanism = PLAIN", "sasl.jaas.config = [hidden]");
        assertThat(logs).contains("transactional.id = secured-it-recs");
        assertThat(logs).doesNotContain(PASSWORD);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aWrongPasswordIsRefusedAtOnceAndNeverLogged(@TempDir Path dir) throws Exception {
        KafkaTopics topics = FailureInjectionIT.topics(kafka, "refused");
        KafkaClientSettings wrong = KafkaClientSettings.resolve(kafka.bootstrapServers(), clientFile(dir, WRONG_PASSWORD));
        JobSpec spec = FaultWorkload.realtimeSpec(dir, "refused-it", kafka.bootstrapServers(),
                EmbeddedKafka.saslPlainClient(USER, WRONG_PASSWORD), topics, 1);
        String logs;
        long clientSeconds;
        long jobSeconds;
        try (CapturedLogs captured = captureLogs()) {
            long t0 = System.nanoTime();
            try (KafkaProducer<byte[], byte[]> producer = CommittedOutput.producer(wrong)) {
                assertThatThrownBy(() -> producer.partitionsFor(topics.events()))
                        .isInstanceOf(SaslAuthenticationException.class).hasMessageContaining("Invalid username or password");
            }
            clientSeconds = (System.nanoTime() - t0) / 1_000_000_000L;

            long t1 = System.nanoTime();
            // the job is refused while it is being built: nothing runs, nothing restarts for ever
            assertThatThrownBy(() -> JobRunner.prepareLocal(spec, false))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("refused the job's client settings")
                    .hasMessageContaining("Invalid username or password")
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
            jobSeconds = (System.nanoTime() - t1) / 1_000_000_000L;
            logs = captured.text();
        }
        System.out.printf("wrong password refused: client after %d s, job start after %d s%n", clientSeconds, jobSeconds);
        assertThat(clientSeconds).as("a refused login is not retried until a timeout").isLessThan(10);
        assertThat(jobSeconds).isLessThan(KafkaPreflight.TIMEOUT.toSeconds());
        assertThat(logs).contains("Authentication failed").contains("sasl.jaas.config = [hidden]");
        assertThat(logs).doesNotContain(WRONG_PASSWORD).doesNotContain(PASSWORD);
        // the right password, from the same kind of file, still gets in
        Properties admin = KafkaClientSettings.resolve(kafka.bootstrapServers(), clientFile(dir, PASSWORD)).admin();
        try (var ok = org.apache.kafka.clients.admin.Admin.create(admin)) {
            assertThat(ok.listTopics().names().get(30, TimeUnit.SECONDS)).contains(topics.events());
        }
    }
}
