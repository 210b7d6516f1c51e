package dev.sidflow.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sidflow.data.Interaction;
import dev.sidflow.schema.InteractionEvent;
import dev.sidflow.stream.kafka.EventMapping;
import dev.sidflow.stream.kafka.SourceEvent;

import java.util.Map;

/**
 * Decodes one line of a canonical data set's {@code interactions.jsonl}
 * ({@code {"userId","itemId","timestamp","eventType"}}) into an event, with the same
 * deterministic event id {@code sidflow produce} gives it. Lets a replay read an imported data set
 * (e.g. MovieLens with its real timestamps) directly.
 */
public final class CanonicalInteractionDecoder implements RecordDecoder<InteractionEvent> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public InteractionEvent decode(byte[] bytes) throws Exception {
        JsonNode n = JSON.readTree(bytes);
        if (n == null || !n.isObject()) throw new IllegalArgumentException("expected a JSON object");
        Interaction in = new Interaction(text(n, "userId"), text(n, "itemId"), n.path("timestamp").asLong(Long.MIN_VALUE),
                n.hasNonNull("eventType") ? n.get("eventType").asText() : "VIEW");
        if (in.timestamp() == Long.MIN_VALUE) throw new IllegalArgumentException("missing \"timestamp\"");
        return EventMapping.toEvent(new SourceEvent(in, Map.of()));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) throw new IllegalArgumentException("missing \"" + field + "\"");
        return v.asText();
    }
}
