package dev.sidflow.stream.serde;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/** Plain Avro binary encoding of a SpecificRecord (no header): see docs/wire-format.md. */
public final class AvroBinaryCodec<T extends SpecificRecord> implements RecordCodec<T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> recordClass;
    private transient volatile Machinery<T> machinery;

    private record Machinery<T>(Schema schema, DatumWriter<T> writer, DatumReader<T> reader) {}

    public AvroBinaryCodec(Class<T> recordClass) {
        this.recordClass = Objects.requireNonNull(recordClass, "recordClass");
    }

    private Machinery<T> machinery() {
        Machinery<T> m = machinery;
        if (m == null) {
            // the class's own model carries its logical-type conversions (timestamp-millis <-> Instant)
            SpecificData model = SpecificData.getForClass(recordClass);
            Schema schema = model.getSchema(recordClass);
            m = new Machinery<>(schema, new SpecificDatumWriter<>(schema, model),
                    new SpecificDatumReader<>(schema, schema, model));
            machinery = m;
        }
        return m;
    }

    @Override
    public byte[] encode(T record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            machinery().writer().write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public T decode(byte[] bytes) {
        String type = recordClass.getSimpleName();
        if (bytes == null) throw new RecordDecodeException(type, WireFormat.AVRO, "null value", null);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
        T record;
        try {
            record = machinery().reader().read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new RecordDecodeException(type, WireFormat.AVRO,
                    describe(e) + " (" + bytes.length + " bytes)", e);
        }
        try {
            // Avro binary has no framing: leftover bytes mean the value was not one record of this schema.
            if (!decoder.isEnd()) {
                throw new RecordDecodeException(type, WireFormat.AVRO,
                        "trailing bytes after a complete record (" + bytes.length + " bytes)", null);
            }
        } catch (IOException e) {
            throw new RecordDecodeException(type, WireFormat.AVRO, describe(e), e);
        }
        return record;
    }

    static String describe(Throwable e) {
        String msg = e.getMessage();
        if (e instanceof java.io.EOFException) return "truncated data (unexpected end of input)";
        return e.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }

    @Override
    public Class<T> recordClass() { return recordClass; }

    @Override
    public WireFormat format() { return WireFormat.AVRO; }
}
