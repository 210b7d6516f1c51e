package dev.sidflow.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The Amazon 2018 JSON pair used for the Office set (and other categories in that release):
 * <ul>
 *   <li>{@code <Name>.item.json}: {@code {"item_id": {"title": ..., "description": ..., "brand": ...}}},
 *       description becomes the item text (a list of paragraphs is joined);</li>
 *   <li>{@code <Name>.inter.json}: {@code {"user_id": [item_id, ... oldest first]}}.</li>
 * </ul>
 * No timestamps in the source: they are synthesised with {@link SyntheticTimestamps}; every
 * interaction is a {@code REVIEW}. Parsed with Jackson's streaming API, so errors carry the line.
 */
public final class AmazonJsonImporter implements DatasetImporter {
    public static final String ITEM_SUFFIX = ".item.json";
    public static final String INTER_SUFFIX = ".inter.json";

    private static final JsonFactory JSON = new JsonFactory();

    /** The data set name (the files' common prefix) of an Amazon JSON pair in {@code dir}, or null. */
    static String prefix(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return null;
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(ITEM_SUFFIX)).sorted().toList();
            for (String n : names) {
                String prefix = n.substring(0, n.length() - ITEM_SUFFIX.length());
                if (Files.isRegularFile(dir.resolve(prefix + INTER_SUFFIX))) return prefix;
            }
        }
        return null;
    }

    @Override
    public Dataset load(Path dir) throws IOException {
        DatasetImporter.requireDirectory(dir);
        String prefix = prefix(dir);
        if (prefix == null) {
            throw new DataFormatException(dir, "no <Name>" + ITEM_SUFFIX + " with a matching <Name>" + INTER_SUFFIX
                    + " (the amazon-json format needs both)");
        }
        Path itemFile = dir.resolve(prefix + ITEM_SUFFIX);
        Path interFile = dir.resolve(prefix + INTER_SUFFIX);
        Map<String, Item> items = readItems(itemFile);
        List<Interaction> interactions = readInteractions(interFile, items);
        return new Dataset(prefix, "amazon-json:" + dir.toAbsolutePath().normalize(),
                new ArrayList<>(items.values()), interactions, true);
    }

    private static DataFormatException error(Path file, JsonParser p, String problem) {
        return new DataFormatException(file, p.currentLocation().getLineNr(), problem);
    }

    private static Map<String, Item> readItems(Path file) throws IOException {
        Map<String, Item> items = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw error(file, p, "expected a JSON object {item_id: {...}}");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String id = p.currentName();
                long line = p.currentLocation().getLineNr();
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw error(file, p, "item \"" + id + "\": expected an object {title, description, brand}");
                }
                String title = null, text = null, brand = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken t = p.nextToken();
                    switch (field) {
                        case "title" -> title = text(file, p, t, field);
                        case "description" -> text = text(file, p, t, field);
                        case "brand" -> brand = text(file, p, t, field);
                        default -> p.skipChildren();
                    }
                }
                if (title == null || title.isBlank()) {
                    throw new DataFormatException(file, line, "item \"" + id + "\" has no title");
                }
                Item item = new Item(id, HtmlEntities.unescape(title.strip()), blankToNull(HtmlEntities.unescape(text)),
                        blankToNull(HtmlEntities.unescape(brand)), List.of(), Map.of());
                if (items.putIfAbsent(id, item) != null) {
                    throw new DataFormatException(file, line, "duplicate item id " + id);
                }
            }
        } catch (JsonProcessingException e) {
            throw new DataFormatException(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    "invalid JSON: " + e.getOriginalMessage());
        }
        return items;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** A string, or a list of strings joined by spaces (some releases split descriptions in paragraphs). */
    private static String text(Path file, JsonParser p, JsonToken t, String field) throws IOException {
        switch (t) {
            case VALUE_STRING:
                return p.getText();
            case VALUE_NULL:
                return null;
            case START_ARRAY: {
                StringBuilder sb = new StringBuilder();
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (e != JsonToken.VALUE_STRING) throw error(file, p, "\"" + field + "\" must hold strings");
                    if (!sb.isEmpty()) sb.append(' ');
                    sb.append(p.getText());
                }
                return sb.toString();
            }
            default:
                throw error(file, p, "\"" + field + "\" must be a string");
        }
    }

    private static List<Interaction> readInteractions(Path file, Map<String, Item> items) throws IOException {
        List<Interaction> out = new ArrayList<>();
        Set<String> users = new HashSet<>();
        try (JsonParser p = JSON.createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw error(file, p, "expected a JSON object {user_id: [item_id, ...]}");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String user = p.currentName();
                if (!users.add(user)) throw error(file, p, "duplicate user id " + user);
                if (p.nextToken() != JsonToken.START_ARRAY) {
                    throw error(file, p, "user \"" + user + "\": expected an array of item ids");
                }
                int position = 0;
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_STRING) {
                        throw error(file, p, "user \"" + user + "\": item ids must be integers or strings");
                    }
                    Item item = items.get(p.getText());
                    if (item == null) {
                        throw error(file, p, "user \"" + user + "\": item id \"" + p.getText() + "\" is not in the item file");
                    }
                    out.add(new Interaction(user, item.itemId(), SyntheticTimestamps.at(position++), "REVIEW"));
                }
            }
        } catch (JsonProcessingException e) {
            throw new DataFormatException(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    "invalid JSON: " + e.getOriginalMessage());
        }
        return out;
    }
}
