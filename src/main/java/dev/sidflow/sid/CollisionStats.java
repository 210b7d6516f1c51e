package dev.sidflow.sid;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How items spread over 3-level SID prefixes (c1, c2, c3), i.e. how much work the dedup level does.
 *
 * @param items              number of items
 * @param distinctPrefixes   number of distinct 3-level prefixes (collision groups)
 * @param uniqueItems        items alone in their group (their 3-level SID identifies them)
 * @param largestGroup       size of the largest group (0 when there are no items)
 * @param groupSizeHistogram group size -&gt; number of groups of that size, ascending
 */
public record CollisionStats(int items, int distinctPrefixes, int uniqueItems, int largestGroup,
        SortedMap<Integer, Integer> groupSizeHistogram) {

    public CollisionStats {
        groupSizeHistogram = Collections.unmodifiableSortedMap(new TreeMap<>(groupSizeHistogram));
    }

    /** Stats of the 3-level prefixes of the given SIDs (their dedup codes are ignored). */
    public static CollisionStats of(Collection<SemanticId> sids) {
        Map<Integer, Integer> groups = new HashMap<>();
        for (SemanticId s : sids) groups.merge(prefixKey(s.c1(), s.c2(), s.c3()), 1, Integer::sum);
        return fromGroupSizes(sids.size(), groups.values());
    }

    static int prefixKey(int c1, int c2, int c3) {
        return (c1 << 16) | (c2 << 8) | c3;
    }

    static CollisionStats fromGroupSizes(int items, Collection<Integer> groupSizes) {
        SortedMap<Integer, Integer> hist = new TreeMap<>();
        int unique = 0;
        int largest = 0;
        for (int size : groupSizes) {
            hist.merge(size, 1, Integer::sum);
            if (size == 1) unique++;
            largest = Math.max(largest, size);
        }
        return new CollisionStats(items, groupSizes.size(), unique, largest, hist);
    }

    /** Share of items with a unique 3-level SID, in [0, 1]; 1 for an empty catalog. */
    public double shareUnique() {
        return items == 0 ? 1.0 : (double) uniqueItems / items;
    }

    /** Items accounted for by the histogram (sum of size x groups); equals {@link #items}. */
    public int histogramTotal() {
        int total = 0;
        for (var e : groupSizeHistogram.entrySet()) total += e.getKey() * e.getValue();
        return total;
    }

    /** Multi-line human-readable report. */
    public String report() {
        StringBuilder sb = new StringBuilder();
        sb.append("items: ").append(items).append('\n');
        sb.append("distinct 3-level prefixes: ").append(distinctPrefixes).append('\n');
        sb.append(String.format(Locale.ROOT, "items with a unique 3-level SID: %d (%.2f%%)%n", uniqueItems,
                100 * shareUnique()));
        sb.append("largest collision group: ").append(largestGroup).append('\n');
        sb.append("group sizes (size: groups):");
        if (groupSizeHistogram.isEmpty()) sb.append(" none");
        groupSizeHistogram.forEach((size, count) -> sb.append(' ').append(size).append(": ").append(count).append(','));
        if (!groupSizeHistogram.isEmpty()) sb.setLength(sb.length() - 1);
        return sb.toString();
    }

    @Override
    public String toString() {
        return report();
    }
}
