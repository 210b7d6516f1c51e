package dev.sidflow.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AmazonJsonImporterTest {
    @TempDir
    Path dir;

    private void writeItems() throws Exception {
        TestFiles.write(dir, "Office.item.json",
                "{",
                "  \"0\": {\"title\": \"Stapler &amp; Remover\", \"description\": \"Heavy duty.\", \"brand\": \"Swingline\"},",
                "  \"1\": {\"title\": \"Pen\", \"description\": null, \"brand\": \"\"},",
                "  \"2\": {\"title\": \"Tape\", \"description\": [\"Clear.\", \"Strong.\"], \"brand\": \"Scotch\"}",
                "}");
    }

    @Test
    void readsItemsAndSequences() throws Exception {
        writeItems();
        TestFiles.write(dir, "Office.inter.json", "{\"7\": [2, 0], \"8\": [\"1\", 2, 0]}");
        Dataset d = new AmazonJsonImporter().load(dir);
        assertThat(d.name()).isEqualTo("Office");
        assertThat(d.item("0").title()).isEqualTo("Stapler & Remover");
        assertThat(d.item("0").text()).isEqualTo("Heavy duty.");
        assertThat(d.item("0").brand()).isEqualTo("Swingline");
        assertThat(d.item("1").text()).isNull();
        assertThat(d.item("1").brand()).isNull();
        assertThat(d.item("2").text()).isEqualTo("Clear. Strong.");
        assertThat(d.sequences()).containsEntry("7", List.of("2", "0")).containsEntry("8", List.of("1", "2", "0"));
        assertThat(d.syntheticTimestamps()).isTrue();
    }

    @Test
    void unknownItemNamesFileAndLine() throws Exception {
        writeItems();
        TestFiles.write(dir, "Office.inter.json", "{", "\"7\": [2, 0],", "\"8\": [1, 42]", "}");
        assertThatThrownBy(() -> new AmazonJsonImporter().load(dir))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("Office.inter.json:3")
                .hasMessageContaining("\"42\"");
    }

    @Test
    void brokenJsonNamesFileAndLine() throws Exception {
        TestFiles.write(dir, "Office.item.json", "{", "\"0\": {\"title\": \"A\"},", "\"1\": {\"title\": }", "}");
        TestFiles.write(dir, "Office.inter.json", "{}");
        assertThatThrownBy(() -> new AmazonJsonImporter().load(dir))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("Office.item.json:3");
    }
}
