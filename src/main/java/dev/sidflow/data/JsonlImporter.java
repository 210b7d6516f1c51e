package dev.sidflow.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Generic JSON Lines: {@code items.jsonl} plus {@code events.jsonl} (or {@code interactions.jsonl}),
 * one object per line, for catalogs and logs exported from any system.
 * <ul>
 *   <li>items: {@code itemId} (or {@code item_id}, {@code id}), {@code title} (or {@code name}),
 *       optional {@code text}/{@code description}, {@code brand}, {@code categories} (array or one
 *       string; also {@code category}), {@code attributes} (object of strings);</li>
 *   <li>events: {@code userId}/{@code user_id}, {@code itemId}/{@code item_id}, a time in
 *       {@code timestamp}/{@code event_time}/{@code eventTime} that is epoch milliseconds (number
 *       or digits) or ISO-8601 (offset optional, UTC assumed; a bare date is midnight UTC), and
 *       optional {@code eventType}/{@code event_type} (default {@code VIEW}, case-insensitive).</li>
 * </ul>
 * Titles, text and brands are HTML-unescaped. Unknown fields are ignored.
 */
public final class JsonlImporter implements DatasetImporter {
    public static final String ITEMS = "items.jsonl";
    public static final String EVENTS = "events.jsonl";

    /** The events file in {@code dir}: events.jsonl, else interactions.jsonl; null when neither. */
    static Path eventsFile(Path dir) {
        Path events = dir.resolve(EVENTS);
        if (Files.isRegularFile(events)) return events;
        Path interactions = dir.resolve(DatasetStore.INTERACTIONS);
        return Files.isRegularFile(interactions) ? interactions : null;
    }

    @Override
    public Dataset load(Path dir) throws IOException {
        DatasetImporter.requireDirectory(dir);
        Path itemsFile = DatasetImporter.requireFile(dir, ITEMS, "jsonl");
        Path eventsFile = eventsFile(dir);
        if (eventsFile == null) throw new DataFormatException(dir.resolve(EVENTS), "missing (the jsonl format needs it)");
        Map<String, Item> items = readItems(itemsFile);
        List<Interaction> interactions = readEvents(eventsFile, items);
        String name = dir.toAbsolutePath().normalize().getFileName().toString();
        return new Dataset(name, "jsonl:" + dir.toAbsolutePath().normalize(), new ArrayList<>(items.values()),
                interactions, false);
    }

    private static Map<String, Item> readItems(Path file) throws IOException {
        Map<String, Item> items = new LinkedHashMap<>();
        DatasetStore.forEachRow(file, (p, line) -> {
            String id = null, title = null, text = null, brand = null;
            List<String> categories = List.of();
            Map<String, String> attributes = Map.of();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "itemId", "item_id", "id" -> id = DatasetStore.scalar(p, t, file, line, field);
                    case "title", "name" -> title = DatasetStore.scalar(p, t, file, line, field);
                    case "text", "description" -> text = DatasetStore.scalar(p, t, file, line, field);
                    case "brand" -> brand = DatasetStore.scalar(p, t, file, line, field);
                    case "categories", "category" -> categories = DatasetStore.stringArray(p, t, file, line, field);
                    case "attributes" -> attributes = DatasetStore.stringMap(p, t, file, line, field);
                    default -> p.skipChildren();
                }
            }
            if (id == null || id.isBlank()) throw new DataFormatException(file, line, "missing \"itemId\" (or \"item_id\")");
            if (title == null) throw new DataFormatException(file, line, "missing \"title\"");
            Item item = new Item(id, HtmlEntities.unescape(title.strip()), HtmlEntities.unescape(text),
                    HtmlEntities.unescape(brand), categories, attributes);
            if (items.putIfAbsent(id, item) != null) throw new DataFormatException(file, line, "duplicate item id " + id);
        });
        return items;
    }

    private static List<Interaction> readEvents(Path file, Map<String, Item> items) throws IOException {
        List<Interaction> out = new ArrayList<>();
        Map<String, String> users = new HashMap<>();
        DatasetStore.forEachRow(file, (p, line) -> {
            String user = null, itemId = null, type = "VIEW";
            Long time = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "userId", "user_id" -> user = DatasetStore.scalar(p, t, file, line, field);
                    case "itemId", "item_id" -> itemId = DatasetStore.scalar(p, t, file, line, field);
                    case "eventType", "event_type" -> {
                        String v = DatasetStore.scalar(p, t, file, line, field);
                        if (v != null) type = v.trim().toUpperCase(Locale.ROOT);
                    }
                    case "timestamp", "event_time", "eventTime" -> time = time(p, t, file, line, field);
                    default -> p.skipChildren();
                }
            }
            if (user == null || user.isBlank()) throw new DataFormatException(file, line, "missing \"userId\" (or \"user_id\")");
            if (itemId == null) throw new DataFormatException(file, line, "missing \"itemId\" (or \"item_id\")");
            if (time == null) {
                throw new DataFormatException(file, line, "missing \"timestamp\" (or \"event_time\"): epoch ms or ISO-8601");
            }
            Item item = items.get(itemId);
            if (item == null) throw new DataFormatException(file, line, "item \"" + itemId + "\" is not in " + ITEMS);
            if (!Interaction.EVENT_TYPES.contains(type)) {
                throw new DataFormatException(file, line, "unknown event type \"" + type + "\", expected one of "
                        + Interaction.EVENT_TYPES);
            }
            out.add(new Interaction(users.computeIfAbsent(user, u -> u), item.itemId(), time, type));
        });
        return out;
    }

    private static long time(JsonParser p, JsonToken t, Path file, long line, String field) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) return p.getLongValue();
        if (t != JsonToken.VALUE_STRING) {
            throw new DataFormatException(file, line, "\"" + field + "\" must be epoch ms or an ISO-8601 string");
        }
        String s = p.getText().trim();
        try {
            return parseTime(s);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new DataFormatException(file, line, "\"" + field + "\": cannot read \"" + s
                    + "\" as epoch ms or ISO-8601 (e.g. 2018-06-01T12:00:00Z)");
        }
    }

    /** Epoch ms from digits or an ISO-8601 instant, date-time (UTC when no offset) or date. */
    static long parseTime(String s) {
        if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) return Long.parseLong(s);
        if (s.length() == 10) return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        try {
            return OffsetDateTime.parse(s).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(s).toEpochMilli();
            } catch (DateTimeParseException e2) {
                return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC).toEpochMilli();
            }
        }
    }
}
