package dev.sidflow.model;

import java.util.ArrayList;
import java.util.List;

/**
 * What a generator returns when asked to score given candidates as well: per user, its own
 * recommendations (best first) and its log-probability of each candidate's SID, in the order the
 * candidates were given (the same sum of per-level log-probabilities as a recommendation's score).
 */
public record Generation(List<List<ScoredSid>> recommended, List<double[]> candidateLogp) {
    /** One user's share. */
    public record PerUser(List<ScoredSid> recommended, double[] candidateLogp) {}

    public Generation {
        if (recommended.size() != candidateLogp.size()) {
            throw new IllegalArgumentException(recommended.size() + " recommendation lists but " + candidateLogp.size() + " score lists");
        }
    }

    /** Users' shares, in order, as one generation. */
    public static Generation of(List<PerUser> users) {
        List<List<ScoredSid>> recs = new ArrayList<>(users.size());
        List<double[]> logp = new ArrayList<>(users.size());
        for (PerUser u : users) {
            recs.add(u.recommended());
            logp.add(u.candidateLogp());
        }
        return new Generation(recs, logp);
    }

    /** Each user's share, in order. */
    public List<PerUser> perUser() {
        List<PerUser> out = new ArrayList<>(recommended.size());
        for (int i = 0; i < recommended.size(); i++) out.add(new PerUser(recommended.get(i), candidateLogp.get(i)));
        return out;
    }
}
