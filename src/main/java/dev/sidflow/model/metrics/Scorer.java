package dev.sidflow.model.metrics;

import java.util.List;

/**
 * A recommender that gives a dense score to every catalog item (higher = more relevant).
 * Items are dense indices {@code 0..numItems()-1}; histories are chronological.
 */
public interface Scorer {
    int numItems();

    /** One row of {@link #numItems()} scores per history. */
    float[][] scores(List<List<Integer>> histories);
}
