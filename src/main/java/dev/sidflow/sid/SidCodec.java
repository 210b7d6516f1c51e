package dev.sidflow.sid;

import dev.sidflow.sid.SidFormatException.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Codec between {@link SemanticId} and its exact token text
 * {@code <|sid_start|><|sid_A|><|sid_B|><|sid_C|><|sid_D|><|sid_end|>}, where level {@code L}'s
 * token is {@code (L-1)*256 + code}, so A in [0,256), B in [256,512), C in [512,768), D in [768,1024).
 *
 * <p>Grammar accepted by {@link #parse} and the scanners: {@code <|sid_start|>}, four numeric tokens
 * in level order, {@code <|sid_end|>}. ASCII whitespace (space, tab, CR, LF) between tokens is
 * tolerated because some detokenizers put spaces between special tokens; nothing else may sit
 * between them. A token is {@code <|sid_} + name + {@code |>} with a name of at most 32 chars and
 * no {@code <}; a name that is neither {@code start}, {@code end} nor decimal digits is
 * "non-numeric".
 *
 * <p>The parser is a hand-written single pass over the chars (no regex); a successful parse
 * allocates only the result.
 *
 * <p>Scanning free text ({@link #extractAll}, {@link #findAll}, {@link #scan}) looks for
 * {@code <|sid_}; everything else is ignored (so {@code <|im_end|>}, {@code <|rec|>} or prose
 * around SIDs do no harm). A malformed fragment starts at its {@code <|sid_start|>} (or at the
 * first stray SID token when the start is missing) and runs through the offending token and any
 * SID tokens after it up to and including the next {@code <|sid_end|>}; it stops before a new
 * {@code <|sid_start|>}, an unterminated token or other text, so one bad SID never swallows the
 * next good one.
 */
public final class SidCodec {
    public static final String START = "<|sid_start|>";
    public static final String END = "<|sid_end|>";
    public static final String REC = "<|rec|>";
    /** Common prefix of every SID token. */
    public static final String TOKEN_PREFIX = "<|sid_";
    /** Number of distinct numeric SID tokens: 4 levels x 256 codes. */
    public static final int TOKEN_COUNT = SemanticId.LEVELS * SemanticId.CODEBOOK_SIZE;

    private static final int MAX_NAME = 32;

    private SidCodec() {}

    public static String encode(SemanticId sid) {
        int[] t = sid.tokens();
        return START + "<|sid_" + t[0] + "|><|sid_" + t[1] + "|><|sid_" + t[2] + "|><|sid_" + t[3] + "|>" + END;
    }

    /** Text of one numeric token, e.g. {@code <|sid_300|>}. */
    public static String token(int globalToken) {
        return TOKEN_PREFIX + globalToken + "|>";
    }

    /** The level (1..4) a global token index in [0, 1024) belongs to. */
    public static int levelOf(int globalToken) {
        if (globalToken < 0 || globalToken >= TOKEN_COUNT) {
            throw new IllegalArgumentException("token " + globalToken + " is outside [0, " + TOKEN_COUNT + ")");
        }
        return globalToken / SemanticId.CODEBOOK_SIZE + 1;
    }

    /**
     * Parses exactly one SID; leading and trailing whitespace is ignored, any other text around it
     * is an error.
     *
     * @throws SidFormatException naming what is wrong and where
     */
    public static SemanticId parse(String text) {
        Parser p = new Parser(text);
        int pos = p.skipWs(0);
        if (!p.tokenAt(pos)) {
            throw new SidFormatException(Kind.MISSING_START, pos,
                    "expected " + START + ", found " + p.describeAt(pos));
        }
        int t = p.lex(pos);
        if (t != Parser.START_TOKEN) {
            if (t == Parser.UNTERMINATED) throw p.unterminated(pos);
            throw new SidFormatException(Kind.MISSING_START, pos,
                    "expected " + START + ", found " + p.tokenText(pos));
        }
        SemanticId sid = p.parseSid(pos);
        if (sid == null) throw p.error();
        int after = p.skipWs(p.end);
        if (after < text.length()) {
            throw new SidFormatException(Kind.UNEXPECTED_TEXT, after,
                    "expected end of input after " + END + ", found " + p.describeAt(after));
        }
        return sid;
    }

    /**
     * Builds a SID from its four global token indices (as a decoder emits them), checking that each
     * lies in its level's range. The exception's offset is the index (0..3) of the bad token.
     *
     * @throws SidFormatException on a token out of [0, 1024) or in the wrong level's range
     */
    public static SemanticId fromTokens(int a, int b, int c, int d) {
        int[] t = {a, b, c, d};
        for (int level = 1; level <= SemanticId.LEVELS; level++) {
            int v = t[level - 1];
            String found = token(v);
            if (v < 0 || v >= TOKEN_COUNT) {
                throw new SidFormatException(Kind.CODE_OUT_OF_RANGE, level - 1,
                        "level " + level + " token " + found + " is outside [0, " + TOKEN_COUNT + "); level " + level
                                + " expects " + range(level));
            }
            if (levelOf(v) != level) {
                throw new SidFormatException(Kind.WRONG_LEVEL_ORDER, level - 1,
                        "level " + level + " expects a token in " + range(level) + ", found " + found + " (a level-"
                                + levelOf(v) + " token)");
            }
        }
        int k = SemanticId.CODEBOOK_SIZE;
        return new SemanticId(a, b - k, c - 2 * k, d - 3 * k);
    }

    /** Every well-formed SID in {@code text}, in order; malformed fragments are skipped. */
    public static List<SemanticId> extractAll(String text) {
        List<SemanticId> out = new ArrayList<>(4);
        new Parser(text).scan(out, null, null);
        return out;
    }

    /** The first well-formed SID in {@code text}, if any. */
    public static Optional<SemanticId> findFirst(String text) {
        Parser p = new Parser(text);
        int pos = 0;
        while ((pos = text.indexOf(START, pos)) >= 0) {
            SemanticId sid = p.parseSid(pos);
            if (sid != null) return Optional.of(sid);
            pos += START.length();
        }
        return Optional.empty();
    }

    /** Every well-formed SID in {@code text} with its position and exact text, in order. */
    public static List<SidMatch> findAll(String text) {
        List<SidMatch> out = new ArrayList<>(4);
        new Parser(text).scan(null, out, null);
        return out;
    }

    /** Every well-formed SID and every malformed SID fragment in {@code text}. */
    public static SidScan scan(String text) {
        List<SidMatch> matches = new ArrayList<>(4);
        List<MalformedSid> malformed = new ArrayList<>(0);
        new Parser(text).scan(null, matches, malformed);
        return new SidScan(matches, malformed);
    }

    /** Global token range of a level as text, e.g. {@code [256, 512)}. */
    static String range(int level) {
        int lo = (level - 1) * SemanticId.CODEBOOK_SIZE;
        return "[" + lo + ", " + (lo + SemanticId.CODEBOOK_SIZE) + ")";
    }

    /**
     * Single-use cursor over one text. {@link #lex} returns a token kind and sets {@link #end};
     * {@link #parseSid} returns null on error and leaves the error in {@code err*} fields plus the
     * end of the malformed fragment in {@link #end}, so scanning needs no exceptions.
     */
    private static final class Parser {
        static final int START_TOKEN = -1;
        static final int END_TOKEN = -2;
        static final int NON_NUMERIC = -3;
        static final int UNTERMINATED = -4;

        final String s;
        final int n;
        /** End (exclusive) of the last lexed token, or of the fragment after parseSid. */
        int end;
        Kind errKind;
        int errOffset;
        String errDetail;

        Parser(String s) {
            this.s = s;
            this.n = s.length();
        }

        int skipWs(int pos) {
            while (pos < n) {
                char c = s.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
                pos++;
            }
            return pos;
        }

        boolean tokenAt(int pos) {
            return s.startsWith(TOKEN_PREFIX, pos);
        }

        /**
         * Lexes the token at {@code pos} (which starts with {@code <|sid_}): returns its numeric value
         * (capped at Integer.MAX_VALUE) or one of the negative kinds, and sets {@link #end}.
         */
        int lex(int pos) {
            int nameStart = pos + TOKEN_PREFIX.length();
            int limit = Math.min(n - 1, nameStart + MAX_NAME + 1);
            int i = nameStart;
            for (; i < limit; i++) {
                char c = s.charAt(i);
                if (c == '|' && s.charAt(i + 1) == '>') break;
                if (c == '<') {
                    end = nameStart;
                    return UNTERMINATED;
                }
            }
            if (i >= limit) {
                end = nameStart;
                return UNTERMINATED;
            }
            end = i + 2;
            int len = i - nameStart;
            if (len == 0) return NON_NUMERIC;
            long value = 0;
            for (int j = nameStart; j < i; j++) {
                char c = s.charAt(j);
                if (c < '0' || c > '9') {
                    if (len == 5 && s.startsWith("start", nameStart)) return START_TOKEN;
                    if (len == 3 && s.startsWith("end", nameStart)) return END_TOKEN;
                    return NON_NUMERIC;
                }
                if (value <= Integer.MAX_VALUE) value = value * 10 + (c - '0');
            }
            return (int) Math.min(value, Integer.MAX_VALUE);
        }

        String tokenText(int pos) {
            int t = lex(pos);
            return t == UNTERMINATED ? quote(pos) : s.substring(pos, end);
        }

        String describeAt(int pos) {
            if (pos >= n) return "end of input";
            return tokenAt(pos) ? tokenText(pos) : quote(pos);
        }

        private String quote(int pos) {
            int stop = Math.min(n, pos + 24);
            return "'" + s.substring(pos, stop) + (stop < n ? "..." : "") + "'";
        }

        SidFormatException unterminated(int pos) {
            return new SidFormatException(Kind.UNTERMINATED_TOKEN, pos, quote(pos) + " has no closing |> within "
                    + MAX_NAME + " chars");
        }

        SidFormatException error() {
            return new SidFormatException(errKind, errOffset, errDetail);
        }

        private SemanticId fail(Kind kind, int offset, String detail, int fragmentEnd) {
            errKind = kind;
            errOffset = offset;
            errDetail = detail;
            end = fragmentEnd;
            return null;
        }

        /** Built only on error paths: string building per token would dominate the parse cost. */
        private static String expected(int level) {
            return "level " + level + " expects a token in " + range(level);
        }

        /** Extends a malformed fragment over SID tokens through the next END (see class doc). */
        int resync(int pos) {
            while (true) {
                int q = skipWs(pos);
                if (!tokenAt(q)) return pos;
                int t = lex(q);
                if (t == END_TOKEN) return end;
                if (t == START_TOKEN || t == UNTERMINATED) return pos;
                pos = end;
            }
        }

        /** Parses a SID whose START token is at {@code pos}. */
        SemanticId parseSid(int pos) {
            lex(pos);
            int last = end; // end of the last token that belongs to this SID
            int c1 = 0, c2 = 0, c3 = 0, c4 = 0;
            for (int level = 1; level <= SemanticId.LEVELS; level++) {
                int q = skipWs(last);
                if (!tokenAt(q)) {
                    return fail(Kind.WRONG_LEVEL_COUNT, q, "SID stops after " + (level - 1) + " of 4 levels; "
                            + expected(level) + ", found " + describeAt(q), last);
                }
                int t = lex(q);
                int tokenEnd = end;
                switch (t) {
                    case UNTERMINATED:
                        return fail(Kind.UNTERMINATED_TOKEN, q, quote(q) + " has no closing |> within " + MAX_NAME
                                + " chars", last);
                    case START_TOKEN:
                        return fail(Kind.WRONG_LEVEL_COUNT, q, "SID stops after " + (level - 1)
                                + " of 4 levels; a new " + START + " begins", last);
                    case END_TOKEN:
                        return fail(Kind.WRONG_LEVEL_COUNT, q, "expected 4 codes between " + START + " and " + END
                                + ", found " + (level - 1), tokenEnd);
                    case NON_NUMERIC:
                        return fail(Kind.NON_NUMERIC_TOKEN, q, expected(level) + ", found " + s.substring(q, tokenEnd),
                                resync(tokenEnd));
                    default:
                        break;
                }
                if (t >= TOKEN_COUNT) {
                    return fail(Kind.CODE_OUT_OF_RANGE, q, s.substring(q, tokenEnd) + " is outside [0, " + TOKEN_COUNT
                            + "); " + expected(level), resync(tokenEnd));
                }
                int tokenLevel = t / SemanticId.CODEBOOK_SIZE + 1;
                if (tokenLevel != level) {
                    return fail(Kind.WRONG_LEVEL_ORDER, q, expected(level) + ", found " + s.substring(q, tokenEnd)
                            + " (a level-" + tokenLevel + " token)", resync(tokenEnd));
                }
                int code = t - (level - 1) * SemanticId.CODEBOOK_SIZE;
                switch (level) {
                    case 1 -> c1 = code;
                    case 2 -> c2 = code;
                    case 3 -> c3 = code;
                    default -> c4 = code;
                }
                last = tokenEnd;
            }
            int q = skipWs(last);
            if (!tokenAt(q)) {
                return fail(Kind.MISSING_END, q, "expected " + END + " after the level-4 token, found " + describeAt(q),
                        last);
            }
            int t = lex(q);
            int tokenEnd = end;
            if (t == END_TOKEN) {
                end = tokenEnd;
                return new SemanticId(c1, c2, c3, c4);
            }
            if (t == UNTERMINATED) {
                return fail(Kind.UNTERMINATED_TOKEN, q, quote(q) + " has no closing |> within " + MAX_NAME + " chars",
                        last);
            }
            if (t == START_TOKEN) {
                return fail(Kind.MISSING_END, q, "expected " + END + " after the level-4 token, found " + START, last);
            }
            if (t == NON_NUMERIC) {
                return fail(Kind.MISSING_END, q, "expected " + END + " after the level-4 token, found "
                        + s.substring(q, tokenEnd), resync(tokenEnd));
            }
            return fail(Kind.WRONG_LEVEL_COUNT, q, "expected " + END + " after 4 codes, found a 5th code "
                    + s.substring(q, tokenEnd), resync(tokenEnd));
        }

        /** Scans the whole text; any of the output lists may be null (not collected). */
        void scan(List<SemanticId> sids, List<SidMatch> matches, List<MalformedSid> malformed) {
            int pos = 0;
            while ((pos = s.indexOf(TOKEN_PREFIX, pos)) >= 0) {
                int t = lex(pos);
                if (t == START_TOKEN) {
                    SemanticId sid = parseSid(pos);
                    if (sid != null) {
                        if (sids != null) sids.add(sid);
                        if (matches != null) matches.add(new SidMatch(pos, end, s.substring(pos, end), sid));
                    } else if (malformed != null) {
                        report(malformed, pos, end, errKind, errOffset, errDetail);
                    }
                    pos = end;
                } else if (t == UNTERMINATED) {
                    if (malformed != null) {
                        report(malformed, pos, end, Kind.UNTERMINATED_TOKEN, pos,
                                quote(pos) + " has no closing |> within " + MAX_NAME + " chars");
                    }
                    pos = end;
                } else {
                    // A SID token with no <|sid_start|> before it.
                    String found = s.substring(pos, end);
                    int fragmentEnd = t == END_TOKEN ? end : resync(end);
                    if (malformed != null) {
                        report(malformed, pos, fragmentEnd, Kind.MISSING_START, pos,
                                "found " + found + " without a preceding " + START);
                    }
                    pos = fragmentEnd;
                }
            }
        }

        private void report(List<MalformedSid> out, int start, int stop, Kind kind, int offset, String detail) {
            out.add(new MalformedSid(start, stop, s.substring(start, stop), kind, offset, detail));
        }
    }
}
