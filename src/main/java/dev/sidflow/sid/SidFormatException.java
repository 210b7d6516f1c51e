package dev.sidflow.sid;

/**
 * A SID token string is malformed. {@link #kind()} says what is wrong, {@link #offset()} where
 * (char offset into the parsed text where the offending token or text starts), and the message
 * says both in words, e.g. {@code wrong level order at offset 13: level 1 expects a token in
 * [0, 256), found <|sid_300|> (a level-2 token)}.
 */
public final class SidFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** What is wrong with the text. */
    public enum Kind {
        /** Codes or {@code <|sid_end|>} without a preceding {@code <|sid_start|>}, or no SID at all. */
        MISSING_START,
        /** Four codes read but no {@code <|sid_end|>} follows them. */
        MISSING_END,
        /** A code in [0, 1024) but in the range of another level than the one expected here. */
        WRONG_LEVEL_ORDER,
        /** A numeric token outside [0, 1024), e.g. {@code <|sid_1024|>}. */
        CODE_OUT_OF_RANGE,
        /** A {@code <|sid_...|>} token whose name is neither start, end nor a decimal number. */
        NON_NUMERIC_TOKEN,
        /** Fewer or more than four codes between start and end. */
        WRONG_LEVEL_COUNT,
        /** {@code <|sid_} without a closing {@code |>}. */
        UNTERMINATED_TOKEN,
        /** Non-whitespace text around a SID where exactly one SID was required. */
        UNEXPECTED_TEXT
    }

    private final Kind kind;
    private final int offset;

    public SidFormatException(Kind kind, int offset, String detail) {
        super(message(kind, offset, detail));
        this.kind = kind;
        this.offset = offset;
    }

    /** The message an exception with these parts carries. */
    static String message(Kind kind, int offset, String detail) {
        return describe(kind) + " at offset " + offset + ": " + detail;
    }

    private static String describe(Kind kind) {
        return switch (kind) {
            case MISSING_START -> "missing <|sid_start|>";
            case MISSING_END -> "missing <|sid_end|>";
            case WRONG_LEVEL_ORDER -> "wrong level order";
            case CODE_OUT_OF_RANGE -> "code out of range";
            case NON_NUMERIC_TOKEN -> "non-numeric token";
            case WRONG_LEVEL_COUNT -> "wrong number of levels";
            case UNTERMINATED_TOKEN -> "unterminated token";
            case UNEXPECTED_TEXT -> "unexpected text";
        };
    }

    public Kind kind() {
        return kind;
    }

    /** Char offset in the input where the problem was found. */
    public int offset() {
        return offset;
    }
}
