package dev.sidflow.sid;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class SidCodecPropertiesTest {

    @Property(tries = 200)
    void encodeParseRoundTrip(@ForAll @IntRange(max = 255) int c1, @ForAll @IntRange(max = 255) int c2,
            @ForAll @IntRange(max = 255) int c3, @ForAll @IntRange(max = 255) int c4) {
        SemanticId sid = new SemanticId(c1, c2, c3, c4);
        String text = SidCodec.encode(sid);
        assertThat(SidCodec.parse(text)).isEqualTo(sid);
        assertThat(SidCodec.extractAll(text)).containsExactly(sid);
        int[] t = sid.tokens();
        assertThat(SidCodec.fromTokens(t[0], t[1], t[2], t[3])).isEqualTo(sid);
    }

    @Property(tries = 200)
    void parseOfArbitraryTextThrowsOnlySidFormatException(@ForAll("sidLikeText") String text) {
        SidScan scan = checkParseAndScan(text);
        // The generator must exercise both outcomes often, or the property proves little.
        Statistics.label("has match").collect(!scan.matches().isEmpty());
        Statistics.label("has malformed").collect(!scan.malformed().isEmpty());
        Statistics.label("has match").coverage(c -> c.check(true).percentage(p -> p > 10));
        Statistics.label("has malformed").coverage(c -> c.check(true).percentage(p -> p > 10));
    }

    @Property(tries = 200)
    void parseOfArbitraryStringsThrowsOnlySidFormatException(@ForAll String text) {
        checkParseAndScan(text);
    }

    /** parse either succeeds or throws SidFormatException; scanning never throws and is self-consistent. */
    private static SidScan checkParseAndScan(String text) {
        SemanticId parsed = null;
        try {
            parsed = SidCodec.parse(text);
        } catch (SidFormatException e) {
            assertThat(e.offset()).isBetween(0, text.length());
        }
        SidScan scan = SidCodec.scan(text);
        if (parsed != null) {
            assertThat(scan.sids()).containsExactly(parsed);
            assertThat(scan.clean()).isTrue();
        }
        assertThat(SidCodec.extractAll(text)).isEqualTo(scan.sids());
        assertThat(SidCodec.findAll(text)).isEqualTo(scan.matches());
        // Matches and fragments are exact substrings, in order, and never overlap.
        List<int[]> spans = new ArrayList<>();
        for (SidMatch m : scan.matches()) {
            assertThat(text.substring(m.start(), m.end())).isEqualTo(m.text());
            assertThat(SidCodec.parse(m.text())).isEqualTo(m.sid());
            spans.add(new int[] {m.start(), m.end()});
        }
        for (MalformedSid m : scan.malformed()) {
            assertThat(text.substring(m.start(), m.end())).isEqualTo(m.text());
            assertThat(m.offset()).isBetween(m.start(), text.length());
            assertThat(m.end()).isGreaterThan(m.start());
            spans.add(new int[] {m.start(), m.end()});
        }
        spans.sort((a, b) -> Integer.compare(a[0], b[0]));
        for (int i = 1; i < spans.size(); i++) assertThat(spans.get(i)[0]).isGreaterThanOrEqualTo(spans.get(i - 1)[1]);
        return scan;
    }

    @Property(tries = 200)
    void extractAllFindsExactlyTheEmbeddedSids(@ForAll("sids") @Size(max = 6) List<SemanticId> sids,
            @ForAll("noise") @Size(min = 7, max = 7) List<String> noise) {
        StringBuilder text = new StringBuilder(noise.get(0));
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i < sids.size(); i++) {
            starts.add(text.length());
            text.append(SidCodec.encode(sids.get(i))).append(noise.get(i + 1));
        }
        String s = text.toString();
        assertThat(SidCodec.extractAll(s)).isEqualTo(sids);
        SidScan scan = SidCodec.scan(s);
        assertThat(scan.clean()).as("malformed: %s", scan.malformed()).isTrue();
        assertThat(scan.matches()).extracting(SidMatch::start).isEqualTo(starts);
        assertThat(SidCodec.findFirst(s)).isEqualTo(sids.stream().findFirst());
    }

    @Provide
    Arbitrary<List<SemanticId>> sids() {
        Arbitrary<Integer> code = Arbitraries.integers().between(0, 255);
        return Combinators.combine(code, code, code, code).as(SemanticId::new).list();
    }

    /** Text that may contain '<', '|', digits, whitespace and other tokens, but never the SID prefix. */
    @Provide
    Arbitrary<List<String>> noise() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.strings().withChars("<|>_sidtarenm0123456789 ,\n").ofMaxLength(12),
                Arbitraries.of("<|im_end|>", "<|rec|>", ", ", "<|sid", "|>", "<"));
        return piece.list().ofMaxSize(3).map(l -> String.join("", l))
                .filter(s -> !s.contains(SidCodec.TOKEN_PREFIX)).list();
    }

    /** Concatenations of whole SIDs, SID tokens (valid, out of range, misordered), fragments and prose. */
    @Provide
    Arbitrary<String> sidLikeText() {
        Arbitrary<Integer> code = Arbitraries.integers().between(0, 255);
        Arbitrary<String> wholeSid = Combinators.combine(code, code, code, code).as(SemanticId::new)
                .map(SidCodec::encode);
        Arbitrary<String> levelToken = Combinators.combine(Arbitraries.integers().between(0, 3), code)
                .as((level, c) -> SidCodec.token(level * 256 + c));
        Arbitrary<String> piece = Arbitraries.oneOf(
                wholeSid, levelToken,
                Arbitraries.of(SidCodec.START, SidCodec.END, "<|sid_", "|>", "<|sid_abc|>", "<|sid_|>", " ", "x",
                        "<|im_end|>", "<|sid_99999999999999999999999999999999999|>"),
                Arbitraries.integers().between(-5, 1100).map(SidCodec::token),
                Arbitraries.strings().withChars("<|>_sid0123456789 ").ofMaxLength(6));
        return piece.list().ofMaxSize(14).map(l -> String.join("", l));
    }
}
