package dev.sidflow.stream;

import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

import java.nio.charset.StandardCharsets;

/**
 * Turns the lines (or binary records) of a replayed file into raw records numbered 1, 2, ... (the
 * "offset" a dead letter points back to). Runs with parallelism 1 right after a single-file source;
 * the counter is checkpointed so numbers stay right across a restore.
 *
 * @param <T> {@code String} for text lines, {@code byte[]} for binary records
 */
public class NumberLines<T> extends RichMapFunction<T, RawRecord> implements CheckpointedFunction {
    private final String sourceName;
    private transient long line;
    private transient ListState<Long> lineState;

    public NumberLines(String sourceName) {
        this.sourceName = sourceName;
    }

    @Override
    public RawRecord map(T record) {
        line++;
        byte[] value = record instanceof byte[] bytes ? bytes : record.toString().getBytes(StandardCharsets.UTF_8);
        return new RawRecord(null, value, sourceName, 0, line, -1);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        lineState.update(java.util.List.of(line));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        lineState = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("line", Types.LONG));
        for (Long l : lineState.get()) line = l;
    }
}
