package dev.sidflow.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetStoreTest {
    @TempDir
    Path dir;

    static Dataset sample() {
        List<Item> items = List.of(
                new Item("1", "Zelda: \"Breath\" \u2013 of the Wild\n", "Open world.", "Nintendo",
                        List.of("Games", "Switch"), Map.of("platform", "Switch", "genre", "Adventure")),
                Item.of("2", "Plain"),
                new Item("3", "Tab\there", null, null, List.of(), Map.of("asin", "B0")));
        List<Interaction> interactions = List.of(
                new Interaction("u1", "2", 2000, "VIEW"),
                new Interaction("u1", "1", 1000, "PURCHASE"),
                new Interaction("u\u00e9", "3", 1000, "RATE"),
                new Interaction("u\u00e9", "1", 5000, "RATE"));
        return new Dataset("sample", "test:sample", items, interactions, true);
    }

    @Test
    void roundTripKeepsEverything() throws Exception {
        Dataset original = sample();
        DatasetManifest written = DatasetStore.write(original, dir);
        assertThat(written.users()).isEqualTo(2);
        assertThat(DatasetStore.isDatasetDir(dir)).isTrue();

        Dataset read = DatasetStore.read(dir);
        assertThat(read.name()).isEqualTo("sample");
        assertThat(read.source()).isEqualTo("test:sample");
        assertThat(read.syntheticTimestamps()).isTrue();
        assertThat(read.items()).isEqualTo(original.items());
        assertThat(read.interactions()).isEqualTo(original.interactions());
        assertThat(read.sequences()).isEqualTo(Map.of("u1", List.of("1", "2"), "u\u00e9", List.of("3", "1")));

        DatasetManifest m = DatasetStore.readManifest(dir);
        assertThat(m.items()).isEqualTo(3);
        assertThat(m.interactions()).isEqualTo(4);
        assertThat(Files.readString(dir.resolve("dataset.json"))).contains("\"syntheticTimestamps\" : true");
        // JSON Lines: one row per line, no blank separator lines
        assertThat(Files.readAllLines(dir.resolve("interactions.jsonl"))).hasSize(4);
        assertThat(Files.readAllLines(dir.resolve("items.jsonl"))).hasSize(3);
    }

    @Test
    void rewritingReplacesTheFiles() throws Exception {
        DatasetStore.write(sample(), dir);
        Dataset smaller = new Dataset("small", List.of(Item.of("x", "X")), List.of(new Interaction("u", "x", 1, "VIEW")), false);
        DatasetStore.write(smaller, dir);
        Dataset read = DatasetStore.read(dir);
        assertThat(read.items()).extracting(Item::itemId).containsExactly("x");
        assertThat(read.syntheticTimestamps()).isFalse();
    }

    @Test
    void malformedRowNamesFileAndLine() throws Exception {
        DatasetStore.write(sample(), dir);
        Path interactions = dir.resolve("interactions.jsonl");
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(interactions));
        lines.set(2, "{\"userId\":\"u1\",\"itemId\":\"2\",\"timestamp\":\"soon\",\"eventType\":\"VIEW\"}");
        Files.write(interactions, lines);
        assertThatThrownBy(() -> DatasetStore.read(dir))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("interactions.jsonl:3")
                .hasMessageContaining("timestamp");

        lines.set(2, "{\"userId\":\"u1\",\"itemId\":\"2\",");
        Files.write(interactions, lines);
        assertThatThrownBy(() -> DatasetStore.read(dir))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("interactions.jsonl:3")
                .hasMessageContaining("invalid JSON");
    }

    @Test
    void truncatedCopyIsDetectedByTheCounts() throws Exception {
        DatasetStore.write(sample(), dir);
        Files.writeString(dir.resolve("items.jsonl"), "{\"itemId\":\"9\",\"title\":\"extra\"}\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertThatThrownBy(() -> DatasetStore.read(dir))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("dataset.json")
                .hasMessageContaining("declares 3 items but the files hold 4");
    }

    @Test
    void directoryWithoutManifestIsRejected() {
        assertThatThrownBy(() -> DatasetStore.read(dir))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("dataset.json");
    }

    @Test
    void writesAndReadsFourHundredThousandInteractionsInSeconds() throws Exception {
        Dataset big = SyntheticData.generate(new SyntheticData.Config(50_000, 5_000, 8, 3));
        long t0 = System.nanoTime();
        DatasetStore.write(big, dir);
        long t1 = System.nanoTime();
        Dataset read = DatasetStore.read(dir);
        long t2 = System.nanoTime();
        System.out.printf("store: %d interactions, write %.2f s, read %.2f s%n", big.interactions().size(),
                (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        assertThat(read.interactions()).isEqualTo(big.interactions());
        assertThat((t2 - t0) / 1e9).isLessThan(20); // generous: 2 shared cores under a full test run
    }
}
