package dev.sidflow.model.generator;

import dev.sidflow.sid.SemanticId;
import java.util.List;

/**
 * Token ids the generator models (and the TorchScript contract) use: four special tokens, then the
 * 4 x 256 SID code tokens. SID token of level l, code c = {@link #FIRST_SID_TOKEN} + (l-1)*256 + c,
 * i.e. 4 + {@link SemanticId#token(int)}.
 */
public final class SidVocabulary {
    public static final int PAD = 0;
    /** The request token {@code <|rec|>}: closes the history and starts generation (decoder BOS). */
    public static final int REC = 1;
    public static final int EOS = 2;
    public static final int SEP = 3;
    public static final int FIRST_SID_TOKEN = 4;
    public static final int SIZE = FIRST_SID_TOKEN + SemanticId.LEVELS * SemanticId.CODEBOOK_SIZE;

    private SidVocabulary() {}

    /** Token id of a level-local code (level 1..4, code 0..255). */
    public static int token(int level, int code) {
        return FIRST_SID_TOKEN + (level - 1) * SemanticId.CODEBOOK_SIZE + code;
    }

    /** First token id of the given level's code block. */
    public static int levelStart(int level) {
        return token(level, 0);
    }

    /**
     * Left-padded history tokens: the last {@code historyLength} items, 4 tokens each, most recent
     * item last; shorter histories get PAD in front. Length = 4 * historyLength.
     */
    public static int[] historyTokens(List<SemanticId> history, int historyLength) {
        int[] out = new int[historyLength * SemanticId.LEVELS];
        int n = Math.min(history.size(), historyLength);
        int start = out.length - n * SemanticId.LEVELS;
        for (int i = 0; i < n; i++) {
            SemanticId sid = history.get(history.size() - n + i);
            for (int level = 1; level <= SemanticId.LEVELS; level++) {
                out[start + i * SemanticId.LEVELS + level - 1] = token(level, sid.code(level));
            }
        }
        return out;
    }
}
