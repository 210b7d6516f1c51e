package dev.sidflow.stream;

import dev.sidflow.stream.kafka.BrokerSettings;
import dev.sidflow.stream.kafka.LocalKafkaBroker;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Security basics: by default nothing sidflow starts is reachable from another machine. Every
 * socket the local broker, the standalone Flink cluster's processes and a job's MiniCluster (web
 * UI and Prometheus reporter included) listen on is bound to the loopback address, as the kernel
 * reports it.
 */
class LoopbackListenersIT {

    @Test
    void theLocalBrokerListensOnLoopbackOnly(@TempDir Path dir) throws Exception {
        int port = LocalFlinkClusterIT.freePort();
        LocalKafkaBroker broker = new LocalKafkaBroker(BrokerSettings.defaults(dir.resolve("kafka"), port));
        try {
            long pid = broker.start().status().pid();
            ListeningSockets sockets = ListeningSockets.ofProcess(pid);
            assertThat(sockets.listeners()).extracting(ListeningSockets.Listener::port).contains(port, port + 1);
            assertThat(sockets.listeners()).allSatisfy(l -> assertThat(l.loopback()).as("%s", l).isTrue());
        } finally {
            broker.stop(Duration.ofSeconds(30));
        }
    }

    @Test
    void aJobsMiniClusterWebUiAndPrometheusReporterListenOnLoopbackOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("spec.yaml");
        int prometheus = LocalFlinkClusterIT.freePort();
        Files.writeString(file, "name: loopback\nweb: {port: 0}\ncheckpoints: {dir: " + dir.resolve("cp") + "}\n"
                + "metrics: {prometheusPort: " + prometheus + "}\n");
        Configuration conf = FlinkSetup.configuration(JobSpec.load(file));
        try (MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf).setNumTaskManagers(1).setNumSlotsPerTaskManager(1).build())) {
            cluster.start();
            assertThat(cluster.getRestAddress().get().getHost()).isEqualTo("127.0.0.1");
            ListeningSockets sockets = ListeningSockets.ofProcess(ProcessHandle.current().pid());
            assertThat(sockets.listeners()).extracting(ListeningSockets.Listener::port)
                    .contains(cluster.getRestAddress().get().getPort(), prometheus);
            assertThat(sockets.listeners()).allSatisfy(l -> assertThat(l.loopback()).as("%s", l).isTrue());
        }
    }

    @Test
    void theStandaloneClustersProcessesListenOnLoopbackOnly(@TempDir Path dir) throws Exception {
        int rest = LocalFlinkClusterIT.freePort();
        LocalFlinkCluster cluster = new LocalFlinkCluster(new LocalFlinkCluster.Settings(dir.resolve("flink"), rest,
                LocalFlinkClusterIT.freePort(), 1, "1g", LocalFlinkCluster.jvmOpensOfThisJvm(), LocalFlinkCluster.flinkClasspathOfThisJvm()));
        try {
            cluster.start(Duration.ofSeconds(120));
            for (String role : new String[] {"jobmanager", "taskmanager"}) {
                long pid = Long.parseLong(Files.readString(cluster.settings().pidFile(role)).trim());
                ListeningSockets sockets = ListeningSockets.ofProcess(pid);
                assertThat(sockets.listeners()).as(role).isNotEmpty();
                assertThat(sockets.listeners()).allSatisfy(l -> assertThat(l.loopback()).as("%s %s", role, l).isTrue());
                if (role.equals("jobmanager")) assertThat(sockets.listeners()).extracting(ListeningSockets.Listener::port).contains(rest);
            }
        } finally {
            cluster.stop();
        }
    }
}
