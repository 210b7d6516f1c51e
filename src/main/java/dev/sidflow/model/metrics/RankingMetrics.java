package dev.sidflow.model.metrics;

import java.util.HashMap;
import java.util.Map;

/**
 * Accumulates HR@K and NDCG@K from 0-based ranks of the single target item.
 * With one relevant item, NDCG@K = 1/log2(rank+2) when rank &lt; K, else 0 (the ideal DCG is 1).
 */
public final class RankingMetrics {
    /** Rank value meaning "not in the list". */
    public static final int MISS = Integer.MAX_VALUE;

    private final int[] ks;
    private final double[] hitSum;
    private final double[] ndcgSum;
    private int count;

    public RankingMetrics(int... ks) {
        if (ks.length == 0) throw new IllegalArgumentException("need at least one K");
        for (int k : ks) if (k < 1) throw new IllegalArgumentException("K must be >= 1, got " + k);
        this.ks = ks.clone();
        this.hitSum = new double[ks.length];
        this.ndcgSum = new double[ks.length];
    }

    /** Adds one case whose target is at 0-based {@code rank} ({@link #MISS} when absent). */
    public void add(int rank) {
        if (rank < 0) throw new IllegalArgumentException("rank must be >= 0, got " + rank);
        count++;
        for (int i = 0; i < ks.length; i++) {
            if (rank < ks[i]) {
                hitSum[i] += 1.0;
                ndcgSum[i] += 1.0 / (Math.log(rank + 2.0) / Math.log(2.0));
            }
        }
    }

    public int count() { return count; }

    public MetricValues values() {
        Map<Integer, Double> hr = new HashMap<>();
        Map<Integer, Double> ndcg = new HashMap<>();
        for (int i = 0; i < ks.length; i++) {
            hr.put(ks[i], count == 0 ? 0.0 : hitSum[i] / count);
            ndcg.put(ks[i], count == 0 ? 0.0 : ndcgSum[i] / count);
        }
        return new MetricValues(count, hr, ndcg);
    }

    /**
     * 0-based rank of {@code target} in a dense score row: the number of items scored strictly
     * higher, plus — to stay honest with constant scorers — the number of items with an equal score
     * and a smaller index (ties broken against the target's luck only by item order, deterministically).
     * Items with score {@code -Infinity} never outrank anything they tie with.
     */
    public static int rankOf(float[] scores, int target) {
        float t = scores[target];
        int rank = 0;
        for (int i = 0; i < scores.length; i++) {
            float s = scores[i];
            if (s > t || (s == t && i < target && s != Float.NEGATIVE_INFINITY)) rank++;
        }
        return rank;
    }

    /** 0-based position of {@code target} in a ranked list, or {@link #MISS}. */
    public static int rankOf(int[] rankedList, int target) {
        for (int i = 0; i < rankedList.length; i++) if (rankedList[i] == target) return i;
        return MISS;
    }
}
