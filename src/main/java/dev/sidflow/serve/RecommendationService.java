package dev.sidflow.serve;

import dev.sidflow.schema.CatalogItem;
import dev.sidflow.schema.Recommendation;

import java.util.List;

/**
 * What the stream job's inference operator calls: a batch of requests in, one validated,
 * title-mapped recommendation per request out. Flink-free, so the same service runs offline,
 * in tests and inside operators. Not thread-safe: one instance per task slot.
 */
public interface RecommendationService extends AutoCloseable {

    /** One recommendation per request, in request order. */
    List<Recommendation> recommend(List<RecommendRequest> batch);

    /**
     * Checks a request beyond next-item against the live catalog before it is batched, and
     * returns it with its seed resolved to an item id.
     *
     * @throws BadRequest with the reason the stream job dead-letters it under
     */
    default RecommendRequest validate(RecommendRequest request) {
        if (request.isNextItem()) return request;
        throw new BadRequest(BadRequest.Reason.BAD_REQUEST, "this service answers next-item requests only, not "
                + request.query().describe());
    }

    /**
     * One recommendation per request, led by items an LLM proposed ({@code proposals}, parallel to
     * {@code batch}; null where the LLM gave no usable answer). Services that cannot validate
     * proposals ignore them and fall back to their own model.
     */
    default List<Recommendation> recommend(List<RecommendRequest> batch, List<dev.sidflow.serve.llm.LlmProposal> proposals) {
        return recommend(batch);
    }

    /** What happened to LLM proposals so far (all zero for services that ignore them). */
    default dev.sidflow.serve.llm.LlmOutcomes llmOutcomes() {
        return dev.sidflow.serve.llm.LlmOutcomes.NONE;
    }

    /** Applies a catalog change (new item, changed title, deletion) for later requests. */
    void onCatalogItem(CatalogItem item);

    String bundleVersion();

    /**
     * Items published so far at each title-match level 0..4 (index = level). Everything below 4 is
     * a SID the live catalog does not hold: the invalid-SID count, which must stay 0.
     */
    default long[] matchLevelCounts() {
        return new long[5];
    }

    @Override
    default void close() throws Exception {}
}
