package dev.sidflow.model.generator;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.sidflow.model.Generation;
import dev.sidflow.model.Generator;
import dev.sidflow.model.ScoredSid;
import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidTrie;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@link Generator} over a user-supplied decoder-only TorchScript module (trained anywhere), run
 * through DJL's PyTorch engine. Contract (see models/README-generator-contract.md): input
 * {@code int64[batch, 4*historyLength + level]} = left-padded history SID tokens, {@code <|rec|>},
 * then the codes generated so far, in {@link SidVocabulary} ids (PAD = 0); output
 * {@code float32[batch, vocab >= 1028]} logits of the next token. The module is called once per
 * SID level for all users x beams; there is no KV cache across calls.
 */
public final class TorchScriptGenerator implements Generator {
    private final Model model;
    private final Block block;
    private final ConstrainedBeamSearch search;
    private final int historyLength;
    private final int batchSize;

    private TorchScriptGenerator(Model model, SidTrie trie, int historyLength, int batchSize) {
        this.model = model;
        this.block = model.getBlock();
        this.search = new ConstrainedBeamSearch(trie);
        this.historyLength = historyLength;
        this.batchSize = batchSize;
    }

    /**
     * Loads a TorchScript file ({@code torch.jit.save} output).
     *
     * @param historyLength items of history the module expects (4 tokens each)
     * @param batchSize     users per call batch
     */
    public static TorchScriptGenerator load(Path file, SidTrie trie, int historyLength, Device device, int batchSize) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("TorchScript model file not found: " + file);
        if (historyLength < 1 || batchSize < 1) throw new IllegalArgumentException("history length and batch size must be >= 1");
        Model model = Model.newInstance("torchscript-generator", device, "PyTorch");
        try {
            model.load(file);
        } catch (MalformedModelException | RuntimeException e) {
            model.close();
            throw new IOException("cannot load TorchScript model " + file + ": " + e.getMessage(), e);
        }
        return new TorchScriptGenerator(model, trie, historyLength, batchSize);
    }

    @Override
    public List<List<ScoredSid>> recommend(List<List<SemanticId>> histories, int k, int beam) {
        // with nothing to score, the search alone runs
        return recommendAndScore(histories, k, beam, java.util.Collections.nCopies(histories.size(), List.of())).recommended();
    }

    @Override
    public boolean scoresCandidates() {
        return true;
    }

    @Override
    public Generation recommendAndScore(List<List<SemanticId>> histories, int k, int beam, List<List<SemanticId>> candidates) {
        return search.searchInBatches(histories, batchSize, Scorer::new, k, beam, candidates);
    }

    private final class Scorer implements StepScorer {
        private final NDManager manager = model.getNDManager().newSubManager();
        private final int[][] prompts;

        Scorer(List<List<SemanticId>> histories) {
            prompts = new int[histories.size()][];
            for (int u = 0; u < prompts.length; u++) prompts[u] = SequenceExamples.encoderInput(histories.get(u), historyLength);
        }

        @Override
        public float[][][] levelLogits(int level, int[][][] prefixes) {
            int users = prompts.length;
            int groups = prefixes[0].length;
            int rows = users * groups;
            int promptLength = prompts[0].length;
            int len = promptLength + level - 1;
            int[] tokens = new int[rows * len];
            for (int u = 0; u < users; u++) {
                for (int g = 0; g < groups; g++) {
                    int r = (u * groups + g) * len;
                    System.arraycopy(prompts[u], 0, tokens, r, promptLength);
                    int[] p = prefixes[u][g];
                    for (int i = 0; i < p.length; i++) tokens[r + promptLength + i] = SidVocabulary.token(i + 1, p[i]);
                }
            }
            try (NDManager step = manager.newSubManager()) {
                NDArray input = step.create(tokens, new Shape(rows, len)).toType(DataType.INT64, false);
                NDArray logits = block.forward(new ParameterStore(step, false), new NDList(input), false).singletonOrThrow();
                Shape shape = logits.getShape();
                if (shape.dimension() != 2 || shape.get(0) != rows || shape.get(1) < SidVocabulary.SIZE) {
                    throw new IllegalStateException("TorchScript generator returned shape " + shape + " for input " + input.getShape()
                            + "; the contract is float32[batch, vocab >= " + SidVocabulary.SIZE + "]");
                }
                int start = SidVocabulary.levelStart(level);
                float[] flat = logits.get(":, {}:{}", start, start + SemanticId.CODEBOOK_SIZE).toType(DataType.FLOAT32, false)
                        .logSoftmax(-1).toFloatArray();
                return TigerGenerator.unflatten(flat, users, groups);
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

    @Override
    public void close() {
        model.close();
    }
}
