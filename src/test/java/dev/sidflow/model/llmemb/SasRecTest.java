package dev.sidflow.model.llmemb;

import dev.sidflow.model.metrics.EvaluationOptions;
import dev.sidflow.model.metrics.EvaluationResult;
import dev.sidflow.model.metrics.Evaluator;
import dev.sidflow.model.metrics.LeaveOneOutCases;
import dev.sidflow.eval.PopularityRecommender;
import dev.sidflow.model.LearningRateSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.sidflow.model.llmemb.PlantedChains.ITEMS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SasRecTest {

    @Test
    void learnsPlantedSuccessorsAndBeatsPopularity(@TempDir Path dir) throws Exception {
        LeaveOneOutCases data = PlantedChains.data();
        Evaluator evaluator = new Evaluator(EvaluationOptions.defaults(), null);
        EvaluationResult pop = evaluator.evaluateScores(PopularityRecommender.fit(ITEMS, data.trainSequences()), data.test());

        SasRec model = PlantedChains.trainedSasRec();
        EvaluationResult r = evaluator.evaluateScores(model, data.test());
        System.out.printf("SASRec planted: HR@10 %.4f NDCG@10 %.4f (popularity HR@10 %.4f); %s%n",
                r.overall().hr(10), r.overall().ndcg(10), pop.overall().hr(10), model.trainingSummary());
        // 90% of next items are the planted successor: a model that learned it finds most of them
        assertThat(r.overall().hr(10)).isGreaterThan(0.6).isGreaterThan(pop.overall().hr(10) + 0.4);
        assertThat(r.overall().ndcg(10)).isGreaterThan(0.4);
        assertThat(model.trainingSummary().bestValNdcg10()).isGreaterThan(0.4);

        List<List<Integer>> histories = List.of(List.of(1, 2, 3), List.of(299), List.of());
        float[][] before = model.scores(histories);
        // the best-scored item after item 3 is its planted successor 4
        assertThat(argmax(before[0])).isEqualTo(4);
        assertThat(model.itemEmbeddings()).hasNumberOfRows(ITEMS);
        assertThat(model.userEmbeddings(histories)[0]).hasSize(32);

        // save / load round trip gives identical scores
        model.save(dir);
        try (SasRec loaded = SasRec.load(dir, "cpu")) {
            assertThat(loaded.config()).isEqualTo(model.config());
            float[][] after = loaded.scores(histories);
            for (int i = 0; i < before.length; i++) assertThat(after[i]).containsExactly(before[i]);
        }
    }

    /**
     * Scalar factors in the graph once pointed at Java buffers that the collector could free before
     * backward read them: under constant GC, the first epoch went NaN every time. Training must
     * not depend on when the collector runs.
     */
    @Test
    void trainingStaysFiniteWhileTheGarbageCollectorRunsContinuously() throws Exception {
        LeaveOneOutCases data = PlantedChains.data();
        Thread collector = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                System.gc();
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "gc-pressure");
        collector.setDaemon(true);
        collector.start();
        try (SasRec model = SasRec.train(PlantedChains.tinyConfig(), PlantedChains.tinyTraining().withMaxEpochs(2).withEvalEvery(2),
                data.trainSequences(), data.validation())) {
            assertThat(model.trainingSummary().epochs()).isEqualTo(2);
            assertThat(model.trainingSummary().bestValNdcg10()).isGreaterThan(0.1);
        } finally {
            collector.interrupt();
            collector.join();
        }
    }

    /** A falling learning rate is read by the optimizer (the seeded run ends elsewhere) and still learns. */
    @Test
    void aLinearScheduleStillLearnsAndChangesTheTrainedModel() {
        LeaveOneOutCases data = PlantedChains.data();
        TrainConfig constant = PlantedChains.tinyTraining().withMaxEpochs(3).withPatience(3);
        TrainConfig linear = constant.withSchedule(LearningRateSchedule.LINEAR);
        assertThat(linear.progress(1.5, 0)).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-12));
        List<List<Integer>> histories = List.of(List.of(1, 2, 3), List.of(299));
        try (SasRec a = SasRec.train(PlantedChains.tinyConfig(), constant, data.trainSequences(), data.validation());
             SasRec b = SasRec.train(PlantedChains.tinyConfig(), linear, data.trainSequences(), data.validation())) {
            assertThat(b.trainingSummary().epochs()).isEqualTo(3);
            EvaluationResult r = new Evaluator(EvaluationOptions.defaults(), null).evaluateScores(b, data.test());
            assertThat(r.overall().hr(10)).isGreaterThan(0.6);
            assertThat(b.scores(histories)[0]).isNotEqualTo(a.scores(histories)[0]);
        }
    }

    /** RecBole-style blocks (GELU, feed-forward 4x hidden) learn the planted chains and round-trip. */
    @Test
    void aWideGeluFeedForwardLearnsAndRoundTrips(@TempDir Path dir) throws Exception {
        LeaveOneOutCases data = PlantedChains.data();
        SasRecConfig tiny = PlantedChains.tinyConfig();
        SasRecConfig wide = new SasRecConfig(tiny.numItems(), tiny.maxLen(), tiny.hidden(), tiny.heads(), tiny.layers(),
                tiny.dropout(), 4 * tiny.hidden(), "gelu");
        try (SasRec model = SasRec.train(wide, PlantedChains.tinyTraining(), data.trainSequences(), data.validation())) {
            EvaluationResult r = new Evaluator(EvaluationOptions.defaults(), null).evaluateScores(model, data.test());
            assertThat(r.overall().hr(10)).isGreaterThan(0.6);
            List<List<Integer>> histories = List.of(List.of(1, 2, 3), List.of(299));
            float[][] before = model.scores(histories);
            model.save(dir);
            try (SasRec loaded = SasRec.load(dir, "cpu")) {
                assertThat(loaded.config()).isEqualTo(wide);
                float[][] after = loaded.scores(histories);
                for (int i = 0; i < before.length; i++) assertThat(after[i]).containsExactly(before[i]);
            }
        }
    }

    @Test
    void aConfigSavedBeforeTheFeedForwardOptionsReadsAsTheOriginalBlock() throws Exception {
        SasRecConfig old = ModelFiles.JSON.readValue(
                "{\"numItems\":100,\"maxLen\":20,\"hidden\":32,\"heads\":1,\"layers\":2,\"dropout\":0.1}", SasRecConfig.class);
        assertThat(old).isEqualTo(new SasRecConfig(100, 20, 32, 1, 2, 0.1f));
        assertThat(old.ffDim()).isEqualTo(32);
        assertThat(old.activation()).isEqualTo("relu");
    }

    @Test
    void loadRejectsAnotherModelTypeAndMissingDirectory(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"type\":\"llmemb\"}");
        assertThatThrownBy(() -> SasRec.load(dir, "cpu")).hasMessageContaining("expected 'sasrec'");
        assertThatThrownBy(() -> SasRec.load(dir.resolve("missing"), "cpu")).hasMessageContaining("config.json");
    }

    @Test
    void rejectsBadConfigurations() {
        assertThatThrownBy(() -> new SasRecConfig(10, 20, 30, 4, 2, 0.1f)).hasMessageContaining("multiple of heads");
        assertThatThrownBy(() -> new SasRecConfig(10, 20, 32, 1, 2, 0.1f, 64, "tanh")).hasMessageContaining("relu or gelu");
        assertThatThrownBy(() -> new SasRecConfig(10, 20, 32, 1, 2, 0.1f, -1, "relu")).hasMessageContaining("ffDim");
        assertThatThrownBy(() -> TrainConfig.defaults().withDevice("tpu")).hasMessageContaining("cpu, gpu or auto");
    }

    static int argmax(float[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
        return best;
    }
}
