package dev.sidflow.serve;

import java.util.List;
import java.util.Objects;

/**
 * One request for recommendations: the user's recent history at the moment an accepted event
 * arrived, and what the request asks for ({@link Query}; {@link Query#NEXT_ITEM} by default).
 *
 * @param requestKey   idempotency key of the triggering event
 * @param userId       user
 * @param history      the user's recent item ids, oldest first, including the triggering item
 * @param eventTime    event time of the triggering event (epoch ms)
 * @param ingestMillis wall-clock time the job accepted the event, for processing latency
 * @param query        the request kind and its parameters (session already applied)
 */
public record RecommendRequest(String requestKey, String userId, List<String> history,
                               long eventTime, long ingestMillis, Query query) {
    public RecommendRequest {
        Objects.requireNonNull(requestKey, "requestKey");
        Objects.requireNonNull(userId, "userId");
        history = List.copyOf(history);
        if (query == null) query = Query.NEXT_ITEM;
    }

    /** A next-item request. */
    public RecommendRequest(String requestKey, String userId, List<String> history, long eventTime, long ingestMillis) {
        this(requestKey, userId, history, eventTime, ingestMillis, Query.NEXT_ITEM);
    }

    /** True for the plain next-item request every accepted event makes. */
    public boolean isNextItem() {
        return query.kind() == Query.Kind.NEXT;
    }

    public RecommendRequest withQuery(Query q) {
        return new RecommendRequest(requestKey, userId, history, eventTime, ingestMillis, q);
    }
}
