package dev.sidflow.model.llmemb;

import dev.sidflow.model.metrics.Scorer;

import java.util.List;

/**
 * Instances of one dense member over the same catalog, scored together as the mean of their
 * log-softmaxes ({@link DenseScoresMean}). The first instance is the bundle's own.
 */
public abstract class DenseEnsemble<M extends Scorer & AutoCloseable> implements Scorer, AutoCloseable {
    protected final List<M> instances;

    DenseEnsemble(List<M> instances, String member) {
        if (instances.isEmpty()) throw new IllegalArgumentException("an ensemble needs at least one " + member);
        for (M m : instances) {
            if (m.numItems() != instances.get(0).numItems()) {
                throw new IllegalArgumentException(member + " instances of one ensemble must know the same catalog: "
                        + instances.get(0).numItems() + " vs " + m.numItems() + " items");
            }
        }
        this.instances = List.copyOf(instances);
    }

    public M primary() {
        return instances.get(0);
    }

    public List<M> instances() {
        return instances;
    }

    public int size() {
        return instances.size();
    }

    @Override
    public int numItems() {
        return primary().numItems();
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (M m : instances) {
            try {
                m.close();
            } catch (Exception e) {
                RuntimeException r = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                if (first == null) first = r; else first.addSuppressed(r);
            }
        }
        if (first != null) throw first;
    }
}
