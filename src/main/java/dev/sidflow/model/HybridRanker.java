package dev.sidflow.model;

import dev.sidflow.model.llmemb.DenseScores;
import dev.sidflow.model.llmemb.LlmEmb;
import dev.sidflow.model.llmemb.LlmEmbEnsemble;
import dev.sidflow.model.llmemb.SasRec;
import dev.sidflow.model.llmemb.SasRecEnsemble;
import dev.sidflow.sid.SemanticId;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;

/**
 * The served model: the generator proposes items by constrained beam search, LLMEmb and ID-SASRec
 * propose their own top items, and every candidate is ranked by
 * {@code g * log p_generator + l * log p_LLMEmb + s * log p_SASRec} ({@link FusionWeights}), where
 * the dense members' probabilities are softmaxes over the whole catalog. A dense candidate outside
 * the beam gets the generator's own log-probability of its SID, scored by teacher forcing in the same
 * pass as the search ({@link FusionWeights#scoreDenseCandidates}), or else the beam's lowest
 * log-probability minus one. The weights are chosen on validation when the bundle is built.
 * ID-SASRec has no vector for an item that arrived after training, so for such an item its term
 * is LLMEmb's.
 *
 * <p>Works on dense item indices; {@code serve} adapts it to item ids and the live catalog.
 */
public final class HybridRanker {
    /** One ranked item: dense index, final score, and whether the generator proposed it. */
    public record Ranked(int item, double score, boolean fromGenerator) {}

    private Generator generator;
    private final LlmEmbEnsemble dense;
    private final SasRecEnsemble sasRec;
    private final SemanticId[] sidOfItem;
    private final Map<String, Integer> indexOfItemId;
    /** Items added after training (cold start): indices from sidOfItem.length on, scored by their adapted text vectors. */
    private final List<SemanticId> extraSids = new ArrayList<>();
    /** Per cold-start item, each LLMEmb instance's adapted vector of it. */
    private final List<float[][]> extraVectors = new ArrayList<>();
    private final FusionWeights weights;
    private final int beam;
    private final int denseCandidates;

    /**
     * @param sasRec may be null when the weights give it nothing
     */
    public HybridRanker(Generator generator, LlmEmb dense, SasRec sasRec, SemanticId[] sidOfItem, List<String> itemIds,
                        FusionWeights weights, int beam, int denseCandidates) {
        this(generator, LlmEmbEnsemble.of(dense), sasRec == null ? null : SasRecEnsemble.of(sasRec), sidOfItem, itemIds, weights, beam,
                denseCandidates);
    }

    /**
     * With the dense members as ensembles: each member's term is the mean log-probability of its
     * instances ({@link LlmEmbEnsemble}, {@link SasRecEnsemble}).
     *
     * @param sasRec may be null when the weights give it nothing
     */
    public HybridRanker(Generator generator, LlmEmbEnsemble dense, SasRecEnsemble sasRec, SemanticId[] sidOfItem, List<String> itemIds,
                        FusionWeights weights, int beam, int denseCandidates) {
        if (sasRec == null && weights.usesSasRec()) throw new IllegalArgumentException("fusion weights use ID-SASRec but none was given");
        this.generator = generator;
        this.dense = dense;
        this.sasRec = sasRec;
        this.sidOfItem = sidOfItem;
        this.indexOfItemId = new HashMap<>();
        for (int i = 0; i < itemIds.size(); i++) indexOfItemId.put(itemIds.get(i), i);
        this.weights = weights;
        this.beam = beam;
        this.denseCandidates = denseCandidates;
    }

    /** Ranks for each history (dense indices, oldest first); at most {@code k} items each. */
    public List<List<Ranked>> rank(List<List<Integer>> histories, int k) {
        // each dense member proposes at least k items, so a single-member fusion can still fill k
        return fuse(prepare(histories, weights.usesGenerator(), weights.usesLlmEmb() || weights.usesSasRec(), weights.usesSasRec(),
                weights.scoreDenseCandidates(), Math.max(denseCandidates, k), null), k, weights);
    }

    public Generator generator() {
        return generator;
    }

    /**
     * Like {@link #rank}, restricted to the items {@code allowed} accepts (attribute-steered and
     * re-ranking requests). The caller sets a generator decoding over a trie of just those items;
     * LLMEmb's candidates are its top {@code max(denseCandidates, denseCount)} allowed items, scored
     * with the same catalog-wide log-softmax as in {@link #rank}.
     */
    public List<List<Ranked>> rankWithin(List<List<Integer>> histories, int k, java.util.function.IntPredicate allowed,
                                         int denseCount) {
        return fuse(prepare(histories, weights.usesGenerator(), weights.usesLlmEmb() || weights.usesSasRec(), weights.usesSasRec(),
                weights.scoreDenseCandidates(), Math.max(denseCandidates, denseCount), allowed), k, weights);
    }

    /**
     * Indices of the n largest allowed scores, best first, ties by lower index (fewer when fewer are
     * allowed): a partial selection with a small sorted buffer, as in {@link #topIndices}.
     */
    static int[] topAllowed(LogProbs scores, int n, java.util.function.IntPredicate allowed) {
        int[] idx = new int[n];
        double[] val = new double[n];
        Arrays.fill(val, Double.NEGATIVE_INFINITY);
        int filled = 0;
        for (int i = 0, size = scores.size(); i < size; i++) {
            double s = scores.at(i);
            if ((filled == n && s <= val[n - 1]) || !allowed.test(i)) continue;
            int p = Math.min(filled, n - 1);
            while (p > 0 && val[p - 1] < s) {
                val[p] = val[p - 1];
                idx[p] = idx[p - 1];
                p--;
            }
            val[p] = s;
            idx[p] = i;
            if (filled < n) filled++;
        }
        return Arrays.copyOf(idx, filled);
    }

    /** Swaps the generator, e.g. for one decoding over a newer catalog trie. */
    public void setGenerator(Generator generator) {
        this.generator = generator;
    }

    /**
     * Cold start: makes an item that arrived after training rankable at once. {@code textVector} is
     * its frozen text-encoder vector; LLMEmb's adapter turns it into an item embedding.
     *
     * @return the item's index
     */
    public int addItem(String itemId, SemanticId sid, float[] textVector) {
        Integer known = indexOfItemId.get(itemId);
        if (known != null) return known;
        int idx = sidOfItem.length + extraSids.size();
        extraSids.add(sid);
        extraVectors.add(dense.embedNewItem(textVector));
        indexOfItemId.put(itemId, idx);
        return idx;
    }

    public Integer indexOf(String itemId) {
        return indexOfItemId.get(itemId);
    }

    public int numItems() {
        return sidOfItem.length + extraSids.size();
    }

    private SemanticId sidOf(int idx) {
        return idx < sidOfItem.length ? sidOfItem[idx] : extraSids.get(idx - sidOfItem.length);
    }

    public FusionWeights weights() {
        return weights;
    }

    /**
     * The members' outputs for a batch, computed once so several fusion weights can be compared.
     * A member that was not computed has null entries. {@code generatorLogp} holds the items the
     * generator proposed; {@code generatorScored} its log-probabilities of the dense members' other
     * candidates (empty maps when it did not score them).
     */
    public record Prepared(List<Map<Integer, Double>> generatorLogp, List<Map<Integer, Double>> generatorScored,
                           List<LogProbs> llmEmbLogProbs, List<int[]> llmEmbTop,
                           List<LogProbs> sasRecLogProbs, List<int[]> sasRecTop) {}

    /**
     * One dense member's log-probabilities over the catalog for one history: its scores minus their
     * log-sum-exp (computed by the engine), read only for the candidates. Items past the member's
     * own table (cold start, for ID-SASRec) read {@code coldStart}'s.
     */
    public record LogProbs(float[] scores, double logZ, LogProbs coldStart) {
        public double at(int idx) {
            return idx < scores.length ? scores[idx] - logZ : coldStart.at(idx);
        }

        public int size() {
            return coldStart == null ? scores.length : Math.max(scores.length, coldStart.size());
        }
    }

    /** Computes every member that {@code needed} gives a weight to. */
    public Prepared prepare(List<List<Integer>> histories, FusionWeights needed) {
        return prepare(histories, needed.usesGenerator(), needed.usesLlmEmb() || needed.usesSasRec(), needed.usesSasRec(),
                needed.scoreDenseCandidates(), denseCandidates, null);
    }

    /** The given members, without the generator scoring dense candidates. */
    public Prepared prepare(List<List<Integer>> histories, boolean withGenerator, boolean withLlmEmb, boolean withSasRec) {
        return prepare(histories, withGenerator, withLlmEmb, withSasRec, false, denseCandidates, null);
    }

    /**
     * Every member, and (when asked and the generator can) the generator's scores of the dense
     * candidates, so any {@link FusionWeights} the result holds can be fused from it.
     */
    public Prepared prepareAll(List<List<Integer>> histories, boolean scoreDenseCandidates) {
        return prepare(histories, true, true, sasRec != null, scoreDenseCandidates && canScoreDenseCandidates(), denseCandidates, null);
    }

    /** Whether this hybrid's generator can score the dense members' candidates. */
    public boolean canScoreDenseCandidates() {
        return generator != null && generator.scoresCandidates();
    }

    /**
     * Computes the chosen members (ID-SASRec's cold-start terms come from LLMEmb, so it needs LLMEmb);
     * each dense member proposes its top {@code perMember} items that {@code allowed} accepts (null:
     * any), and the generator's proposals are kept only where {@code allowed} accepts them. The dense
     * members run first, so with {@code scoreDenseCandidates} the generator scores their candidates
     * in the same pass as its search (when it can: {@link Generator#scoresCandidates}).
     */
    public Prepared prepare(List<List<Integer>> histories, boolean withGenerator, boolean withLlmEmb, boolean withSasRec,
                            boolean scoreDenseCandidates, int perMember, java.util.function.IntPredicate allowed) {
        if (withSasRec && sasRec == null) throw new IllegalStateException("no ID-SASRec in this hybrid");
        withLlmEmb |= withSasRec;
        int n = histories.size();
        List<LogProbs> llm = new ArrayList<>(n);
        List<int[]> llmTop = new ArrayList<>(n);
        List<LogProbs> sas = new ArrayList<>(n);
        List<int[]> sasTop = new ArrayList<>(n);
        List<List<Integer>> known = null;
        if (withLlmEmb) {
            // the dense models' inputs know only the training catalog; cold-start items in a history are skipped
            known = new ArrayList<>(n);
            for (List<Integer> h : histories) known.add(h.stream().filter(i -> i < sidOfItem.length).toList());
        }
        DenseScores llmScores = withLlmEmb ? llmEmbScores(known) : null;
        DenseScores sasScores = withSasRec ? sasRec.scoresWithLogZ(known) : null;
        for (int u = 0; u < n; u++) {
            LogProbs l = llmScores == null ? null : new LogProbs(llmScores.scores()[u], llmScores.logZ()[u], null);
            llm.add(l);
            llmTop.add(l == null ? new int[0] : top(l, perMember, allowed));
            if (sasScores != null) {
                // cold-start items (beyond ID-SASRec's table) take LLMEmb's log-probability
                LogProbs s = new LogProbs(sasScores.scores()[u], sasScores.logZ()[u], l);
                sas.add(s);
                sasTop.add(allowed == null ? topIndices(sasScores.scores()[u], perMember) : topAllowed(s, perMember, allowed));
            } else {
                sas.add(null);
                sasTop.add(new int[0]);
            }
        }
        List<Map<Integer, Double>> gen = new ArrayList<>(n);
        List<Map<Integer, Double>> scored = new ArrayList<>(n);
        if (!withGenerator) {
            for (int u = 0; u < n; u++) {
                gen.add(new LinkedHashMap<>());
                scored.add(Map.of());
            }
            return new Prepared(gen, scored, llm, llmTop, sas, sasTop);
        }
        List<List<SemanticId>> sidHistories = new ArrayList<>(n);
        for (List<Integer> h : histories) sidHistories.add(sidsOf(h));
        List<List<Integer>> toScore = null;
        Generation generation;
        if (scoreDenseCandidates && withLlmEmb && generator.scoresCandidates()) {
            toScore = new ArrayList<>(n);
            List<List<SemanticId>> candidateSids = new ArrayList<>(n);
            for (int u = 0; u < n; u++) {
                Set<Integer> c = new LinkedHashSet<>();
                for (int idx : llmTop.get(u)) if (idx >= 0) c.add(idx);
                for (int idx : sasTop.get(u)) if (idx >= 0) c.add(idx);
                List<Integer> items = List.copyOf(c);
                toScore.add(items);
                candidateSids.add(sidsOf(items));
            }
            generation = generator.recommendAndScore(sidHistories, beam, beam, candidateSids);
        } else {
            generation = new Generation(generator.recommend(sidHistories, beam, beam), java.util.Collections.nCopies(n, new double[0]));
        }
        for (int u = 0; u < n; u++) {
            Map<Integer, Double> logp = new LinkedHashMap<>();
            for (ScoredSid s : generation.recommended().get(u)) {
                Integer idx = indexOfItemId.get(s.itemId());
                if (idx != null && (allowed == null || allowed.test(idx))) logp.putIfAbsent(idx, s.score());
            }
            gen.add(logp);
            Map<Integer, Double> candidateLogp = new HashMap<>();
            if (toScore != null) {
                double[] v = generation.candidateLogp().get(u);
                for (int i = 0; i < v.length; i++) candidateLogp.put(toScore.get(u).get(i), v[i]);
            }
            scored.add(candidateLogp);
        }
        return new Prepared(gen, scored, llm, llmTop, sas, sasTop);
    }

    private static int[] top(LogProbs scores, int n, java.util.function.IntPredicate allowed) {
        return allowed == null ? topIndices(scores.scores(), n) : topAllowed(scores, n, allowed);
    }

    public List<List<Ranked>> fuse(Prepared p, int k, FusionWeights w) {
        int n = p.generatorLogp().size();
        List<List<Ranked>> out = new ArrayList<>(n);
        for (int u = 0; u < n; u++) {
            Map<Integer, Double> genLogp = w.usesGenerator() ? p.generatorLogp().get(u) : Map.of();
            Map<Integer, Double> genScored = w.usesGenerator() && w.scoreDenseCandidates() ? p.generatorScored().get(u) : Map.of();
            LogProbs llm = w.usesLlmEmb() ? require(p.llmEmbLogProbs().get(u), "LLMEmb") : null;
            LogProbs sas = w.usesSasRec() ? require(p.sasRecLogProbs().get(u), "ID-SASRec") : null;
            double floor = genLogp.isEmpty() ? -50
                    : genLogp.values().stream().mapToDouble(Double::doubleValue).min().orElse(-50) - 1.0;
            Set<Integer> candidates = new LinkedHashSet<>(genLogp.keySet());
            if (llm != null) for (int idx : p.llmEmbTop().get(u)) if (idx >= 0) candidates.add(idx);
            if (sas != null) for (int idx : p.sasRecTop().get(u)) if (idx >= 0) candidates.add(idx);
            List<Ranked> ranked = new ArrayList<>(candidates.size());
            for (int idx : candidates) {
                double score = 0;
                if (w.usesGenerator()) {
                    Double g = genLogp.get(idx);
                    if (g == null) g = genScored.get(idx);
                    score += w.generator() * (g != null ? g : floor);
                }
                if (llm != null) score += w.llmEmb() * llm.at(idx);
                if (sas != null) score += w.sasRec() * sas.at(idx);
                ranked.add(new Ranked(idx, score, genLogp.containsKey(idx)));
            }
            ranked.sort((a, b) -> Double.compare(b.score(), a.score()));
            out.add(ranked.size() > k ? List.copyOf(ranked.subList(0, k)) : ranked);
        }
        return out;
    }

    private static LogProbs require(LogProbs logProbs, String member) {
        if (logProbs == null) throw new IllegalArgumentException(member + " was not prepared for these weights");
        return logProbs;
    }

    private List<SemanticId> sidsOf(List<Integer> items) {
        List<SemanticId> s = new ArrayList<>(items.size());
        for (int idx : items) s.add(sidOf(idx));
        return s;
    }

    /** LLMEmb scores over the training catalog followed by the cold-start items. */
    private DenseScores llmEmbScores(List<List<Integer>> known) {
        if (extraVectors.isEmpty()) return dense.scoresWithLogZ(known, null);
        List<float[][]> perInstance = new ArrayList<>(dense.size());
        for (int i = 0; i < dense.size(); i++) {
            float[][] vectors = new float[extraVectors.size()][];
            for (int j = 0; j < vectors.length; j++) vectors[j] = extraVectors.get(j)[i];
            perInstance.add(vectors);
        }
        return dense.scoresWithLogZ(known, perInstance);
    }

    /** Indices of the n largest scores, best first. */
    static int[] topIndices(float[] scores, int n) {
        n = Math.min(n, scores.length);
        // partial selection with a small sorted buffer: n is tiny next to the catalog
        int[] idx = new int[n];
        float[] val = new float[n];
        Arrays.fill(val, Float.NEGATIVE_INFINITY);
        Arrays.fill(idx, -1);
        for (int i = 0; i < scores.length; i++) {
            float s = scores[i];
            if (s <= val[n - 1]) continue;
            int p = n - 1;
            while (p > 0 && val[p - 1] < s) {
                val[p] = val[p - 1];
                idx[p] = idx[p - 1];
                p--;
            }
            val[p] = s;
            idx[p] = i;
        }
        return idx;
    }
}
