package dev.sidflow.serve;

import dev.sidflow.sid.SemanticId;

/**
 * A scored candidate produced by a model, before validation and title mapping.
 *
 * @param sid    the generated or looked-up semantic ID
 * @param score  model score (higher is better); comparable within one request only
 * @param source which model produced the final score
 */
public record Candidate(SemanticId sid, double score, Source source) {
    public enum Source { GENERATOR, DENSE, HYBRID, POPULARITY, LLM }
}
