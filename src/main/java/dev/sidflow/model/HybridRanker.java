package dev.sidflow.model;

import dev.sidflow.model.llmemb.LlmEmb;
import dev.sidflow.model.llmemb.SasRec;
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
 * the dense members' probabilities are softmaxes over the whole catalog and an item outside the beam
 * gets the beam's lowest log-probability minus one. The weights are chosen on validation when the
 * bundle is built. ID-SASRec has no vector for an item that arrived after training, so for such an
 * item its term is LLMEmb's.
 *
 * <p>Works on dense item indices; {@code serve} adapts it to item ids and the live catalog.
 */
public final class HybridRanker {
    /** One ranked item: dense index, final score, and whether the generator proposed it. */
    public record Ranked(int item, double score, boolean fromGenerator) {}

    private Generator generator;
    private final LlmEmb dense;
    private final SasRec sasRec;
    private final SemanticId[] sidOfItem;
    private final Map<String, Integer> indexOfItemId;
    /** Items added after training (cold start): indices from sidOfItem.length on, scored by their adapted text vectors. */
    private final List<SemanticId> extraSids = new ArrayList<>();
    private final List<float[]> extraVectors = new ArrayList<>();
    private final FusionWeights weights;
    private final int beam;
    private final int denseCandidates;

    /**
     * @param sasRec may be null when the weights give it nothing
     */
    public HybridRanker(Generator generator, LlmEmb dense, SasRec sasRec, SemanticId[] sidOfItem, List<String> itemIds,
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
                Math.max(denseCandidates, k)), k, weights);
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
        Prepared p = prepare(histories, weights);
        int n = histories.size();
        List<Map<Integer, Double>> gen = new ArrayList<>(n);
        List<int[]> llmTop = new ArrayList<>(n);
        List<int[]> sasTop = new ArrayList<>(n);
        int count = Math.max(denseCandidates, denseCount);
        for (int u = 0; u < n; u++) {
            Map<Integer, Double> g = new LinkedHashMap<>(p.generatorLogp().get(u));
            g.keySet().removeIf(idx -> !allowed.test(idx));
            gen.add(g);
            double[] l = p.llmEmbLogSoftmax().get(u);
            llmTop.add(l == null ? new int[0] : topAllowed(l, count, allowed));
            double[] s = p.sasRecLogSoftmax().get(u);
            sasTop.add(s == null ? new int[0] : topAllowed(s, count, allowed));
        }
        return fuse(new Prepared(gen, p.llmEmbLogSoftmax(), llmTop, p.sasRecLogSoftmax(), sasTop), k, weights);
    }

    /**
     * Indices of the n largest allowed scores, best first, ties by lower index (fewer when fewer are
     * allowed): a partial selection with a small sorted buffer, as in {@link #topIndices}.
     */
    static int[] topAllowed(double[] scores, int n, java.util.function.IntPredicate allowed) {
        int[] idx = new int[n];
        double[] val = new double[n];
        Arrays.fill(val, Double.NEGATIVE_INFINITY);
        int filled = 0;
        for (int i = 0; i < scores.length; i++) {
            double s = scores[i];
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
     * A member that was not computed has null entries.
     */
    public record Prepared(List<Map<Integer, Double>> generatorLogp, List<double[]> llmEmbLogSoftmax, List<int[]> llmEmbTop,
                           List<double[]> sasRecLogSoftmax, List<int[]> sasRecTop) {}

    /** Computes every member that {@code needed} gives a weight to. */
    public Prepared prepare(List<List<Integer>> histories, FusionWeights needed) {
        return prepare(histories, needed.usesGenerator(), needed.usesLlmEmb() || needed.usesSasRec(), needed.usesSasRec());
    }

    public Prepared prepare(List<List<Integer>> histories, boolean withGenerator, boolean withLlmEmb, boolean withSasRec) {
        return prepare(histories, withGenerator, withLlmEmb, withSasRec, denseCandidates);
    }

    /**
     * Computes the chosen members (ID-SASRec's cold-start terms come from LLMEmb, so it needs LLMEmb);
     * each dense member proposes its top {@code perMember} items.
     */
    public Prepared prepare(List<List<Integer>> histories, boolean withGenerator, boolean withLlmEmb, boolean withSasRec, int perMember) {
        if (withSasRec && sasRec == null) throw new IllegalStateException("no ID-SASRec in this hybrid");
        withLlmEmb |= withSasRec;
        int n = histories.size();
        List<Map<Integer, Double>> gen = new ArrayList<>(n);
        List<double[]> llm = new ArrayList<>(n);
        List<int[]> llmTop = new ArrayList<>(n);
        List<double[]> sas = new ArrayList<>(n);
        List<int[]> sasTop = new ArrayList<>(n);
        List<List<ScoredSid>> generated = withGenerator ? generate(histories) : null;
        List<List<Integer>> known = null;
        if (withLlmEmb) {
            // the dense models' inputs know only the training catalog; cold-start items in a history are skipped
            known = new ArrayList<>(n);
            for (List<Integer> h : histories) known.add(h.stream().filter(i -> i < sidOfItem.length).toList());
        }
        float[][] llmScores = withLlmEmb ? llmEmbScores(known) : null;
        float[][] sasScores = withSasRec ? sasRec.scores(known) : null;
        for (int u = 0; u < n; u++) {
            Map<Integer, Double> logp = new LinkedHashMap<>();
            if (generated != null) {
                for (ScoredSid s : generated.get(u)) {
                    Integer idx = indexOfItemId.get(s.itemId());
                    if (idx != null) logp.putIfAbsent(idx, s.score());
                }
            }
            gen.add(logp);
            double[] l = llmScores == null ? null : logSoftmax(llmScores[u]);
            llm.add(l);
            llmTop.add(llmScores == null ? new int[0] : topIndices(llmScores[u], perMember));
            if (sasScores != null) {
                // cold-start items (beyond ID-SASRec's table) take LLMEmb's log-probability
                double[] s = Arrays.copyOf(logSoftmax(sasScores[u]), l.length);
                for (int i = sasScores[u].length; i < l.length; i++) s[i] = l[i];
                sas.add(s);
                sasTop.add(topIndices(sasScores[u], perMember));
            } else {
                sas.add(null);
                sasTop.add(new int[0]);
            }
        }
        return new Prepared(gen, llm, llmTop, sas, sasTop);
    }

    public List<List<Ranked>> fuse(Prepared p, int k, FusionWeights w) {
        int n = p.generatorLogp().size();
        List<List<Ranked>> out = new ArrayList<>(n);
        for (int u = 0; u < n; u++) {
            Map<Integer, Double> genLogp = w.usesGenerator() ? p.generatorLogp().get(u) : Map.of();
            double[] llm = w.usesLlmEmb() ? require(p.llmEmbLogSoftmax().get(u), "LLMEmb") : null;
            double[] sas = w.usesSasRec() ? require(p.sasRecLogSoftmax().get(u), "ID-SASRec") : null;
            double floor = genLogp.isEmpty() ? -50
                    : genLogp.values().stream().mapToDouble(Double::doubleValue).min().orElse(-50) - 1.0;
            Set<Integer> candidates = new LinkedHashSet<>(genLogp.keySet());
            if (llm != null) for (int idx : p.llmEmbTop().get(u)) if (idx >= 0) candidates.add(idx);
            if (sas != null) for (int idx : p.sasRecTop().get(u)) if (idx >= 0) candidates.add(idx);
            List<Ranked> ranked = new ArrayList<>(candidates.size());
            for (int idx : candidates) {
                double score = 0;
                if (w.usesGenerator()) score += w.generator() * genLogp.getOrDefault(idx, floor);
                if (llm != null) score += w.llmEmb() * llm[idx];
                if (sas != null) score += w.sasRec() * sas[idx];
                ranked.add(new Ranked(idx, score, genLogp.containsKey(idx)));
            }
            ranked.sort((a, b) -> Double.compare(b.score(), a.score()));
            out.add(ranked.size() > k ? List.copyOf(ranked.subList(0, k)) : ranked);
        }
        return out;
    }

    private static double[] require(double[] logSoftmax, String member) {
        if (logSoftmax == null) throw new IllegalArgumentException(member + " was not prepared for these weights");
        return logSoftmax;
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
    private float[][] llmEmbScores(List<List<Integer>> known) {
        return dense.scores(known, extraVectors.isEmpty() ? null : extraVectors.toArray(new float[0][]));
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
