package dev.sidflow.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelSpecTest {

    @Test
    void theShippedSpecsKeepTheGeneratorInTheFusion() throws Exception {
        for (String name : new String[] {"demo", "office", "video-games"}) {
            ModelSpec spec = ModelSpec.load(Path.of("models", name + ".yaml"));
            assertThat(spec.serve().minGeneratorWeight()).as(name).isEqualTo(0.125);
        }
    }

    @Test
    void aMinimumGeneratorWeightOutsideZeroToOneIsRefusedWhenTheSpecIsRead(@TempDir Path dir) throws Exception {
        assertRefused(dir, "minGeneratorWeight: 0.125", "minGeneratorWeight: 1.5", "minGeneratorWeight must be in [0, 1]");
    }

    @Test
    void anUnknownFeedForwardActivationIsRefusedWhenTheSpecIsRead(@TempDir Path dir) throws Exception {
        assertRefused(dir, "maxLen: 20", "maxLen: 20\n  activation: swish", "activation must be relu or gelu");
        // absent options keep the original SASRec block
        ModelSpec spec = ModelSpec.load(Path.of("models", "demo.yaml"));
        assertThat(spec.sasrec().toConfig(10).ffDim()).isEqualTo(spec.sasrec().hidden());
        assertThat(spec.sasrec().toConfig(10).activation()).isEqualTo("relu");
    }

    @Test
    void theVideoGamesSpecTrainsLlmEmbWithIdVectorsAndTheDemoSpecWithout() throws Exception {
        assertThat(ModelSpec.load(Path.of("models", "video-games.yaml")).llmemb().toConfig(10).idResidual()).isTrue();
        assertThat(ModelSpec.load(Path.of("models", "demo.yaml")).llmemb().toConfig(10).idResidual()).isFalse();
        assertThat(ModelSpec.load(Path.of("models", "office.yaml")).llmemb().toConfig(10).initFromSasRec()).isTrue();
        assertThat(ModelSpec.load(Path.of("models", "demo.yaml")).llmemb().toConfig(10).initFromSasRec()).isFalse();
    }

    @Test
    void theVideoGamesGeneratorDecaysItsLearningRateAndTheDemoKeepsItConstant() throws Exception {
        assertThat(ModelSpec.load(Path.of("models", "video-games.yaml")).generator().toTrainConfig().schedule())
                .isEqualTo(LearningRateSchedule.LINEAR);
        assertThat(ModelSpec.load(Path.of("models", "demo.yaml")).generator().toTrainConfig().schedule())
                .isEqualTo(LearningRateSchedule.CONSTANT);
    }

    @Test
    void theWideVideoGamesSpecDiffersFromTheBaseInItsGeneratorDenseEnsemblesAndFusionSearch() throws Exception {
        ModelSpec base = ModelSpec.load(Path.of("models", "video-games.yaml"));
        ModelSpec wide = ModelSpec.load(Path.of("models", "video-games-wide.yaml"));
        assertThat(wide.generator().dModel()).isEqualTo(2 * base.generator().dModel());
        assertThat(wide.generator().ffDim()).isEqualTo(2 * base.generator().ffDim());
        assertThat(wide.generator().toTrainConfig().schedule()).isEqualTo(LearningRateSchedule.LINEAR);
        // same SIDs and dense members, so a base bundle's generator can be swapped for a wide one (--only generator)
        assertThat(wide.quantizer()).isEqualTo(base.quantizer());
        assertThat(wide.encoder()).isEqualTo(base.encoder());
        assertThat(wide.sasrec()).isEqualTo(base.sasrec());
        assertThat(wide.llmemb()).isEqualTo(base.llmemb());
        assertThat(wide.denseInstances()).isEqualTo(2);
        assertThat(base.denseInstances()).isEqualTo(1);
        // what is served is the same; the fusion search also tries the generator's scores, on every validation user
        assertThat(wide.serve().tryScoredCandidates()).isTrue();
        assertThat(new ModelSpec.Serve(wide.serve().beam(), wide.serve().topK(), wide.serve().denseCandidates(), wide.serve().fusionStep(),
                base.serve().validationUsers(), wide.serve().minGeneratorWeight(), false)).isEqualTo(base.serve());
    }

    @Test
    void anUnknownLearningRateScheduleIsRefusedWhenTheSpecIsRead(@TempDir Path dir) throws Exception {
        assertRefused(dir, "maxTrainingSeconds: 60", "maxTrainingSeconds: 60\n  lrSchedule: cosine", "constant or linear");
    }

    @Test
    void sequentialModelsReadTheirLearningRateScheduleAndAbsentMeansConstant(@TempDir Path dir) throws Exception {
        ModelSpec demo = ModelSpec.load(Path.of("models", "demo.yaml"));
        assertThat(demo.sasrec().train().toConfig("cpu").schedule()).isEqualTo(LearningRateSchedule.CONSTANT);
        String text = Files.readString(Path.of("models", "demo.yaml"));
        Path linear = dir.resolve("linear.yaml");
        Files.writeString(linear, text.replace("maxTrainingSeconds: 60}", "maxTrainingSeconds: 60, lrSchedule: linear}"));
        ModelSpec spec = ModelSpec.load(linear);
        assertThat(spec.sasrec().train().toConfig("cpu").schedule()).isEqualTo(LearningRateSchedule.LINEAR);
        assertThat(spec.llmemb().backbone().train().toConfig("cpu").schedule()).isEqualTo(LearningRateSchedule.LINEAR);
        assertRefused(dir, "maxTrainingSeconds: 60}", "maxTrainingSeconds: 60, lrSchedule: step}", "constant or linear");
        ModelSpec videoGames = ModelSpec.load(Path.of("models", "video-games.yaml"));
        assertThat(videoGames.sasrec().train().toConfig("cpu").schedule()).isEqualTo(LearningRateSchedule.LINEAR);
        assertThat(videoGames.llmemb().backbone().train().toConfig("cpu").schedule()).isEqualTo(LearningRateSchedule.LINEAR);
    }

    @Test
    void scoredDenseCandidatesAreTriedOnlyWhenTheSpecAsks(@TempDir Path dir) throws Exception {
        for (String name : new String[] {"demo", "office", "video-games"}) {
            assertThat(ModelSpec.load(Path.of("models", name + ".yaml")).serve().tryScoredCandidates()).as(name).isFalse();
        }
        String demo = Files.readString(Path.of("models", "demo.yaml"));
        Path asks = dir.resolve("asks.yaml");
        Files.writeString(asks, demo.replaceFirst("minGeneratorWeight: 0.125", "minGeneratorWeight: 0.125\n  tryScoredCandidates: true"));
        assertThat(ModelSpec.load(asks).serve().tryScoredCandidates()).isTrue();
    }

    @Test
    void denseInstancesDefaultToOneAndFewerAreRefused(@TempDir Path dir) throws Exception {
        assertThat(ModelSpec.load(Path.of("models", "demo.yaml")).denseInstances()).isEqualTo(1);
        String demo = Files.readString(Path.of("models", "demo.yaml"));
        Path two = dir.resolve("two.yaml");
        Files.writeString(two, demo + "\ndenseInstances: 2\n");
        ModelSpec spec = ModelSpec.load(two);
        assertThat(spec.denseInstances()).isEqualTo(2);
        // instance i trains with the seeds moved by i
        assertThat(spec.sasrec().train().toConfig("cpu", 1).seed()).isEqualTo(spec.sasrec().train().toConfig("cpu").seed() + 1);
        Path none = dir.resolve("none.yaml");
        Files.writeString(none, demo + "\ndenseInstances: 0\n");
        assertThatThrownBy(() -> ModelSpec.load(none)).hasMessageContaining("denseInstances must be >= 1");
    }

    /** The demo spec with its first {@code from} replaced by {@code to} is refused when read, with {@code message}. */
    private static void assertRefused(Path dir, String from, String to, String message) throws Exception {
        String demo = Files.readString(Path.of("models", "demo.yaml"));
        assertThat(demo).contains(from);
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, demo.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)));
        assertThatThrownBy(() -> ModelSpec.load(bad)).hasMessageContaining(message);
    }
}
