package dev.sidflow.stream.kafka;

import org.apache.kafka.clients.admin.NewTopic;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The names of sidflow's topics and how each is created. Events and recommendations are keyed by user,
 * so per-user order holds within a partition; the catalog is keyed by item and compacted, so the latest
 * record per item is the catalog.
 */
public record KafkaTopics(String events, String catalog, String recommendations, String deadLetters) {

    public static final KafkaTopics DEFAULT =
            new KafkaTopics("sidflow.events", "sidflow.catalog", "sidflow.recommendations", "sidflow.dead-letters");

    public KafkaTopics {
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(recommendations, "recommendations");
        Objects.requireNonNull(deadLetters, "deadLetters");
    }

    public List<String> names() {
        return List.of(events, catalog, recommendations, deadLetters);
    }

    /**
     * Record timestamps are event times, and a historical log's are years old: a topic with time-based
     * retention (the broker default is 7 days) would delete them at its next retention check, minutes
     * after they were written. So sidflow's append-only topics keep records until deleted by size or
     * by hand.
     */
    public static final Map<String, String> KEEP_OLD_TIMESTAMPS = Map.of("retention.ms", "-1");

    /** Topic definitions for a cluster whose default replication factor is used (-1 = broker default). */
    public List<NewTopic> newTopics(int partitions) {
        int p = Math.max(1, partitions);
        return List.of(
                new NewTopic(events, p, (short) -1).configs(KEEP_OLD_TIMESTAMPS),
                new NewTopic(catalog, 1, (short) -1).configs(Map.of("cleanup.policy", "compact")),
                new NewTopic(recommendations, p, (short) -1).configs(KEEP_OLD_TIMESTAMPS),
                new NewTopic(deadLetters, 1, (short) -1).configs(KEEP_OLD_TIMESTAMPS));
    }
}
