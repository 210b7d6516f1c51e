package dev.sidflow.stream;

import org.apache.flink.api.common.accumulators.Accumulator;

import java.util.HashSet;

/**
 * Job accumulator of the distinct item ids recommended, merged over all subtasks: catalog
 * coverage of a replay. Bounded by the catalog size.
 */
public final class DistinctItems implements Accumulator<String, HashSet<String>> {
    private HashSet<String> items = new HashSet<>();

    @Override
    public void add(String itemId) {
        items.add(itemId);
    }

    @Override
    public HashSet<String> getLocalValue() {
        return items;
    }

    @Override
    public void resetLocal() {
        items = new HashSet<>();
    }

    @Override
    public void merge(Accumulator<String, HashSet<String>> other) {
        items.addAll(other.getLocalValue());
    }

    @Override
    public Accumulator<String, HashSet<String>> clone() {
        DistinctItems copy = new DistinctItems();
        copy.items = new HashSet<>(items);
        return copy;
    }
}
