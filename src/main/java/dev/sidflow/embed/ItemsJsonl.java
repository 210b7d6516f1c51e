package dev.sidflow.embed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sidflow.data.Item;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a catalog's {@code items.jsonl}: one JSON object per line with itemId, title and optional
 * text, brand, categories (array) and attributes (object). Errors name the file and line.
 */
public final class ItemsJsonl {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ItemsJsonl() { }

    public static List<Item> read(Path file) throws IOException {
        List<Item> items = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                Item item = parse(line, file, lineNo);
                if (!seen.add(item.itemId())) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": duplicate itemId " + item.itemId());
                }
                items.add(item);
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + file);
        }
        return items;
    }

    private static Item parse(String line, Path file, int lineNo) {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ":" + lineNo + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) throw new IllegalArgumentException(file + ":" + lineNo + ": expected a JSON object");
        String id = text(n, "itemId");
        String title = text(n, "title");
        if (id == null || id.isBlank()) throw new IllegalArgumentException(file + ":" + lineNo + ": missing itemId");
        if (title == null) throw new IllegalArgumentException(file + ":" + lineNo + ": item " + id + " has no title");
        List<String> categories = new ArrayList<>();
        JsonNode cats = n.get("categories");
        if (cats != null && !cats.isNull()) {
            if (!cats.isArray()) throw new IllegalArgumentException(file + ":" + lineNo + ": categories must be an array");
            cats.forEach(c -> categories.add(c.asText()));
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        JsonNode attrs = n.get("attributes");
        if (attrs != null && !attrs.isNull()) {
            if (!attrs.isObject()) throw new IllegalArgumentException(file + ":" + lineNo + ": attributes must be an object");
            attrs.fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
        }
        return new Item(id, title, text(n, "text"), text(n, "brand"), categories, attributes);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
