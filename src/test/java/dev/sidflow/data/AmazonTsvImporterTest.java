package dev.sidflow.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AmazonTsvImporterTest {
    static final String ITEMS_HEADER = "item_id\tasin\ttitle\tunisrec_item_id\ttitle_join_ambiguous";
    static final String SEQ_HEADER = "user_id\treviewer_id\titem_ids_chronological";

    @TempDir
    Path dir;

    private void writeGood() throws Exception {
        TestFiles.write(dir, "items.tsv", ITEMS_HEADER,
                "0\tB001\tMario &amp; Sonic at the Olympic Games\t17\t0",
                "1\tB002\tTom Clancy&#39;s &quot;Ghost Recon&quot;\t18\t1",
                "2\tB003\tXbox 360 Controller\t19\t0");
        TestFiles.write(dir, "sequences.tsv", SEQ_HEADER,
                "0\tAR1\t2 0 1",
                "1\tAR2\t1 2");
    }

    @Test
    void readsItemsWithUnescapedTitlesAndAsinAttribute() throws Exception {
        writeGood();
        Dataset d = new AmazonTsvImporter().load(dir);
        assertThat(d.items()).hasSize(3);
        assertThat(d.item("0").title()).isEqualTo("Mario & Sonic at the Olympic Games");
        assertThat(d.item("1").title()).isEqualTo("Tom Clancy's \"Ghost Recon\"");
        assertThat(d.item("1").attributes()).containsEntry("asin", "B002").containsEntry("titleJoinAmbiguous", "true");
        assertThat(d.item("0").attributes()).containsEntry("asin", "B001").doesNotContainKey("titleJoinAmbiguous");
        // identifiers are provenance, not text to embed
        assertThat(d.item("0").embeddingText()).doesNotContain("B001");
        assertThat(d.syntheticTimestamps()).isTrue();
    }

    @Test
    void synthesisedTimestampsKeepEachUsersOrder() throws Exception {
        writeGood();
        Dataset d = new AmazonTsvImporter().load(dir);
        assertThat(d.sequences()).isEqualTo(Map.of("0", List.of("2", "0", "1"), "1", List.of("1", "2")));
        List<Interaction> user0 = d.interactions().stream().filter(i -> i.userId().equals("0")).toList();
        assertThat(user0).extracting(Interaction::timestamp).containsExactly(
                SyntheticTimestamps.at(0), SyntheticTimestamps.at(1), SyntheticTimestamps.at(2));
        assertThat(user0.get(2).timestamp() - user0.get(1).timestamp()).isEqualTo(SyntheticTimestamps.STEP_MS);
        assertThat(d.interactions()).allMatch(i -> i.eventType().equals("REVIEW"));
    }

    @Test
    void wrongColumnCountNamesFileAndLine() throws Exception {
        writeGood();
        TestFiles.write(dir, "items.tsv", ITEMS_HEADER, "0\tB001\tA\t1\t0", "1\tB002 only three\t2");
        assertThatThrownBy(() -> new AmazonTsvImporter().load(dir))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("items.tsv:3")
                .hasMessageContaining("expected 5 tab-separated columns, found 3");
    }

    @Test
    void unknownItemInSequenceNamesFileAndLine() throws Exception {
        writeGood();
        TestFiles.write(dir, "sequences.tsv", SEQ_HEADER, "0\tAR1\t0 1", "1\tAR2\t1 99");
        assertThatThrownBy(() -> new AmazonTsvImporter().load(dir))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("sequences.tsv:3")
                .hasMessageContaining("\"99\"");
    }

    @Test
    void headerWithoutRequiredColumnIsRejected() throws Exception {
        writeGood();
        TestFiles.write(dir, "items.tsv", "0\tB001\tA\t1\t0");
        assertThatThrownBy(() -> new AmazonTsvImporter().load(dir))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("items.tsv:1")
                .hasMessageContaining("item_id");
    }

    @Test
    void missingFileIsNamed() throws Exception {
        TestFiles.write(dir, "items.tsv", ITEMS_HEADER);
        assertThatThrownBy(() -> new AmazonTsvImporter().load(dir))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("sequences.tsv");
    }
}
