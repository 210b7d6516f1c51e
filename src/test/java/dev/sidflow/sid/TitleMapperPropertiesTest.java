package dev.sidflow.sid;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Title mapping against brute force: longest common prefix with any catalog SID. */
class TitleMapperPropertiesTest {
    @Provide
    Arbitrary<SemanticId> sid() {
        Arbitrary<Integer> code = Arbitraries.integers().between(0, 2);
        return Combinators.combine(code, code, code, code).as(SemanticId::new);
    }

    @Provide
    Arbitrary<Set<SemanticId>> catalogSids() {
        return sid().set().ofMaxSize(30);
    }

    @Property(tries = 200)
    void matchLevelIsTheLongestCommonPrefixWithTheCatalog(@ForAll("catalogSids") Set<SemanticId> sids,
            @ForAll("sid") SemanticId query) {
        SidCatalog catalog = new SidCatalog();
        TreeSet<SemanticId> sorted = new TreeSet<>(sids);
        for (SemanticId s : sorted) catalog.put(title(s), s, "T" + title(s));
        TitleMatch m = TitleMapper.of(catalog, 3).map(query);

        int level = sorted.stream().mapToInt(s -> SidTriePropertiesTest.commonPrefix(s, query)).max().orElse(0);
        assertThat(m.matchLevel()).isEqualTo(level);
        int[] prefix = Arrays.copyOf(query.codes(), level);
        List<SemanticId> sharing = sorted.stream().filter(s -> SidTriePropertiesTest.startsWith(s, prefix)).toList();
        if (level == 0) {
            assertThat(m.similarCount()).isZero();
            assertThat(m.render()).isEqualTo("[Unknown Item]");
        } else {
            assertThat(m.similarCount()).isEqualTo(sharing.size());
            assertThat(m.titles()).containsExactlyElementsOf(
                    sharing.stream().limit(3).map(s -> "T" + title(s)).toList());
            assertThat(m.render()).startsWith("\"T" + title(sharing.get(0)) + "\"");
        }
        assertThat(m.itemId()).isEqualTo(level == 4 ? title(query) : null);
    }

    private static String title(SemanticId s) {
        return s.c1() + "." + s.c2() + "." + s.c3() + "." + s.c4();
    }
}
