package dev.sidflow.stream.kafka;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BrokerSettingsTest {

    @Test
    void serverPropertiesDescribeALoopbackCombinedKraftNode() {
        BrokerSettings s = BrokerSettings.defaults(Path.of("/tmp/sf"), 19092);
        assertThat(s.controllerPort()).isEqualTo(19093);
        assertThat(s.bootstrapServers()).isEqualTo("127.0.0.1:19092");
        assertThat(s.serverPropertiesLines()).contains(
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:19093",
                "listeners=PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093",
                "log.dirs=/tmp/sf/data",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.max.timeout.ms=900000",
                "log.retention.ms=-1"); // historical event times must not expire on arrival
        assertThat(s.serverPropertiesLines()).noneMatch(l -> l.startsWith("log.retention.hours"));
    }

    @Test
    void rejectsClashingPorts() {
        assertThatThrownBy(() -> new BrokerSettings(Path.of("x"), "127.0.0.1", 9092, 9092, 512,
                java.time.Duration.ofSeconds(1), 1, KafkaTopics.DEFAULT, null)).hasMessageContaining("controller port");
    }

    @Test
    void catalogTopicIsCompactedAndSinglePartition() {
        var topics = KafkaTopics.DEFAULT.newTopics(3);
        assertThat(topics).extracting(t -> t.name()).containsExactlyElementsOf(KafkaTopics.DEFAULT.names());
        var catalog = topics.get(1);
        assertThat(catalog.numPartitions()).isEqualTo(1);
        assertThat(catalog.configs()).containsEntry("cleanup.policy", "compact");
        assertThat(topics.get(0).numPartitions()).isEqualTo(3);
        // records carry event times (years old for a replayed log): no time-based deletion on the append-only topics
        for (int i : new int[] {0, 2, 3}) assertThat(topics.get(i).configs()).containsEntry("retention.ms", "-1");
        assertThat(catalog.configs()).doesNotContainKey("retention.ms");
    }
}
