package dev.sidflow.model.generator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.sidflow.model.NdOps;
import dev.sidflow.sid.SemanticId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * TIGER encoder-decoder over SID tokens. The encoder reads the flattened SID tokens of the last
 * {@code historyLength} items (token + level + item-position embeddings, then {@code <|rec|>});
 * the decoder generates the next item's four tokens, starting from {@code <|rec|>}.
 *
 * <p>Training forward: inputs (encoder tokens int64 (B, S), decoder input int64 (B, 4) =
 * [REC, t1, t2, t3]) -> logits (B, 4, vocab). Inference uses {@link #encode} once per batch and
 * {@link #decodeStep} once per level.
 */
final class TigerBlock extends AbstractBlock {
    private static final byte VERSION = 1;
    private static final float MASKED = -1e9f;
    /** Level id of the {@code <|rec|>} token that ends the encoder input. */
    private static final int SPECIAL_LEVEL = SemanticId.LEVELS;

    private final TigerConfig config;
    private final TokenEmbedding tokenEmbedding;
    private final TokenEmbedding levelEmbedding;
    private final TokenEmbedding itemPositionEmbedding;
    private final TokenEmbedding decoderPositionEmbedding;
    private final List<TransformerLayer> encoderLayers = new ArrayList<>();
    private final List<TransformerLayer> decoderLayers = new ArrayList<>();
    private final LayerNorm encoderNorm;
    private final LayerNorm decoderNorm;
    private final Linear head;
    private final int[] encoderLevelIds;
    private final int[] encoderPositionIds;

    /** Encoder output of one batch: per decoder layer, the cross-attention keys/values, and the padding mask. */
    record EncoderState(int batch, List<NDArray[]> crossKeysValues, NDArray paddingMask) {}

    TigerBlock(TigerConfig config) {
        super(VERSION);
        this.config = config;
        int d = config.dModel();
        tokenEmbedding = addChildBlock("tokenEmbedding", embedding(SidVocabulary.SIZE, d));
        levelEmbedding = addChildBlock("levelEmbedding", embedding(SemanticId.LEVELS + 1, d));
        itemPositionEmbedding = addChildBlock("itemPositionEmbedding", embedding(config.historyLength() + 1, d));
        decoderPositionEmbedding = addChildBlock("decoderPositionEmbedding", embedding(SemanticId.LEVELS, d));
        for (int i = 0; i < config.encoderLayers(); i++) {
            encoderLayers.add(addChildBlock("encoder" + i,
                    new TransformerLayer(d, config.heads(), config.ffDim(), config.dropout(), false)));
        }
        encoderNorm = addChildBlock("encoderNorm", LayerNorm.builder().axis(2).build());
        for (int i = 0; i < config.decoderLayers(); i++) {
            decoderLayers.add(addChildBlock("decoder" + i,
                    new TransformerLayer(d, config.heads(), config.ffDim(), config.dropout(), true)));
        }
        decoderNorm = addChildBlock("decoderNorm", LayerNorm.builder().axis(2).build());
        head = addChildBlock("head", Linear.builder().setUnits(SidVocabulary.SIZE).build());

        int s = config.encoderLength();
        encoderLevelIds = new int[s];
        encoderPositionIds = new int[s];
        for (int j = 0; j < s - 1; j++) {
            encoderLevelIds[j] = j % SemanticId.LEVELS;
            encoderPositionIds[j] = config.historyLength() - 1 - j / SemanticId.LEVELS; // 0 = most recent item
        }
        encoderLevelIds[s - 1] = SPECIAL_LEVEL;
        encoderPositionIds[s - 1] = config.historyLength();
    }

    private static TokenEmbedding embedding(int size, int d) {
        return new TokenEmbedding(size, d);
    }

    TigerConfig config() {
        return config;
    }

    private static NDArray embed(TokenEmbedding e, ParameterStore ps, NDArray ids, boolean training) {
        return e.forward(ps, new NDList(ids), training).singletonOrThrow();
    }

    private static NDArray norm(LayerNorm n, ParameterStore ps, NDArray x, boolean training) {
        return n.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    /**
     * Encodes int64 tokens (B, S) once; the result serves every decoding step of the batch. S may be
     * shorter than the configured window: the input is then its last S columns.
     */
    EncoderState encode(ParameterStore ps, NDArray tokens, boolean training) {
        NDManager m = tokens.getManager();
        long batch = tokens.getShape().get(0);
        long s = tokens.getShape().get(1);
        // a batch of short histories may drop its leading all-padding columns: the kept columns
        // keep their level and recency ids, so the result is the same as over the full window
        int from = encoderLevelIds.length - (int) s;
        if (from < 0) throw new IllegalArgumentException("encoder input of " + s + " tokens; at most " + encoderLevelIds.length);
        NDArray levels = m.create(Arrays.copyOfRange(encoderLevelIds, from, encoderLevelIds.length)).toType(DataType.INT64, false);
        NDArray positions = m.create(Arrays.copyOfRange(encoderPositionIds, from, encoderPositionIds.length)).toType(DataType.INT64, false);
        NDArray x = embed(tokenEmbedding, ps, tokens, training)
                .add(embed(levelEmbedding, ps, levels, training))
                .add(embed(itemPositionEmbedding, ps, positions, training));
        NDArray mask = tokens.eq(SidVocabulary.PAD).toType(DataType.FLOAT32, false).mul(MASKED).reshape(batch, 1, 1, s);
        for (TransformerLayer layer : encoderLayers) x = layer.forward(ps, x, mask, null, training);
        NDArray memory = norm(encoderNorm, ps, x, training);
        List<NDArray[]> kv = new ArrayList<>(decoderLayers.size());
        for (TransformerLayer layer : decoderLayers) kv.add(layer.crossAttention().projectKeysValues(ps, memory, training));
        return new EncoderState((int) batch, kv, mask);
    }

    /**
     * Self-attention keys/values of the decoder positions run so far, one [keys, values] pair per
     * decoder layer, each (rows, H, length, d/H). Lets the next SID level run only its new token.
     */
    record DecoderCache(List<NDArray[]> keysValues, int length) {}

    /** Next-token logits (rows, vocab) and the cache that now also covers the new positions. */
    record DecoderStep(NDArray logits, DecoderCache cache) {}

    /**
     * Decoder hidden states (B*G, n, d) of int64 decoder tokens (B*G, n): G rows (beams) per
     * encoded user, grouped by user. The tokens continue, row by row, the rows {@code parentRows}
     * (int64, B*G) of {@code past}; with a null past they start at position 0.
     */
    private TransformerLayer.Output[] decodeLayers(ParameterStore ps, EncoderState state, DecoderCache past, NDArray parentRows,
                                                   NDArray tokens, boolean training) {
        NDManager m = tokens.getManager();
        long rows = tokens.getShape().get(0);
        int len = (int) tokens.getShape().get(1);
        int pastLen = past == null ? 0 : past.length();
        long groups = rows / state.batch();
        int d = config.dModel();
        NDArray x = embed(tokenEmbedding, ps, tokens, training)
                .add(embed(decoderPositionEmbedding, ps, m.arange(pastLen, pastLen + len).toType(DataType.INT64, false), training));
        // new position i sees every earlier position and new positions up to itself; built with
        // engine ops, not from a Java buffer: the mask must own its memory
        NDArray causalMask = null;
        if (len > 1) {
            NDArray keys = m.arange(pastLen + len).reshape(1, pastLen + len);
            NDArray queries = m.arange(pastLen, pastLen + len).reshape(len, 1);
            causalMask = keys.gt(queries).toType(DataType.FLOAT32, false).mul(MASKED);
        }
        TransformerLayer.Output[] out = new TransformerLayer.Output[decoderLayers.size()];
        for (int i = 0; i < decoderLayers.size(); i++) {
            TransformerLayer layer = decoderLayers.get(i);
            NDArray[] kv = state.crossKeysValues().get(i);
            NDArray[] pastKv = past == null ? null : new NDArray[] {
                    selectRows(past.keysValues().get(i)[0], parentRows), selectRows(past.keysValues().get(i)[1], parentRows)};
            // all G*n query rows of one user attend to that user's memory: fold beams into the query axis
            out[i] = layer.forward(ps, x, pastKv, causalMask, h -> layer.crossAttention()
                    .attend(ps, h.reshape(state.batch(), groups * len, d), kv, state.paddingMask(), training)
                    .reshape(rows, len, d), training);
            x = out[i].x();
        }
        return out;
    }

    /** Rows {@code index} (int64, R') of a (R, ...) array: (R', ...). */
    private static NDArray selectRows(NDArray a, NDArray index) {
        Shape s = a.getShape();
        NDArray flat = a.reshape(s.get(0), s.size() / s.get(0));
        NDArray picked = NdOps.rows(flat, index);
        long[] dims = s.getShape().clone();
        dims[0] = index.getShape().get(0);
        return picked.reshape(new Shape(dims));
    }

    private NDArray decodeHidden(ParameterStore ps, EncoderState state, NDArray tokens, boolean training) {
        TransformerLayer.Output[] out = decodeLayers(ps, state, null, null, tokens, training);
        return norm(decoderNorm, ps, out[out.length - 1].x(), training);
    }

    /** Next-token logits (B*G, vocab) after the last decoder token, recomputing every position. */
    NDArray decodeLast(ParameterStore ps, EncoderState state, NDArray tokens) {
        return decodeStep(ps, state, null, null, tokens).logits();
    }

    /**
     * Next-token logits after the last of {@code tokens} (rows, n), which continue the rows
     * {@code parentRows} (int64, rows) of {@code past} (null: no earlier positions), and the
     * extended cache. With a cache each SID level runs one new position per beam instead of its
     * whole prefix.
     */
    DecoderStep decodeStep(ParameterStore ps, EncoderState state, DecoderCache past, NDArray parentRows, NDArray tokens) {
        return decodeStep(ps, state, past, parentRows, tokens, 0, SidVocabulary.SIZE);
    }

    /**
     * As {@link #decodeStep(ParameterStore, EncoderState, DecoderCache, NDArray, NDArray)}, with
     * logits for vocabulary ids {@code from} .. {@code from + count - 1} only: beam search needs
     * one level's 256 codes, so the head multiplies by that quarter of its rows.
     */
    DecoderStep decodeStep(ParameterStore ps, EncoderState state, DecoderCache past, NDArray parentRows, NDArray tokens,
                           int from, int count) {
        TransformerLayer.Output[] out = decodeLayers(ps, state, past, parentRows, tokens, false);
        NDArray hidden = norm(decoderNorm, ps, out[out.length - 1].x(), false);
        long len = hidden.getShape().get(1);
        NDArray logits;
        if (from == 0 && count == SidVocabulary.SIZE) {
            NDArray last = hidden.get(":, {}, :", len - 1).expandDims(1);
            logits = head.forward(ps, new NDList(last), false).singletonOrThrow().squeeze(1);
        } else {
            NDArray last = hidden.get(":, {}, :", len - 1);
            var params = head.getParameters();
            NDArray weight = ps.getValue(params.get("weight"), last.getDevice(), false).get("{}:{}", from, from + count);
            NDArray bias = ps.getValue(params.get("bias"), last.getDevice(), false).get("{}:{}", from, from + count);
            logits = last.matMul(weight.transpose()).add(bias);
        }
        List<NDArray[]> kv = new ArrayList<>(out.length);
        for (TransformerLayer.Output o : out) kv.add(o.selfKeysValues());
        return new DecoderStep(logits, new DecoderCache(kv, (past == null ? 0 : past.length()) + (int) len));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        EncoderState state = encode(ps, inputs.get(0), training);
        NDArray hidden = decodeHidden(ps, state, inputs.get(1), training);
        return new NDList(head.forward(ps, new NDList(hidden), training).singletonOrThrow());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape dec = inputShapes[1];
        return new Shape[] {new Shape(dec.get(0), dec.get(1), SidVocabulary.SIZE)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape ids = new Shape(1, 1);
        Shape x = new Shape(1, 1, config.dModel());
        tokenEmbedding.initialize(manager, dataType, ids);
        levelEmbedding.initialize(manager, dataType, ids);
        itemPositionEmbedding.initialize(manager, dataType, ids);
        decoderPositionEmbedding.initialize(manager, dataType, ids);
        for (TransformerLayer l : encoderLayers) l.initialize(manager, dataType, x);
        encoderNorm.initialize(manager, dataType, x);
        for (TransformerLayer l : decoderLayers) l.initialize(manager, dataType, x);
        decoderNorm.initialize(manager, dataType, x);
        head.initialize(manager, dataType, x);
    }
}
