package dev.sidflow.stream.kafka;

import dev.sidflow.schema.DeadLetter;
import dev.sidflow.schema.Recommendation;
import dev.sidflow.schema.RecommendationSource;
import dev.sidflow.schema.RecommendedItem;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RecordPrinterTest {

    @Test
    void recommendationShowsUserThenRankedItemsWithMatchLevelScoreAndSid() {
        String sid = "<|sid_start|><|sid_1|><|sid_257|><|sid_513|><|sid_768|><|sid_end|>";
        Recommendation r = Recommendation.newBuilder().setRequestKey("e1").setUserId("u7").setBundleVersion("v3")
                .setEventTime(Instant.ofEpochMilli(0)).setProcessingLatencyMs(12)
                .setItems(List.of(
                        RecommendedItem.newBuilder().setRank(1).setItemId("i1").setSid(sid).setTitle("Portal 2")
                                .setMatchLevel(4).setSimilarCount(1).setScore(0.9).setSource(RecommendationSource.GENERATOR).build(),
                        RecommendedItem.newBuilder().setRank(2).setItemId(null).setSid(sid).setTitle("Puzzle games")
                                .setMatchLevel(2).setSimilarCount(9).setScore(0.25).setSource(RecommendationSource.HYBRID).build()))
                .build();
        List<String> lines = RecordPrinter.format(r).lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("user u7").contains("latency 12 ms", "bundle v3");
        assertThat(lines.get(1)).contains(" 1. Portal 2", "(L4 exact)", "0.9000", sid, "i1");
        assertThat(lines.get(2)).contains(" 2. Puzzle games", "(L2 match (9 similar))", "0.2500");
    }

    @Test
    void deadLetterShowsReasonSourceAndEscapedBytes() {
        DeadLetter d = DeadLetter.newBuilder().setRawKey(null)
                .setRawValue(ByteBuffer.wrap(new byte[] {'o', 'k', 0, (byte) 0xfe, '\\'}))
                .setSourceTopic("sidflow.events").setSourcePartition(2).setSourceOffset(99)
                .setErrorClass("MALFORMED_BYTES").setErrorMessage("cannot decode avro InteractionEvent: truncated")
                .setFailedAt(Instant.ofEpochMilli(0)).build();
        String text = RecordPrinter.format(d);
        assertThat(text).startsWith("DEAD LETTER  MALFORMED_BYTES  from sidflow.events[2]@99");
        assertThat(text).contains("error: cannot decode avro InteractionEvent: truncated");
        assertThat(text).contains("key:   (null)");
        assertThat(text).contains("value: 5 bytes: ok\\x00\\xfe\\\\");
    }

    @Test
    void longPreviewsAreCut() {
        String preview = RecordPrinter.preview(ByteBuffer.wrap("x".repeat(500).getBytes()));
        assertThat(preview).startsWith("500 bytes: xxx").endsWith("...");
        assertThat(preview.length()).isLessThan(150);
    }
}
