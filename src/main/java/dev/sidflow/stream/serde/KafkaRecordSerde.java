package dev.sidflow.stream.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.util.Objects;

/** A Kafka {@link Serde} over a {@link RecordCodec}; deserializing bad bytes throws {@link RecordDecodeException}. */
public final class KafkaRecordSerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {
    private final RecordCodec<T> codec;

    public KafkaRecordSerde(RecordCodec<T> codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    public static <T extends SpecificRecord> KafkaRecordSerde<T> of(Class<T> recordClass, WireFormat format) {
        return new KafkaRecordSerde<>(RecordCodec.of(recordClass, format));
    }

    public RecordCodec<T> codec() { return codec; }

    @Override
    public byte[] serialize(String topic, T data) {
        return data == null ? null : codec.encode(data);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return codec.decode(data);
    }

    @Override
    public Serializer<T> serializer() { return this; }

    @Override
    public Deserializer<T> deserializer() { return this; }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) { }

    @Override
    public void close() { }
}
