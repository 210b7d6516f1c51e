package dev.sidflow.stream;

import dev.sidflow.schema.InteractionEvent;
import dev.sidflow.stream.serde.RecordCodec;
import dev.sidflow.stream.serde.WireFormat;
import org.apache.avro.file.DataFileConstants;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads an Avro object container file of interaction events (the {@code InteractionEvent} schema or
 * an older/newer writer schema Avro can resolve to it) as one plain Avro binary record per event,
 * the form the events topic carries, so the replay decodes and validates it like live input.
 *
 * <p>A damaged container (a bad sync marker, undecodable data) cannot be read past the damage: the
 * reader then emits one record holding a description of the damage, which the decoder dead-letters
 * as malformed bytes, and ends. One case Avro itself cannot tell from a clean end: a file cut short
 * inside its last block reads as ending before that block.
 */
final class AvroEventFileFormat extends SimpleStreamFormat<byte[]> {

    /** True if the file starts with Avro's object-container magic bytes. */
    static boolean isAvroDataFile(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(DataFileConstants.MAGIC.length), DataFileConstants.MAGIC);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public StreamFormat.Reader<byte[]> createReader(Configuration config, FSDataInputStream stream) throws IOException {
        return new Reader(stream);
    }

    @Override
    public TypeInformation<byte[]> getProducedType() {
        return PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
    }

    private static final class Reader implements StreamFormat.Reader<byte[]> {
        private final RecordCodec<InteractionEvent> codec = RecordCodec.of(InteractionEvent.class, WireFormat.AVRO);
        private final InputStream stream;
        private DataFileStream<InteractionEvent> records;
        private long read;
        private boolean done;

        Reader(InputStream stream) {
            this.stream = stream;
        }

        @Override
        public byte[] read() {
            if (done) return null;
            try {
                if (records == null) records = new DataFileStream<>(stream, new SpecificDatumReader<>(InteractionEvent.class));
                if (!records.hasNext()) {
                    done = true;
                    return null;
                }
                InteractionEvent event = records.next();
                read++;
                return codec.encode(event);
            } catch (IOException | RuntimeException e) {
                done = true;
                return ("unreadable Avro data file after " + read + " records: " + e).getBytes(StandardCharsets.UTF_8);
            }
        }

        @Override
        public void close() throws IOException {
            if (records != null) records.close();
            else stream.close();
        }
    }
}
