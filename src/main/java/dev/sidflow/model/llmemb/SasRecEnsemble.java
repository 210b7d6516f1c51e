package dev.sidflow.model.llmemb;

import dev.sidflow.model.metrics.Scorer;

import java.util.ArrayList;
import java.util.List;

/**
 * One or more ID-SASRec models of the same catalog, scored together: the mean of their
 * log-softmaxes ({@link DenseScoresMean}), as {@link LlmEmbEnsemble} does for LLMEmb.
 */
public final class SasRecEnsemble implements Scorer, AutoCloseable {
    private final List<SasRec> instances;

    public SasRecEnsemble(List<SasRec> instances) {
        if (instances.isEmpty()) throw new IllegalArgumentException("an ensemble needs at least one ID-SASRec");
        for (SasRec m : instances) {
            if (m.numItems() != instances.get(0).numItems()) {
                throw new IllegalArgumentException("ID-SASRec instances of one ensemble must know the same catalog: "
                        + instances.get(0).numItems() + " vs " + m.numItems() + " items");
            }
        }
        this.instances = List.copyOf(instances);
    }

    public static SasRecEnsemble of(SasRec model) {
        return new SasRecEnsemble(List.of(model));
    }

    public SasRec primary() {
        return instances.get(0);
    }

    public List<SasRec> instances() {
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
    public float[][] scores(List<List<Integer>> histories) {
        if (instances.size() == 1) return primary().scores(histories);
        return scoresWithLogZ(histories).scores();
    }

    /** Mean log-probabilities over the catalog (a zero normaliser; one instance: its own scores and normaliser). */
    public DenseScores scoresWithLogZ(List<List<Integer>> histories) {
        List<DenseScores> each = new ArrayList<>(instances.size());
        for (SasRec m : instances) each.add(m.scoresWithLogZ(histories));
        return DenseScoresMean.of(each);
    }

    @Override
    public void close() {
        for (SasRec m : instances) m.close();
    }
}
