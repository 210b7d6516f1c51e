package dev.sidflow.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PercentilesTest {

    @Test
    void nearestRankOverUnsortedSamples() {
        long[] samples = new long[1000];
        for (int i = 0; i < samples.length; i++) samples[i] = 1000 - i; // 1000 .. 1, reversed
        Percentiles p = Percentiles.of(samples);
        assertThat(p.count()).isEqualTo(1000);
        assertThat(p.quantile(0.5)).isEqualTo(500);
        assertThat(p.quantile(0.99)).isEqualTo(990);
        assertThat(p.quantile(0.999)).isEqualTo(999);
        assertThat(p.quantile(1.0)).isEqualTo(1000);
        assertThat(p.mean()).isEqualTo(500.5);
        assertThat(samples[0]).as("input left untouched").isEqualTo(1000);
    }

    @Test
    void smallSamplesRoundTheRankUp() {
        Percentiles p = Percentiles.of(new long[] {7, 3});
        assertThat(p.quantile(0.5)).isEqualTo(3);
        assertThat(p.quantile(0.51)).isEqualTo(7);
        assertThat(Percentiles.of(new long[0]).quantile(0.5)).isNaN();
    }

    @Test
    void missingSamplesRankLastAndMakeHighPercentilesUnknown() {
        long[] s = new long[100];
        for (int i = 0; i < 99; i++) s[i] = 10;
        s[99] = Percentiles.MISSING;
        Percentiles p = Percentiles.of(s);
        assertThat(p.quantile(0.99)).isEqualTo(10);
        assertThat(p.quantile(0.999)).isInfinite();
        assertThat(p.mean()).as("mean over finished samples").isEqualTo(10);
    }

    @Test
    void rejectsQuantilesOutsideTheUnitInterval() {
        Percentiles p = Percentiles.of(new long[] {1});
        assertThatThrownBy(() -> p.quantile(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> p.quantile(1.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
