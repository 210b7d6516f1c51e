package dev.sidflow.model.generator;

import dev.sidflow.model.LearningRateSchedule;

/**
 * Training settings.
 *
 * @param maxEpochs    upper bound on epochs
 * @param batchSize    examples per mini-batch
 * @param learningRate Adam learning rate
 * @param patience     epochs without validation-loss improvement before stopping
 * @param seed         seeds parameter init, dropout and shuffling
 * @param maxTrainingSeconds stop after the first epoch that ends past this budget (0 = none)
 * @param schedule     how the learning rate moves over the budget
 */
public record TrainConfig(int maxEpochs, int batchSize, float learningRate, int patience, long seed,
                          double maxTrainingSeconds, LearningRateSchedule schedule) {
    public TrainConfig(int maxEpochs, int batchSize, float learningRate, int patience, long seed) {
        this(maxEpochs, batchSize, learningRate, patience, seed, 0);
    }

    public TrainConfig(int maxEpochs, int batchSize, float learningRate, int patience, long seed, double maxTrainingSeconds) {
        this(maxEpochs, batchSize, learningRate, patience, seed, maxTrainingSeconds, LearningRateSchedule.CONSTANT);
    }

    public TrainConfig {
        if (maxEpochs < 1 || batchSize < 1 || patience < 1) throw new IllegalArgumentException("epochs, batch size and patience must be >= 1");
        if (!(learningRate > 0)) throw new IllegalArgumentException("learning rate must be > 0");
        if (schedule == null) schedule = LearningRateSchedule.CONSTANT;
    }

    public TrainConfig withSchedule(LearningRateSchedule s) {
        return new TrainConfig(maxEpochs, batchSize, learningRate, patience, seed, maxTrainingSeconds, s);
    }

    /**
     * How far training is through its budget (0..1): the larger of the epochs done and, with a
     * time budget, the training seconds used.
     */
    public double progress(double epochsDone, double secondsUsed) {
        return LearningRateSchedule.progress(epochsDone, maxEpochs, secondsUsed, maxTrainingSeconds);
    }

    public static TrainConfig defaults() {
        return new TrainConfig(30, 256, 1e-3f, 3, 42);
    }
}
