package dev.sidflow.serve;

import java.util.List;

/**
 * A batched next-item recommender. Implementations are not required to be thread-safe: the
 * stream job holds one instance per task slot, offline evaluation one per thread.
 */
public interface Recommender extends AutoCloseable {

    /**
     * Candidates for each request, best first, at most {@code k} each (possibly fewer).
     * The result has one list per request, in request order.
     */
    List<List<Candidate>> recommend(List<RecommendRequest> requests, int k);

    /** Version of the model bundle that makes the recommendations. */
    String bundleVersion();

    /** A new catalog item got a SID online (cold start); models that can score it should start now. */
    default void itemAdded(String itemId, dev.sidflow.sid.SemanticId sid, dev.sidflow.schema.CatalogItem item) {}

    /** A catalog item was deleted. */
    default void itemRemoved(String itemId) {}

    @Override
    default void close() {}
}
