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
    private final TopicRange range;
    private final RawRecordDeserializer raw = new RawRecordDeserializer();

    public RawRecordsInRange(TopicRange range) {
        this.range = range;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out) {
        if (range.contains(record.timestamp())) raw.deserialize(record, out);
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return raw.getProducedType();
    }
}
