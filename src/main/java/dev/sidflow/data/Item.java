package dev.sidflow.data;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A catalog item in the canonical data set.
 *
 * @param itemId     stable id, unique within a data set
 * @param title      display title (HTML entities already unescaped)
 * @param text       extra free text (description) or null
 * @param brand      brand or null
 * @param categories categories, most general first; never null
 * @param attributes other attributes (platform, genre, ...); never null
 */
public record Item(String itemId, String title, String text, String brand,
                   List<String> categories, Map<String, String> attributes) {

    public Item {
        Objects.requireNonNull(itemId, "itemId");
        Objects.requireNonNull(title, "title");
        categories = categories == null ? List.of() : List.copyOf(categories);
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /**
     * Attributes that identify an item in its source (Amazon ASIN, ids of other releases) but say
     * nothing about it: kept for joins and provenance, left out of the embedding text.
     */
    public static final Set<String> IDENTIFIER_ATTRIBUTES =
            Set.of("asin", "sourceItemId", "unisrecItemId", "titleJoinAmbiguous");

    public static Item of(String itemId, String title) {
        return new Item(itemId, title, null, null, List.of(), Map.of());
    }

    /** The text a sentence encoder embeds: title first, then brand, categories and description. */
    public String embeddingText() {
        StringBuilder sb = new StringBuilder(title);
        if (brand != null && !brand.isBlank()) sb.append(". Brand: ").append(brand);
        if (!categories.isEmpty()) sb.append(". Categories: ").append(String.join(", ", categories));
        attributes.entrySet().stream()
                .filter(e -> !IDENTIFIER_ATTRIBUTES.contains(e.getKey()))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> sb.append(". ").append(e.getKey()).append(": ").append(e.getValue()));
        if (text != null && !text.isBlank()) sb.append(". ").append(text);
        return sb.toString();
    }
}
