package dev.sidflow.model.llmemb;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** One pre-norm SASRec block: causal self-attention and a point-wise feed-forward net (hidden -> ffDim -> hidden), each residual. */
final class TransformerLayerBlock extends AbstractBlock {
    private final int hidden;
    private final float dropout;
    private final LayerNormBlock attnNorm;
    private final CausalSelfAttentionBlock attention;
    private final LayerNormBlock ffnNorm;
    private final Linear ffnIn;
    private final Linear ffnOut;
    private final int ffDim;
    private final boolean gelu;

    TransformerLayerBlock(int hidden, int heads, float dropout, int ffDim, boolean gelu) {
        super((byte) 1);
        this.hidden = hidden;
        this.dropout = dropout;
        this.ffDim = ffDim;
        this.gelu = gelu;
        attnNorm = addChildBlock("attnNorm", new LayerNormBlock(hidden));
        attention = addChildBlock("attention", new CausalSelfAttentionBlock(hidden, heads, dropout));
        ffnNorm = addChildBlock("ffnNorm", new LayerNormBlock(hidden));
        ffnIn = addChildBlock("ffnIn", Linear.builder().setUnits(ffDim).build());
        ffnOut = addChildBlock("ffnOut", Linear.builder().setUnits(hidden).build());
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        attnNorm.initialize(manager, dataType, s);
        attention.initialize(manager, dataType, s);
        ffnNorm.initialize(manager, dataType, s);
        ffnIn.initialize(manager, dataType, new Shape(1, hidden));
        ffnOut.initialize(manager, dataType, new Shape(1, ffDim));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDArray a = attention.forward(ps, attnNorm.forward(ps, new NDList(x), training), training).head();
        x = x.add(Dropout.dropout(a, dropout, training).head());
        NDArray f = ffnIn.forward(ps, ffnNorm.forward(ps, new NDList(x), training), training).head();
        f = Dropout.dropout(gelu ? Activation.gelu(f) : Activation.relu(f), dropout, training).head();
        f = ffnOut.forward(ps, new NDList(f), training).head();
        return new NDList(x.add(Dropout.dropout(f, dropout, training).head()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) { return new Shape[] {inputShapes[0]}; }
}
