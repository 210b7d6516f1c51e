package dev.sidflow.sid;

import java.util.List;

/**
 * How a (generated) SID maps back to catalog titles.
 *
 * <ul>
 *   <li>{@code matchLevel == 4}: the SID is a catalog item; {@code itemId} is it, {@code titles} holds
 *       its one title, {@code similarCount == 1}.</li>
 *   <li>{@code matchLevel} 1..3: no item has this SID, but {@code similarCount} (&gt;= 1) items share
 *       its first {@code matchLevel} codes (the longest shared prefix); {@code titles} holds the
 *       first of their titles in SID order (at most the mapper's limit, at least one);
 *       {@code itemId} is null.</li>
 *   <li>{@code matchLevel == 0}: nothing in the catalog shares even the first code, or there was no
 *       parsable SID ({@code sid} null); {@code titles} is empty, {@code similarCount == 0}.</li>
 * </ul>
 */
public record TitleMatch(int matchLevel, String itemId, List<String> titles, int similarCount, SemanticId sid) {
    public static final String UNKNOWN = "[Unknown Item]";

    public TitleMatch {
        titles = List.copyOf(titles);
        if (matchLevel < 0 || matchLevel > SemanticId.LEVELS) {
            throw new IllegalArgumentException("matchLevel must be 0..4: " + matchLevel);
        }
        if (matchLevel == SemanticId.LEVELS) {
            if (itemId == null || titles.size() != 1 || similarCount != 1) {
                throw new IllegalArgumentException("an exact match needs an item id, one title and similarCount 1");
            }
        } else if (itemId != null) {
            throw new IllegalArgumentException("itemId is only set for exact (level-4) matches");
        } else if (matchLevel == 0 && (!titles.isEmpty() || similarCount != 0)) {
            throw new IllegalArgumentException("an unknown item has no titles and similarCount 0");
        } else if (matchLevel > 0 && (titles.isEmpty() || similarCount < titles.size())) {
            throw new IllegalArgumentException("a prefix match needs 1..similarCount titles");
        }
    }

    public static TitleMatch unknown(SemanticId sid) {
        return new TitleMatch(0, null, List.of(), 0, sid);
    }

    public boolean exact() {
        return matchLevel == SemanticId.LEVELS;
    }

    public boolean known() {
        return matchLevel > 0;
    }

    /**
     * One-line form for the CLI:
     * <ul>
     *   <li>exact: {@code "Title"}</li>
     *   <li>prefix match at level L: {@code "Title" (LL match)} followed by {@code  [+N similar]} where
     *       N = similarCount - 1, the number of <em>other</em> items sharing that prefix besides the
     *       one whose title is shown; the bracket is omitted when N is 0. Example:
     *       {@code "Heat" (L2 match) [+4 similar]}.</li>
     *   <li>unknown: {@code [Unknown Item]}</li>
     * </ul>
     * Titles are printed verbatim between double quotes (no escaping).
     */
    public String render() {
        if (matchLevel == 0) return UNKNOWN;
        String quoted = "\"" + titles.get(0) + "\"";
        if (exact()) return quoted;
        String out = quoted + " (L" + matchLevel + " match)";
        return similarCount > 1 ? out + " [+" + (similarCount - 1) + " similar]" : out;
    }
}
