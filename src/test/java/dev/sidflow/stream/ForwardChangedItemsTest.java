package dev.sidflow.stream;

import dev.sidflow.schema.CatalogItem;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ForwardChangedItemsTest {

    private static KeyedOneInputStreamOperatorTestHarness<String, CatalogItem, CatalogItem> harness(OperatorSubtaskState restore) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new ForwardChangedItems()),
                (CatalogItem i) -> i.getItemId().toString(), Types.STRING);
        h.setup();
        if (restore != null) h.initializeState(restore);
        else h.initializeEmptyState();
        h.open();
        return h;
    }

    private static CatalogItem item(String id, String title, long updatedAt, Map<String, String> attributes) {
        return CatalogItem.newBuilder().setItemId(id).setTitle(title).setText("about " + title).setBrand("Acme")
                .setCategories(List.of("Games", "Puzzle")).setAttributes(attributes)
                .setUpdatedAt(Instant.ofEpochMilli(updatedAt)).build();
    }

    private static Map<String, String> attrs(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    private static List<String> titles(KeyedOneInputStreamOperatorTestHarness<String, CatalogItem, CatalogItem> h) {
        return h.extractOutputValues().stream().map(i -> i.getItemId() + ":" + i.getTitle()).toList();
    }

    @Test
    void newAndChangedItemsAreForwardedAndUnchangedResendsDropped() throws Exception {
        var h = harness(null);
        h.processElement(item("a", "Alpha", 1, attrs("genre", "puzzle", "year", "2020")), 1);
        h.processElement(item("b", "Beta", 1, attrs()), 1);
        // the same content sent again later, attributes in another order: unchanged
        h.processElement(item("a", "Alpha", 99, attrs("year", "2020", "genre", "puzzle")), 2);
        h.processElement(item("a", "Alpha II", 100, attrs("genre", "puzzle", "year", "2020")), 3);
        h.processElement(item("b", "Beta", 5, attrs("platform", "Switch")), 4);
        CatalogItem deleted = CatalogItem.newBuilder(item("b", "Beta", 6, attrs("platform", "Switch"))).setDeleted(true).build();
        h.processElement(deleted, 5);
        h.processElement(deleted, 6);
        assertThat(titles(h)).containsExactly("a:Alpha", "b:Beta", "a:Alpha II", "b:Beta", "b:Beta");
        assertThat(h.extractOutputValues().get(4).getDeleted()).isTrue();
        h.close();
    }

    @Test
    void publishedFingerprintsSurviveARestore() throws Exception {
        var before = harness(null);
        before.processElement(item("a", "Alpha", 1, attrs()), 1);
        OperatorSubtaskState snapshot = before.snapshot(1, 1);
        before.close();

        var after = harness(snapshot);
        after.processElement(item("a", "Alpha", 2, attrs()), 2);
        after.processElement(item("a", "Alpha Remastered", 3, attrs()), 3);
        assertThat(titles(after)).containsExactly("a:Alpha Remastered");
        after.close();
    }

    @Test
    void theFingerprintCoversContentButNotTheSendTime() {
        CatalogItem a = item("a", "Alpha", 1, attrs("k", "v"));
        assertThat(CatalogFingerprint.of(item("a", "Alpha", 2, attrs("k", "v")))).isEqualTo(CatalogFingerprint.of(a));
        assertThat(CatalogFingerprint.of(CatalogItem.newBuilder(a).setText(null).build())).isNotEqualTo(CatalogFingerprint.of(a));
        assertThat(CatalogFingerprint.of(CatalogItem.newBuilder(a).setBrand("Acm").setText("eabout Alpha").build()))
                .as("fields cannot run into each other").isNotEqualTo(CatalogFingerprint.of(a));
        assertThat(CatalogFingerprint.of(CatalogItem.newBuilder(a).setCategories(List.of("Games")).build())).isNotEqualTo(CatalogFingerprint.of(a));
        assertThat(CatalogFingerprint.of(item("a", "Alpha", 1, attrs("k", "w")))).isNotEqualTo(CatalogFingerprint.of(a));
    }
}
