package dev.sidflow.model.llmemb;

import dev.sidflow.model.Devices;
import dev.sidflow.model.LearningRateSchedule;

/**
 * How to train a sequential model: next-item prediction at every position with full softmax
 * cross-entropy over all items, Adam, early stopping on validation NDCG@10.
 *
 * @param maxEpochs          upper bound on epochs
 * @param batchSize          sequences per step
 * @param learningRate       Adam learning rate
 * @param patience           stop after this many evaluations without a better validation NDCG@10
 * @param evalEvery          evaluate every this many epochs
 * @param validationSample   evaluate on at most this many validation cases (fixed random sample; 0 = all)
 * @param seed               seed for initialisation, dropout and shuffling
 * @param device             "cpu", "gpu" or "auto" (gpu when the engine has one)
 * @param maxTrainingSeconds stop after the first evaluation past this time budget (0 = none)
 * @param schedule           how the learning rate moves over the budget (epochs or seconds,
 *                           whichever runs out first); null = constant
 */
public record TrainConfig(int maxEpochs, int batchSize, float learningRate, int patience, int evalEvery,
                          int validationSample, long seed, String device, double maxTrainingSeconds,
                          LearningRateSchedule schedule) {
    public TrainConfig(int maxEpochs, int batchSize, float learningRate, int patience, int evalEvery,
                       int validationSample, long seed, String device, double maxTrainingSeconds) {
        this(maxEpochs, batchSize, learningRate, patience, evalEvery, validationSample, seed, device, maxTrainingSeconds,
                LearningRateSchedule.CONSTANT);
    }

    public TrainConfig {
        if (schedule == null) schedule = LearningRateSchedule.CONSTANT;
        if (maxEpochs < 1 || batchSize < 1 || patience < 1 || evalEvery < 1) {
            throw new IllegalArgumentException("maxEpochs, batchSize, patience and evalEvery must be >= 1");
        }
        if (!(learningRate > 0)) throw new IllegalArgumentException("learningRate must be > 0");
        if (validationSample < 0) throw new IllegalArgumentException("validationSample must be >= 0");
        Devices.validate(device); // fail early on a bad name
    }

    public static TrainConfig defaults() {
        return new TrainConfig(200, 128, 1e-3f, 5, 1, 0, 42L, "auto", 0);
    }

    public TrainConfig withMaxEpochs(int e) { return new TrainConfig(e, batchSize, learningRate, patience, evalEvery, validationSample, seed, device, maxTrainingSeconds, schedule); }
    public TrainConfig withBatchSize(int b) { return new TrainConfig(maxEpochs, b, learningRate, patience, evalEvery, validationSample, seed, device, maxTrainingSeconds, schedule); }
    public TrainConfig withLearningRate(float lr) { return new TrainConfig(maxEpochs, batchSize, lr, patience, evalEvery, validationSample, seed, device, maxTrainingSeconds, schedule); }
    public TrainConfig withPatience(int p) { return new TrainConfig(maxEpochs, batchSize, learningRate, p, evalEvery, validationSample, seed, device, maxTrainingSeconds, schedule); }
    public TrainConfig withEvalEvery(int e) { return new TrainConfig(maxEpochs, batchSize, learningRate, patience, e, validationSample, seed, device, maxTrainingSeconds, schedule); }
    public TrainConfig withValidationSample(int n) { return new TrainConfig(maxEpochs, batchSize, learningRate, patience, evalEvery, n, seed, device, maxTrainingSeconds, schedule); }
    public TrainConfig withSeed(long s) { return new TrainConfig(maxEpochs, batchSize, learningRate, patience, evalEvery, validationSample, s, device, maxTrainingSeconds, schedule); }
    public TrainConfig withDevice(String d) { return new TrainConfig(maxEpochs, batchSize, learningRate, patience, evalEvery, validationSample, seed, d, maxTrainingSeconds, schedule); }
    public TrainConfig withSchedule(LearningRateSchedule s) { return new TrainConfig(maxEpochs, batchSize, learningRate, patience, evalEvery, validationSample, seed, device, maxTrainingSeconds, s); }

    /** How far training is through its budget (0..1), see {@link LearningRateSchedule#progress}. */
    public double progress(double epochsDone, double secondsUsed) {
        return LearningRateSchedule.progress(epochsDone, maxEpochs, secondsUsed, maxTrainingSeconds);
    }

    public TrainConfig withMaxTrainingSeconds(double s) { return new TrainConfig(maxEpochs, batchSize, learningRate, patience, evalEvery, validationSample, seed, device, s, schedule); }
}
