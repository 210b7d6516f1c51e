package dev.sidflow.model.llmemb;

import java.util.ArrayList;
import java.util.List;

/**
 * One or more ID-SASRec models of the same catalog, scored together: the mean of their
 * log-softmaxes ({@link DenseScoresMean}), as {@link LlmEmbEnsemble} does for LLMEmb.
 */
public final class SasRecEnsemble extends DenseEnsemble<SasRec> {
    public SasRecEnsemble(List<SasRec> instances) {
        super(instances, "ID-SASRec");
    }

    public static SasRecEnsemble of(SasRec model) {
        return new SasRecEnsemble(List.of(model));
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
}
