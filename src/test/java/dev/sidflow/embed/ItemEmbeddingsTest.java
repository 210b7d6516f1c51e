package dev.sidflow.embed;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ItemEmbeddingsTest {

    @Test
    void roundTripsThroughALittleEndianFile(@TempDir Path dir) throws IOException {
        float[][] rows = {{1f, -2.5f, 3e-7f}, {0f, Float.MIN_VALUE, 42f}};
        ItemEmbeddings e = ItemEmbeddings.of("minilm-l6-v2-q@256", List.of("B00X", "ünïcode-id"), rows);
        Path file = dir.resolve("emb.bin");
        e.save(file);
        ItemEmbeddings back = ItemEmbeddings.load(file);
        assertThat(back.encoderId()).isEqualTo("minilm-l6-v2-q@256");
        assertThat(back.itemIds()).containsExactly("B00X", "ünïcode-id");
        assertThat(back.dim()).isEqualTo(3);
        assertThat(back.data()).containsExactly(e.data());
        assertThat(back.vector(1)).containsExactly(rows[1]);
        assertThat(back.indexOf("ünïcode-id")).isEqualTo(1);
        assertThat(back.indexOf("missing")).isEqualTo(-1);
        // header is little-endian: count 2 and dim 3 right after magic and version
        ByteBuffer h = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(h.getInt(8)).isEqualTo(2);
        assertThat(h.getInt(12)).isEqualTo(3);
    }

    @Test
    void truncatedFileIsRejected(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("emb.bin");
        ItemEmbeddings.of("x", List.of("a"), new float[][] {{1f, 2f}}).save(file);
        byte[] all = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(all, all.length - 3));
        assertThatThrownBy(() -> ItemEmbeddings.load(file)).isInstanceOf(IOException.class).hasMessageContaining("truncated");
    }

    @Test
    void cacheDropsATornRecordAndRejectsAnotherEncoder(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("c.cache");
        try (EmbeddingCache c = EmbeddingCache.open(file, "enc@8", 2)) {
            c.put("a", new float[] {1, 2});
            c.put("b", new float[] {3, 4});
        }
        Files.write(file, new byte[] {1, 2, 3, 4, 5}, StandardOpenOption.APPEND); // a crash mid-record
        try (EmbeddingCache c = EmbeddingCache.open(file, "enc@8", 2)) {
            assertThat(c.size()).isEqualTo(2);
            assertThat(c.get("b")).containsExactly(3, 4);
            assertThat(c.get("c")).isNull();
            c.put("c", new float[] {5, 6});
        }
        try (EmbeddingCache c = EmbeddingCache.open(file, "enc@8", 2)) {
            assertThat(c.size()).isEqualTo(3);
            assertThat(c.get("c")).containsExactly(5, 6);
        }
        assertThatThrownBy(() -> EmbeddingCache.open(file, "other@8", 2)).isInstanceOf(IOException.class).hasMessageContaining("enc@8");
    }

    @Test
    void itemsJsonlErrorsNameFileAndLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("items.jsonl");
        Files.writeString(file, "{\"itemId\":\"1\",\"title\":\"Halo 3\",\"brand\":\"Microsoft\",\"categories\":[\"Games\",\"Xbox 360\"],\"attributes\":{\"platform\":\"Xbox\"}}\n"
                + "\n{\"itemId\":\"2\",\"title\":\"Zelda\"}\n");
        var items = ItemsJsonl.read(file);
        assertThat(items).hasSize(2);
        assertThat(items.get(0).embeddingText()).isEqualTo("Halo 3. Brand: Microsoft. Categories: Games, Xbox 360. platform: Xbox");
        Files.writeString(file, "{\"itemId\":\"1\",\"title\":\"a\"}\n{\"itemId\":\"2\"}\n");
        assertThatThrownBy(() -> ItemsJsonl.read(file)).hasMessageContaining("items.jsonl:2").hasMessageContaining("no title");
        Files.writeString(file, "{\"itemId\":\"1\",\"title\":\"a\"}\n{oops\n");
        assertThatThrownBy(() -> ItemsJsonl.read(file)).hasMessageContaining("items.jsonl:2").hasMessageContaining("not valid JSON");
    }
}
