package dev.sidflow.cli;

import dev.sidflow.stream.kafka.KafkaClientSettings;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** --bootstrap and --kafka-config, shared by every command that talks to Kafka. */
public final class KafkaClientOptions {
    @Option(names = {"-b", "--bootstrap"}, paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (default: $" + KafkaClientSettings.BOOTSTRAP_ENV
                    + ", else bootstrap.servers in --kafka-config, else " + KafkaClientSettings.DEFAULT_BOOTSTRAP + ").")
    String bootstrap;

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "Properties file passed to the Kafka clients as is (security.protocol, sasl.*, ssl.*, ...).")
    Path config;

    public KafkaClientSettings settings() throws IOException {
        return KafkaClientSettings.resolve(bootstrap, config);
    }
}
