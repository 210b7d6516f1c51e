package dev.sidflow.model;

import dev.sidflow.sid.SemanticId;
import java.util.List;

/**
 * A generative next-item recommender over semantic IDs: given users' recent histories it
 * generates the SIDs of the items they are likely to interact with next. Flink-free, batched.
 */
public interface Generator extends AutoCloseable {

    /**
     * Recommends up to {@code k} distinct valid items per history.
     *
     * @param histories one chronological SID history per user (oldest first); may be empty
     * @param k         items wanted per user
     * @param beam      beam width of the constrained beam search (raised to k when smaller)
     * @return per user, items best first; every SID is one the catalog's trie holds
     */
    List<List<ScoredSid>> recommend(List<List<SemanticId>> histories, int k, int beam);

    /** Whether {@link #recommendAndScore} is supported. */
    default boolean scoresCandidates() {
        return false;
    }

    /**
     * {@link #recommend}, plus this generator's log-probability of each given candidate SID per user
     * (e.g. the dense members' top items, so a fusion reads the generator's own score for them
     * instead of a guess).
     *
     * @param candidates per user, SIDs to score (need not be among the recommendations)
     * @throws UnsupportedOperationException when {@link #scoresCandidates} is false
     */
    default Generation recommendAndScore(List<List<SemanticId>> histories, int k, int beam, List<List<SemanticId>> candidates) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not score given candidates");
    }

    @Override
    default void close() {}
}
