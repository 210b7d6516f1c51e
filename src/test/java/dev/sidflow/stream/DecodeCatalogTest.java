package dev.sidflow.stream;

import dev.sidflow.schema.CatalogItem;
import dev.sidflow.schema.DeadLetter;
import dev.sidflow.stream.serde.RecordCodec;
import dev.sidflow.stream.serde.WireFormat;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DecodeCatalogTest {

    private static OneInputStreamOperatorTestHarness<RawRecord, CatalogItem> harness(RecordDecoder<CatalogItem> decoder) throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new DecodeCatalog(decoder, 64)));
        h.open();
        return h;
    }

    private static RawRecord line(long n, String text) {
        return new RawRecord(null, text.getBytes(StandardCharsets.UTF_8), "items.jsonl", 0, n, -1);
    }

    private static List<DeadLetter> deadLetters(OneInputStreamOperatorTestHarness<RawRecord, CatalogItem> h) {
        return h.getSideOutput(DeadLetters.TAG).stream().map(r -> r.getValue()).toList();
    }

    @Test
    void canonicalItemLinesBecomeCatalogRecordsAndBadOnesDeadLettersWithTheirReason() throws Exception {
        var h = harness(new CanonicalItemDecoder());
        h.processElement(line(1, "{\"itemId\":\"i1\",\"title\":\"Alpha\",\"brand\":\"Acme\",\"categories\":[\"Games\"],\"year\":\"2020\"}"), 0);
        h.processElement(line(2, "{\"itemId\":\"i2\"}"), 0);                                   // missing title
        h.processElement(line(3, "{\"title\":\"No id\"}"), 0);                                 // missing id
        h.processElement(line(4, "{\"itemId\":\"i4\",\"title\":\"Long\",\"text\":\"" + "x".repeat(128 * 64 + 1) + "\"}"), 0);
        h.processElement(line(5, "not json at all"), 0);
        h.processElement(new RawRecord(null, new byte[] {(byte) 0xC3, 0x28, 0x7B}, "items.jsonl", 0, 6, -1), 0); // bad UTF-8

        List<CatalogItem> out = h.extractOutputValues();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).getItemId()).isEqualTo("i1");
        assertThat(out.get(0).getBrand()).isEqualTo("Acme");
        assertThat(out.get(0).getAttributes()).containsEntry("year", "2020");
        assertThat(out.get(0).getUpdatedAt()).isAfter(Instant.EPOCH);

        List<DeadLetter> dead = deadLetters(h);
        assertThat(dead).extracting(DeadLetter::getSourceOffset).containsExactly(2L, 3L, 4L, 5L, 6L);
        assertThat(dead).allSatisfy(d -> {
            assertThat(d.getErrorClass()).isEqualTo(DeadLetterReason.BAD_CATALOG_RECORD.name());
            assertThat(d.getSourceTopic()).isEqualTo("items.jsonl");
        });
        assertThat(dead.get(0).getErrorMessage()).contains("title");
        assertThat(dead.get(1).getErrorMessage()).contains("itemId");
        assertThat(dead.get(2).getErrorMessage()).contains("text longer than " + 128 * 64);
        assertThat(dead.get(3).getErrorMessage()).contains("not valid JSON");
        h.close();
    }

    @Test
    void wireRecordsInEitherFormatAreAcceptedAndGarbageIsDeadLettered() throws Exception {
        var h = harness(new SniffingDecoder<>(CatalogItem.class));
        CatalogItem item = CatalogItem.newBuilder().setItemId("i9").setTitle("Nine").setUpdatedAt(Instant.ofEpochMilli(5)).build();
        h.processElement(new RawRecord(null, RecordCodec.of(CatalogItem.class, WireFormat.AVRO).encode(item), "raw", 1, 10, 5), 0);
        h.processElement(new RawRecord(null, RecordCodec.of(CatalogItem.class, WireFormat.JSON).encode(item), "raw", 1, 11, 5), 0);
        h.processElement(new RawRecord(null, new byte[] {9, 9, 9}, "raw", 1, 12, 5), 0);
        h.processElement(new RawRecord(null, "{\"item_id\":\"i10\",\"title\":\" \"}".getBytes(StandardCharsets.UTF_8), "raw", 1, 13, 5), 0);
        assertThat(h.extractOutputValues()).containsExactly(item, item);
        assertThat(deadLetters(h)).extracting(DeadLetter::getSourceOffset).containsExactly(12L, 13L);
        assertThat(deadLetters(h).get(1).getErrorMessage()).isEqualTo("title is missing or blank");
        h.close();
    }
}
