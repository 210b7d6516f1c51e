package dev.sidflow.model.llmemb;

import dev.sidflow.eval.PopularityRecommender;
import dev.sidflow.model.metrics.EvaluationOptions;
import dev.sidflow.model.metrics.EvaluationResult;
import dev.sidflow.model.metrics.Evaluator;
import dev.sidflow.model.metrics.LeaveOneOutCases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.sidflow.model.llmemb.PlantedChains.ITEMS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LlmEmbTest {
    static final int TEXT_DIM = 40;
    static final int[] FREQUENCIES = {1, 3, 7, 13, 23, 37, 53, 71};

    /**
     * Synthetic "text encoder" output: a Fourier code of the item's position on the ring, so that chain
     * neighbours have similar text vectors, plus small noise dimensions.
     */
    static float[] textVector(double position, Random noise) {
        float[] v = new float[TEXT_DIM];
        for (int f = 0; f < FREQUENCIES.length; f++) {
            double a = 2 * Math.PI * FREQUENCIES[f] * position / ITEMS;
            v[2 * f] = (float) Math.cos(a);
            v[2 * f + 1] = (float) Math.sin(a);
        }
        for (int j = 2 * FREQUENCIES.length; j < TEXT_DIM; j++) v[j] = (float) (0.1 * noise.nextGaussian());
        return v;
    }

    /** Text vectors of the planted catalog, item i at ring position i. */
    static float[][] catalogText(Random noise) {
        float[][] text = new float[ITEMS][];
        for (int i = 0; i < ITEMS; i++) text[i] = textVector(i, noise);
        return text;
    }

    @Test
    void learnsFromTextAndScoresANewItemForItsPredecessorsUsers(@TempDir Path dir) throws Exception {
        LeaveOneOutCases data = PlantedChains.data();
        Random rnd = new Random(3);
        float[][] text = catalogText(rnd);
        float[][] idEmbeddings = PlantedChains.trainedSasRec().itemEmbeddings();

        LlmEmbConfig cfg = new LlmEmbConfig(PlantedChains.tinyConfig(), 24, 64, 0.1f, LlmEmbConfig.AlignLoss.INFONCE, 0.1f, 0.2f);
        try (LlmEmb model = LlmEmb.train(cfg, PlantedChains.tinyTraining().withMaxEpochs(7), text, idEmbeddings, data.trainSequences(), data.validation())) {
            Evaluator evaluator = new Evaluator(EvaluationOptions.defaults(), null);
            EvaluationResult r = evaluator.evaluateScores(model, data.test());
            EvaluationResult pop = evaluator.evaluateScores(PopularityRecommender.fit(ITEMS, data.trainSequences()), data.test());
            System.out.printf("LLMEmb planted: HR@10 %.4f NDCG@10 %.4f (popularity %.4f); %s%n",
                    r.overall().hr(10), r.overall().ndcg(10), pop.overall().hr(10), model.trainingSummary());
            assertThat(r.overall().hr(10)).isGreaterThan(0.5).isGreaterThan(pop.overall().hr(10) + 0.3);

            // Cold start: a new item (not in training) whose text is a near copy of item p+1's text.
            // For users whose last item is p, it should rank near the top of all 301 items.
            List<Integer> ranks = new ArrayList<>();
            for (int p = 5; p < ITEMS; p += 15) {
                float[] newText = textVector(p + 1 + 0.1, rnd);
                float[] newEmb = model.embedNewItem(newText);
                assertThat(newEmb).hasSize(32);
                List<List<Integer>> hist = List.of(List.of(p - 2, p - 1, p));
                float newScore = model.scoreItems(hist, new float[][] {newEmb})[0][0];
                float[] catalog = model.scores(hist)[0];
                // one pass over catalog + new item gives the same scores as the two separate calls
                float[] both = model.scores(hist, new float[][] {newEmb})[0];
                assertThat(both).hasSize(catalog.length + 1);
                assertThat(both[catalog.length]).isCloseTo(newScore, org.assertj.core.data.Offset.offset(1e-4f));
                assertThat(java.util.Arrays.copyOf(both, catalog.length)).containsExactly(catalog, org.assertj.core.data.Offset.offset(1e-5f));
                int rank = 0;
                for (float s : catalog) if (s > newScore) rank++;
                ranks.add(rank);
            }
            double meanRank = ranks.stream().mapToInt(Integer::intValue).average().orElseThrow();
            System.out.println("LLMEmb cold-start ranks of new items among " + (ITEMS + 1) + ": " + ranks);
            // random placement would give a mean rank of ~150
            assertThat(meanRank).isLessThan(15);

            // save / load round trip: identical catalog scores and identical new-item embeddings
            List<List<Integer>> histories = List.of(List.of(1, 2, 3), List.of(), List.of(299, 0));
            float[][] before = model.scores(histories);
            float[] newBefore = model.embedNewItem(text[10]);
            model.save(dir);
            try (LlmEmb loaded = LlmEmb.load(dir, "cpu")) {
                assertThat(loaded.config()).isEqualTo(cfg);
                float[][] after = loaded.scores(histories);
                for (int i = 0; i < before.length; i++) assertThat(after[i]).containsExactly(before[i]);
                assertThat(loaded.embedNewItem(text[10])).containsExactly(newBefore);
                // a loaded model caches its adapted item table; a second call and the uncached path agree exactly
                float[][] again = loaded.scores(histories);
                float[][] uncached = loaded.cacheItemTable(false).scores(histories);
                for (int i = 0; i < before.length; i++) {
                    assertThat(again[i]).containsExactly(before[i]);
                    assertThat(uncached[i]).containsExactly(before[i]);
                }
            }
            // the adapter applied to a catalog item's own text reproduces its catalog embedding
            // (up to float rounding: one row vs the whole table go through different matmul kernels)
            assertThat(newBefore).containsExactly(model.itemEmbeddings()[10], within(1e-4f));
        }
    }

    /**
     * Started from the ID-SASRec (its encoder, its item vectors, the text part at zero), LLMEmb
     * begins exactly where the ID model is: a step too small to move anything leaves its scores
     * equal to the ID-SASRec's. Trained for real it still learns, and a mismatched backbone is refused.
     */
    @Test
    void startingFromTheIdSasRecBeginsWhereItIsAndStillLearns() {
        LeaveOneOutCases data = PlantedChains.data();
        float[][] text = catalogText(new Random(5));
        SasRec idModel = PlantedChains.trainedSasRec();
        LlmEmbConfig cfg = new LlmEmbConfig(PlantedChains.tinyConfig(), 24, 64, 0.1f, LlmEmbConfig.AlignLoss.INFONCE, 0.1f, 0.2f,
                true, true);
        List<List<Integer>> histories = List.of(List.of(1, 2, 3), List.of(42, 43), List.of(299));
        float[][] expected = idModel.scores(histories);
        try (LlmEmb still = LlmEmb.train(cfg, PlantedChains.tinyTraining().withMaxEpochs(1).withLearningRate(1e-12f), text, idModel,
                data.trainSequences(), data.validation())) {
            float[][] got = still.scores(histories);
            for (int i = 0; i < got.length; i++) assertThat(got[i]).containsExactly(expected[i], within(1e-3f));
        }
        try (LlmEmb trained = LlmEmb.train(cfg, PlantedChains.tinyTraining().withMaxEpochs(4), text, idModel,
                data.trainSequences(), data.validation())) {
            EvaluationResult r = new Evaluator(EvaluationOptions.defaults(), null).evaluateScores(trained, data.test());
            assertThat(r.overall().hr(10)).isGreaterThan(0.6);
            assertThat(trained.embedNewItem(text[10])).isNotEqualTo(new float[PlantedChains.tinyConfig().hidden()]);
        }
        SasRecConfig tiny = PlantedChains.tinyConfig();
        SasRecConfig wider = new SasRecConfig(tiny.numItems(), tiny.maxLen(), 2 * tiny.hidden(), tiny.heads(), tiny.layers(), tiny.dropout());
        LlmEmbConfig mismatched = new LlmEmbConfig(wider, 24, 64, 0.1f, LlmEmbConfig.AlignLoss.INFONCE, 0.1f, 0.2f, false, true);
        assertThatThrownBy(() -> LlmEmb.train(mismatched, PlantedChains.tinyTraining(), text, idModel, data.trainSequences(), data.validation()))
                .hasMessageContaining("backbone sizes");
        assertThatThrownBy(() -> LlmEmb.train(cfg, PlantedChains.tinyTraining(), text, idModel.itemEmbeddings(), data.trainSequences(),
                data.validation())).hasMessageContaining("needs the ID-SASRec");
    }

    /**
     * With ID vectors started from the ID-SASRec's item embeddings, a trained item's embedding is its
     * adapted text vector plus its own ID vector; a new item gets the text part alone.
     */
    @Test
    void idResidualAddsEachTrainedItemsOwnVectorAndRoundTrips(@TempDir Path dir) throws Exception {
        LeaveOneOutCases data = PlantedChains.data();
        Random rnd = new Random(3);
        float[][] text = catalogText(rnd);
        float[][] idEmbeddings = PlantedChains.trainedSasRec().itemEmbeddings();
        LlmEmbConfig cfg = new LlmEmbConfig(PlantedChains.tinyConfig(), 24, 64, 0.1f, LlmEmbConfig.AlignLoss.INFONCE, 0.1f, 0.2f, true);
        try (LlmEmb model = LlmEmb.train(cfg, PlantedChains.tinyTraining().withMaxEpochs(4), text, idEmbeddings, data.trainSequences(), data.validation())) {
            EvaluationResult r = new Evaluator(EvaluationOptions.defaults(), null).evaluateScores(model, data.test());
            assertThat(r.overall().hr(10)).isGreaterThan(0.5);
            float[] textPart = model.embedNewItem(text[10]);
            float[] catalog = model.itemEmbeddings()[10];
            double idNorm = 0;
            for (int j = 0; j < catalog.length; j++) idNorm += (catalog[j] - textPart[j]) * (catalog[j] - textPart[j]);
            // the ID part is there and is of the size of an ID-SASRec embedding, not noise
            double sasRecNorm = 0;
            for (float v : idEmbeddings[10]) sasRecNorm += v * v;
            assertThat(Math.sqrt(idNorm)).isGreaterThan(0.1 * Math.sqrt(sasRecNorm));

            List<List<Integer>> histories = List.of(List.of(1, 2, 3), List.of(299, 0));
            float[][] before = model.scores(histories);
            model.save(dir);
            try (LlmEmb loaded = LlmEmb.load(dir, "cpu")) {
                assertThat(loaded.config()).isEqualTo(cfg);
                float[][] after = loaded.scores(histories);
                for (int i = 0; i < before.length; i++) assertThat(after[i]).containsExactly(before[i]);
                assertThat(loaded.embedNewItem(text[10])).containsExactly(textPart);
            }
        }
    }
}
