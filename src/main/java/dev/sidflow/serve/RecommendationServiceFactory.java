package dev.sidflow.serve;

import java.io.Serializable;

/**
 * Serializable recipe for a {@link RecommendationService}: shipped with the job graph, opened on
 * each task so every slot loads its own model (predictors are not thread-safe).
 */
@FunctionalInterface
public interface RecommendationServiceFactory extends Serializable {
    RecommendationService open() throws Exception;
}
