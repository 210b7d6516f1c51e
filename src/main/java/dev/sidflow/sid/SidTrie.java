package dev.sidflow.sid;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Trie of valid semantic IDs (4 levels x 256 codes). Supports the queries constrained decoding
 * needs: which codes may follow a prefix, how many items lie under a prefix, and the item id of
 * a complete SID; plus listing, removal and longest-prefix lookup for title mapping.
 *
 * <p><b>Concurrency.</b> The trie is persistent: nodes are immutable and a write builds new nodes
 * along the one path it changes (5 nodes, each copying one sorted children array of at most 256
 * entries), then publishes the new root with a single volatile write. Hence:
 * <ul>
 *   <li>any number of readers may run concurrently with writers, without locks;</li>
 *   <li>every read method sees one complete state: all writes that finished before it started
 *       and none that had not started, never a half-applied put or remove (counts always equal
 *       the number of bound leaves below, and every code {@link #allowedNext} offers leads to at
 *       least one item);</li>
 *   <li>writers are serialized by the trie's monitor, so several writers are safe as well;</li>
 *   <li>{@link #snapshot()} returns, in O(1), an independent trie frozen at the current state, for
 *       a caller that needs several reads to agree (e.g. all four steps of one constrained decode).</li>
 * </ul>
 * Codes in prefixes are level-local (0..255); a code outside that range simply matches nothing.
 */
public final class SidTrie {
    private volatile Node root = Node.EMPTY;

    /** A SID bound to an item id, as returned by {@link #entriesUnder}. */
    public record Entry(SemanticId sid, String itemId) {}

    /** Immutable trie node. Leaves (depth 4) carry an item id; inner nodes carry children. */
    private static final class Node {
        static final Node EMPTY = new Node(new int[0], new Node[0], 0, null);

        final int[] codes; // sorted
        final Node[] children; // parallel to codes
        final int count; // bound leaves at or below this node
        final String itemId; // leaves only

        Node(int[] codes, Node[] children, int count, String itemId) {
            this.codes = codes;
            this.children = children;
            this.count = count;
            this.itemId = itemId;
        }

        Node child(int code) {
            int i = Arrays.binarySearch(codes, code);
            return i >= 0 ? children[i] : null;
        }

        /** This node with child {@code code} replaced by {@code child} (inserted if new, dropped if null). */
        Node with(int code, Node child, int countDelta) {
            int i = Arrays.binarySearch(codes, code);
            int[] c;
            Node[] ch;
            if (i >= 0 && child != null) {
                c = codes;
                ch = children.clone();
                ch[i] = child;
            } else if (i >= 0) {
                c = new int[codes.length - 1];
                ch = new Node[codes.length - 1];
                System.arraycopy(codes, 0, c, 0, i);
                System.arraycopy(codes, i + 1, c, i, codes.length - i - 1);
                System.arraycopy(children, 0, ch, 0, i);
                System.arraycopy(children, i + 1, ch, i, codes.length - i - 1);
            } else {
                int ins = -i - 1;
                c = new int[codes.length + 1];
                ch = new Node[codes.length + 1];
                System.arraycopy(codes, 0, c, 0, ins);
                System.arraycopy(codes, ins, c, ins + 1, codes.length - ins);
                System.arraycopy(children, 0, ch, 0, ins);
                System.arraycopy(children, ins, ch, ins + 1, codes.length - ins);
                c[ins] = code;
                ch[ins] = child;
            }
            return new Node(c, ch, count + countDelta, null);
        }
    }

    public SidTrie() {}

    private SidTrie(Node root) {
        this.root = root;
    }

    /** An independent trie frozen at the current state; later writes to either do not affect the other. */
    public SidTrie snapshot() {
        return new SidTrie(root);
    }

    /** Adds (or re-binds) a SID to an item id. Returns the previous item id bound to it, or null. */
    public synchronized String put(SemanticId sid, String itemId) {
        if (itemId == null) throw new IllegalArgumentException("itemId must not be null (use remove)");
        Node r = root;
        Node[] path = path(r, sid);
        String previous = path[SemanticId.LEVELS] == null ? null : path[SemanticId.LEVELS].itemId;
        int delta = previous == null ? 1 : 0;
        Node built = new Node(Node.EMPTY.codes, Node.EMPTY.children, 1, itemId);
        for (int level = SemanticId.LEVELS; level >= 1; level--) {
            Node parent = path[level - 1] == null ? Node.EMPTY : path[level - 1];
            built = parent.with(sid.code(level), built, delta);
        }
        root = built;
        return previous;
    }

    /**
     * Unbinds a SID (e.g. for a deleted catalog item) and prunes branches left empty, so counts and
     * {@link #allowedNext} stay exact. Returns the item id it was bound to, or null if absent.
     */
    public synchronized String remove(SemanticId sid) {
        Node r = root;
        Node[] path = path(r, sid);
        Node leaf = path[SemanticId.LEVELS];
        if (leaf == null) return null;
        Node built = null;
        for (int level = SemanticId.LEVELS; level >= 1; level--) {
            Node parent = path[level - 1];
            built = parent.count == 1 && level > 1 ? null : parent.with(sid.code(level), built, -1);
        }
        root = built;
        return leaf.itemId;
    }

    /** Nodes along the SID's path: index 0 is the root, index L the node after L codes (null once missing). */
    private static Node[] path(Node r, SemanticId sid) {
        Node[] path = new Node[SemanticId.LEVELS + 1];
        path[0] = r;
        Node n = r;
        for (int level = 1; level <= SemanticId.LEVELS && n != null; level++) {
            n = n.child(sid.code(level));
            path[level] = n;
        }
        return path;
    }

    private static Node find(Node r, int[] prefix) {
        if (prefix.length > SemanticId.LEVELS) throw new IllegalArgumentException("prefix longer than 4 levels");
        Node n = r;
        for (int i = 0; i < prefix.length && n != null; i++) n = n.child(prefix[i]);
        return n;
    }

    /** Codes (level-local, 0..255) allowed after the given prefix of level-local codes; empty if none. */
    public int[] allowedNext(int... prefix) {
        if (prefix.length >= SemanticId.LEVELS) return new int[0];
        Node n = find(root, prefix);
        return n == null ? new int[0] : n.codes.clone();
    }

    /** Number of items whose SID starts with the given prefix of codes (empty prefix: all items). */
    public int countUnder(int... prefix) {
        Node n = find(root, prefix);
        return n == null ? 0 : n.count;
    }

    public boolean contains(SemanticId sid) {
        return itemId(sid) != null;
    }

    /** Item id bound to a complete SID, or null. */
    public String itemId(SemanticId sid) {
        Node n = find(root, sid.codes());
        return n == null ? null : n.itemId;
    }

    public int size() {
        return root.count;
    }

    /**
     * Depth 0..4 of the longest prefix of {@code sid} present in the trie: 4 means the SID itself is
     * bound, 3 that some item shares its first three codes, ..., 0 that no item shares even the first.
     */
    public int longestPrefix(SemanticId sid) {
        Node n = root;
        int depth = 0;
        while (depth < SemanticId.LEVELS) {
            n = n.child(sid.code(depth + 1));
            if (n == null) break;
            depth++;
        }
        return depth;
    }

    /** All item ids under a prefix, in SID order. */
    public List<String> itemsUnder(int... prefix) {
        return itemsUnder(prefix, Integer.MAX_VALUE);
    }

    /** The first {@code limit} item ids under a prefix, in SID order. */
    public List<String> itemsUnder(int[] prefix, int limit) {
        List<Entry> entries = entriesUnder(prefix, limit);
        List<String> ids = new ArrayList<>(entries.size());
        for (Entry e : entries) ids.add(e.itemId());
        return ids;
    }

    /** The first {@code limit} (SID, item id) pairs under a prefix, in SID order. */
    public List<Entry> entriesUnder(int[] prefix, int limit) {
        if (limit < 0) throw new IllegalArgumentException("limit must be >= 0: " + limit);
        Node n = find(root, prefix);
        List<Entry> out = new ArrayList<>(Math.min(limit, n == null ? 0 : n.count));
        if (n == null || limit == 0) return out;
        int[] codes = new int[SemanticId.LEVELS];
        System.arraycopy(prefix, 0, codes, 0, prefix.length);
        collect(n, prefix.length, codes, limit, out);
        return out;
    }

    private static void collect(Node n, int depth, int[] codes, int limit, List<Entry> out) {
        if (depth == SemanticId.LEVELS) {
            out.add(new Entry(SemanticId.of(codes), n.itemId));
            return;
        }
        for (int i = 0; i < n.codes.length && out.size() < limit; i++) {
            codes[depth] = n.codes[i];
            collect(n.children[i], depth + 1, codes, limit, out);
        }
    }
}
