package dev.sidflow.data;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Summary numbers of a data set, as printed by {@code sidflow data stats}.
 * Sequence lengths are interactions per user; the median of an even count is the mean of the two
 * middle values, p90 is the nearest-rank 90th percentile (smallest length with at least 90% of
 * users at or below it).
 */
public record DatasetStats(String name, int users, int items, int interactions,
                           int minSequence, double medianSequence, double meanSequence, int p90Sequence,
                           int maxSequence, int itemsNeverInteracted, int repeatedPairs,
                           long firstTimestamp, long lastTimestamp, boolean syntheticTimestamps) {

    public static DatasetStats of(Dataset d) {
        Map<String, Integer> perUser = new HashMap<>();
        Set<String> seenItems = new HashSet<>();
        Set<String> pairs = new HashSet<>();
        int repeated = 0;
        long first = Long.MAX_VALUE, last = Long.MIN_VALUE;
        for (Interaction in : d.interactions()) {
            perUser.merge(in.userId(), 1, Integer::sum);
            seenItems.add(in.itemId());
            if (!pairs.add(in.userId() + '\u0000' + in.itemId())) repeated++;
            first = Math.min(first, in.timestamp());
            last = Math.max(last, in.timestamp());
        }
        int[] lengths = perUser.values().stream().mapToInt(Integer::intValue).sorted().toArray();
        int u = lengths.length;
        int n = d.interactions().size();
        int neverInteracted = 0;
        for (Item item : d.items()) if (!seenItems.contains(item.itemId())) neverInteracted++;
        if (u == 0) {
            return new DatasetStats(d.name(), 0, d.items().size(), 0, 0, 0, 0, 0, 0, neverInteracted, 0, 0, 0,
                    d.syntheticTimestamps());
        }
        double median = u % 2 == 1 ? lengths[u / 2] : (lengths[u / 2 - 1] + lengths[u / 2]) / 2.0;
        int p90 = lengths[(int) Math.ceil(0.9 * u) - 1];
        return new DatasetStats(d.name(), u, d.items().size(), n, lengths[0], median, (double) n / u, p90,
                lengths[u - 1], neverInteracted, repeated, first, last, d.syntheticTimestamps());
    }

    /** Interactions / (users x items). */
    public double density() {
        return users == 0 || items == 0 ? 0 : (double) interactions / ((double) users * items);
    }

    /** A two-column table for the terminal. */
    public String table() {
        String[][] rows = {
                {"data set", name},
                {"users", fmt(users)},
                {"items", fmt(items)},
                {"interactions", fmt(interactions)},
                {"density", String.format(Locale.ROOT, "%.5f%%", 100 * density())},
                {"sequence length min", fmt(minSequence)},
                {"sequence length median", num(medianSequence)},
                {"sequence length mean", String.format(Locale.ROOT, "%.2f", meanSequence)},
                {"sequence length p90", fmt(p90Sequence)},
                {"sequence length max", fmt(maxSequence)},
                {"items never interacted", fmt(itemsNeverInteracted)},
                {"repeated user-item pairs", fmt(repeatedPairs)},
                {"time span", timeSpan()},
        };
        int width = Arrays.stream(rows).mapToInt(r -> r[0].length()).max().orElse(0);
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            sb.append(String.format(Locale.ROOT, "%-" + width + "s  %s%n", r[0], r[1]));
        }
        return sb.toString();
    }

    private String timeSpan() {
        if (interactions == 0) return "-";
        if (syntheticTimestamps) {
            return "none in the source (synthetic, order-only timestamps)";
        }
        long days = (lastTimestamp - firstTimestamp) / 86_400_000L;
        return Instant.ofEpochMilli(firstTimestamp) + " .. " + Instant.ofEpochMilli(lastTimestamp) + " (" + fmt(days) + " days)";
    }

    private static String fmt(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? fmt((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
