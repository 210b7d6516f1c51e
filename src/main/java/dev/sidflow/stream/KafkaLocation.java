package dev.sidflow.stream;

/**
 * Where a job reads or writes is a path or a Kafka topic written {@code kafka:TOPIC}; the brokers,
 * client properties and wire format are the spec's {@code kafka} section.
 */
public final class KafkaLocation {
    public static final String PREFIX = "kafka:";

    private KafkaLocation() {}

    /** The topic a location names, or null when it is a path. */
    public static String topicOf(String location) {
        if (location == null || !location.startsWith(PREFIX)) return null;
        String topic = location.substring(PREFIX.length()).trim();
        if (topic.isEmpty()) throw new IllegalArgumentException("'" + location + "' names no topic: write kafka:TOPIC");
        return topic;
    }
}
