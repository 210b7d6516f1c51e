package dev.sidflow.stream.serde;

import java.util.Locale;

/**
 * How a record's value is laid out on a Kafka topic. See docs/wire-format.md.
 */
public enum WireFormat {
    /** Plain Avro binary of the record's schema: no header, no schema registry, no magic byte. */
    AVRO,
    /** One UTF-8 JSON object per record with the schema's snake_case field names; nullable unions unwrapped. */
    JSON;

    /** Parses "avro" / "json", case-insensitively, with a message that lists the valid values. */
    public static WireFormat parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown wire format '" + text + "' (expected avro or json)");
        }
    }
}
