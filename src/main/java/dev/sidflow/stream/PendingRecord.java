package dev.sidflow.stream;

/**
 * A record waiting in {@link MergePartitionsInTimeOrder}: the raw record and the time it is merged
 * by. A POJO so Flink checkpoints it without Kryo.
 */
public class PendingRecord {
    /** The largest Kafka timestamp its partition had shown up to and including this record. */
    public long mergeTime;
    public RawRecord record;

    public PendingRecord() {}

    public PendingRecord(long mergeTime, RawRecord record) {
        this.mergeTime = mergeTime;
        this.record = record;
    }
}
