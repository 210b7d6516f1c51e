package dev.sidflow.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KCoreTest {

    static Dataset of(String... userItem) {
        List<Interaction> in = new ArrayList<>();
        java.util.Set<String> items = new java.util.TreeSet<>(List.of("e")); // "e": in the catalog, never used
        for (int i = 0; i < userItem.length; i++) {
            String[] p = userItem[i].split(":");
            in.add(new Interaction(p[0], p[1], i, "VIEW"));
            items.add(p[1]);
        }
        return new Dataset("t", items.stream().map(id -> Item.of(id, id.toUpperCase())).toList(), in, false);
    }

    @Test
    void removalCascadesUntilStable() {
        // counts: a3 b2 c2 d1; u3 = {a, d}, u4 = {c}. One pass would keep u3 (a) and c (u1);
        // after d and u4 go, u3 and c drop below 2 as well.
        Dataset d = of("u1:a", "u1:b", "u1:c", "u2:a", "u2:b", "u3:a", "u3:d", "u4:c");
        Dataset core = KCore.filter(d, 2);
        assertThat(core.sequences()).isEqualTo(Map.of("u1", List.of("a", "b"), "u2", List.of("a", "b")));
        assertThat(core.items()).extracting(Item::itemId).containsExactly("a", "b");
        assertThat(core.interactions()).hasSize(4);
        assertThat(core.source()).endsWith("2-core");
    }

    @Test
    void everyUserAndItemOfTheResultHasAtLeastK() {
        Dataset syn = SyntheticData.generate(new SyntheticData.Config(800, 300, 6, 11));
        Dataset core = KCore.filter(syn, 5);
        assertThat(core.interactions()).isNotEmpty().hasSizeLessThan(syn.interactions().size());
        Map<String, Long> perUser = new java.util.HashMap<>(), perItem = new java.util.HashMap<>();
        core.interactions().forEach(i -> {
            perUser.merge(i.userId(), 1L, Long::sum);
            perItem.merge(i.itemId(), 1L, Long::sum);
        });
        assertThat(perUser.values()).allMatch(c -> c >= 5);
        assertThat(perItem.values()).allMatch(c -> c >= 5);
        assertThat(perItem.keySet()).containsExactlyInAnyOrderElementsOf(core.itemsById().keySet());
    }

    @Test
    void kOfZeroOrOneKeepsAllInteractions() {
        Dataset d = of("u1:a", "u2:b");
        assertThat(KCore.filter(d, 0)).isSameAs(d);
        Dataset one = KCore.filter(d, 1);
        assertThat(one.interactions()).hasSize(2);
        assertThat(one.items()).extracting(Item::itemId).containsExactly("a", "b"); // unused "e" dropped
    }
}
