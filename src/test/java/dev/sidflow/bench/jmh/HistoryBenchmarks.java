package dev.sidflow.bench.jmh;

import dev.sidflow.stream.UserHistory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * The per-event work of the keyed history on a full state (20 items, 64 event ids, the job's
 * defaults): the duplicate check and the append. RocksDB (de)serialization comes on top in the job.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HistoryBenchmarks {
    private UserHistory history;
    private String[] eventIds;
    private long seq;

    @Setup
    public void setUp() {
        history = new UserHistory();
        eventIds = new String[1024];
        for (int k = 0; k < eventIds.length; k++) eventIds[k] = java.util.UUID.nameUUIDFromBytes(new byte[] {(byte) k, (byte) (k >> 8)}).toString();
        for (int k = 0; k < 64; k++) history.append("item-" + k, eventIds[k], k, 20, 64);
    }

    @Benchmark
    public UserHistory dedupCheckAndAppend() {
        String id = eventIds[(int) (seq++ & 1023)];
        if (!history.seen(id + "x")) history.append("item-" + (seq & 63), id, seq, 20, 64);
        return history;
    }
}
