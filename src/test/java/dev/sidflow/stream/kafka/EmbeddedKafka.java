package dev.sidflow.stream.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.security.plain.PlainLoginModule;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

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
    private static final String JAVA_LOGIN_CONFIG = "java.security.auth.login.config";
    private final KafkaClusterTestKit cluster;
    /** What a client needs besides the bootstrap servers: none for a plaintext broker, SASL settings for a secured one. */
    private final Properties clientSecurity;

    private EmbeddedKafka(KafkaClusterTestKit cluster, Properties clientSecurity) {
        this.cluster = cluster;
        this.clientSecurity = clientSecurity;
    }

    public static EmbeddedKafka start() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build();
        return start(nodes, Map.of(), new Properties());
    }

    /**
     * A broker whose client listener takes only SASL_PLAINTEXT with the PLAIN mechanism, and knows one
     * user besides itself; the controller listener stays plaintext. Authorization is off: what is
     * tested is authentication. Clients of {@link #admin()} and {@link #clientSettings()} log in as
     * that user.
     */
    public static EmbeddedKafka startWithSaslPlain(String user, String password) throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                .build();
        String listener = nodes.brokerListenerName().value().toLowerCase(Locale.ROOT);
        // the broker logs in to itself on this listener too (transaction markers, inter-broker calls)
        String brokerPassword = "broker-" + UUID.randomUUID();
        String serverJaas = PlainLoginModule.class.getName() + " required username=\"broker\" password=\"" + brokerPassword + "\""
                + " user_broker=\"" + brokerPassword + "\" user_" + user + "=\"" + password + "\";";
        Map<String, String> sasl = Map.of(
                "sasl.enabled.mechanisms", "PLAIN",
                "listener.name." + listener + ".plain.sasl.jaas.config", serverJaas,
                "authorizer.class.name", "");
        return start(nodes, sasl, saslPlainClient(user, password));
    }

    /** The client settings of a user of a SASL/PLAIN broker, as they would stand in a properties file. */
    public static Properties saslPlainClient(String user, String password) {
        Properties p = new Properties();
        p.put("security.protocol", "SASL_PLAINTEXT");
        p.put("sasl.mechanism", "PLAIN");
        p.put("sasl.jaas.config", PlainLoginModule.class.getName() + " required username=\"" + user + "\" password=\"" + password + "\";");
        return p;
    }

    private static EmbeddedKafka start(TestKitNodes nodes, Map<String, String> extraConfig, Properties clientSecurity) throws Exception {
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "1")
                .setConfigProp("transaction.max.timeout.ms", "900000")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                // test events carry old event times: time-based retention would delete them mid-run
                .setConfigProp("log.retention.ms", "-1");
        extraConfig.forEach(builder::setConfigProp);
        // a SASL test kit points the whole JVM at a JAAS file of its own; the listener's own JAAS
        // setting above is what the broker uses, so later tests in this JVM get the old setting back
        String loginConfig = System.getProperty(JAVA_LOGIN_CONFIG);
        KafkaClusterTestKit cluster;
        try {
            cluster = builder.build();
        } finally {
            if (loginConfig == null) System.clearProperty(JAVA_LOGIN_CONFIG);
            else System.setProperty(JAVA_LOGIN_CONFIG, loginConfig);
            javax.security.auth.login.Configuration.setConfiguration(null);
        }
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return new EmbeddedKafka(cluster, clientSecurity);
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public KafkaClientSettings clientSettings() {
        return new KafkaClientSettings(bootstrapServers(), clientSecurity);
    }

    public Admin admin() {
        Properties p = new Properties();
        p.putAll(cluster.clientProperties());
        p.putAll(clientSecurity);
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
