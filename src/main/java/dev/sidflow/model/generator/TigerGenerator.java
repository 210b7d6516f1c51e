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
import java.util.List;

/**
 * {@link Generator} backed by a trained {@link TigerModel}: the encoder runs once per batch of
 * users, the decoder once per SID level for all users x beams, and {@link ConstrainedBeamSearch}
 * keeps every output inside the trie.
 */
public final class TigerGenerator implements Generator {
    private final TigerModel model;
    private final ConstrainedBeamSearch search;
    private final int batchSize;

    /** @param batchSize users per encoder/decoder batch */
    public TigerGenerator(TigerModel model, SidTrie trie, int batchSize) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1");
        this.model = model;
        this.search = new ConstrainedBeamSearch(trie);
        this.batchSize = batchSize;
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
            int[] dec = new int[rows * level];
            for (int u = 0; u < users; u++) {
                for (int g = 0; g < groups; g++) {
                    int r = (u * groups + g) * level;
                    dec[r] = SidVocabulary.REC;
                    int[] p = prefixes[u][g];
                    for (int i = 0; i < p.length; i++) dec[r + 1 + i] = SidVocabulary.token(i + 1, p[i]);
                }
            }
            try (NDManager step = manager.newSubManager()) {
                NDArray tokens = step.create(dec, new Shape(rows, level)).toType(DataType.INT64, false);
                NDArray logits = model.block().decodeLast(ps, state, tokens);
                int start = SidVocabulary.levelStart(level);
                float[] flat = logits.get(":, {}:{}", start, start + SemanticId.CODEBOOK_SIZE).toFloatArray();
                return unflatten(flat, users, groups);
            }
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
