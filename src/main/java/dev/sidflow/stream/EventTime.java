package dev.sidflow.stream;

import dev.sidflow.schema.InteractionEvent;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time of interaction events, assigned where records enter the job. At a Kafka source that
 * makes watermarks per partition (Flink's source keeps one per split and forwards their minimum):
 * a partition read weeks of event time ahead of another cannot expire the histories of users on
 * the lagging one, and a silent partition is marked idle on its own after {@code idleTimeout}.
 *
 * <p>Records arrive undecoded, so the assigner reads each one's {@code event_time} itself. A
 * record without a plausible time (undecodable, before 1970, or further ahead of the wall clock
 * than {@code maxFutureSkew}) moves no watermark; {@link DecodeEvents} dead-letters it with the
 * reason.
 */
final class EventTime {
    private EventTime() {}

    static WatermarkStrategy<RawRecord> of(WorkflowSettings settings, RecordDecoder<InteractionEvent> decoder) {
        WatermarkStrategy<RawRecord> eventTime = WatermarkStrategy
                .<RawRecord>forBoundedOutOfOrderness(settings.maxOutOfOrderness())
                .withTimestampAssigner(new FromEventTimeField(decoder, settings.maxFutureSkew().toMillis()));
        // An idle timeout of 0 means "never idle" (a bounded replay's single reader).
        return settings.idleTimeout().isZero() ? eventTime : eventTime.withIdleness(settings.idleTimeout());
    }

    /** The decoded {@code event_time}, or {@link Long#MIN_VALUE} (no watermark progress) when it is missing or implausible. */
    static final class FromEventTimeField implements SerializableTimestampAssigner<RawRecord> {
        private final RecordDecoder<InteractionEvent> decoder;
        private final long maxFutureSkewMillis;

        FromEventTimeField(RecordDecoder<InteractionEvent> decoder, long maxFutureSkewMillis) {
            this.decoder = decoder;
            this.maxFutureSkewMillis = maxFutureSkewMillis;
        }

        @Override
        public long extractTimestamp(RawRecord record, long recordTimestamp) {
            if (record.value == null || record.value.length == 0) return Long.MIN_VALUE;
            InteractionEvent event;
            try {
                event = decoder.decode(record.value);
            } catch (Exception | StackOverflowError | OutOfMemoryError e) {
                return Long.MIN_VALUE;  // hostile bytes: DecodeEvents says why
            }
            if (event.getEventTime() == null) return Long.MIN_VALUE;
            long t = event.getEventTime().toEpochMilli();
            return t >= 0 && t <= System.currentTimeMillis() + maxFutureSkewMillis ? t : Long.MIN_VALUE;
        }
    }
}
