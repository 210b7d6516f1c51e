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
    private final Map<Key, List<ScoredSid>> cache = new HashMap<>();

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

    /** Distinct histories decoded so far. */
    public int size() {
        return cache.size();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
