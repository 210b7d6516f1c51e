package dev.sidflow.model.llmemb;

/**
 * LLMEmb (Liu et al., "LLMEmb: Large Language Model Can Be a Good Embedding Generator for
 * Sequential Recommendation", AAAI 2025), recommendation-adaptation stage, adapted: frozen
 * text-encoder item vectors -> PCA -> trainable adapter MLP -> item embeddings of a SASRec backbone,
 * plus an alignment loss towards the item embeddings of a trained ID-SASRec.
 *
 * @param backbone       SASRec architecture (its hidden size is the item embedding size)
 * @param pcaDim         text vectors are reduced to this many principal components
 * @param adapterHidden  hidden width of the 2-layer adapter
 * @param adapterDropout dropout inside the adapter
 * @param alignLoss      MSE or InfoNCE between adapted and ID embeddings of the batch's target items
 * @param alignWeight    weight of the alignment loss (0 = none)
 * @param temperature    InfoNCE temperature
 * @param idResidual     add a per-item ID vector to each trained item's adapted text vector,
 *                       started from the ID-SASRec's item embeddings when those are given; items
 *                       added after training (cold start) keep the text part alone
 * @param initFromSasRec start from the ID-SASRec given to {@link LlmEmb#train}: its sequence
 *                        encoder's weights, and the adapter's output layer at zero, so training
 *                        begins where the ID model is (with {@code idResidual}, exactly there)
 */
public record LlmEmbConfig(SasRecConfig backbone, int pcaDim, int adapterHidden, float adapterDropout,
                           AlignLoss alignLoss, float alignWeight, float temperature, boolean idResidual,
                           boolean initFromSasRec) {
    public enum AlignLoss { MSE, INFONCE }

    public LlmEmbConfig {
        if (pcaDim < 1 || adapterHidden < 1) throw new IllegalArgumentException("pcaDim and adapterHidden must be >= 1");
        if (adapterDropout < 0 || adapterDropout >= 1) throw new IllegalArgumentException("adapterDropout must be in [0,1)");
        if (alignWeight < 0) throw new IllegalArgumentException("alignWeight must be >= 0");
        if (!(temperature > 0)) throw new IllegalArgumentException("temperature must be > 0");
    }

    /** Text-only item embeddings (the LLMEmb recipe). */
    public LlmEmbConfig(SasRecConfig backbone, int pcaDim, int adapterHidden, float adapterDropout,
                        AlignLoss alignLoss, float alignWeight, float temperature) {
        this(backbone, pcaDim, adapterHidden, adapterDropout, alignLoss, alignWeight, temperature, false);
    }

    /** Without starting from the ID model. */
    public LlmEmbConfig(SasRecConfig backbone, int pcaDim, int adapterHidden, float adapterDropout,
                        AlignLoss alignLoss, float alignWeight, float temperature, boolean idResidual) {
        this(backbone, pcaDim, adapterHidden, adapterDropout, alignLoss, alignWeight, temperature, idResidual, false);
    }

    public static LlmEmbConfig defaults(SasRecConfig backbone) {
        return new LlmEmbConfig(backbone, 128, 256, 0.2f, AlignLoss.INFONCE, 0.1f, 0.2f);
    }
}
