package dev.sidflow.model.llmemb;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DenseScoresMeanTest {

    @Test
    void theMeanIsTheAverageLogProbabilityOfEachItem() {
        // row 0: softmax of (0, ln 3) = (1/4, 3/4); of (ln 3, 0) = (3/4, 1/4)
        DenseScores a = new DenseScores(new float[][] {{0f, (float) Math.log(3)}}, new double[] {Math.log(4)});
        DenseScores b = new DenseScores(new float[][] {{(float) Math.log(3) + 5, 5f}}, new double[] {Math.log(4) + 5});
        DenseScores mean = DenseScoresMean.of(List.of(a, b));
        double expected = (Math.log(0.25) + Math.log(0.75)) / 2;
        assertThat(mean.logZ()).containsExactly(0.0);
        assertThat((double) mean.scores()[0][0]).isCloseTo(expected, within(1e-6));
        assertThat((double) mean.scores()[0][1]).isCloseTo(expected, within(1e-6));
    }

    @Test
    void aSingleModelsScoresComeBackAsTheyAre() {
        DenseScores a = new DenseScores(new float[][] {{1f, 2f}}, new double[] {3});
        assertThat(DenseScoresMean.of(List.of(a))).isSameAs(a);
    }

    @Test
    void modelsOfDifferentCatalogsAreRefused() {
        DenseScores a = new DenseScores(new float[][] {{1f, 2f}}, new double[] {3});
        DenseScores b = new DenseScores(new float[][] {{1f, 2f, 3f}}, new double[] {3});
        assertThatThrownBy(() -> DenseScoresMean.of(List.of(a, b))).hasMessageContaining("3 and 2 items");
    }
}
