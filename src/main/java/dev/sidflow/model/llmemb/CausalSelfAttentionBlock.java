package dev.sidflow.model.llmemb;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.sidflow.model.NdOps;

/**
 * Multi-head self-attention where position t only attends to positions &lt;= t. Input and output
 * [B, L, d]. Sequences are right-padded, so a causal mask alone keeps real positions from ever
 * seeing padding.
 */
final class CausalSelfAttentionBlock extends AbstractBlock {
    private final int hidden;
    private final int heads;
    private final float dropout;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear output;

    CausalSelfAttentionBlock(int hidden, int heads, float dropout) {
        super((byte) 1);
        this.hidden = hidden;
        this.heads = heads;
        this.dropout = dropout;
        query = addChildBlock("query", Linear.builder().setUnits(hidden).build());
        key = addChildBlock("key", Linear.builder().setUnits(hidden).build());
        value = addChildBlock("value", Linear.builder().setUnits(hidden).build());
        output = addChildBlock("output", Linear.builder().setUnits(hidden).build());
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = new Shape(1, hidden);
        for (Linear l : new Linear[] {query, key, value, output}) l.initialize(manager, dataType, s);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        long b = x.getShape().get(0);
        long len = x.getShape().get(1);
        int dh = hidden / heads;
        NDArray q = split(query.forward(ps, inputs, training).head(), b, len, dh);
        NDArray k = split(key.forward(ps, inputs, training).head(), b, len, dh);
        NDArray v = split(value.forward(ps, inputs, training).head(), b, len, dh);
        NDArray att = NdOps.scale(q.matMul(k.transpose(0, 1, 3, 2)), (float) (1.0 / Math.sqrt(dh))).add(causalMask(x, len));
        att = att.softmax(-1);
        att = Dropout.dropout(att, dropout, training).head();
        NDArray ctx = att.matMul(v).transpose(0, 2, 1, 3).reshape(b, len, hidden);
        return output.forward(ps, new NDList(ctx), training);
    }

    private NDArray split(NDArray a, long b, long len, int dh) {
        return a.reshape(b, len, heads, dh).transpose(0, 2, 1, 3);
    }

    /** [L, L] additive mask: 0 on and below the diagonal, a large negative number above it. */
    private static NDArray causalMask(NDArray like, long len) {
        int n = (int) len;
        float[] m = new float[n * n];
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) m[i * n + j] = -1e9f;
        return like.getManager().create(m, new Shape(n, n)).toDevice(like.getDevice(), false);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) { return new Shape[] {inputShapes[0]}; }
}
