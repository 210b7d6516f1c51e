package dev.sidflow.stream;

import dev.sidflow.schema.Recommendation;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fails the job mid-stream, the way Flink's own fault-tolerance tests do: in each of the first
 * {@code failures} execution attempts it throws once a checkpoint of that attempt has completed and
 * {@code recordsPerAttempt} records have passed, so every failure leaves committed output behind
 * and uncommitted output in flight. Later attempts pass records through. Injections are counted in
 * a JVM-wide counter: the MiniCluster runs in the test's JVM.
 */
final class FailAfterRecords extends RichMapFunction<Recommendation, Recommendation> implements CheckpointListener {
    static final AtomicInteger INJECTED = new AtomicInteger();

    private final int failures;
    private final int recordsPerAttempt;
    private transient long seen;
    private transient boolean checkpointed;

    FailAfterRecords(int failures, int recordsPerAttempt) {
        this.failures = failures;
        this.recordsPerAttempt = recordsPerAttempt;
    }

    @Override
    public Recommendation map(Recommendation r) {
        seen++;
        int attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
        if (attempt < failures && checkpointed && seen > recordsPerAttempt) {
            INJECTED.incrementAndGet();
            throw new InjectedFault("injected failure in attempt " + attempt + " after " + seen + " records");
        }
        return r;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        checkpointed = true;
    }

    static final class InjectedFault extends RuntimeException {
        InjectedFault(String message) {
            super(message);
        }
    }
}
