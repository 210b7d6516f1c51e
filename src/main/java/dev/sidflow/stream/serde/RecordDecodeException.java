package dev.sidflow.stream.serde;

/**
 * Bytes on a topic that are not a valid record of the expected type. Carries what a dead letter needs:
 * the expected type, the wire format and a human-readable reason; the raw bytes stay with the caller.
 */
public final class RecordDecodeException extends RuntimeException {
    private final String recordType;
    private final WireFormat format;

    public RecordDecodeException(String recordType, WireFormat format, String reason, Throwable cause) {
        super("cannot decode " + format.name().toLowerCase() + " " + recordType + ": " + reason, cause);
        this.recordType = recordType;
        this.format = format;
    }

    /** Simple name of the Avro record class that was expected. */
    public String recordType() { return recordType; }

    public WireFormat format() { return format; }
}
