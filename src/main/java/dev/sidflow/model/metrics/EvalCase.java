package dev.sidflow.model.metrics;

import java.util.List;
import java.util.Objects;

/** One ranking question: given the chronological {@code history}, where does {@code target} rank? */
public record EvalCase(List<Integer> history, int target) {
    public EvalCase {
        history = List.copyOf(Objects.requireNonNull(history, "history"));
    }
}
