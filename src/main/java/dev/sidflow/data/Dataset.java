package dev.sidflow.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The canonical data set every importer produces: a catalog and time-ordered interactions.
 * Interactions are kept sorted by (timestamp, userId) so that replaying them in list order is
 * replaying them in event time; each user's own sequence keeps its chronological order.
 */
public final class Dataset {
    private final String name;
    private final String source;
    private final List<Item> items;
    private final Map<String, Item> itemsById;
    private final List<Interaction> interactions;
    private final boolean syntheticTimestamps;

    public Dataset(String name, List<Item> items, List<Interaction> interactions, boolean syntheticTimestamps) {
        this(name, name, items, interactions, syntheticTimestamps);
    }

    /**
     * @param source where the data came from (format and input path), for provenance in dataset.json
     */
    public Dataset(String name, String source, List<Item> items, List<Interaction> interactions,
                   boolean syntheticTimestamps) {
        this.name = Objects.requireNonNull(name, "name");
        this.source = Objects.requireNonNull(source, "source");
        this.items = List.copyOf(items);
        Map<String, Item> byId = new LinkedHashMap<>();
        for (Item item : this.items) {
            if (byId.putIfAbsent(item.itemId(), item) != null) {
                throw new IllegalArgumentException("duplicate item id " + item.itemId());
            }
        }
        this.itemsById = Collections.unmodifiableMap(byId);
        List<Interaction> sorted = new ArrayList<>(interactions);
        // stable sort: equal timestamps of one user keep their given (chronological) order
        sorted.sort(Comparator.comparingLong(Interaction::timestamp));
        this.interactions = Collections.unmodifiableList(sorted);
        this.syntheticTimestamps = syntheticTimestamps;
    }

    public String name() { return name; }
    /** Provenance: the importer's format and input, or the generator and its settings. */
    public String source() { return source; }
    public List<Item> items() { return items; }
    public Item item(String itemId) { return itemsById.get(itemId); }
    public Map<String, Item> itemsById() { return itemsById; }
    /** All interactions in event-time order. */
    public List<Interaction> interactions() { return interactions; }
    /** True when the source had no timestamps and the ones here only encode order. */
    public boolean syntheticTimestamps() { return syntheticTimestamps; }

    /** Number of distinct users with at least one interaction. */
    public int userCount() {
        Set<String> users = new HashSet<>();
        for (Interaction in : interactions) users.add(in.userId());
        return users.size();
    }

    /** Each user's item ids in chronological order; users in order of first appearance. */
    public Map<String, List<String>> sequences() {
        Map<String, List<String>> seqs = new LinkedHashMap<>();
        for (Interaction in : interactions) {
            seqs.computeIfAbsent(in.userId(), u -> new ArrayList<>()).add(in.itemId());
        }
        return seqs;
    }
}
