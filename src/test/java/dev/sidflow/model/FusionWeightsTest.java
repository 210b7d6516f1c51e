package dev.sidflow.model;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FusionWeightsTest {
    @Test
    void gridCoversTheSimplexOnceAtTheStep() {
        List<FusionWeights> half = FusionWeights.grid(0.5);
        assertThat(half).containsExactly(new FusionWeights(1, 0, 0), new FusionWeights(.5, .5, 0), new FusionWeights(.5, 0, .5),
                new FusionWeights(0, 1, 0), new FusionWeights(0, .5, .5), new FusionWeights(0, 0, 1));
        List<FusionWeights> eighth = FusionWeights.grid(0.125);
        assertThat(eighth).hasSize(45); // (8+1)(8+2)/2
        assertThat(new HashSet<>(eighth)).hasSize(45);
        for (FusionWeights w : eighth) assertThat(w.generator() + w.llmEmb() + w.sasRec()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void rejectsWeightsOffTheSimplexAndStepsThatDoNotDivideOne() {
        assertThatThrownBy(() -> new FusionWeights(0.5, 0.6, 0)).hasMessageContaining("sum to 1");
        assertThatThrownBy(() -> new FusionWeights(1.5, -0.5, 0)).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> FusionWeights.grid(0.3)).hasMessageContaining("multiple");
        assertThatThrownBy(() -> FusionWeights.grid(0)).hasMessageContaining("(0, 1]");
    }

    @Test
    void oldBundlesFuseTheGeneratorWithLlmEmbOnly() {
        FusionWeights w = FusionWeights.generatorAndLlmEmb(0.25);
        assertThat(w).isEqualTo(new FusionWeights(0.25, 0.75, 0));
        assertThat(w.usesSasRec()).isFalse();
        assertThat(w.usesGenerator()).isTrue();
    }

    @Test
    void manifestsWithoutTheScoringFlagReadAsTheFloorAndNewOnesKeepIt() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        FusionWeights old = json.readValue("{\"generator\":0.375,\"llmEmb\":0.625,\"sasRec\":0.0}", FusionWeights.class);
        assertThat(old).isEqualTo(new FusionWeights(0.375, 0.625, 0));
        assertThat(old.scoreDenseCandidates()).isFalse();
        FusionWeights scored = old.withScoredDenseCandidates(true);
        assertThat(json.readValue(json.writeValueAsString(scored), FusionWeights.class)).isEqualTo(scored);
        assertThat(scored.toString()).contains("scores dense candidates");
    }
}
