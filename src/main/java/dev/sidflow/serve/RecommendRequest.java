package dev.sidflow.serve;

import java.util.List;
import java.util.Objects;

/**
 * One request for next-item recommendations: the user's recent history at the moment an
 * accepted event arrived.
 *
 * @param requestKey   idempotency key of the triggering event
 * @param userId       user
 * @param history      the user's recent item ids, oldest first, including the triggering item
 * @param eventTime    event time of the triggering event (epoch ms)
 * @param ingestMillis wall-clock time the job accepted the event, for processing latency
 */
public record RecommendRequest(String requestKey, String userId, List<String> history,
                               long eventTime, long ingestMillis) {
    public RecommendRequest {
        Objects.requireNonNull(requestKey, "requestKey");
        Objects.requireNonNull(userId, "userId");
        history = List.copyOf(history);
    }
}
