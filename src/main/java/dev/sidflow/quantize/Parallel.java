package dev.sidflow.quantize;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs a loop body over [0, n) split into contiguous chunks on a few daemon threads. */
final class Parallel implements AutoCloseable {
    @FunctionalInterface
    interface RangeBody {
        void run(int from, int to);
    }

    private final int threads;
    private final ExecutorService pool;

    Parallel(int threads) {
        this.threads = Math.max(1, threads);
        this.pool = this.threads == 1 ? null : Executors.newFixedThreadPool(this.threads, r -> {
            Thread t = new Thread(r, "quantize-worker");
            t.setDaemon(true);
            return t;
        });
    }

    int threads() { return threads; }

    void forRange(int n, RangeBody body) {
        if (pool == null || n < 2 * threads) {
            body.run(0, n);
            return;
        }
        int chunk = (n + threads - 1) / threads;
        List<Future<?>> futures = new ArrayList<>(threads);
        for (int from = 0; from < n; from += chunk) {
            int f = from, t = Math.min(n, from + chunk);
            futures.add(pool.submit(() -> body.run(f, t)));
        }
        try {
            for (Future<?> fu : futures) fu.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) throw re;
            if (c instanceof Error er) throw er;
            throw new IllegalStateException(c);
        }
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
