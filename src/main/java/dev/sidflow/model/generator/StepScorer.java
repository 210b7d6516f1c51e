package dev.sidflow.model.generator;

/**
 * One batch of users bound to a model, scoring the next SID level for every beam. The beam search
 * asks once per level; implementations keep per-batch work (e.g. the encoder pass) across levels.
 */
public interface StepScorer extends AutoCloseable {

    /**
     * Raw next-token logits over the 256 codes of {@code level}.
     *
     * @param level    1..4, the level being generated
     * @param prefixes [user][beam] = level-local codes already generated (length level-1); every
     *                 user has the same number of beams
     * @return [user][beam][256] logits
     */
    float[][][] levelLogits(int level, int[][][] prefixes);

    /**
     * True when {@link #levelLogits} already returns log-probabilities (log-softmax over the
     * level's 256 codes, e.g. done by the engine next to the logits); the search then uses them
     * as they are instead of normalising each row itself.
     */
    default boolean normalised() {
        return false;
    }

    @Override
    void close();
}
