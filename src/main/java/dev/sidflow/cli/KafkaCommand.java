package dev.sidflow.cli;

import dev.sidflow.stream.kafka.BrokerSettings;
import dev.sidflow.stream.kafka.BrokerStatus;
import dev.sidflow.stream.kafka.LocalKafkaBroker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** `sidflow kafka start|stop|status`: a real single-node KRaft Kafka broker for local runs. */
@Command(name = "kafka", mixinStandardHelpOptions = true,
        description = {"Run a local single-node Kafka broker (KRaft, broker+controller in one JVM) on 127.0.0.1.",
                "Data, PID file and broker.log live in --dir (default .sidflow/kafka under the project)."},
        subcommands = {KafkaCommand.Start.class, KafkaCommand.Stop.class, KafkaCommand.Status.class})
public final class KafkaCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where the broker lives and listens. */
    static final class Location {
        @Option(names = "--dir", paramLabel = "DIR", description = "Broker directory (default: <project>/.sidflow/kafka).")
        Path dir;

        @Option(names = "--port", paramLabel = "PORT", defaultValue = "9092",
                description = "Client port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--controller-port", paramLabel = "PORT",
                description = "KRaft controller port (default: --port + 1).")
        Integer controllerPort;

        BrokerSettings settings() {
            Path d = dir != null ? dir : defaultDir();
            BrokerSettings s = BrokerSettings.defaults(d, port);
            if (controllerPort == null) return s;
            return new BrokerSettings(s.dir(), s.host(), s.port(), controllerPort, s.heapMb(), s.startTimeout(),
                    s.partitions(), s.topics(), s.jvmClasspath());
        }

        static Path defaultDir() {
            String home = System.getProperty("sidflow.home");
            return (home != null ? Path.of(home) : Path.of("")).resolve(".sidflow").resolve("kafka").toAbsolutePath();
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = {"Start the broker (formatting its storage on first use), wait until it answers and "
                    + "create sidflow's topics if absent. Does nothing but check topics when already running."})
    static final class Start implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Location location;
        @Mixin
        TopicNameOptions topicNames;

        @Option(names = "--heap-mb", defaultValue = "512", description = "Broker JVM heap in MB (default: ${DEFAULT-VALUE}).")
        int heapMb;

        @Option(names = "--partitions", defaultValue = "4",
                description = "Partitions of the events and recommendations topics (default: ${DEFAULT-VALUE}).")
        int partitions;

        @Option(names = "--timeout", defaultValue = "90", paramLabel = "SECONDS",
                description = "Seconds to wait for the broker to answer (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Override
        public Integer call() throws Exception {
            BrokerSettings base = location.settings();
            BrokerSettings settings = new BrokerSettings(base.dir(), base.host(), base.port(), base.controllerPort(),
                    heapMb, Duration.ofSeconds(timeoutSeconds), partitions, topicNames.topics(), null);
            var err = spec.commandLine().getErr();
            err.println("kafka: starting broker at " + settings.bootstrapServers() + " (dir " + settings.dir() + ")...");
            err.flush();
            LocalKafkaBroker.StartResult r = new LocalKafkaBroker(settings).start();
            var out = spec.commandLine().getOut();
            if (!r.started()) out.println("kafka: already running");
            else out.printf("kafka: started in %.1f s%s%n", r.elapsed().toMillis() / 1000.0,
                    r.formatted() ? " (storage formatted)" : "");
            if (!r.createdTopics().isEmpty()) out.println("created topics: " + String.join(", ", r.createdTopics()));
            out.print(r.status().describe());
            out.flush();
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop the broker: SIGTERM (controlled shutdown), then SIGKILL after --timeout seconds.")
    static final class Stop implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Location location;

        @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS",
                description = "Seconds to wait after SIGTERM before SIGKILL (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Override
        public Integer call() throws Exception {
            boolean stopped = new LocalKafkaBroker(location.settings()).stop(Duration.ofSeconds(timeoutSeconds));
            spec.commandLine().getOut().println(stopped ? "kafka: stopped" : "kafka: not running");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Show whether the broker runs, its PID, bootstrap servers and topics.",
                    "Exit code 0 when running, 3 when stopped."})
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Location location;

        @Override
        public Integer call() throws Exception {
            BrokerStatus status = new LocalKafkaBroker(location.settings()).status();
            spec.commandLine().getOut().print(status.describe());
            spec.commandLine().getOut().flush();
            return status.running() ? 0 : 3;
        }
    }
}
