package dev.sidflow.stream.kafka;

import dev.sidflow.data.Interaction;

import java.util.Map;
import java.util.Objects;

/** One canonical interaction read from JSONL, plus any extra scalar fields (e.g. rating) as attributes. */
public record SourceEvent(Interaction interaction, Map<String, String> attributes) {
    public SourceEvent {
        Objects.requireNonNull(interaction, "interaction");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
}
