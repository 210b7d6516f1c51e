package dev.sidflow.cli;

import dev.sidflow.stream.kafka.KafkaTopics;
import picocli.CommandLine.Option;

/** Topic names, each overridable; defaults are {@link KafkaTopics#DEFAULT}. */
public final class TopicNameOptions {
    @Option(names = "--events-topic", paramLabel = "NAME", description = "Interaction events topic (default: ${DEFAULT-VALUE}).")
    String events = KafkaTopics.DEFAULT.events();

    @Option(names = "--catalog-topic", paramLabel = "NAME", description = "Catalog topic, compacted (default: ${DEFAULT-VALUE}).")
    String catalog = KafkaTopics.DEFAULT.catalog();

    @Option(names = "--recommendations-topic", paramLabel = "NAME", description = "Recommendations topic (default: ${DEFAULT-VALUE}).")
    String recommendations = KafkaTopics.DEFAULT.recommendations();

    @Option(names = "--dead-letters-topic", paramLabel = "NAME", description = "Dead-letter topic (default: ${DEFAULT-VALUE}).")
    String deadLetters = KafkaTopics.DEFAULT.deadLetters();

    public KafkaTopics topics() {
        return new KafkaTopics(events, catalog, recommendations, deadLetters);
    }
}
