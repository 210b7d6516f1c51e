package dev.sidflow.model;

import dev.sidflow.model.generator.TrainConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

class LearningRateScheduleTest {

    @Test
    void linearFallsFromTheFullRateToTheFloorAndConstantStays() {
        assertThat(LearningRateSchedule.LINEAR.factor(0)).isEqualTo(1.0);
        assertThat(LearningRateSchedule.LINEAR.factor(0.5)).isCloseTo(1 - 0.5 * (1 - LearningRateSchedule.LINEAR_FLOOR), offset(1e-12));
        assertThat(LearningRateSchedule.LINEAR.factor(1)).isCloseTo(LearningRateSchedule.LINEAR_FLOOR, offset(1e-12));
        // an epoch that ends past the budget does not push the rate below the floor
        assertThat(LearningRateSchedule.LINEAR.factor(1.3)).isCloseTo(LearningRateSchedule.LINEAR_FLOOR, offset(1e-12));
        assertThat(LearningRateSchedule.CONSTANT.factor(0.7)).isEqualTo(1.0);
    }

    @Test
    void namesParseInAnyCaseAbsentIsConstantAndOthersAreRefused() {
        assertThat(LearningRateSchedule.parse("Linear")).isEqualTo(LearningRateSchedule.LINEAR);
        assertThat(LearningRateSchedule.parse(null)).isEqualTo(LearningRateSchedule.CONSTANT);
        assertThat(LearningRateSchedule.parse(" ")).isEqualTo(LearningRateSchedule.CONSTANT);
        assertThatThrownBy(() -> LearningRateSchedule.parse("cosine")).hasMessageContaining("constant or linear");
    }

    @Test
    void progressIsTheLargerOfEpochsAndSecondsUsed() {
        TrainConfig byTime = new TrainConfig(20, 256, 1e-3f, 2, 1, 1000);
        assertThat(byTime.progress(2, 500)).isCloseTo(0.5, offset(1e-12));
        assertThat(byTime.progress(15, 500)).isCloseTo(0.75, offset(1e-12));
        assertThat(byTime.progress(3, 5000)).isEqualTo(1.0);
        TrainConfig byEpochs = new TrainConfig(4, 256, 1e-3f, 2, 1);
        assertThat(byEpochs.progress(1, 1e9)).isCloseTo(0.25, offset(1e-12));
        assertThat(byEpochs.schedule()).isEqualTo(LearningRateSchedule.CONSTANT);
    }
}
