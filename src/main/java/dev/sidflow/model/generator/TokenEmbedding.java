package dev.sidflow.model.generator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/** Dense lookup table int64 ids (any shape) -> (..., d), using the engine's embedding op. */
final class TokenEmbedding extends AbstractBlock {
    private final int size;
    private final int dim;
    private final Parameter weight;

    TokenEmbedding(int size, int dim) {
        this.size = size;
        this.dim = dim;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(size, dim)).optInitializer(new NormalInitializer(0.02f)).build());
    }

    NDArray lookup(ParameterStore ps, NDArray ids, boolean training) {
        NDArray w = ps.getValue(weight, ids.getDevice(), training);
        return Embedding.embedding(ids, w, SparseFormat.DENSE).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(lookup(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].addAll(new Shape(dim))};
    }

    int size() {
        return size;
    }
}
