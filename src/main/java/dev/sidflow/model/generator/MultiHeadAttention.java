package dev.sidflow.model.generator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.sidflow.model.NdOps;

/**
 * Multi-head scaled dot-product attention from NDArray ops. Keys/values can be projected once
 * ({@link #projectKeysValues}) and reused, which is how the decoder's cross-attention avoids
 * recomputing the encoder side at every beam-search step.
 */
final class MultiHeadAttention extends AbstractBlock {
    private final int dModel;
    private final int heads;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear output;

    MultiHeadAttention(int dModel, int heads) {
        if (dModel % heads != 0) throw new IllegalArgumentException("d_model " + dModel + " not divisible by heads " + heads);
        this.dModel = dModel;
        this.heads = heads;
        query = addChildBlock("query", Linear.builder().setUnits(dModel).build());
        key = addChildBlock("key", Linear.builder().setUnits(dModel).build());
        value = addChildBlock("value", Linear.builder().setUnits(dModel).build());
        output = addChildBlock("output", Linear.builder().setUnits(dModel).build());
    }

    /** (N, L, d) -> (N, H, L, d/H). */
    private NDArray splitHeads(NDArray x) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), heads, dModel / heads).transpose(0, 2, 1, 3);
    }

    /** Projected keys and values, each (N, H, Lk, d/H). */
    NDArray[] projectKeysValues(ParameterStore ps, NDArray kv, boolean training) {
        NDArray k = splitHeads(key.forward(ps, new NDList(kv), training).singletonOrThrow());
        NDArray v = splitHeads(value.forward(ps, new NDList(kv), training).singletonOrThrow());
        return new NDArray[] {k, v};
    }

    /**
     * Attends queries (N, Lq, d) to projected keys/values (N, H, Lk, d/H).
     *
     * @param mask additive mask broadcastable to (N, H, Lq, Lk), or null
     */
    NDArray attend(ParameterStore ps, NDArray queries, NDArray[] keysValues, NDArray mask, boolean training) {
        Shape s = queries.getShape();
        NDArray q = splitHeads(query.forward(ps, new NDList(queries), training).singletonOrThrow());
        // an engine-owned scalar: see NdOps.scale for why not mul(Number) / div(Number)
        NDArray scores = NdOps.scale(q, (float) (1.0 / Math.sqrt((double) dModel / heads))).matMul(keysValues[0].transpose(0, 1, 3, 2));
        if (mask != null) scores = scores.add(mask);
        NDArray context = scores.softmax(-1).matMul(keysValues[1]);
        NDArray merged = context.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(1), dModel);
        return output.forward(ps, new NDList(merged), training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray mask = inputs.size() > 2 ? inputs.get(2) : null;
        return new NDList(attend(ps, inputs.get(0), projectKeysValues(ps, inputs.get(1), training), mask, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape d = new Shape(1, dModel);
        query.initialize(manager, dataType, d);
        key.initialize(manager, dataType, d);
        value.initialize(manager, dataType, d);
        output.initialize(manager, dataType, d);
    }
}
