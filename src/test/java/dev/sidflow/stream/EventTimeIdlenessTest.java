package dev.sidflow.stream;

import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.operators.TimestampsAndWatermarksOperatorFactory;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event-time strategy the workflow assigns after decoding ({@link RecommendationWorkflow#eventTime}),
 * run in Flink's own timestamp/watermark operator on a test clock: a reader whose partition has
 * gone silent for the idle timeout is marked idle, so the keyed stages' watermark (the minimum over
 * their inputs) follows the readers that still get events instead of stopping. With an idle
 * timeout of 0 (replay) a reader never goes idle.
 */
class EventTimeIdlenessTest {
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(5);

    private static WorkflowSettings settings(Duration idleTimeout) {
        WorkflowSettings d = WorkflowSettings.defaults();
        return new WorkflowSettings(d.historyLength(), d.dedupWindow(), d.stateTtl(), d.maxBatchSize(), d.maxBatchDelay(),
                OUT_OF_ORDERNESS, idleTimeout, d.maxFutureSkew(), d.maxFieldLength(), d.parallelism(), d.deterministicOutput());
    }

    /** One event, then {@code silentMillis} of processing time without any; what the operator emitted. */
    private static List<Object> oneEventThenSilence(Duration idleTimeout, long silentMillis) throws Exception {
        try (var harness = new OneInputStreamOperatorTestHarness<>(
                new TimestampsAndWatermarksOperatorFactory<>(RecommendationWorkflow.eventTime(settings(idleTimeout)), true))) {
            harness.setProcessingTime(0);
            harness.open();
            harness.processElement(new StreamRecord<>(UserHistoryFunctionTest.event("e1", "u", "i1", 60_000)));
            // periodic watermark emission runs on processing-time timers: advance in steps so each fires
            long interval = harness.getExecutionConfig().getAutoWatermarkInterval();
            for (long t = interval; t <= silentMillis; t += interval) harness.setProcessingTime(t);
            return List.copyOf(harness.getOutput());
        }
    }

    @Test
    void aReaderSilentForTheIdleTimeoutIsMarkedIdleAfterItsWatermark() throws Exception {
        List<Object> out = oneEventThenSilence(Duration.ofSeconds(1), 3_000);
        assertThat(out).filteredOn(Watermark.class::isInstance)
                .containsExactly(new Watermark(60_000 - OUT_OF_ORDERNESS.toMillis() - 1));
        assertThat(out).contains(WatermarkStatus.IDLE);
        assertThat(out.indexOf(WatermarkStatus.IDLE)).isGreaterThan(out.indexOf(new Watermark(60_000 - OUT_OF_ORDERNESS.toMillis() - 1)));
    }

    @Test
    void aReaderSilentForLessThanTheIdleTimeoutStaysActive() throws Exception {
        assertThat(oneEventThenSilence(Duration.ofSeconds(5), 3_000)).doesNotContain(WatermarkStatus.IDLE);
    }

    @Test
    void withoutAnIdleTimeoutAReaderNeverGoesIdle() throws Exception {
        assertThat(oneEventThenSilence(Duration.ZERO, 3_000)).doesNotContain(WatermarkStatus.IDLE);
    }
}
