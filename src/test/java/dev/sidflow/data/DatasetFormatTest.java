package dev.sidflow.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetFormatTest {
    @TempDir
    Path root;

    private Path sub(String name, String... files) throws Exception {
        Path d = Files.createDirectories(root.resolve(name));
        for (String f : files) TestFiles.write(d, f, "");
        return d;
    }

    @Test
    void detectsEachFormatFromItsFiles() throws Exception {
        assertThat(DatasetFormat.detect(sub("tsv", "items.tsv", "sequences.tsv", "README.md"))).isEqualTo(DatasetFormat.AMAZON_TSV);
        assertThat(DatasetFormat.detect(sub("json", "Office_Products.item.json", "Office_Products.inter.json")))
                .isEqualTo(DatasetFormat.AMAZON_JSON);
        assertThat(DatasetFormat.detect(sub("ml", "movies.csv", "ratings.csv", "tags.csv", "links.csv")))
                .isEqualTo(DatasetFormat.MOVIELENS);
        assertThat(DatasetFormat.detect(sub("jsonl", "items.jsonl", "events.jsonl"))).isEqualTo(DatasetFormat.JSONL);
        assertThat(DatasetFormat.detect(sub("jsonl2", "items.jsonl", "interactions.jsonl"))).isEqualTo(DatasetFormat.JSONL);
        assertThat(DatasetFormat.detect(sub("canon", "dataset.json", "items.jsonl", "interactions.jsonl")))
                .isEqualTo(DatasetFormat.CANONICAL);
    }

    @Test
    void unknownLayoutListsWhatItSaw() throws Exception {
        Path d = sub("odd", "items.tsv", "notes.txt");
        assertThatThrownBy(() -> DatasetFormat.detect(d))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("odd")
                .hasMessageContaining("notes.txt")
                .hasMessageContaining("sequences.tsv");
        assertThatThrownBy(() -> DatasetFormat.detect(root.resolve("absent")))
                .hasMessageContaining("no such directory");
    }

    @Test
    void cliNamesRoundTrip() {
        for (DatasetFormat f : DatasetFormat.values()) assertThat(DatasetFormat.fromName(f.cliName())).isEqualTo(f);
        assertThat(DatasetFormat.fromName("Amazon_TSV")).isEqualTo(DatasetFormat.AMAZON_TSV);
        assertThatThrownBy(() -> DatasetFormat.fromName("parquet")).hasMessageContaining("amazon-tsv");
    }

    @Test
    void loadAutoReadsACanonicalDirectory() throws Exception {
        Path d = root.resolve("c");
        DatasetStore.write(DatasetStoreTest.sample(), d);
        assertThat(DatasetFormat.loadAuto(d).interactions()).hasSize(4);
    }
}
