package dev.sidflow.model.generator;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.sidflow.model.ScoredSid;
import dev.sidflow.sid.SemanticId;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TigerGeneratorTest {
    private static final TigerConfig CONFIG = new TigerConfig(5, 64, 4, 1, 1, 128, 0.0f);
    private static PlantedChains data;
    private static TigerModel model;
    private static TigerTrainer.Result result;

    @BeforeAll
    static void train() {
        data = PlantedChains.generate(200, 400, 6, 12, 0.1, 7);
        model = TigerModel.create(CONFIG, Device.cpu(), 11);
        SequenceExamples train = SequenceExamples.trainingWindows(data.splits(), data.sids(), CONFIG.historyLength());
        SequenceExamples val = SequenceExamples.validation(data.splits(), data.sids(), CONFIG.historyLength());
        long t0 = System.nanoTime();
        result = new TigerTrainer(new TrainConfig(25, 64, 3e-3f, 3, 5), System.out, false).train(model, train, val);
        System.out.printf("trained %d examples in %.1fs%n", train.count(), (System.nanoTime() - t0) / 1e9);
    }

    @AfterAll
    static void close() {
        if (model != null) model.close();
    }

    @Test
    void trainingLossFalls() {
        List<TigerTrainer.EpochLog> epochs = result.epochs();
        assertThat(epochs.size()).isGreaterThan(1);
        assertThat(epochs.get(result.bestEpoch() - 1).trainLoss()).isLessThan(epochs.get(0).trainLoss() * 0.6);
        assertThat(result.bestValidationLoss()).isLessThan(epochs.get(0).validationLoss());
    }

    @Test
    void hitRateBeatsPopularity() {
        List<List<SemanticId>> histories = data.testHistories();
        List<String> targets = data.testTargets();
        TigerGenerator gen = new TigerGenerator(model, data.trie(), 64);
        List<List<ScoredSid>> recs = gen.recommend(histories, 10, 10);
        int hits = 0;
        for (int u = 0; u < targets.size(); u++) {
            String target = targets.get(u);
            if (recs.get(u).stream().anyMatch(s -> s.itemId().equals(target))) hits++;
        }
        double hr = hits / (double) targets.size();

        Map<String, Integer> counts = new HashMap<>();
        data.splits().forEach(s -> s.testHistory().forEach(i -> counts.merge(i, 1, Integer::sum)));
        List<String> top10 = counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(10).map(Map.Entry::getKey).collect(Collectors.toList());
        double popHr = targets.stream().filter(top10::contains).count() / (double) targets.size();
        System.out.printf("HR@10 model %.3f, popularity %.3f%n", hr, popHr);
        assertThat(hr).isGreaterThan(0.5).isGreaterThan(popHr + 0.3);
    }
}
