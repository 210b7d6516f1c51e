package dev.sidflow.model.metrics;

import java.util.Map;
import java.util.TreeMap;

/**
 * Averaged ranking metrics over {@code count} cases.
 *
 * @param hr   HR@K (hit ratio = recall with one target) per K
 * @param ndcg NDCG@K per K
 */
public record MetricValues(int count, Map<Integer, Double> hr, Map<Integer, Double> ndcg) {
    public MetricValues {
        hr = Map.copyOf(hr);
        ndcg = Map.copyOf(ndcg);
    }

    public double hr(int k) { return require(hr, k); }
    public double ndcg(int k) { return require(ndcg, k); }

    private static double require(Map<Integer, Double> m, int k) {
        Double v = m.get(k);
        if (v == null) throw new IllegalArgumentException("metric not computed for K=" + k + " (have " + new TreeMap<>(m).keySet() + ")");
        return v;
    }
}
