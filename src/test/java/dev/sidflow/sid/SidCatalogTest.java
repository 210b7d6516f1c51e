package dev.sidflow.sid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SidCatalogTest {
    @Test
    void putUpdateMoveRemove() {
        SidCatalog c = new SidCatalog();
        SemanticId a = new SemanticId(1, 2, 3, 0);
        SemanticId b = new SemanticId(1, 2, 4, 0);
        c.put("x", a, "X");
        assertThat(c.itemId(a)).isEqualTo("x");
        assertThat(c.sidOf("x")).contains(a);
        assertThat(c.updateTitle("x", "X2")).isTrue();
        assertThat(c.titleOrId("x")).isEqualTo("X2");
        assertThat(c.updateTitle("nope", "t")).isFalse();

        c.put("x", b, "X3"); // move to a new SID
        assertThat(c.itemId(a)).isNull();
        assertThat(c.itemId(b)).isEqualTo("x");
        assertThat(c.size()).isEqualTo(1);

        assertThat(c.remove("x")).hasValueSatisfying(e -> assertThat(e.title()).isEqualTo("X3"));
        assertThat(c.size()).isZero();
        assertThat(c.trieSnapshot().countUnder(1)).isZero();
        assertThat(c.remove("x")).isEmpty();
        assertThat(c.titleOrId("x")).isEqualTo("x");
    }

    @Test
    void refusesToBindATakenSidToAnotherItem() {
        SidCatalog c = new SidCatalog();
        SemanticId a = new SemanticId(1, 2, 3, 0);
        c.put("x", a, "X");
        assertThatThrownBy(() -> c.put("y", a, "Y"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already bound to item 'x'");
        assertThat(c.entry("y")).isEmpty();
    }

    @Test
    void addPicksDedupCodesWithoutReusingFreedOnes() {
        SidCatalog c = new SidCatalog();
        assertThat(c.add("a", 5, 6, 7, "A").c4()).isZero();
        assertThat(c.add("b", 5, 6, 7, "B").c4()).isEqualTo(1);
        assertThat(c.add("c", 5, 6, 8, "C").c4()).isZero();
        c.remove("a");
        assertThat(c.add("d", 5, 6, 7, "D").c4()).isEqualTo(2); // 0 was freed but is not reused yet
        c.put("e", new SemanticId(5, 6, 7, 255), "E");
        assertThat(c.add("f", 5, 6, 7, "F").c4()).isZero(); // 255 taken: lowest free code
        assertThat(c.add("g", 5, 6, 7, "G").c4()).isEqualTo(3);
        assertThatThrownBy(() -> c.add("g", 1, 1, 1, "G")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void addFailsWhenAllDedupCodesAreTaken() {
        SidCatalog c = new SidCatalog();
        for (int i = 0; i < 256; i++) c.add("i" + i, 0, 0, 0, "t");
        assertThatThrownBy(() -> c.add("last", 0, 0, 0, "t"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("all 256 dedup codes under (0,0,0) are taken; cannot add item 'last'");
    }

    @Test
    void ofBuildsFromMapsWithIdFallbackTitles() {
        SidCatalog c = SidCatalog.of(Map.of("x", new SemanticId(0, 0, 0, 0), "y", new SemanticId(0, 0, 0, 1)),
                Map.of("x", "Ex"));
        assertThat(c.size()).isEqualTo(2);
        assertThat(c.titleOrId("x")).isEqualTo("Ex");
        assertThat(c.entry("y")).hasValueSatisfying(e -> assertThat(e.title()).isEqualTo("y"));
    }
}
