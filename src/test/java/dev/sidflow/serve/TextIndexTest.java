package dev.sidflow.serve;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class TextIndexTest {

    @Test
    void returnsTheNMostSimilarBestFirstWithTiesByItemId() {
        TextIndex index = new TextIndex();
        index.put("b", new float[] {1, 0});
        index.put("a", new float[] {2, 0});       // same direction as b: a tie, broken by id
        index.put("c", new float[] {1, 1});
        index.put("d", new float[] {0, 1});
        index.put("e", new float[] {-1, 0});
        List<TextIndex.Hit> hits = index.search(new float[] {1, 0}, 3, id -> true);
        assertThat(hits).extracting(TextIndex.Hit::itemId).containsExactly("a", "b", "c");
        assertThat(hits.get(0).similarity()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(hits.get(2).similarity()).isCloseTo(Math.sqrt(0.5), org.assertj.core.data.Offset.offset(1e-6));
        // filtered, removed and re-put items; more asked for than there are
        index.remove("a");
        index.put("d", new float[] {1, 0.1f});
        assertThat(index.search(new float[] {1, 0}, 10, id -> !id.equals("b")))
                .extracting(TextIndex.Hit::itemId).containsExactly("d", "c", "e");
        assertThat(index.search(new float[] {1, 0}, 0, id -> true)).isEmpty();
    }

    @Test
    void theTopNIsThePrefixOfTheFullRanking() {
        TextIndex index = new TextIndex();
        Random rnd = new Random(5);
        for (int i = 0; i < 500; i++) {
            float[] v = new float[8];
            for (int j = 0; j < v.length; j++) v[j] = (float) rnd.nextGaussian();
            index.put("item-" + i, v);
        }
        float[] q = new float[8];
        for (int j = 0; j < q.length; j++) q[j] = (float) rnd.nextGaussian();
        List<TextIndex.Hit> all = index.search(q, 500, id -> true);
        assertThat(all).hasSize(500);
        assertThat(IntStream.range(1, all.size()).allMatch(i -> all.get(i - 1).similarity() >= all.get(i).similarity())).isTrue();
        for (int n : new int[] {1, 7, 50}) assertThat(index.search(q, n, id -> true)).isEqualTo(all.subList(0, n));
    }
}
