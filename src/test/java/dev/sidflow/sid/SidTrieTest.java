package dev.sidflow.sid;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SidTrieTest {
    private static SidTrie sample() {
        SidTrie t = new SidTrie();
        t.put(new SemanticId(1, 2, 3, 0), "a");
        t.put(new SemanticId(1, 2, 3, 1), "b");
        t.put(new SemanticId(1, 2, 9, 0), "c");
        t.put(new SemanticId(1, 7, 0, 0), "d");
        t.put(new SemanticId(4, 0, 0, 0), "e");
        return t;
    }

    @Test
    void prefixQueriesAndCounts() {
        SidTrie t = sample();
        assertThat(t.size()).isEqualTo(5);
        assertThat(t.countUnder()).isEqualTo(5);
        assertThat(t.countUnder(1)).isEqualTo(4);
        assertThat(t.countUnder(1, 2)).isEqualTo(3);
        assertThat(t.countUnder(1, 2, 3)).isEqualTo(2);
        assertThat(t.countUnder(1, 2, 3, 1)).isEqualTo(1);
        assertThat(t.countUnder(2)).isZero();
        assertThat(t.allowedNext()).containsExactly(1, 4);
        assertThat(t.allowedNext(1)).containsExactly(2, 7);
        assertThat(t.allowedNext(1, 2)).containsExactly(3, 9);
        assertThat(t.allowedNext(1, 2, 3)).containsExactly(0, 1);
        assertThat(t.allowedNext(1, 2, 3, 0)).isEmpty();
        assertThat(t.allowedNext(300)).isEmpty();
        assertThat(t.itemId(new SemanticId(1, 2, 9, 0))).isEqualTo("c");
        assertThat(t.contains(new SemanticId(1, 2, 9, 1))).isFalse();
    }

    @Test
    void allowedNextReturnsACopy() {
        SidTrie t = sample();
        t.allowedNext(1)[0] = 99;
        assertThat(t.allowedNext(1)).containsExactly(2, 7);
    }

    @Test
    void putRebindsWithoutChangingCounts() {
        SidTrie t = sample();
        assertThat(t.put(new SemanticId(1, 2, 3, 0), "z")).isEqualTo("a");
        assertThat(t.size()).isEqualTo(5);
        assertThat(t.countUnder(1, 2, 3)).isEqualTo(2);
        assertThat(t.itemId(new SemanticId(1, 2, 3, 0))).isEqualTo("z");
    }

    @Test
    void itemsUnderListsInSidOrderWithLimit() {
        SidTrie t = new SidTrie();
        t.put(new SemanticId(1, 7, 0, 0), "d");
        t.put(new SemanticId(1, 2, 9, 0), "c");
        t.put(new SemanticId(1, 2, 3, 1), "b");
        t.put(new SemanticId(4, 0, 0, 0), "e");
        t.put(new SemanticId(1, 2, 3, 0), "a");
        assertThat(t.itemsUnder()).containsExactly("a", "b", "c", "d", "e");
        assertThat(t.itemsUnder(1)).containsExactly("a", "b", "c", "d");
        assertThat(t.itemsUnder(new int[] {1}, 2)).containsExactly("a", "b");
        assertThat(t.itemsUnder(new int[] {1, 2, 3, 1}, 5)).containsExactly("b");
        assertThat(t.itemsUnder(new int[] {1, 2}, 0)).isEmpty();
        assertThat(t.itemsUnder(9)).isEmpty();
        assertThat(t.entriesUnder(new int[] {1, 2}, 10)).containsExactly(
                new SidTrie.Entry(new SemanticId(1, 2, 3, 0), "a"),
                new SidTrie.Entry(new SemanticId(1, 2, 3, 1), "b"),
                new SidTrie.Entry(new SemanticId(1, 2, 9, 0), "c"));
    }

    @Test
    void removeKeepsCountsExactAndPrunesEmptyBranches() {
        SidTrie t = sample();
        assertThat(t.remove(new SemanticId(1, 2, 9, 0))).isEqualTo("c");
        assertThat(t.size()).isEqualTo(4);
        assertThat(t.countUnder(1, 2)).isEqualTo(2);
        assertThat(t.allowedNext(1, 2)).containsExactly(3);
        assertThat(t.countUnder(1, 2, 9)).isZero();
        assertThat(t.remove(new SemanticId(1, 2, 9, 0))).isNull();
        assertThat(t.remove(new SemanticId(200, 2, 9, 0))).isNull();
        assertThat(t.size()).isEqualTo(4);

        t.remove(new SemanticId(4, 0, 0, 0));
        assertThat(t.allowedNext()).containsExactly(1);
        t.remove(new SemanticId(1, 2, 3, 0));
        t.remove(new SemanticId(1, 2, 3, 1));
        t.remove(new SemanticId(1, 7, 0, 0));
        assertThat(t.size()).isZero();
        assertThat(t.allowedNext()).isEmpty();
        t.put(new SemanticId(1, 2, 3, 0), "again");
        assertThat(t.countUnder(1, 2, 3)).isEqualTo(1);
    }

    @Test
    void longestPrefixDepth() {
        SidTrie t = sample();
        assertThat(t.longestPrefix(new SemanticId(1, 2, 3, 1))).isEqualTo(4);
        assertThat(t.longestPrefix(new SemanticId(1, 2, 3, 5))).isEqualTo(3);
        assertThat(t.longestPrefix(new SemanticId(1, 2, 4, 0))).isEqualTo(2);
        assertThat(t.longestPrefix(new SemanticId(1, 3, 3, 0))).isEqualTo(1);
        assertThat(t.longestPrefix(new SemanticId(0, 2, 3, 0))).isZero();
        assertThat(new SidTrie().longestPrefix(new SemanticId(0, 0, 0, 0))).isZero();
    }

    @Test
    void snapshotIsFrozen() {
        SidTrie t = sample();
        SidTrie snap = t.snapshot();
        t.remove(new SemanticId(1, 2, 3, 0));
        t.put(new SemanticId(9, 9, 9, 9), "new");
        assertThat(snap.size()).isEqualTo(5);
        assertThat(snap.contains(new SemanticId(1, 2, 3, 0))).isTrue();
        assertThat(snap.contains(new SemanticId(9, 9, 9, 9))).isFalse();
        assertThat(t.size()).isEqualTo(5);
    }

    /**
     * One writer adds and removes items while readers check invariants that a half-applied write
     * would break: the root count equals the sum of its children's counts, and every allowed code
     * leads to a non-empty subtree.
     */
    @Test
    void readersSeeConsistentStatesWhileAWriterUpdates() throws Exception {
        SidTrie t = new SidTrie();
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> violation = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(2);
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            Thread reader = new Thread(() -> {
                started.countDown();
                while (!done.get() && violation.get() == null) {
                    SidTrie s = t.snapshot();
                    int sum = 0;
                    for (int c : s.allowedNext()) {
                        int under = s.countUnder(c);
                        if (under <= 0) violation.set("empty branch under allowed code " + c);
                        sum += under;
                        for (int c2 : s.allowedNext(c)) {
                            if (s.countUnder(c, c2) <= 0) violation.set("empty branch " + c + "," + c2);
                        }
                    }
                    if (sum != s.size()) violation.set("size " + s.size() + " != sum of children " + sum);
                    int live = t.countUnder(); // non-snapshot reads must never fail either
                    if (live < 0) violation.set("negative count");
                }
            });
            reader.start();
            readers.add(reader);
        }
        started.await();
        for (int i = 0; i < 20_000; i++) {
            SemanticId sid = new SemanticId(i % 7, (i / 7) % 5, i % 3, (i / 3) % 4);
            if (i % 3 == 2) t.remove(sid);
            else t.put(sid, "item" + i);
        }
        done.set(true);
        for (Thread r : readers) r.join();
        assertThat(violation.get()).isNull();
        assertThat(t.size()).isEqualTo(t.itemsUnder().size());
    }
}
