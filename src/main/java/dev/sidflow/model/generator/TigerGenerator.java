package dev.sidflow.model.generator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.sidflow.model.Generation;
import dev.sidflow.model.Generator;
import dev.sidflow.model.ScoredSid;
import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidTrie;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Generator} backed by a trained {@link TigerModel}: the encoder runs once per batch of
 * users, the decoder once per SID level for all users x beams, and {@link ConstrainedBeamSearch}
 * keeps every output inside the trie. With the KV cache (the default) each level runs only the
 * new decoder position of every beam, over the cached keys/values of the beam's parent.
 */
public final class TigerGenerator implements Generator {
    /** Fewest users a length bucket holds before a much longer history may start a new one. */
    public static final int MIN_BUCKET = 8;

    private final TigerModel model;
    private final ConstrainedBeamSearch search;
    private final int batchSize;
    private final boolean kvCache;
    private final boolean lengthBuckets;

    /** @param batchSize users per encoder/decoder batch */
    public TigerGenerator(TigerModel model, SidTrie trie, int batchSize) {
        this(model, trie, batchSize, true, true);
    }

    /**
     * @param kvCache reuse the decoder keys/values of earlier levels (off recomputes every beam's
     *                prefix at every level: kept for before/after benchmarks and equivalence tests)
     */
    public TigerGenerator(TigerModel model, SidTrie trie, int batchSize, boolean kvCache) {
        this(model, trie, batchSize, kvCache, true);
    }

    /**
     * @param lengthBuckets run users in buckets of similar history length, each encoded over its
     *                      longest history only instead of the whole window (off: one batch padded
     *                      to the window; kept for before/after benchmarks and equivalence tests)
     */
    public TigerGenerator(TigerModel model, SidTrie trie, int batchSize, boolean kvCache, boolean lengthBuckets) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1");
        this.model = model;
        this.search = new ConstrainedBeamSearch(trie);
        this.batchSize = batchSize;
        this.kvCache = kvCache;
        this.lengthBuckets = lengthBuckets;
    }

    @Override
    public List<List<ScoredSid>> recommend(List<List<SemanticId>> histories, int k, int beam) {
        return inBuckets(histories, (scorer, users) -> search.search(scorer, users.length, k, beam));
    }

    @Override
    public boolean scoresCandidates() {
        return true;
    }

    @Override
    public Generation recommendAndScore(List<List<SemanticId>> histories, int k, int beam, List<List<SemanticId>> candidates) {
        if (candidates.size() != histories.size()) {
            throw new IllegalArgumentException(candidates.size() + " candidate lists for " + histories.size() + " histories");
        }
        return Generation.of(inBuckets(histories, (scorer, users) -> {
            List<List<SemanticId>> bucketCandidates = new ArrayList<>(users.length);
            for (int u : users) bucketCandidates.add(candidates.get(u));
            return search.searchAndScore(scorer, users.length, k, beam, bucketCandidates).perUser();
        }));
    }

    /**
     * Runs {@code perBucket} (given a scorer holding the bucket's encoder pass and the bucket's user
     * indices) over users grouped by history length and returns its per-user results in input
     * order. Most live histories are short (on Video Games half the events have 4 items or fewer,
     * the window is 20) and the encoder's cost grows with the padded length: users sorted by length
     * and cut where a history is more than twice the bucket's shortest run far less padding.
     * Without length buckets, plain batches in input order.
     */
    private <R> List<R> inBuckets(List<List<SemanticId>> histories,
                                  java.util.function.BiFunction<Scorer, int[], List<R>> perBucket) {
        int n = histories.size();
        int window = model.config().historyLength();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        int[] lengths = windowLengths(histories, window);
        if (lengthBuckets) Arrays.sort(order, Comparator.comparingInt(i -> lengths[i]));
        int[] ends;
        if (lengthBuckets) {
            int[] sortedLengths = new int[n];
            for (int i = 0; i < n; i++) sortedLengths[i] = lengths[order[i]];
            ends = bucketEnds(sortedLengths, batchSize);
        } else {
            ends = new int[(n + batchSize - 1) / batchSize];
            for (int b = 0; b < ends.length; b++) ends[b] = Math.min(n, (b + 1) * batchSize);
        }
        List<R> out = new ArrayList<>(Collections.nCopies(n, (R) null));
        int from = 0;
        for (int to : ends) {
            List<List<SemanticId>> bucket = new ArrayList<>(to - from);
            int[] users = new int[to - from];
            for (int i = from; i < to; i++) {
                bucket.add(histories.get(order[i]));
                users[i - from] = order[i];
            }
            List<R> results;
            try (Scorer scorer = new Scorer(bucket)) {
                results = perBucket.apply(scorer, users);
            }
            for (int i = from; i < to; i++) out.set(order[i], results.get(i - from));
            from = to;
        }
        return out;
    }

    /** Each history's length as the encoder sees it: capped at the window. */
    public static int[] windowLengths(List<? extends List<?>> histories, int window) {
        int[] out = new int[histories.size()];
        for (int i = 0; i < out.length; i++) out[i] = Math.min(histories.get(i).size(), window);
        return out;
    }

    /**
     * Where the buckets of users sorted by history length end (exclusive): at most
     * {@code batchSize} users each, and a new bucket once the current one has {@link #MIN_BUCKET}
     * users and the next history is more than twice its shortest.
     */
    public static int[] bucketEnds(int[] sortedLengths, int batchSize) {
        List<Integer> ends = new ArrayList<>();
        int from = 0;
        while (from < sortedLengths.length) {
            int shortest = Math.max(1, sortedLengths[from]);
            int to = from + 1;
            while (to < sortedLengths.length && to - from < batchSize
                    && !(to - from >= MIN_BUCKET && sortedLengths[to] > 2 * shortest)) {
                to++;
            }
            ends.add(to);
            from = to;
        }
        return ends.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Holds one batch's encoder output; decodes a level for all beams per call. */
    private final class Scorer implements StepScorer {
        private final NDManager manager = model.djlModel().getNDManager().newSubManager();
        private final ParameterStore ps = new ParameterStore(manager, false);
        private final TigerBlock.EncoderState state;
        private final int users;
        private TigerBlock.DecoderCache cache;
        private NDManager cacheManager;
        /** Per user: prefix (as {@link ConstrainedBeamSearch#prefixKey}) -> its row in the last call, for finding each beam's parent. */
        private final List<Map<Long, Integer>> previousRows = new ArrayList<>();

        Scorer(List<List<SemanticId>> histories) {
            users = histories.size();
            int h = model.config().historyLength();
            // only the columns the longest history of the batch fills (the rest would be padding in every row)
            int longest = 0;
            for (List<SemanticId> history : histories) longest = Math.max(longest, Math.min(history.size(), h));
            // the encoder input over the last `longest` items is the full window's suffix: built as such
            int items = lengthBuckets ? longest : h;
            int s = SemanticId.LEVELS * items + 1;
            int[] enc = new int[users * s];
            for (int u = 0; u < users; u++) {
                System.arraycopy(SequenceExamples.encoderInput(histories.get(u), items), 0, enc, u * s, s);
            }
            NDArray tokens = manager.create(enc, new Shape(users, s)).toType(DataType.INT64, false);
            state = model.block().encode(ps, tokens, false);
        }

        @Override
        public float[][][] levelLogits(int level, int[][][] prefixes) {
            int groups = prefixes[0].length;
            int rows = users * groups;
            long[] parents = kvCache ? parentRows(level, prefixes) : null;
            int start = SidVocabulary.levelStart(level);
            NDManager next = kvCache ? manager.newSubManager() : null;
            try (NDManager step = manager.newSubManager()) {
                TigerBlock.DecoderStep out;
                if (parents != null) {
                    // the new position only: each beam's last code, after its parent's cached positions
                    int[] dec = new int[rows];
                    for (int u = 0; u < users; u++) {
                        for (int g = 0; g < groups; g++) {
                            int[] p = prefixes[u][g];
                            dec[u * groups + g] = SidVocabulary.token(level - 1, p[level - 2]);
                        }
                    }
                    NDArray tokens = step.create(dec, new Shape(rows, 1)).toType(DataType.INT64, false);
                    out = model.block().decodeStep(ps, state, cache, step.create(parents), tokens, start, SemanticId.CODEBOOK_SIZE);
                } else {
                    int[] dec = new int[rows * level];
                    for (int u = 0; u < users; u++) {
                        for (int g = 0; g < groups; g++) {
                            int r = (u * groups + g) * level;
                            dec[r] = SidVocabulary.REC;
                            int[] p = prefixes[u][g];
                            for (int i = 0; i < p.length; i++) dec[r + 1 + i] = SidVocabulary.token(i + 1, p[i]);
                        }
                    }
                    NDArray tokens = step.create(dec, new Shape(rows, level)).toType(DataType.INT64, false);
                    out = model.block().decodeStep(ps, state, null, null, tokens, start, SemanticId.CODEBOOK_SIZE);
                }
                // normalised by the engine: one vectorised op instead of 256 Java exp calls per row
                float[] flat = out.logits().logSoftmax(-1).toFloatArray();
                if (next != null) keep(out.cache(), next, prefixes);
                return unflatten(flat, users, groups);
            } catch (RuntimeException e) {
                if (next != null) next.close();
                throw e;
            }
        }

        /**
         * Row of the previous level's call that each beam extends (its prefix minus the last code),
         * or null when there is no usable cache (first level, or a prefix the last call did not score).
         */
        private long[] parentRows(int level, int[][][] prefixes) {
            if (cache == null || level < 2 || cache.length() != level - 1) return null;
            int groups = prefixes[0].length;
            long[] parents = new long[users * groups];
            for (int u = 0; u < users; u++) {
                for (int g = 0; g < groups; g++) {
                    Integer row = previousRows.get(u).get(ConstrainedBeamSearch.prefixKey(prefixes[u][g], level - 2));
                    if (row == null) return null;
                    parents[u * groups + g] = row;
                }
            }
            return parents;
        }

        /** Keeps this level's cache (in its own manager, replacing the last one) and which row holds which prefix. */
        private void keep(TigerBlock.DecoderCache next, NDManager nextManager, int[][][] prefixes) {
            for (NDArray[] kv : next.keysValues()) {
                kv[0].attach(nextManager);
                kv[1].attach(nextManager);
            }
            if (cacheManager != null) cacheManager.close();
            cacheManager = nextManager;
            cache = next;
            int groups = prefixes[0].length;
            previousRows.clear();
            for (int u = 0; u < users; u++) {
                Map<Long, Integer> rowOf = new HashMap<>();
                for (int g = 0; g < groups; g++) rowOf.putIfAbsent(ConstrainedBeamSearch.prefixKey(prefixes[u][g], prefixes[u][g].length), u * groups + g);
                previousRows.add(rowOf);
            }
        }

        @Override
        public boolean normalised() {
            return true;
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    static float[][][] unflatten(float[] flat, int users, int groups) {
        int c = SemanticId.CODEBOOK_SIZE;
        float[][][] out = new float[users][groups][c];
        for (int u = 0; u < users; u++) {
            for (int g = 0; g < groups; g++) System.arraycopy(flat, (u * groups + g) * c, out[u][g], 0, c);
        }
        return out;
    }
}
