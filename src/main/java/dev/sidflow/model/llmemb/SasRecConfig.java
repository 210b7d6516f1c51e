package dev.sidflow.model.llmemb;

/**
 * Architecture of the SASRec backbone (shared by ID-based SASRec and LLMEmb).
 *
 * @param numItems number of catalog items (dense indices 0..numItems-1)
 * @param maxLen   longest history the model sees; longer histories keep their last maxLen items
 * @param hidden   embedding and hidden size
 * @param heads    attention heads (hidden must be divisible by heads)
 * @param layers   transformer blocks
 * @param dropout  dropout rate on embeddings, attention weights and residual branches
 * @param ffDim    inner size of each block's feed-forward net; 0 = hidden (the original SASRec)
 * @param activation feed-forward activation, {@code relu} (the original SASRec) or {@code gelu}
 *                 (the BERT-style blocks of RecBole's SASRec); null = relu
 */
public record SasRecConfig(int numItems, int maxLen, int hidden, int heads, int layers, float dropout, int ffDim,
                           String activation) {
    public SasRecConfig {
        // configs saved before these fields existed read 0 / null: the original SASRec block
        if (ffDim == 0) ffDim = hidden;
        if (activation == null) activation = "relu";
        if (ffDim < 1) throw new IllegalArgumentException("ffDim must be >= 1 (or 0 for hidden)");
        if (!activation.equals("relu") && !activation.equals("gelu")) {
            throw new IllegalArgumentException("activation must be relu or gelu: " + activation);
        }
        if (numItems < 1) throw new IllegalArgumentException("numItems must be >= 1");
        if (maxLen < 2) throw new IllegalArgumentException("maxLen must be >= 2");
        if (hidden < 1 || heads < 1 || hidden % heads != 0) {
            throw new IllegalArgumentException("hidden (" + hidden + ") must be a positive multiple of heads (" + heads + ")");
        }
        if (layers < 1) throw new IllegalArgumentException("layers must be >= 1");
        if (dropout < 0 || dropout >= 1) throw new IllegalArgumentException("dropout must be in [0,1)");
    }

    /** The original SASRec block: feed-forward net hidden -> hidden with ReLU. */
    public SasRecConfig(int numItems, int maxLen, int hidden, int heads, int layers, float dropout) {
        this(numItems, maxLen, hidden, heads, layers, dropout, hidden, "relu");
    }

    /** The published SASRec setting for the Amazon sets: 2 blocks, 1 head, hidden 64, length 50. */
    public static SasRecConfig defaults(int numItems) {
        return new SasRecConfig(numItems, 50, 64, 1, 2, 0.3f);
    }
}
