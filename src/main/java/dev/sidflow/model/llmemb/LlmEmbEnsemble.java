package dev.sidflow.model.llmemb;

import java.util.ArrayList;
import java.util.List;

/**
 * One or more LLMEmb models of the same catalog (e.g. trained with other seeds), scored together:
 * the mean of their log-softmaxes ({@link DenseScoresMean}). Independently trained dense models make
 * different mistakes, and averaging them costs one more pass of a small model (docs/benchmarks.md).
 * The first instance is the bundle's own LLMEmb: the one that serves user and item embeddings.
 */
public final class LlmEmbEnsemble extends DenseEnsemble<LlmEmb> {
    public LlmEmbEnsemble(List<LlmEmb> instances) {
        super(instances, "LLMEmb");
    }

    public static LlmEmbEnsemble of(LlmEmb model) {
        return new LlmEmbEnsemble(List.of(model));
    }

    @Override
    public float[][] scores(List<List<Integer>> histories) {
        if (instances.size() == 1) return primary().scores(histories);
        return scoresWithLogZ(histories, null).scores();
    }

    /**
     * Mean log-probabilities over the catalog followed by the cold-start items.
     *
     * @param extraItemVectors per instance, its adapted vectors of the cold-start items (from
     *                         {@link #embedNewItem}); null when there are none
     */
    public DenseScores scoresWithLogZ(List<List<Integer>> histories, List<float[][]> extraItemVectors) {
        List<DenseScores> each = new ArrayList<>(instances.size());
        for (int i = 0; i < instances.size(); i++) {
            each.add(instances.get(i).scoresWithLogZ(histories, extraItemVectors == null ? null : extraItemVectors.get(i)));
        }
        return DenseScoresMean.of(each);
    }

    /** Cold start: each instance's adapted vector of a new item's text vector. */
    public float[][] embedNewItem(float[] textVector) {
        float[][] out = new float[instances.size()][];
        for (int i = 0; i < out.length; i++) out[i] = instances.get(i).embedNewItem(textVector);
        return out;
    }
}
