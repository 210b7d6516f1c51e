package dev.sidflow.model.llmemb;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PcaTest {
    @Test
    void findsTheDirectionsOfLargestVarianceInOrder() {
        // data varies strongly along e0+e1, weakly along e2, not at all elsewhere, around mean (1,2,3,4,5)
        Random rnd = new Random(1);
        float[][] x = new float[500][5];
        for (float[] row : x) {
            double a = 10 * rnd.nextGaussian();
            double b = rnd.nextGaussian();
            row[0] = (float) (1 + a / Math.sqrt(2));
            row[1] = (float) (2 + a / Math.sqrt(2));
            row[2] = (float) (3 + b);
            row[3] = 4;
            row[4] = 5;
        }
        Pca pca = Pca.fit(x, 2, 7);
        assertThat(pca.outputDim()).isEqualTo(2);
        assertThat(pca.inputDim()).isEqualTo(5);
        float[] mean = new float[5];
        for (float[] row : x) for (int j = 0; j < 5; j++) mean[j] += row[j] / x.length;
        // the sample mean maps to the origin
        assertThat(pca.transform(mean)).containsExactly(new float[] {0, 0}, within(1e-4f));
        // a step along the main direction moves only the first component, along e2 only the second
        float[] main = pca.transform(new float[] {(float) (mean[0] + 1 / Math.sqrt(2)), (float) (mean[1] + 1 / Math.sqrt(2)), mean[2], 4, 5});
        float[] second = pca.transform(new float[] {mean[0], mean[1], mean[2] + 1, 4, 5});
        assertThat(Math.abs(main[0])).isGreaterThan(0.05f);
        assertThat(main[1]).isCloseTo(0f, within(2e-3f));
        assertThat(second[0]).isCloseTo(0f, within(2e-3f));
        // unit-length directions: both steps have length 1 before the common scale
        assertThat(Math.abs(main[0])).isCloseTo(Math.abs(second[1]), within(1e-3f));
    }

    @Test
    void capsComponentsAtTheInputDimension() {
        float[][] x = {{1, 0}, {0, 1}, {1, 1}, {2, 0}};
        assertThat(Pca.fit(x, 8, 1).outputDim()).isEqualTo(2);
    }
}
