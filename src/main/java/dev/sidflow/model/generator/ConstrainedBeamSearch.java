package dev.sidflow.model.generator;

import dev.sidflow.model.Generation;
import dev.sidflow.model.ScoredSid;
import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidTrie;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
     * {@link #searchAndScore} for many users in batches of {@code batchSize}: one scorer (one encoder
     * pass) per batch, closed when its batch is done. Results are in input order.
     */
    public Generation searchInBatches(List<List<SemanticId>> histories, int batchSize,
                                      java.util.function.Function<List<List<SemanticId>>, StepScorer> scorerFor,
                                      int k, int beam, List<List<SemanticId>> candidates) {
        List<Generation.PerUser> out = new ArrayList<>(histories.size());
        for (int from = 0; from < histories.size(); from += batchSize) {
            int to = Math.min(histories.size(), from + batchSize);
            try (StepScorer scorer = scorerFor.apply(histories.subList(from, to))) {
                out.addAll(searchAndScore(scorer, to - from, k, beam, candidates.subList(from, to)).perUser());
            }
        }
        return Generation.of(out);
    }

    /**
     * Runs the search for {@code users} users whose model state {@code scorer} holds.
     *
     * @param k    results per user
     * @param beam beam width; raised to k when smaller
     */
    public List<List<ScoredSid>> search(StepScorer scorer, int users, int k, int beam) {
        if (k <= 0) throw new IllegalArgumentException("k must be positive: " + k);
        List<List<Beam>> finished = finishedBeams(scorer, users, Math.max(beam, k));
        List<List<ScoredSid>> out = new ArrayList<>(users);
        for (List<Beam> f : finished) out.add(topK(f, k));
        return out;
    }

    /**
     * Like {@link #search}, then also the log-probability of every SID in {@code candidates} (per
     * user, in the given order) on the same scorer, so the encoder runs once: a candidate among the
     * finished beams takes its beam's score; the others are scored by teacher forcing, one call per
     * level over each user's distinct prefixes. Scores are the same sums of per-level log-softmax
     * values as a beam's, so a fusion can read both alike. A candidate need not be in the trie
     * (e.g. an item that arrived after the trie was built).
     */
    public Generation searchAndScore(StepScorer scorer, int users, int k, int beam, List<List<SemanticId>> candidates) {
        if (k <= 0) throw new IllegalArgumentException("k must be positive: " + k);
        if (candidates.size() != users) throw new IllegalArgumentException(candidates.size() + " candidate lists for " + users + " users");
        List<List<Beam>> finished = finishedBeams(scorer, users, Math.max(beam, k));
        List<List<ScoredSid>> recommended = new ArrayList<>(users);
        List<double[]> logp = new ArrayList<>(users);
        List<List<int[]>> toScore = new ArrayList<>(users);
        List<int[]> toScoreAt = new ArrayList<>(users);
        for (int u = 0; u < users; u++) {
            List<Beam> f = finished.get(u);
            recommended.add(topK(f, k));
            List<SemanticId> cands = candidates.get(u);
            Map<SemanticId, Double> beamScore = new HashMap<>();
            if (!cands.isEmpty()) for (Beam b : f) beamScore.put(SemanticId.of(b.codes()), b.score());
            double[] scores = new double[cands.size()];
            List<int[]> open = new ArrayList<>();
            int[] at = new int[cands.size()];
            for (int c = 0; c < cands.size(); c++) {
                Double known = beamScore.get(cands.get(c));
                if (known != null) {
                    scores[c] = known;
                } else {
                    at[open.size()] = c;
                    open.add(cands.get(c).codes());
                }
            }
            logp.add(scores);
            toScore.add(open);
            toScoreAt.add(Arrays.copyOf(at, open.size()));
        }
        double[][] forced = teacherForced(scorer, toScore);
        for (int u = 0; u < users; u++) {
            int[] at = toScoreAt.get(u);
            for (int i = 0; i < at.length; i++) logp.get(u)[at[i]] = forced[u][i];
        }
        return new Generation(recommended, logp);
    }

    /** Sum over the four levels of each code sequence's log-probability, per user. */
    private static double[][] teacherForced(StepScorer scorer, List<List<int[]>> codes) {
        int users = codes.size();
        double[][] out = new double[users][];
        boolean any = false;
        for (int u = 0; u < users; u++) {
            out[u] = new double[codes.get(u).size()];
            any |= !codes.get(u).isEmpty();
        }
        if (!any) return out;
        for (int level = 1; level <= SemanticId.LEVELS; level++) {
            List<Map<Long, Integer>> rowOf = new ArrayList<>(users);
            List<List<int[]>> distinct = new ArrayList<>(users);
            int groups = 1;
            for (List<int[]> userCodes : codes) {
                Map<Long, Integer> rows = new HashMap<>();
                List<int[]> prefixes = new ArrayList<>();
                for (int[] c : userCodes) {
                    if (rows.putIfAbsent(prefixKey(c, level - 1), prefixes.size()) == null) prefixes.add(Arrays.copyOf(c, level - 1));
                }
                rowOf.add(rows);
                distinct.add(prefixes);
                groups = Math.max(groups, prefixes.size());
            }
            int[][][] prefixes = new int[users][groups][];
            for (int u = 0; u < users; u++) {
                List<int[]> d = distinct.get(u);
                // filler rows repeat a real prefix; a user with nothing to score gets zero codes at every
                // level, so each filler's parent was itself asked for one level earlier (a KV cache finds it)
                for (int g = 0; g < groups; g++) prefixes[u][g] = d.isEmpty() ? new int[level - 1] : d.get(g < d.size() ? g : 0);
            }
            float[][][] logits = scorer.levelLogits(level, prefixes);
            for (int u = 0; u < users; u++) {
                List<int[]> userCodes = codes.get(u);
                double[] logZ = scorer.normalised() ? null : new double[groups];
                if (logZ != null) for (int g = 0; g < groups; g++) logZ[g] = logSumExp(logits[u][g]);
                for (int c = 0; c < userCodes.size(); c++) {
                    int[] code = userCodes.get(c);
                    int row = rowOf.get(u).get(prefixKey(code, level - 1));
                    out[u][c] += logits[u][row][code[level - 1]] - (logZ == null ? 0 : logZ[row]);
                }
            }
        }
        return out;
    }

    /** The first {@code length} codes (each 0..255, at most 3) packed into one number. */
    static long prefixKey(int[] codes, int length) {
        long k = length;
        for (int i = 0; i < length; i++) k = k * 257 + codes[i] + 1;
        return k;
    }

    /** The finished beams of every user, best first (at most {@code width} each). */
    private List<List<Beam>> finishedBeams(StepScorer scorer, int users, int width) {
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
        return beams;
    }

    private List<ScoredSid> topK(List<Beam> finished, int k) {
        List<ScoredSid> recs = new ArrayList<>(Math.min(k, finished.size()));
        for (int i = 0; i < finished.size() && recs.size() < k; i++) {
            Beam b = finished.get(i);
            SemanticId sid = SemanticId.of(b.codes());
            String itemId = trie.itemId(sid);
            if (itemId == null) throw new IllegalStateException("beam search produced a SID outside the trie: " + sid);
            recs.add(new ScoredSid(sid, itemId, b.score()));
        }
        return recs;
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
