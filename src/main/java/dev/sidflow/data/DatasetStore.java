package dev.sidflow.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the canonical data set directory:
 * <ul>
 *   <li>{@code dataset.json}: format, version, name, source, counts, syntheticTimestamps, created;</li>
 *   <li>{@code items.jsonl}: one item per line (itemId, title, text, brand, categories, attributes;
 *       null text/brand and empty collections are left out);</li>
 *   <li>{@code interactions.jsonl}: one interaction per line (userId, itemId, timestamp, eventType),
 *       in event-time order.</li>
 * </ul>
 * JSON Lines so that other tools can stream it and a bad row can be reported by line. Written with
 * Jackson's streaming API: a few hundred thousand rows take well under a few seconds.
 */
public final class DatasetStore {
    public static final String MANIFEST = "dataset.json";
    public static final String ITEMS = "items.jsonl";
    public static final String INTERACTIONS = "interactions.jsonl";

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(JSON);

    private DatasetStore() {}

    /** True when the directory holds a canonical data set (has a dataset.json of our format). */
    public static boolean isDatasetDir(Path dir) {
        return Files.isRegularFile(dir.resolve(MANIFEST)) && Files.isRegularFile(dir.resolve(ITEMS))
                && Files.isRegularFile(dir.resolve(INTERACTIONS));
    }

    /** Writes the data set into {@code dir} (created if needed), replacing the three files. */
    public static DatasetManifest write(Dataset dataset, Path dir) throws IOException {
        Files.createDirectories(dir);
        writeAtomically(dir.resolve(ITEMS), gen -> {
            for (Item item : dataset.items()) writeItem(gen, item);
        });
        writeAtomically(dir.resolve(INTERACTIONS), gen -> {
            for (Interaction in : dataset.interactions()) {
                gen.writeStartObject();
                gen.writeStringField("userId", in.userId());
                gen.writeStringField("itemId", in.itemId());
                gen.writeNumberField("timestamp", in.timestamp());
                gen.writeStringField("eventType", in.eventType());
                gen.writeEndObject();
                gen.writeRaw('\n');
            }
        });
        DatasetManifest manifest = new DatasetManifest(dataset.name(), dataset.source(), dataset.userCount(),
                dataset.items().size(), dataset.interactions().size(), dataset.syntheticTimestamps(),
                Instant.now().toString());
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", DatasetManifest.FORMAT);
        root.put("version", DatasetManifest.VERSION);
        root.put("name", manifest.name());
        root.put("source", manifest.source());
        ObjectNode counts = root.putObject("counts");
        counts.put("users", manifest.users());
        counts.put("items", manifest.items());
        counts.put("interactions", manifest.interactions());
        root.put("syntheticTimestamps", manifest.syntheticTimestamps());
        root.put("created", manifest.created());
        Path tmp = dir.resolve(MANIFEST + ".tmp");
        MAPPER.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
        Files.move(tmp, dir.resolve(MANIFEST), StandardCopyOption.REPLACE_EXISTING);
        return manifest;
    }

    /** Writes items in the items.jsonl format {@code ItemsJsonl} reads (e.g. a model bundle's copy of its catalog). */
    public static void writeItems(List<Item> items, Path file) throws IOException {
        writeAtomically(file, gen -> {
            for (Item item : items) writeItem(gen, item);
        });
    }

    private static void writeItem(JsonGenerator gen, Item item) throws IOException {
        gen.writeStartObject();
        gen.writeStringField("itemId", item.itemId());
        gen.writeStringField("title", item.title());
        if (item.text() != null) gen.writeStringField("text", item.text());
        if (item.brand() != null) gen.writeStringField("brand", item.brand());
        if (!item.categories().isEmpty()) {
            gen.writeArrayFieldStart("categories");
            for (String c : item.categories()) gen.writeString(c);
            gen.writeEndArray();
        }
        if (!item.attributes().isEmpty()) {
            gen.writeObjectFieldStart("attributes");
            // sorted keys: the same item always gives the same bytes
            for (Map.Entry<String, String> e : item.attributes().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey()).toList()) {
                gen.writeStringField(e.getKey(), e.getValue());
            }
            gen.writeEndObject();
        }
        gen.writeEndObject();
        gen.writeRaw('\n');
    }

    private interface Rows {
        void write(JsonGenerator gen) throws IOException;
    }

    private static void writeAtomically(Path file, Rows rows) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
             JsonGenerator gen = JSON.createGenerator(w)) {
            gen.setRootValueSeparator(null); // we separate rows with '\n' ourselves
            rows.write(gen);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Reads only {@code dataset.json}. */
    public static DatasetManifest readManifest(Path dir) throws IOException {
        Path file = dir.resolve(MANIFEST);
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new DataFormatException(file, "missing: not a sidflow data set directory");
        } catch (JsonProcessingException e) {
            throw new DataFormatException(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    "invalid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || !DatasetManifest.FORMAT.equals(root.path("format").asText())) {
            throw new DataFormatException(file, "not a sidflow data set manifest (format must be \""
                    + DatasetManifest.FORMAT + "\")");
        }
        int version = root.path("version").asInt(-1);
        if (version != DatasetManifest.VERSION) {
            throw new DataFormatException(file, "unsupported version " + version + " (expected "
                    + DatasetManifest.VERSION + ")");
        }
        JsonNode counts = root.path("counts");
        return new DatasetManifest(root.path("name").asText(dir.getFileName().toString()),
                root.path("source").asText(""), counts.path("users").asInt(-1), counts.path("items").asInt(-1),
                counts.path("interactions").asInt(-1), root.path("syntheticTimestamps").asBoolean(false),
                root.path("created").asText(""));
    }

    /** Reads a canonical data set; malformed rows are reported as {@code file:line: problem}. */
    public static Dataset read(Path dir) throws IOException {
        DatasetManifest manifest = readManifest(dir);
        List<Item> items = readItems(dir.resolve(ITEMS));
        Map<String, String> itemIds = new HashMap<>(items.size() * 2);
        for (Item item : items) itemIds.put(item.itemId(), item.itemId());
        List<Interaction> interactions = readInteractions(dir.resolve(INTERACTIONS), itemIds);
        checkCount(dir, "items", manifest.items(), items.size());
        checkCount(dir, "interactions", manifest.interactions(), interactions.size());
        try {
            return new Dataset(manifest.name(), manifest.source(), items, interactions, manifest.syntheticTimestamps());
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(dir.resolve(ITEMS), e.getMessage());
        }
    }

    private static void checkCount(Path dir, String what, int declared, int actual) {
        if (declared >= 0 && declared != actual) {
            throw new DataFormatException(dir.resolve(MANIFEST), "declares " + declared + " " + what
                    + " but the files hold " + actual + " (truncated copy?)");
        }
    }

    private static List<Item> readItems(Path file) throws IOException {
        List<Item> items = new ArrayList<>();
        forEachRow(file, (p, line) -> {
            String itemId = null, title = null, text = null, brand = null;
            List<String> categories = List.of();
            Map<String, String> attributes = Map.of();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "itemId" -> itemId = scalar(p, t, file, line, field);
                    case "title" -> title = scalar(p, t, file, line, field);
                    case "text" -> text = scalar(p, t, file, line, field);
                    case "brand" -> brand = scalar(p, t, file, line, field);
                    case "categories" -> categories = stringArray(p, t, file, line, field);
                    case "attributes" -> attributes = stringMap(p, t, file, line, field);
                    default -> p.skipChildren();
                }
            }
            if (itemId == null) throw new DataFormatException(file, line, "missing \"itemId\"");
            if (title == null) throw new DataFormatException(file, line, "missing \"title\"");
            items.add(new Item(itemId, title, text, brand, categories, attributes));
        });
        return items;
    }

    private static List<Interaction> readInteractions(Path file, Map<String, String> itemIds) throws IOException {
        List<Interaction> out = new ArrayList<>();
        Map<String, String> users = new HashMap<>();     // one String per user id, not one per row
        Map<String, String> types = new HashMap<>();
        forEachRow(file, (p, line) -> {
            String userId = null, itemId = null, eventType = null;
            long timestamp = Long.MIN_VALUE;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "userId" -> userId = scalar(p, t, file, line, field);
                    case "itemId" -> itemId = scalar(p, t, file, line, field);
                    case "eventType" -> eventType = scalar(p, t, file, line, field);
                    case "timestamp" -> {
                        if (t != JsonToken.VALUE_NUMBER_INT) {
                            throw new DataFormatException(file, line, "\"timestamp\" must be an integer (epoch ms)");
                        }
                        timestamp = p.getLongValue();
                    }
                    default -> p.skipChildren();
                }
            }
            if (userId == null) throw new DataFormatException(file, line, "missing \"userId\"");
            if (itemId == null) throw new DataFormatException(file, line, "missing \"itemId\"");
            if (timestamp == Long.MIN_VALUE) throw new DataFormatException(file, line, "missing \"timestamp\"");
            if (eventType == null) throw new DataFormatException(file, line, "missing \"eventType\"");
            String knownItem = itemIds.get(itemId);
            if (knownItem == null) {
                throw new DataFormatException(file, line, "item \"" + itemId + "\" is not in " + ITEMS);
            }
            if (!Interaction.EVENT_TYPES.contains(eventType)) {
                throw new DataFormatException(file, line, "unknown eventType \"" + eventType + "\", expected one of "
                        + Interaction.EVENT_TYPES);
            }
            out.add(new Interaction(users.computeIfAbsent(userId, u -> u), knownItem, timestamp,
                    types.computeIfAbsent(eventType, e -> e)));
        });
        return out;
    }

    interface RowHandler {
        /** Called with the parser positioned on the row's START_OBJECT. */
        void row(JsonParser p, long line) throws IOException;
    }

    /**
     * Calls the handler for every row, each a JSON object on its own line; wraps parse errors with
     * file:line. One streaming parser over the whole file (no per-line parser or String), which
     * makes reading several times faster than parsing line by line.
     */
    static void forEachRow(Path file, RowHandler handler) throws IOException {
        if (!Files.isRegularFile(file)) throw new DataFormatException(file, "missing file");
        long line = 0;          // line of the row being read, 0 between rows
        long previousLine = 0;
        try (JsonParser p = JSON.createParser(Files.newBufferedReader(file, StandardCharsets.UTF_8))) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                long start = p.currentTokenLocation().getLineNr();
                if (t != JsonToken.START_OBJECT) throw new DataFormatException(file, start, "expected a JSON object");
                if (start == previousLine) {
                    throw new DataFormatException(file, start, "more than one JSON object on the line");
                }
                line = start;
                handler.row(p, line);
                previousLine = p.currentLocation().getLineNr();
                if (previousLine != line) {
                    throw new DataFormatException(file, line, "row does not end on its line (one JSON object per line)");
                }
                line = 0;
            }
        } catch (JsonProcessingException e) {
            // inside a row, blame the row's line: an unclosed object makes the parser fail lines later
            long at = line > 0 ? line : e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new DataFormatException(file, at, "invalid JSON: " + e.getOriginalMessage());
        }
    }

    /** A string (or number, for ids written as numbers) field value; null for JSON null. */
    static String scalar(JsonParser p, JsonToken t, Path file, long line, String field) throws IOException {
        return switch (t) {
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> p.getText();
            case VALUE_NULL -> null;
            default -> throw new DataFormatException(file, line, "\"" + field + "\" must be a string");
        };
    }

    static List<String> stringArray(JsonParser p, JsonToken t, Path file, long line, String field) throws IOException {
        if (t == JsonToken.VALUE_NULL) return List.of();
        if (t == JsonToken.VALUE_STRING) return List.of(p.getText()); // a single category
        if (t != JsonToken.START_ARRAY) {
            throw new DataFormatException(file, line, "\"" + field + "\" must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            String v = scalar(p, e, file, line, field + "[]");
            if (v != null) out.add(v);
        }
        return out;
    }

    static Map<String, String> stringMap(JsonParser p, JsonToken t, Path file, long line, String field) throws IOException {
        if (t == JsonToken.VALUE_NULL) return Map.of();
        if (t != JsonToken.START_OBJECT) {
            throw new DataFormatException(file, line, "\"" + field + "\" must be an object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            String v = scalar(p, p.nextToken(), file, line, field + "." + key);
            if (v != null) out.put(key, v);
        }
        return out;
    }
}
