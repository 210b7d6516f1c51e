package dev.sidflow.model.llmemb;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

import dev.sidflow.model.NdOps;
import java.util.ArrayList;
import java.util.List;

/**
 * SASRec sequence encoder. Inputs: item table [N+1, d] and right-padded item rows [B, L] (0 = pad).
 * Output: hidden states [B, L, d]; position t summarises items 0..t.
 */
final class SequenceEncoderBlock extends AbstractBlock {
    private final SasRecConfig cfg;
    private final Parameter positions;
    private final List<TransformerLayerBlock> layers = new ArrayList<>();
    private final LayerNormBlock finalNorm;

    SequenceEncoderBlock(SasRecConfig cfg) {
        super((byte) 1);
        this.cfg = cfg;
        positions = addParameter(Parameter.builder().setName("positionEmbedding").setType(Parameter.Type.OTHER)
                .optInitializer(new NormalInitializer(0.02f)).optShape(new Shape(cfg.maxLen(), cfg.hidden())).build());
        for (int i = 0; i < cfg.layers(); i++) {
            layers.add(addChildBlock("layer" + i, new TransformerLayerBlock(cfg.hidden(), cfg.heads(), cfg.dropout(), cfg.ffDim(), cfg.activation().equals("gelu"))));
        }
        finalNorm = addChildBlock("finalNorm", new LayerNormBlock(cfg.hidden()));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape ids = inputShapes[1];
        Shape h = new Shape(ids.get(0), ids.get(1), cfg.hidden());
        for (TransformerLayerBlock l : layers) l.initialize(manager, dataType, h);
        finalNorm.initialize(manager, dataType, h);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray table = inputs.get(0);
        NDArray ids = inputs.get(1);
        long len = ids.getShape().get(1);
        NDArray x = NdOps.scale(NdOps.rows(table, ids), (float) Math.sqrt(cfg.hidden()));
        NDArray pos = ps.getValue(positions, ids.getDevice(), training).get(new NDIndex(":{}", len));
        x = x.add(pos);
        x = Dropout.dropout(x, cfg.dropout(), training).head();
        for (TransformerLayerBlock l : layers) x = l.forward(ps, new NDList(x), training).head();
        return finalNorm.forward(ps, new NDList(x), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape ids = inputShapes[1];
        return new Shape[] {new Shape(ids.get(0), ids.get(1), cfg.hidden())};
    }
}
