package dev.sidflow.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DatasetStatsTest {

    @Test
    void numbersOfAHandExample() {
        // sequence lengths 1, 2, 3, 10; items x0..x9 used, "never" unused; u2 repeats x0
        List<Interaction> in = new ArrayList<>();
        long day = 86_400_000L;
        in.add(new Interaction("u1", "x0", 0, "VIEW"));
        in.add(new Interaction("u2", "x0", day, "VIEW"));
        in.add(new Interaction("u2", "x0", 2 * day, "VIEW"));
        for (int i = 0; i < 3; i++) in.add(new Interaction("u3", "x" + i, 3 * day, "VIEW"));
        for (int i = 0; i < 10; i++) in.add(new Interaction("u4", "x" + i, 10 * day, "VIEW"));
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < 10; i++) items.add(Item.of("x" + i, "X" + i));
        items.add(Item.of("never", "Never"));
        DatasetStats s = DatasetStats.of(new Dataset("hand", items, in, false));

        assertThat(s.users()).isEqualTo(4);
        assertThat(s.items()).isEqualTo(11);
        assertThat(s.interactions()).isEqualTo(16);
        assertThat(s.minSequence()).isEqualTo(1);
        assertThat(s.medianSequence()).isEqualTo(2.5);
        assertThat(s.meanSequence()).isEqualTo(4.0);
        assertThat(s.p90Sequence()).isEqualTo(10);
        assertThat(s.maxSequence()).isEqualTo(10);
        assertThat(s.itemsNeverInteracted()).isEqualTo(1);
        assertThat(s.repeatedPairs()).isEqualTo(1);
        assertThat(s.lastTimestamp() - s.firstTimestamp()).isEqualTo(10 * day);
        assertThat(s.table())
                .contains("users                     4")
                .contains("sequence length median    2.5")
                .contains("1970-01-01T00:00:00Z .. 1970-01-11T00:00:00Z (10 days)");
    }

    @Test
    void oddCountMedianAndEmptyDataset() {
        List<Interaction> in = List.of(new Interaction("a", "i", 0, "VIEW"), new Interaction("b", "i", 0, "VIEW"),
                new Interaction("b", "j", 0, "VIEW"), new Interaction("c", "i", 0, "VIEW"));
        DatasetStats s = DatasetStats.of(new Dataset("o", List.of(Item.of("i", "I"), Item.of("j", "J")), in, true));
        assertThat(s.medianSequence()).isEqualTo(1.0);
        assertThat(s.p90Sequence()).isEqualTo(2);
        assertThat(s.table()).contains("synthetic");

        DatasetStats empty = DatasetStats.of(new Dataset("e", List.of(Item.of("i", "I")), List.of(), false));
        assertThat(empty.users()).isZero();
        assertThat(empty.itemsNeverInteracted()).isEqualTo(1);
        assertThat(empty.table()).contains("time span");
    }
}
