package dev.sidflow.model;

import dev.sidflow.cli.SidflowCli;
import dev.sidflow.data.DatasetStore;
import dev.sidflow.data.LeaveOneOut;
import dev.sidflow.model.llmemb.DenseScores;
import dev.sidflow.model.llmemb.LlmEmb;
import dev.sidflow.model.llmemb.LlmEmbEnsemble;
import dev.sidflow.model.llmemb.SasRecEnsemble;
import dev.sidflow.model.metrics.EvalCase;
import dev.sidflow.model.metrics.LeaveOneOutCases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Dense members as ensembles: another bundle's instances added, scored as their mean, served, evaluated and kept on retraining. */
class DenseEnsemblesTest {

    @Test
    void anotherBundlesMembersJoinAsInstancesAndAreScoredAsTheMeanOfTheirLogSoftmaxes(@TempDir Path tmp) throws Exception {
        Path dir = BundleRetrainTest.copyOf(TinyBundle.dir(), tmp.resolve("bundle"));
        // the same data and catalog, trained with other seeds
        Path other = TinyBundle.reseeded();
        ModelBundle b = ModelBundle.open(dir);
        StringWriter ensembleOut = new StringWriter();
        assertThat(SidflowCli.commandLine().setOut(new PrintWriter(ensembleOut)).execute("ensemble", "--bundle", dir.toString(),
                "--add", other.toString())).isZero();
        assertThat(ensembleOut.toString()).contains("--refit-fusion");

        MemberEnsembles written = new MemberEnsembles(List.of("sasrec", "sasrec-2"), List.of("llmemb", "llmemb-2"));
        assertThat(b.ensembles()).isEqualTo(written);
        for (String m : List.of("sasrec", "llmemb")) {
            try (var files = Files.list(other.resolve(m))) {
                for (Path f : files.toList()) {
                    assertThat(Files.readAllBytes(dir.resolve(m + "-2").resolve(f.getFileName()))).isEqualTo(Files.readAllBytes(f));
                }
            }
        }

        List<List<Integer>> histories = testHistories(b).subList(0, 16);
        try (LlmEmbEnsemble ensemble = b.llmEmbs("cpu"); LlmEmb own = b.llmEmb("cpu"); LlmEmb added = LlmEmb.load(other.resolve("llmemb"), "cpu");
             SasRecEnsemble sasRecs = b.sasRecs("cpu")) {
            assertThat(ensemble.size()).isEqualTo(2);
            assertThat(sasRecs.size()).isEqualTo(2);
            float[][] mean = ensemble.scores(histories);
            DenseScores x = own.scoresWithLogZ(histories, null);
            DenseScores y = added.scoresWithLogZ(histories, null);
            boolean differs = false;
            for (int u = 0; u < histories.size(); u++) {
                for (int i = 0; i < mean[u].length; i++) {
                    double expected = ((x.scores()[u][i] - x.logZ()[u]) + (y.scores()[u][i] - y.logZ()[u])) / 2;
                    assertThat((double) mean[u][i]).isCloseTo(expected, within(1e-4));
                }
                differs |= Math.abs((x.scores()[u][0] - x.logZ()[u]) - (y.scores()[u][0] - y.logZ()[u])) > 1e-3;
            }
            assertThat(differs).as("the added instance is another model").isTrue();
        }

        // evaluated as an ensemble, the fusion re-fitted over it, and served
        StringWriter out = new StringWriter();
        int code = SidflowCli.commandLine().setOut(new PrintWriter(out)).execute("eval", "--bundle", dir.toString(),
                "--data", TinyBundle.data().toString(), "--refit-fusion", "--validation-users", "200", "--models", "sasrec,llmemb,hybrid");
        assertThat(code).isZero();
        assertThat(out.toString()).contains("ID-SASRec (ensemble of 2)").contains("LLMEmb (ensemble of 2)");
        try (var service = new dev.sidflow.serve.BundleServiceFactory(dir, "cpu", 5, 1).openCatalogService()) {
            var request = new dev.sidflow.serve.RecommendRequest("r1", "u1", testHistories(b).get(0).stream().map(b.itemIds()::get).toList(), 1, 1);
            assertThat(service.recommend(List.of(service.validate(request))).get(0).getItems()).hasSize(5);
        }

        // retraining a member keeps the other instances
        new BundleTrainer(ModelSpec.load(Path.of(getClass().getResource("/tiny-model.yaml").toURI())),
                new java.io.PrintStream(java.io.PrintStream.nullOutputStream())).retrain(DatasetStore.read(TinyBundle.data()), dir,
                List.of("sasrec"), false, null);
        assertThat(ModelBundle.open(dir).ensembles()).isEqualTo(written);
        try (SasRecEnsemble sasRecs = ModelBundle.open(dir).sasRecs("cpu")) {
            assertThat(sasRecs.size()).isEqualTo(2);
        }
    }

    @Test
    void aSpecWithTwoDenseInstancesBuildsABundleThatScoresBoth(@TempDir Path tmp) throws Exception {
        String yaml;
        try (var in = getClass().getResourceAsStream("/tiny-model.yaml")) {
            yaml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        Path specFile = tmp.resolve("two.yaml");
        Files.writeString(specFile, yaml + "\ndenseInstances: 2\n");
        Path out = tmp.resolve("bundle");
        new BundleTrainer(ModelSpec.load(specFile), new java.io.PrintStream(java.io.PrintStream.nullOutputStream()))
                .build(DatasetStore.read(TinyBundle.data()), out, null, null);
        ModelBundle b = ModelBundle.open(out);
        assertThat(b.ensembles()).isEqualTo(new MemberEnsembles(List.of("sasrec", "sasrec-2"), List.of("llmemb", "llmemb-2")));
        List<List<Integer>> histories = testHistories(b).subList(0, 8);
        try (LlmEmbEnsemble llm = b.llmEmbs("cpu"); SasRecEnsemble sas = b.sasRecs("cpu")) {
            assertThat(llm.size()).isEqualTo(2);
            assertThat(sas.size()).isEqualTo(2);
            // other seeds, other models
            assertThat(llm.instances().get(0).scores(histories)[0]).isNotEqualTo(llm.instances().get(1).scores(histories)[0]);
            assertThat(sas.instances().get(0).scores(histories)[0]).isNotEqualTo(sas.instances().get(1).scores(histories)[0]);
        }
    }

    @Test
    void aBundleOfOtherDataOrAnUnknownMemberIsRefusedAndNothingIsCopied(@TempDir Path tmp) throws Exception {
        Path dir = BundleRetrainTest.copyOf(TinyBundle.dir(), tmp.resolve("bundle"));
        Path other = BundleRetrainTest.copyOf(TinyBundle.dir(), tmp.resolve("other"));
        ModelBundle.Manifest m = ModelBundle.open(other).manifest();
        ModelBundle.writeManifest(other, new ModelBundle.Manifest(m.format(), m.version(), m.spec(), m.dataset(), "another-fingerprint",
                m.items(), m.users(), m.interactions(), m.encoder(), m.embeddingDim(), m.sidLevels(), m.codebookSize(), m.shareUniqueSid(),
                m.largestCollisionGroup(), m.historyLength(), m.beam(), m.topK(), m.denseCandidates(), m.generatorWeight(), m.fusion(),
                m.createdAt(), m.metrics()));
        ModelBundle b = ModelBundle.open(dir);
        assertThatThrownBy(() -> DenseEnsembles.add(b, ModelBundle.open(other), List.of("llmemb"))).hasMessageContaining("other data");
        assertThatThrownBy(() -> DenseEnsembles.add(b, ModelBundle.open(TinyBundle.dir()), List.of("generator")))
                .hasMessageContaining("unknown member 'generator'");
        assertThat(dir.resolve("llmemb-2")).doesNotExist();
        assertThat(dir.resolve(ModelBundle.ENSEMBLES)).doesNotExist();

        StringWriter err = new StringWriter();
        int code = SidflowCli.commandLine().setErr(new PrintWriter(err)).execute("ensemble", "--bundle", dir.toString(),
                "--add", TinyBundle.dir().toString(), "--members", "tiger");
        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("unknown member 'tiger'");
    }

    @Test
    void aMalformedEnsemblesFileIsReportedWithItsPath(@TempDir Path tmp) throws Exception {
        Path dir = BundleRetrainTest.copyOf(TinyBundle.dir(), tmp.resolve("bundle"));
        Files.writeString(dir.resolve(ModelBundle.ENSEMBLES), "{\"sasrec\": [\"sasrec-2\", \"sasrec\"]}");
        assertThatThrownBy(() -> ModelBundle.open(dir).ensembles()).hasMessageContaining(ModelBundle.ENSEMBLES)
                .hasMessageContaining("first sasrec");
        Files.writeString(dir.resolve(ModelBundle.ENSEMBLES), "{\"llmemb\": [\"llmemb\", \"../elsewhere\"]}");
        assertThatThrownBy(() -> ModelBundle.open(dir).ensembles()).hasMessageContaining("directory of the bundle");
    }

    private static List<List<Integer>> testHistories(ModelBundle b) throws Exception {
        List<String> ids = b.itemIds();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) index.put(ids.get(i), i);
        LeaveOneOutCases cases = LeaveOneOutCases.of(LeaveOneOut.split(DatasetStore.read(TinyBundle.data())), index);
        return cases.test().stream().map(EvalCase::history).toList();
    }
}
