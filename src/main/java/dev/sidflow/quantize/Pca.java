package dev.sidflow.quantize;

/**
 * Principal component projection fitted on the training vectors: z = scale * (components . (x - mean)).
 * With whitening every component gets unit variance (scale = 1/sqrt(eigenvalue)), so k-means does
 * not spend all its codes on the few directions of largest variance.
 *
 * @param inputDim          dimension of the original vectors
 * @param outputDim         number of components kept
 * @param mean              inputDim
 * @param components        outputDim x inputDim, row-major, orthonormal rows, by decreasing variance
 * @param scale             outputDim multipliers (1 without whitening)
 * @param explainedVariance share of the total variance the kept components carry
 */
public record Pca(int inputDim, int outputDim, float[] mean, float[] components, float[] scale, double explainedVariance) {

    static Pca fit(float[] x, int n, int dim, int outputDim, boolean whiten, Parallel parallel) {
        if (outputDim < 1 || outputDim > dim) throw new IllegalArgumentException("PCA dims must be in [1, " + dim + "]: " + outputDim);
        if (n < 2) throw new IllegalArgumentException("PCA needs at least 2 vectors");
        double[] mean = new double[dim];
        for (int i = 0; i < n; i++) for (int d = 0; d < dim; d++) mean[d] += x[i * dim + d];
        for (int d = 0; d < dim; d++) mean[d] /= n;
        // covariance, rows of the upper triangle computed in parallel
        double[][] cov = new double[dim][dim];
        parallel.forRange(dim, (from, to) -> {
            double[] centered = new double[dim];
            for (int i = 0; i < n; i++) {
                for (int d = 0; d < dim; d++) centered[d] = x[i * dim + d] - mean[d];
                for (int p = from; p < to; p++) {
                    double cp = centered[p];
                    double[] row = cov[p];
                    for (int q = p; q < dim; q++) row[q] += cp * centered[q];
                }
            }
        });
        for (int p = 0; p < dim; p++) {
            for (int q = p; q < dim; q++) {
                cov[p][q] /= (n - 1);
                cov[q][p] = cov[p][q];
            }
        }
        SymmetricEigen eig = SymmetricEigen.of(cov);
        double total = 0, kept = 0;
        for (int j = 0; j < dim; j++) total += Math.max(0, eig.values()[j]);
        float[] comps = new float[outputDim * dim];
        float[] scale = new float[outputDim];
        for (int j = 0; j < outputDim; j++) {
            double lambda = Math.max(0, eig.values()[j]);
            kept += lambda;
            for (int d = 0; d < dim; d++) comps[j * dim + d] = (float) eig.vectors()[d][j];
            scale[j] = whiten ? (float) (1.0 / Math.sqrt(lambda + 1e-12 * Math.max(total, 1e-30))) : 1f;
        }
        float[] m = new float[dim];
        for (int d = 0; d < dim; d++) m[d] = (float) mean[d];
        return new Pca(dim, outputDim, m, comps, scale, total > 0 ? kept / total : 1);
    }

    public float[] transform(float[] v) {
        float[] centered = new float[inputDim];
        for (int d = 0; d < inputDim; d++) centered[d] = v[d] - mean[d];
        float[] z = new float[outputDim];
        for (int j = 0; j < outputDim; j++) z[j] = (float) (KMeans.dot(components, j * inputDim, centered, 0, inputDim) * scale[j]);
        return z;
    }

    public float[] inverse(float[] z) {
        double[] x = new double[inputDim];
        for (int j = 0; j < outputDim; j++) {
            double w = z[j] / scale[j];
            for (int d = 0; d < inputDim; d++) x[d] += w * components[j * inputDim + d];
        }
        float[] out = new float[inputDim];
        for (int d = 0; d < inputDim; d++) out[d] = (float) (x[d] + mean[d]);
        return out;
    }
}
