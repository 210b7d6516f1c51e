package dev.sidflow.stream;

/**
 * An input record exactly as it came off a topic (or a line of a replay file), before decoding.
 * Keeping the raw bytes and the source position means a record that fails later can still be
 * written to the dead-letter topic whole.
 *
 * <p>A POJO (public fields, no-arg constructor) so Flink serializes it without Kryo.
 */
public class RawRecord {
    public byte[] key;
    public byte[] value;
    public String topic;
    public int partition;
    public long offset;
    /** Broker or file timestamp (epoch ms); -1 when unknown. */
    public long timestamp;

    public RawRecord() {}

    public RawRecord(byte[] key, byte[] value, String topic, int partition, long offset, long timestamp) {
        this.key = key;
        this.value = value;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
    }
}
