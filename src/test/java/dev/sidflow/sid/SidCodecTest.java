package dev.sidflow.sid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sidflow.sid.SidFormatException.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class SidCodecTest {
    private static final String ANSWER = "<|sid_start|><|sid_3|><|sid_300|><|sid_600|><|sid_770|><|sid_end|>, "
            + "<|sid_start|><|sid_1|><|sid_257|><|sid_513|><|sid_768|><|sid_end|><|im_end|>";

    @Test
    void encodesTheDocumentedTokenText() {
        assertThat(SidCodec.encode(new SemanticId(3, 44, 88, 2)))
                .isEqualTo("<|sid_start|><|sid_3|><|sid_300|><|sid_600|><|sid_770|><|sid_end|>");
        assertThat(new SemanticId(255, 255, 255, 255).toString())
                .isEqualTo("<|sid_start|><|sid_255|><|sid_511|><|sid_767|><|sid_1023|><|sid_end|>");
    }

    @Test
    void parsesOneSid() {
        assertThat(SidCodec.parse("<|sid_start|><|sid_3|><|sid_300|><|sid_600|><|sid_770|><|sid_end|>"))
                .isEqualTo(new SemanticId(3, 44, 88, 2));
        assertThat(SidCodec.parse("<|sid_start|><|sid_0|><|sid_256|><|sid_512|><|sid_768|><|sid_end|>"))
                .isEqualTo(new SemanticId(0, 0, 0, 0));
    }

    @Test
    void toleratesWhitespaceAroundAndBetweenTokens() {
        assertThat(SidCodec.parse("\n <|sid_start|> <|sid_1|>\t<|sid_257|>\r\n<|sid_513|> <|sid_768|> <|sid_end|> "))
                .isEqualTo(new SemanticId(1, 1, 1, 0));
    }

    @Test
    void extractsBothSidsFromTheExampleAnswer() {
        assertThat(SidCodec.extractAll(ANSWER))
                .containsExactly(new SemanticId(3, 44, 88, 2), new SemanticId(1, 1, 1, 0));
        assertThat(SidCodec.findFirst(ANSWER)).contains(new SemanticId(3, 44, 88, 2));
    }

    @Test
    void findAllReportsPositionsAndExactText() {
        List<SidMatch> matches = SidCodec.findAll(ANSWER);
        assertThat(matches).hasSize(2);
        SidMatch first = matches.get(0);
        assertThat(first.start()).isZero();
        assertThat(first.end()).isEqualTo(66);
        assertThat(first.text()).isEqualTo(SidCodec.encode(new SemanticId(3, 44, 88, 2)));
        SidMatch second = matches.get(1);
        assertThat(second.start()).isEqualTo(68);
        assertThat(ANSWER.substring(second.start(), second.end())).isEqualTo(second.text());
        assertThat(ANSWER.substring(second.end())).isEqualTo("<|im_end|>");
        assertThat(second.sid()).isEqualTo(new SemanticId(1, 1, 1, 0));
    }

    @Test
    void fromTokensChecksLevelRanges() {
        assertThat(SidCodec.fromTokens(3, 300, 600, 770)).isEqualTo(new SemanticId(3, 44, 88, 2));
        assertThatThrownBy(() -> SidCodec.fromTokens(3, 600, 300, 770))
                .isInstanceOf(SidFormatException.class)
                .hasMessage("wrong level order at offset 1: level 2 expects a token in [256, 512), "
                        + "found <|sid_600|> (a level-3 token)");
        assertThatThrownBy(() -> SidCodec.fromTokens(3, 300, 600, 1024))
                .hasMessage("code out of range at offset 3: level 4 token <|sid_1024|> is outside [0, 1024); "
                        + "level 4 expects [768, 1024)");
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                arguments("level-2 token at level 1",
                        "<|sid_start|><|sid_300|><|sid_300|><|sid_600|><|sid_770|><|sid_end|>",
                        Kind.WRONG_LEVEL_ORDER, 13,
                        "wrong level order at offset 13: level 1 expects a token in [0, 256), found <|sid_300|> (a level-2 token)"),
                arguments("level-1 token at level 4",
                        "<|sid_start|><|sid_3|><|sid_300|><|sid_600|><|sid_3|><|sid_end|>",
                        Kind.WRONG_LEVEL_ORDER, 44,
                        "wrong level order at offset 44: level 4 expects a token in [768, 1024), found <|sid_3|> (a level-1 token)"),
                arguments("code 1024",
                        "<|sid_start|><|sid_3|><|sid_300|><|sid_600|><|sid_1024|><|sid_end|>",
                        Kind.CODE_OUT_OF_RANGE, 44,
                        "code out of range at offset 44: <|sid_1024|> is outside [0, 1024); level 4 expects a token in [768, 1024)"),
                arguments("huge code",
                        "<|sid_start|><|sid_99999999999999999999|><|sid_300|><|sid_600|><|sid_770|><|sid_end|>",
                        Kind.CODE_OUT_OF_RANGE, 13,
                        "code out of range at offset 13: <|sid_99999999999999999999|> is outside [0, 1024); level 1 expects a token in [0, 256)"),
                arguments("missing end",
                        "<|sid_start|><|sid_3|><|sid_300|><|sid_600|><|sid_770|>",
                        Kind.MISSING_END, 55,
                        "missing <|sid_end|> at offset 55: expected <|sid_end|> after the level-4 token, found end of input"),
                arguments("text instead of end",
                        "<|sid_start|><|sid_3|><|sid_300|><|sid_600|><|sid_770|>.<|sid_end|>",
                        Kind.MISSING_END, 55,
                        "missing <|sid_end|> at offset 55: expected <|sid_end|> after the level-4 token, found '.<|sid_end|>'"),
                arguments("missing start",
                        "<|sid_3|><|sid_300|><|sid_600|><|sid_770|><|sid_end|>",
                        Kind.MISSING_START, 0,
                        "missing <|sid_start|> at offset 0: expected <|sid_start|>, found <|sid_3|>"),
                arguments("empty input",
                        "",
                        Kind.MISSING_START, 0,
                        "missing <|sid_start|> at offset 0: expected <|sid_start|>, found end of input"),
                arguments("leading prose",
                        "hi <|sid_start|>",
                        Kind.MISSING_START, 0,
                        "missing <|sid_start|> at offset 0: expected <|sid_start|>, found 'hi <|sid_start|>'"),
                arguments("non-numeric",
                        "<|sid_start|><|sid_3|><|sid_x00|><|sid_600|><|sid_770|><|sid_end|>",
                        Kind.NON_NUMERIC_TOKEN, 22,
                        "non-numeric token at offset 22: level 2 expects a token in [256, 512), found <|sid_x00|>"),
                arguments("negative",
                        "<|sid_start|><|sid_-3|><|sid_300|><|sid_600|><|sid_770|><|sid_end|>",
                        Kind.NON_NUMERIC_TOKEN, 13,
                        "non-numeric token at offset 13: level 1 expects a token in [0, 256), found <|sid_-3|>"),
                arguments("three levels",
                        "<|sid_start|><|sid_3|><|sid_300|><|sid_600|><|sid_end|>",
                        Kind.WRONG_LEVEL_COUNT, 44,
                        "wrong number of levels at offset 44: expected 4 codes between <|sid_start|> and <|sid_end|>, found 3"),
                arguments("five levels",
                        "<|sid_start|><|sid_3|><|sid_300|><|sid_600|><|sid_770|><|sid_800|><|sid_end|>",
                        Kind.WRONG_LEVEL_COUNT, 55,
                        "wrong number of levels at offset 55: expected <|sid_end|> after 4 codes, found a 5th code <|sid_800|>"),
                arguments("truncated",
                        "<|sid_start|><|sid_3|> hello",
                        Kind.WRONG_LEVEL_COUNT, 23,
                        "wrong number of levels at offset 23: SID stops after 1 of 4 levels; level 2 expects a token in [256, 512), found 'hello'"),
                arguments("restart",
                        "<|sid_start|><|sid_3|><|sid_start|>",
                        Kind.WRONG_LEVEL_COUNT, 22,
                        "wrong number of levels at offset 22: SID stops after 1 of 4 levels; a new <|sid_start|> begins"),
                arguments("unterminated",
                        "<|sid_start|><|sid_3",
                        Kind.UNTERMINATED_TOKEN, 13,
                        "unterminated token at offset 13: '<|sid_3' has no closing |> within 32 chars"),
                arguments("trailing text",
                        "<|sid_start|><|sid_3|><|sid_300|><|sid_600|><|sid_770|><|sid_end|><|im_end|>",
                        Kind.UNEXPECTED_TEXT, 66,
                        "unexpected text at offset 66: expected end of input after <|sid_end|>, found '<|im_end|>'"),
                arguments("two sids",
                        "<|sid_start|><|sid_3|><|sid_300|><|sid_600|><|sid_770|><|sid_end|><|sid_start|>",
                        Kind.UNEXPECTED_TEXT, 66,
                        "unexpected text at offset 66: expected end of input after <|sid_end|>, found <|sid_start|>")
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedSidWithPreciseMessage(String name, String input, Kind kind, int offset, String message) {
        assertThatThrownBy(() -> SidCodec.parse(input))
                .isInstanceOfSatisfying(SidFormatException.class, e -> {
                    assertThat(e.kind()).isEqualTo(kind);
                    assertThat(e.offset()).isEqualTo(offset);
                })
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void scanReportsMalformedFragmentsAndKeepsGoodOnes() {
        String good = "<|sid_start|><|sid_1|><|sid_257|><|sid_513|><|sid_768|><|sid_end|>";
        String badOrder = "<|sid_start|><|sid_300|><|sid_600|><|sid_end|>";
        String headless = "<|sid_5|><|sid_end|>";
        String text = "a " + badOrder + " b " + good + " " + headless + " <|sid_oops";
        SidScan scan = SidCodec.scan(text);

        assertThat(scan.sids()).containsExactly(new SemanticId(1, 1, 1, 0));
        assertThat(scan.clean()).isFalse();
        assertThat(scan.malformed()).extracting(MalformedSid::kind)
                .containsExactly(Kind.WRONG_LEVEL_ORDER, Kind.MISSING_START, Kind.UNTERMINATED_TOKEN);
        MalformedSid first = scan.malformed().get(0);
        assertThat(first.start()).isEqualTo(2);
        assertThat(first.text()).isEqualTo(badOrder); // runs through its own <|sid_end|>
        assertThat(first.message()).isEqualTo("wrong level order at offset 15: level 1 expects a token in [0, 256), "
                + "found <|sid_300|> (a level-2 token)");
        assertThat(first.toException()).hasMessage(first.message());
        MalformedSid second = scan.malformed().get(1);
        assertThat(second.text()).isEqualTo(headless);
        assertThat(second.message()).isEqualTo("missing <|sid_start|> at offset " + text.indexOf(headless)
                + ": found <|sid_5|> without a preceding <|sid_start|>");
        assertThat(scan.malformed().get(2).offset()).isEqualTo(text.indexOf("<|sid_oops"));
        assertThat(SidCodec.extractAll(text)).containsExactly(new SemanticId(1, 1, 1, 0));
    }

    @Test
    void aTruncatedSidDoesNotSwallowTheNextOne() {
        String good = "<|sid_start|><|sid_1|><|sid_257|><|sid_513|><|sid_768|><|sid_end|>";
        String text = "<|sid_start|><|sid_1|>" + good;
        SidScan scan = SidCodec.scan(text);
        assertThat(scan.sids()).containsExactly(new SemanticId(1, 1, 1, 0));
        assertThat(scan.malformed()).singleElement().satisfies(m -> {
            assertThat(m.text()).isEqualTo("<|sid_start|><|sid_1|>");
            assertThat(m.kind()).isEqualTo(Kind.WRONG_LEVEL_COUNT);
        });
        assertThat(scan.matches().get(0).start()).isEqualTo(22);
    }

    @Test
    void textWithoutSidsYieldsNothing() {
        assertThat(SidCodec.extractAll("no ids here <|im_end|> <|rec|>")).isEmpty();
        assertThat(SidCodec.scan("").clean()).isTrue();
        assertThat(SidCodec.findFirst("<|sid_start|> nope")).isEmpty();
    }

    @Test
    void tokenHelpers() {
        assertThat(SidCodec.token(300)).isEqualTo("<|sid_300|>");
        assertThat(SidCodec.levelOf(0)).isEqualTo(1);
        assertThat(SidCodec.levelOf(511)).isEqualTo(2);
        assertThat(SidCodec.levelOf(1023)).isEqualTo(4);
        assertThatThrownBy(() -> SidCodec.levelOf(1024)).isInstanceOf(IllegalArgumentException.class);
    }
}
