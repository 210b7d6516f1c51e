package dev.sidflow.data;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SyntheticDataTest {

    @Test
    void sameSeedGivesIdenticalDataAndOtherSeedsDiffer() {
        SyntheticData.Config c = new SyntheticData.Config(500, 400, 6, 42);
        Dataset a = SyntheticData.generate(c);
        Dataset b = SyntheticData.generate(c);
        assertThat(a.items()).isEqualTo(b.items());
        assertThat(a.interactions()).isEqualTo(b.interactions());
        assertThat(a.source()).isEqualTo(b.source()).contains("seed=42");
        Dataset other = SyntheticData.generate(new SyntheticData.Config(500, 400, 6, 43));
        assertThat(other.interactions()).isNotEqualTo(a.interactions());
    }

    @Test
    void catalogHasTheRequestedShape() {
        Dataset d = SyntheticData.generate(new SyntheticData.Config(2000, 1000, 8, 1));
        assertThat(d.items()).hasSize(1000);
        assertThat(d.items().stream().map(Item::title).distinct().count()).isEqualTo(1000);
        long accessories = d.items().stream().filter(i -> "accessory".equals(i.attributes().get("kind"))).count();
        assertThat(accessories).isEqualTo(100);
        assertThat(d.items()).allSatisfy(i -> {
            assertThat(i.attributes().get("platform")).isIn("Xbox", "PlayStation", "Switch", "PC");
            assertThat(i.attributes()).containsKey("genre");
            assertThat(i.brand()).isNotBlank();
        });
        assertThat(d.items()).anyMatch(i -> i.title().equals("Xbox Wireless Controller"));
        assertThat(d.items()).anyMatch(i -> i.title().matches(".+ [2-6] - (Xbox|PlayStation|Switch|PC)"));
        DatasetStats s = DatasetStats.of(d);
        assertThat(s.users()).isEqualTo(2000);
        assertThat(s.meanSequence()).isBetween(6.5, 9.5);
        assertThat(s.minSequence()).isGreaterThanOrEqualTo(3);
        assertThat(s.repeatedPairs()).isZero();
        // popularity is skewed: the top 10% of items get far more than 10% of interactions
        Map<String, Integer> count = new HashMap<>();
        d.interactions().forEach(in -> count.merge(in.itemId(), 1, Integer::sum));
        int top = count.values().stream().sorted((x, y) -> y - x).limit(100).mapToInt(Integer::intValue).sum();
        assertThat((double) top / d.interactions().size()).isGreaterThan(0.3);
    }

    @Test
    void timestampsStrictlyIncreasePerUser() {
        Dataset d = SyntheticData.generate(new SyntheticData.Config(300, 200, 8, 5));
        Map<String, Long> last = new HashMap<>();
        for (Interaction in : d.interactions()) {
            Long prev = last.put(in.userId(), in.timestamp());
            if (prev != null) assertThat(in.timestamp()).isGreaterThan(prev);
        }
    }

    @Test
    void sequelsAndAccessoriesFollowFarAboveChance() {
        Dataset d = SyntheticData.generate(new SyntheticData.Config(5000, 2000, 8, 9));
        Map<String, String> sequelOf = new HashMap<>();
        Map<String, Item> byKey = new HashMap<>();
        for (Item i : d.items()) {
            if ("game".equals(i.attributes().get("kind"))) byKey.put(key(i, 0), i);
        }
        for (Item i : d.items()) {
            Item s = "game".equals(i.attributes().get("kind")) ? byKey.get(key(i, 1)) : null;
            if (s != null) sequelOf.put(i.itemId(), s.itemId());
        }
        assertThat(sequelOf).isNotEmpty();
        Map<String, Integer> popularity = new HashMap<>();
        d.interactions().forEach(in -> popularity.merge(in.itemId(), 1, Integer::sum));
        double total = d.interactions().size();

        int sequelPairs = 0, sequelHits = 0;
        double chance = 0;
        int gamePairs = 0, accessoryHits = 0;
        double accessoryChance = 0;
        // chance of a same-platform accessory: that platform's accessories' share of all interactions
        Map<String, Double> accessoryShareByPlatform = new HashMap<>();
        for (Interaction in : d.interactions()) {
            Item item = d.item(in.itemId());
            if ("accessory".equals(item.attributes().get("kind"))) {
                accessoryShareByPlatform.merge(item.attributes().get("platform"), 1 / total, Double::sum);
            }
        }
        for (List<String> seq : d.sequences().values()) {
            Set<String> seen = new HashSet<>();
            for (int t = 0; t + 1 < seq.size(); t++) {
                Item cur = d.item(seq.get(t)), next = d.item(seq.get(t + 1));
                seen.add(cur.itemId());
                String sequel = sequelOf.get(cur.itemId());
                if (sequel != null && !seen.contains(sequel)) {
                    sequelPairs++;
                    if (next.itemId().equals(sequel)) sequelHits++;
                    chance += popularity.getOrDefault(sequel, 0) / total;
                }
                if ("game".equals(cur.attributes().get("kind"))) {
                    gamePairs++;
                    accessoryChance += accessoryShareByPlatform.getOrDefault(cur.attributes().get("platform"), 0.0);
                    if ("accessory".equals(next.attributes().get("kind"))
                            && next.attributes().get("platform").equals(cur.attributes().get("platform"))) {
                        accessoryHits++;
                    }
                }
            }
        }
        double sequelRate = (double) sequelHits / sequelPairs;
        double sequelChance = chance / sequelPairs;
        double accessoryRate = (double) accessoryHits / gamePairs;
        accessoryChance /= gamePairs;
        System.out.printf("sequel follows %.3f (chance %.5f), same-platform accessory after game %.3f (chance %.3f)%n",
                sequelRate, sequelChance, accessoryRate, accessoryChance);
        assertThat(sequelRate).isGreaterThan(0.4).isGreaterThan(50 * sequelChance);
        assertThat(accessoryRate).isGreaterThan(0.1).isGreaterThan(3 * accessoryChance);
    }

    private static String key(Item game, int installmentOffset) {
        return game.attributes().get("franchise") + "|" + game.attributes().get("platform") + "|"
                + (Integer.parseInt(game.attributes().get("installment")) + installmentOffset);
    }

    @Test
    void tenThousandUsersAreFast() {
        SyntheticData.generate(new SyntheticData.Config(1000, 1000, 8, 2)); // warm up the JIT
        long t0 = System.nanoTime();
        Dataset d = SyntheticData.generate(new SyntheticData.Config(10_000, 5_000, 8, 2));
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("synthetic: 10k users, %d interactions in %.2f s%n", d.interactions().size(), seconds);
        assertThat(d.userCount()).isEqualTo(10_000);
        assertThat(seconds).isLessThan(10); // ~0.3 s alone; generous for a loaded 2-core CI
    }

    @Test
    void rejectsInvalidConfig() {
        assertThatThrownBy(() -> new SyntheticData.Config(0, 100, 5, 1)).hasMessageContaining("users");
        assertThatThrownBy(() -> new SyntheticData.Config(10, 5, 5, 1)).hasMessageContaining("items");
        assertThatThrownBy(() -> new SyntheticData.Config(10, 100, 0.5, 1)).hasMessageContaining("mean");
    }

    @Test
    void tinyCatalogStillWorks() {
        Dataset d = SyntheticData.generate(new SyntheticData.Config(50, 10, 20, 3));
        assertThat(d.items()).hasSize(10);
        assertThat(DatasetStats.of(d).maxSequence()).isLessThanOrEqualTo(5);
        assertThat(DatasetStats.of(d).repeatedPairs()).isZero();
    }
}
