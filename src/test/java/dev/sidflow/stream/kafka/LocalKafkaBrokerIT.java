package dev.sidflow.stream.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The real thing: a separate kafka.Kafka JVM started, used and stopped through LocalKafkaBroker. */
class LocalKafkaBrokerIT {

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void startsARealBrokerProcessThatProducesConsumesAndStops(@TempDir Path dir) throws Exception {
        int port = freePort();
        int controllerPort = freePort();
        KafkaTopics topics = new KafkaTopics("it.events", "it.catalog", "it.recommendations", "it.dead-letters");
        BrokerSettings settings = new BrokerSettings(dir.resolve("kafka"), "127.0.0.1", port, controllerPort, 384,
                Duration.ofSeconds(90), 2, topics, null);
        LocalKafkaBroker broker = new LocalKafkaBroker(settings);
        try {
            LocalKafkaBroker.StartResult started = broker.start();
            assertThat(started.started()).isTrue();
            assertThat(started.formatted()).isTrue();
            assertThat(started.createdTopics()).containsExactlyInAnyOrderElementsOf(topics.names());

            BrokerStatus status = broker.status();
            assertThat(status.running()).isTrue();
            assertThat(status.bootstrap()).isEqualTo("127.0.0.1:" + port);
            assertThat(status.topics()).containsEntry("it.events", 2).containsEntry("it.catalog", 1)
                    .containsEntry("it.recommendations", 2).containsEntry("it.dead-letters", 1);
            long pid = status.pid();
            assertThat(ProcessHandle.of(pid)).isPresent();
            assertThat(Files.readString(settings.pidFile()).trim()).isEqualTo(Long.toString(pid));
            assertThat(Files.readString(settings.serverProperties())).contains("process.roles=broker,controller");

            // a second start finds it running and does nothing
            assertThat(broker.start().started()).isFalse();

            KafkaClientSettings client = KafkaClientSettings.of(settings.bootstrapServers());
            try (var producer = new KafkaProducer<>(client.producer(), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("it.events", "u1", "hello real kafka")).get();
            }
            Properties cp = client.consumer();
            cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            List<ConsumerRecord<String, String>> got = new ArrayList<>();
            try (var consumer = new KafkaConsumer<>(cp, new StringDeserializer(), new StringDeserializer())) {
                var partitions = List.of(new TopicPartition("it.events", 0), new TopicPartition("it.events", 1));
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (got.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(got::add);
                }
            }
            assertThat(got).hasSize(1);
            assertThat(got.get(0).key()).isEqualTo("u1");
            assertThat(got.get(0).value()).isEqualTo("hello real kafka");

            assertThat(broker.stop(Duration.ofSeconds(30))).isTrue();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            BrokerStatus after = broker.status();
            assertThat(after.running()).isFalse();
            assertThat(after.describe()).startsWith("kafka: stopped");
            assertThat(settings.pidFile()).doesNotExist();
            assertThat(broker.stop(Duration.ofSeconds(5))).isFalse();
            assertThat(Files.readString(settings.logFile())).contains("Kafka Server started");
        } finally {
            broker.stop(Duration.ofSeconds(10)); // never leave a broker behind
        }
    }
}
