package dev.sidflow.stream;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Merges the partitions of a replayed topic into one order that does not depend on how the
 * source's fetches happened to interleave them: by merge time, then partition, then offset.
 * A replay's batches, and so its output bytes, depend on the order of its input; this makes a
 * Kafka replay as repeatable as a file replay.
 *
 * <p>The merge time of a record is the largest Kafka timestamp its partition has shown so far
 * (equal to its own timestamp when a partition is in time order, as sidflow's producers write
 * it). The source's per-partition watermarks ({@code forMonotonousTimestamps} on the record
 * timestamp) trail exactly that, so once watermark W has arrived no later record can have a merge
 * time at or below W: releasing everything up to W, sorted, at each watermark yields the same
 * sequence however the watermarks are spaced.
 *
 * <p>Runs with parallelism 1 behind the source. Pending records are checkpointed.
 */
public class MergePartitionsInTimeOrder extends AbstractStreamOperator<RawRecord>
        implements OneInputStreamOperator<RawRecord, RawRecord> {

    private static final Comparator<PendingRecord> ORDER = Comparator
            .comparingLong((PendingRecord p) -> p.mergeTime)
            .thenComparingInt(p -> p.record.partition)
            .thenComparingLong(p -> p.record.offset);

    private transient PriorityQueue<PendingRecord> pending;
    private transient Map<Integer, Long> partitionTime;
    private transient ListState<PendingRecord> pendingState;
    private transient ListState<long[]> partitionTimeState;

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        pendingState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("pending-records", TypeInformation.of(PendingRecord.class)));
        partitionTimeState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("partition-times", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        pending = new PriorityQueue<>(ORDER);
        for (PendingRecord p : pendingState.get()) pending.add(p);
        partitionTime = new HashMap<>();
        for (long[] pt : partitionTimeState.get()) partitionTime.put((int) pt[0], pt[1]);
    }

    @Override
    public void processElement(StreamRecord<RawRecord> element) {
        RawRecord r = element.getValue();
        long t = Math.max(partitionTime.getOrDefault(r.partition, Long.MIN_VALUE), r.timestamp);
        partitionTime.put(r.partition, t);
        pending.add(new PendingRecord(t, r));
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        release(mark.getTimestamp());
        super.processWatermark(mark);
    }

    @Override
    public void finish() throws Exception {
        release(Long.MAX_VALUE);
        super.finish();
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        pendingState.update(new ArrayList<>(pending));
        List<long[]> times = new ArrayList<>();
        partitionTime.forEach((p, t) -> times.add(new long[] {p, t}));
        partitionTimeState.update(times);
    }

    /** How many records wait for the watermark (for tests and metrics). */
    int pendingCount() {
        return pending.size();
    }

    private void release(long watermark) {
        while (!pending.isEmpty() && pending.peek().mergeTime <= watermark) {
            PendingRecord p = pending.poll();
            output.collect(new StreamRecord<>(p.record, p.mergeTime));
        }
    }
}
