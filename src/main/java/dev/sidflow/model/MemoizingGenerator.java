package dev.sidflow.model;

import dev.sidflow.sid.SemanticId;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;

/**
 * Decodes each distinct history once: evaluating several fusions of the same users (the generator
 * alone, then the hybrid) would otherwise repeat the beam search, the costliest step. Not
 * thread-safe; meant for offline evaluation, not serving (histories there rarely repeat).
 */
public final class MemoizingGenerator implements Generator {
    private record Key(List<SemanticId> history, int k, int beam) {}

    private final Generator delegate;
    private record ScoredKey(Key key, List<SemanticId> candidates) {}

    private final Map<Key, List<ScoredSid>> cache = new HashMap<>();
    private final Map<ScoredKey, Generation.PerUser> scored = new HashMap<>();

    public MemoizingGenerator(Generator delegate) {
        this.delegate = delegate;
    }

    @Override
    public List<List<ScoredSid>> recommend(List<List<SemanticId>> histories, int k, int beam) {
        List<Key> keys = new ArrayList<>(histories.size());
        Set<List<SemanticId>> missing = new LinkedHashSet<>();
        for (List<SemanticId> h : histories) {
            Key key = new Key(List.copyOf(h), k, beam);
            keys.add(key);
            if (!cache.containsKey(key)) missing.add(key.history());
        }
        if (!missing.isEmpty()) {
            List<List<SemanticId>> toDecode = new ArrayList<>(missing);
            List<List<ScoredSid>> decoded = delegate.recommend(toDecode, k, beam);
            for (int i = 0; i < toDecode.size(); i++) cache.put(new Key(toDecode.get(i), k, beam), decoded.get(i));
        }
        List<List<ScoredSid>> out = new ArrayList<>(keys.size());
        for (Key key : keys) out.add(cache.get(key));
        return out;
    }

    @Override
    public boolean scoresCandidates() {
        return delegate.scoresCandidates();
    }

    @Override
    public Generation recommendAndScore(List<List<SemanticId>> histories, int k, int beam, List<List<SemanticId>> candidates) {
        List<ScoredKey> keys = new ArrayList<>(histories.size());
        Set<ScoredKey> missing = new LinkedHashSet<>();
        for (int i = 0; i < histories.size(); i++) {
            ScoredKey key = new ScoredKey(new Key(List.copyOf(histories.get(i)), k, beam), List.copyOf(candidates.get(i)));
            keys.add(key);
            if (!scored.containsKey(key)) missing.add(key);
        }
        if (!missing.isEmpty()) {
            List<List<SemanticId>> h = new ArrayList<>(missing.size());
            List<List<SemanticId>> c = new ArrayList<>(missing.size());
            for (ScoredKey key : missing) {
                h.add(key.key().history());
                c.add(key.candidates());
            }
            List<Generation.PerUser> decoded = delegate.recommendAndScore(h, k, beam, c).perUser();
            int i = 0;
            for (ScoredKey key : missing) scored.put(key, decoded.get(i++));
        }
        List<Generation.PerUser> out = new ArrayList<>(keys.size());
        for (ScoredKey key : keys) out.add(scored.get(key));
        return Generation.of(out);
    }

    /** Distinct histories (with their candidates, when scored) decoded so far. */
    public int size() {
        return cache.size() + scored.size();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
