package dev.sidflow.quantize;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How well codebooks fit a set of vectors and how well their codes tell items apart.
 *
 * @param items            vectors measured
 * @param levels           per-level statistics
 * @param distinctCodes    distinct full code tuples
 * @param uniqueShare      share of items whose full code tuple no other item has
 * @param largestCollision most items sharing one code tuple (the dedup level must count that far)
 */
public record QuantizationReport(int items, int codebookSize, List<Level> levels, int distinctCodes,
                                 double uniqueShare, int largestCollision) {

    /**
     * @param level       1-based
     * @param codesUsed   distinct codes items use at this level
     * @param usage       codesUsed / codebook size
     * @param perplexity  exp(entropy) of the code distribution: the effective number of codes
     * @param relativeMse sum ||x - reconstruction from levels 1..level||^2 / sum ||x||^2, input space
     */
    public record Level(int level, int codesUsed, double usage, double perplexity, double relativeMse) { }

    /** Measures codebooks on vectors (flat row-major, input dimension) and their codes. */
    public static QuantizationReport of(Codebooks books, float[] data, int n, int[][] codes) {
        int in = books.inputDim();
        int levels = books.levels();
        double[] sqErr = new double[levels];
        double sqNorm = 0;
        for (int i = 0; i < n; i++) {
            int off = i * in;
            for (int d = 0; d < in; d++) sqNorm += (double) data[off + d] * data[off + d];
            for (int l = 1; l <= levels; l++) {
                float[] rec = books.reconstruct(codes[i], l);
                double e = 0;
                for (int d = 0; d < in; d++) {
                    double diff = data[off + d] - rec[d];
                    e += diff * diff;
                }
                sqErr[l - 1] += e;
            }
        }
        List<Level> stats = new ArrayList<>();
        for (int l = 0; l < levels; l++) {
            int[] counts = new int[books.size()];
            for (int[] c : codes) counts[c[l]]++;
            int used = 0;
            double entropy = 0;
            for (int c : counts) {
                if (c == 0) continue;
                used++;
                double p = (double) c / n;
                entropy -= p * Math.log(p);
            }
            stats.add(new Level(l + 1, used, (double) used / books.size(), Math.exp(entropy),
                    sqNorm > 0 ? sqErr[l] / sqNorm : 0));
        }
        Map<CodeKey, Integer> groups = new HashMap<>();
        for (int[] c : codes) groups.merge(new CodeKey(c), 1, Integer::sum);
        int unique = 0, largest = 0;
        for (int size : groups.values()) {
            if (size == 1) unique++;
            largest = Math.max(largest, size);
        }
        return new QuantizationReport(n, books.size(), List.copyOf(stats), groups.size(),
                n == 0 ? 0 : (double) unique / n, largest);
    }

    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "items %d, distinct code tuples %d, unique %.2f%%, largest collision group %d%n",
                items, distinctCodes, 100 * uniqueShare, largestCollision));
        sb.append("level  used/size   usage  perplexity  rel.MSE\n");
        for (Level l : levels) {
            sb.append(String.format(Locale.ROOT, "%5d  %4d/%-4d  %5.1f%%  %10.1f  %.4f%n",
                    l.level(), l.codesUsed(), codebookSize, 100 * l.usage(), l.perplexity(), l.relativeMse()));
        }
        return sb.toString();
    }

    private record CodeKey(int[] codes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof CodeKey k && java.util.Arrays.equals(codes, k.codes);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(codes);
        }
    }
}
