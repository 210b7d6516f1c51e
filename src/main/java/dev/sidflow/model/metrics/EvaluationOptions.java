package dev.sidflow.model.metrics;

/**
 * How to evaluate.
 *
 * @param ks          cut-offs, e.g. 1, 5, 10
 * @param batchSize   histories scored per call to the recommender
 * @param maskHistory if true, items already in the history are removed from the ranking (except the
 *                    target itself). The published SASRec/TIGER/LC-Rec numbers on the Amazon sets do
 *                    NOT mask (full ranking over all items), so the default is false.
 */
public record EvaluationOptions(int[] ks, int batchSize, boolean maskHistory) {
    public EvaluationOptions {
        if (ks == null || ks.length == 0) throw new IllegalArgumentException("need at least one K");
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1");
        ks = ks.clone();
    }

    /** Published protocol: K = 1, 5, 10; full ranking over all items; no history masking. */
    public static EvaluationOptions defaults() {
        return new EvaluationOptions(new int[] {1, 5, 10}, 256, false);
    }

    public EvaluationOptions withMaskHistory(boolean mask) { return new EvaluationOptions(ks, batchSize, mask); }
    public EvaluationOptions withBatchSize(int size) { return new EvaluationOptions(ks, size, maskHistory); }

    public int maxK() {
        int m = 0;
        for (int k : ks) m = Math.max(m, k);
        return m;
    }
}
