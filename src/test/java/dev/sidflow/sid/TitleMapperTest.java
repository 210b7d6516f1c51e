package dev.sidflow.sid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TitleMapperTest {
    private static SidCatalog catalog() {
        SidCatalog c = new SidCatalog();
        c.put("m1", new SemanticId(3, 44, 88, 0), "Heat");
        c.put("m2", new SemanticId(3, 44, 88, 1), "Heat 2");
        c.put("m3", new SemanticId(3, 44, 90, 0), "Ronin");
        c.put("m4", new SemanticId(3, 50, 1, 0), "Alien");
        c.put("m5", new SemanticId(7, 1, 1, 0), "Clue");
        return c;
    }

    private final TitleMapper mapper = TitleMapper.of(catalog(), 2);

    @Test
    void exactMatch() {
        TitleMatch m = mapper.map(new SemanticId(3, 44, 88, 1));
        assertThat(m).isEqualTo(new TitleMatch(4, "m2", List.of("Heat 2"), 1, new SemanticId(3, 44, 88, 1)));
        assertThat(m.render()).isEqualTo("\"Heat 2\"");
        assertThat(m.exact()).isTrue();
    }

    @Test
    void level3MatchListsItemsSharingThreeCodes() {
        TitleMatch m = mapper.map(new SemanticId(3, 44, 88, 2));
        assertThat(m.matchLevel()).isEqualTo(3);
        assertThat(m.itemId()).isNull();
        assertThat(m.titles()).containsExactly("Heat", "Heat 2");
        assertThat(m.similarCount()).isEqualTo(2);
        assertThat(m.render()).isEqualTo("\"Heat\" (L3 match) [+1 similar]");
    }

    @Test
    void level2MatchIsLimitedToMaxTitlesButCountsAll() {
        TitleMatch m = mapper.map(new SemanticId(3, 44, 7, 0));
        assertThat(m.matchLevel()).isEqualTo(2);
        assertThat(m.titles()).containsExactly("Heat", "Heat 2");
        assertThat(m.similarCount()).isEqualTo(3);
        assertThat(m.render()).isEqualTo("\"Heat\" (L2 match) [+2 similar]");
    }

    @Test
    void level1MatchWithASingleItemHasNoBracket() {
        TitleMatch m = mapper.map(new SemanticId(7, 9, 9, 9));
        assertThat(m.matchLevel()).isEqualTo(1);
        assertThat(m.titles()).containsExactly("Clue");
        assertThat(m.similarCount()).isEqualTo(1);
        assertThat(m.render()).isEqualTo("\"Clue\" (L1 match)");
    }

    @Test
    void unknownItem() {
        TitleMatch m = mapper.map(new SemanticId(8, 44, 88, 0));
        assertThat(m).isEqualTo(TitleMatch.unknown(new SemanticId(8, 44, 88, 0)));
        assertThat(m.render()).isEqualTo("[Unknown Item]");
        assertThat(m.known()).isFalse();
    }

    @Test
    void mapsModelTextByItsFirstWellFormedSid() {
        assertThat(mapper.map("<|sid_start|><|sid_3|><|sid_300|><|sid_600|><|sid_768|><|sid_end|><|im_end|>").render())
                .isEqualTo("\"Heat\"");
        assertThat(mapper.map("<|sid_start|><|sid_3|><|sid_end|> garbage").render()).isEqualTo("[Unknown Item]");
        assertThat(mapper.map("").sid()).isNull();
    }

    @Test
    void followsOnlineCatalogUpdates() {
        SidCatalog c = catalog();
        TitleMapper live = TitleMapper.of(c, 5);
        SemanticId heat = new SemanticId(3, 44, 88, 0);
        c.updateTitle("m1", "Heat (1995)");
        assertThat(live.map(heat).render()).isEqualTo("\"Heat (1995)\"");
        c.remove("m1");
        assertThat(live.map(heat).render()).isEqualTo("\"Heat 2\" (L3 match)");
        c.remove("m2");
        assertThat(live.map(heat).render()).isEqualTo("\"Ronin\" (L2 match)");
    }

    @Test
    void mapperOverPlainTrieFallsBackToItemIdWithoutTitle() {
        SidTrie trie = new SidTrie();
        trie.put(new SemanticId(1, 1, 1, 0), "x");
        trie.put(new SemanticId(1, 1, 1, 1), "y");
        TitleMapper m = new TitleMapper(trie, Map.of("x", "Xanadu"), 5);
        assertThat(m.map(new SemanticId(1, 1, 1, 1)).render()).isEqualTo("\"y\"");
        assertThat(m.map(new SemanticId(1, 1, 2, 1)).render()).isEqualTo("\"Xanadu\" (L2 match) [+1 similar]");
    }

    @Test
    void titleMatchRejectsInconsistentValues() {
        SemanticId s = new SemanticId(0, 0, 0, 0);
        assertThatThrownBy(() -> new TitleMatch(4, null, List.of("t"), 1, s)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TitleMatch(2, "id", List.of("t"), 1, s)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TitleMatch(2, null, List.of(), 1, s)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TitleMatch(0, null, List.of("t"), 0, s)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TitleMatch(5, null, List.of(), 0, s)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TitleMapper(new SidTrie(), Map.of(), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
