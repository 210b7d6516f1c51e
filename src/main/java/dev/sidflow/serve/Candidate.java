package dev.sidflow.serve;

import dev.sidflow.sid.SemanticId;

/**
 * A scored candidate produced by a model, before validation and title mapping.
 *
 * @param sid            the generated or looked-up semantic ID
 * @param score          model score (higher is better); comparable within one request only
 * @param source         which model produced the final score
 * @param textSimilarity cosine similarity of the item's text to the request's free text, or NaN
 *                       when the request had none (a fact the explanation may quote)
 */
public record Candidate(SemanticId sid, double score, Source source, double textSimilarity) {
    public enum Source { GENERATOR, DENSE, HYBRID, POPULARITY, LLM }

    public Candidate(SemanticId sid, double score, Source source) {
        this(sid, score, source, Double.NaN);
    }
}
