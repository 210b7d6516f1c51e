package dev.sidflow.model.llmemb;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Produces the item embedding table [numItems + 1, hidden]; row 0 is the padding item, row i+1 is
 * item i. The same table embeds the input sequence and scores the output (tied weights).
 */
abstract class ItemTableBlock extends AbstractBlock {
    protected final int numItems;
    protected final int hidden;

    ItemTableBlock(int numItems, int hidden) {
        super((byte) 1);
        this.numItems = numItems;
        this.hidden = hidden;
    }

    abstract NDArray table(ParameterStore ps, Device device, boolean training);

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(table(ps, inputs.head().getDevice(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) { return new Shape[] {new Shape(numItems + 1L, hidden)}; }
}
