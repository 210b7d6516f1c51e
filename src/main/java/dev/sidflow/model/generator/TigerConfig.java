package dev.sidflow.model.generator;

/**
 * Hyper-parameters of the TIGER encoder-decoder. Saved beside the parameters in a model bundle.
 *
 * @param historyLength items of history the encoder sees (4 tokens each)
 * @param dModel        model width
 * @param heads         attention heads
 * @param encoderLayers encoder layers
 * @param decoderLayers decoder layers
 * @param ffDim         feed-forward inner width
 * @param dropout       dropout rate while training
 */
public record TigerConfig(int historyLength, int dModel, int heads, int encoderLayers, int decoderLayers,
                          int ffDim, float dropout) {
    public TigerConfig {
        if (historyLength < 1) throw new IllegalArgumentException("historyLength must be >= 1");
        if (dModel < 1 || heads < 1 || dModel % heads != 0) {
            throw new IllegalArgumentException("dModel must be a positive multiple of heads: " + dModel + "/" + heads);
        }
        if (encoderLayers < 1 || decoderLayers < 1) throw new IllegalArgumentException("need at least one layer each");
        if (dropout < 0 || dropout >= 1) throw new IllegalArgumentException("dropout must be in [0, 1)");
    }

    /** Small default: 20 items of history, d=64, 4 heads, 2+2 layers. */
    public static TigerConfig small() {
        return new TigerConfig(20, 64, 4, 2, 2, 256, 0.1f);
    }

    /** Encoder input length: 4 tokens per history item plus the closing {@code <|rec|>} token. */
    public int encoderLength() {
        return 4 * historyLength + 1;
    }
}
