package dev.sidflow.model.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import dev.sidflow.model.ScoredSid;
import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidTrie;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchScriptGeneratorTest {

    @Test
    void contractModelDrivesConstrainedBeamSearch(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("repeat-last.pt");
        TorchScriptFixtures.writeRepeatLastItem(file);
        PlantedChains data = PlantedChains.generate(60, 10, 4, 6, 0.5, 3);
        SidTrie trie = data.trie();
        List<List<SemanticId>> histories = data.testHistories();
        try (TorchScriptGenerator gen = TorchScriptGenerator.load(file, trie, 4, Device.cpu(), 3)) {
            List<List<ScoredSid>> recs = gen.recommend(histories, 5, 8);
            double oneLevel = 10 - Math.log(Math.exp(10) + 255);
            for (int u = 0; u < histories.size(); u++) {
                List<SemanticId> h = histories.get(u);
                assertThat(recs.get(u)).hasSize(5);
                assertThat(recs.get(u).get(0).sid()).isEqualTo(h.get(h.size() - 1));
                assertThat(recs.get(u).get(0).score()).isCloseTo(4 * oneLevel, within(1e-4));
                assertThat(recs.get(u)).allSatisfy(s -> assertThat(trie.itemId(s.sid())).isEqualTo(s.itemId()));
            }
        }
    }

    @Test
    void missingOrBrokenFileGivesAClearError(@TempDir Path dir) throws IOException {
        SidTrie trie = new SidTrie();
        assertThatThrownBy(() -> TorchScriptGenerator.load(dir.resolve("nope.pt"), trie, 4, Device.cpu(), 8))
                .isInstanceOf(IOException.class).hasMessageContaining("nope.pt");
        Path junk = Files.writeString(dir.resolve("junk.pt"), "not a zip");
        assertThatThrownBy(() -> TorchScriptGenerator.load(junk, trie, 4, Device.cpu(), 8))
                .isInstanceOf(IOException.class).hasMessageContaining("junk.pt");
    }
}
