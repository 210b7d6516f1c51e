package dev.sidflow.model.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A recommender that only produces ranked lists (e.g. a generative model decoding top-k items by
 * beam search). Items are dense indices; a list may be shorter than {@code k}.
 */
public interface TopKRecommender {
    /** Best item first, at most {@code k} distinct items per history. */
    List<int[]> recommend(List<List<Integer>> histories, int k);

    /**
     * This recommender as the stream serves it: the items of the user's last {@code recent}
     * history entries (the rolling history the stream keeps) never appear in an answer. It asks for
     * enough more items that {@code k} remain, and drops them whatever the target is.
     */
    default TopKRecommender droppingRecent(int recent) {
        if (recent < 0) throw new IllegalArgumentException("recent must be >= 0: " + recent);
        TopKRecommender inner = this;
        return (histories, k) -> {
            int most = 0;
            List<Set<Integer>> dropped = new ArrayList<>(histories.size());
            for (List<Integer> h : histories) {
                Set<Integer> d = new HashSet<>(h.subList(Math.max(0, h.size() - recent), h.size()));
                dropped.add(d);
                most = Math.max(most, d.size());
            }
            List<int[]> lists = inner.recommend(histories, k + most);
            List<int[]> out = new ArrayList<>(lists.size());
            for (int i = 0; i < lists.size(); i++) {
                Set<Integer> d = dropped.get(i);
                out.add(Arrays.stream(lists.get(i)).filter(x -> !d.contains(x)).limit(k).toArray());
            }
            return out;
        };
    }
}
