package dev.sidflow.model.metrics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Head/tail split of the catalog by training popularity: the most popular {@code headFraction} of
 * items (default 20%) are head, the rest (the bottom 80%) is the long tail. Popularity ties are
 * broken by item index so the split is deterministic.
 */
public final class LongTail {
    public static final double DEFAULT_HEAD_FRACTION = 0.2;

    private final boolean[] head;
    private final long[] popularity;

    private LongTail(boolean[] head, long[] popularity) {
        this.head = head;
        this.popularity = popularity;
    }

    public static LongTail of(long[] popularity, double headFraction) {
        if (headFraction < 0 || headFraction > 1) throw new IllegalArgumentException("headFraction must be in [0,1]");
        int n = popularity.length;
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingLong(i -> -popularity[i]).thenComparingInt(i -> i));
        int headCount = (int) Math.round(n * headFraction);
        boolean[] head = new boolean[n];
        for (int i = 0; i < headCount; i++) head[order[i]] = true;
        return new LongTail(head, popularity.clone());
    }

    /** Counts item occurrences in the training sequences. */
    public static long[] popularity(int numItems, List<List<Integer>> trainingSequences) {
        long[] pop = new long[numItems];
        for (List<Integer> seq : trainingSequences) for (int item : seq) pop[item]++;
        return pop;
    }

    public boolean isHead(int item) { return head[item]; }
    public boolean isTail(int item) { return !head[item]; }
    public int numItems() { return head.length; }
    public long popularity(int item) { return popularity[item]; }
}
