package dev.sidflow.cli;

import dev.sidflow.data.Item;
import dev.sidflow.serve.ItemAttributes;
import dev.sidflow.serve.Query;
import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidCatalog;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AskParserTest {
    static final SidCatalog CATALOG = SidCatalog.of(
            Map.of("s2pc", new SemanticId(1, 2, 3, 0), "s2x", new SemanticId(1, 2, 4, 0),
                    "wheel", new SemanticId(5, 5, 5, 0), "kart", new SemanticId(9, 1, 1, 0)),
            Map.of("s2pc", "Star Raiders 2 - PC", "s2x", "Star Raiders 2 - Xbox", "wheel", "Xbox Racing Wheel",
                    "kart", "Kart Mania - Switch"));
    static final ItemAttributes ATTRS = ItemAttributes.of(List.of(
            new Item("s2pc", "Star Raiders 2 - PC", null, null, List.of(), Map.of("platform", "PC", "genre", "Shooter")),
            new Item("s2x", "Star Raiders 2 - Xbox", null, null, List.of(), Map.of("platform", "Xbox", "genre", "Shooter")),
            new Item("wheel", "Xbox Racing Wheel", null, null, List.of("Racing"), Map.of("platform", "Xbox")),
            new Item("kart", "Kart Mania - Switch", null, null, List.of(), Map.of("platform", "Switch", "genre", "Racing"))));
    final AskParser parser = new AskParser(CATALOG, ATTRS);

    private Query parse(String text) {
        return parser.parse(text, Map.of()).query();
    }

    @Test
    void sidsAndTitlesNameTheSeedAndAttributeValuesSteer() {
        Query q = parse("Xbox games similar to " + new SemanticId(1, 2, 3, 0));
        assertThat(q.seedItem()).isEqualTo("s2pc");
        assertThat(q.activeWhere()).isEqualTo(Map.of("platform", "Xbox"));
        assertThat(q.kind()).isEqualTo(Query.Kind.STEERED);

        assertThat(parse("people who bought \"star raiders 2 - pc\" also bought").seedItem()).isEqualTo("s2pc");
        assertThat(parse("more like Star Raiders 2 - Xbox please")).satisfies(x -> {
            assertThat(x.seedItem()).isEqualTo("s2x");
            assertThat(x.kind()).isEqualTo(Query.Kind.SIMILAR); // "Xbox" inside the title is not a constraint
        });
        AskParser.Parsed fuzzy = parser.parse("like \"Star Raider 2 PC\"", Map.of());
        assertThat(fuzzy.query().seedItem()).isEqualTo("s2pc");
        assertThat(fuzzy.notes()).anySatisfy(n -> assertThat(n).contains("fuzzy match"));
    }

    @Test
    void freeTextStaysTextUnlessItIsOnlyAttributeValues() {
        Query text = parse("I like scifi and racing games");
        assertThat(text.kind()).isEqualTo(Query.Kind.TEXT);
        assertThat(text.text()).isEqualTo("I like scifi and racing games");
        assertThat(text.activeWhere()).isEmpty();

        Query steer = parse("racing games for the Switch");
        assertThat(steer.kind()).isEqualTo(Query.Kind.STEERED);
        assertThat(steer.activeWhere()).isEqualTo(Map.of("genre", "Racing", "platform", "Switch"));
        assertThat(steer.text()).isNull();

        Query followUp = parser.parse("now for Xbox", Map.of()).query();
        assertThat(followUp.activeWhere()).isEqualTo(Map.of("platform", "Xbox"));
        assertThat(followUp.hasSeed()).isFalse(); // the session supplies it (Query.followUp)
    }

    @Test
    void unknownSidsAndTitlesAreClearErrors() {
        assertThatThrownBy(() -> parse("like " + new SemanticId(1, 2, 9, 0)))
                .hasMessageContaining("unknown SID <|sid_start|><|sid_1|><|sid_258|><|sid_521|><|sid_768|><|sid_end|>")
                .hasMessageContaining("items sharing its first 2 level(s): Star Raiders 2 - PC | Star Raiders 2 - Xbox");
        assertThatThrownBy(() -> parse("like \"Mario Kart 8\""))
                .hasMessage("unknown title 'Mario Kart 8'; closest: Kart Mania - Switch");
        assertThatThrownBy(() -> parse("like <|sid_start|><|sid_1|><|sid_999|>"))
                .hasMessageContaining("malformed SID");
        List<String> notes = new ArrayList<>();
        assertThat(parser.item("kart", notes)).isEqualTo("kart");
        assertThat(parser.item("Xbox Racing Wheel", notes)).isEqualTo("wheel");
        assertThatThrownBy(() -> parser.item("Zelda", notes)).hasMessage("unknown title 'Zelda'");
    }
}
