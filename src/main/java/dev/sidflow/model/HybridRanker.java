package dev.sidflow.model;

import dev.sidflow.model.llmemb.LlmEmb;
import dev.sidflow.sid.SemanticId;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The served model: the generator proposes items by constrained beam search, LLMEmb proposes its
 * own top items, and every candidate is ranked by
 * {@code w * log p_generator + (1 - w) * log p_LLMEmb}, where p_LLMEmb is the softmax of LLMEmb's
 * scores over the whole catalog and an item outside the beam gets the beam's lowest
 * log-probability minus one. The weight {@code w} is chosen on validation when the bundle is built.
 *
 * <p>Works on dense item indices; {@code serve} adapts it to item ids and the live catalog.
 */
public final class HybridRanker {
    /** One ranked item: dense index, final score, and whether the generator proposed it. */
    public record Ranked(int item, double score, boolean fromGenerator) {}

    private Generator generator;
    private final LlmEmb dense;
    private final SemanticId[] sidOfItem;
    private final Map<String, Integer> indexOfItemId;
    /** Items added after training (cold start): indices from sidOfItem.length on, scored by their adapted text vectors. */
    private final List<SemanticId> extraSids = new ArrayList<>();
    private final List<float[]> extraVectors = new ArrayList<>();
    private final double generatorWeight;
    private final int beam;
    private final int denseCandidates;

    public HybridRanker(Generator generator, LlmEmb dense, SemanticId[] sidOfItem, List<String> itemIds,
                        double generatorWeight, int beam, int denseCandidates) {
        this.generator = generator;
        this.dense = dense;
        this.sidOfItem = sidOfItem;
        this.indexOfItemId = new HashMap<>();
        for (int i = 0; i < itemIds.size(); i++) indexOfItemId.put(itemIds.get(i), i);
        this.generatorWeight = generatorWeight;
        this.beam = beam;
        this.denseCandidates = denseCandidates;
    }

    /** Ranks for each history (dense indices, oldest first); at most {@code k} items each. */
    public List<List<Ranked>> rank(List<List<Integer>> histories, int k) {
        return fuse(prepare(histories, generatorWeight > 0, generatorWeight < 1), k, generatorWeight);
    }

    /**
     * Like {@link #rank}, restricted to the items {@code allowed} accepts (attribute-steered and
     * re-ranking requests). The caller sets a generator decoding over a trie of just those items;
     * LLMEmb's candidates are its top {@code max(denseCandidates, denseCount)} allowed items, scored
     * with the same catalog-wide log-softmax as in {@link #rank}.
     */
    public List<List<Ranked>> rankWithin(List<List<Integer>> histories, int k, java.util.function.IntPredicate allowed,
                                         int denseCount) {
        Prepared p = prepare(histories, generatorWeight > 0, generatorWeight < 1);
        List<Map<Integer, Double>> gen = new ArrayList<>(histories.size());
        List<int[]> top = new ArrayList<>(histories.size());
        int n = Math.max(denseCandidates, denseCount);
        for (int u = 0; u < histories.size(); u++) {
            Map<Integer, Double> g = new LinkedHashMap<>(p.generatorLogp().get(u));
            g.keySet().removeIf(idx -> !allowed.test(idx));
            gen.add(g);
            double[] d = p.denseLogSoftmax().get(u);
            top.add(d == null ? new int[0] : topAllowed(d, n, allowed));
        }
        return fuse(new Prepared(gen, p.denseLogSoftmax(), top), k, generatorWeight);
    }

    /** Indices of the n largest allowed scores, best first. */
    static int[] topAllowed(double[] scores, int n, java.util.function.IntPredicate allowed) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) if (allowed.test(i)) idx.add(i);
        idx.sort((a, b) -> Double.compare(scores[b], scores[a]));
        return idx.subList(0, Math.min(n, idx.size())).stream().mapToInt(Integer::intValue).toArray();
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

    public double generatorWeight() {
        return generatorWeight;
    }

    /** Both models' outputs for a batch, computed once so several fusion weights can be compared. */
    public record Prepared(List<Map<Integer, Double>> generatorLogp, List<double[]> denseLogSoftmax,
                           List<int[]> denseTop) {}

    public Prepared prepare(List<List<Integer>> histories, boolean withGenerator, boolean withDense) {
        List<Map<Integer, Double>> gen = new ArrayList<>(histories.size());
        List<double[]> dense = new ArrayList<>(histories.size());
        List<int[]> top = new ArrayList<>(histories.size());
        List<List<ScoredSid>> generated = withGenerator ? generate(histories) : null;
        float[][] scores = withDense ? denseScores(histories) : null;
        for (int u = 0; u < histories.size(); u++) {
            Map<Integer, Double> logp = new LinkedHashMap<>();
            if (generated != null) {
                for (ScoredSid s : generated.get(u)) {
                    Integer idx = indexOfItemId.get(s.itemId());
                    if (idx != null) logp.putIfAbsent(idx, s.score());
                }
            }
            gen.add(logp);
            dense.add(scores == null ? null : logSoftmax(scores[u]));
            top.add(scores == null ? new int[0] : topIndices(scores[u], denseCandidates));
        }
        return new Prepared(gen, dense, top);
    }

    public List<List<Ranked>> fuse(Prepared p, int k, double weight) {
        List<List<Ranked>> out = new ArrayList<>(p.generatorLogp().size());
        for (int u = 0; u < p.generatorLogp().size(); u++) {
            Map<Integer, Double> genLogp = weight > 0 ? p.generatorLogp().get(u) : Map.of();
            double[] logSoftmax = weight < 1 ? p.denseLogSoftmax().get(u) : null;
            double floor = genLogp.isEmpty() ? -50
                    : genLogp.values().stream().mapToDouble(Double::doubleValue).min().orElse(-50) - 1.0;
            List<Integer> candidates = new ArrayList<>(genLogp.keySet());
            if (logSoftmax != null) {
                for (int idx : p.denseTop().get(u)) {
                    if (idx >= 0 && !genLogp.containsKey(idx)) candidates.add(idx);
                }
            }
            List<Ranked> ranked = new ArrayList<>(candidates.size());
            for (int idx : candidates) {
                double g = weight > 0 ? genLogp.getOrDefault(idx, floor) : 0;
                double d = logSoftmax == null ? 0 : logSoftmax[idx];
                ranked.add(new Ranked(idx, weight * g + (1 - weight) * d, genLogp.containsKey(idx)));
            }
            ranked.sort((a, b) -> Double.compare(b.score(), a.score()));
            out.add(ranked.size() > k ? List.copyOf(ranked.subList(0, k)) : ranked);
        }
        return out;
    }

    private List<List<ScoredSid>> generate(List<List<Integer>> histories) {
        List<List<SemanticId>> sidHistories = new ArrayList<>(histories.size());
        for (List<Integer> h : histories) {
            List<SemanticId> s = new ArrayList<>(h.size());
            for (int idx : h) s.add(sidOf(idx));
            sidHistories.add(s);
        }
        return generator.recommend(sidHistories, beam, beam);
    }

    /** LLMEmb scores over the training catalog followed by the cold-start items. */
    private float[][] denseScores(List<List<Integer>> histories) {
        // LLMEmb's history input knows only the training catalog; cold-start items in a history are skipped.
        List<List<Integer>> known = new ArrayList<>(histories.size());
        for (List<Integer> h : histories) known.add(h.stream().filter(i -> i < sidOfItem.length).toList());
        float[][] base = dense.scores(known);
        if (extraVectors.isEmpty()) return base;
        float[][] extra = dense.scoreItems(known, extraVectors.toArray(new float[0][]));
        float[][] out = new float[base.length][];
        for (int u = 0; u < base.length; u++) {
            out[u] = java.util.Arrays.copyOf(base[u], base[u].length + extra[u].length);
            System.arraycopy(extra[u], 0, out[u], base[u].length, extra[u].length);
        }
        return out;
    }

    static double[] logSoftmax(float[] scores) {
        double max = Double.NEGATIVE_INFINITY;
        for (float s : scores) max = Math.max(max, s);
        double sum = 0;
        for (float s : scores) sum += Math.exp(s - max);
        double log = max + Math.log(sum);
        double[] out = new double[scores.length];
        for (int i = 0; i < scores.length; i++) out[i] = scores[i] - log;
        return out;
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
