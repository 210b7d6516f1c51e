package dev.sidflow.sid;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The trie against a brute-force sorted map, after random puts and removes over a small code space. */
class SidTriePropertiesTest {
    /** A put (remove == false) or remove of a SID; codes 0..2 so prefixes are shared a lot. */
    record Op(boolean remove, SemanticId sid, String itemId) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> code = Arbitraries.integers().between(0, 2);
        Arbitrary<SemanticId> sid = Combinators.combine(code, code, code, code).as(SemanticId::new);
        return Combinators.combine(Arbitraries.integers().between(0, 3).map(k -> k == 0), sid,
                Arbitraries.strings().alpha().ofLength(3)).as(Op::new).list().ofMaxSize(60);
    }

    @Property(tries = 200)
    void countsAndListingsEqualBruteForce(@ForAll("ops") List<Op> ops) {
        SidTrie trie = new SidTrie();
        TreeMap<SemanticId, String> model = new TreeMap<>();
        for (Op op : ops) {
            if (op.remove()) {
                assertThat(trie.remove(op.sid())).isEqualTo(model.remove(op.sid()));
            } else {
                assertThat(trie.put(op.sid(), op.itemId())).isEqualTo(model.put(op.sid(), op.itemId()));
            }
        }
        assertThat(trie.size()).isEqualTo(model.size());
        assertThat(trie.itemsUnder()).containsExactlyElementsOf(model.values());
        for (int a = 0; a <= 3; a++) {
            checkPrefix(trie, model, a);
            for (int b = 0; b <= 3; b++) {
                checkPrefix(trie, model, a, b);
                for (int c = 0; c <= 3; c++) {
                    checkPrefix(trie, model, a, b, c);
                    for (int d = 0; d <= 3; d++) checkPrefix(trie, model, a, b, c, d);
                }
            }
        }
    }

    private static void checkPrefix(SidTrie trie, TreeMap<SemanticId, String> model, int... prefix) {
        List<SemanticId> under = model.keySet().stream().filter(s -> startsWith(s, prefix)).toList();
        assertThat(trie.countUnder(prefix)).isEqualTo(under.size());
        assertThat(trie.itemsUnder(prefix, 3)).containsExactlyElementsOf(
                under.stream().limit(3).map(model::get).toList());
        if (prefix.length < SemanticId.LEVELS) {
            int[] next = under.stream().mapToInt(s -> s.code(prefix.length + 1)).distinct().sorted().toArray();
            assertThat(trie.allowedNext(prefix)).containsExactly(next);
        } else {
            SemanticId sid = SemanticId.of(prefix);
            assertThat(trie.itemId(sid)).isEqualTo(model.get(sid));
            int longest = model.keySet().stream().mapToInt(s -> commonPrefix(s, sid)).max().orElse(0);
            assertThat(trie.longestPrefix(sid)).isEqualTo(longest);
        }
    }

    static boolean startsWith(SemanticId s, int[] prefix) {
        return Arrays.equals(Arrays.copyOf(s.codes(), prefix.length), prefix);
    }

    static int commonPrefix(SemanticId a, SemanticId b) {
        int n = 0;
        while (n < SemanticId.LEVELS && a.code(n + 1) == b.code(n + 1)) n++;
        return n;
    }
}
