package dev.sidflow.sid;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Maps a (generated) SID back to catalog titles: the exact item if the SID is bound, otherwise the
 * items sharing its longest bound prefix (level 3, 2 or 1), otherwise unknown. See
 * {@link TitleMatch} for the result and its CLI rendering.
 */
public final class TitleMapper {
    /** How many titles a prefix match lists by default. */
    public static final int DEFAULT_MAX_TITLES = 5;

    private final Supplier<SidTrie> trie;
    private final Function<String, String> titleOf;
    private final int maxTitles;

    /**
     * @param trie      supplies the trie to read; each mapping reads one snapshot of it
     * @param titleOf   item id to title; null results fall back to the item id
     * @param maxTitles at most this many titles per prefix match (&gt;= 1)
     */
    public TitleMapper(Supplier<SidTrie> trie, Function<String, String> titleOf, int maxTitles) {
        if (maxTitles < 1) throw new IllegalArgumentException("maxTitles must be >= 1: " + maxTitles);
        this.trie = trie;
        this.titleOf = titleOf;
        this.maxTitles = maxTitles;
    }

    /** Mapper over a fixed trie and title map. */
    public TitleMapper(SidTrie trie, Map<String, String> titles, int maxTitles) {
        this(() -> trie, titles::get, maxTitles);
    }

    /** Mapper over a live catalog: every mapping sees the catalog's current state. */
    public static TitleMapper of(SidCatalog catalog, int maxTitles) {
        return new TitleMapper(catalog::trieSnapshot, catalog::titleOrId, maxTitles);
    }

    public TitleMatch map(SemanticId sid) {
        SidTrie t = trie.get().snapshot(); // all reads below agree even while writers run
        int level = t.longestPrefix(sid);
        if (level == 0) return TitleMatch.unknown(sid);
        if (level == SemanticId.LEVELS) {
            String itemId = t.itemId(sid);
            return new TitleMatch(level, itemId, List.of(title(itemId)), 1, sid);
        }
        int[] prefix = Arrays.copyOf(sid.codes(), level);
        List<String> ids = t.itemsUnder(prefix, maxTitles);
        List<String> titles = new ArrayList<>(ids.size());
        for (String id : ids) titles.add(title(id));
        return new TitleMatch(level, null, titles, t.countUnder(prefix), sid);
    }

    /** Maps the first well-formed SID in a model's text answer; unknown (with null sid) if there is none. */
    public TitleMatch map(String modelOutput) {
        return SidCodec.findFirst(modelOutput).map(this::map).orElseGet(() -> TitleMatch.unknown(null));
    }

    private String title(String itemId) {
        String title = titleOf.apply(itemId);
        return title == null ? itemId : title;
    }
}
