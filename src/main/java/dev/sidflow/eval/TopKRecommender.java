package dev.sidflow.eval;

import java.util.List;

/**
 * A recommender that only produces ranked lists (e.g. a generative model decoding top-k items by
 * beam search). Items are dense indices; a list may be shorter than {@code k}.
 */
public interface TopKRecommender {
    /** Best item first, at most {@code k} distinct items per history. */
    List<int[]> recommend(List<List<Integer>> histories, int k);
}
