package dev.sidflow.model.generator;

import dev.sidflow.model.Devices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.sidflow.model.Generation;
import dev.sidflow.model.ScoredSid;
import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidTrie;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TigerGeneratorTest {
    private static final TigerConfig CONFIG = new TigerConfig(3, 32, 2, 1, 1, 64, 0.0f);
    private static PlantedChains data;
    private static TigerModel model;
    private static TigerTrainer.Result result;
    private static SequenceExamples validation;

    @BeforeAll
    static void train() {
        Devices.cpuThreads(1); // the test machine's 2 cores are shared
        data = PlantedChains.generate(100, 300, 5, 9, 0.1, 7);
        model = TigerModel.create(CONFIG, Device.cpu(), 11);
        SequenceExamples train = SequenceExamples.trainingWindows(data.splits(), data.sids(), CONFIG.historyLength());
        SequenceExamples val = validation = SequenceExamples.validation(data.splits(), data.sids(), CONFIG.historyLength());
        long t0 = System.nanoTime();
        result = new TigerTrainer(new TrainConfig(30, 64, 3e-3f, 2, 5), System.out, false).train(model, train, val);
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
    void bestEpochParametersAreRestoredAfterEarlyStopping() {
        double now = new TigerTrainer(TrainConfig.defaults(), null, false).loss(model, validation);
        assertThat(now).isCloseTo(result.bestValidationLoss(), within(1e-4));
    }

    @Test
    void everyRecommendationIsAValidDistinctSid() {
        TigerGenerator gen = new TigerGenerator(model, data.trie(), 16);
        List<List<ScoredSid>> recs = gen.recommend(data.testHistories(), 10, 12);
        for (List<ScoredSid> userRecs : recs) {
            assertThat(userRecs).hasSize(10);
            assertThat(userRecs).allSatisfy(s -> assertThat(data.trie().itemId(s.sid())).isEqualTo(s.itemId()));
            assertThat(userRecs.stream().map(ScoredSid::sid).distinct().count()).isEqualTo(10);
            assertThat(userRecs).isSortedAccordingTo(Comparator.comparingDouble(ScoredSid::score).reversed());
            assertThat(userRecs.get(0).score()).isLessThanOrEqualTo(0.0);
        }
    }

    @Test
    void sparseTrieOnlyYieldsItsFewSids() {
        SidTrie few = new SidTrie();
        List<SemanticId> some = data.sids().values().stream().limit(3).toList();
        for (SemanticId sid : some) few.put(sid, "only-" + sid.c1() + "-" + sid.c2() + "-" + sid.c3() + "-" + sid.c4());
        List<List<ScoredSid>> recs = new TigerGenerator(model, few, 8).recommend(data.testHistories().subList(0, 20), 10, 20);
        for (List<ScoredSid> userRecs : recs) {
            assertThat(userRecs).hasSize(3);
            assertThat(userRecs).extracting(ScoredSid::sid).containsExactlyInAnyOrderElementsOf(some);
        }
    }

    @Test
    void batchedResultsEqualSingleUserResults() {
        List<List<SemanticId>> histories = data.testHistories().subList(0, 12);
        List<List<ScoredSid>> batched = new TigerGenerator(model, data.trie(), 64).recommend(histories, 5, 8);
        TigerGenerator single = new TigerGenerator(model, data.trie(), 1);
        for (int u = 0; u < histories.size(); u++) {
            List<ScoredSid> alone = single.recommend(List.of(histories.get(u)), 5, 8).get(0);
            assertSameRecommendations(batched.get(u), alone);
        }
    }

    /** Buckets of similar length, each encoded over its longest history only, change no recommendation. */
    @Test
    void lengthBucketsGiveTheSameRecommendationsAsOneFullWindowBatch() {
        int window = model.config().historyLength();
        // empty, short, full and longer than the window (the tiny model's window is a few items)
        int[] lengths = {0, 1, 1, 2, window - 1, window, window + 1, window + 3};
        List<List<SemanticId>> histories = new ArrayList<>();
        List<List<SemanticId>> source = data.testHistories();
        for (int u = 0; u < 45; u++) {
            List<SemanticId> h = new ArrayList<>();
            // long enough to cut any of the lengths from: repeat a test history
            while (h.size() < window + 3) h.addAll(source.get(u % source.size()));
            int len = lengths[(u * 7) % lengths.length];
            histories.add(List.copyOf(h.subList(h.size() - len, h.size())));
        }
        List<List<ScoredSid>> bucketed = new TigerGenerator(model, data.trie(), 64, true, true).recommend(histories, 10, 12);
        List<List<ScoredSid>> padded = new TigerGenerator(model, data.trie(), 64, true, false).recommend(histories, 10, 12);
        for (int u = 0; u < histories.size(); u++) assertSameRecommendations(bucketed.get(u), padded.get(u));
    }

    @Test
    void bucketsCutWhereAHistoryIsMoreThanTwiceTheBucketsShortest() {
        int[] lengths = new int[40];
        for (int i = 0; i < 40; i++) lengths[i] = new int[] {1, 3, 7, 20}[i / 10];
        assertThat(TigerGenerator.bucketEnds(lengths, 64)).containsExactly(10, 20, 30, 40);
        // never more than the batch size, and never fewer than MIN_BUCKET users before a cut
        assertThat(TigerGenerator.bucketEnds(lengths, 16)).containsExactly(10, 20, 30, 40);
        assertThat(TigerGenerator.bucketEnds(lengths, 4)).containsExactly(4, 8, 12, 16, 20, 24, 28, 32, 36, 40);
        int[] mixed = {0, 0, 1, 2, 2, 3, 4, 5, 9, 20};
        assertThat(TigerGenerator.bucketEnds(mixed, 64)).containsExactly(8, 10);
        assertThat(TigerGenerator.bucketEnds(new int[0], 64)).isEmpty();
    }

    @Test
    void kvCacheGivesTheSameRecommendationsAsRecomputingEveryPrefix() {
        List<List<SemanticId>> histories = data.testHistories().subList(0, 24);
        List<List<ScoredSid>> cached = new TigerGenerator(model, data.trie(), 8, true).recommend(histories, 10, 12);
        List<List<ScoredSid>> recomputed = new TigerGenerator(model, data.trie(), 8, false).recommend(histories, 10, 12);
        for (int u = 0; u < histories.size(); u++) assertSameRecommendations(cached.get(u), recomputed.get(u));
    }

    /**
     * Teacher-forced candidate scores, with the KV cache or without, in length buckets or in plain
     * batches, equal the scores a wide beam search gives the same items.
     */
    @Test
    void candidateScoresEqualTheWideBeamsScores() {
        List<List<SemanticId>> histories = new ArrayList<>(data.testHistories().subList(0, 20));
        histories.add(List.of()); // an empty history still scores
        List<List<ScoredSid>> wide = new TigerGenerator(model, data.trie(), 8).recommend(histories, 30, 40);
        List<List<SemanticId>> candidates = new ArrayList<>();
        for (List<ScoredSid> recs : wide) {
            // the wide beam's 6th..30th items, reversed: a narrow beam (3) misses most of them
            List<SemanticId> c = new ArrayList<>(recs.subList(5, recs.size()).stream().map(ScoredSid::sid).toList());
            java.util.Collections.reverse(c);
            candidates.add(c);
        }
        for (boolean kv : new boolean[] {true, false}) {
            for (boolean buckets : new boolean[] {true, false}) {
                TigerGenerator generator = new TigerGenerator(model, data.trie(), 8, kv, buckets);
                assertThat(generator.scoresCandidates()).isTrue();
                Generation g = generator.recommendAndScore(histories, 3, 3, candidates);
                List<List<ScoredSid>> narrow = generator.recommend(histories, 3, 3);
                for (int u = 0; u < histories.size(); u++) {
                    assertSameRecommendations(g.recommended().get(u), narrow.get(u));
                    List<ScoredSid> expected = new ArrayList<>(wide.get(u).subList(5, wide.get(u).size()));
                    java.util.Collections.reverse(expected);
                    double[] logp = g.candidateLogp().get(u);
                    assertThat(logp).hasSize(expected.size());
                    for (int c = 0; c < logp.length; c++) assertThat(logp[c]).isCloseTo(expected.get(c).score(), within(1e-4));
                }
            }
        }
    }

    /**
     * Three decoder layers, each with its own cache: decoding one position at a time, with beams
     * reordered between steps as beam search does, gives the logits of decoding the whole prefix.
     */
    @Test
    void cachedStepsMatchFullDecodingWhenBeamsAreReordered() {
        TigerConfig deep = new TigerConfig(3, 32, 2, 1, 3, 64, 0.0f);
        try (TigerModel m = TigerModel.create(deep, Device.cpu(), 5);
             NDManager nd = m.djlModel().getNDManager().newSubManager()) {
            ParameterStore ps = new ParameterStore(nd, false);
            int users = 3;
            int groups = 2;
            int rows = users * groups;
            int s = deep.encoderLength();
            int[] enc = new int[users * s];
            for (int u = 0; u < users; u++) {
                System.arraycopy(SequenceExamples.encoderInput(data.testHistories().get(u), deep.historyLength()), 0, enc, u * s, s);
            }
            TigerBlock.EncoderState state = m.block().encode(ps, nd.create(enc, new Shape(users, s)).toType(DataType.INT64, false), false);
            java.util.Random rnd = new java.util.Random(3);
            int[][] seq = new int[rows][4];
            for (int[] r : seq) {
                r[0] = SidVocabulary.REC;
                for (int level = 1; level < 4; level++) r[level] = SidVocabulary.token(level, rnd.nextInt(SemanticId.CODEBOOK_SIZE));
            }
            // step by step; before the last step every user's two beams swap parents
            TigerBlock.DecoderCache cache = null;
            long[] identity = new long[rows];
            long[] swapped = new long[rows];
            for (int r = 0; r < rows; r++) {
                identity[r] = r;
                swapped[r] = r % groups == 0 ? r + 1 : r - 1;
            }
            int[][] effective = new int[rows][];
            for (int r = 0; r < rows; r++) effective[r] = seq[r].clone();
            NDArray stepLogits = null;
            for (int pos = 0; pos < 4; pos++) {
                long[] parents = pos == 3 ? swapped : identity;
                int[] tokens = new int[rows];
                for (int r = 0; r < rows; r++) tokens[r] = seq[r][pos];
                if (pos == 3) {
                    // row r now continues row parents[r]'s first three tokens
                    for (int r = 0; r < rows; r++) {
                        effective[r] = seq[(int) parents[r]].clone();
                        effective[r][3] = seq[r][3];
                    }
                }
                TigerBlock.DecoderStep step = m.block().decodeStep(ps, state, cache, pos == 0 ? null : nd.create(parents),
                        nd.create(tokens, new Shape(rows, 1)).toType(DataType.INT64, false));
                cache = step.cache();
                stepLogits = step.logits();
            }
            assertThat(cache.length()).isEqualTo(4);
            int[] flat = new int[rows * 4];
            for (int r = 0; r < rows; r++) System.arraycopy(effective[r], 0, flat, r * 4, 4);
            NDArray full = m.block().decodeLast(ps, state, nd.create(flat, new Shape(rows, 4)).toType(DataType.INT64, false));
            float[] a = stepLogits.toFloatArray();
            float[] b = full.toFloatArray();
            assertThat(a).hasSameSizeAs(b);
            for (int i = 0; i < a.length; i++) assertThat(a[i]).isCloseTo(b[i], within(1e-4f));
            // one level's codes only: the same numbers as that slice of the full vocabulary
            int start = SidVocabulary.levelStart(4);
            NDArray tokens = nd.create(flat, new Shape(rows, 4)).toType(DataType.INT64, false);
            float[] level = m.block().decodeStep(ps, state, null, null, tokens, start, SemanticId.CODEBOOK_SIZE).logits().toFloatArray();
            float[] slice = full.get(":, {}:{}", start, start + SemanticId.CODEBOOK_SIZE).toFloatArray();
            assertThat(level).hasSize(rows * SemanticId.CODEBOOK_SIZE);
            for (int i = 0; i < level.length; i++) assertThat(level[i]).isCloseTo(slice[i], within(1e-5f));
        }
    }

    @Test
    void saveAndLoadKeepScores(@TempDir Path dir) throws Exception {
        model.save(dir.resolve("bundle"));
        List<List<SemanticId>> histories = data.testHistories().subList(0, 10);
        List<List<ScoredSid>> before = new TigerGenerator(model, data.trie(), 64).recommend(histories, 5, 8);
        try (TigerModel loaded = TigerModel.load(dir.resolve("bundle"), Device.cpu())) {
            assertThat(loaded.config()).isEqualTo(CONFIG);
            List<List<ScoredSid>> after = new TigerGenerator(loaded, data.trie(), 64).recommend(histories, 5, 8);
            for (int u = 0; u < histories.size(); u++) assertSameRecommendations(after.get(u), before.get(u));
        }
    }

    @Test
    void loadingAMissingBundleNamesTheDirectory(@TempDir Path dir) {
        assertThatThrownBy(() -> TigerModel.load(dir, Device.cpu()))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining(dir.toString());
    }

    private static void assertSameRecommendations(List<ScoredSid> actual, List<ScoredSid> expected) {
        assertThat(actual).extracting(ScoredSid::itemId).containsExactlyElementsOf(expected.stream().map(ScoredSid::itemId).toList());
        for (int i = 0; i < actual.size(); i++) {
            assertThat(actual.get(i).score()).isCloseTo(expected.get(i).score(), within(1e-4));
        }
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
