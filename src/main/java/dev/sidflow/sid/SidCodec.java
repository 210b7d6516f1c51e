package dev.sidflow.sid;

/** Codec between {@link SemanticId} and its exact token text. Parsing is implemented in the sid package. */
public final class SidCodec {
    public static final String START = "<|sid_start|>";
    public static final String END = "<|sid_end|>";
    public static final String REC = "<|rec|>";

    private SidCodec() {}

    public static String encode(SemanticId sid) {
        int[] t = sid.tokens();
        return START + "<|sid_" + t[0] + "|><|sid_" + t[1] + "|><|sid_" + t[2] + "|><|sid_" + t[3] + "|>" + END;
    }
}
