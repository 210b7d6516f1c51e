package dev.sidflow.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.sidflow.model.Devices;

/**
 * This CPU's attainable fp32 matrix-multiply rate through the same engine the models use (DJL's
 * PyTorch): square n x n products repeated for a while, best rate over a few rounds.
 */
public final class MatmulPeak {
    private MatmulPeak() {}

    /** @return GFLOP/s (2 n^3 FLOPs per product) with {@code threads} PyTorch threads */
    public static double gflops(int n, int threads, double seconds) {
        Devices.cpuThreads(threads);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray a = m.randomUniform(-1, 1, new Shape(n, n));
            NDArray b = m.randomUniform(-1, 1, new Shape(n, n));
            a.matMul(b).close(); // warm-up: first call picks kernels
            double flops = 2.0 * n * n * n;
            double best = 0;
            long end = System.nanoTime() + (long) (seconds * 1e9);
            do {
                int reps = 0;
                long t0 = System.nanoTime();
                while (reps < 8 || System.nanoTime() - t0 < 200_000_000L) {
                    a.matMul(b).close();
                    reps++;
                }
                best = Math.max(best, reps * flops / (System.nanoTime() - t0));
            } while (System.nanoTime() < end);
            return best; // FLOPs per ns = GFLOP/s
        }
    }
}
