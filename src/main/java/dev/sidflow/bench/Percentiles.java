package dev.sidflow.bench;

import java.util.Arrays;

/**
 * Nearest-rank percentiles of latency samples. Samples that never completed (a request still
 * waiting when the measurement ended) are {@link #MISSING}: they rank above every finished sample,
 * so a percentile that falls on them is reported as unknown rather than flattered.
 */
public final class Percentiles {
    /** A sample that did not finish within the measurement. */
    public static final long MISSING = Long.MAX_VALUE;

    private final long[] sorted;

    private Percentiles(long[] sorted) {
        this.sorted = sorted;
    }

    public static Percentiles of(long[] samples) {
        long[] s = samples.clone();
        Arrays.sort(s);
        return new Percentiles(s);
    }

    public int count() {
        return sorted.length;
    }

    /**
     * The nearest-rank q-quantile (0 < q <= 1): the smallest sample with at least q of all samples
     * at or below it. Empty: NaN; falls on a missing sample: +infinity.
     */
    public double quantile(double q) {
        if (q <= 0 || q > 1) throw new IllegalArgumentException("quantile must be in (0, 1]: " + q);
        if (sorted.length == 0) return Double.NaN;
        int rank = (int) Math.ceil(q * sorted.length);
        long v = sorted[Math.max(0, rank - 1)];
        return v == MISSING ? Double.POSITIVE_INFINITY : v;
    }

    public double mean() {
        long n = 0;
        double sum = 0;
        for (long v : sorted) {
            if (v == MISSING) continue;
            sum += v;
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
