package dev.sidflow.model.generator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One pre-LayerNorm transformer layer: self-attention, optional cross-attention (decoder layers),
 * GELU feed-forward, each with a residual connection. Tensors are (N, L, d).
 */
final class TransformerLayer extends AbstractBlock {
    private final int dModel;
    private final float dropout;
    private final MultiHeadAttention selfAttention;
    private final MultiHeadAttention crossAttention;
    private final LayerNorm selfNorm;
    private final LayerNorm crossNorm;
    private final LayerNorm ffNorm;
    private final Linear ffIn;
    private final Linear ffOut;

    TransformerLayer(int dModel, int heads, int ffDim, float dropout, boolean withCrossAttention) {
        this.dModel = dModel;
        this.dropout = dropout;
        selfNorm = addChildBlock("selfNorm", newNorm());
        selfAttention = addChildBlock("selfAttention", new MultiHeadAttention(dModel, heads));
        if (withCrossAttention) {
            crossNorm = addChildBlock("crossNorm", newNorm());
            crossAttention = addChildBlock("crossAttention", new MultiHeadAttention(dModel, heads));
        } else {
            crossNorm = null;
            crossAttention = null;
        }
        ffNorm = addChildBlock("ffNorm", newNorm());
        ffIn = addChildBlock("ffIn", Linear.builder().setUnits(ffDim).build());
        ffOut = addChildBlock("ffOut", Linear.builder().setUnits(dModel).build());
    }

    private static LayerNorm newNorm() {
        // normalize over d, axis 2 of the (N, L, d) shape the layer is initialized with
        return LayerNorm.builder().axis(2).build();
    }

    private NDArray drop(NDArray x, boolean training) {
        return training && dropout > 0 ? Dropout.dropout(x, dropout, true).singletonOrThrow() : x;
    }

    private static NDArray norm(LayerNorm n, ParameterStore ps, NDArray x, boolean training) {
        return n.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    /** A layer's output and the self-attention keys/values of every position it attended over. */
    record Output(NDArray x, NDArray[] selfKeysValues) {}

    /**
     * @param selfMask  additive mask for self-attention, broadcastable to (N, H, L, L), or null
     * @param crossAttend cross-attention of the normalized x onto the encoder memory (decoder
     *                    layers only; the caller holds the memory's projected keys/values)
     */
    NDArray forward(ParameterStore ps, NDArray x, NDArray selfMask,
                    java.util.function.UnaryOperator<NDArray> crossAttend, boolean training) {
        return forward(ps, x, null, selfMask, crossAttend, training).x();
    }

    /**
     * Runs new positions x (N, Ln, d) after earlier ones whose self-attention keys/values are
     * {@code pastKeysValues} (each (N, H, Lp, d/H), or null for none): the new positions attend to
     * the earlier ones and, through {@code selfMask} (Ln x (Lp + Ln)), to each other.
     */
    Output forward(ParameterStore ps, NDArray x, NDArray[] pastKeysValues, NDArray selfMask,
                   java.util.function.UnaryOperator<NDArray> crossAttend, boolean training) {
        NDArray h = norm(selfNorm, ps, x, training);
        NDArray[] kv = selfAttention.projectKeysValues(ps, h, training);
        if (pastKeysValues != null) {
            kv = new NDArray[] {pastKeysValues[0].concat(kv[0], 2), pastKeysValues[1].concat(kv[1], 2)};
        }
        x = x.add(drop(selfAttention.attend(ps, h, kv, selfMask, training), training));
        if (crossAttention != null) {
            x = x.add(drop(crossAttend.apply(norm(crossNorm, ps, x, training)), training));
        }
        h = norm(ffNorm, ps, x, training);
        NDArray ff = ffOut.forward(ps, new NDList(Activation.gelu(ffIn.forward(ps, new NDList(h), training).singletonOrThrow())), training)
                .singletonOrThrow();
        return new Output(x.add(drop(ff, training)), kv);
    }

    MultiHeadAttention crossAttention() {
        return crossAttention;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (crossAttention != null) throw new UnsupportedOperationException("decoder layers are driven by TigerBlock");
        return new NDList(forward(ps, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null, null, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = new Shape(1, 1, dModel);
        selfNorm.initialize(manager, dataType, x);
        selfAttention.initialize(manager, dataType, x, x);
        if (crossAttention != null) {
            crossNorm.initialize(manager, dataType, x);
            crossAttention.initialize(manager, dataType, x, x);
        }
        ffNorm.initialize(manager, dataType, x);
        ffIn.initialize(manager, dataType, x);
        ffOut.initialize(manager, dataType, new Shape(1, 1, ffIn.getOutputShapes(new Shape[] {x})[0].get(2)));
    }
}
