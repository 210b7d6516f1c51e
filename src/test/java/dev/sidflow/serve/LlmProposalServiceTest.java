package dev.sidflow.serve;

import dev.sidflow.data.DatasetStore;
import dev.sidflow.data.Item;
import dev.sidflow.model.ModelBundle;
import dev.sidflow.model.TinyBundle;
import dev.sidflow.schema.Recommendation;
import dev.sidflow.schema.RecommendationSource;
import dev.sidflow.schema.RecommendedItem;
import dev.sidflow.serve.llm.LlmOutcomes;
import dev.sidflow.serve.llm.LlmProposal;
import dev.sidflow.sid.SemanticId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The served service taking LLM proposals: validation against the live catalog and the request, fill-up and fallback. */
class LlmProposalServiceTest {
    static RecommendationService service;
    static List<String> ids;
    static Map<String, SemanticId> sids;

    @BeforeAll
    static void open() throws Exception {
        ModelBundle bundle = ModelBundle.open(TinyBundle.dir());
        ids = bundle.itemIds();
        sids = bundle.sids();
        service = new BundleServiceFactory(TinyBundle.dir(), "cpu", 10, 1).open();
    }

    @AfterAll
    static void close() throws Exception {
        service.close();
    }

    private static RecommendRequest request(String key, String... history) {
        return new RecommendRequest(key, "u-" + key, List.of(history), 0, 0);
    }

    private static List<RecommendationSource> sources(Recommendation r) {
        return r.getItems().stream().map(RecommendedItem::getSource).toList();
    }

    @Test
    void validProposalsLeadInvalidOnesAreDroppedAndCountedAndFailuresFallBack() {
        SemanticId a = sids.get(ids.get(10)), b = sids.get(ids.get(11)), recent = sids.get(ids.get(0));
        SemanticId unknown = new SemanticId(255, 255, 255, 255);
        List<RecommendRequest> batch = List.of(
                request("ok", ids.get(0), ids.get(1)),
                request("recent-only", ids.get(0), ids.get(1)),
                request("no-answer", ids.get(0), ids.get(1)),
                request("garbage", ids.get(0), ids.get(1)));
        List<LlmProposal> proposals = new ArrayList<>();
        proposals.add(new LlmProposal(List.of(unknown, a, recent, b), 2));
        proposals.add(new LlmProposal(List.of(recent), 0));
        proposals.add(null);
        proposals.add(new LlmProposal(List.of(), 1));
        LlmOutcomes before = service.llmOutcomes();
        List<Recommendation> recs = service.recommend(batch, proposals);

        assertThat(recs).hasSize(4);
        for (Recommendation r : recs) {
            assertThat(r.getItems()).hasSize(10);
            assertThat(r.getItems()).allSatisfy(i -> assertThat(i.getMatchLevel()).isEqualTo(4));
            assertThat(r.getItems()).noneMatch(i -> i.getItemId().equals(ids.get(0)) || i.getItemId().equals(ids.get(1)));
        }
        // valid, new proposals first in the LLM's order; the model fills the rest
        Recommendation ok = recs.get(0);
        assertThat(ok.getItems().get(0).getSid()).isEqualTo(a.toString());
        assertThat(ok.getItems().get(1).getSid()).isEqualTo(b.toString());
        assertThat(sources(ok).subList(0, 2)).containsOnly(RecommendationSource.LLM);
        assertThat(sources(ok).subList(2, 10)).doesNotContain(RecommendationSource.LLM);
        // nothing usable: the built-in model alone, exactly what it recommends without proposals
        Recommendation builtin = service.recommend(List.of(request("ref", ids.get(0), ids.get(1)))).get(0);
        for (int i = 1; i < 4; i++) {
            assertThat(sources(recs.get(i))).doesNotContain(RecommendationSource.LLM);
            assertThat(recs.get(i).getItems().stream().map(RecommendedItem::getSid).toList())
                    .isEqualTo(builtin.getItems().stream().map(RecommendedItem::getSid).toList());
        }
        LlmOutcomes after = service.llmOutcomes();
        assertThat(after.served() - before.served()).isEqualTo(1);
        assertThat(after.fallbacks() - before.fallbacks()).isEqualTo(3);
        assertThat(after.invalidSids() - before.invalidSids()).isEqualTo(1 + 2 + 1); // unknown SID + malformed fragments
    }

    @Test
    void proposalsBreakingASteeredOrItemToItemRequestAreDroppedBeforeTheyLead() throws Exception {
        Map<String, String> platform = new HashMap<>();
        for (Item it : DatasetStore.read(TinyBundle.data()).items()) platform.put(it.itemId(), it.attributes().get("platform"));
        List<String> xbox = ids.stream().filter(id -> "Xbox".equals(platform.get(id))).toList();
        List<String> pc = ids.stream().filter(id -> "PC".equals(platform.get(id))).toList();
        String seed = pc.get(0), otherPc = pc.get(1), recent = xbox.get(0), wanted = xbox.get(1);
        RecommendRequest steered = new RecommendRequest("steered", "u-s", List.of(recent), 0, 0,
                Query.fromWire(null, Map.of("seed", seed, "where.platform", "Xbox")));
        RecommendRequest similar = new RecommendRequest("similar", "u-i", List.of(), 0, 0, Query.fromWire(null, Map.of("seed", seed)));
        List<LlmProposal> proposals = List.of(
                // off-platform, the seed, the user's own item, then the one item the request allows
                new LlmProposal(List.of(sids.get(otherPc), sids.get(seed), sids.get(recent), sids.get(wanted)), 0),
                new LlmProposal(List.of(sids.get(seed)), 0));
        LlmOutcomes before = service.llmOutcomes();
        List<Recommendation> recs = service.recommend(List.of(steered, similar), proposals);

        Recommendation s = recs.get(0);
        assertThat(s.getItems()).hasSize(10);
        assertThat(s.getItems().get(0).getItemId()).isEqualTo(wanted);
        assertThat(sources(s).subList(0, 1)).containsOnly(RecommendationSource.LLM);
        assertThat(sources(s).subList(1, 10)).doesNotContain(RecommendationSource.LLM);
        assertThat(s.getItems()).allSatisfy(i -> assertThat(platform.get(i.getItemId())).isEqualTo("Xbox"))
                .noneMatch(i -> i.getItemId().equals(seed) || i.getItemId().equals(recent));
        // the seed alone is no answer to "similar to the seed": the built-in model answers, as without the LLM
        Recommendation i = recs.get(1);
        assertThat(sources(i)).doesNotContain(RecommendationSource.LLM);
        assertThat(i.getItems().stream().map(RecommendedItem::getItemId).toList())
                .isEqualTo(service.recommend(List.of(similar)).get(0).getItems().stream().map(RecommendedItem::getItemId).toList())
                .doesNotContain(seed);
        LlmOutcomes after = service.llmOutcomes();
        assertThat(after.served() - before.served()).isEqualTo(1);
        assertThat(after.fallbacks() - before.fallbacks()).isEqualTo(1);
        assertThat(after.invalidSids() - before.invalidSids()).isZero();
    }
}
