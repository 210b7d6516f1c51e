package dev.sidflow.stream.kafka;

import dev.sidflow.data.Interaction;
import dev.sidflow.data.Item;
import dev.sidflow.schema.CatalogItem;
import dev.sidflow.schema.EventType;
import dev.sidflow.schema.InteractionEvent;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** Canonical data set records -> the Avro records sidflow puts on its topics. */
public final class EventMapping {
    private static final Map<String, EventType> TYPES = Arrays.stream(EventType.values())
            .collect(Collectors.toMap(t -> t.name(), t -> t));

    private EventMapping() {}

    /**
     * A stable id for an interaction: the same (user, item, time, type) always gets the same id, so producing a
     * data set twice yields duplicates that downstream deduplication recognises, not new events.
     */
    public static String eventId(String userId, String itemId, long timestamp, String eventType) {
        String key = userId + '\u0000' + itemId + '\u0000' + timestamp + '\u0000' + eventType;
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }

    public static EventType eventType(String name) {
        EventType t = TYPES.get(name.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_'));
        if (t == null) {
            throw new IllegalArgumentException("unknown event type '" + name + "' (expected one of "
                    + Arrays.toString(EventType.values()) + ")");
        }
        return t;
    }

    public static InteractionEvent toEvent(SourceEvent source) {
        Interaction in = source.interaction();
        EventType type = eventType(in.eventType());
        return InteractionEvent.newBuilder()
                .setEventId(eventId(in.userId(), in.itemId(), in.timestamp(), type.name()))
                .setUserId(in.userId())
                .setItemId(in.itemId())
                .setEventType(type)
                .setEventTime(Instant.ofEpochMilli(in.timestamp()))
                .setQuery(null)
                .setAttributes(source.attributes())
                .build();
    }

    public static CatalogItem toCatalogItem(Item item, Instant updatedAt) {
        return CatalogItem.newBuilder()
                .setItemId(item.itemId())
                .setTitle(item.title())
                .setText(item.text())
                .setBrand(item.brand())
                .setCategories(item.categories())
                .setAttributes(item.attributes())
                .setUpdatedAt(updatedAt)
                .setDeleted(false)
                .build();
    }

    /**
     * Sorts into event-time order. The sort is stable, so events of one user with equal timestamps keep their
     * order in the file (which is chronological for data sets whose timestamps are synthetic).
     */
    public static List<SourceEvent> inEventTimeOrder(List<SourceEvent> events) {
        return events.stream().sorted(Comparator.comparingLong(e -> e.interaction().timestamp())).toList();
    }
}
