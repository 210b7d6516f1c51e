package dev.sidflow.sid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * The SID core on hostile values: any int as a code or token, any prefix (wrong length, negative,
 * huge), any Unicode text as model output, item id or title. Only the documented exceptions come
 * out, and whatever comes out is consistent.
 */
class SidHostileInputPropertiesTest {

    @Property(tries = 300)
    void semanticIdAcceptsExactlyTheCodesInRange(@ForAll("anyCode") int a, @ForAll("anyCode") int b,
            @ForAll("anyCode") int c, @ForAll("anyCode") int d) {
        boolean valid = Arrays.stream(new int[] {a, b, c, d}).allMatch(x -> x >= 0 && x < 256);
        if (valid) {
            assertThat(SidCodec.parse(SidCodec.encode(new SemanticId(a, b, c, d)))).isEqualTo(new SemanticId(a, b, c, d));
        } else {
            assertThatThrownBy(() -> new SemanticId(a, b, c, d)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Property(tries = 300)
    void fromTokensAcceptsExactlyTokensInTheirLevelsRange(@ForAll("anyToken") int a, @ForAll("anyToken") int b,
            @ForAll("anyToken") int c, @ForAll("anyToken") int d) {
        int[] t = {a, b, c, d};
        boolean valid = true;
        for (int level = 0; level < 4; level++) valid &= t[level] >= level * 256 && t[level] < (level + 1) * 256;
        if (valid) {
            assertThat(SidCodec.fromTokens(a, b, c, d).tokens()).containsExactly(t);
        } else {
            assertThatThrownBy(() -> SidCodec.fromTokens(a, b, c, d)).isInstanceOf(SidFormatException.class)
                    .satisfies(e -> assertThat(((SidFormatException) e).offset()).isBetween(0, 3));
        }
    }

    @Property(tries = 300)
    void trieQueriesWithArbitraryPrefixesNeverFailUnexpectedly(@ForAll("sids") @Size(max = 20) List<SemanticId> sids,
            @ForAll @Size(max = 6) List<@net.jqwik.api.constraints.IntRange(min = -300, max = 600) Integer> prefixList,
            @ForAll("anyText") String itemId) {
        SidTrie trie = new SidTrie();
        for (SemanticId s : sids) trie.put(s, itemId + s.c1());
        int[] prefix = prefixList.stream().mapToInt(Integer::intValue).toArray();
        boolean inRange = Arrays.stream(prefix).allMatch(x -> x >= 0 && x < 256);
        if (prefix.length > 4) {
            assertThatThrownBy(() -> trie.countUnder(prefix)).isInstanceOf(IllegalArgumentException.class);
            assertThat(trie.allowedNext(prefix)).isEmpty();
            return;
        }
        long expected = sids.stream().distinct().filter(s -> SidTriePropertiesTest.startsWith(s, prefix)).count();
        assertThat(trie.countUnder(prefix)).isEqualTo(expected);
        assertThat(trie.itemsUnder(prefix)).hasSize((int) expected);
        if (!inRange) assertThat(trie.countUnder(prefix)).isZero();
        for (int next : trie.allowedNext(prefix)) assertThat(next).isBetween(0, 255);
        for (SemanticId s : sids) assertThat(trie.itemId(s)).startsWith(itemId);
    }

    @Property(tries = 300)
    void titleMappingOfArbitraryModelOutputNeverThrows(@ForAll("anyText") String noise, @ForAll("sids") @Size(min = 1, max = 10) List<SemanticId> sids,
            @ForAll("anyText") String title, @ForAll boolean embedKnownSid) {
        SidCatalog catalog = new SidCatalog();
        for (SemanticId s : Set.copyOf(sids)) catalog.put("item-" + s.c1() + "-" + s.c2() + "-" + s.c3() + "-" + s.c4(), s, title);
        TitleMapper mapper = TitleMapper.of(catalog, 3);
        SemanticId known = sids.get(0);
        String output = embedKnownSid && !noise.contains(SidCodec.TOKEN_PREFIX) ? noise + SidCodec.encode(known) + noise : noise;
        TitleMatch m = mapper.map(output);
        assertThat(m.matchLevel()).isBetween(0, 4);
        assertThat(m.render()).isNotNull();
        if (embedKnownSid && !noise.contains(SidCodec.TOKEN_PREFIX)) {
            assertThat(m.matchLevel()).isEqualTo(4);
            assertThat(m.titles()).containsExactly(title);
            assertThat(m.itemId()).isEqualTo("item-" + known.c1() + "-" + known.c2() + "-" + known.c3() + "-" + known.c4());
        }
        if (SidCodec.findFirst(output).isEmpty()) assertThat(m.matchLevel()).isZero();
    }

    @Provide
    Arbitrary<Integer> anyCode() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 255), Arbitraries.integers(),
                Arbitraries.of(-1, 256, Integer.MIN_VALUE, Integer.MAX_VALUE));
    }

    @Provide
    Arbitrary<Integer> anyToken() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 1023), Arbitraries.integers(),
                Arbitraries.of(-1, 1024, 255, 256, 511, 512, 767, 768, Integer.MIN_VALUE, Integer.MAX_VALUE));
    }

    @Provide
    Arbitrary<List<SemanticId>> sids() {
        Arbitrary<Integer> code = Arbitraries.integers().between(0, 3);
        return Combinators.combine(code, code, code, code).as(SemanticId::new).list();
    }

    /** Any Unicode, SID-token debris, control characters, very long runs. */
    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.of("", "\u0000", "<|sid_start|>", "<|sid_start|><|sid_1|>", "<|sid_-1|>", "\uD83C\uDFAE", "\uD800"),
                Arbitraries.strings().withChars("<|>_sid0123456789 ").ofMaxLength(30),
                Arbitraries.strings().all().ofMinLength(5_000).ofMaxLength(5_000));
    }
}
