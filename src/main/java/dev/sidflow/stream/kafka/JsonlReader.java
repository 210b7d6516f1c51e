package dev.sidflow.stream.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sidflow.data.Interaction;
import dev.sidflow.data.Item;
import dev.sidflow.schema.EventType;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the canonical data set's JSONL files: interactions ({@code {"userId","itemId","timestamp","eventType"}},
 * timestamp in epoch ms or ISO-8601) and items ({@code {"itemId","title","text","brand","categories","attributes"}}).
 * Blank lines are skipped; any bad line fails with the file name and line number.
 */
public final class JsonlReader {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> EVENT_FIELDS = Set.of("userId", "itemId", "timestamp", "eventType",
            "user_id", "item_id", "event_type", "event_time");
    private static final Set<String> ITEM_FIELDS = Set.of("itemId", "item_id", "title", "text", "brand",
            "categories", "attributes");

    private JsonlReader() {}

    /** A bad input line; the message names the file and line. */
    public static final class BadLineException extends IllegalArgumentException {
        public BadLineException(Path file, long line, String problem) {
            super(file == null ? problem : file + ":" + line + ": " + problem);
        }
    }

    /** Interaction events; every line must have a user, an item and a timestamp. */
    public static List<SourceEvent> readEvents(Path file) throws IOException {
        List<SourceEvent> events = new ArrayList<>();
        forEachObject(file, (node, line) -> events.add(event(node, file, line)));
        return events;
    }

    /**
     * What {@link #readInteractions} read: the interactions, and the lines it left out.
     *
     * @param requests REQUEST events (they ask for recommendations and add nothing to a history)
     * @param itemless other events without an item
     */
    public record InteractionLog(List<SourceEvent> events, long requests, long itemless) {}

    /**
     * The interactions of an event log as dumped from the events topic (docs/wire-format.md):
     * REQUEST events and events without an item are skipped and counted; any other bad line fails.
     */
    public static InteractionLog readInteractions(Path file) throws IOException {
        List<SourceEvent> events = new ArrayList<>();
        long[] skipped = new long[2];
        forEachObject(file, (node, line) -> {
            String type = text(node, file, line, false, "eventType", "event_type");
            if (EventType.REQUEST.name().equalsIgnoreCase(type)) {
                skipped[0]++;
            } else if (text(node, file, line, false, "itemId", "item_id") == null) {
                skipped[1]++;
            } else {
                events.add(event(node, file, line));
            }
        });
        return new InteractionLog(events, skipped[0], skipped[1]);
    }

    private static SourceEvent event(JsonNode node, Path file, long line) {
        String user = text(node, file, line, true, "userId", "user_id");
        String item = text(node, file, line, true, "itemId", "item_id");
        String type = text(node, file, line, false, "eventType", "event_type");
        long ts = timestamp(node, file, line);
        Map<String, String> extra = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!EVENT_FIELDS.contains(e.getKey()) && e.getValue().isValueNode() && !e.getValue().isNull()) {
                extra.put(e.getKey(), e.getValue().asText());
            }
        }
        return new SourceEvent(new Interaction(user, item, ts, type == null ? "VIEW" : type), extra);
    }

    public static List<Item> readItems(Path file) throws IOException {
        List<Item> items = new ArrayList<>();
        forEachObject(file, (node, line) -> items.add(item(node, file, line)));
        return items;
    }

    /** One canonical item line (e.g. a line of items.jsonl read by a Flink job); bad input throws with the reason. */
    public static Item parseItem(byte[] json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON: " + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (node == null || !node.isObject()) throw new IllegalArgumentException("expected a JSON object");
        return item(node, null, 0);
    }

    private static Item item(JsonNode node, Path file, long line) {
        String id = text(node, file, line, true, "itemId", "item_id");
        String title = text(node, file, line, true, "title");
        String text = text(node, file, line, false, "text");
        String brand = text(node, file, line, false, "brand");
        List<String> categories = new ArrayList<>();
        JsonNode cats = node.get("categories");
        if (cats != null && !cats.isNull()) {
            if (!cats.isArray()) throw new BadLineException(file, line, "\"categories\" must be an array of strings");
            cats.forEach(c -> categories.add(c.asText()));
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        JsonNode attrs = node.get("attributes");
        if (attrs != null && !attrs.isNull()) {
            if (!attrs.isObject()) throw new BadLineException(file, line, "\"attributes\" must be an object");
            attrs.fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
        }
        // other scalar fields (year, genre, ...) are attributes too
        node.fields().forEachRemaining(e -> {
            if (!ITEM_FIELDS.contains(e.getKey()) && e.getValue().isValueNode() && !e.getValue().isNull()) {
                attributes.putIfAbsent(e.getKey(), e.getValue().asText());
            }
        });
        return new Item(id, title, text, brand, categories, attributes);
    }

    private interface LineHandler {
        void accept(JsonNode node, long line);
    }

    private static void forEachObject(Path file, LineHandler handler) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            long line = 0;
            while ((text = r.readLine()) != null) {
                line++;
                if (text.isBlank()) continue;
                JsonNode node;
                try {
                    node = MAPPER.readTree(text);
                } catch (JsonProcessingException e) {
                    throw new BadLineException(file, line, "not valid JSON: " + e.getOriginalMessage());
                }
                if (node == null || !node.isObject()) throw new BadLineException(file, line, "expected a JSON object");
                handler.accept(node, line);
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("file not found: " + file);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IllegalArgumentException(file + ": not UTF-8 text");
        }
    }

    private static String text(JsonNode node, Path file, long line, boolean required, String... names) {
        for (String name : names) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) continue;
            if (!v.isValueNode()) throw new BadLineException(file, line, "\"" + name + "\" must be a string");
            String s = v.asText();
            if (required && s.isEmpty()) throw new BadLineException(file, line, "\"" + name + "\" is empty");
            return s;
        }
        if (required) throw new BadLineException(file, line, "missing \"" + names[0] + "\"");
        return null;
    }

    private static long timestamp(JsonNode node, Path file, long line) {
        JsonNode v = node.get("timestamp");
        if (v == null || v.isNull()) v = node.get("event_time");
        if (v == null || v.isNull()) throw new BadLineException(file, line, "missing \"timestamp\"");
        if (v.isIntegralNumber() && v.canConvertToLong()) return v.longValue();
        if (v.isTextual()) {
            String s = v.textValue().trim();
            try {
                return s.chars().allMatch(Character::isDigit) && !s.isEmpty() ? Long.parseLong(s) : Instant.parse(s).toEpochMilli();
            } catch (NumberFormatException | DateTimeParseException e) {
                // fall through to the error
            }
        }
        throw new BadLineException(file, line, "\"timestamp\" must be epoch milliseconds or an ISO-8601 instant, got " + v);
    }
}
