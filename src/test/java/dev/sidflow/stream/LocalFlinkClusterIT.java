package dev.sidflow.stream;

import dev.sidflow.cli.SidflowCli;
import dev.sidflow.model.TinyBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real standalone cluster (JobManager and TaskManager processes): `sidflow submit` runs the
 * replay job on it with the job jar; a SIGKILLed TaskManager is gone and a new one registers.
 */
class LocalFlinkClusterIT {

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
    void submitsTheReplayJobToARealClusterAndSurvivesATaskManagerKill(@TempDir Path dir) throws Exception {
        String opens = LocalFlinkCluster.jvmOpensOfThisJvm();
        String cp = LocalFlinkCluster.flinkClasspathOfThisJvm();
        int rest = freePort();
        LocalFlinkCluster cluster = new LocalFlinkCluster(new LocalFlinkCluster.Settings(dir.resolve("flink"), rest, freePort(), 2, "3g", opens, cp));
        try {
            cluster.start(Duration.ofSeconds(120));
            assertThat(cluster.overview()).get().asString().contains("\"taskmanagers\":1", "\"slots-total\":2");

            Path spec = dir.resolve("replay.yaml");
            Files.writeString(spec, String.join("\n",
                    "name: replay-on-cluster",
                    "mode: replay",
                    "bundle: " + TinyBundle.dir(),
                    "device: cpu",
                    "replay: {input: " + TinyBundle.data() + ", output: " + dir.resolve("recs") + ", deadLetters: " + dir.resolve("dlq") + ", evaluate: true}",
                    "checkpoints: {interval: 2s, dir: " + dir.resolve("checkpoints") + ", incremental: true}"));
            StringWriter out = new StringWriter();
            var cl = SidflowCli.commandLine();
            cl.setOut(new PrintWriter(out));
            System.setProperty("sidflow.home", Path.of("").toAbsolutePath().toString());
            int code = cl.execute("submit", spec.toString(), "--jobmanager", "127.0.0.1:" + rest, "--wait");
            assertThat(code).isZero();
            long lines = 0;
            for (Path p : ReplayJob.outputFiles(dir.resolve("recs"), ReplayJob.RECOMMENDATIONS_PREFIX)) lines += Files.lines(p).count();
            assertThat(lines).isEqualTo(Files.lines(TinyBundle.data().resolve("interactions.jsonl")).count());

            assertThat(cluster.killTaskManager()).isTrue();
            cluster.startTaskManager();
            cluster.awaitTaskManagers(1, Duration.ofSeconds(120));
        } finally {
            cluster.stop();
        }
        assertThat(cluster.isRunning()).isFalse();
    }
}
