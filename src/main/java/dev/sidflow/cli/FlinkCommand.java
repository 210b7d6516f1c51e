package dev.sidflow.cli;

import dev.sidflow.stream.LocalFlinkCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code sidflow flink start|stop|status}: a real standalone Flink cluster on this machine. */
@Command(name = "flink", mixinStandardHelpOptions = true,
        description = {"Start, stop or check a real standalone Flink cluster on 127.0.0.1.",
                "JobManager and TaskManager processes started from the resolved Flink jars.",
                "Submit jobs to it with `sidflow submit`."},
        subcommands = {FlinkCommand.Start.class, FlinkCommand.Stop.class, FlinkCommand.Status.class})
public final class FlinkCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static class ClusterOptions {
        @Option(names = "--dir", defaultValue = ".sidflow/flink", description = "Config, logs, PID files (default: ${DEFAULT-VALUE}).")
        Path dir;
        @Option(names = "--port", defaultValue = "8081", description = "REST API / web UI port (default: ${DEFAULT-VALUE}).")
        int restPort;
        @Option(names = "--rpc-port", defaultValue = "6123", description = "JobManager RPC port (default: ${DEFAULT-VALUE}).")
        int rpcPort;
        @Option(names = "--slots", defaultValue = "2", description = "TaskManager slots (default: ${DEFAULT-VALUE}).")
        int slots;
        @Option(names = "--tm-memory", defaultValue = "4g", description = "TaskManager process size (default: ${DEFAULT-VALUE}).")
        String tmMemory;

        LocalFlinkCluster cluster() {
            return new LocalFlinkCluster(new LocalFlinkCluster.Settings(dir.toAbsolutePath(), restPort, rpcPort, slots, tmMemory,
                    LocalFlinkCluster.jvmOpensOfThisJvm(), LocalFlinkCluster.flinkClasspathOfThisJvm()));
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start the JobManager and a TaskManager; wait until ready.")
    static final class Start implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ClusterOptions options;

        @Override
        public Integer call() throws Exception {
            LocalFlinkCluster c = options.cluster();
            c.start(Duration.ofSeconds(120));
            System.out.println("flink: running, web UI http://" + c.settings().restAddress() + " (logs " + c.settings().dir().resolve("log") + ")");
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the TaskManager and the JobManager.")
    static final class Stop implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ClusterOptions options;

        @Override
        public Integer call() throws Exception {
            options.cluster().stop();
            System.out.println("flink: stopped");
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Is the cluster running; task managers, slots, jobs.")
    static final class Status implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ClusterOptions options;

        @Override
        public Integer call() throws Exception {
            LocalFlinkCluster c = options.cluster();
            var overview = c.overview();
            if (!c.isRunning() || overview.isEmpty()) {
                System.out.println("flink: not running");
                return 3;
            }
            System.out.println("flink: running at http://" + c.settings().restAddress() + " " + overview.get());
            return 0;
        }
    }
}
