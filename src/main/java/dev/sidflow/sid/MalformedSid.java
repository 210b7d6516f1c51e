package dev.sidflow.sid;

/**
 * A malformed SID fragment found in a text: {@code text} is the fragment
 * ({@code scanned.substring(start, end)}), {@code kind} what is wrong with it, {@code offset} where
 * exactly (absolute in the scanned text) and {@code detail} the explanation.
 */
public record MalformedSid(int start, int end, String text, SidFormatException.Kind kind, int offset, String detail) {
    /** The same message {@link SidCodec#parse} would throw for this problem. */
    public String message() {
        return SidFormatException.message(kind, offset, detail);
    }

    /** The problem as the exception {@link SidCodec#parse} throws for it. */
    public SidFormatException toException() {
        return new SidFormatException(kind, offset, detail);
    }
}
