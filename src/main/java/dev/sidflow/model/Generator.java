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

    @Override
    default void close() {}
}
