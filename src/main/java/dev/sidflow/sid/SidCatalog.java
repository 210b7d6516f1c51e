package dev.sidflow.sid;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live SID catalog: a {@link SidTrie} of bound SIDs plus, per item, its SID and title. The
 * stream job updates it online (put, title update, remove) while recommenders read it.
 *
 * <p><b>Concurrency.</b> Writers are serialized on this object; readers take no locks. Writes
 * store the item's entry before binding its SID in the trie and unbind the SID before dropping the
 * entry, so a reader that finds an item in a trie snapshot normally also finds its entry; a reader
 * racing a {@link #remove} may find the entry already gone, which {@link #titleOrId} covers by
 * falling back to the item id. Moving an item to a new SID binds the new SID before unbinding the
 * old one, so for that instant a snapshot may show the item under both.
 */
public final class SidCatalog {
    /** One catalog item. */
    public record CatalogEntry(String itemId, SemanticId sid, String title) {}

    private final SidTrie trie = new SidTrie();
    private final Map<String, CatalogEntry> byItem = new ConcurrentHashMap<>();

    /** Catalog of the given SIDs and titles (an item without a title gets its id as title). */
    public static SidCatalog of(Map<String, SemanticId> sids, Map<String, String> titles) {
        SidCatalog c = new SidCatalog();
        sids.entrySet().stream()
                .sorted(Map.Entry.comparingByValue())
                .forEach(e -> c.put(e.getKey(), e.getValue(), titles.getOrDefault(e.getKey(), e.getKey())));
        return c;
    }

    /**
     * Adds an item or moves it to a new SID / title.
     *
     * @throws IllegalArgumentException if the SID is already bound to a different item
     */
    public synchronized void put(String itemId, SemanticId sid, String title) {
        if (itemId == null || sid == null || title == null) throw new IllegalArgumentException("null argument");
        String holder = trie.itemId(sid);
        if (holder != null && !holder.equals(itemId)) {
            throw new IllegalArgumentException("SID " + sid + " is already bound to item '" + holder
                    + "', cannot bind it to '" + itemId + "'");
        }
        CatalogEntry old = byItem.put(itemId, new CatalogEntry(itemId, sid, title));
        trie.put(sid, itemId);
        if (old != null && !old.sid().equals(sid)) trie.remove(old.sid());
    }

    /**
     * Adds a new item whose quantizer gave it codes (c1, c2, c3), choosing its dedup code online:
     * one past the highest code in use under that prefix, so a SID freed by a removal is not
     * handed to a new item while older models may still emit it; only when 255 is taken are freed
     * codes reused, lowest first.
     *
     * @throws IllegalStateException if all 256 dedup codes under the prefix are taken
     */
    public synchronized SemanticId add(String itemId, int c1, int c2, int c3, String title) {
        CatalogEntry existing = byItem.get(itemId);
        if (existing != null) throw new IllegalArgumentException("item '" + itemId + "' is already in the catalog");
        int[] used = trie.allowedNext(c1, c2, c3);
        int dedup;
        if (used.length == 0) {
            dedup = 0;
        } else if (used[used.length - 1] < SemanticId.CODEBOOK_SIZE - 1) {
            dedup = used[used.length - 1] + 1;
        } else if (used.length < SemanticId.CODEBOOK_SIZE) {
            dedup = 0;
            while (dedup < used.length && used[dedup] == dedup) dedup++;
        } else {
            throw new IllegalStateException("all 256 dedup codes under (" + c1 + "," + c2 + "," + c3
                    + ") are taken; cannot add item '" + itemId + "'");
        }
        SemanticId sid = new SemanticId(c1, c2, c3, dedup);
        put(itemId, sid, title);
        return sid;
    }

    /** Changes an item's title; returns false if the item is not in the catalog. */
    public synchronized boolean updateTitle(String itemId, String title) {
        if (title == null) throw new IllegalArgumentException("null title");
        CatalogEntry old = byItem.get(itemId);
        if (old == null) return false;
        byItem.put(itemId, new CatalogEntry(itemId, old.sid(), title));
        return true;
    }

    /** Removes an item (its SID becomes unbound); returns its entry, or empty if absent. */
    public synchronized Optional<CatalogEntry> remove(String itemId) {
        CatalogEntry old = byItem.get(itemId);
        if (old == null) return Optional.empty();
        trie.remove(old.sid());
        byItem.remove(itemId);
        return Optional.of(old);
    }

    /** A frozen trie of the current SIDs (O(1)); see {@link SidTrie#snapshot()}. */
    public SidTrie trieSnapshot() {
        return trie.snapshot();
    }

    public Optional<CatalogEntry> entry(String itemId) {
        return Optional.ofNullable(byItem.get(itemId));
    }

    public Optional<SemanticId> sidOf(String itemId) {
        CatalogEntry e = byItem.get(itemId);
        return e == null ? Optional.empty() : Optional.of(e.sid());
    }

    /** Item bound to a SID, or null. */
    public String itemId(SemanticId sid) {
        return trie.itemId(sid);
    }

    /** The item's title, or the item id itself if the catalog has no entry for it (any more). */
    public String titleOrId(String itemId) {
        CatalogEntry e = byItem.get(itemId);
        return e == null ? itemId : e.title();
    }

    public int size() {
        return trie.size();
    }
}
