package dev.sidflow.sid;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Assigns the 4th (dedup) SID level: walking the items in the given order, the first item with a
 * given 3-level code (c1, c2, c3) gets 0, the next 1, and so on. The result depends only on the
 * codes and their order, so the same ordered input always yields the same SIDs.
 *
 * <p>A group of more than 256 items cannot be told apart by one byte; rather than silently
 * aliasing items, assignment fails with an {@link IllegalStateException} naming the prefix and
 * the first item that does not fit (the fix is upstream: a finer quantizer or a larger codebook).
 */
public final class DedupAssigner {
    /** SIDs in input order plus the collision statistics of their 3-level prefixes. */
    public record Assignment(List<SemanticId> sids, CollisionStats stats) {
        public Assignment {
            sids = List.copyOf(sids);
        }
    }

    private DedupAssigner() {}

    /** Assigns dedup codes to items given as 3-level codes {c1, c2, c3}, in order. */
    public static Assignment assign(List<int[]> codes) {
        return assign(codes, c -> c);
    }

    /** Assigns dedup codes to items in order, reading each item's 3-level codes with {@code codesOf}. */
    public static <T> Assignment assign(List<T> items, Function<? super T, int[]> codesOf) {
        Map<Integer, Integer> groupSize = new HashMap<>();
        List<SemanticId> sids = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            int[] c = codesOf.apply(items.get(i));
            if (c == null || c.length != 3) {
                throw new IllegalArgumentException("item #" + i + ": expected 3 codes, got "
                        + (c == null ? "null" : c.length));
            }
            for (int level = 0; level < 3; level++) {
                if (c[level] < 0 || c[level] >= SemanticId.CODEBOOK_SIZE) {
                    throw new IllegalArgumentException("item #" + i + ": level-" + (level + 1) + " code " + c[level]
                            + " out of range [0, 256)");
                }
            }
            int dedup = groupSize.merge(CollisionStats.prefixKey(c[0], c[1], c[2]), 1, Integer::sum) - 1;
            if (dedup >= SemanticId.CODEBOOK_SIZE) {
                throw new IllegalStateException("dedup overflow: item #" + i + " is the 257th item with 3-level code ("
                        + c[0] + "," + c[1] + "," + c[2] + "); the dedup level has only 256 codes");
            }
            sids.add(new SemanticId(c[0], c[1], c[2], dedup));
        }
        return new Assignment(sids, CollisionStats.fromGroupSizes(items.size(), groupSize.values()));
    }
}
