package dev.sidflow.sid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DedupAssignerTest {
    @Test
    void assignsIncreasingDedupCodesPerThreeLevelPrefixInItemOrder() {
        List<int[]> codes = List.of(
                new int[] {1, 2, 3}, new int[] {4, 5, 6}, new int[] {1, 2, 3}, new int[] {1, 2, 3}, new int[] {4, 5, 7});
        DedupAssigner.Assignment a = DedupAssigner.assign(codes);
        assertThat(a.sids()).containsExactly(
                new SemanticId(1, 2, 3, 0), new SemanticId(4, 5, 6, 0), new SemanticId(1, 2, 3, 1),
                new SemanticId(1, 2, 3, 2), new SemanticId(4, 5, 7, 0));
        CollisionStats s = a.stats();
        assertThat(s.items()).isEqualTo(5);
        assertThat(s.distinctPrefixes()).isEqualTo(3);
        assertThat(s.uniqueItems()).isEqualTo(2);
        assertThat(s.shareUnique()).isEqualTo(0.4);
        assertThat(s.largestGroup()).isEqualTo(3);
        assertThat(s.groupSizeHistogram()).containsExactly(entry(1, 2), entry(3, 1));
        assertThat(s.toString()).isEqualTo("""
                items: 5
                distinct 3-level prefixes: 3
                items with a unique 3-level SID: 2 (40.00%)
                largest collision group: 3
                group sizes (size: groups): 1: 2, 3: 1""");
    }

    @Test
    void deterministicForAGivenOrderAndAlwaysUnique() {
        Random rnd = new Random(7);
        List<int[]> codes = new ArrayList<>();
        for (int i = 0; i < 2000; i++) codes.add(new int[] {rnd.nextInt(4), rnd.nextInt(4), rnd.nextInt(8)});
        DedupAssigner.Assignment first = DedupAssigner.assign(codes);
        DedupAssigner.Assignment second = DedupAssigner.assign(new ArrayList<>(codes));
        assertThat(second).isEqualTo(first);
        assertThat(new HashSet<>(first.sids())).hasSize(codes.size());
        assertThat(CollisionStats.of(first.sids())).isEqualTo(first.stats());
        assertThat(first.stats().histogramTotal()).isEqualTo(codes.size());

        List<int[]> shuffled = new ArrayList<>(codes);
        Collections.shuffle(shuffled, new Random(1));
        DedupAssigner.Assignment other = DedupAssigner.assign(shuffled);
        assertThat(other.stats()).isEqualTo(first.stats()); // stats do not depend on order
        for (int i = 0; i < codes.size(); i++) {
            assertThat(first.sids().get(i).codes()).startsWith(codes.get(i));
        }
    }

    @Test
    void genericVariantReadsCodesFromItems() {
        record Item(String id, int[] codes) {}
        List<Item> items = List.of(new Item("a", new int[] {0, 0, 0}), new Item("b", new int[] {0, 0, 0}));
        assertThat(DedupAssigner.assign(items, Item::codes).sids())
                .containsExactly(new SemanticId(0, 0, 0, 0), new SemanticId(0, 0, 0, 1));
    }

    @Test
    void failsClearlyWhenAGroupExceeds256() {
        List<int[]> codes = new ArrayList<>();
        codes.add(new int[] {1, 1, 1});
        for (int i = 0; i < 256; i++) codes.add(new int[] {9, 8, 7});
        assertThat(DedupAssigner.assign(codes).stats().largestGroup()).isEqualTo(256);
        codes.add(new int[] {9, 8, 7});
        assertThatThrownBy(() -> DedupAssigner.assign(codes))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("dedup overflow: item #257 is the 257th item with 3-level code (9,8,7); "
                        + "the dedup level has only 256 codes");
    }

    @Test
    void rejectsBadCodes() {
        assertThatThrownBy(() -> DedupAssigner.assign(List.of(new int[] {1, 2})))
                .hasMessage("item #0: expected 3 codes, got 2");
        assertThatThrownBy(() -> DedupAssigner.assign(List.of(new int[] {1, 2, 3}, new int[] {1, 256, 3})))
                .hasMessage("item #1: level-2 code 256 out of range [0, 256)");
    }

    @Test
    void emptyInput() {
        DedupAssigner.Assignment a = DedupAssigner.assign(List.of());
        assertThat(a.sids()).isEmpty();
        assertThat(a.stats().shareUnique()).isEqualTo(1.0);
        assertThat(a.stats().report()).endsWith("group sizes (size: groups): none");
    }
}
