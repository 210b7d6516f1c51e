package dev.sidflow.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventTrackerTest {

    @Test
    void requestKeysRoundTripAndForeignKeysAreIgnored() {
        assertThat(EventTracker.seqOf(EventTracker.key(12345))).isEqualTo(12345);
        assertThat(EventTracker.seqOf("user-event-7")).isEqualTo(-1);
        assertThat(EventTracker.seqOf("bench-x")).isEqualTo(-1);
        assertThat(EventTracker.seqOf(null)).isEqualTo(-1);
    }

    @Test
    void latenciesPerViewWithUnansweredEventsMissing() {
        EventTracker t = new EventTracker(4);
        for (int i = 0; i < 3; i++) t.sent(i, 1000 + i);
        t.seen(0, 1010, false, 7);
        t.seen(0, 1500, true, 0);
        t.seen(1, 1021, false, 9);
        t.seen(1, 9999, false, 99); // a second sighting changes nothing
        t.seen(-1, 5, false, 0);    // not ours
        assertThat(t.processedCount()).isEqualTo(2);
        assertThat(t.committedCount()).isEqualTo(1);
        assertThat(t.processingLatencies(0, 3)).containsExactly(10, 20, Percentiles.MISSING);
        assertThat(t.committedLatencies(0, 2)).containsExactly(500, Percentiles.MISSING);
        assertThat(t.inJobLatencies(0, 3)).containsExactly(7, 9, Percentiles.MISSING);
        assertThat(t.processedBetween(1000, 1015, 3)).isEqualTo(1);
        assertThat(t.processedBetween(1000, 1100, 1)).as("only events below the limit").isEqualTo(1);
        assertThatThrownBy(() -> t.sent(4, 1)).isInstanceOf(IllegalStateException.class);
    }
}
