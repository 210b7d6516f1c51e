package dev.sidflow.stream;

/** Stable reason codes written to {@code DeadLetter.error_class}; dashboards and tests key on them. */
public enum DeadLetterReason {
    MALFORMED_BYTES,
    MISSING_FIELD,
    UNKNOWN_ITEM,
    BAD_TIMESTAMP,
    DUPLICATE,
    OVERSIZED,
    BAD_CATALOG_RECORD,
    /** A REQUEST event that cannot be answered as asked: unknown request kind, empty text, malformed seed SID ... */
    BAD_REQUEST,
    /** A constraint naming an attribute (or value) no catalog item has. */
    UNKNOWN_ATTRIBUTE
}
