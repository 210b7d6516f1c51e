package dev.sidflow.quantize;

import java.util.SplittableRandom;

/**
 * One level of k-means on a flat row-major float matrix: seeded k-means++ initialization, Lloyd
 * iterations with multi-threaded assignment, and empty-cluster repair.
 *
 * <p>Results depend only on the data and the seed, never on the thread count: assignment is
 * per-point, and sums are accumulated sequentially in point order.
 */
final class KMeans {

    /**
     * @param centroids    k x dim, row-major
     * @param assignment   each point's nearest centroid under the final centroids
     * @param inertia      sum of squared distances under the final assignment
     * @param iterations   Lloyd iterations run
     * @param emptyRepairs clusters that went empty and were re-seeded
     */
    record Result(float[] centroids, int[] assignment, double inertia, int iterations, int emptyRepairs) { }

    private final int k;
    private final int maxIterations;
    private final double tolerance;
    private final Parallel parallel;

    KMeans(int k, int maxIterations, double tolerance, Parallel parallel) {
        if (k < 1) throw new IllegalArgumentException("k must be >= 1: " + k);
        this.k = k;
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
        this.parallel = parallel;
    }

    Result fit(float[] x, int n, int dim, long seed) {
        return lloyd(x, n, dim, kMeansPlusPlus(x, n, dim, seed));
    }

    /** k-means++: each next center drawn with probability proportional to squared distance. */
    float[] kMeansPlusPlus(float[] x, int n, int dim, long seed) {
        if (n == 0) throw new IllegalArgumentException("no points to cluster");
        SplittableRandom rng = new SplittableRandom(seed);
        float[] c = new float[k * dim];
        double[] d2 = new double[n];
        int first = rng.nextInt(n);
        System.arraycopy(x, first * dim, c, 0, dim);
        parallel.forRange(n, (from, to) -> {
            for (int i = from; i < to; i++) d2[i] = squaredDistance(x, i * dim, c, 0, dim);
        });
        for (int j = 1; j < k; j++) {
            double total = 0;
            for (double v : d2) total += v;
            int pick;
            if (total <= 0) {
                pick = rng.nextInt(n); // fewer distinct points than centers: any point will do
            } else {
                double r = rng.nextDouble() * total;
                pick = -1;
                for (int i = 0; i < n; i++) {
                    if (d2[i] <= 0) continue;
                    pick = i;
                    r -= d2[i];
                    if (r < 0) break;
                }
            }
            int off = j * dim;
            System.arraycopy(x, pick * dim, c, off, dim);
            parallel.forRange(n, (from, to) -> {
                for (int i = from; i < to; i++) {
                    double d = squaredDistance(x, i * dim, c, off, dim);
                    if (d < d2[i]) d2[i] = d;
                }
            });
        }
        return c;
    }

    Result lloyd(float[] x, int n, int dim, float[] initial) {
        float[] c = initial.clone();
        int[] assign = new int[n];
        java.util.Arrays.fill(assign, -1);
        double[] err = new double[n];
        double[] xNorm = rowNorms(x, n, dim);
        double prevInertia = Double.POSITIVE_INFINITY;
        int iterations = 0;
        int repairs = 0;
        for (int it = 0; it < maxIterations; it++) {
            iterations++;
            int changes = assignAll(x, n, dim, c, xNorm, assign, err);
            int[] counts = new int[k];
            for (int a : assign) counts[a]++;
            repairs += repairEmpty(x, dim, c, assign, err, counts);
            double inertia = 0;
            for (double e : err) inertia += e;
            update(x, n, dim, c, assign, counts);
            if (changes == 0) break;
            if (Double.isFinite(prevInertia) && prevInertia - inertia <= tolerance * prevInertia) break;
            prevInertia = inertia;
        }
        // Final codes are nearest under the final centroids, exactly as a later encode would find them.
        assignAll(x, n, dim, c, xNorm, assign, err);
        double inertia = 0;
        for (double e : err) inertia += e;
        return new Result(c, assign, inertia, iterations, repairs);
    }

    /** Assigns every point to its nearest centroid; returns how many points changed cluster. */
    private int assignAll(float[] x, int n, int dim, float[] c, double[] xNorm, int[] assign, double[] err) {
        float[] cNorm = halfNorms(c, k, dim);
        int[] changed = new int[parallel.threads() * 2 + 1];
        int[] slot = {0};
        Object lock = new Object();
        parallel.forRange(n, (from, to) -> {
            int ch = 0;
            for (int i = from; i < to; i++) {
                int best = nearest(x, i * dim, dim, c, cNorm, k);
                // ||x-c||^2 = ||x||^2 + 2 * (||c||^2/2 - x.c)
                double score = cNorm[best] - dot(x, i * dim, c, best * dim, dim);
                err[i] = Math.max(0, xNorm[i] + 2 * score);
                if (assign[i] != best) {
                    assign[i] = best;
                    ch++;
                }
            }
            synchronized (lock) {
                changed[slot[0]++] = ch;
            }
        });
        int total = 0;
        for (int v : changed) total += v;
        return total;
    }

    /**
     * Re-seeds each empty cluster with the point that currently has the largest error, taken from
     * a cluster that keeps at least one other point. Points with zero error are never moved: when
     * there are fewer distinct points than clusters, the surplus clusters stay empty.
     */
    private int repairEmpty(float[] x, int dim, float[] c, int[] assign, double[] err, int[] counts) {
        int repaired = 0;
        for (int j = 0; j < k; j++) {
            if (counts[j] > 0) continue;
            int worst = -1;
            for (int i = 0; i < assign.length; i++) {
                if (err[i] > 0 && counts[assign[i]] > 1 && (worst < 0 || err[i] > err[worst])) worst = i;
            }
            if (worst < 0) break;
            counts[assign[worst]]--;
            assign[worst] = j;
            counts[j] = 1;
            err[worst] = 0;
            System.arraycopy(x, worst * dim, c, j * dim, dim);
            repaired++;
        }
        return repaired;
    }

    private void update(float[] x, int n, int dim, float[] c, int[] assign, int[] counts) {
        double[] sums = new double[k * dim];
        for (int i = 0; i < n; i++) {
            int off = assign[i] * dim, xo = i * dim;
            for (int d = 0; d < dim; d++) sums[off + d] += x[xo + d];
        }
        for (int j = 0; j < k; j++) {
            if (counts[j] == 0) continue; // empty (unrepairable): keep the old centroid
            int off = j * dim;
            for (int d = 0; d < dim; d++) c[off + d] = (float) (sums[off + d] / counts[j]);
        }
    }

    // ---- shared with Codebooks.encode so that training codes and encode() agree bit for bit ----

    /** Half squared norms of k centroids: nearest() minimizes ||c||^2/2 - x.c. */
    static float[] halfNorms(float[] c, int k, int dim) {
        float[] out = new float[k];
        for (int j = 0; j < k; j++) out[j] = (float) (0.5 * dot(c, j * dim, c, j * dim, dim));
        return out;
    }

    /** Index of the centroid nearest to x[xOff, xOff+dim); ties go to the lowest index. */
    static int nearest(float[] x, int xOff, int dim, float[] c, float[] cHalfNorm, int k) {
        int best = 0;
        double bestScore = Double.POSITIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            double s = cHalfNorm[j] - dot(x, xOff, c, j * dim, dim);
            if (s < bestScore) {
                bestScore = s;
                best = j;
            }
        }
        return best;
    }

    static double dot(float[] a, int aOff, float[] b, int bOff, int dim) {
        // four independent accumulators: lets the CPU pipeline the multiply-adds
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int d = 0;
        for (; d + 3 < dim; d += 4) {
            s0 += a[aOff + d] * b[bOff + d];
            s1 += a[aOff + d + 1] * b[bOff + d + 1];
            s2 += a[aOff + d + 2] * b[bOff + d + 2];
            s3 += a[aOff + d + 3] * b[bOff + d + 3];
        }
        for (; d < dim; d++) s0 += a[aOff + d] * b[bOff + d];
        return (double) s0 + s1 + s2 + s3;
    }

    static double squaredDistance(float[] a, int aOff, float[] b, int bOff, int dim) {
        double s = 0;
        for (int d = 0; d < dim; d++) {
            double diff = a[aOff + d] - b[bOff + d];
            s += diff * diff;
        }
        return s;
    }

    private static double[] rowNorms(float[] x, int n, int dim) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int d = i * dim, end = d + dim; d < end; d++) sum += (double) x[d] * x[d];
            out[i] = sum;
        }
        return out;
    }
}
