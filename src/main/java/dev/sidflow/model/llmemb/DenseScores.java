package dev.sidflow.model.llmemb;

/**
 * Dense scores of a batch of histories and, per history, the log of their softmax normaliser
 * (log-sum-exp over the row), computed by the engine next to the scores: a caller that needs
 * log-probabilities of a few candidates reads {@code scores[u][i] - logZ[u]} without an exp pass
 * over the whole catalog in Java.
 */
public record DenseScores(float[][] scores, double[] logZ) {
    public DenseScores {
        if (scores.length != logZ.length) throw new IllegalArgumentException(scores.length + " rows of scores, " + logZ.length + " normalisers");
    }
}
