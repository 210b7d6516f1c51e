package dev.sidflow.stream;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A replay's Kafka deserializer: passes records through undecoded, like
 * {@link RawRecordDeserializer}, but only those stamped inside the replay's time bounds.
 * Filtering here, before the source's watermarks, keeps records outside the range out of event time too.
 */
public final class RawRecordsInRange implements KafkaRecordDeserializationSchema<RawRecord> {
    private final long fromTime;
    private final long toTime;
    private final RawRecordDeserializer raw = new RawRecordDeserializer();

    public RawRecordsInRange(TopicRange range) {
        // the bounds are parsed once here, not for every record
        this.fromTime = range.fromTime();
        this.toTime = range.toTime();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out) {
        long ts = record.timestamp();
        if (ts >= fromTime && ts < toTime) raw.deserialize(record, out);
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return raw.getProducedType();
    }
}
