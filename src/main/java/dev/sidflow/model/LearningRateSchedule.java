package dev.sidflow.model;

import java.util.Locale;

/**
 * How a model's learning rate moves during training. {@link #LINEAR} falls in a straight
 * line from the configured rate to {@link #LINEAR_FLOOR} of it as training uses up its budget
 * (epochs or seconds, whichever runs out first): a run cut by a time budget still ends on small
 * steps, which a constant rate never takes. On Video Games, halving a constant rate after 12
 * epochs lowered the validation loss more in one epoch than the previous four epochs had
 * (docs/benchmarks.md).
 */
public enum LearningRateSchedule {
    CONSTANT,
    LINEAR;

    /** Share of the configured rate a linear schedule ends at: small, so the last steps still learn. */
    public static final double LINEAR_FLOOR = 0.05;

    /** Multiplier of the configured rate after {@code progress} (0..1, clamped) of the budget. */
    public double factor(double progress) {
        if (this == CONSTANT) return 1.0;
        double p = Math.max(0.0, Math.min(1.0, progress));
        return 1.0 - (1.0 - LINEAR_FLOOR) * p;
    }

    /**
     * How far training is through its budget (0..1): the larger of the share of epochs done and,
     * with a time budget ({@code maxSeconds > 0}), the share of seconds used.
     */
    public static double progress(double epochsDone, int maxEpochs, double secondsUsed, double maxSeconds) {
        double p = epochsDone / maxEpochs;
        if (maxSeconds > 0) p = Math.max(p, secondsUsed / maxSeconds);
        return Math.min(1.0, p);
    }

    /** {@code constant} or {@code linear} (any case); null or blank is {@link #CONSTANT}. */
    public static LearningRateSchedule parse(String name) {
        if (name == null || name.isBlank()) return CONSTANT;
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("learning-rate schedule must be constant or linear: " + name);
        }
    }
}
