package dev.sidflow.model.llmemb;

import dev.sidflow.data.LeaveOneOut;
import dev.sidflow.model.metrics.LeaveOneOutCases;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Planted sequential data: items on a ring, each user walks i -> i+1 (mod n) and with probability
 * {@code noise} jumps to a random item instead. A sequential model can learn the successor; a
 * popularity model cannot (popularity is nearly uniform).
 */
final class PlantedChains {
    private PlantedChains() {}

    static Map<String, List<String>> sequences(int numItems, int users, int minLen, int maxLen, double noise, long seed) {
        Random rnd = new Random(seed);
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int u = 0; u < users; u++) {
            int len = minLen + rnd.nextInt(maxLen - minLen + 1);
            int item = rnd.nextInt(numItems);
            List<String> seq = new ArrayList<>(len);
            for (int t = 0; t < len; t++) {
                seq.add(Integer.toString(item));
                item = rnd.nextDouble() < noise ? rnd.nextInt(numItems) : (item + 1) % numItems;
            }
            out.put("u" + u, seq);
        }
        return out;
    }

    static final int ITEMS = 300;
    private static LeaveOneOutCases data;
    private static SasRec teacher;

    /** The shared planted data set of the model tests (300 items, 1000 users, 10% noise). */
    static synchronized LeaveOneOutCases data() {
        if (data == null) data = cases(sequences(ITEMS, 1000, 6, 12, 0.1, 1), ITEMS);
        return data;
    }

    static SasRecConfig tinyConfig() {
        return new SasRecConfig(ITEMS, 20, 32, 1, 2, 0.1f);
    }

    static TrainConfig tinyTraining() {
        return TrainConfig.defaults().withDevice("cpu").withMaxEpochs(10).withBatchSize(64)
                .withLearningRate(1e-2f).withPatience(2).withEvalEvery(1).withSeed(7);
    }

    /** One ID-SASRec trained on {@link #data()}, shared by the tests of this JVM (it is the LLMEmb alignment teacher). */
    static synchronized SasRec trainedSasRec() {
        if (teacher == null) teacher = SasRec.train(tinyConfig(), tinyTraining(), data().trainSequences(), data().validation());
        return teacher;
    }

    static LeaveOneOutCases cases(Map<String, List<String>> sequences, int numItems) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < numItems; i++) index.put(Integer.toString(i), i);
        return LeaveOneOutCases.of(LeaveOneOut.split(sequences), index);
    }
}
