package dev.sidflow.stream;

import dev.sidflow.stream.kafka.KafkaClientSettings;
import dev.sidflow.stream.serde.WireFormat;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Field;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Running against a secured cluster: the spec's {@code kafka.properties} (and a properties file for
 * the CLI's clients) reach every Kafka client unchanged, and the secrets among them never show up
 * in a printed spec or in the logs of real clients that try to connect with them.
 */
class KafkaSecuritySettingsTest {
    private static final String JAAS_SECRET = "jaas-s3cr3t-pw";
    private static final String TRUST_SECRET = "trust-s3cr3t-pw";
    private static final Map<String, String> SECURITY = Map.of(
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"sidflow\" password=\"" + JAAS_SECRET + "\";",
            "ssl.truststore.location", "/etc/sidflow/truststore.jks",
            "ssl.truststore.password", TRUST_SECRET);

    private static JobSpec securedSpec(Path dir) throws Exception {
        Path file = dir.resolve("secured.yaml");
        StringBuilder yaml = new StringBuilder("name: secured\nkafka:\n  bootstrap: broker-1.example:9093\n  properties:\n");
        SECURITY.forEach((k, v) -> yaml.append("    ").append(k).append(": '").append(v).append("'\n"));
        Files.writeString(file, yaml);
        return JobSpec.load(file);
    }

    @Test
    void specPropertiesReachTheSourceAndBothExactlyOnceSinks(@TempDir Path dir) throws Exception {
        JobSpec spec = securedSpec(dir);
        KafkaSource<RawRecord> source = KafkaConnectors.rawSource(spec, "ev", "", OffsetsInitializer.earliest());
        Properties sourceProps = (Properties) field(KafkaSource.class, "props").get(source);
        assertThat(sourceProps).containsAllEntriesOf(SECURITY).containsEntry("isolation.level", "read_committed");

        for (KafkaSink<?> sink : List.of(KafkaConnectors.recommendationSink(spec, WireFormat.AVRO),
                KafkaConnectors.deadLetterSink(spec, WireFormat.AVRO))) {
            Properties producer = (Properties) field(KafkaSink.class, "kafkaProducerConfig").get(sink);
            assertThat(producer).containsAllEntriesOf(SECURITY)
                    .containsEntry("transaction.timeout.ms", KafkaConnectors.TRANSACTION_TIMEOUT_MS)
                    .containsEntry("bootstrap.servers", "broker-1.example:9093");
        }
    }

    @Test
    void aPropertiesFileReachesTheCliAdminProducerAndConsumerClients(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client.properties");
        Properties p = new Properties();
        p.putAll(SECURITY);
        try (var w = Files.newBufferedWriter(file)) {
            p.store(w, null);
        }
        KafkaClientSettings settings = KafkaClientSettings.resolve("broker-1.example:9093", file);
        for (Properties client : List.of(settings.admin(), settings.producer(), settings.consumer())) {
            assertThat(client).containsAllEntriesOf(SECURITY).containsEntry("bootstrap.servers", "broker-1.example:9093");
        }
    }

    @Test
    void printedSpecsAndSettingsHideSecrets(@TempDir Path dir) throws Exception {
        JobSpec spec = securedSpec(dir);
        Properties p = new Properties();
        p.putAll(SECURITY);
        for (String printed : List.of(spec.toString(), new KafkaClientSettings("b:9093", p).toString())) {
            assertThat(printed).doesNotContain(JAAS_SECRET).doesNotContain(TRUST_SECRET)
                    .contains("security.protocol=SASL_SSL", "sasl.mechanism=SCRAM-SHA-512",
                            "sasl.jaas.config=[redacted]", "ssl.truststore.password=[redacted]",
                            "ssl.truststore.location=/etc/sidflow/truststore.jks");
        }
    }

    @Test
    void realClientsConnectingWithSecretsNeverLogThem() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();  // nothing listens here once closed: clients log connection failures
        }
        Properties extra = new Properties();
        extra.put("security.protocol", "SASL_PLAINTEXT");
        extra.put("sasl.mechanism", "PLAIN");
        extra.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"sidflow\" password=\"" + JAAS_SECRET + "\";");
        extra.put("ssl.key.password", TRUST_SECRET);
        KafkaClientSettings settings = new KafkaClientSettings("127.0.0.1:" + port, extra);

        String captured;
        try (CapturedLogs logs = new CapturedLogs(Level.DEBUG, Map.of())) {
            Properties prod = settings.producer();
            prod.put("max.block.ms", "1500");
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(prod, new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.partitionsFor("sidflow.events");
            } catch (Exception expected) {
                // no broker: the point is what the client logged while trying
            }
            try (Admin admin = Admin.create(settings.admin())) {
                admin.listTopics().names().get(2, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception expected) {
                // no broker
            }
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings.consumer(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.listTopics(Duration.ofMillis(1500));
            } catch (Exception expected) {
                // no broker
            }
            LogManager.getLogger(KafkaSecuritySettingsTest.class).info("client settings in use: {}", settings);
            captured = logs.text();
        }
        // the clients did log their configuration, with the secret keys masked
        assertThat(captured).contains("sasl.jaas.config = [hidden]").contains("security.protocol = SASL_PLAINTEXT");
        assertThat(captured).contains("client settings in use: KafkaClientSettings[");
        assertThat(captured).doesNotContain(JAAS_SECRET).doesNotContain(TRUST_SECRET);
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }
}
