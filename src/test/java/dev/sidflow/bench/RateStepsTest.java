package dev.sidflow.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateStepsTest {

    @Test
    void parsesIncreasingRates() {
        assertThat(RateSteps.parse(" 250, 500,1000 ,2000")).containsExactly(250.0, 500.0, 1000.0, 2000.0);
        assertThat(RateSteps.parse("0.5")).containsExactly(0.5);
    }

    @Test
    void rejectsBadSchedules() {
        assertThatThrownBy(() -> RateSteps.parse("500,250")).hasMessageContaining("increase");
        assertThatThrownBy(() -> RateSteps.parse("250,-1")).hasMessageContaining("positive");
        assertThatThrownBy(() -> RateSteps.parse("fast")).hasMessageContaining("bad rate 'fast'");
        assertThatThrownBy(() -> RateSteps.parse(" , ")).hasMessageContaining("no rates");
    }

    @Test
    void doublesUpToTheMaximum() {
        assertThat(RateSteps.doubling(250, 2000)).containsExactly(250.0, 500.0, 1000.0, 2000.0);
        assertThat(RateSteps.doubling(250, 1999)).containsExactly(250.0, 500.0, 1000.0);
    }

    @Test
    void sustainedNeedsBothThroughputAndASmallBacklog() {
        // kept up: 98 % out, half a second of backlog
        assertThat(RateSteps.sustained(1000, 980, 500, 0.9, 1.0)).isTrue();
        // throughput fell short
        assertThat(RateSteps.sustained(1000, 700, 0, 0.9, 1.0)).isFalse();
        // throughput looked fine but a backlog of 3 s built up
        assertThat(RateSteps.sustained(1000, 950, 3000, 0.9, 1.0)).isFalse();
    }
}
