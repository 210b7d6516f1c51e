package dev.sidflow.model.llmemb;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Layer normalisation over the last axis (DJL's LayerNorm block normalises over several axes by default). */
final class LayerNormBlock extends AbstractBlock {
    private final int size;
    private final Parameter gamma;
    private final Parameter beta;

    LayerNormBlock(int size) {
        super((byte) 1);
        this.size = size;
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).optShape(new Shape(size)).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA).optShape(new Shape(size)).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        var x = inputs.head();
        return LayerNorm.layerNorm(x, new Shape(size), ps.getValue(gamma, x.getDevice(), training),
                ps.getValue(beta, x.getDevice(), training), 1e-8f);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) { return new Shape[] {inputShapes[0]}; }
}
