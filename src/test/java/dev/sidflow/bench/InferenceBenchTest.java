package dev.sidflow.bench;

import dev.sidflow.model.generator.TigerConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class InferenceBenchTest {
    private static final TigerConfig VIDEO_GAMES = new TigerConfig(20, 64, 4, 2, 2, 256, 0.1f);

    @Test
    void mixedLengthHistoriesKeepTheMostRecentItemsAndSpanOneToTheWindow() {
        List<List<Integer>> full = InferenceBench.randomHistories(1000, 500, 20, 7);
        List<List<Integer>> mixed = InferenceBench.mixedLengthHistories(full, 20, 7);
        assertThat(mixed).hasSize(500);
        for (int u = 0; u < 500; u++) {
            List<Integer> h = full.get(u);
            assertThat(mixed.get(u)).isNotEmpty().hasSizeLessThanOrEqualTo(20)
                    .isEqualTo(h.subList(h.size() - mixed.get(u).size(), h.size()));
        }
        assertThat(mixed.stream().mapToInt(List::size).min().getAsInt()).isEqualTo(1);
        assertThat(mixed.stream().mapToInt(List::size).max().getAsInt()).isEqualTo(20);
    }

    @Test
    void bucketedFlopsCountEachBucketOverItsLongestHistory() {
        double window = FlopCount.tiger(VIDEO_GAMES, 20, true).total();
        List<List<Integer>> full = InferenceBench.randomHistories(1000, 64, 20, 3);
        assertThat(InferenceBench.bucketedFlops(VIDEO_GAMES, 20, full, 64)).isCloseTo(window, within(1e-6 * window));
        // 32 users with 1 item and 32 with 20: two buckets, the short one far cheaper
        List<List<Integer>> two = new java.util.ArrayList<>(full.subList(0, 32));
        for (List<Integer> h : full.subList(32, 64)) two.add(h.subList(19, 20));
        double one = FlopCount.tiger(new TigerConfig(1, 64, 4, 2, 2, 256, 0.1f), 20, true).total();
        assertThat(InferenceBench.bucketedFlops(VIDEO_GAMES, 20, two, 64)).isCloseTo((window + one) / 2, within(1e-6 * window));
    }
}
