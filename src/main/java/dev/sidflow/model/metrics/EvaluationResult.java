package dev.sidflow.model.metrics;

/**
 * Metrics over all cases and split by whether the target is a head or a long-tail item.
 *
 * @param seconds wall time of the evaluation
 */
public record EvaluationResult(MetricValues overall, MetricValues head, MetricValues tail, double seconds) {}
