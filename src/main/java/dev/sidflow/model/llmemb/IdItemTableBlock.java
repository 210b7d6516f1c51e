package dev.sidflow.model.llmemb;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;

/** ID-based item embeddings: one free vector per item (classic SASRec). */
final class IdItemTableBlock extends ItemTableBlock {
    private final Parameter embedding;

    IdItemTableBlock(int numItems, int hidden) {
        super(numItems, hidden);
        embedding = addParameter(Parameter.builder().setName("itemEmbedding").setType(Parameter.Type.OTHER)
                .optInitializer(new NormalInitializer(0.02f)).optShape(new Shape(numItems + 1L, hidden)).build());
    }

    @Override
    NDArray table(ParameterStore ps, Device device, boolean training) {
        return ps.getValue(embedding, device, training);
    }
}
