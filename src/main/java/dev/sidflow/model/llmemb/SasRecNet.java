package dev.sidflow.model.llmemb;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The whole network: an item table (ID embeddings or text adapter) and the SASRec encoder.
 * Input: right-padded item rows [B, L] (int64, item i is row i+1, 0 = pad).
 * Output: hidden states [B, L, d] and the item table [N+1, d].
 */
final class SasRecNet extends AbstractBlock {
    private final SasRecConfig cfg;
    private final ItemTableBlock items;
    private final SequenceEncoderBlock encoder;

    SasRecNet(SasRecConfig cfg, ItemTableBlock items) {
        super((byte) 1);
        this.cfg = cfg;
        this.items = addChildBlock("items", items);
        this.encoder = addChildBlock("encoder", new SequenceEncoderBlock(cfg));
    }

    ItemTableBlock items() { return items; }

    SequenceEncoderBlock encoder() { return encoder; }

    /** Hidden states [B, L, d] of input rows over a given item table (e.g. one computed once for frozen weights). */
    NDArray encode(ParameterStore ps, NDArray table, NDArray ids) {
        return encoder.forward(ps, new NDList(table, ids), false).head();
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        items.initialize(manager, dataType, inputShapes);
        encoder.initialize(manager, dataType, new Shape(cfg.numItems() + 1L, cfg.hidden()), inputShapes[0]);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.head();
        NDArray table = items.table(ps, ids.getDevice(), training);
        NDArray hidden = encoder.forward(ps, new NDList(table, ids), training).head();
        return new NDList(hidden, table);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape ids = inputShapes[0];
        return new Shape[] {new Shape(ids.get(0), ids.get(1), cfg.hidden()), new Shape(cfg.numItems() + 1L, cfg.hidden())};
    }
}
