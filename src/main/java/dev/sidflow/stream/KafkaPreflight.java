package dev.sidflow.stream;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.AuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks a job's Kafka cluster, before the job is built, whether it accepts the spec's client
 * settings. Without this a wrong password or an untrusted certificate does not stop a job: its
 * sources and sinks fail at run time, Flink restarts the job again and again, and only Flink's own
 * log says why. A cluster that does not answer in time is left to the job's restart strategy: its
 * brokers may still be starting.
 */
public final class KafkaPreflight {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(KafkaPreflight.class);

    private KafkaPreflight() {}

    /** Whether a job reads or writes Kafka: every real-time job; replay and catalog jobs given a {@code kafka:TOPIC}. */
    public static boolean needed(JobSpec spec) {
        return switch (spec.mode()) {
            case "realtime" -> true;
            case "replay" -> spec.replay() != null && (KafkaLocation.topicOf(spec.replay().input()) != null
                    || KafkaLocation.topicOf(spec.replay().output()) != null || KafkaLocation.topicOf(spec.replay().deadLetters()) != null);
            // the catalog job always publishes to the catalog topic
            case "catalog" -> true;
            default -> false;
        };
    }

    /**
     * @throws IllegalStateException when the cluster refuses the credentials or the TLS handshake
     *                               (the secret itself is never part of the message)
     */
    public static void check(JobSpec spec) {
        Properties p = spec.kafkaClient().admin();
        p.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(TIMEOUT.toMillis()));
        p.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(TIMEOUT.toMillis()));
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, spec.name() + "-preflight");
        Admin admin = Admin.create(p);
        try {
            admin.describeCluster().clusterId().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthenticationException refused) {
                throw new IllegalStateException("Kafka at " + spec.kafka().bootstrap() + " refused the job's client settings"
                        + " (kafka.properties of the spec: security.protocol, sasl.*, ssl.*): " + refused.getMessage(), refused);
            }
            LOG.warn("Kafka at {} did not answer the start-up check ({}); starting the job anyway", spec.kafka().bootstrap(), e.getCause().toString());
        } catch (TimeoutException e) {
            LOG.warn("Kafka at {} did not answer within {} s; starting the job anyway", spec.kafka().bootstrap(), TIMEOUT.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking Kafka at " + spec.kafka().bootstrap(), e);
        } finally {
            admin.close(Duration.ofSeconds(1));  // a call to an unreachable cluster is abandoned, not waited for
        }
    }
}
