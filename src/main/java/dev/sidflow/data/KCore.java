package dev.sidflow.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The k-core of a data set: the largest subset in which every user and every item has at least
 * k interactions. Removing a sparse user can make an item sparse and vice versa, so the filter
 * repeats until nothing changes. Catalog items left with fewer than k interactions (including
 * never-interacted ones) are dropped as well. Interactions are counted, not distinct pairs.
 */
public final class KCore {
    private KCore() {}

    public static Dataset filter(Dataset dataset, int k) {
        if (k < 0) throw new IllegalArgumentException("k must be >= 0, got " + k);
        if (k == 0) return dataset;
        List<Interaction> all = dataset.interactions();
        int n = all.size();
        // dense ids so that each pass is array counting
        Map<String, Integer> userIndex = new HashMap<>();
        Map<String, Integer> itemIndex = new HashMap<>();
        for (Item item : dataset.items()) itemIndex.put(item.itemId(), itemIndex.size());
        int[] userOf = new int[n];
        int[] itemOf = new int[n];
        for (int i = 0; i < n; i++) {
            Interaction in = all.get(i);
            userOf[i] = userIndex.computeIfAbsent(in.userId(), u -> userIndex.size());
            Integer item = itemIndex.get(in.itemId());
            if (item == null) throw new IllegalArgumentException("interaction with unknown item " + in.itemId());
            itemOf[i] = item;
        }
        boolean[] alive = new boolean[n];
        java.util.Arrays.fill(alive, true);
        int[] userCount = new int[userIndex.size()];
        int[] itemCount = new int[itemIndex.size()];
        boolean changed = true;
        while (changed) {
            java.util.Arrays.fill(userCount, 0);
            java.util.Arrays.fill(itemCount, 0);
            for (int i = 0; i < n; i++) {
                if (alive[i]) {
                    userCount[userOf[i]]++;
                    itemCount[itemOf[i]]++;
                }
            }
            changed = false;
            for (int i = 0; i < n; i++) {
                if (alive[i] && (userCount[userOf[i]] < k || itemCount[itemOf[i]] < k)) {
                    alive[i] = false;
                    changed = true;
                }
            }
        }
        List<Interaction> kept = new ArrayList<>();
        for (int i = 0; i < n; i++) if (alive[i]) kept.add(all.get(i));
        List<Item> items = new ArrayList<>();
        for (Item item : dataset.items()) if (itemCount[itemIndex.get(item.itemId())] >= k) items.add(item);
        return new Dataset(dataset.name(), dataset.source() + " | " + k + "-core", items, kept,
                dataset.syntheticTimestamps());
    }
}
