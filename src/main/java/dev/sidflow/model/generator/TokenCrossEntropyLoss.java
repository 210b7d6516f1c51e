package dev.sidflow.model.generator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.loss.Loss;

/**
 * Mean softmax cross-entropy of logits (N, vocab) against int64 token labels (N). Same value as
 * DJL's SoftmaxCrossEntropyLoss, without its final {@code mul(Number)}: on PyTorch that hands
 * autograd a scalar over a Java buffer that is freed before backward runs (NaN after a GC).
 */
final class TokenCrossEntropyLoss extends Loss {

    TokenCrossEntropyLoss() {
        super("sid-ce");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray logProbs = predictions.singletonOrThrow().logSoftmax(-1);
        NDArray target = labels.singletonOrThrow();
        return logProbs.get(new NDIndex().addAllDim(1).addPickDim(target)).neg().mean();
    }
}
