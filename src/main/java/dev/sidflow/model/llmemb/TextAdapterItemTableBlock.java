package dev.sidflow.model.llmemb;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;

/**
 * LLMEmb item embeddings: frozen (PCA-reduced) text-encoder vectors of every item, passed through a
 * trainable 2-layer MLP adapter. The text features are a non-trainable parameter so that they are
 * saved with the model; the adapter also embeds items that did not exist at training time. With
 * ID vectors, a trained item's embedding is its adapted text vector plus its own ID vector.
 */
final class TextAdapterItemTableBlock extends ItemTableBlock {
    private final int textDim;
    private final int adapterHidden;
    private final float dropout;
    private final Parameter textFeatures;
    private final Linear fc1;
    private final Linear fc2;
    /** Per-item ID vectors added to the adapted text vectors, or null (text only). */
    private final Parameter idResidual;

    TextAdapterItemTableBlock(int numItems, int textDim, int adapterHidden, int hidden, float dropout, boolean idResidual) {
        super(numItems, hidden);
        this.textDim = textDim;
        this.adapterHidden = adapterHidden;
        this.dropout = dropout;
        textFeatures = addParameter(Parameter.builder().setName("textFeatures").setType(Parameter.Type.OTHER)
                .optInitializer(Initializer.ZEROS).optRequiresGrad(false).optShape(new Shape(numItems, textDim)).build());
        fc1 = addChildBlock("adapterIn", Linear.builder().setUnits(adapterHidden).build());
        fc2 = addChildBlock("adapterOut", Linear.builder().setUnits(hidden).build());
        this.idResidual = idResidual
                ? addParameter(Parameter.builder().setName("idResidual").setType(Parameter.Type.OTHER)
                        .optInitializer(Initializer.ZEROS).optShape(new Shape(numItems, hidden)).build())
                : null;
    }

    /** Starts the ID vectors from given item embeddings [numItems x hidden], row-major (after initialisation). */
    void setIdResidual(float[] rowMajor) {
        if (idResidual == null) throw new IllegalStateException("this item table has no ID vectors");
        idResidual.getArray().set(rowMajor);
    }

    /** Sets the adapter's output layer to zero (after initialisation): the text part starts at nothing. */
    void zeroOutputLayer() {
        for (var p : fc2.getParameters().values()) {
            NDArray a = p.getArray();
            a.subi(a);
        }
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        fc1.initialize(manager, dataType, new Shape(1, textDim));
        fc2.initialize(manager, dataType, new Shape(1, adapterHidden));
    }

    /** Copies the frozen text features [numItems x textDim] in (after initialisation). */
    void setTextFeatures(float[] rowMajor) {
        NDArray a = textFeatures.getArray();
        a.set(rowMajor);
    }

    int textDim() { return textDim; }

    /** adapter(features): [M, textDim] -> [M, hidden]. */
    NDArray adapt(ParameterStore ps, NDArray features, boolean training) {
        NDArray h = Dropout.dropout(features, dropout, training).head();
        h = Activation.gelu(fc1.forward(ps, new NDList(h), training).head());
        h = Dropout.dropout(h, dropout, training).head();
        return fc2.forward(ps, new NDList(h), training).head();
    }

    @Override
    NDArray table(ParameterStore ps, Device device, boolean training) {
        NDArray items = adapt(ps, ps.getValue(textFeatures, device, training), training);
        if (idResidual != null) items = items.add(ps.getValue(idResidual, device, training));
        NDArray pad = items.getManager().zeros(new Shape(1, hidden), items.getDataType(), items.getDevice());
        return pad.concat(items, 0);
    }
}
