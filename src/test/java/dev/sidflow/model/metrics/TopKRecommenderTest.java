package dev.sidflow.model.metrics;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopKRecommenderTest {
    /** Ranks items 0, 1, 2, ... for everyone, and records how many it was asked for. */
    private static final class Ascending implements TopKRecommender {
        final List<Integer> asked = new ArrayList<>();

        @Override
        public List<int[]> recommend(List<List<Integer>> histories, int k) {
            asked.add(k);
            List<int[]> out = new ArrayList<>();
            for (int i = 0; i < histories.size(); i++) {
                int[] list = new int[k];
                for (int j = 0; j < k; j++) list[j] = j;
                out.add(list);
            }
            return out;
        }
    }

    @Test
    void dropsTheItemsOfTheRecentHistoryAndStillFillsK() {
        Ascending ranker = new Ascending();
        List<int[]> lists = ranker.droppingRecent(3).recommend(List.of(List.of(9, 0, 2, 4), List.of(1), List.of()), 4);
        // only the last 3 history items are dropped: item 9 is older, it could come back (it is not in the top here)
        assertThat(lists.get(0)).containsExactly(1, 3, 5, 6);
        assertThat(lists.get(1)).containsExactly(0, 2, 3, 4);
        assertThat(lists.get(2)).containsExactly(0, 1, 2, 3);
        assertThat(ranker.asked).containsExactly(4 + 3);
    }

    @Test
    void anItemOlderThanTheWindowMayBeRecommendedAgain() {
        List<int[]> lists = new Ascending().droppingRecent(1).recommend(List.of(List.of(0, 1)), 2);
        assertThat(lists.get(0)).containsExactly(0, 2);
        assertThat(new Ascending().droppingRecent(0).recommend(List.of(List.of(0, 1)), 2).get(0)).containsExactly(0, 1);
        assertThatThrownBy(() -> new Ascending().droppingRecent(-1)).hasMessageContaining(">= 0");
    }
}
