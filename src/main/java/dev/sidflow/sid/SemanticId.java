package dev.sidflow.sid;

/**
 * A hierarchical semantic ID: three residual-quantization codes (coarse to fine) and a fourth,
 * dedup code that tells apart items whose first three codes collide. Each code is in [0, 256).
 *
 * <p>Token form: {@code <|sid_start|><|sid_A|><|sid_B|><|sid_C|><|sid_D|><|sid_end|>} with
 * A = c1, B = 256 + c2, C = 512 + c3, D = 768 + c4 (see {@link SidCodec}).
 */
public record SemanticId(int c1, int c2, int c3, int c4) implements Comparable<SemanticId> {
    public static final int LEVELS = 4;
    public static final int CODEBOOK_SIZE = 256;

    public SemanticId {
        check(1, c1);
        check(2, c2);
        check(3, c3);
        check(4, c4);
    }

    private static void check(int level, int code) {
        if (code < 0 || code >= CODEBOOK_SIZE) {
            throw new IllegalArgumentException("level-" + level + " code " + code + " out of range [0, 256)");
        }
    }

    public static SemanticId of(int[] codes) {
        if (codes.length != LEVELS) throw new IllegalArgumentException("expected 4 codes, got " + codes.length);
        return new SemanticId(codes[0], codes[1], codes[2], codes[3]);
    }

    /** Code at level 1..4. */
    public int code(int level) {
        return switch (level) {
            case 1 -> c1;
            case 2 -> c2;
            case 3 -> c3;
            case 4 -> c4;
            default -> throw new IllegalArgumentException("level must be 1..4: " + level);
        };
    }

    /** Leading semantic levels (0..3, the dedup level excluded) this SID shares with {@code other}. */
    public int sharedLevels(SemanticId other) {
        int n = 0;
        while (n < LEVELS - 1 && code(n + 1) == other.code(n + 1)) n++;
        return n;
    }

    public int[] codes() {
        return new int[] {c1, c2, c3, c4};
    }

    /** Global token index of level {@code level}'s code: (level-1)*256 + code, in [0, 1024). */
    public int token(int level) {
        return (level - 1) * CODEBOOK_SIZE + code(level);
    }

    /** The four global token indices A, B, C, D. */
    public int[] tokens() {
        return new int[] {c1, CODEBOOK_SIZE + c2, 2 * CODEBOOK_SIZE + c3, 3 * CODEBOOK_SIZE + c4};
    }

    /** Exact token text, e.g. {@code <|sid_start|><|sid_12|><|sid_300|><|sid_600|><|sid_768|><|sid_end|>}. */
    @Override
    public String toString() {
        return SidCodec.encode(this);
    }

    @Override
    public int compareTo(SemanticId o) {
        int c = Integer.compare(c1, o.c1);
        if (c == 0) c = Integer.compare(c2, o.c2);
        if (c == 0) c = Integer.compare(c3, o.c3);
        if (c == 0) c = Integer.compare(c4, o.c4);
        return c;
    }
}
