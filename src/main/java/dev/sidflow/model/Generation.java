package dev.sidflow.model;

import java.util.List;

/**
 * What a generator returns when asked to score given candidates as well: per user, its own
 * recommendations (best first) and its log-probability of each candidate's SID, in the order the
 * candidates were given (the same sum of per-level log-probabilities as a recommendation's score).
 */
public record Generation(List<List<ScoredSid>> recommended, List<double[]> candidateLogp) {
    public Generation {
        if (recommended.size() != candidateLogp.size()) {
            throw new IllegalArgumentException(recommended.size() + " recommendation lists but " + candidateLogp.size() + " score lists");
        }
    }
}
