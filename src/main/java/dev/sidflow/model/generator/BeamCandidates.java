package dev.sidflow.model.generator;

import java.util.Arrays;
import java.util.List;

/**
 * The best {@code width} extensions (parent beam, code) of one level, in a bounded heap over
 * primitive arrays: most of the 256 codes a beam may take lose to the current worst kept one and
 * are rejected by a single comparison, without allocating anything. Order: higher score first,
 * then lexicographically smaller codes (parent's codes, then the new code), so results do not
 * depend on the order candidates are offered in.
 */
final class BeamCandidates {
    private final List<ConstrainedBeamSearch.Beam> parents;
    private final double[] score;
    private final int[] parent;
    private final int[] code;
    private int size;

    BeamCandidates(int width, List<ConstrainedBeamSearch.Beam> parents) {
        this.parents = parents;
        score = new double[width];
        parent = new int[width];
        code = new int[width];
    }

    /** Offers parents[p] extended by code c with total score s. */
    void offer(double s, int p, int c) {
        if (size < score.length) {
            set(size, s, p, c);
            siftUp(size++);
        } else if (s > score[0] || (s == score[0] && codesBefore(p, c, parent[0], code[0]))) {
            // better than the worst kept (the heap's root): it takes the root's place
            set(0, s, p, c);
            siftDown(0);
        }
    }

    /** The kept extensions as beams, best first. */
    List<ConstrainedBeamSearch.Beam> bestFirst() {
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> worse(a, b) ? 1 : worse(b, a) ? -1 : 0);
        ConstrainedBeamSearch.Beam[] out = new ConstrainedBeamSearch.Beam[size];
        for (int i = 0; i < size; i++) {
            int e = order[i];
            int[] from = parents.get(parent[e]).codes();
            int[] codes = Arrays.copyOf(from, from.length + 1);
            codes[from.length] = code[e];
            out[i] = new ConstrainedBeamSearch.Beam(codes, score[e]);
        }
        return List.of(out);
    }

    /** Entry a ranks below entry b. */
    private boolean worse(int a, int b) {
        if (score[a] != score[b]) return score[a] < score[b];
        return codesBefore(parent[b], code[b], parent[a], code[a]);
    }

    /** parents[p1] + c1 sorts before parents[p2] + c2. */
    private boolean codesBefore(int p1, int c1, int p2, int c2) {
        int cmp = Arrays.compare(parents.get(p1).codes(), parents.get(p2).codes());
        return cmp != 0 ? cmp < 0 : c1 < c2;
    }

    private void set(int i, double s, int p, int c) {
        score[i] = s;
        parent[i] = p;
        code[i] = c;
    }

    // a min-heap by rank: the root is the worst kept entry
    private void siftUp(int i) {
        while (i > 0) {
            int up = (i - 1) / 2;
            if (!worse(i, up)) return;
            swap(i, up);
            i = up;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) return;
            int w = l + 1 < size && worse(l + 1, l) ? l + 1 : l;
            if (!worse(w, i)) return;
            swap(i, w);
            i = w;
        }
    }

    private void swap(int a, int b) {
        double s = score[a];
        score[a] = score[b];
        score[b] = s;
        int p = parent[a];
        parent[a] = parent[b];
        parent[b] = p;
        int c = code[a];
        code[a] = code[b];
        code[b] = c;
    }
}
