package dev.sidflow.model.generator;

import dev.sidflow.model.LearningRateSchedule;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Trains a {@link TigerModel} with teacher forcing: decoder input [REC, t1, t2, t3], targets
 * [t1, t2, t3, t4], softmax cross-entropy over the vocabulary at the four positions. Adam,
 * seeded shuffling, early stopping on validation loss (the best epoch's parameters are kept).
 */
public final class TigerTrainer {

    /** One epoch's numbers. */
    public record EpochLog(int epoch, double trainLoss, double validationLoss, double seconds) {}

    /** What training did. */
    public record Result(List<EpochLog> epochs, int bestEpoch, double bestValidationLoss, long trainExamples, double examplesPerSecond) {}

    private final TrainConfig config;
    private final PrintStream log;
    private final boolean progress;

    public TigerTrainer(TrainConfig config, PrintStream log, boolean progress) {
        this.config = config;
        this.log = log;
        this.progress = progress;
    }

    public Result train(TigerModel model, SequenceExamples train, SequenceExamples validation) {
        if (train.count() == 0) throw new IllegalArgumentException("no training examples (do the items have SIDs?)");
        Engine.getEngine("PyTorch").setRandomSeed((int) config.seed());
        // parameters loaded from a bundle (a warm start) come without gradients
        model.block().getParameters().values().forEach(p -> p.getArray().setRequiresGradient(true));
        Loss loss = new TokenCrossEntropyLoss();
        // Adam reads the rate at every update; the schedule moves it with the progress through the budget
        double[] budgetUsed = {0};
        Tracker rate = update -> (float) (config.learningRate() * config.schedule().factor(budgetUsed[0]));
        DefaultTrainingConfig tc = new DefaultTrainingConfig(loss)
                .optOptimizer(Optimizer.adam().optLearningRateTracker(rate).optClipGrad(1f).build())
                .optDevices(new ai.djl.Device[] {model.device()});
        List<EpochLog> epochs = new ArrayList<>();
        Random shuffle = new Random(config.seed());
        int[] order = new int[train.count()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        double best = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        List<NDArray> bestParams = null;
        long seen = 0;
        double trainSeconds = 0;
        try (Trainer trainer = new Trainer(model.djlModel(), tc)) {
            for (int epoch = 1; epoch <= config.maxEpochs(); epoch++) {
                long t0 = System.nanoTime();
                shuffle(order, shuffle);
                order = lengthGrouped(order, train, config.batchSize(), shuffle);
                int batches = (train.count() + config.batchSize() - 1) / config.batchSize();
                dev.sidflow.embed.ProgressBar bar = progress ? new dev.sidflow.embed.ProgressBar("epoch " + epoch, "batches") : null;
                double lossSum = 0;
                int skipped = 0;
                long lossCount = 0;
                for (int b = 0; b < batches; b++) {
                    int from = b * config.batchSize();
                    int to = Math.min(train.count(), from + config.batchSize());
                    try (NDManager bm = trainer.getManager().newSubManager()) {
                        NDList[] xy = batch(bm, train, order, from, to);
                        boolean finite;
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray logits = trainer.forward(xy[0]).singletonOrThrow();
                            NDArray l = flatLoss(loss, logits, xy[1].singletonOrThrow());
                            float value = l.getFloat();
                            finite = Float.isFinite(value);
                            if (finite) {
                                gc.backward(l);
                                lossSum += value * (to - from);
                            }
                        }
                        if (finite) {
                            trainer.step();
                        } else {
                            // a non-finite batch would poison Adam's moments: leave the parameters alone
                            skipped++;
                            lossCount -= to - from;
                        }
                    }
                    lossCount += to - from;
                    budgetUsed[0] = config.progress(epoch - 1 + (b + 1.0) / batches, trainSeconds + (System.nanoTime() - t0) / 1e9);
                    if (bar != null) bar.progress(b + 1, batches, String.format("loss %.4f", lossSum / Math.max(1, lossCount)));
                }
                if (bar != null) bar.close();
                double epochSeconds = (System.nanoTime() - t0) / 1e9;
                trainSeconds += epochSeconds;
                seen += train.count();
                double trainLoss = lossCount == 0 ? Double.NaN : lossSum / lossCount;
                if (skipped > 0 && log != null) log.printf("epoch %d: skipped %d of %d batches with non-finite loss%n", epoch, skipped, batches);
                double valLoss = validation.count() == 0 ? trainLoss : evaluateLoss(trainer, loss, validation);
                EpochLog e = new EpochLog(epoch, trainLoss, valLoss, (System.nanoTime() - t0) / 1e9);
                epochs.add(e);
                if (log != null) {
                    log.printf("epoch %d: train loss %.4f, validation loss %.4f, %.1fs%s%n", epoch, trainLoss, valLoss, e.seconds(),
                            config.schedule() == LearningRateSchedule.CONSTANT ? ""
                                    : String.format(", learning rate now %.3g", rate.getNewValue(0)));
                }
                if (Double.isNaN(trainLoss) || Double.isNaN(valLoss)) {
                    if (log != null) log.printf("stop: loss diverged (NaN) in epoch %d; keeping epoch %d (lower the learning rate)%n", epoch, bestEpoch);
                    break;
                }
                if (valLoss < best - 1e-4) {
                    best = valLoss;
                    bestEpoch = epoch;
                    if (bestParams != null) bestParams.forEach(NDArray::close);
                    bestParams = snapshot(model);
                } else if (epoch - bestEpoch >= config.patience()) {
                    if (log != null) log.printf("early stop: no validation improvement for %d epochs; best epoch %d%n", config.patience(), bestEpoch);
                    break;
                }
                if (config.maxTrainingSeconds() > 0 && trainSeconds >= config.maxTrainingSeconds()) {
                    if (log != null) log.printf("stop: time budget of %.0f s used; best epoch %d%n", config.maxTrainingSeconds(), bestEpoch);
                    break;
                }
            }
        }
        if (bestParams != null) {
            restore(model, bestParams);
            bestParams.forEach(NDArray::close);
        }
        return new Result(epochs, bestEpoch, best, train.count(), seen / Math.max(trainSeconds, 1e-9));
    }

    /** Mean teacher-forced loss of {@code model} on {@code data}, without dropout. */
    public double loss(TigerModel model, SequenceExamples data) {
        if (data.count() == 0) throw new IllegalArgumentException("no examples");
        Loss loss = new TokenCrossEntropyLoss();
        DefaultTrainingConfig tc = new DefaultTrainingConfig(loss).optDevices(new ai.djl.Device[] {model.device()});
        try (Trainer trainer = new Trainer(model.djlModel(), tc)) {
            return evaluateLoss(trainer, loss, data);
        }
    }

    /** Mean validation loss, teacher-forced, without dropout. */
    private double evaluateLoss(Trainer trainer, Loss loss, SequenceExamples data) {
        double sum = 0;
        int[] order = new int[data.count()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        for (int from = 0; from < data.count(); from += config.batchSize()) {
            int to = Math.min(data.count(), from + config.batchSize());
            try (NDManager bm = trainer.getManager().newSubManager()) {
                NDList[] xy = batch(bm, data, order, from, to);
                NDArray logits = trainer.evaluate(xy[0]).singletonOrThrow();
                sum += flatLoss(loss, logits, xy[1].singletonOrThrow()).getFloat() * (to - from);
            }
        }
        return sum / data.count();
    }

    private static NDArray flatLoss(Loss loss, NDArray logits, NDArray labels) {
        return loss.evaluate(new NDList(labels.reshape(-1)), new NDList(logits.reshape(-1, SidVocabulary.SIZE)));
    }

    /**
     * Inputs (encoder tokens, decoder input) and labels (target tokens) of examples order[from..to).
     * The encoder input keeps only the columns the batch's longest history fills: the others are
     * padding in every row (histories are left-padded and positions count back from the newest item,
     * so the kept columns keep their ids and the loss is the same as over the whole window).
     */
    static NDList[] batch(NDManager m, SequenceExamples data, int[] order, int from, int to) {
        int n = to - from;
        int window = data.encoderLength();
        int s = 0;
        for (int i = 0; i < n; i++) s = Math.max(s, encoderTokensUsed(data, order[from + i]));
        int[] enc = new int[n * s];
        int[] dec = new int[n * 4];
        int[] tgt = new int[n * 4];
        for (int i = 0; i < n; i++) {
            int ex = order[from + i];
            System.arraycopy(data.encoderTokens(), ex * window + window - s, enc, i * s, s);
            System.arraycopy(data.targetTokens(), ex * 4, tgt, i * 4, 4);
            dec[i * 4] = SidVocabulary.REC;
            System.arraycopy(data.targetTokens(), ex * 4, dec, i * 4 + 1, 3);
        }
        NDList x = new NDList(
                m.create(enc, new Shape(n, s)).toType(DataType.INT64, false),
                m.create(dec, new Shape(n, 4)).toType(DataType.INT64, false));
        NDList y = new NDList(m.create(tgt, new Shape(n, 4)).toType(DataType.INT64, false));
        return new NDList[] {x, y};
    }

    /** Encoder tokens of example {@code ex} from its first non-padding token to the end (at least the request token). */
    static int encoderTokensUsed(SequenceExamples data, int ex) {
        int window = data.encoderLength();
        int[] tokens = data.encoderTokens();
        int first = 0;
        while (first < window - 1 && tokens[ex * window + first] == SidVocabulary.PAD) first++;
        return window - first;
    }

    /**
     * The shuffled order regrouped so that each batch holds examples of similar history length:
     * within windows of 32 batches the examples are sorted by length, then the batches are shuffled.
     * Short histories then run in short batches (most training histories are far shorter than the window).
     */
    static int[] lengthGrouped(int[] shuffled, SequenceExamples data, int batchSize, Random r) {
        int n = shuffled.length;
        Integer[] boxed = new Integer[n];
        // each example's length once, not once per comparison
        int[] used = new int[data.count()];
        for (int i = 0; i < n; i++) {
            boxed[i] = shuffled[i];
            used[shuffled[i]] = encoderTokensUsed(data, shuffled[i]);
        }
        int window = batchSize * 32;
        for (int w = 0; w < n; w += window) {
            Arrays.sort(boxed, w, Math.min(n, w + window), Comparator.comparingInt(ex -> used[ex]));
        }
        // full batches in random order, a partial one last: the training loop cuts at multiples of batchSize
        int full = n / batchSize;
        int[] batchOrder = new int[full + (n % batchSize == 0 ? 0 : 1)];
        for (int b = 0; b < batchOrder.length; b++) batchOrder[b] = b;
        int[] shuffledFull = Arrays.copyOf(batchOrder, full);
        shuffle(shuffledFull, r);
        System.arraycopy(shuffledFull, 0, batchOrder, 0, full);
        int[] out = new int[n];
        int k = 0;
        for (int b : batchOrder) {
            for (int i = b * batchSize; i < Math.min(n, (b + 1) * batchSize); i++) out[k++] = boxed[i];
        }
        return out;
    }

    private static void shuffle(int[] a, Random r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static List<NDArray> snapshot(TigerModel model) {
        List<NDArray> out = new ArrayList<>();
        for (Pair<String, Parameter> p : model.block().getParameters()) {
            NDArray copy = p.getValue().getArray().duplicate();
            copy.detach();
            out.add(copy);
        }
        return out;
    }

    private static void restore(TigerModel model, List<NDArray> saved) {
        int i = 0;
        for (Pair<String, Parameter> p : model.block().getParameters()) {
            saved.get(i++).copyTo(p.getValue().getArray());
        }
    }
}
