package dev.sidflow.stream;

import dev.sidflow.schema.Recommendation;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fails the job mid-stream, the way Flink's own fault-tolerance tests do: in each of the first
 * {@code failures} execution attempts it throws once a checkpoint of that attempt has completed and
 * {@code recordsPerAttempt} records have passed, so every failure leaves committed output behind
 * and uncommitted output in flight. Later attempts pass records through. At parallelism above 1
 * one subtask throws per attempt, a different one each time (attempt modulo parallelism): one
 * injection is one restart, and every subtask's failure is recovered from. Injections are counted
 * in a JVM-wide counter: the MiniCluster runs in the test's JVM.
 */
final class FailAfterRecords extends RichMapFunction<Recommendation, Recommendation> implements CheckpointListener {
    static final AtomicInteger INJECTED = new AtomicInteger();
    /** The subtask indexes that threw. */
    static final Set<Integer> FAILED_SUBTASKS = new ConcurrentSkipListSet<>();

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
        var task = getRuntimeContext().getTaskInfo();
        int attempt = task.getAttemptNumber();
        boolean failingSubtask = attempt % task.getNumberOfParallelSubtasks() == task.getIndexOfThisSubtask();
        if (attempt < failures && failingSubtask && checkpointed && seen > recordsPerAttempt) {
            FAILED_SUBTASKS.add(task.getIndexOfThisSubtask());
            INJECTED.incrementAndGet();
            throw new InjectedFault("injected failure in attempt " + attempt + " of subtask " + task.getIndexOfThisSubtask()
                    + " after " + seen + " records");
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
