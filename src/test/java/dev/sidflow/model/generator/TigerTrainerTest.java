package dev.sidflow.model.generator;

import dev.sidflow.model.LearningRateSchedule;
import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class TigerTrainerTest {
    private static final int WINDOW_ITEMS = 10;
    private static final int S = 4 * WINDOW_ITEMS + 1;

    /** Examples whose histories hold 1..WINDOW_ITEMS items (left-padded, request token last). */
    private static SequenceExamples examples(int count, long seed) {
        Random r = new Random(seed);
        int[] enc = new int[count * S];
        int[] tgt = new int[count * 4];
        for (int e = 0; e < count; e++) {
            int items = 1 + r.nextInt(WINDOW_ITEMS);
            for (int j = S - 1 - 4 * items; j < S - 1; j++) enc[e * S + j] = 1 + r.nextInt(1000);
            enc[e * S + S - 1] = SidVocabulary.REC;
            for (int l = 0; l < 4; l++) tgt[e * 4 + l] = SidVocabulary.token(l + 1, r.nextInt(256));
        }
        return new SequenceExamples(count, S, enc, tgt);
    }

    @Test
    void aBatchKeepsOnlyTheColumnsItsLongestHistoryFills() {
        SequenceExamples data = examples(50, 1);
        int[] order = new int[50];
        for (int i = 0; i < 50; i++) order[i] = i;
        // the three shortest examples
        Integer[] byLength = new Integer[50];
        for (int i = 0; i < 50; i++) byLength[i] = i;
        Arrays.sort(byLength, (a, b) -> Integer.compare(TigerTrainer.encoderTokensUsed(data, a), TigerTrainer.encoderTokensUsed(data, b)));
        int[] shortest = {byLength[0], byLength[1], byLength[2]};
        int used = TigerTrainer.encoderTokensUsed(data, shortest[2]);
        assertThat(used).isLessThan(S);
        try (NDManager m = NDManager.newBaseManager()) {
            NDList[] xy = TigerTrainer.batch(m, data, shortest, 0, 3);
            assertThat(xy[0].get(0).getShape().getShape()).containsExactly(3, used);
            long[] tokens = xy[0].get(0).toLongArray();
            for (int i = 0; i < 3; i++) {
                for (int c = 0; c < used; c++) {
                    assertThat(tokens[i * used + c]).isEqualTo(data.encoderTokens()[shortest[i] * S + S - used + c]);
                }
            }
            // a batch holding a full-window history keeps the whole window
            NDList[] all = TigerTrainer.batch(m, data, order, 0, 50);
            int longest = Arrays.stream(order).map(e -> TigerTrainer.encoderTokensUsed(data, e)).max().getAsInt();
            assertThat(all[0].get(0).getShape().get(1)).isEqualTo(longest);
        }
    }

    @Test
    void lengthGroupingIsAPermutationWithHomogeneousBatches() {
        int n = 1000;
        int batch = 16;
        SequenceExamples data = examples(n, 2);
        int[] shuffled = new int[n];
        for (int i = 0; i < n; i++) shuffled[i] = i;
        Random r = new Random(3);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        int[] grouped = TigerTrainer.lengthGrouped(shuffled, data, batch, new Random(4));
        assertThat(grouped).containsExactlyInAnyOrder(shuffled);
        // padded encoder columns the training runs: far fewer once batches are grouped by length
        assertThat(paddedColumns(data, grouped, batch)).isLessThan(paddedColumns(data, shuffled, batch) * 7 / 10);
        // the partial batch (1000 = 62 x 16 + 8) stays last, so the loop's cuts at multiples of 16 match the groups
        int[] tail = Arrays.copyOfRange(grouped, 992, 1000);
        int[] sortedTail = Arrays.stream(tail).map(e -> TigerTrainer.encoderTokensUsed(data, e)).toArray();
        assertThat(sortedTail).isSorted();
    }

    @Test
    void aLinearScheduleLowersTheRateAdamUsesToItsFloorByTheEndOfTheBudget() {
        float lr = 3e-3f;
        TrainConfig linear = new TrainConfig(3, 32, lr, 3, 7).withSchedule(LearningRateSchedule.LINEAR);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        double linearLoss = trainTiny(linear, new PrintStream(log, true, StandardCharsets.UTF_8));
        List<Double> rates = new ArrayList<>();
        Matcher m = Pattern.compile("learning rate now ([0-9.eE+-]+)").matcher(log.toString(StandardCharsets.UTF_8));
        while (m.find()) rates.add(Double.parseDouble(m.group(1)));
        // one report per epoch: 2/3, 1/3 and none of the span above the floor left
        assertThat(rates).hasSize(3);
        double span = 1 - LearningRateSchedule.LINEAR_FLOOR;
        assertThat(rates.get(0)).isCloseTo(lr * (1 - span / 3), org.assertj.core.data.Offset.offset(lr * 0.01));
        assertThat(rates.get(1)).isCloseTo(lr * (1 - 2 * span / 3), org.assertj.core.data.Offset.offset(lr * 0.01));
        assertThat(rates.get(2)).isCloseTo(lr * LearningRateSchedule.LINEAR_FLOOR, org.assertj.core.data.Offset.offset(lr * 0.01));
        // the optimizer reads the schedule: the same seeded run with a constant rate ends elsewhere
        double constantLoss = trainTiny(new TrainConfig(3, 32, lr, 3, 7), null);
        assertThat(linearLoss).isNotEqualTo(constantLoss);
    }

    /** Trains a tiny generator on fixed examples; returns its final validation loss. */
    private static double trainTiny(TrainConfig config, PrintStream log) {
        TigerConfig tiny = new TigerConfig(WINDOW_ITEMS, 16, 2, 1, 1, 32, 0f);
        try (TigerModel model = TigerModel.create(tiny, Device.cpu(), 11)) {
            TigerTrainer.Result r = new TigerTrainer(config, log, false).train(model, examples(256, 5), examples(64, 6));
            return r.epochs().get(r.epochs().size() - 1).validationLoss();
        }
    }

    private static long paddedColumns(SequenceExamples data, int[] order, int batch) {
        long sum = 0;
        for (int from = 0; from < order.length; from += batch) {
            int max = 0;
            for (int i = from; i < Math.min(order.length, from + batch); i++) max = Math.max(max, TigerTrainer.encoderTokensUsed(data, order[i]));
            sum += (long) max * Math.min(batch, order.length - from);
        }
        return sum;
    }
}
