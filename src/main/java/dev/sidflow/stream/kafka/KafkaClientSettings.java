package dev.sidflow.stream.kafka;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;

/**
 * Where the cluster is and how to talk to it: bootstrap servers plus any extra client properties
 * (security.protocol, sasl.*, ssl.*, ...) passed through unchanged from a properties file, so the same
 * commands work against the local broker and against a secured multi-node cluster.
 */
public record KafkaClientSettings(String bootstrapServers, Properties extra) {

    public static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";
    /** Environment variable consulted when no --bootstrap is given. */
    public static final String BOOTSTRAP_ENV = "SIDFLOW_KAFKA_BOOTSTRAP";

    public KafkaClientSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Properties copy = new Properties();
        if (extra != null) copy.putAll(extra);
        extra = copy;
    }

    public static KafkaClientSettings of(String bootstrapServers) {
        return new KafkaClientSettings(bootstrapServers, new Properties());
    }

    /**
     * Bootstrap from the flag, else from $SIDFLOW_KAFKA_BOOTSTRAP, else from {@code bootstrap.servers} in the
     * properties file, else 127.0.0.1:9092.
     */
    public static KafkaClientSettings resolve(String bootstrapFlag, Path propertiesFile) throws IOException {
        Properties extra = new Properties();
        if (propertiesFile != null) {
            try (Reader r = Files.newBufferedReader(propertiesFile)) {
                extra.load(r);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("Kafka client properties file not found: " + propertiesFile);
            }
        }
        String bootstrap = bootstrapFlag;
        if (bootstrap == null || bootstrap.isBlank()) bootstrap = System.getenv(BOOTSTRAP_ENV);
        if (bootstrap == null || bootstrap.isBlank()) bootstrap = extra.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        if (bootstrap == null || bootstrap.isBlank()) bootstrap = DEFAULT_BOOTSTRAP;
        return new KafkaClientSettings(bootstrap.trim(), extra);
    }

    private Properties base() {
        Properties p = new Properties();
        p.putAll(extra);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }

    public Properties admin() {
        Properties p = base();
        p.putIfAbsent(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.putIfAbsent(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        return p;
    }

    /** Idempotent producer waiting for all in-sync replicas; explicit file settings win except these two. */
    public Properties producer() {
        Properties p = base();
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return p;
    }

    /** Never prints secret settings (sasl.jaas.config, ssl.*password*, ...). */
    @Override
    public String toString() {
        return "KafkaClientSettings[bootstrapServers=" + bootstrapServers + ", extra=" + SecretRedaction.toString(extra) + "]";
    }

    public Properties consumer() {
        Properties p = base();
        p.putIfAbsent(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return p;
    }
}
