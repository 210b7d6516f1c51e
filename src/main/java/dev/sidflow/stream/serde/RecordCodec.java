package dev.sidflow.stream.serde;

import org.apache.avro.specific.SpecificRecord;

import java.io.Serializable;

/**
 * Encodes and decodes one Avro record class in one {@link WireFormat}. Implementations are thread-safe and
 * serializable (Flink ships them to its tasks); they hold only the class and build their Avro machinery lazily.
 */
public interface RecordCodec<T extends SpecificRecord> extends Serializable {

    byte[] encode(T record);

    /** @throws RecordDecodeException when the bytes are not exactly one valid record */
    T decode(byte[] bytes);

    Class<T> recordClass();

    WireFormat format();

    static <T extends SpecificRecord> RecordCodec<T> of(Class<T> recordClass, WireFormat format) {
        return switch (format) {
            case AVRO -> new AvroBinaryCodec<>(recordClass);
            case JSON -> new FriendlyJsonCodec<>(recordClass);
        };
    }
}
