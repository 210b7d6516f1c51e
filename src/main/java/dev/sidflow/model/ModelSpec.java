package dev.sidflow.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sidflow.model.generator.TigerConfig;
import dev.sidflow.model.llmemb.LlmEmbConfig;
import dev.sidflow.model.llmemb.SasRecConfig;
import dev.sidflow.model.llmemb.TrainConfig;
import dev.sidflow.quantize.RqKMeans;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Hyper-parameters for one data set, from {@code models/<name>.yaml}: how to build SIDs and how
 * to train the generator, the ID-SASRec baseline, LLMEmb and the served hybrid.
 *
 * @param denseInstances optional (absent = 1): how many instances of ID-SASRec and of LLMEmb a build
 *                       trains, instance i with each seed + i; the hybrid scores each member as the
 *                       mean of its instances (see {@link MemberEnsembles})
 */
public record ModelSpec(String name, String encoder, String device, Quantizer quantizer, Generator generator,
                        Sequential sasrec, LlmEmb llmemb, Serve serve, Integer denseInstances) {
    public ModelSpec {
        if (denseInstances == null) denseInstances = 1;
        if (denseInstances < 1) throw new IllegalArgumentException("denseInstances must be >= 1: " + denseInstances);
    }

    public record Quantizer(int levels, int codebookSize, int maxIterations, int pcaDims, boolean whiten, long seed) {
        public RqKMeans.Config toConfig() {
            return RqKMeans.Config.defaults().withLevels(levels).withCodebookSize(codebookSize)
                    .withMaxIterations(maxIterations).withSeed(seed).withPca(pcaDims, whiten);
        }
    }

    public record Generator(int historyLength, int dModel, int heads, int encoderLayers, int decoderLayers,
                            int ffDim, float dropout, int maxEpochs, int batchSize, float learningRate,
                            int patience, long seed, double maxTrainingSeconds, String lrSchedule) {
        public Generator {
            LearningRateSchedule.parse(lrSchedule); // checked when the spec is read
        }

        public TigerConfig toConfig() {
            return new TigerConfig(historyLength, dModel, heads, encoderLayers, decoderLayers, ffDim, dropout);
        }

        public dev.sidflow.model.generator.TrainConfig toTrainConfig() {
            return new dev.sidflow.model.generator.TrainConfig(maxEpochs, batchSize, learningRate, patience, seed,
                    maxTrainingSeconds, LearningRateSchedule.parse(lrSchedule));
        }
    }

    /**
     * A SASRec-style model: architecture plus training. {@code ffDim} (0 or absent = hidden) and
     * {@code activation} (absent = relu) choose the feed-forward net of each block.
     */
    public record Sequential(int maxLen, int hidden, int heads, int layers, float dropout, int ffDim, String activation,
                             Training train) {
        public Sequential {
            // checked when the spec is read, not when training reaches this model
            if (ffDim < 0) throw new IllegalArgumentException("ffDim must be >= 0 (0 = hidden): " + ffDim);
            if (activation != null && !activation.equals("relu") && !activation.equals("gelu")) {
                throw new IllegalArgumentException("activation must be relu or gelu: " + activation);
            }
        }

        public SasRecConfig toConfig(int numItems) {
            return new SasRecConfig(numItems, maxLen, hidden, heads, layers, dropout, ffDim, activation);
        }
    }

    /** @param lrSchedule constant (absent) or linear, as for the generator */
    public record Training(int maxEpochs, int batchSize, float learningRate, int patience, int evalEvery,
                           int validationSample, long seed, double maxTrainingSeconds, String lrSchedule) {
        public Training {
            LearningRateSchedule.parse(lrSchedule); // checked when the spec is read
        }

        public TrainConfig toConfig(String device) {
            return toConfig(device, 0);
        }

        /** The same training with its seed moved by {@code offset} (another instance of an ensemble). */
        public TrainConfig toConfig(String device, int offset) {
            return new TrainConfig(maxEpochs, batchSize, learningRate, patience, evalEvery, validationSample, seed + offset,
                    device, maxTrainingSeconds, LearningRateSchedule.parse(lrSchedule));
        }
    }

    /**
     * @param idResidual      optional (absent = false): per-item ID vectors added to the adapted text vectors
     * @param initFromSasRec  optional (absent = false): start from the trained ID-SASRec (its encoder,
     *                        and the text part at zero); needs the same backbone sizes as {@code sasrec}
     */
    public record LlmEmb(int pcaDim, int adapterHidden, float adapterDropout, String alignLoss, float alignWeight,
                         float temperature, boolean idResidual, boolean initFromSasRec, Sequential backbone) {
        public LlmEmbConfig toConfig(int numItems) {
            return new LlmEmbConfig(backbone.toConfig(numItems), pcaDim, adapterHidden, adapterDropout,
                    LlmEmbConfig.AlignLoss.valueOf(alignLoss.toUpperCase(java.util.Locale.ROOT)), alignWeight, temperature,
                    idResidual, initFromSasRec);
        }
    }

    /**
     * @param beam                 beam width of constrained decoding
     * @param topK                 items per recommendation
     * @param denseCandidates      LLMEmb's own top items added to the generator's candidates
     * @param fusionStep           grid step of the fusion weights tried on validation (every generator /
     *                             LLMEmb / ID-SASRec triple on the simplex); the best is kept in the bundle
     * @param validationUsers      validation users used to choose the fusion weight
     */
    /**
     * @param minGeneratorWeight lowest generator weight the fusion search may choose (0 = any; a
     *                           positive value keeps generative retrieval in every answer)
     */
    /**
     * @param tryScoredCandidates the fusion search also tries the generator scoring the dense
     *                            candidates (absent: false; it costs serving time, see FusionFit)
     */
    public record Serve(int beam, int topK, int denseCandidates, double fusionStep, int validationUsers, double minGeneratorWeight,
                        boolean tryScoredCandidates) {
        public Serve {
            // checked when the spec is read, not after hours of training when the fusion is chosen
            if (!(minGeneratorWeight >= 0 && minGeneratorWeight <= 1)) {
                throw new IllegalArgumentException("serve.minGeneratorWeight must be in [0, 1]: " + minGeneratorWeight);
            }
        }
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    public static ModelSpec load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("model spec not found: " + file);
        try {
            return YAML.readValue(file.toFile(), ModelSpec.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + ": " + e.getOriginalMessage(), e);
        }
    }
}
