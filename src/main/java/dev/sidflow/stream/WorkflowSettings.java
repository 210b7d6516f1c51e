package dev.sidflow.stream;

import java.io.Serializable;
import java.time.Duration;

/**
 * The knobs of {@link RecommendationWorkflow}, read from a job spec.
 *
 * @param historyLength         N: items kept per user
 * @param dedupWindow           recent event ids per user checked for duplicates
 * @param stateTtl              event-time inactivity after which a user's state is dropped
 * @param maxBatchSize          inference batch size
 * @param maxBatchDelay         longest a request waits for its batch to fill
 * @param maxOutOfOrderness     bounded out-of-orderness of event time
 * @param idleTimeout           a source partition without events for this long stops holding back watermarks
 * @param maxFutureSkew         events dated further ahead than this are rejected
 * @param maxFieldLength        longer ids are rejected as oversized
 * @param parallelism           parallelism of the keyed and inference stages
 * @param deterministicOutput   replay mode: records carry processing latency 0 (it goes to metrics and
 *                              the job's latency accumulator instead) so the same input gives byte-identical output
 */
public record WorkflowSettings(int historyLength, int dedupWindow, Duration stateTtl,
                               int maxBatchSize, Duration maxBatchDelay,
                               Duration maxOutOfOrderness, Duration idleTimeout,
                               Duration maxFutureSkew, int maxFieldLength, int parallelism,
                               boolean deterministicOutput) implements Serializable {

    public static WorkflowSettings defaults() {
        return new WorkflowSettings(20, 64, Duration.ofDays(30), 64, Duration.ofMillis(10),
                Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofDays(1), 512, 1, false);
    }

    public WorkflowSettings withParallelism(int p) {
        return new WorkflowSettings(historyLength, dedupWindow, stateTtl, maxBatchSize, maxBatchDelay,
                maxOutOfOrderness, idleTimeout, maxFutureSkew, maxFieldLength, p, deterministicOutput);
    }

    public WorkflowSettings withBatching(int size, Duration delay) {
        return new WorkflowSettings(historyLength, dedupWindow, stateTtl, size, delay,
                maxOutOfOrderness, idleTimeout, maxFutureSkew, maxFieldLength, parallelism, deterministicOutput);
    }

    public WorkflowSettings withDeterministicOutput(boolean d) {
        return new WorkflowSettings(historyLength, dedupWindow, stateTtl, maxBatchSize, maxBatchDelay,
                maxOutOfOrderness, idleTimeout, maxFutureSkew, maxFieldLength, parallelism, d);
    }
}
