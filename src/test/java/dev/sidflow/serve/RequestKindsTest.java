package dev.sidflow.serve;

import dev.sidflow.data.Dataset;
import dev.sidflow.data.DatasetStore;
import dev.sidflow.data.Interaction;
import dev.sidflow.data.Item;
import dev.sidflow.model.TinyBundle;
import dev.sidflow.schema.Recommendation;
import dev.sidflow.schema.RecommendedItem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every request kind answered by the bundle service a real training run wrote. */
class RequestKindsTest {
    static CatalogRecommendationService service;
    static Map<String, Item> items = new HashMap<>();
    static Dataset data;

    @BeforeAll
    static void open() throws Exception {
        data = DatasetStore.read(TinyBundle.data());
        for (Item it : data.items()) items.put(it.itemId(), it);
        service = new BundleServiceFactory(TinyBundle.dir(), "cpu", 10, 1).openCatalogService();
    }

    @AfterAll
    static void close() throws Exception {
        service.close();
    }

    static RecommendRequest request(String key, List<String> history, Map<String, String> attrs, String text) {
        return new RecommendRequest(key, "u1", history, 1, 1, Query.fromWire(text, attrs));
    }

    private Recommendation answer(RecommendRequest r) {
        return service.recommend(List.of(service.validate(r))).get(0);
    }

    private static String game(String platform) {
        return data.items().stream().filter(i -> platform.equals(i.attributes().get("platform"))
                && "game".equals(i.attributes().get("kind"))).findFirst().orElseThrow().itemId();
    }

    @Test
    void itemToItemAnswersValidItemsOtherThanTheSeedEachWithAGroundedReason() {
        String seed = game("PC");
        Recommendation rec = answer(request("r1", List.of(), Map.of("seed", seed), null));
        assertThat(rec.getItems()).hasSize(10);
        assertThat(rec.getItems()).allSatisfy(i -> {
            assertThat(i.getMatchLevel()).isEqualTo(4);
            assertThat(i.getItemId()).isNotEqualTo(seed);
            assertThat(i.getReason()).isNotBlank();
        });
        // the same answer whether the seed comes as an item id or as its SID
        String sid = service.catalog().sidOf(seed).orElseThrow().toString();
        Recommendation bySid = answer(request("r2", List.of(), Map.of("seed_sid", sid), null));
        assertThat(bySid.getItems()).extracting(RecommendedItem::getItemId)
                .containsExactlyElementsOf(rec.getItems().stream().map(RecommendedItem::getItemId).toList());
        // every claimed shared SID prefix is real
        for (RecommendedItem i : rec.getItems()) {
            if (!i.getReason().contains("same SID prefix")) continue;
            int levels = service.catalog().sidOf(seed).orElseThrow().sharedLevels(service.catalog().sidOf(i.getItemId()).orElseThrow());
            assertThat(i.getReason()).contains("(the seed): same SID prefix " + Explainer.prefixText(
                    service.catalog().sidOf(seed).orElseThrow(), levels) + " (" + levels + " of 3 levels)");
        }
    }

    @Test
    void anAttributeSteeredRequestOnlyReturnsMatchingItems() {
        String seed = game("PC");
        Recommendation rec = answer(request("r3", List.of(), Map.of("seed", seed, "where.platform", "xbox"), null));
        assertThat(rec.getItems()).isNotEmpty();
        assertThat(rec.getItems()).allSatisfy(i -> {
            assertThat(items.get(i.getItemId()).attributes().get("platform")).isEqualTo("Xbox");
            assertThat(i.getReason()).endsWith("matches platform=xbox");
        });
        // next-item for a user, steered to a genre, and the same for a user without history (popularity)
        List<String> history = historyOfSomeUser();
        Recommendation steeredNext = answer(request("r4", history, Map.of("where.genre", "Racing"), null));
        Recommendation cold = answer(request("r5", List.of(), Map.of("where.genre", "Racing"), null));
        for (Recommendation r : List.of(steeredNext, cold)) {
            assertThat(r.getItems()).isNotEmpty().allSatisfy(i -> assertThat(items.get(i.getItemId()).attributes().get("genre")).isEqualTo("Racing"));
        }
        assertThat(cold.getItems().get(0).getSource().name()).isEqualTo("POPULARITY");
    }

    @Test
    void aBrandConstraintKeepsOnlyThatBrandsItemsWhateverItsCase() {
        String seed = game("PC");
        String brand = items.get(seed).brand();
        long others = items.values().stream().filter(i -> brand.equals(i.brand()) && !i.itemId().equals(seed)).count();
        Recommendation similar = answer(request("r10", List.of(), Map.of("seed", seed, "where.brand", brand.toUpperCase()), null));
        Recommendation next = answer(request("r11", historyOfSomeUser(), Map.of("where.brand", brand), null));
        assertThat(similar.getItems()).hasSize((int) Math.min(10, others));
        for (Recommendation r : List.of(similar, next)) {
            assertThat(r.getItems()).isNotEmpty().allSatisfy(i -> {
                assertThat(items.get(i.getItemId()).brand()).isEqualTo(brand);
                assertThat(i.getReason()).containsIgnoringCase("matches brand=" + brand);
            });
        }
        assertThat(similar.getItems()).extracting(RecommendedItem::getItemId).doesNotContain(seed);
    }

    @Test
    void freeTextFindsItemsByMeaningAndAHistoryReranksThem() {
        Recommendation rec = answer(request("r6", List.of(), Map.of(), "a wireless controller for the Xbox"));
        assertThat(rec.getItems()).hasSize(10);
        RecommendedItem top = rec.getItems().get(0);
        assertThat(items.get(top.getItemId()).attributes()).containsEntry("kind", "accessory").containsEntry("platform", "Xbox");
        assertThat(top.getReason()).startsWith("text similarity ");
        // similarities are facts: descending without a history
        List<Double> sims = rec.getItems().stream().map(i -> Double.parseDouble(i.getReason().substring(16, 20))).toList();
        assertThat(sims).isSortedAccordingTo((a, b) -> Double.compare(b, a));

        List<String> history = historyOfSomeUser();
        String text = "a wireless controller for the Xbox";
        Recommendation personal = answer(request("r7", history, Map.of(), text));
        List<String> answered = personal.getItems().stream().map(RecommendedItem::getItemId).toList();
        assertThat(answered).hasSize(10).doesNotContainAnyElementsOf(history);

        // The combined order: the best TEXT_CANDIDATES text matches that are not history items, by
        // ½ text log-softmax + ½ hybrid score given the history (items the hybrid does not rank: below all it ranks).
        QueryRecommender queries = service.queries();
        int n = QueryRecommender.TEXT_CANDIDATES;
        List<Candidate> byText = queries.recommend(List.of(service.validate(request("r8", List.of(), Map.of(), text))),
                n + history.size()).get(0);
        Map<String, Double> textLogp = new HashMap<>();
        List<String> matches = new ArrayList<>();
        for (Candidate c : byText) {
            String id = service.catalog().itemId(c.sid());
            if (history.contains(id) || matches.size() == n) continue;
            matches.add(id);
            textLogp.put(id, c.score());
        }
        Map<String, Double> hybrid = new HashMap<>();
        for (Candidate c : queries.hybrid().rankWithin(List.of(history), n, new java.util.HashSet<>(matches)).get(0)) {
            hybrid.put(service.catalog().itemId(c.sid()), c.score());
        }
        double floor = hybrid.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow() - 1;
        List<String> expected = matches.stream()
                .sorted(java.util.Comparator.comparingDouble((String id) -> -(0.5 * textLogp.get(id) + 0.5 * hybrid.getOrDefault(id, floor))))
                .limit(10).toList();
        assertThat(answered).containsExactlyElementsOf(expected);
        // and the history changes the answer beyond leaving out its own items
        assertThat(answered).isNotEqualTo(matches.subList(0, 10));
    }

    @Test
    void nextItemRecommendationsNowCarryReasonsToo() {
        List<String> history = historyOfSomeUser();
        Recommendation rec = answer(new RecommendRequest("r8", "u1", history, 1, 1));
        assertThat(rec.getItems()).isNotEmpty().allSatisfy(i -> assertThat(i.getReason()).isNotBlank());
    }

    @Test
    void requestsTheCatalogCannotAnswerAreRejectedWithTheirReason() {
        assertThatThrownBy(() -> service.validate(request("b1", List.of(), Map.of("seed", "no-such-item"), null)))
                .isInstanceOf(BadRequest.class).satisfies(e -> assertThat(((BadRequest) e).reason()).isEqualTo(BadRequest.Reason.UNKNOWN_ITEM));
        assertThatThrownBy(() -> service.validate(request("b2", List.of(), Map.of("seed_sid", "<|sid_start|><|sid_255|><|sid_511|><|sid_767|><|sid_1023|><|sid_end|>"), null)))
                .satisfies(e -> assertThat(((BadRequest) e).reason()).isEqualTo(BadRequest.Reason.UNKNOWN_ITEM))
                .hasMessageContaining("is not in the catalog");
        assertThatThrownBy(() -> service.validate(request("b3", List.of(), Map.of("seed", game("PC"), "where.console", "Xbox"), null)))
                .satisfies(e -> assertThat(((BadRequest) e).reason()).isEqualTo(BadRequest.Reason.UNKNOWN_ATTRIBUTE))
                .hasMessageContaining("unknown attribute 'console'; known: brand, category, franchise, genre, installment, kind, platform");
        assertThatThrownBy(() -> service.validate(request("b4", List.of(), Map.of("where.platform", "Dreamcast"), null)))
                .satisfies(e -> assertThat(((BadRequest) e).reason()).isEqualTo(BadRequest.Reason.UNKNOWN_ATTRIBUTE));
        assertThatThrownBy(() -> service.validate(request("b5", List.of(), Map.of("where.platform", "PC", "where.kind", "accessory", "where.genre", "Racing"), null)))
                .satisfies(e -> assertThat(((BadRequest) e).reason()).isEqualTo(BadRequest.Reason.BAD_REQUEST))
                .hasMessageContaining("no catalog item matches");
    }

    private static List<String> historyOfSomeUser() {
        List<String> h = new ArrayList<>();
        String user = data.interactions().get(0).userId();
        for (Interaction in : data.interactions()) if (in.userId().equals(user)) h.add(in.itemId());
        return h.size() > 10 ? h.subList(h.size() - 10, h.size()) : h;
    }
}
