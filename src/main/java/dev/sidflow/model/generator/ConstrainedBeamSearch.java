package dev.sidflow.model.generator;

import dev.sidflow.model.ScoredSid;
import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidTrie;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Batched beam search over the four SID levels, constrained by a trie of valid SIDs: at each level
 * only codes the trie allows after a beam's prefix can be chosen (the others count as -inf), so
 * every finished beam is a valid, distinct SID. Scores are sums of per-level log-softmax values of
 * the model's logits over the level's 256 codes (computed here unless the scorer's engine did).
 */
public final class ConstrainedBeamSearch {

    record Beam(int[] codes, double score) {}

    private final SidTrie trie;

    public ConstrainedBeamSearch(SidTrie trie) {
        this.trie = trie;
    }

    /**
     * Searches for many users in batches of {@code batchSize}: one scorer (one encoder pass) per
     * batch, closed when its batch is done. Results are in input order.
     */
    public List<List<ScoredSid>> searchInBatches(List<List<SemanticId>> histories, int batchSize,
                                                 java.util.function.Function<List<List<SemanticId>>, StepScorer> scorerFor,
                                                 int k, int beam) {
        List<List<ScoredSid>> out = new ArrayList<>(histories.size());
        for (int from = 0; from < histories.size(); from += batchSize) {
            List<List<SemanticId>> chunk = histories.subList(from, Math.min(histories.size(), from + batchSize));
            try (StepScorer scorer = scorerFor.apply(chunk)) {
                out.addAll(search(scorer, chunk.size(), k, beam));
            }
        }
        return out;
    }

    /**
     * Runs the search for {@code users} users whose model state {@code scorer} holds.
     *
     * @param k    results per user
     * @param beam beam width; raised to k when smaller
     */
    public List<List<ScoredSid>> search(StepScorer scorer, int users, int k, int beam) {
        if (k <= 0) throw new IllegalArgumentException("k must be positive: " + k);
        int width = Math.max(beam, k);
        List<List<Beam>> beams = new ArrayList<>(users);
        for (int u = 0; u < users; u++) beams.add(List.of(new Beam(new int[0], 0.0)));

        for (int level = 1; level <= SemanticId.LEVELS; level++) {
            int groups = level == 1 ? 1 : width;
            int[][][] prefixes = new int[users][groups][];
            for (int u = 0; u < users; u++) {
                List<Beam> ub = beams.get(u);
                for (int g = 0; g < groups; g++) {
                    // users with fewer live beams get copies of a live (or empty) prefix as filler rows
                    prefixes[u][g] = ub.isEmpty() ? new int[level - 1] : ub.get(g < ub.size() ? g : 0).codes();
                }
            }
            float[][][] logits = scorer.levelLogits(level, prefixes);
            for (int u = 0; u < users; u++) {
                beams.set(u, expand(beams.get(u), logits[u], width, scorer.normalised()));
            }
        }

        List<List<ScoredSid>> out = new ArrayList<>(users);
        for (int u = 0; u < users; u++) {
            List<Beam> finished = beams.get(u);
            List<ScoredSid> recs = new ArrayList<>(Math.min(k, finished.size()));
            for (int i = 0; i < finished.size() && recs.size() < k; i++) {
                Beam b = finished.get(i);
                SemanticId sid = SemanticId.of(b.codes());
                String itemId = trie.itemId(sid);
                if (itemId == null) throw new IllegalStateException("beam search produced a SID outside the trie: " + sid);
                recs.add(new ScoredSid(sid, itemId, b.score()));
            }
            out.add(recs);
        }
        return out;
    }

    private List<Beam> expand(List<Beam> live, float[][] logits, int width, boolean normalised) {
        BeamCandidates best = new BeamCandidates(width, live);
        for (int g = 0; g < live.size(); g++) {
            Beam b = live.get(g);
            int[] allowed = trie.allowedNext(b.codes());
            if (allowed.length == 0) continue;
            float[] row = logits[g];
            double logZ = normalised ? 0 : logSumExp(row);
            for (int code : allowed) best.offer(b.score() + row[code] - logZ, g, code);
        }
        return best.bestFirst();
    }

    static double logSumExp(float[] row) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : row) max = Math.max(max, v);
        double sum = 0;
        for (float v : row) sum += Math.exp(v - max);
        return max + Math.log(sum);
    }
}
