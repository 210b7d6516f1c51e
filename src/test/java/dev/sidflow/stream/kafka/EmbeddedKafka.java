package dev.sidflow.stream.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.util.List;
import java.util.Properties;

/**
 * An in-process single-node KRaft Kafka for integration tests (Kafka's own KafkaClusterTestKit: one combined
 * broker+controller, random ports, temp dirs deleted on close). Usage:
 * <pre>{@code
 * static EmbeddedKafka kafka;
 * @BeforeAll static void up() throws Exception { kafka = EmbeddedKafka.start(); }
 * @AfterAll static void down() throws Exception { kafka.close(); }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {
    private final KafkaClusterTestKit cluster;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    public static EmbeddedKafka start() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build();
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "1")
                .setConfigProp("transaction.max.timeout.ms", "900000")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                // test events carry old event times: time-based retention would delete them mid-run
                .setConfigProp("log.retention.ms", "-1")
                .build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return new EmbeddedKafka(cluster);
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public KafkaClientSettings clientSettings() {
        return KafkaClientSettings.of(bootstrapServers());
    }

    public Admin admin() {
        Properties p = new Properties();
        p.putAll(cluster.clientProperties());
        return Admin.create(p);
    }

    public void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = admin()) {
            TopicAdmin.ensureTopics(admin, List.of(new NewTopic(name, partitions, (short) 1)));
        }
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
