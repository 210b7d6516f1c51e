package dev.sidflow.stream;

import dev.sidflow.schema.InteractionEvent;
import dev.sidflow.stream.serde.RecordCodec;
import dev.sidflow.stream.serde.WireFormat;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.operators.TimestampsAndWatermarksOperatorFactory;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event-time strategy records get where they enter the job ({@link EventTime}), run in Flink's
 * own timestamp/watermark operator on a test clock: a partition silent for the idle timeout is
 * marked idle, so the keyed stages' watermark follows the partitions that still get events instead
 * of stopping; with an idle timeout of 0 (replay) it never goes idle. Records without a plausible
 * event time move no watermark.
 */
class EventTimeIdlenessTest {
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(5);
    private static final RecordCodec<InteractionEvent> AVRO = RecordCodec.of(InteractionEvent.class, WireFormat.AVRO);

    private static WorkflowSettings settings(Duration idleTimeout) {
        WorkflowSettings d = WorkflowSettings.defaults();
        return new WorkflowSettings(d.historyLength(), d.dedupWindow(), d.stateTtl(), d.maxBatchSize(), d.maxBatchDelay(),
                OUT_OF_ORDERNESS, idleTimeout, d.maxFutureSkew(), d.maxFieldLength(), d.parallelism(), d.deterministicOutput());
    }

    private static RawRecord raw(long eventTime) {
        return raw(AVRO.encode(UserHistoryFunctionTest.event("e" + eventTime, "u", "i1", eventTime).event));
    }

    private static RawRecord raw(byte[] value) {
        return new RawRecord(null, value, "events", 0, 0, 123L);
    }

    /** The records, then {@code silentMillis} of processing time without any; what the operator emitted. */
    private static List<Object> recordsThenSilence(Duration idleTimeout, long silentMillis, RawRecord... records) throws Exception {
        try (var harness = new OneInputStreamOperatorTestHarness<>(new TimestampsAndWatermarksOperatorFactory<>(
                EventTime.of(settings(idleTimeout), new SniffingDecoder<>(InteractionEvent.class)), true))) {
            harness.setProcessingTime(0);
            harness.open();
            for (RawRecord r : records) harness.processElement(new StreamRecord<>(r));
            // periodic watermark emission runs on processing-time timers: advance in steps so each fires
            long interval = harness.getExecutionConfig().getAutoWatermarkInterval();
            for (long t = interval; t <= silentMillis; t += interval) harness.setProcessingTime(t);
            return List.copyOf(harness.getOutput());
        }
    }

    @Test
    void aPartitionSilentForTheIdleTimeoutIsMarkedIdleAfterItsWatermark() throws Exception {
        List<Object> out = recordsThenSilence(Duration.ofSeconds(1), 3_000, raw(60_000));
        Watermark mark = new Watermark(60_000 - OUT_OF_ORDERNESS.toMillis() - 1);
        assertThat(out).filteredOn(Watermark.class::isInstance).containsExactly(mark);
        assertThat(out).contains(WatermarkStatus.IDLE);
        assertThat(out.indexOf(WatermarkStatus.IDLE)).isGreaterThan(out.indexOf(mark));
    }

    @Test
    void aPartitionSilentForLessThanTheIdleTimeoutStaysActive() throws Exception {
        assertThat(recordsThenSilence(Duration.ofSeconds(5), 3_000, raw(60_000))).doesNotContain(WatermarkStatus.IDLE);
    }

    @Test
    void withoutAnIdleTimeoutAPartitionNeverGoesIdle() throws Exception {
        assertThat(recordsThenSilence(Duration.ZERO, 3_000, raw(60_000))).doesNotContain(WatermarkStatus.IDLE);
    }

    @Test
    void eachRecordIsStampedWithItsOwnEventTimeNotTheBrokers() throws Exception {
        List<Object> out = recordsThenSilence(Duration.ZERO, 0, raw(60_000), raw(42_000));
        assertThat(out).filteredOn(StreamRecord.class::isInstance)
                .extracting(r -> ((StreamRecord<?>) r).getTimestamp()).containsExactly(60_000L, 42_000L);
    }

    @Test
    void recordsWithoutAPlausibleEventTimeMoveNoWatermark() throws Exception {
        long farFuture = Instant.now().plus(Duration.ofDays(400)).toEpochMilli();
        List<Object> out = recordsThenSilence(Duration.ZERO, 1_000, raw(60_000),
                raw(new byte[] {1, 2, 3}), raw(new byte[0]), raw("{\"event_id\":\"x\"}".getBytes(StandardCharsets.UTF_8)),
                raw(farFuture), raw(-5_000));
        assertThat(out).filteredOn(Watermark.class::isInstance)
                .containsExactly(new Watermark(60_000 - OUT_OF_ORDERNESS.toMillis() - 1));
        assertThat(out).filteredOn(StreamRecord.class::isInstance)
                .extracting(r -> ((StreamRecord<?>) r).getTimestamp())
                .containsExactly(60_000L, Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE);
    }
}
