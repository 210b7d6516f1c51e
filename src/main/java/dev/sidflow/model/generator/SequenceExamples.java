package dev.sidflow.model.generator;

import dev.sidflow.data.LeaveOneOut.UserSplit;
import dev.sidflow.sid.SemanticId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Next-item examples as flat token arrays: encoder input (history tokens + {@code <|rec|>}, S per
 * example) and the target item's four SID tokens. Items without a SID are left out of histories
 * and cannot be targets.
 */
public record SequenceExamples(int count, int encoderLength, int[] encoderTokens, int[] targetTokens) {

    /** Sliding windows over each user's training prefix: every position after the first predicts its item. */
    public static SequenceExamples trainingWindows(List<UserSplit> splits, Map<String, SemanticId> sids, int historyLength) {
        Builder b = new Builder(historyLength);
        for (UserSplit split : splits) {
            List<SemanticId> seq = known(split.train(), sids);
            for (int t = 1; t < seq.size(); t++) b.add(seq.subList(0, t), seq.get(t));
        }
        return b.build();
    }

    /** One example per evaluable user: training prefix -> validation item. */
    public static SequenceExamples validation(List<UserSplit> splits, Map<String, SemanticId> sids, int historyLength) {
        Builder b = new Builder(historyLength);
        for (UserSplit split : splits) {
            if (!split.evaluable() || !sids.containsKey(split.validation())) continue;
            b.add(known(split.validationHistory(), sids), sids.get(split.validation()));
        }
        return b.build();
    }

    /** The items of {@code itemIds} that have a SID, in order. */
    public static List<SemanticId> known(List<String> itemIds, Map<String, SemanticId> sids) {
        List<SemanticId> out = new ArrayList<>(itemIds.size());
        for (String id : itemIds) {
            SemanticId sid = sids.get(id);
            if (sid != null) out.add(sid);
        }
        return out;
    }

    /** Encoder input of one history: left-padded history tokens, then {@code <|rec|>}. */
    public static int[] encoderInput(List<SemanticId> history, int historyLength) {
        int[] h = SidVocabulary.historyTokens(history, historyLength);
        int[] out = Arrays.copyOf(h, h.length + 1);
        out[h.length] = SidVocabulary.REC;
        return out;
    }

    private static final class Builder {
        private final int historyLength;
        private final int s;
        private int[] enc = new int[1024];
        private int[] tgt = new int[256];
        private int n;

        Builder(int historyLength) {
            this.historyLength = historyLength;
            this.s = 4 * historyLength + 1;
        }

        void add(List<SemanticId> history, SemanticId target) {
            if (history.isEmpty()) return;
            if ((n + 1) * s > enc.length) enc = Arrays.copyOf(enc, Math.max(enc.length * 2, (n + 1) * s));
            if ((n + 1) * 4 > tgt.length) tgt = Arrays.copyOf(tgt, tgt.length * 2);
            System.arraycopy(encoderInput(history, historyLength), 0, enc, n * s, s);
            for (int level = 1; level <= SemanticId.LEVELS; level++) {
                tgt[n * 4 + level - 1] = SidVocabulary.token(level, target.code(level));
            }
            n++;
        }

        SequenceExamples build() {
            return new SequenceExamples(n, s, Arrays.copyOf(enc, n * s), Arrays.copyOf(tgt, n * 4));
        }
    }
}
