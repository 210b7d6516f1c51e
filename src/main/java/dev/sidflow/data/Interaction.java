package dev.sidflow.data;

import java.util.Objects;
import java.util.Set;

/**
 * One user-item interaction in the canonical data set.
 *
 * @param userId    user id
 * @param itemId    item id (present in the data set's catalog)
 * @param timestamp event time in epoch milliseconds; for sources without timestamps
 *                  (Amazon 2018 sequences) a synthetic, order-preserving value
 * @param eventType one of {@link #EVENT_TYPES}, e.g. "PURCHASE", "RATE", "VIEW"
 */
public record Interaction(String userId, String itemId, long timestamp, String eventType) {
    /** The event types of the Avro InteractionEvent schema that denote an item interaction. */
    public static final Set<String> EVENT_TYPES =
            Set.of("VIEW", "CLICK", "ADD_TO_CART", "PURCHASE", "RATE", "REVIEW");

    public Interaction {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(itemId, "itemId");
        Objects.requireNonNull(eventType, "eventType");
    }
}
