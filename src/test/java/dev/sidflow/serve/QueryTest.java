package dev.sidflow.serve;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryTest {

    @Test
    void kindsAreInferredFromWhatTheRequestCarries() {
        assertThat(Query.fromWire(null, Map.of()).kind()).isEqualTo(Query.Kind.NEXT);
        assertThat(Query.fromWire(null, Map.of("seed", "i3")).kind()).isEqualTo(Query.Kind.SIMILAR);
        assertThat(Query.fromWire("I like scifi", Map.of()).kind()).isEqualTo(Query.Kind.TEXT);
        Query steered = Query.fromWire(null, Map.of("seed", "i3", "where.Platform", "Xbox", "rating", "5"));
        assertThat(steered.kind()).isEqualTo(Query.Kind.STEERED);
        assertThat(steered.activeWhere()).isEqualTo(Map.of("platform", "Xbox"));
        assertThat(Query.isQuery(null, Map.of("rating", "5"))).isFalse();
        assertThat(Query.isQuery(null, Map.of("session", "s"))).isTrue();
    }

    @Test
    void malformedRequestsAreRejectedWithAReason() {
        assertThatThrownBy(() -> Query.fromWire(null, Map.of("request", "teleport")))
                .isInstanceOf(BadRequest.class).hasMessageContaining("unknown request kind 'teleport'");
        assertThatThrownBy(() -> Query.fromWire("   ", Map.of("request", "text")))
                .hasMessageContaining("query text is empty");
        assertThatThrownBy(() -> Query.fromWire(null, Map.of("request", "text")))
                .hasMessageContaining("request=text needs a non-empty query");
        assertThatThrownBy(() -> Query.fromWire(null, Map.of("request", "similar")))
                .hasMessageContaining("needs a seed");
        assertThatThrownBy(() -> Query.fromWire(null, Map.of("seed_sid", "<|sid_start|><|sid_1|>")))
                .satisfies(e -> assertThat(((BadRequest) e).reason()).isEqualTo(BadRequest.Reason.BAD_REQUEST))
                .hasMessageContaining("seed_sid is not a SID");
        assertThatThrownBy(() -> Query.fromWire("scifi", Map.of("seed", "i1")))
                .hasMessageContaining("either a seed or a query text");
        assertThatThrownBy(() -> Query.fromWire(null, Map.of("where.", "x")))
                .hasMessageContaining("names no attribute");
    }

    @Test
    void aFollowUpKeepsTheSeedAndChangesTheAttribute() {
        Query first = Query.fromWire(null, Map.of("seed", "i3", "where.platform", "PC", "where.genre", "Action", "session", "s1"));
        Query now = Query.fromWire(null, Map.of("where.platform", "Xbox", "session", "s1")).followUp(first);
        assertThat(now.seedItem()).isEqualTo("i3");
        assertThat(now.activeWhere()).isEqualTo(Map.of("platform", "Xbox", "genre", "Action"));
        assertThat(now.kind()).isEqualTo(Query.Kind.STEERED);

        Query dropGenre = Query.fromWire(null, Map.of("where.genre", "", "session", "s1")).followUp(now);
        assertThat(dropGenre.activeWhere()).isEqualTo(Map.of("platform", "Xbox"));

        Query text = Query.fromWire("racing games", Map.of("session", "s1")).followUp(dropGenre);
        assertThat(text.seedItem()).isNull();
        assertThat(text.text()).isEqualTo("racing games");
        assertThat(text.activeWhere()).isEqualTo(Map.of("platform", "Xbox"));

        Query reset = Query.fromWire(null, Map.of("request", "next", "session", "s1")).followUp(text);
        assertThat(reset.kind()).isEqualTo(Query.Kind.NEXT);
        assertThat(reset.text()).isNull();
    }
}
