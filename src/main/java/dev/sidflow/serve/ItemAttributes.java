package dev.sidflow.serve;

import dev.sidflow.data.Item;
import dev.sidflow.schema.CatalogItem;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The catalog's attributes, for attribute-steered requests and for explanations: per item its
 * {@code brand}, each of its {@code category} values and its other attributes (platform, genre ...;
 * identifiers such as the ASIN are left out). Keys are lower case; values match case-insensitively.
 * Filled from the bundle's items.jsonl and kept current by the catalog topic.
 */
public final class ItemAttributes {
    public static final String BRAND = "brand";
    public static final String CATEGORY = "category";

    /** item id -> key -> values as published (original case). */
    private final Map<String, Map<String, List<String>>> byItem = new ConcurrentHashMap<>();
    /** Built on demand, dropped on every change: requests check constraints far more often than the catalog changes. */
    private volatile Map<String, Set<String>> vocabulary;
    private volatile Map<String, Integer> valueCounts;

    public static ItemAttributes of(List<Item> items) {
        ItemAttributes a = new ItemAttributes();
        for (Item it : items) a.put(it.itemId(), it.brand(), it.categories(), it.attributes());
        return a;
    }

    public void put(CatalogItem item) {
        put(item.getItemId(), item.getBrand(), item.getCategories(), item.getAttributes());
    }

    public void put(String itemId, String brand, List<String> categories, Map<String, String> attributes) {
        Map<String, List<String>> m = new TreeMap<>();
        if (brand != null && !brand.isBlank()) m.put(BRAND, List.of(brand.strip()));
        if (categories != null && !categories.isEmpty()) {
            List<String> cats = new ArrayList<>();
            for (String c : categories) if (c != null && !c.isBlank()) cats.add(c.strip());
            if (!cats.isEmpty()) m.put(CATEGORY, List.copyOf(cats));
        }
        if (attributes != null) {
            attributes.forEach((k, v) -> {
                if (k == null || v == null || v.isBlank() || Item.IDENTIFIER_ATTRIBUTES.contains(k)) return;
                m.putIfAbsent(k.strip().toLowerCase(Locale.ROOT), List.of(v.strip()));
            });
        }
        if (m.isEmpty()) byItem.remove(itemId);
        else byItem.put(itemId, Collections.unmodifiableMap(m));
        vocabulary = null;
        valueCounts = null;
    }

    public void remove(String itemId) {
        byItem.remove(itemId);
        vocabulary = null;
        valueCounts = null;
    }

    /** The item's attributes (key -> values); empty if it has none. */
    public Map<String, List<String>> of(String itemId) {
        return byItem.getOrDefault(itemId, Map.of());
    }

    /** True when every constraint matches one of the item's values for that key (case-insensitive). */
    public boolean matches(String itemId, Map<String, String> where) {
        Map<String, List<String>> m = of(itemId);
        for (Map.Entry<String, String> c : where.entrySet()) {
            List<String> values = m.get(c.getKey());
            if (values == null || values.stream().noneMatch(v -> v.equalsIgnoreCase(c.getValue()))) return false;
        }
        return true;
    }

    /** Every key with the values it takes across the catalog (original case, sorted). */
    public Map<String, Set<String>> vocabulary() {
        Map<String, Set<String>> v = vocabulary;
        if (v != null) return v;
        Map<String, Set<String>> out = new TreeMap<>();
        for (Map<String, List<String>> m : byItem.values()) {
            m.forEach((k, vs) -> out.computeIfAbsent(k, x -> new TreeSet<>(String.CASE_INSENSITIVE_ORDER)).addAll(vs));
        }
        out.replaceAll((k, vs) -> Collections.unmodifiableSet(vs));
        v = Collections.unmodifiableMap(out);
        vocabulary = v;
        return v;
    }

    /**
     * Checks that each constraint names a key the catalog has and a value some item has for it.
     *
     * @throws BadRequest UNKNOWN_ATTRIBUTE naming the known keys or values
     */
    public void check(Map<String, String> where) {
        if (where.isEmpty()) return;
        Map<String, Set<String>> vocab = vocabulary();
        for (Map.Entry<String, String> c : where.entrySet()) {
            Set<String> values = vocab.get(c.getKey());
            if (values == null) {
                throw new BadRequest(BadRequest.Reason.UNKNOWN_ATTRIBUTE, "unknown attribute '" + c.getKey() + "'"
                        + (vocab.isEmpty() ? ": this catalog has no item attributes" : "; known: " + String.join(", ", vocab.keySet())));
            }
            if (!values.contains(c.getValue())) {
                throw new BadRequest(BadRequest.Reason.UNKNOWN_ATTRIBUTE, "no item has " + c.getKey() + " = '" + c.getValue()
                        + "'; known values: " + abbreviate(values));
            }
        }
    }

    /**
     * The attribute values two items share that tell something, as {@code key=value} (original
     * case of {@code a}): rarest first, at most {@code max}, leaving out values more than half of
     * the catalog has (every item being a "Video Game" explains nothing).
     */
    public List<String> shared(String a, String b, int max) {
        Map<String, List<String>> ma = of(a);
        Map<String, List<String>> mb = of(b);
        Map<String, Integer> counts = valueCounts();
        int half = byItem.size() / 2;
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : ma.entrySet()) {
            List<String> other = mb.get(e.getKey());
            if (other == null) continue;
            for (String v : e.getValue()) {
                String kv = e.getKey() + "=" + v;
                if (other.stream().anyMatch(v::equalsIgnoreCase) && counts.getOrDefault(kv.toLowerCase(Locale.ROOT), 0) <= half) out.add(kv);
            }
        }
        // a category repeating another attribute's value (genre=Racing, category=Racing) says nothing new
        Set<String> values = new java.util.HashSet<>();
        for (String kv : out) if (!kv.startsWith(CATEGORY + "=")) values.add(kv.substring(kv.indexOf('=') + 1).toLowerCase(Locale.ROOT));
        out.removeIf(kv -> kv.startsWith(CATEGORY + "=") && values.contains(kv.substring(CATEGORY.length() + 1).toLowerCase(Locale.ROOT)));
        out.sort(Comparator.comparingInt((String kv) -> counts.getOrDefault(kv.toLowerCase(Locale.ROOT), 0)).thenComparing(kv -> kv));
        return out.size() > max ? List.copyOf(out.subList(0, max)) : out;
    }

    /** Items per lower-case {@code key=value}; rebuilt after catalog changes. */
    private Map<String, Integer> valueCounts() {
        Map<String, Integer> c = valueCounts;
        if (c != null) return c;
        Map<String, Integer> out = new HashMap<>();
        for (Map<String, List<String>> m : byItem.values()) {
            m.forEach((k, vs) -> {
                for (String v : new TreeSet<>(vs)) out.merge((k + "=" + v).toLowerCase(Locale.ROOT), 1, Integer::sum);
            });
        }
        valueCounts = out;
        return out;
    }

    public boolean isEmpty() {
        return byItem.isEmpty();
    }

    /** Item ids with at least one attribute. */
    public Set<String> itemIds() {
        return Collections.unmodifiableSet(byItem.keySet());
    }

    private static String abbreviate(Set<String> values) {
        List<String> list = new ArrayList<>(values);
        return list.size() <= 12 ? String.join(", ", list) : String.join(", ", list.subList(0, 12)) + ", ... (" + list.size() + ")";
    }

    /** Index of lower-cased values to their keys, for finding attribute values in typed text. */
    public Map<String, List<Map.Entry<String, String>>> valueIndex() {
        Map<String, List<Map.Entry<String, String>>> out = new HashMap<>();
        vocabulary().forEach((k, vs) -> {
            for (String v : vs) out.computeIfAbsent(v.toLowerCase(Locale.ROOT), x -> new ArrayList<>()).add(Map.entry(k, v));
        });
        return out;
    }
}
