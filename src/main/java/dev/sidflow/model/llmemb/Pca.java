package dev.sidflow.model.llmemb;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;

/**
 * Principal component analysis in plain Java: covariance matrix, then orthogonal (subspace)
 * iteration for the top components. Projections are divided by one global scale so that the
 * reduced features have unit mean variance per dimension (relative variances are kept).
 */
public final class Pca {
    private final float[] mean;
    private final float[][] components; // [k][d], orthonormal rows, by decreasing variance
    private final float scale;

    Pca(float[] mean, float[][] components, float scale) {
        this.mean = mean;
        this.components = components;
        this.scale = scale;
    }

    public int inputDim() { return mean.length; }
    public int outputDim() { return components.length; }

    /** Fits {@code k} components (at most the input dimension) to the rows of {@code x}. */
    public static Pca fit(float[][] x, int k, long seed) {
        if (x.length < 2) throw new IllegalArgumentException("PCA needs at least 2 rows");
        int d = x[0].length;
        k = Math.min(k, d);
        double[] mu = new double[d];
        for (float[] row : x) {
            if (row.length != d) throw new IllegalArgumentException("rows have different lengths: " + row.length + " vs " + d);
            for (int j = 0; j < d; j++) mu[j] += row[j];
        }
        for (int j = 0; j < d; j++) mu[j] /= x.length;
        double[][] cov = new double[d][d];
        double[] c = new double[d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) c[j] = row[j] - mu[j];
            for (int a = 0; a < d; a++) {
                double ca = c[a];
                if (ca == 0) continue;
                double[] ra = cov[a];
                for (int b = a; b < d; b++) ra[b] += ca * c[b];
            }
        }
        for (int a = 0; a < d; a++) for (int b = a; b < d; b++) {
            cov[a][b] /= (x.length - 1);
            cov[b][a] = cov[a][b];
        }
        double[][] q = subspaceIteration(cov, k, seed);
        double[] var = new double[k];
        double total = 0;
        for (int i = 0; i < k; i++) {
            var[i] = rayleigh(cov, q[i]);
            total += var[i];
        }
        // order by explained variance
        Integer[] order = new Integer[k];
        for (int i = 0; i < k; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> Double.compare(var[b], var[a]));
        float[][] comps = new float[k][d];
        for (int i = 0; i < k; i++) for (int j = 0; j < d; j++) comps[i][j] = (float) q[order[i]][j];
        float[] meanF = new float[d];
        for (int j = 0; j < d; j++) meanF[j] = (float) mu[j];
        float scale = (float) Math.sqrt(Math.max(total / k, 1e-12));
        return new Pca(meanF, comps, scale);
    }

    private static double[][] subspaceIteration(double[][] cov, int k, long seed) {
        int d = cov.length;
        Random rnd = new Random(seed);
        double[][] q = new double[k][d];
        for (double[] v : q) for (int j = 0; j < d; j++) v[j] = rnd.nextGaussian();
        orthonormalize(q);
        double[][] z = new double[k][d];
        for (int iter = 0; iter < 150; iter++) {
            for (int i = 0; i < k; i++) {
                double[] qi = q[i];
                double[] zi = z[i];
                for (int a = 0; a < d; a++) {
                    double s = 0;
                    double[] ra = cov[a];
                    for (int b = 0; b < d; b++) s += ra[b] * qi[b];
                    zi[a] = s;
                }
            }
            double[][] t = q;
            q = z;
            z = t;
            orthonormalize(q);
        }
        return q;
    }

    private static void orthonormalize(double[][] v) {
        for (int i = 0; i < v.length; i++) {
            for (int p = 0; p < i; p++) {
                double dot = 0;
                for (int j = 0; j < v[i].length; j++) dot += v[i][j] * v[p][j];
                for (int j = 0; j < v[i].length; j++) v[i][j] -= dot * v[p][j];
            }
            double n = 0;
            for (double e : v[i]) n += e * e;
            n = Math.sqrt(n);
            if (n < 1e-12) { // degenerate direction (rank-deficient data): any unit vector orthogonal later is fine
                v[i][i % v[i].length] = 1;
                n = 1;
            }
            for (int j = 0; j < v[i].length; j++) v[i][j] /= n;
        }
    }

    private static double rayleigh(double[][] cov, double[] v) {
        double s = 0;
        for (int a = 0; a < cov.length; a++) {
            double t = 0;
            for (int b = 0; b < cov.length; b++) t += cov[a][b] * v[b];
            s += v[a] * t;
        }
        return s;
    }

    public float[] transform(float[] x) {
        if (x.length != mean.length) {
            throw new IllegalArgumentException("text vector has " + x.length + " dimensions, the model expects " + mean.length);
        }
        float[] out = new float[components.length];
        for (int i = 0; i < components.length; i++) {
            double s = 0;
            float[] c = components[i];
            for (int j = 0; j < x.length; j++) s += (x[j] - mean[j]) * c[j];
            out[i] = (float) (s / scale);
        }
        return out;
    }

    public float[][] transform(float[][] x) {
        float[][] out = new float[x.length][];
        for (int i = 0; i < x.length; i++) out[i] = transform(x[i]);
        return out;
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(mean.length);
        out.writeInt(components.length);
        out.writeFloat(scale);
        for (float f : mean) out.writeFloat(f);
        for (float[] c : components) for (float f : c) out.writeFloat(f);
    }

    static Pca read(DataInputStream in) throws IOException {
        int d = in.readInt();
        int k = in.readInt();
        if (d < 1 || k < 1 || k > d) throw new IOException("corrupt PCA file: dims " + d + " x " + k);
        float scale = in.readFloat();
        float[] mean = new float[d];
        for (int j = 0; j < d; j++) mean[j] = in.readFloat();
        float[][] comps = new float[k][d];
        for (float[] c : comps) for (int j = 0; j < d; j++) c[j] = in.readFloat();
        return new Pca(mean, comps, scale);
    }
}
