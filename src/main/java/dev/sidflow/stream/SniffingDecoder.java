package dev.sidflow.stream;

import dev.sidflow.stream.serde.RecordCodec;
import dev.sidflow.stream.serde.WireFormat;
import org.apache.avro.specific.SpecificRecord;

/**
 * Accepts both wire formats on one topic: a record whose first non-blank byte is '{' is JSON,
 * anything else Avro binary. Unambiguous for sidflow's schemas: their first field is a string,
 * and '{' (0x7B) would be a negative Avro string length.
 */
public final class SniffingDecoder<T extends SpecificRecord> implements RecordDecoder<T> {
    private final RecordCodec<T> avro;
    private final RecordCodec<T> json;

    public SniffingDecoder(Class<T> recordClass) {
        this.avro = RecordCodec.of(recordClass, WireFormat.AVRO);
        this.json = RecordCodec.of(recordClass, WireFormat.JSON);
    }

    @Override
    public T decode(byte[] bytes) {
        return looksLikeJson(bytes) ? json.decode(bytes) : avro.decode(bytes);
    }

    static boolean looksLikeJson(byte[] bytes) {
        for (byte b : bytes) {
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n') continue;
            return b == '{';
        }
        return false;
    }
}
