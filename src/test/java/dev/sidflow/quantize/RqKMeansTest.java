package dev.sidflow.quantize;

import dev.sidflow.embed.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RqKMeansTest {
    private static final int DIM = 16;

    /** Three nested levels of Gaussian clusters (8 x 8 x 8 centers, shrinking spread) plus noise. */
    static float[] hierarchicalClusters(int n, long seed) {
        Random rnd = new Random(seed);
        float[][] top = gaussians(rnd, 8, 10.0);
        float[][] mid = gaussians(rnd, 64, 3.0);
        float[][] low = gaussians(rnd, 512, 1.0);
        float[] x = new float[n * DIM];
        for (int i = 0; i < n; i++) {
            int a = rnd.nextInt(8), b = rnd.nextInt(8), c = rnd.nextInt(8);
            for (int d = 0; d < DIM; d++) {
                x[i * DIM + d] = (float) (top[a][d] + mid[a * 8 + b][d] + low[(a * 8 + b) * 8 + c][d] + 0.1 * rnd.nextGaussian());
            }
        }
        return x;
    }

    private static float[][] gaussians(Random rnd, int count, double sigma) {
        float[][] c = new float[count][DIM];
        for (float[] v : c) for (int d = 0; d < DIM; d++) v[d] = (float) (sigma * rnd.nextGaussian());
        return c;
    }

    private static RqKMeans.Config config(int threads) {
        return new RqKMeans.Config(3, 32, 30, 1e-4, 7, threads, 0, false);
    }

    @Test
    void reconstructionErrorFallsWithEveryLevel() {
        int n = 3000;
        float[] x = hierarchicalClusters(n, 1);
        RqKMeans.Result r = RqKMeans.train(x, n, DIM, config(2), ProgressListener.NONE);
        QuantizationReport report = QuantizationReport.of(r.codebooks(), x, n, r.codes());
        double l1 = report.levels().get(0).relativeMse();
        double l2 = report.levels().get(1).relativeMse();
        double l3 = report.levels().get(2).relativeMse();
        assertThat(l1).isLessThan(0.2);
        assertThat(l2).isLessThan(l1 * 0.7);
        assertThat(l3).isLessThan(l2 * 0.9);
        for (QuantizationReport.Level l : report.levels()) {
            assertThat(l.codesUsed()).isBetween(2, 32);
            assertThat(l.perplexity()).isGreaterThan(1).isLessThanOrEqualTo(l.codesUsed() + 1e-9);
        }
        assertThat(report.uniqueShare()).isBetween(0.0, 1.0);
        assertThat(report.largestCollision()).isGreaterThanOrEqualTo(1);
        assertThat(r.levels()).hasSize(3);
        assertThat(r.levels().get(0).iterations()).as("Lloyd iterations").isGreaterThan(1);
    }

    @Test
    void codesAreDeterministicForASeedWhateverTheThreadCount() {
        int n = 1500;
        float[] x = hierarchicalClusters(n, 2);
        int[][] a = RqKMeans.train(x, n, DIM, config(1), ProgressListener.NONE).codes();
        int[][] b = RqKMeans.train(x, n, DIM, config(2), ProgressListener.NONE).codes();
        assertThat(b).isDeepEqualTo(a);
        int[][] c = RqKMeans.train(x, n, DIM, config(2).withSeed(8), ProgressListener.NONE).codes();
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void encodingATrainingVectorGivesItsTrainingCodes() {
        int n = 2000;
        float[] x = hierarchicalClusters(n, 3);
        for (RqKMeans.Config cfg : new RqKMeans.Config[] {config(2), config(2).withPca(8, true)}) {
            RqKMeans.Result r = RqKMeans.train(x, n, DIM, cfg, ProgressListener.NONE);
            int[][] again = r.codebooks().encodeAll(x, n);
            assertThat(again).as("pca=%d", cfg.pcaDims()).isDeepEqualTo(r.codes());
        }
    }

    @Test
    void surplusCentroidsAtDeepLevelsDoNotBreakTraining() {
        // 100 distinct points, each 3 times: level 1 (256 codes) already fits them exactly, so the
        // residuals of levels 2 and 3 are a single distinct point for 256 centroids.
        int distinct = 100, n = 300;
        float[] base = hierarchicalClusters(distinct, 4);
        float[] x = new float[n * DIM];
        for (int i = 0; i < n; i++) System.arraycopy(base, (i % distinct) * DIM, x, i * DIM, DIM);
        RqKMeans.Result r = RqKMeans.train(x, n, DIM, new RqKMeans.Config(3, 256, 20, 1e-4, 1, 2, 0, false), ProgressListener.NONE);
        QuantizationReport report = QuantizationReport.of(r.codebooks(), x, n, r.codes());
        assertThat(report.levels().get(0).codesUsed()).isEqualTo(distinct);
        assertThat(report.levels().get(0).relativeMse()).isLessThan(1e-10);
        assertThat(report.levels().get(2).codesUsed()).isEqualTo(1);
        assertThat(report.distinctCodes()).isEqualTo(distinct);
        assertThat(report.largestCollision()).isEqualTo(3);
        assertThat(report.uniqueShare()).isZero();
        for (int[] c : r.codes()) for (int v : c) assertThat(v).isBetween(0, 255);
    }

    @Test
    void emptyClustersAreReseededFromTheWorstFittedPoint() {
        int n = 400;
        float[] x = hierarchicalClusters(n, 5);
        // two centroids far away from all data: both start empty and must be repaired
        float[] init = new float[4 * DIM];
        System.arraycopy(x, 0, init, 0, DIM);
        System.arraycopy(x, DIM, init, DIM, DIM);
        for (int d = 0; d < DIM; d++) {
            init[2 * DIM + d] = 1e4f;
            init[3 * DIM + d] = -1e4f;
        }
        try (Parallel p = new Parallel(2)) {
            KMeans.Result r = new KMeans(4, 50, 0, p).lloyd(x, n, DIM, init);
            assertThat(r.emptyRepairs()).isGreaterThanOrEqualTo(2);
            int[] counts = new int[4];
            for (int a : r.assignment()) counts[a]++;
            assertThat(java.util.Arrays.stream(counts).min().getAsInt()).isPositive();
            for (int d = 0; d < DIM; d++) assertThat(Math.abs(r.centroids()[2 * DIM + d])).isLessThan(100f);
        }
    }

    @Test
    void codebooksRoundTripThroughAFile(@TempDir Path dir) throws IOException {
        int n = 1000;
        float[] x = hierarchicalClusters(n, 6);
        for (RqKMeans.Config cfg : new RqKMeans.Config[] {config(2), config(2).withPca(6, false)}) {
            RqKMeans.Result r = RqKMeans.train(x, n, DIM, cfg, ProgressListener.NONE);
            Path file = dir.resolve("codebooks-" + cfg.pcaDims() + ".bin");
            r.codebooks().save(file);
            Codebooks loaded = Codebooks.load(file);
            assertThat(loaded.levels()).isEqualTo(3);
            assertThat(loaded.size()).isEqualTo(32);
            assertThat(loaded.inputDim()).isEqualTo(DIM);
            assertThat(loaded.encodeAll(x, n)).isDeepEqualTo(r.codes());
            float[] fresh = hierarchicalClusters(1, 99);
            assertThat(loaded.encode(fresh)).containsExactly(r.codebooks().encode(fresh));
            assertThat(loaded.reconstruct(r.codes()[0], 3)).containsExactly(r.codebooks().reconstruct(r.codes()[0], 3));
        }
    }

    @Test
    void pcaFindsTheDirectionOfLargestVarianceAndWhitens() {
        Random rnd = new Random(3);
        int n = 4000, dim = 5;
        float[] x = new float[n * dim];
        double s = Math.sqrt(0.5);
        for (int i = 0; i < n; i++) {
            double big = 10 * rnd.nextGaussian(), small = rnd.nextGaussian();
            // main axis (1,1,0,0,0)/sqrt2, second axis e3, offset mean 5
            x[i * dim] = (float) (5 + big * s);
            x[i * dim + 1] = (float) (5 + big * s);
            x[i * dim + 2] = (float) (5 + small);
            x[i * dim + 3] = (float) (5 + 0.01 * rnd.nextGaussian());
            x[i * dim + 4] = 5;
        }
        try (Parallel p = new Parallel(2)) {
            Pca pca = Pca.fit(x, n, dim, 2, true, p);
            assertThat(Math.abs(pca.components()[0])).isCloseTo((float) s, within(0.01f));
            assertThat(Math.abs(pca.components()[dim + 2])).isCloseTo(1f, within(0.01f));
            assertThat(pca.explainedVariance()).isGreaterThan(0.999);
            double var0 = 0, var1 = 0;
            float[] row = new float[dim];
            for (int i = 0; i < n; i++) {
                System.arraycopy(x, i * dim, row, 0, dim);
                float[] z = pca.transform(row);
                var0 += z[0] * z[0];
                var1 += z[1] * z[1];
                float[] back = pca.inverse(z);
                assertThat(back[0]).isCloseTo(row[0], within(0.05f));
            }
            assertThat(var0 / n).isCloseTo(1.0, within(0.01));
            assertThat(var1 / n).isCloseTo(1.0, within(0.01));
        }
    }

    @Test
    void jacobiDiagonalizesASymmetricMatrix() {
        double[][] m = {{4, 1, 2}, {1, 3, 0}, {2, 0, 5}};
        SymmetricEigen e = SymmetricEigen.of(m);
        assertThat(e.values()[0]).isGreaterThanOrEqualTo(e.values()[1]);
        assertThat(e.values()[1]).isGreaterThanOrEqualTo(e.values()[2]);
        assertThat(e.values()[0] + e.values()[1] + e.values()[2]).isCloseTo(12, within(1e-9));
        for (int j = 0; j < 3; j++) {
            for (int r = 0; r < 3; r++) {
                double mv = 0;
                for (int c = 0; c < 3; c++) mv += m[r][c] * e.vectors()[c][j];
                assertThat(mv).isCloseTo(e.values()[j] * e.vectors()[r][j], within(1e-9));
            }
        }
    }
}
