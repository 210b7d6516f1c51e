package dev.sidflow.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;

/** Small differentiable helpers over DJL NDArrays, shared by the sequence models and the generator. */
public final class NdOps {
    private NdOps() {}

    /** Rows of {@code table} [R, d] at integer {@code indices} (any shape S) -> [S..., d]; differentiable in table. */
    public static NDArray rows(NDArray table, NDArray indices) {
        return indices.getNDArrayInternal().embedding(indices, table, SparseFormat.DENSE).singletonOrThrow();
    }

    /**
     * {@code x * factor} for arrays in an autograd graph. DJL's {@code mul(Number)} wraps the number in
     * a tensor over a Java direct buffer and closes it right away; PyTorch's backward of mul/div keeps
     * that tensor, so once the buffer is garbage-collected the gradient reads freed memory (training
     * then goes NaN at random, more often under GC pressure). A scalar filled natively is owned by
     * PyTorch and stays valid for as long as the graph needs it.
     */
    public static NDArray scale(NDArray x, float factor) {
        return x.mul(x.getManager().full(new Shape(), factor, x.getDataType(), x.getDevice()));
    }

    /** Row-wise L2 normalisation of a [M, d] matrix. */
    public static NDArray l2Normalize(NDArray x) {
        return x.div(x.square().sum(new int[] {1}, true).add(1e-12f).sqrt());
    }

    /** Mean negative log-likelihood of {@code targets} [M] (int64) under row-wise {@code logits} [M, C]. */
    public static NDArray crossEntropy(NDArray logits, NDArray targets) {
        long m = targets.getShape().get(0);
        return logits.logSoftmax(1).gather(targets.reshape(new Shape(m, 1)), 1).neg().mean();
    }

    public static float[][] toMatrix(NDArray a) {
        long[] s = a.getShape().getShape();
        float[] flat = a.toFloatArray();
        int rows = (int) s[0];
        int cols = (int) s[1];
        float[][] out = new float[rows][cols];
        for (int r = 0; r < rows; r++) System.arraycopy(flat, r * cols, out[r], 0, cols);
        return out;
    }

    public static float[] flatten(float[][] m) {
        int cols = m.length == 0 ? 0 : m[0].length;
        float[] out = new float[m.length * cols];
        for (int r = 0; r < m.length; r++) {
            if (m[r].length != cols) throw new IllegalArgumentException("row " + r + " has " + m[r].length + " columns, expected " + cols);
            System.arraycopy(m[r], 0, out, r * cols, cols);
        }
        return out;
    }
}
