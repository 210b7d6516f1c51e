package dev.sidflow.serve;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Predicate;

/**
 * Dense retrieval for free-text requests: every catalog item's frozen text-encoder vector (the
 * bundle's item-embeddings.bin, plus cold-start items as they arrive), searched by cosine
 * similarity with the request text embedded by the same encoder. Exhaustive: a 50k-item catalog
 * at 384 dims is ~20M multiply-adds per query, a few milliseconds.
 */
public final class TextIndex {
    /** One retrieved item and its cosine similarity to the query. */
    public record Hit(String itemId, double similarity) {}

    private final List<String> ids = new ArrayList<>();
    private final List<float[]> vectors = new ArrayList<>();
    private final Map<String, Integer> rowOf = new HashMap<>();

    public synchronized void put(String itemId, float[] vector) {
        float[] unit = normalized(vector);
        Integer row = rowOf.get(itemId);
        if (row != null) {
            vectors.set(row, unit);
        } else {
            rowOf.put(itemId, ids.size());
            ids.add(itemId);
            vectors.add(unit);
        }
    }

    public synchronized void remove(String itemId) {
        Integer row = rowOf.get(itemId);
        if (row != null) vectors.set(row, null); // tombstone: rows keep their positions
    }

    public synchronized int size() {
        return rowOf.size();
    }

    /** Best first; ties by item id, so results do not depend on insertion order. */
    private static final Comparator<Hit> BEST_FIRST =
            Comparator.comparingDouble(Hit::similarity).reversed().thenComparing(Hit::itemId);

    /** The {@code n} items most similar to {@code query} among those {@code allowed} accepts, best first. */
    public synchronized List<Hit> search(float[] query, int n, Predicate<String> allowed) {
        if (n <= 0) return List.of();
        float[] q = normalized(query);
        // keep only the n best in a heap whose head is the worst kept: O(items log n), not a full sort
        PriorityQueue<Hit> kept = new PriorityQueue<>(n + 1, BEST_FIRST.reversed());
        for (int r = 0; r < ids.size(); r++) {
            float[] v = vectors.get(r);
            if (v == null || !allowed.test(ids.get(r))) continue;
            double dot = 0;
            for (int i = 0; i < q.length; i++) dot += q[i] * v[i];
            Hit hit = new Hit(ids.get(r), dot);
            if (kept.size() < n) {
                kept.add(hit);
            } else if (BEST_FIRST.compare(hit, kept.peek()) < 0) {
                kept.poll();
                kept.add(hit);
            }
        }
        List<Hit> hits = new ArrayList<>(kept);
        hits.sort(BEST_FIRST);
        return hits;
    }

    private static float[] normalized(float[] v) {
        double norm = 0;
        for (float x : v) norm += (double) x * x;
        norm = Math.sqrt(norm);
        float[] out = new float[v.length];
        if (norm == 0) return out;
        for (int i = 0; i < v.length; i++) out[i] = (float) (v[i] / norm);
        return out;
    }
}
