package dev.sidflow.serve;

/**
 * A request the recommender cannot answer as asked: unknown seed item or SID, unknown attribute,
 * empty text, contradictory fields. The stream job dead-letters it under {@link #reason()};
 * {@code sidflow ask} prints the message.
 */
public final class BadRequest extends RuntimeException {
    /** Stable reason codes; the stream job writes them as the dead letter's error class. */
    public enum Reason { BAD_REQUEST, UNKNOWN_ITEM, UNKNOWN_ATTRIBUTE }

    private final Reason reason;

    public BadRequest(Reason reason, String message) {
        super(message, null, false, false); // an expected outcome: no stack trace needed
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
