package dev.sidflow.eval;

import dev.sidflow.model.metrics.LongTail;
import dev.sidflow.model.metrics.Scorer;
import dev.sidflow.model.metrics.TopKRecommender;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/** Baseline: the same ranking for everybody, by number of training interactions. */
public final class PopularityRecommender implements Scorer, TopKRecommender {
    private final float[] scores;
    private final int[] ranking;

    public PopularityRecommender(long[] popularity) {
        this.scores = new float[popularity.length];
        for (int i = 0; i < popularity.length; i++) scores[i] = popularity[i];
        this.ranking = IntStream.range(0, popularity.length).boxed()
                .sorted(Comparator.<Integer>comparingLong(i -> -popularity[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray();
    }

    public static PopularityRecommender fit(int numItems, List<List<Integer>> trainingSequences) {
        return new PopularityRecommender(LongTail.popularity(numItems, trainingSequences));
    }

    @Override public int numItems() { return scores.length; }

    @Override
    public float[][] scores(List<List<Integer>> histories) {
        float[][] out = new float[histories.size()][];
        for (int i = 0; i < out.length; i++) out[i] = scores.clone();
        return out;
    }

    @Override
    public List<int[]> recommend(List<List<Integer>> histories, int k) {
        int[] top = Arrays.copyOf(ranking, Math.min(k, ranking.length));
        List<int[]> out = new ArrayList<>(histories.size());
        for (int i = 0; i < histories.size(); i++) out.add(top.clone());
        return out;
    }
}
