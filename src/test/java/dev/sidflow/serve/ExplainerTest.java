package dev.sidflow.serve;

import dev.sidflow.data.Item;
import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidCatalog;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExplainerTest {
    static final SidCatalog CATALOG = SidCatalog.of(
            Map.of("halo", new SemanticId(1, 2, 3, 0), "halo2", new SemanticId(1, 2, 9, 0),
                    "pad", new SemanticId(7, 7, 7, 0), "kart", new SemanticId(9, 1, 1, 0)),
            Map.of("halo", "Halo - Xbox", "halo2", "Halo 2 - Xbox", "pad", "Xbox Controller", "kart", "Kart - Switch"));
    static final ItemAttributes ATTRS = ItemAttributes.of(List.of(
            new Item("halo", "Halo - Xbox", null, "Microsoft", List.of("Shooter"), Map.of("platform", "Xbox", "asin", "B0")),
            new Item("halo2", "Halo 2 - Xbox", null, "Microsoft", List.of("Shooter"), Map.of("platform", "Xbox")),
            new Item("pad", "Xbox Controller", null, "PowerA", List.of(), Map.of("platform", "Xbox")),
            new Item("kart", "Kart - Switch", null, "Nintendo", List.of("Racing"), Map.of("platform", "Switch"))));
    final Explainer explainer = new Explainer(CATALOG, ATTRS);

    @Test
    void aReasonNamesTheHistoryItemWithTheLongestSharedPrefixAndTheSharedAttributes() {
        RecommendRequest r = new RecommendRequest("r", "u", List.of("halo", "kart"), 0, 0);
        String reason = explainer.reason(r, "halo2", new Candidate(CATALOG.sidOf("halo2").orElseThrow(), -1, Candidate.Source.HYBRID));
        assertThat(reason).isEqualTo("like 'Halo - Xbox' (your history): same SID prefix <|sid_start|><|sid_1|><|sid_258|>"
                + " (2 of 3 levels), shared brand=Microsoft, category=Shooter");
    }

    @Test
    void withoutSharedFactsItSaysWhichModelRankedItFromWhatAndTheConstraintsItMatches() {
        Query q = Query.fromWire(null, Map.of("where.platform", "xbox"));
        RecommendRequest r = new RecommendRequest("r", "u", List.of("kart"), 0, 0, q);
        String reason = explainer.reason(r, "pad", new Candidate(CATALOG.sidOf("pad").orElseThrow(), -1, Candidate.Source.DENSE));
        assertThat(reason).isEqualTo("ranked by the LLMEmb dense model from your 1 recent item(s), latest 'Kart - Switch'; matches platform=xbox");

        RecommendRequest seeded = new RecommendRequest("r", "u", List.of(), 0, 0, Query.fromWire(null, Map.of("seed", "kart")));
        assertThat(explainer.reason(seeded, "pad", new Candidate(CATALOG.sidOf("pad").orElseThrow(), -1, Candidate.Source.HYBRID)))
                .isEqualTo("ranked after 'Kart - Switch' (the seed) by the generator + LLMEmb hybrid");
        RecommendRequest text = new RecommendRequest("r", "u", List.of(), 0, 0, Query.fromWire("a controller for my xbox", Map.of()));
        assertThat(explainer.reason(text, "pad", new Candidate(CATALOG.sidOf("pad").orElseThrow(), -1, Candidate.Source.DENSE, 0.6123)))
                .isEqualTo("text similarity 0.61 to \"a controller for my xbox\"");
        assertThat(explainer.reason(new RecommendRequest("r", "u", List.of(), 0, 0), "kart",
                new Candidate(CATALOG.sidOf("kart").orElseThrow(), 42, Candidate.Source.POPULARITY)))
                .isEqualTo("popular: 42 interactions in the training data");
    }

    @Test
    void attributesMatchCaseInsensitivelyAndUnknownOnesAreNamed() {
        assertThat(ATTRS.matches("halo", Map.of("platform", "XBOX", "category", "shooter"))).isTrue();
        assertThat(ATTRS.matches("kart", Map.of("platform", "Xbox"))).isFalse();
        assertThat(ATTRS.vocabulary()).doesNotContainKey("asin");
        assertThatThrownBy(() -> ATTRS.check(Map.of("platfrom", "Xbox")))
                .isInstanceOf(BadRequest.class).hasMessage("unknown attribute 'platfrom'; known: brand, category, platform");
        assertThatThrownBy(() -> ATTRS.check(Map.of("platform", "Dreamcast")))
                .hasMessage("no item has platform = 'Dreamcast'; known values: Switch, Xbox");
    }
}
