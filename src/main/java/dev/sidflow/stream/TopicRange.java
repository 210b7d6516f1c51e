package dev.sidflow.stream;

import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;

import java.io.Serializable;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The part of a Kafka topic a replay reads: from {@code start} (inclusive) to {@code stop}
 * (exclusive). Each bound is one of
 * <ul>
 *   <li>{@code earliest} (start only) or {@code latest} (stop only: each partition's end when the job starts),</li>
 *   <li>a timestamp, epoch milliseconds or ISO-8601 ({@code 2024-01-02T03:04:05Z}) compared with each
 *       record's Kafka timestamp (sidflow's producers set it to {@code event_time}),</li>
 *   <li>explicit offsets per partition, {@code 0:120,1:98}; partitions left out start at their
 *       earliest offset and stop at their latest.</li>
 * </ul>
 * Timestamp bounds select by each record's own timestamp, not by position: Kafka's offset-for-time
 * lookup also matches transaction markers (stamped when the transaction ended), so with a
 * transactional producer it may point before or after the records of that time. A timestamp start
 * uses the lookup only to seek (it can only land early), and a timestamp stop reads to the end of
 * the partition; {@link #contains} keeps exactly the records stamped inside the range.
 *
 * <p>Parsed when the range is made, so a bad bound is a clear error before any job starts.
 */
public record TopicRange(String topic, String start, String stop) implements Serializable {

    private record Bound(String keyword, long time, Map<TopicPartition, Long> offsets) {
        boolean isTime() {
            return keyword == null && offsets == null;
        }
    }

    public TopicRange {
        if (topic == null || topic.isBlank()) throw new IllegalArgumentException("replay topic is missing");
        start = start == null || start.isBlank() ? "earliest" : start.trim();
        stop = stop == null || stop.isBlank() ? "latest" : stop.trim();
        if ("latest".equals(parse(topic, start, "start").keyword())) {
            throw new IllegalArgumentException("replay start 'latest' would read nothing");
        }
        if ("earliest".equals(parse(topic, stop, "stop").keyword())) {
            throw new IllegalArgumentException("replay stop 'earliest' would read nothing");
        }
    }

    /** Where each partition's reading begins. */
    public OffsetsInitializer startingOffsets() {
        Bound b = parse(topic, start, "start");
        if (b.offsets() != null) return OffsetsInitializer.offsets(b.offsets(), OffsetResetStrategy.EARLIEST);
        if (b.isTime()) return OffsetsInitializer.timestamp(b.time());
        return OffsetsInitializer.earliest();
    }

    /** Where each partition's reading ends (exclusive): the given offsets, else the end when the job starts. */
    public OffsetsInitializer stoppingOffsets() {
        Bound b = parse(topic, stop, "stop");
        if (b.offsets() != null) return OffsetsInitializer.offsets(b.offsets(), OffsetResetStrategy.LATEST);
        return OffsetsInitializer.latest();
    }

    /** Whether a record read between the offsets belongs to the range (its timestamp is within the time bounds). */
    public boolean contains(long recordTimestamp) {
        return recordTimestamp >= fromTime() && recordTimestamp < toTime();
    }

    /** The start as a timestamp (inclusive); Long.MIN_VALUE when the start is not a time. */
    public long fromTime() {
        Bound from = parse(topic, start, "start");
        return from.isTime() ? from.time() : Long.MIN_VALUE;
    }

    /** The stop as a timestamp (exclusive); Long.MAX_VALUE when the stop is not a time. */
    public long toTime() {
        Bound to = parse(topic, stop, "stop");
        return to.isTime() ? to.time() : Long.MAX_VALUE;
    }

    private static Bound parse(String topic, String bound, String which) {
        String b = bound.toLowerCase(Locale.ROOT);
        if (b.equals("earliest") || b.equals("latest")) return new Bound(b, 0, null);
        if (!b.isEmpty() && b.chars().allMatch(Character::isDigit)) return new Bound(null, Long.parseLong(b), null);
        if (b.contains(":") && b.matches("[0-9:,\\s]+")) {
            Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
            for (String part : b.split(",")) {
                String[] po = part.trim().split(":");
                if (po.length != 2 || po[0].isEmpty() || po[1].isEmpty()) throw bad(bound, which);
                if (offsets.put(new TopicPartition(topic, Integer.parseInt(po[0])), Long.parseLong(po[1])) != null) {
                    throw new IllegalArgumentException("replay " + which + " names partition " + po[0] + " twice: " + bound);
                }
            }
            return new Bound(null, 0, offsets);
        }
        try {
            return new Bound(null, Instant.parse(bound).toEpochMilli(), null);
        } catch (DateTimeParseException e) {
            throw bad(bound, which);
        }
    }

    private static IllegalArgumentException bad(String bound, String which) {
        return new IllegalArgumentException("bad replay " + which + " '" + bound + "': use earliest, latest, "
                + "epoch milliseconds, an ISO-8601 instant (2024-01-02T03:04:05Z) or partition offsets (0:120,1:98)");
    }
}
