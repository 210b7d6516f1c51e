package dev.sidflow.model;

import dev.sidflow.data.Dataset;
import dev.sidflow.data.DatasetStore;
import dev.sidflow.data.LeaveOneOut;
import dev.sidflow.model.metrics.EvalCase;
import dev.sidflow.model.metrics.LeaveOneOutCases;
import dev.sidflow.model.generator.TigerGenerator;
import dev.sidflow.model.generator.TigerModel;
import dev.sidflow.model.llmemb.LlmEmb;
import dev.sidflow.model.llmemb.SasRec;
import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The served hybrid over a real tiny bundle: each member alone, their fusion, and cold start. */
class HybridRankerTest {
    static ModelBundle bundle;
    static TigerModel tiger;
    static LlmEmb llmEmb;
    static SasRec sasRec;
    static HybridRanker ranker;
    static List<List<Integer>> histories;
    static List<EvalCase> validation;

    @BeforeAll
    static void open() throws Exception {
        bundle = ModelBundle.open(TinyBundle.dir());
        tiger = bundle.generator("cpu");
        llmEmb = bundle.llmEmb("cpu");
        sasRec = bundle.sasRec("cpu");
        List<String> ids = bundle.itemIds();
        Map<String, SemanticId> sids = bundle.sids();
        SemanticId[] sidOf = ids.stream().map(sids::get).toArray(SemanticId[]::new);
        SidCatalog catalog = SidCatalog.of(sids, bundle.titles());
        ranker = new HybridRanker(new TigerGenerator(tiger, catalog.trieSnapshot(), 16), llmEmb, sasRec, sidOf, ids,
                bundle.manifest().fusionWeights(), 10, 20);
        Dataset data = DatasetStore.read(TinyBundle.data());
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) index.put(ids.get(i), i);
        LeaveOneOutCases cases = LeaveOneOutCases.of(LeaveOneOut.split(data), index);
        histories = cases.test().stream().limit(24).map(EvalCase::history).toList();
        validation = cases.validation().subList(0, 60);
    }

    @AfterAll
    static void close() {
        tiger.close();
        llmEmb.close();
        sasRec.close();
    }

    @Test
    void theManifestRecordsTheWeightsChosenOnValidation() {
        FusionWeights w = bundle.manifest().fusion();
        assertThat(w).isNotNull();
        assertThat(w.generator() + w.llmEmb() + w.sasRec()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(FusionWeights.grid(0.125)).contains(w);
        assertThat(bundle.manifest().generatorWeight()).isEqualTo(w.generator());
        // the test spec keeps the generator in every answer
        assertThat(w.generator()).isGreaterThanOrEqualTo(0.125);
    }

    @Test
    void denseLogProbabilitiesComeNormalisedFromTheEngine() {
        HybridRanker.Prepared p = ranker.prepare(histories, false, true, true);
        for (int u = 0; u < histories.size(); u++) {
            for (HybridRanker.LogProbs lp : List.of(p.llmEmbLogProbs().get(u), p.sasRecLogProbs().get(u))) {
                double total = 0;
                for (int i = 0; i < lp.size(); i++) total += Math.exp(lp.at(i));
                assertThat(total).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
                // the normaliser is the row's log-sum-exp, as a Java pass over the scores gives it
                double max = Double.NEGATIVE_INFINITY;
                for (float v : lp.scores()) max = Math.max(max, v);
                double sum = 0;
                for (float v : lp.scores()) sum += Math.exp(v - max);
                assertThat(lp.logZ()).isCloseTo(max + Math.log(sum), org.assertj.core.data.Offset.offset(1e-4));
            }
        }
    }

    @Test
    void theFusionSearchHonoursTheMinimumGeneratorWeight() {
        java.io.PrintStream quiet = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        assertThat(FusionFit.choose(ranker, validation, 0.25, 60, 1.0, quiet)).isEqualTo(new FusionWeights(1, 0, 0));
        FusionWeights half = FusionFit.choose(ranker, validation, 0.25, 60, 0.5, quiet);
        assertThat(half.generator()).isGreaterThanOrEqualTo(0.5);
        assertThat(FusionWeights.grid(0.25)).contains(half);
        assertThatThrownBy(() -> FusionFit.choose(ranker, validation, 0.25, 60, 1.5, quiet)).hasMessageContaining("[0, 1]");
    }

    @Test
    void aDenseMemberAloneRanksLikeTheModelItself() {
        HybridRanker.Prepared p = ranker.prepare(histories, true, true, true);
        List<List<HybridRanker.Ranked>> sasOnly = ranker.fuse(p, 10, new FusionWeights(0, 0, 1));
        List<List<HybridRanker.Ranked>> llmOnly = ranker.fuse(p, 10, new FusionWeights(0, 1, 0));
        float[][] sasScores = sasRec.scores(histories);
        float[][] llmScores = llmEmb.scores(histories);
        for (int u = 0; u < histories.size(); u++) {
            assertThat(sasOnly.get(u).stream().mapToInt(HybridRanker.Ranked::item).toArray()).containsExactly(HybridRanker.topIndices(sasScores[u], 10));
            assertThat(llmOnly.get(u).stream().mapToInt(HybridRanker.Ranked::item).toArray()).containsExactly(HybridRanker.topIndices(llmScores[u], 10));
        }
    }

    @Test
    void theFusedScoreIsTheWeightedSumOfTheMembersLogProbabilities() {
        HybridRanker.Prepared p = ranker.prepare(histories, true, true, true);
        FusionWeights w = new FusionWeights(0.25, 0.25, 0.5);
        List<List<HybridRanker.Ranked>> fused = ranker.fuse(p, 10, w);
        for (int u = 0; u < histories.size(); u++) {
            assertThat(fused.get(u)).hasSize(10);
            Map<Integer, Double> gen = p.generatorLogp().get(u);
            double floor = gen.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow() - 1;
            double previous = Double.POSITIVE_INFINITY;
            for (HybridRanker.Ranked r : fused.get(u)) {
                double expected = 0.25 * gen.getOrDefault(r.item(), floor) + 0.25 * p.llmEmbLogProbs().get(u).at(r.item())
                        + 0.5 * p.sasRecLogProbs().get(u).at(r.item());
                assertThat(r.score()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
                assertThat(r.fromGenerator()).isEqualTo(gen.containsKey(r.item()));
                assertThat(r.score()).isLessThanOrEqualTo(previous);
                previous = r.score();
            }
        }
    }

    /** With the generator scoring dense candidates, no candidate falls back to the beam's floor. */
    @Test
    void theGeneratorScoresTheDenseCandidatesItsBeamMissed() {
        FusionWeights w = new FusionWeights(0.25, 0.25, 0.5, true);
        HybridRanker.Prepared p = ranker.prepare(histories, w);
        List<List<HybridRanker.Ranked>> fused = ranker.fuse(p, 10, w);
        boolean sawMissed = false;
        for (int u = 0; u < histories.size(); u++) {
            Map<Integer, Double> gen = p.generatorLogp().get(u);
            Map<Integer, Double> scored = p.generatorScored().get(u);
            for (int idx : p.llmEmbTop().get(u)) assertThat(gen.containsKey(idx) || scored.containsKey(idx)).isTrue();
            for (int idx : p.sasRecTop().get(u)) assertThat(gen.containsKey(idx) || scored.containsKey(idx)).isTrue();
            for (HybridRanker.Ranked r : fused.get(u)) {
                Double g = gen.containsKey(r.item()) ? gen.get(r.item()) : scored.get(r.item());
                assertThat(g).isNotNull();
                sawMissed |= !gen.containsKey(r.item());
                double expected = 0.25 * g + 0.25 * p.llmEmbLogProbs().get(u).at(r.item()) + 0.5 * p.sasRecLogProbs().get(u).at(r.item());
                assertThat(r.score()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
                assertThat(r.fromGenerator()).isEqualTo(gen.containsKey(r.item()));
            }
            // the generator's own scores of its beam's items are the beam's
            for (var e : scored.entrySet()) if (gen.containsKey(e.getKey())) {
                assertThat(e.getValue()).isCloseTo(gen.get(e.getKey()), org.assertj.core.data.Offset.offset(1e-4));
            }
        }
        assertThat(sawMissed).as("some top-10 item came from outside the beam").isTrue();
        // the same preparation fuses without the scores too: those items then take the floor
        List<List<HybridRanker.Ranked>> floor = ranker.fuse(p, 10, w.withScoredDenseCandidates(false));
        assertThat(floor).isEqualTo(ranker.fuse(ranker.prepare(histories, true, true, true), 10, w.withScoredDenseCandidates(false)));
    }

    @Test
    void theFusionSearchTriesTheWeightsWithAndWithoutScoredDenseCandidates() {
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        FusionWeights chosen = FusionFit.choose(ranker, validation, 0.25, 60, 0.25, true, new java.io.PrintStream(log, true));
        assertThat(chosen.generator()).isGreaterThanOrEqualTo(0.25);
        assertThat(FusionWeights.grid(0.25)).contains(chosen.withScoredDenseCandidates(false));
        String printed = log.toString();
        assertThat(printed).contains("<- chosen");
        assertThat(printed).contains(chosen.scoreDenseCandidates() ? "best without the generator scoring dense candidates"
                : "best with the generator scoring dense candidates");
        // not asked: only floor points
        assertThat(FusionFit.choose(ranker, validation, 0.25, 60, 0.25, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                .scoreDenseCandidates()).isFalse();
    }

    @Test
    void membersThatWereNotPreparedCannotBeFused() {
        HybridRanker.Prepared p = ranker.prepare(histories, false, true, false);
        assertThatThrownBy(() -> ranker.fuse(p, 10, new FusionWeights(0, 0.5, 0.5))).hasMessageContaining("ID-SASRec");
        assertThat(ranker.fuse(p, 10, new FusionWeights(0, 1, 0))).hasSize(histories.size());
    }

    @Test
    void aColdStartItemIsScoredByLlmEmbInPlaceOfIdSasRec() {
        List<String> ids = bundle.itemIds();
        Map<String, SemanticId> sids = bundle.sids();
        SemanticId[] sidOf = ids.stream().map(sids::get).toArray(SemanticId[]::new);
        HybridRanker local = new HybridRanker(null, llmEmb, sasRec, sidOf, ids, new FusionWeights(0, 0.5, 0.5), 10, 20);
        float[] text = new float[bundle.manifest().embeddingDim()];
        text[0] = 1;
        int idx = local.addItem("brand-new", sids.get(ids.get(0)), text);
        assertThat(idx).isEqualTo(ids.size());
        HybridRanker.Prepared p = local.prepare(histories, false, true, true);
        for (int u = 0; u < histories.size(); u++) {
            assertThat(p.sasRecLogProbs().get(u).size()).isEqualTo(ids.size() + 1);
            assertThat(p.sasRecLogProbs().get(u).at(idx)).isEqualTo(p.llmEmbLogProbs().get(u).at(idx));
        }
    }

    /** The mean of identical instances is the instance: same log-probabilities, cold-start items included. */
    @Test
    void anEnsembleOfAModelWithItselfScoresLikeTheModelAlone() {
        List<String> ids = bundle.itemIds();
        Map<String, SemanticId> sids = bundle.sids();
        SemanticId[] sidOf = ids.stream().map(sids::get).toArray(SemanticId[]::new);
        FusionWeights w = new FusionWeights(0, 0.5, 0.5);
        HybridRanker single = new HybridRanker(null, llmEmb, sasRec, sidOf, ids, w, 10, 20);
        HybridRanker doubled = new HybridRanker(null, new dev.sidflow.model.llmemb.LlmEmbEnsemble(List.of(llmEmb, llmEmb)),
                new dev.sidflow.model.llmemb.SasRecEnsemble(List.of(sasRec, sasRec)), sidOf, ids, w, 10, 20);
        float[] text = new float[bundle.manifest().embeddingDim()];
        text[1] = 1;
        int idx = single.addItem("brand-new", sids.get(ids.get(0)), text);
        assertThat(doubled.addItem("brand-new", sids.get(ids.get(0)), text)).isEqualTo(idx);
        HybridRanker.Prepared a = single.prepare(histories, false, true, true);
        HybridRanker.Prepared b = doubled.prepare(histories, false, true, true);
        for (int u = 0; u < histories.size(); u++) {
            for (int i : new int[] {0, 7, ids.size() - 1, idx}) {
                assertThat(b.llmEmbLogProbs().get(u).at(i)).isCloseTo(a.llmEmbLogProbs().get(u).at(i), org.assertj.core.data.Offset.offset(1e-4));
                assertThat(b.sasRecLogProbs().get(u).at(i)).isCloseTo(a.sasRecLogProbs().get(u).at(i), org.assertj.core.data.Offset.offset(1e-4));
            }
            assertThat(b.llmEmbTop().get(u)).containsExactly(a.llmEmbTop().get(u));
        }
        assertThat(doubled.rank(histories, 10)).extracting(l -> l.stream().map(HybridRanker.Ranked::item).toList())
                .isEqualTo(single.rank(histories, 10).stream().map(l -> l.stream().map(HybridRanker.Ranked::item).toList()).toList());
    }

    @Test
    void theMemoizingGeneratorDecodesEachHistoryOnceAndAnswersLikeItsDelegate() {
        Map<String, SemanticId> sids = bundle.sids();
        List<String> ids = bundle.itemIds();
        TigerGenerator direct = new TigerGenerator(tiger, SidCatalog.of(sids, bundle.titles()).trieSnapshot(), 16);
        MemoizingGenerator memo = new MemoizingGenerator(direct);
        List<List<SemanticId>> sidHistories = histories.stream().map(h -> h.stream().map(i -> sids.get(ids.get(i))).toList()).toList();
        var first = memo.recommend(sidHistories, 5, 10);
        assertThat(memo.size()).isEqualTo(new java.util.HashSet<>(sidHistories).size());
        var again = memo.recommend(sidHistories.subList(0, 3), 5, 10);
        assertThat(memo.size()).isEqualTo(new java.util.HashSet<>(sidHistories).size());
        assertThat(again).isEqualTo(first.subList(0, 3));
        assertThat(first).isEqualTo(direct.recommend(sidHistories, 5, 10));
        memo.recommend(sidHistories.subList(0, 1), 3, 10); // another k is another question
        assertThat(memo.size()).isEqualTo(new java.util.HashSet<>(sidHistories).size() + 1);
    }
}
