package dev.sidflow.quantize;

import dev.sidflow.embed.ProgressListener;

import java.util.ArrayList;
import java.util.List;

/**
 * Residual k-means (RQ-KMeans): level 1 clusters the vectors, each next level clusters what the
 * previous levels left unexplained (the residuals). An item's codes are its cluster at each level.
 * Output is the coarse-to-fine codes only; telling apart items whose codes all collide (the SID's
 * dedup level) is the caller's job.
 */
public final class RqKMeans {

    /**
     * @param levels        codebooks (code positions)
     * @param codebookSize  centroids per codebook
     * @param maxIterations Lloyd iterations per level at most
     * @param tolerance     stop a level when inertia improves by less than this share
     * @param seed          seeds k-means++ (each level derives its own seed)
     * @param threads       assignment threads
     * @param pcaDims       0: no PCA; otherwise project onto this many principal components first
     * @param whiten        scale PCA components to unit variance
     */
    public record Config(int levels, int codebookSize, int maxIterations, double tolerance, long seed,
                         int threads, int pcaDims, boolean whiten) {
        public Config {
            if (levels < 1) throw new IllegalArgumentException("levels must be >= 1: " + levels);
            if (codebookSize < 1) throw new IllegalArgumentException("codebook size must be >= 1: " + codebookSize);
            if (maxIterations < 1) throw new IllegalArgumentException("iterations must be >= 1: " + maxIterations);
            if (tolerance < 0) throw new IllegalArgumentException("tolerance must be >= 0: " + tolerance);
            if (threads < 1) throw new IllegalArgumentException("threads must be >= 1: " + threads);
            if (pcaDims < 0) throw new IllegalArgumentException("PCA dims must be >= 0: " + pcaDims);
            if (whiten && pcaDims == 0) throw new IllegalArgumentException("whitening needs PCA dims > 0");
        }

        /** 3 levels x 256 codes, up to 50 iterations, seed 42, no PCA. */
        public static Config defaults() {
            return new Config(3, 256, 50, 1e-4, 42, Math.max(1, Runtime.getRuntime().availableProcessors()), 0, false);
        }

        public Config withLevels(int l) { return new Config(l, codebookSize, maxIterations, tolerance, seed, threads, pcaDims, whiten); }
        public Config withCodebookSize(int k) { return new Config(levels, k, maxIterations, tolerance, seed, threads, pcaDims, whiten); }
        public Config withMaxIterations(int i) { return new Config(levels, codebookSize, i, tolerance, seed, threads, pcaDims, whiten); }
        public Config withSeed(long s) { return new Config(levels, codebookSize, maxIterations, tolerance, s, threads, pcaDims, whiten); }
        public Config withThreads(int t) { return new Config(levels, codebookSize, maxIterations, tolerance, seed, t, pcaDims, whiten); }
        public Config withPca(int dims, boolean w) { return new Config(levels, codebookSize, maxIterations, tolerance, seed, threads, dims, w); }
    }

    /** How one level's k-means went. */
    public record LevelFit(int level, int iterations, double inertia, int emptyRepairs, double seconds) { }

    /**
     * @param codes   n x levels, coarse to fine
     * @param seconds wall time of the whole training
     */
    public record Result(Codebooks codebooks, int[][] codes, List<LevelFit> levels, double seconds) { }

    private RqKMeans() { }

    /** Trains on a flat row-major n x dim matrix; progress counts finished levels (PCA counts as one). */
    public static Result train(float[] data, int n, int dim, Config cfg, ProgressListener progress) {
        if (data.length != (long) n * dim) throw new IllegalArgumentException("data has " + data.length + " floats, expected " + n + " x " + dim);
        if (n < 1) throw new IllegalArgumentException("no vectors to quantize");
        if (cfg.pcaDims() > dim) throw new IllegalArgumentException("PCA dims " + cfg.pcaDims() + " exceed the vector dims " + dim);
        long start = System.nanoTime();
        int steps = cfg.levels() + (cfg.pcaDims() > 0 ? 1 : 0);
        int done = 0;
        progress.progress(0, steps);
        try (Parallel parallel = new Parallel(cfg.threads())) {
            Pca pca = null;
            if (cfg.pcaDims() > 0) {
                pca = Pca.fit(data, n, dim, cfg.pcaDims(), cfg.whiten(), parallel);
                progress.progress(++done, steps);
            }
            int wdim = pca == null ? dim : pca.outputDim();
            // the working-space residuals, built exactly as Codebooks.encode builds them
            float[] residual = new float[n * wdim];
            float[] row = new float[dim];
            for (int i = 0; i < n; i++) {
                System.arraycopy(data, i * dim, row, 0, dim);
                System.arraycopy(Codebooks.project(pca, row), 0, residual, i * wdim, wdim);
            }
            int[][] codes = new int[n][cfg.levels()];
            float[][] centroids = new float[cfg.levels()][];
            List<LevelFit> fits = new ArrayList<>();
            KMeans kmeans = new KMeans(cfg.codebookSize(), cfg.maxIterations(), cfg.tolerance(), parallel);
            for (int l = 0; l < cfg.levels(); l++) {
                long t0 = System.nanoTime();
                KMeans.Result r = kmeans.fit(residual, n, wdim, cfg.seed() * 1_000_003L + l);
                centroids[l] = r.centroids();
                for (int i = 0; i < n; i++) {
                    int c = r.assignment()[i];
                    codes[i][l] = c;
                    Codebooks.subtract(residual, i * wdim, r.centroids(), c * wdim, wdim);
                }
                fits.add(new LevelFit(l + 1, r.iterations(), r.inertia(), r.emptyRepairs(), (System.nanoTime() - t0) / 1e9));
                progress.progress(++done, steps);
            }
            Codebooks books = new Codebooks(pca, cfg.levels(), cfg.codebookSize(), wdim, centroids);
            return new Result(books, codes, List.copyOf(fits), (System.nanoTime() - start) / 1e9);
        }
    }
}
