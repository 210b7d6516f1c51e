package dev.sidflow.stream;

/** Stable reason codes written to {@code DeadLetter.error_class}; dashboards and tests key on them. */
public enum DeadLetterReason {
    MALFORMED_BYTES,
    MISSING_FIELD,
    UNKNOWN_ITEM,
    BAD_TIMESTAMP,
    DUPLICATE,
    OVERSIZED,
    BAD_CATALOG_RECORD
}
