package dev.sidflow.model.llmemb;

import java.util.List;

/**
 * The mean log-probability of several dense models' scores, row by row: each model's scores minus
 * its row's log-sum-exp, averaged (a geometric mean of their softmaxes). The result is returned as
 * {@link DenseScores} with a zero normaliser, so a caller reads log-probabilities as before. One
 * model's scores are returned as they are.
 */
final class DenseScoresMean {
    private DenseScoresMean() {}

    static DenseScores of(List<DenseScores> members) {
        if (members.size() == 1) return members.get(0);
        int rows = members.get(0).scores().length;
        float[][] out = new float[rows][];
        for (int u = 0; u < rows; u++) {
            int cols = members.get(0).scores()[u].length;
            double[] sum = new double[cols];
            for (DenseScores m : members) {
                float[] row = m.scores()[u];
                if (row.length != cols) throw new IllegalArgumentException("members score " + row.length + " and " + cols + " items");
                double logZ = m.logZ()[u];
                for (int i = 0; i < cols; i++) sum[i] += row[i] - logZ;
            }
            float[] mean = new float[cols];
            for (int i = 0; i < cols; i++) mean[i] = (float) (sum[i] / members.size());
            out[u] = mean;
        }
        return new DenseScores(out, new double[rows]);
    }
}
