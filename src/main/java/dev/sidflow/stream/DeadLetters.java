package dev.sidflow.stream;

import dev.sidflow.schema.DeadLetter;
import org.apache.flink.util.OutputTag;

import java.nio.ByteBuffer;
import java.time.Instant;

/** Builds dead-letter records and holds the side-output tag every stage uses for them. */
public final class DeadLetters {
    public static final OutputTag<DeadLetter> TAG = new OutputTag<>("dead-letters") {};

    private static final int MAX_MESSAGE = 2_000;

    private DeadLetters() {}

    public static DeadLetter of(RawRecord source, DeadLetterReason reason, String message) {
        return of(source.key, source.value, source.topic, source.partition, source.offset, reason, message);
    }

    public static DeadLetter of(SourcedEvent source, DeadLetterReason reason, String message) {
        return of(null, source.raw, source.topic, source.partition, source.offset, reason, message);
    }

    public static DeadLetter of(byte[] key, byte[] value, String topic, int partition, long offset,
                                DeadLetterReason reason, String message) {
        String msg = message == null ? "" : message;
        if (msg.length() > MAX_MESSAGE) msg = msg.substring(0, MAX_MESSAGE) + "...";
        return DeadLetter.newBuilder()
                .setRawKey(key == null ? null : ByteBuffer.wrap(key))
                .setRawValue(value == null ? null : ByteBuffer.wrap(value))
                .setSourceTopic(topic == null ? "" : topic)
                .setSourcePartition(partition)
                .setSourceOffset(offset)
                .setErrorClass(reason.name())
                .setErrorMessage(msg)
                .setFailedAt(Instant.ofEpochMilli(System.currentTimeMillis()))
                .build();
    }
}
