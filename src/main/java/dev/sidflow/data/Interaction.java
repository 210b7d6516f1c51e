package dev.sidflow.data;

import java.util.Objects;

/**
 * One user-item interaction in the canonical data set.
 *
 * @param userId    user id
 * @param itemId    item id (present in the data set's catalog)
 * @param timestamp event time in epoch milliseconds; for sources without timestamps
 *                  (Amazon 2018 sequences) a synthetic, order-preserving value
 * @param eventType e.g. "PURCHASE", "RATE", "VIEW"
 */
public record Interaction(String userId, String itemId, long timestamp, String eventType) {
    public Interaction {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(itemId, "itemId");
        Objects.requireNonNull(eventType, "eventType");
    }
}
