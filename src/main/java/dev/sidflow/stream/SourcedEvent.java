package dev.sidflow.stream;

import dev.sidflow.schema.InteractionEvent;

/**
 * A decoded event that still knows where it came from, so a later stage (unknown item,
 * duplicate) can dead-letter it with its original bytes and source offset.
 * A POJO so Flink serializes it without Kryo (the Avro field uses Flink's Avro serializer).
 */
public class SourcedEvent {
    public InteractionEvent event;
    public byte[] raw;
    public String topic;
    public int partition;
    public long offset;
    /** Wall-clock time the job decoded the event: start of the processing-latency clock. */
    public long ingestMillis;

    public SourcedEvent() {}

    public SourcedEvent(InteractionEvent event, RawRecord source, long ingestMillis) {
        this.event = event;
        this.raw = source.value;
        this.topic = source.topic;
        this.partition = source.partition;
        this.offset = source.offset;
        this.ingestMillis = ingestMillis;
    }
}
