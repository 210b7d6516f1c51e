package dev.sidflow.model.generator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.sidflow.model.Generator;
import dev.sidflow.model.ScoredSid;
import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidTrie;
import java.util.ArrayList;
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
    private final TigerModel model;
    private final ConstrainedBeamSearch search;
    private final int batchSize;
    private final boolean kvCache;

    /** @param batchSize users per encoder/decoder batch */
    public TigerGenerator(TigerModel model, SidTrie trie, int batchSize) {
        this(model, trie, batchSize, true);
    }

    /**
     * @param kvCache reuse the decoder keys/values of earlier levels (off recomputes every beam's
     *                prefix at every level: kept for before/after benchmarks and equivalence tests)
     */
    public TigerGenerator(TigerModel model, SidTrie trie, int batchSize, boolean kvCache) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1");
        this.model = model;
        this.search = new ConstrainedBeamSearch(trie);
        this.batchSize = batchSize;
        this.kvCache = kvCache;
    }

    @Override
    public List<List<ScoredSid>> recommend(List<List<SemanticId>> histories, int k, int beam) {
        return search.searchInBatches(histories, batchSize, Scorer::new, k, beam);
    }

    /** Holds one batch's encoder output; decodes a level for all beams per call. */
    private final class Scorer implements StepScorer {
        private final NDManager manager = model.djlModel().getNDManager().newSubManager();
        private final ParameterStore ps = new ParameterStore(manager, false);
        private final TigerBlock.EncoderState state;
        private final int users;
        private TigerBlock.DecoderCache cache;
        private NDManager cacheManager;
        /** Per user: prefix (as {@link #key}) -> its row in the last call, for finding each beam's parent. */
        private final List<Map<Long, Integer>> previousRows = new ArrayList<>();

        Scorer(List<List<SemanticId>> histories) {
            users = histories.size();
            int h = model.config().historyLength();
            int s = model.config().encoderLength();
            int[] enc = new int[users * s];
            for (int u = 0; u < users; u++) {
                System.arraycopy(SequenceExamples.encoderInput(histories.get(u), h), 0, enc, u * s, s);
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
                    Integer row = previousRows.get(u).get(key(prefixes[u][g], level - 2));
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
                for (int g = 0; g < groups; g++) rowOf.putIfAbsent(key(prefixes[u][g], prefixes[u][g].length), u * groups + g);
                previousRows.add(rowOf);
            }
        }

        /** The first {@code length} codes (each 0..255, at most 3) packed into one number. */
        private static long key(int[] codes, int length) {
            long k = length;
            for (int i = 0; i < length; i++) k = k * 257 + codes[i] + 1;
            return k;
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
