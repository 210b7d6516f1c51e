package dev.sidflow.sid;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Trie of valid semantic IDs (4 levels x 256 codes). Supports the queries constrained decoding
 * needs: which codes may follow a prefix, how many items lie under a prefix, and the item id of
 * a complete SID. Not thread-safe for writes; reads are safe once built.
 */
public final class SidTrie {
    private final Node root = new Node();
    private int size;

    private static final class Node {
        final Map<Integer, Node> children = new HashMap<>(4);
        int[] sortedCodes = new int[0];
        int count;
        String itemId;
    }

    /** Adds (or re-binds) a SID to an item id. Returns the previous item id bound to it, or null. */
    public String put(SemanticId sid, String itemId) {
        Node n = root;
        Node[] path = new Node[SemanticId.LEVELS + 1];
        path[0] = n;
        for (int level = 1; level <= SemanticId.LEVELS; level++) {
            int code = sid.code(level);
            Node child = n.children.get(code);
            if (child == null) {
                child = new Node();
                n.children.put(code, child);
                n.sortedCodes = insertSorted(n.sortedCodes, code);
            }
            n = child;
            path[level] = n;
        }
        String previous = n.itemId;
        n.itemId = itemId;
        if (previous == null) {
            for (Node p : path) p.count++;
            size++;
        }
        return previous;
    }

    private static int[] insertSorted(int[] codes, int code) {
        int pos = Arrays.binarySearch(codes, code);
        if (pos >= 0) return codes;
        int ins = -pos - 1;
        int[] out = new int[codes.length + 1];
        System.arraycopy(codes, 0, out, 0, ins);
        out[ins] = code;
        System.arraycopy(codes, ins, out, ins + 1, codes.length - ins);
        return out;
    }

    private Node find(int[] prefix, int length) {
        if (length > SemanticId.LEVELS) throw new IllegalArgumentException("prefix longer than 4 levels");
        Node n = root;
        for (int i = 0; i < length && n != null; i++) n = n.children.get(prefix[i]);
        return n;
    }

    /** Codes (level-local, 0..255) allowed after the given prefix of level-local codes; empty if none. */
    public int[] allowedNext(int... prefix) {
        if (prefix.length >= SemanticId.LEVELS) return new int[0];
        Node n = find(prefix, prefix.length);
        return n == null ? new int[0] : n.sortedCodes.clone();
    }

    /** Number of items whose SID starts with the given prefix of codes (empty prefix: all items). */
    public int countUnder(int... prefix) {
        Node n = find(prefix, prefix.length);
        return n == null ? 0 : n.count;
    }

    public boolean contains(SemanticId sid) {
        return itemId(sid) != null;
    }

    /** Item id bound to a complete SID, or null. */
    public String itemId(SemanticId sid) {
        Node n = find(sid.codes(), SemanticId.LEVELS);
        return n == null ? null : n.itemId;
    }

    public int size() {
        return size;
    }
}
